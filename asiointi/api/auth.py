"""How staff authenticate to the API: a personal API token (``Authorization: Bearer asi_...``), or
the session of the staff pages with its CSRF token on unsafe methods and the second factor passed.
Either gives ``request.auth``, the user; anyone else gets 401 with the error body."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from asiointi.accounts import selectors, services
from asiointi.core.api import ApiError


class TokenAuth(HttpBearer):
    """A personal API token that an administrator issued (accounts.ApiToken), checked on every use; its
    use is audited (once a minute per token and address, ``services.api_token_use``)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = services.api_token_use(request=request, raw=token.strip())
        if user is None or not selectors.api_user(user=user):
            return None
        request.user = user
        return user


class StaffSessionAuth(APIKeyCookie):
    """The session of a signed-in member of staff who has passed the second factor. Unsafe methods
    need the CSRF token (header ``X-CSRFToken``), as the pages' forms do."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        # The CSRF check is made in authenticate, and only for a session that is staff's: a request
        # without a session is not authenticated (401) rather than refused for CSRF.
        super().__init__(csrf=False)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not selectors.api_user(user=user) or selectors.second_factor_pending(user=user):
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request) is not None:
            raise ApiError(403, "csrf_failed")
        return user
