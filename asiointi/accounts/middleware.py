"""Who a request comes from beyond Django's own user: a booth's screen signed in as a device, and a
staff user who has given the password but not yet the second factor.

The rules are plain functions (:func:`booth_route_allowed`, :func:`second_factor_route_allowed`,
:func:`session_booth_device`) that these HTTP middlewares and the WebSocket middleware
(:mod:`asiointi.accounts.sockets`) both call."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from . import selectors
from .models import BoothDevice
from .services import BOOTH_DEVICE_SESSION_KEY

#: The routes that a signed-in user who has not passed the second factor may open.
SECOND_FACTOR_ROUTES: frozenset[str] = frozenset(
    {
        "accounts:second_factor",
        "accounts:second_factor_setup",
        "accounts:logout",
        "set_language",
        "javascript-catalog",
    }
)

#: The routes that a booth's device session may open: its own pages, the language switch and the
#: public pages (namespace "web"), nothing of the staff, the administration or personal data.
BOOTH_ROUTES: frozenset[str] = frozenset(
    {
        "accounts:booth_pair",
        "accounts:booth_screen",
        "set_language",
        "javascript-catalog",
        # The customer's feedback after a meeting, and the public statistics (ledger).
        "feedback:form",
        "feedback:thanks",
        "statistics:public",
        "statistics:public_csv",
        # The booth's kiosk screen, its meetings' signalling socket and the feedback after a meeting.
        "meetings:kiosk",
        "meetings:kiosk_feedback",
        "meetings:signal",
        # A meeting's documents and "call me by phone instead", by the booth's own join link.
        "meetings:documents",
        "meetings:document",
        "meetings:phone",
    }
)
BOOTH_NAMESPACES: frozenset[str] = frozenset({"web"})


def booth_route_allowed(*, view_name: str, namespace: str) -> bool:
    """Whether a booth's device session may use the route (a page or a WebSocket) of this name."""
    return view_name in BOOTH_ROUTES or namespace in BOOTH_NAMESPACES


def second_factor_route_allowed(*, view_name: str) -> bool:
    """Whether a user who has not passed the second factor may use the route of this name."""
    return view_name in SECOND_FACTOR_ROUTES


def session_booth_device(session: SessionBase) -> BoothDevice | None:
    """The booth device that a session is signed in as, or None. The session of a revoked device
    (or of a booth taken out of use) ends here."""
    device_id = session.get(BOOTH_DEVICE_SESSION_KEY)
    if device_id is None:
        return None
    device = selectors.booth_device_for_session(device_id=device_id)
    if device is None:
        session.flush()
    return device


def _route(request: HttpRequest) -> tuple[str, str] | None:
    """The view name and namespace of the request's path; None for a path that does not resolve
    (its 404 page is shown to anyone) or for the static files."""
    if request.path_info.startswith(settings.STATIC_URL):
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace == "api":
        # The API answers for itself (asiointi/api/auth.py): a session that has not passed the
        # second factor, or a booth's, is not staff there (401 with an error body), never redirected.
        return None
    return match.view_name, match.namespace


def _redirect(route: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(route)}?{urlencode({'next': request.get_full_path()})}")


class BoothDeviceMiddleware:
    """Sets ``request.booth_device`` (None outside a booth's device session). A device session
    reaches only :data:`BOOTH_ROUTES` and the public pages; anything else, such as the sign-in
    page, the staff pages or the administration, sends it back to the booth's screen. A revoked
    device's session ends here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        device = session_booth_device(request.session)
        request.booth_device = device  # type: ignore[attr-defined]
        if device is not None:
            route = _route(request)
            if route is not None and not booth_route_allowed(view_name=route[0], namespace=route[1]):
                return HttpResponseRedirect(reverse("accounts:booth_screen"))
        return self.get_response(request)


class SecondFactorMiddleware:
    """A signed-in user who has not passed the second factor (and is not an exempt demo account)
    reaches only :data:`SECOND_FACTOR_ROUTES`, the static files and the error pages. Anything else,
    the administration included, sends them to enter a code, or to set up an authenticator app if
    they have none, and then back where they were going."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if selectors.second_factor_pending(user=request.user):
            route = _route(request)
            if route is not None and not second_factor_route_allowed(view_name=route[0]):
                has_device = selectors.second_factor_device(user=request.user) is not None
                return _redirect(
                    "accounts:second_factor" if has_device else "accounts:second_factor_setup", request
                )
        return self.get_response(request)
