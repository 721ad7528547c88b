"""The desk's operations of the API (docs/api.md, docs/desk.md): record and undo a transaction at a
point's desk and read its counts (the point's advisors); callback requests listed, filed (advisors),
claimed, tried and closed (the agency's experts); the call-now queue (advisors queue and cancel, the agency's experts
list and accept). Scoped as the pages: another point's desk and
another agency's requests do not exist for the caller (404)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from asiointi.accounts import services as account_services
from asiointi.accounts.models import AuditAction, User
from asiointi.catalogue.models import Service
from asiointi.core.api import ApiError, ErrorBody, Page, PageParams, error_body, error_responses, paginate
from asiointi.ledger.models import Transaction
from asiointi.meetings.tokens import join_token_issue
from asiointi.network.models import Booth, ServicePoint

from . import selectors, services
from .models import CallbackRequest, CallNowRequest

router = Router(tags=["desk"])


# --- schemas ----------------------------------------------------------------------------------


class FieldErrorOut(Schema):
    field: str = Field(description="The input that is wrong: service, duration_seconds, consent, ...")
    code: str = Field(description="A stable machine code of what is wrong.")
    message: str = Field(description="What is wrong, for people, in the request's language.")


class InvalidOut(ErrorBody):
    """422: the input cannot be recorded as asked (``message`` is the first of ``errors``)."""

    errors: list[FieldErrorOut] = Field(default_factory=list)


class TransactionIn(Schema):
    agency: int | None = Field(
        None, ge=1, le=2**53, description="The agency (id); the service's when omitted."
    )
    service: int | None = Field(None, ge=1, le=2**53, description="The service (id), if one fits.")
    asti_type: str = Field("OnsiteGuidance", max_length=40, description="The PTV ASTI type.")
    channel: str = Field("advisor_guidance", max_length=30)
    duration_seconds: int = Field(ge=-(2**31), le=2**31, description="0 to 43200 (12 hours).")
    language: str = Field("fi", max_length=8)
    with_interpreter: bool = False


class TransactionOut(Schema):
    id: int
    point: int
    agency: str = Field(description="The agency's code.")
    service: int | None
    asti_type: str
    channel: str
    occurred_at: dt.datetime
    duration_seconds: int
    language: str
    with_interpreter: bool
    count: int = Field(description="1, or -1 for a reversing entry.")
    reverses: int | None = Field(description="The transaction that this entry reverses.")


class AgencyCountOut(Schema):
    agency: str
    name: str
    today: int
    month: int


class CountsOut(Schema):
    point: int
    agencies: list[AgencyCountOut]


class CallbackIn(Schema):
    point: int = Field(ge=1, le=2**53, description="The point where the customer is (id).")
    agency: int = Field(ge=1, le=2**53)
    service: int | None = Field(None, ge=1, le=2**53)
    customer_name: str = Field(max_length=300)
    customer_phone: str = Field("", max_length=60)
    language: str = Field("fi", max_length=8)
    topic: str = Field(max_length=1000)
    preferred_times: str = Field("", max_length=300)
    consent: bool = Field(description="The customer agreed that their contact is stored for the callback.")


class CustomerOut(Schema):
    name: str
    phone: str
    preferred_times: str


class CallbackOut(Schema):
    id: int
    point: int
    agency: str
    service: int | None
    language: str
    topic: str
    created_at: dt.datetime
    due_on: dt.date = Field(description="The last working day on which to call back.")
    overdue: bool
    state: str = Field(description="open, claimed or closed.")
    outcome: str = Field(description="reached or not_reached once closed, else empty.")
    attempts: int
    customer: CustomerOut | None = Field(
        None, description="For the agency's experts only; each read audited."
    )


class CallbackListQuery(Schema):
    closed: bool = Field(False, description="Include closed requests.")


class AttemptIn(Schema):
    note: str = Field("", max_length=400)


class CloseIn(Schema):
    outcome: str = Field(max_length=20, description="reached or not_reached.")
    duration_seconds: int = Field(0, ge=0, le=43200)


# --- helpers ----------------------------------------------------------------------------------


def _user(request: HttpRequest) -> User:
    return request.auth  # type: ignore[attr-defined,no-any-return]


def _text(error: ValidationError) -> str:
    message = error.message % error.params if error.params else error.message
    return str(message)


def _invalid(error: ValidationError, code: str) -> Status[dict[str, Any]]:
    errors: list[dict[str, str]] = []
    if hasattr(error, "error_dict"):
        for name, field_errors in error.error_dict.items():
            errors += [
                {"field": name, "code": e.code or "invalid", "message": _text(e)} for e in field_errors
            ]
    else:
        errors = [
            {"field": "request", "code": e.code or "invalid", "message": _text(e)} for e in error.error_list
        ]
    body = error_body(code)
    body["message"] = errors[0]["message"] if errors else body["message"]
    return Status(422, {**body, "errors": errors})


class _NoSuchService(Exception):
    """A service id that names no service: the caller answers 422 on the ``service`` field."""


def _service(service_id: int | None) -> Service | None:
    """The service of an input's ``service`` id (with its agency), None when none is given; raises
    ``_NoSuchService`` for an id that names no service, so that nothing is filed without it."""
    if not service_id:
        return None
    try:
        # get(), not first(): no ORDER BY to compile on the desk's hot path.
        return Service.objects.select_related("agency").get(pk=service_id)
    except Service.DoesNotExist:
        raise _NoSuchService from None


def _no_such_service(code: str) -> Status[dict[str, Any]]:
    return _invalid(ValidationError({"service": _("No such service.")}), code)


def _scoped[T](request: HttpRequest, read: Callable[..., T], *, not_found: str, **lookup: Any) -> T:
    """``read(viewer=..., **lookup)``, one of the desk's ``access_*`` selectors: a role without the
    access gets 403, a row outside the caller's scope 404 with the ``not_found`` code."""
    try:
        return read(viewer=_user(request), **lookup)
    except PermissionDenied:
        raise ApiError(403, "forbidden") from None
    except ObjectDoesNotExist:
        raise ApiError(404, not_found) from None


def _desk_point(request: HttpRequest, point_id: int) -> ServicePoint:
    return _scoped(request, selectors.access_desk_point_id, not_found="point_not_found", point_id=point_id)


def _transaction_out(row: Transaction) -> dict[str, Any]:
    return {
        "id": row.pk,
        "point": row.point_id,
        "agency": row.agency.code,
        "service": row.service_id,
        "asti_type": row.asti_type,
        "channel": row.channel,
        "occurred_at": row.occurred_at,
        "duration_seconds": row.duration_seconds,
        "language": row.language,
        "with_interpreter": row.with_interpreter,
        "count": row.count,
        "reverses": row.reverses_id,
    }


def _callback_out(row: CallbackRequest, *, contact: bool, attempts: int | None = None) -> dict[str, Any]:
    return {
        "id": row.pk,
        "point": row.point_id,
        "agency": row.agency.code,
        "service": row.service_id,
        "language": row.language,
        "topic": row.topic,
        "created_at": row.created_at,
        "due_on": row.due_on,
        "overdue": selectors.callback_overdue(row),
        "state": row.state,
        "outcome": row.outcome,
        "attempts": attempts if attempts is not None else getattr(row, "attempt_count", row.attempts.count()),
        "customer": {
            "name": row.customer_name,
            "phone": row.customer_phone,
            "preferred_times": row.preferred_times,
        }
        if contact and row.anonymised_at is None
        else None,
    }


def _audit(request: HttpRequest, row: CallbackRequest, how: str) -> None:
    account_services.audit_record(
        action=AuditAction.PERSONAL_DATA_VIEWED,
        request=request,
        actor=_user(request),
        target=row,
        summary=f"{how}; fields shown: customer_name, customer_phone, preferred_times",
    )


def _callback(request: HttpRequest, callback_id: int, *, handle: bool = False) -> CallbackRequest:
    return _scoped(
        request, selectors.access_callback, not_found="callback_not_found", pk=callback_id, handle=handle
    )


# --- the desk ---------------------------------------------------------------------------------


@router.post(
    "/desk/points/{point_id}/transactions",
    response={201: TransactionOut, 422: InvalidOut, **error_responses(400, 401, 403, 404)},
    url_name="desk_transaction_record",
    summary="Record a transaction at the desk",
)
def desk_transaction_record(request: HttpRequest, point_id: int, data: TransactionIn) -> Any:
    """The point's advisors: record a walk-in customer's transaction now, through the ledger. A
    service of another agency, a duration below 0 or over 12 hours: 422, nothing recorded."""
    point = _desk_point(request, point_id)
    try:
        service = _service(data.service)
    except _NoSuchService:
        return _no_such_service("invalid_transaction")
    agency = service.agency if service is not None and data.agency in (None, service.agency_id) else None
    if agency is None:
        agency = (
            selectors.callback_agencies(point=point).filter(pk=data.agency).first() if data.agency else None
        )
    if agency is None:
        return _invalid(
            ValidationError({"agency": _("Choose a service, or an agency when no service fits.")}),
            "invalid_transaction",
        )
    try:
        row = services.desk_transaction_record(
            point=point,
            agency=agency,
            service=service,
            asti_type=data.asti_type,
            channel=data.channel,
            duration_seconds=data.duration_seconds,
            language=data.language,
            with_interpreter=data.with_interpreter,
        )
    except ValidationError as error:
        return _invalid(error, "invalid_transaction")
    return Status(201, _transaction_out(row))


@router.post(
    "/desk/points/{point_id}/transactions/{transaction_id}/undo",
    response={200: TransactionOut, 422: InvalidOut, **error_responses(401, 403, 404)},
    url_name="desk_transaction_undo",
    summary="Undo a transaction at the desk",
)
def desk_transaction_undo(request: HttpRequest, point_id: int, transaction_id: int) -> Any:
    """The point's advisors: undo a transaction of the point's desk within five minutes; answers the
    reversing entry. After the window, another point's transaction, or twice: 422, nothing changes."""
    point = _desk_point(request, point_id)
    try:
        reversal = services.desk_transaction_undo(point=point, transaction_id=transaction_id)
    except ValidationError as error:
        return _invalid(error, "invalid_transaction")
    return _transaction_out(Transaction.objects.select_related("agency").get(pk=reversal.pk))


@router.get(
    "/desk/points/{point_id}/counts",
    response={200: CountsOut, **error_responses(401, 403, 404, 422)},
    url_name="desk_counts",
    summary="Today's and this month's transactions at a desk",
)
def desk_counts(request: HttpRequest, point_id: int) -> Any:
    """The point's advisors: today's and this month's transactions per agency."""
    point = _desk_point(request, point_id)
    return {
        "point": point.pk,
        "agencies": [
            {"agency": c.agency.code, "name": c.agency.name, "today": c.today, "month": c.month}
            for c in selectors.desk_counts(point=point)
        ],
    }


# --- callback requests ----------------------------------------------------------------------------


@router.get(
    "/callbacks",
    response={200: Page[CallbackOut], **error_responses(401, 403, 422)},
    url_name="callback_list",
    summary="Callback requests",
)
def callback_list(request: HttpRequest, filters: Query[CallbackListQuery], page: Query[PageParams]) -> Any:
    """An agency's experts and coordinators: their agency's requests; advisors and point managers:
    those filed at their points; others 403. Open ones by deadline. The customer's contact only for
    the agency's experts, each read audited."""
    user = _user(request)
    rows = _scoped(
        request, selectors.callback_queue, not_found="callback_not_found", include_closed=filters.closed
    )
    found = paginate(rows, page)
    items = []
    for row in found["items"]:
        contact = selectors.callback_contact_visible(viewer=user, request=row)
        if contact and row.anonymised_at is None:
            _audit(request, row, "Read through the API's callback list")
        items.append(_callback_out(row, contact=contact))
    found["items"] = items
    return found


@router.post(
    "/callbacks",
    response={201: CallbackOut, 422: InvalidOut, **error_responses(400, 401, 403, 404)},
    url_name="callback_create",
    summary="File a callback request",
)
def callback_create(request: HttpRequest, data: CallbackIn) -> Any:
    """The point's advisors: file a callback request for an agency, with the customer's consent.
    Without consent or phone, an unknown service or a service of another agency: 422, nothing filed."""
    point = _desk_point(request, data.point)
    agency = selectors.callback_agencies(point=point).filter(pk=data.agency).first()
    if agency is None:
        return _invalid(ValidationError({"agency": _("Choose an agency from the list.")}), "invalid_callback")
    try:
        service = _service(data.service)
    except _NoSuchService:
        return _no_such_service("invalid_callback")
    try:
        row = services.callback_file(
            data=services.CallbackData(
                point=point,
                agency=agency,
                service=service,
                customer_name=data.customer_name,
                customer_phone=data.customer_phone,
                language=data.language,
                topic=data.topic,
                preferred_times=data.preferred_times,
                consent=data.consent,
            ),
            by=_user(request),
        )
    except ValidationError as error:
        return _invalid(error, "invalid_callback")
    return Status(201, _callback_out(row, contact=False, attempts=0))


@router.post(
    "/callbacks/{callback_id}/claim",
    response={200: CallbackOut, 422: InvalidOut, **error_responses(401, 403, 404)},
    url_name="callback_claim",
    summary="Take a callback request",
)
def callback_claim(request: HttpRequest, callback_id: int) -> Any:
    """The agency's experts: take the request to call back. Taken by another or closed: 422."""
    row = _callback(request, callback_id, handle=True)
    try:
        row = services.callback_claim(request=row, by=_user(request))
    except ValidationError as error:
        return _invalid(error, "invalid_callback")
    _audit(request, row, "Read through the API on claiming a callback request")
    return _callback_out(row, contact=True, attempts=row.attempts.count())


@router.post(
    "/callbacks/{callback_id}/attempts",
    response={201: CallbackOut, 422: InvalidOut, **error_responses(400, 401, 403, 404)},
    url_name="callback_attempt",
    summary="Log an attempt to reach the customer",
)
def callback_attempt(request: HttpRequest, callback_id: int, data: AttemptIn) -> Any:
    """The agency's experts: log an attempt that did not reach the customer."""
    row = _callback(request, callback_id, handle=True)
    try:
        services.callback_attempt_log(request=row, by=_user(request), note=data.note)
    except ValidationError as error:
        return _invalid(error, "invalid_callback")
    row.refresh_from_db()
    return Status(201, _callback_out(row, contact=False, attempts=row.attempts.count()))


@router.post(
    "/callbacks/{callback_id}/close",
    response={200: CallbackOut, 422: InvalidOut, **error_responses(400, 401, 403, 404)},
    url_name="callback_close",
    summary="Close a callback request",
)
def callback_close(request: HttpRequest, callback_id: int, data: CloseIn) -> Any:
    """The agency's experts: close the request, reached or not reached (after the setting
    CALLBACK_MAX_ATTEMPTS of logged attempts); the closure records a transaction in the ledger."""
    row = _callback(request, callback_id, handle=True)
    try:
        row = services.callback_close(
            request=row, by=_user(request), outcome=data.outcome, duration_seconds=data.duration_seconds
        )
    except ValidationError as error:
        return _invalid(error, "invalid_callback")
    return _callback_out(row, contact=False, attempts=row.attempts.count())


# --- the call-now queue -----------------------------------------------------------------------------


class CallNowIn(Schema):
    agency: int = Field(ge=1, le=2**53, description="The agency whose expert should take the call (id).")
    service: int | None = Field(
        None, ge=1, le=2**53, description="A service of the agency offered remotely at the point."
    )
    booth: int = Field(ge=1, le=2**53, description="A free booth of the point (id).")
    language: str = Field("fi", max_length=8)
    interpreter_language: str = Field("", max_length=8, description="An interpreter's language, if needed.")


class CallNowOut(Schema):
    id: int
    point: int
    booth: int
    agency: str = Field(description="The agency's code.")
    service: int | None
    language: str
    interpreter_language: str
    status: str = Field(description="waiting, accepted, cancelled, done or expired.")
    created_at: dt.datetime
    accepted_at: dt.datetime | None
    position: int | None = Field(
        None, description="The place in the agency's queue while waiting (1 is next)."
    )
    estimated_wait_seconds: int | None = Field(
        None,
        description="The agency's mean wait of its recent accepted calls times the position, less the "
        "time waited; null without recent calls.",
    )


class CallNowAcceptedOut(CallNowOut):
    meeting_url: str = Field(description="The accepting expert's own link to the meeting room.")


def _callnow_out(
    row: Any, *, position: int | None = None, estimate: dt.timedelta | None = None
) -> dict[str, Any]:
    return {
        "id": row.pk,
        "point": row.point_id,
        "booth": row.booth_id,
        "agency": row.agency.code,
        "service": row.service_id,
        "language": row.language,
        "interpreter_language": row.interpreter_language,
        "status": row.status,
        "created_at": row.created_at,
        "accepted_at": row.accepted_at,
        "position": position,
        "estimated_wait_seconds": int(estimate.total_seconds()) if estimate is not None else None,
    }


@router.post(
    "/desk/points/{point_id}/callnow",
    response={201: CallNowOut, 422: InvalidOut, **error_responses(400, 401, 403, 404)},
    url_name="callnow_create",
    summary="Put a walk-in customer into an agency's call-now queue",
)
def callnow_create(request: HttpRequest, point_id: int, data: CallNowIn) -> Any:
    """The point's advisors: queue a customer waiting in a free booth of the point for the first free
    expert of an agency. An agency or a service not served remotely at the point, a service of
    another agency, a booth of another point or a busy booth: 422 with the field, nothing queued."""
    point = _desk_point(request, point_id)
    agency = selectors.callnow_agencies(point=point).filter(pk=data.agency).first()
    try:
        service = _service(data.service)
    except _NoSuchService:
        return _no_such_service("invalid_callnow")
    booth = Booth.objects.filter(pk=data.booth).first()
    try:
        row = services.callnow_queue(
            data=services.CallNowData(
                point=point,
                booth=booth,
                agency=agency,
                service=service,
                language=data.language,
                interpreter_language=data.interpreter_language,
            ),
            by=_user(request),
        )
    except ValidationError as error:
        return _invalid(error, "invalid_callnow")
    queued = {q.request.pk: q for q in selectors.callnow_point_queue(point=point)}.get(row.pk)
    return Status(
        201,
        _callnow_out(
            row, position=queued.position if queued else None, estimate=queued.estimate if queued else None
        ),
    )


@router.get(
    "/callnow",
    response={200: Page[CallNowOut], **error_responses(401, 403, 422)},
    url_name="callnow_list",
    summary="The call-now queue of the caller's agency",
)
def callnow_list(request: HttpRequest, page: Query[PageParams]) -> Any:
    """An agency's experts: the calls waiting for their agency, the longest waiting first, with each
    one's position and estimated wait; others 403. Another agency's calls are never listed."""
    queue = _scoped(request, selectors.callnow_agency_queue, not_found="callnow_not_found")
    found = paginate(queue, page)
    found["items"] = [
        _callnow_out(q.request, position=q.position, estimate=q.estimate) for q in found["items"]
    ]
    return found


@router.post(
    "/callnow/{callnow_id}/accept",
    response={200: CallNowAcceptedOut, 422: InvalidOut, **error_responses(401, 403, 404)},
    url_name="callnow_accept",
    summary="Take a call from the call-now queue",
)
def callnow_accept(request: HttpRequest, callnow_id: int) -> Any:
    """An agency's experts: take a waiting call; the first wins and gets the meeting room's link (the
    booth's screen joins the room). Taken by another, cancelled or expired: 422 ``not_waiting``;
    another agency's call: 404."""
    row = _access_callnow(request, callnow_id)
    try:
        accepted = services.callnow_accept(request=row, by=_user(request))
    except ValidationError as error:
        return _invalid(error, "invalid_callnow")
    link = reverse("meetings:room", kwargs={"token": join_token_issue(participant=accepted.participant)})
    return {**_callnow_out(accepted.request), "meeting_url": request.build_absolute_uri(link)}


@router.post(
    "/desk/points/{point_id}/callnow/{callnow_id}/cancel",
    response={200: CallNowOut, 422: InvalidOut, **error_responses(401, 403, 404)},
    url_name="callnow_cancel",
    summary="Take a waiting customer out of the call-now queue",
)
def callnow_cancel(request: HttpRequest, point_id: int, callnow_id: int) -> Any:
    """The point's advisors: cancel a waiting call of the point (the booth is free again). Taken by
    an expert already: 422 ``not_waiting``; another point's call: 404."""
    point = _desk_point(request, point_id)
    row = _scoped(
        request, selectors.access_desk_callnow, not_found="callnow_not_found", point=point, pk=callnow_id
    )
    try:
        row = services.callnow_cancel(request=row)
    except ValidationError as error:
        return _invalid(error, "invalid_callnow")
    return _callnow_out(CallNowRequest.objects.select_related("agency").get(pk=row.pk))


def _access_callnow(request: HttpRequest, callnow_id: int) -> CallNowRequest:
    return _scoped(request, selectors.access_callnow, not_found="callnow_not_found", pk=callnow_id)
