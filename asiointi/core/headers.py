"""Per-view response headers that any app's views may set, below the web layer that applies them.

:func:`permissions_policy` allows browser features for one view (the meetings' pages need the camera
and the microphone); :class:`asiointi.web.middleware.PermissionsPolicyMiddleware` writes the header,
with every other feature off."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

ViewFunc = Callable[..., HttpResponse]


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
