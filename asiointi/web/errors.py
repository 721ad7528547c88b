"""The product's own error pages: 403 (refused, and a form refused for its CSRF token), 429 (too
many requests) and 500, in the request's language and styled like every page (the 404 page is
Django's own view with our ``404.html``)."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler403``: the page for a refused request."""
    return render(request, "403.html", status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent without a valid CSRF token (e.g. open for too long)."""
    return render(request, "403_csrf.html", status=403)


def too_many_requests(request: HttpRequest, *, retry_after: int | None = None) -> HttpResponse:
    """The page for a request refused by a rate limit (429), saying when to try again if known.
    A form that was refused keeps its page instead, so that nothing typed is lost."""
    response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: the page for an error of the server. If the page itself cannot be drawn
    (the database is down, say), a plain page says the same."""
    try:
        return render(request, "500.html", status=500)
    except Exception:
        logger.exception("The 500 page could not be rendered.")
        title = escape(_("Something went wrong"))
        text = escape(
            _(
                "The service ran into an error and could not show this page. The error has been "
                "recorded. Please try again in a moment."
            )
        )
        return HttpResponseServerError(
            f'<!doctype html><html lang="{escape(get_language() or "fi")}"><head><meta charset="utf-8">'
            f"<title>{title}</title></head>"
            f"<body><main><h1>{title}</h1><p>{text}</p></main></body></html>"
        )


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request (403) is logged as one line: its traceback says nothing that the line
    does not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            error = record.exc_info[1]
            if isinstance(error, PermissionDenied):
                record.exc_info = None
                record.exc_text = None
        return True
