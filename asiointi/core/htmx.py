"""Pages that htmx enhances: the same view answers a whole page, or only the part that changes when
htmx asks for it (the ``HX-Request`` header), so the page works the same without JavaScript.

The part is a template partial of the page (``{% partialdef NAME inline %}``) and is rendered from the
same context, with ``htmx_fragment`` set. A history restore (``HX-History-Restore-Request``: the
browser's back button with htmx's history cache off) gets the whole page. ``Vary: HX-Request`` keeps
a cache from answering one with the other."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers


def htmx_wants_fragment(request: HttpRequest) -> bool:
    """Whether htmx asked for the changing part of the page rather than the whole page."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )


def htmx_render(
    request: HttpRequest, template: str, context: dict[str, Any], *, partial: str, status: int = 200
) -> HttpResponse:
    """``template`` whole, or only its partial ``partial`` when htmx asks (see the module)."""
    fragment = htmx_wants_fragment(request)
    response = render(
        request,
        f"{template}#{partial}" if fragment else template,
        {**context, "htmx_fragment": fragment},
        status=status,
    )
    patch_vary_headers(response, ["HX-Request"])
    return response
