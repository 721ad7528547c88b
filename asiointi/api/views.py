"""The API's interactive documentation: Swagger UI, served from the project's own static files and
started by an external script (no inline script or style, as the Content-Security-Policy asks)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from .main import NAMESPACE, api

#: The vendored Swagger UI (asiointi/api/static/vendor/README.md).
SWAGGER_UI_VERSION = "5.35.0"


@require_safe
def docs(request: HttpRequest) -> HttpResponse:
    """Public: anyone. The interactive documentation of the API."""
    return render(
        request,
        "api/docs.html",
        {
            "version": api.version,
            "swagger_version": SWAGGER_UI_VERSION,
            "openapi_url": reverse(f"{NAMESPACE}:openapi-json"),
            # Each language's name in itself, as the site's own language switcher writes them.
            "languages": (("fi", "suomi"), ("sv", "svenska"), ("en", "English")),
        },
    )


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other address under the API: 404 with the error body."""
    from .main import error_response

    return error_response(request, 404, "not_found")
