"""ICE servers for the browsers' RTCPeerConnection: coturn's time-limited credentials (``use-auth-secret``,
the "TURN REST API" scheme) made from ``TURN_SECRET``, for the relays in ``TURN_URLS``.

The user name is the credential's expiry (Unix seconds) and a label, and the password is the base64 of
HMAC-SHA1 of the user name under the shared secret; coturn checks both and refuses an expired one.
Without ``TURN_URLS`` and ``TURN_SECRET`` the list is empty (browsers then connect directly: loopback,
one local network)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from typing import Any

from django.conf import settings
from django.utils import timezone


def turn_credential(*, label: str, now: dt.datetime | None = None) -> tuple[str, str]:
    """A user name and password for coturn, valid for ``TURN_CREDENTIAL_SECONDS`` from ``now``."""
    now = now or timezone.now()
    expires = int(now.timestamp()) + settings.TURN_CREDENTIAL_SECONDS
    username = f"{expires}:{label}"
    digest = hmac.new(settings.TURN_SECRET.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(*, label: str, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The ``iceServers`` of an RTCConfiguration for one participant (``label`` names them in coturn's
    log, with no personal data: use the participant's id). Empty when TURN is not configured."""
    urls = [u for u in settings.TURN_URLS if u]
    if not urls or not settings.TURN_SECRET:
        return []
    username, credential = turn_credential(label=label, now=now)
    return [{"urls": urls, "username": username, "credential": credential}]
