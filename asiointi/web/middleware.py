"""Permissions-Policy on every response: browser features off unless a view turns them on; forwarded
headers believed only from trusted proxies."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from asiointi.core import throttle
from asiointi.core.headers import ViewFunc, permissions_policy

__all__ = ["ForwardedHeadersMiddleware", "PermissionsPolicyMiddleware", "ViewFunc", "permissions_policy"]


def _header(policy: dict[str, list[str]]) -> str:
    def allow(origins: list[str]) -> str:
        return "(" + " ".join("self" if o == "self" else f'"{o}"' for o in origins) + ")"

    return ", ".join(f"{feature}={allow(origins)}" for feature, origins in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            policy = {**settings.PERMISSIONS_POLICY, **getattr(response, "_permissions_policy", {})}
            response["Permissions-Policy"] = _header(policy)
        return response


#: Headers that only a trusted proxy may set; from anyone else they are dropped.
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")


class ForwardedHeadersMiddleware:
    """Drops ``X-Forwarded-For``, ``-Proto`` and ``-Host`` from requests that do not come straight
    from a proxy of ``TRUSTED_PROXIES``, so nothing later (``SECURE_PROXY_SSL_HEADER``, the client's
    address) takes a client's word for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not throttle.from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
