"""Helpers for tests of WebSockets (beside asiointi/factories.py: it reaches every app through the
ASGI application): a Channels communicator for a socket of the ASGI application,
signed in as a test client is (its session cookie), from an allowed origin."""

from __future__ import annotations

from typing import Any

from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

ORIGIN = b"http://127.0.0.1"


def socket_communicator(path: str, *, client: Client | None = None, query: str = "") -> WebsocketCommunicator:
    """A communicator for ``path`` (``/ws/...``) with ``client``'s session cookie, if given."""
    from config.asgi import application

    headers: list[tuple[bytes, bytes]] = [(b"origin", ORIGIN), (b"host", b"127.0.0.1")]
    if client is not None and settings.SESSION_COOKIE_NAME in client.cookies:
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, f"{path}?{query}" if query else path, headers=headers)


async def socket_outcome(path: str, **kwargs: Any) -> tuple[bool, int | None]:
    """Whether the socket is accepted, and the close code when it is refused."""
    communicator = socket_communicator(path, **kwargs)
    connected, code = await communicator.connect(timeout=5)
    if connected:
        await communicator.disconnect()
    return connected, (None if connected else code)
