"""The conventions that every operation of the API follows (docs/api.md), for the routers of the apps
(``<app>/api.py``) and for the API package that mounts them (``asiointi/api/``).

* Errors: every refusal and failure answers ``{"code": "...", "message": "..."}`` (:class:`ErrorBody`):
  ``code`` is a stable machine code from :data:`ERROR_MESSAGES`, ``message`` a sentence for people in the
  request's language (``?lang=fi|sv|en``, else ``Accept-Language``, else Finnish). An operation refuses
  by raising :class:`ApiError`.
* Pagination: a list operation takes :class:`PageParams` (``limit`` up to :data:`MAX_LIMIT`,
  ``offset``) and answers a :class:`Page` made by :func:`paginate`.
* Rate limits: a public operation calls :func:`rate_limit_public` first; past the limit it answers 429
  with ``Retry-After``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Annotated, Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from ninja import Field, Schema

from asiointi.core import throttle

#: The languages of the API's messages and content; Finnish when the request asks for none of them.
API_LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")

#: Every machine code of an error body, with its message for people. Codes never change meaning;
#: a new kind of refusal gets a new code.
ERROR_MESSAGES: dict[str, Promise] = {
    "bad_request": _("The request could not be read."),
    "invalid_request": _("The request is not valid. Check the parameters: %(fields)s."),
    "not_authenticated": _(
        "This operation is for staff only. Sign in, or send a valid API token in the Authorization header."
    ),
    "csrf_failed": _("The request has no valid CSRF token. Reload the page and try again."),
    "forbidden": _("Your role does not allow this operation."),
    "not_found": _("Nothing was found at this address."),
    "point_not_found": _("No service point has this address name or number."),
    "agency_not_found": _("No agency has this code."),
    "month_invalid": _("Give the month as year and month, such as 2026-03."),
    "month_in_future": _("There are no statements for a month in the future."),
    "method_not_allowed": _("This address does not accept the method %(method)s."),
    "rate_limited": _("Too many requests have come from your address. Please wait a moment."),
    "invalid_booking": _("The appointment cannot be booked or changed as asked. See the errors by field."),
    "slot_taken": _("Someone else booked that time a moment ago. Choose one of the next free times."),
    "malformed_code": _("A confirmation code has eight letters and digits, such as KX7M-PQ3A."),
    "appointment_not_found": _("No appointment has this confirmation code and contact."),
    "invalid_transaction": _(
        "The transaction cannot be recorded or undone as asked. See the errors by field."
    ),
    "invalid_callback": _(
        "The callback request cannot be filed or changed as asked. See the errors by field."
    ),
    "callback_not_found": _("No callback request that you may see has this number."),
    "invalid_callnow": _(
        "The customer cannot be queued, or the call taken or cancelled, as asked. See the errors."
    ),
    "callnow_not_found": _("No call-now request that you may see has this number."),
    "server_error": _("Something went wrong on our side. Please try again later."),
    "search_query_missing": _(
        "Write what you need in the parameter q, for example “passport” or “tax card”."
    ),
    "search_query_too_long": _("The search text can have at most %(max)s characters. Write a shorter one."),
}

#: The code of each status that has one general code.
STATUS_CODES: dict[int, str] = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    422: "invalid_request",
    429: "rate_limited",
    500: "server_error",
}


class ErrorBody(Schema):
    """The body of every error answer."""

    code: str = Field(description="A stable machine code of the error (docs/api.md lists them).")
    message: str = Field(description="What went wrong, for people, in the request's language.")


class ApiError(Exception):
    """Raised by an operation to answer ``status`` with the error body of ``code``."""

    def __init__(
        self,
        status: int,
        code: str,
        *,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        if code not in ERROR_MESSAGES:
            raise ValueError(f"Unknown API error code {code!r}: add it to ERROR_MESSAGES.")
        super().__init__(code)
        self.status = status
        self.code = code
        self.params = params or {}
        self.headers = headers or {}


def error_body(code: str, params: dict[str, Any] | None = None) -> dict[str, str]:
    """The error body of ``code`` in the active language."""
    message = str(ERROR_MESSAGES[code])
    if params:
        message = message % params
    return {"code": code, "message": message}


def error_responses(*statuses: int) -> dict[int, type[ErrorBody]]:
    """The error answers an operation documents in the schema, besides its success."""
    return dict.fromkeys(statuses, ErrorBody)


#: What every public operation may answer besides its success: invalid parameters and the rate limit.
PUBLIC_ERRORS: tuple[int, ...] = (422, 429)


def request_language(request: HttpRequest) -> str | None:
    """The language that ``?lang=`` asks for, if it is one of :data:`API_LANGUAGES`."""
    asked = request.GET.get("lang", "")
    return asked if asked in API_LANGUAGES else None


# -- pagination ----------------------------------------------------------------------------------

#: An id in a request body or query list: a positive integer that the database can hold (SQLite's
#: and PostgreSQL's integers are 64-bit; a larger one is refused with 422, never a server error).
Id = Annotated[int, Field(ge=1, le=2**53)]

#: The most rows one page may hold; a larger ``limit`` is refused (422), never cut silently.
MAX_LIMIT = 100
DEFAULT_LIMIT = 50
#: Offsets beyond this are refused: no list of the API is this long.
MAX_OFFSET = 1_000_000


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description=f"Rows per page, at most {MAX_LIMIT}.")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many rows to skip from the start.")


class Page[T](Schema):
    """One page of a list: ``count`` rows in all, ``items`` from ``offset`` on."""

    count: int = Field(description="How many rows the whole list has.")
    limit: int
    offset: int
    items: list[T]


def paginate(rows: QuerySet[Any] | Sequence[Any], params: PageParams) -> dict[str, Any]:
    """The page of ``rows`` that ``params`` asks for, in the shape of :class:`Page`. A queryset is
    counted and sliced in the database."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    items = list(rows[params.offset : params.offset + params.limit])
    return {"count": count, "limit": params.limit, "offset": params.offset, "items": items}


# -- rate limits ---------------------------------------------------------------------------------


def rate_limit_public(request: HttpRequest, *, scope: str = "api_public") -> None:
    """Count one use of the public API by the client's address; past ``API_PUBLIC_LIMIT_PER_MINUTE``
    uses in the current minute, raise 429 with ``Retry-After`` (seconds to the next minute)."""
    window = 60
    if not throttle.throttle_hit(
        scope=scope,
        key=throttle.client_key(request),
        limit=settings.API_PUBLIC_LIMIT_PER_MINUTE,
        window_seconds=window,
    ):
        seconds = max(1, math.ceil(window - throttle.clock() % window))
        raise ApiError(429, "rate_limited", headers={"Retry-After": str(seconds)})


def retry_after_message(seconds: int) -> str:
    """A sentence saying when to try again, for a 429 answer."""
    return ngettext(
        "Too many requests have come from your address. Try again in %(seconds)s second.",
        "Too many requests have come from your address. Try again in %(seconds)s seconds.",
        seconds,
    ) % {"seconds": seconds}
