"""Who a request comes from beyond Django's own user: a booth's screen signed in as a device, and a
staff user who has given the password but not yet the second factor."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from . import selectors
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
    {"accounts:booth_pair", "accounts:booth_screen", "set_language", "javascript-catalog"}
)
BOOTH_NAMESPACES: frozenset[str] = frozenset({"web"})


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
        request.booth_device = None  # type: ignore[attr-defined]
        device_id = request.session.get(BOOTH_DEVICE_SESSION_KEY)
        if device_id is not None:
            device = selectors.booth_device_for_session(device_id=device_id)
            if device is None:
                request.session.flush()
            else:
                request.booth_device = device  # type: ignore[attr-defined]
                route = _route(request)
                if route is not None and route[0] not in BOOTH_ROUTES and route[1] not in BOOTH_NAMESPACES:
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
            if route is not None and route[0] not in SECOND_FACTOR_ROUTES:
                has_device = selectors.second_factor_device(user=request.user) is not None
                return _redirect(
                    "accounts:second_factor" if has_device else "accounts:second_factor_setup", request
                )
        return self.get_response(request)
