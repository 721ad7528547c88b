"""Signing in step by step as a person does, for the tests of the accounts app."""

from __future__ import annotations

import time

from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def authenticator_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code that an authenticator app with ``device``'s key shows (``steps_ahead`` time steps
    later: a code already used is refused, the next one is accepted)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in_with_password(
    client: Client, email: str, password: str, *, language: str = "fi", next_url: str = ""
):
    data = {"username": email, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(f"/{language}/accounts/login/", data)
