"""Permissions-Policy on every response: browser features off unless a view turns them on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ViewFunc = Callable[..., HttpResponse]


def _header(policy: dict[str, list[str]]) -> str:
    def allow(origins: list[str]) -> str:
        return "(" + " ".join("self" if o == "self" else f'"{o}"' for o in origins) + ")"

    return ", ".join(f"{feature}={allow(origins)}" for feature, origins in policy.items())


def permissions_policy(**features: list[str]) -> Callable[[ViewFunc], ViewFunc]:
    """Allow browser features for one view, e.g. ``@permissions_policy(camera=["self"],
    microphone=["self"])`` on the pages of a video meeting."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response._permissions_policy = {k.replace("_", "-"): v for k, v in features.items()}  # type: ignore[attr-defined]
            return response

        return wrapped

    return decorator


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            policy = {**settings.PERMISSIONS_POLICY, **getattr(response, "_permissions_policy", {})}
            response["Permissions-Policy"] = _header(policy)
        return response
