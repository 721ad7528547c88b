"""Signing staff, and booth screens, in for tests and for the accessibility sweep."""

from __future__ import annotations

from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiointi.network.models import Booth

from .models import BoothDevice, User
from .selectors import second_factor_device
from .services import BOOTH_DEVICE_SESSION_KEY


def login_staff(client: Client, user: User) -> None:
    """Sign ``user`` in on ``client`` as fully as a person who signed in through the login page:
    with the password and the second factor (an authenticator app is set up for the user if they
    have none)."""
    client.force_login(user)
    device = second_factor_device(user=user) or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def login_booth_device(client: Client, booth: Booth) -> BoothDevice:
    """Make ``client`` the device session of a new, paired screen of ``booth``, as entering its
    pairing code on the pairing page does."""
    device = BoothDevice.objects.create(booth=booth, paired_at=timezone.now())
    session = client.session
    session[BOOTH_DEVICE_SESSION_KEY] = device.pk
    session.save()
    return device
