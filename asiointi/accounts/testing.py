"""Signing staff in for tests and for the accessibility sweep."""

from __future__ import annotations

from django.test import Client

from .models import User


def login_staff(client: Client, user: User) -> None:
    """Sign ``user`` in on ``client`` as fully as a person who signed in through the login page."""
    client.force_login(user)
