"""The API's language and its error bodies outside the operations.

For every request under the API's address: ``?lang=fi|sv|en`` chooses the language of the answer
(else ``Accept-Language``, as ``LocaleMiddleware`` reads it, else Finnish); and an error that Django
or ninja answers before an operation runs (a method that the address does not accept, an address that
is none, a failure outside an operation) is answered with the error body too, never an HTML page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation

from asiointi.core.api import STATUS_CODES, error_body, request_language

#: Where the API lives (config/urls.py).
API_PREFIX = "/api/"


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        language = request_language(request)
        if language is not None:
            translation.activate(language)
            request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):
            response = self._error(request, response)
        response["Content-Language"] = translation.get_language() or "fi"
        return response

    def _error(self, request: HttpRequest, original: HttpResponse) -> HttpResponse:
        status = original.status_code if original.status_code in STATUS_CODES else 500
        params = {"method": request.method} if status == 405 else None
        response = JsonResponse(error_body(STATUS_CODES[status], params), status=status)
        # The headers of the original answer stay (the security headers, Allow, Vary...).
        for header, value in original.items():
            if header.lower() not in ("content-type", "content-length"):
                response[header] = value
        return response
