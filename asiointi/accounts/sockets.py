"""Who a WebSocket comes from: the same people, and the same rules, as for the pages.

:class:`WebSocketAuthMiddleware` sits in ``config/asgi.py`` between Channels' session middleware and
the socket routes. It finds the user from the session (a staff user who has passed the second factor)
or from a signed, time-limited token in the query string (``?token=``, see
:func:`websocket_token_issue`), and the booth's device of a booth screen's session. It then applies the
rules of the HTTP middlewares (:mod:`asiointi.accounts.middleware`, the same functions) to the
socket's route name, and refuses the socket before it is accepted: with
:data:`~asiointi.core.sockets.CLOSE_UNAUTHENTICATED` when nobody is signed in or the second factor
is missing, with :data:`~asiointi.core.sockets.CLOSE_FORBIDDEN` for a booth's screen outside its
routes. Whether a role may use a socket is its consumer's to decide (the access matrix lists it).
"""

from __future__ import annotations

from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AnonymousUser
from django.core import signing
from django.urls import URLPattern, URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RegexPattern
from django.utils.crypto import constant_time_compare
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED

from . import selectors
from .middleware import booth_route_allowed, second_factor_route_allowed, session_booth_device
from .models import BoothDevice, User

_SIGNING_SALT = "asiointi.accounts.websocket"


def websocket_token_issue(*, user: User) -> str:
    """A token that lets a WebSocket connect as ``user`` for ``WEBSOCKET_TOKEN_SECONDS`` (for a
    client that cannot send the session cookie). Issue it only to a user who has passed the second
    factor, as every staff page's user has; it stops working when the password changes."""
    return signing.dumps({"u": user.pk, "h": user.get_session_auth_hash()}, salt=_SIGNING_SALT)


def websocket_token_user(*, token: str) -> User | None:
    """The active user a token was issued to, or None when it is forged, expired or outdated."""
    try:
        data = signing.loads(token, salt=_SIGNING_SALT, max_age=settings.WEBSOCKET_TOKEN_SECONDS)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not constant_time_compare(str(data.get("h", "")), user.get_session_auth_hash()):
        return None
    return user


def _verify_second_factor(user: Any, session: Any) -> None:
    """``user.is_verified()`` from the session's second-factor device, as django-otp's middleware
    does for a request."""
    device = None
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    if persistent_id:
        device = Device.from_persistent_id(persistent_id)
        if device is not None and (device.user_id != user.pk or not device.confirmed):
            device = None
    user.otp_device = device
    user.is_verified = lambda: user.otp_device is not None


def _query_token(scope: dict[str, Any]) -> str | None:
    values = parse_qs(scope.get("query_string", b"").decode("latin-1")).get("token")
    return values[0] if values else None


def socket_identity(scope: dict[str, Any]) -> tuple[User | AnonymousUser, BoothDevice | None]:
    """The user (or AnonymousUser) and the booth device of a socket's scope. A token names a user who
    passed the second factor when it was issued."""
    token = _query_token(scope)
    if token is not None:
        user = websocket_token_user(token=token)
        if user is None:
            return AnonymousUser(), None
        user.otp_device = None  # type: ignore[attr-defined]
        user.is_verified = lambda: True  # type: ignore[attr-defined]
        return user, None
    session = scope.get("session")
    if session is None:
        return AnonymousUser(), None
    device = session_booth_device(session)
    found = auth.get_user(SimpleNamespace(session=session))  # type: ignore[arg-type]
    if found.is_authenticated:
        _verify_second_factor(found, session)
    return found, device  # type: ignore[return-value]


def socket_refusal(
    *, user: User | AnonymousUser, booth_device: BoothDevice | None, view_name: str, namespace: str
) -> int | None:
    """The close code for a socket that the rules of the pages refuse, or None to let it through to
    its consumer."""
    if booth_device is not None:
        return None if booth_route_allowed(view_name=view_name, namespace=namespace) else CLOSE_FORBIDDEN
    if not user.is_authenticated:
        return CLOSE_UNAUTHENTICATED
    if selectors.second_factor_pending(user=user) and not second_factor_route_allowed(view_name=view_name):
        return CLOSE_UNAUTHENTICATED
    return None


class WebSocketAuthMiddleware:
    """Sets ``scope["user"]`` and ``scope["booth_device"]`` and refuses, before accepting, a socket
    that the rules of the pages refuse. ``routes`` are the socket routes (named like pages,
    ``namespace:name``) that ``inner`` serves."""

    def __init__(self, inner: Any, routes: Sequence[URLPattern | URLResolver]) -> None:
        self.inner = inner
        self.resolver = URLResolver(RegexPattern(r"^/"), list(routes))

    def _route(self, path: str) -> tuple[str, str]:
        """The socket route's name (``namespace:name``) and namespace; empty for an unknown path."""
        try:
            match = self.resolver.resolve(path)
        except Resolver404:
            return "", ""
        name = match.url_name or ""
        return name, name.rpartition(":")[0]

    def _check(self, scope: dict[str, Any]) -> tuple[User | AnonymousUser, BoothDevice | None, int | None]:
        user, device = socket_identity(scope)
        view_name, namespace = self._route(scope["path"])
        if not view_name:
            return user, device, CLOSE_NOT_FOUND
        refusal = socket_refusal(user=user, booth_device=device, view_name=view_name, namespace=namespace)
        return user, device, refusal

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope["type"] != "websocket":
            return await self.inner(scope, receive, send)
        user, device, refusal = await database_sync_to_async(self._check)(scope)
        if refusal is not None:
            await receive()  # the client's websocket.connect
            await send({"type": "websocket.close", "code": refusal})
            return None
        return await self.inner({**scope, "user": user, "booth_device": device}, receive, send)
