"""The scheduling operations of the API (docs/api.md): free times, booking, and a customer's own
appointment by its confirmation code and contact; for staff, the appointments they may see.

Public operations need no sign-in and are limited per address. A member of staff who calls a public
operation with a token or the staff session is recognised: a booking is recorded as theirs, and they may
book from now on (customers book after the minimum notice). Guessing codes is slow: every failed look-up
(an unknown code or a wrong contact, which answer alike) counts against the address, and after a few the
address must wait a growing time before its next try."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.utils import check_csrf

from asiointi.accounts import selectors as account_selectors
from asiointi.accounts import services as account_services
from asiointi.accounts.models import AuditAction, User
from asiointi.core import throttle
from asiointi.core.api import (
    ApiError,
    ErrorBody,
    Id,
    Page,
    PageParams,
    error_body,
    error_responses,
    paginate,
    rate_limit_public,
)
from asiointi.core.scope import Role
from asiointi.network.models import ServicePoint

from . import selectors, services
from .models import Appointment

router = Router(tags=["scheduling"])
HELSINKI = ZoneInfo("Europe/Helsinki")
#: The days the date filters accept: a day outside them cannot be turned into an instant in Helsinki
#: (year 1, year 9999) and has no appointments anyway.
FIRST_DAY = dt.date(2000, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)

#: The staff roles that see appointments through the API (a network planner has none to see).
LIST_ROLES = (
    Role.ADVISOR,
    Role.POINT_MANAGER,
    Role.EXPERT,
    Role.AGENCY_COORDINATOR,
    Role.INTERPRETER,
)
#: Failed code look-ups that an address may make before it must wait; the wait then doubles from
#: CODE_WAIT_SECONDS with each further failure, at most CODE_WAIT_MAX_SECONDS, counted for an hour.
CODE_FREE_FAILURES = 3
CODE_WAIT_SECONDS = 2
CODE_WAIT_MAX_SECONDS = 300
CODE_SCOPE = "appointment_code"
#: How long one try may hold the address's only opening while it must wait between tries.
CODE_CLAIM_SECONDS = 10
HOUR = 3600


# --- schemas ----------------------------------------------------------------------------------


class SlotQuery(Schema):
    point: int = Field(ge=1, le=2**53, description="The service point's number (id).")
    service: list[Id] = Field(
        min_length=1, max_length=4, description="The services (their ids), of one or more agencies."
    )
    channel: str = Field(max_length=30, description="`remote_meeting` or `visiting_official`.")
    language: str = Field(max_length=5, description="The meeting's language: `fi`, `sv` or `en`.")
    interpreter: str | None = Field(
        None,
        max_length=5,
        description="An interpreter's language (e.g. `ar`, `ru`, `fse`, `fss`), when one is needed.",
    )
    from_: dt.date = Field(
        alias="from", ge=FIRST_DAY, le=LAST_DAY, description="The first day (Helsinki time), YYYY-MM-DD."
    )
    to: dt.date = Field(ge=FIRST_DAY, le=LAST_DAY, description="The last day (Helsinki time), YYYY-MM-DD.")
    limit: int = Field(20, ge=1, le=100, description="How many free times at most.")


class SlotAgencyOut(Schema):
    agency: str = Field(description="The agency's code.")
    name: str | None = Field(None, description="The expert's name: for staff only.")


class SlotBoothOut(Schema):
    id: int
    name: str


class SlotInterpreterOut(Schema):
    name: str | None = Field(None, description="The interpreter's name: for staff only.")


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    booth: SlotBoothOut | None = Field(description="The booth of a remote meeting; none for a visit.")
    experts: list[SlotAgencyOut] = Field(description="One expert of each agency.")
    interpreter: SlotInterpreterOut | None


class SlotsOut(Schema):
    slots: list[SlotOut]


class FieldErrorOut(Schema):
    field: str = Field(description="The input that is wrong: start, point, services, channel, ...")
    code: str = Field(description="A stable machine code of what is wrong, e.g. `past` or `holiday`.")
    message: str = Field(description="What is wrong, for people, in the request's language.")


class InvalidOut(ErrorBody):
    """422: ``invalid_booking`` when the input cannot be booked (``message`` is the first of
    ``errors``); ``invalid_request``, without ``errors``, when the request itself is not valid."""

    errors: list[FieldErrorOut] = Field(default_factory=list, description="What is wrong, by field.")


class SlotTakenOut(ErrorBody):
    """409: someone took the time first; the next free times."""

    next_slots: list[SlotOut]


class CustomerIn(Schema):
    name: str = Field(max_length=300)
    email: str = Field("", max_length=300)
    phone: str = Field("", max_length=60)


class BookingIn(Schema):
    start: dt.datetime = Field(description="One of the free times (ISO 8601 with its offset).")
    point: int = Field(ge=1, le=2**53)
    services: list[Id] = Field(min_length=1, max_length=4)
    channel: str = Field(max_length=30)
    language: str = Field(max_length=5)
    interpreter: str | None = Field(None, max_length=5)
    customer: CustomerIn


class RescheduleIn(Schema):
    start: dt.datetime = Field(description="The new time, one of the free times (ISO 8601 with its offset).")


class ContactQuery(Schema):
    email: str = Field("", max_length=300, description="The email address given at booking.")
    phone: str = Field("", max_length=60, description="Or the phone number given at booking.")


class PointRefOut(Schema):
    id: int
    slug: str
    name: str


class ServiceRefOut(Schema):
    id: int
    code: str
    name: str
    agency: str = Field(description="The agency's code.")


class CustomerOut(Schema):
    name: str
    email: str
    phone: str


class AppointmentOut(Schema):
    code: str = Field(description="The confirmation code: with the contact, it opens the appointment.")
    point: PointRefOut
    channel: str
    services: list[ServiceRefOut]
    language: str
    interpreter: str | None = Field(description="The interpreter's language, if one was booked.")
    start: dt.datetime
    end: dt.datetime
    state: str = Field(description="booked, confirmed, done, no_show or cancelled.")
    customer: CustomerOut | None = Field(
        None, description="The customer's contact: for the customer, and for staff who serve them."
    )


class AppointmentListQuery(Schema):
    from_: dt.date | None = Field(
        None, alias="from", ge=FIRST_DAY, le=LAST_DAY, description="From this day on (Helsinki time)."
    )
    to: dt.date | None = Field(None, ge=FIRST_DAY, le=LAST_DAY, description="Until this day (Helsinki time).")
    state: str | None = Field(None, max_length=20, description="Only appointments in this state.")


# --- helpers ----------------------------------------------------------------------------------


def _staff_caller(request: HttpRequest) -> User | None:
    """The member of staff behind a public operation's request, as the API's authentication reads
    them (a personal token, or the staff session past the second factor, with the CSRF token on an
    unsafe method); None for anyone else."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        user = account_services.api_token_use(request=request, raw=header[7:].strip())
        return user if user is not None and account_selectors.api_user(user=user) else None
    user = getattr(request, "user", None)
    if user is None or not account_selectors.api_user(user=user):
        return None
    if account_selectors.second_factor_pending(user=user):
        return None
    if request.method not in ("GET", "HEAD", "OPTIONS") and check_csrf(request) is not None:
        raise ApiError(403, "csrf_failed")
    return user  # type: ignore[return-value]


def _limit(request: HttpRequest, *, scope: str, limit: int, window: int) -> None:
    """Count one use of ``scope`` by the client's address; past ``limit`` in the window, 429 with
    Retry-After (0 turns the limit off)."""
    if limit <= 0:
        return
    if not throttle.throttle_hit(
        scope=scope, key=throttle.client_key(request), limit=limit, window_seconds=window
    ):
        seconds = max(1, math.ceil(window - throttle.clock() % window))
        raise ApiError(429, "rate_limited", headers={"Retry-After": str(seconds)})


def _invalid(error: ValidationError) -> Status[dict[str, Any]]:
    """422 with every field error of the core's ValidationError, each with its stable code."""
    errors: list[dict[str, str]] = []
    if hasattr(error, "error_dict"):
        for name, field_errors in error.error_dict.items():
            field = "appointment" if name == "__all__" else name
            errors += [
                {"field": field, "code": e.code or "invalid", "message": _text(e)} for e in field_errors
            ]
    else:
        errors = [
            {"field": "appointment", "code": e.code or "invalid", "message": _text(e)}
            for e in error.error_list
        ]
    body = error_body("invalid_booking")
    body["message"] = errors[0]["message"] if errors else body["message"]
    return Status(422, {**body, "errors": errors})


def _text(error: ValidationError) -> str:
    message = error.message % error.params if error.params else error.message
    return str(message)


def _slot_out(slot: selectors.Slot, agencies: dict[int, str]) -> dict[str, Any]:
    return {
        "start": slot.start.astimezone(HELSINKI),
        "end": slot.end.astimezone(HELSINKI),
        "booth": {"id": slot.booth.booth_id, "name": slot.booth.name} if slot.booth else None,
        "experts": [{"agency": agencies.get(e.agency_id, ""), "name": e.name or None} for e in slot.experts],
        "interpreter": {"name": slot.interpreter.name or None} if slot.interpreter else None,
    }


def _agency_codes(request: selectors.SlotRequest) -> dict[int, str]:
    return {s.agency_id: s.agency.code for s in request.services}


def _slot_request(
    *, point_id: int, service_ids: list[int], channel: str, language: str, interpreter: str | None
) -> selectors.SlotRequest:
    point = ServicePoint.objects.filter(pk=point_id).first()
    if point is None:
        raise ValidationError(
            {"point": ValidationError(error_body("point_not_found")["message"], code="unknown_point")}
        )
    return selectors.slot_request_build(
        point=point,
        service_ids=service_ids,
        channel=channel,
        language=language,
        interpreter_language=interpreter,
    )


def _appointment_out(appointment: Appointment, *, contact: bool) -> dict[str, Any]:
    return {
        "code": appointment.code,
        "point": appointment.point,
        "channel": appointment.channel,
        "services": [
            {"id": s.pk, "code": s.code, "name": s.name, "agency": s.agency.code}
            for s in appointment.services.all()
        ],
        "language": appointment.language,
        "interpreter": appointment.interpreter_language or None,
        "start": appointment.starts.astimezone(HELSINKI),
        "end": appointment.ends.astimezone(HELSINKI),
        "state": appointment.state,
        "customer": (
            {
                "name": appointment.customer_name,
                "email": appointment.customer_email,
                "phone": appointment.customer_phone,
            }
            if contact
            else None
        ),
    }


def _refresh(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_related("point")
        .prefetch_related("services__agency")
        .get(pk=appointment.pk)
    )


def _by_code(request: HttpRequest, code: str, contact: ContactQuery) -> Appointment:
    """The appointment that ``code`` and the contact open, counting the use against the address;
    422 for what cannot be a code, 404 for an unknown code or a wrong contact alike, and 429 while
    the address must wait after failed look-ups."""
    rate_limit_public(request)
    _limit(request, scope="appointment_code_use", limit=settings.BOOKING_LIMIT_PER_HOUR, window=HOUR)
    key = throttle.client_key(request)
    wait = throttle.backoff_wait(scope=CODE_SCOPE, key=key)
    if wait > 0:
        raise ApiError(429, "rate_limited", headers={"Retry-After": str(max(1, math.ceil(wait)))})
    # Once the address has failed, one try at a time: parallel guesses cannot share one opening.
    claimed = throttle.backoff_failures(scope=CODE_SCOPE, key=key) >= CODE_FREE_FAILURES - 1
    if claimed and not throttle.backoff_claim(scope=CODE_SCOPE, key=key, seconds=CODE_CLAIM_SECONDS):
        raise ApiError(429, "rate_limited", headers={"Retry-After": "1"})
    try:
        appointment = selectors.appointment_get_by_code(code=code, email=contact.email, phone=contact.phone)
    except ValidationError as error:
        raise ApiError(422, "malformed_code") from error
    finally:
        if claimed:
            throttle.backoff_release(scope=CODE_SCOPE, key=key)
    if appointment is None:
        failures = throttle.backoff_failure(scope=CODE_SCOPE, key=key, window_seconds=HOUR)
        if failures >= CODE_FREE_FAILURES:
            seconds = min(CODE_WAIT_MAX_SECONDS, CODE_WAIT_SECONDS * 2 ** (failures - CODE_FREE_FAILURES))
            throttle.backoff_wait_until(scope=CODE_SCOPE, key=key, seconds=seconds, window_seconds=HOUR)
        raise ApiError(404, "appointment_not_found")
    return appointment


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=HELSINKI)


# --- operations -------------------------------------------------------------------------------


@router.get(
    "/slots",
    response={200: SlotsOut, 422: InvalidOut, 429: ErrorBody},
    auth=None,
    url_name="slot_list",
    summary="Free times",
)
def slot_list(request: HttpRequest, query: Query[SlotQuery]) -> Any:
    """Public: anyone. The first free start times for the services at a point through a channel, in
    a language (with an interpreter), between two days, soonest first, each with the booth, one
    expert of each agency and the interpreter who would take it. The public sees the agencies; staff
    also the people's names. Limited per address (`SLOT_SEARCH_LIMIT_PER_MINUTE`)."""
    rate_limit_public(request)
    _limit(request, scope="slot_search", limit=settings.SLOT_SEARCH_LIMIT_PER_MINUTE, window=60)
    errors: dict[str, ValidationError] = {}
    if query.to < query.from_:
        errors["to"] = ValidationError(
            _("The last day must not be before the first day."), code="range_order"
        )
    elif (query.to - query.from_).days >= selectors.MAX_SEARCH_DAYS:
        errors["to"] = ValidationError(
            _("One search can cover at most %(days)s days.") % {"days": selectors.MAX_SEARCH_DAYS},
            code="range_too_long",
        )
    try:
        slot_request = _slot_request(
            point_id=query.point,
            service_ids=query.service,
            channel=query.channel,
            language=query.language,
            interpreter=query.interpreter,
        )
    except ValidationError as error:
        errors = {**error.error_dict, **errors}  # type: ignore[dict-item]
    if errors:
        return _invalid(ValidationError(errors))
    viewer = _staff_caller(request)
    slots = selectors.slot_search(
        viewer=viewer,
        request=slot_request,
        start=_day_start(query.from_),
        end=_day_start(query.to + dt.timedelta(days=1)),
        limit=query.limit,
    )
    agencies = _agency_codes(slot_request)
    return {"slots": [_slot_out(s, agencies) for s in slots]}


@router.post(
    "/appointments",
    response={201: AppointmentOut, 409: SlotTakenOut, 422: InvalidOut, **error_responses(400, 403, 429)},
    auth=None,
    url_name="appointment_book",
    summary="Book an appointment",
)
def appointment_book(request: HttpRequest, booking: BookingIn) -> Any:
    """Public: anyone; staff are recorded as the booker. Books one of the free times: the
    appointment holds its booth, one expert of each agency and the interpreter, all or none. 201 with
    the confirmation `code`; 409 `slot_taken` with `next_slots` when someone took the time first; 422
    `invalid_booking` with `errors` by field, each with a stable code. Limited per address
    (`BOOKING_LIMIT_PER_HOUR`) for callers who are not staff."""
    rate_limit_public(request)
    staff = _staff_caller(request)
    if staff is None:
        _limit(request, scope="booking", limit=settings.BOOKING_LIMIT_PER_HOUR, window=HOUR)
    try:
        slot_request = _slot_request(
            point_id=booking.point,
            service_ids=booking.services,
            channel=booking.channel,
            language=booking.language,
            interpreter=booking.interpreter,
        )
        appointment = services.appointment_book(
            request=slot_request,
            start=booking.start,
            customer=services.CustomerContact(
                name=booking.customer.name, email=booking.customer.email, phone=booking.customer.phone
            ),
            booked_by=staff,
        )
    except ValidationError as error:
        return _invalid(error)
    except services.SlotTaken as taken:
        return Status(409, _taken(taken, slot_request))
    return Status(201, _appointment_out(_refresh(appointment), contact=True))


def _taken(taken: services.SlotTaken, slot_request: selectors.SlotRequest) -> dict[str, Any]:
    agencies = _agency_codes(slot_request)
    return {
        **error_body("slot_taken"),
        "next_slots": [_slot_out(s, agencies) for s in taken.next_slots],
    }


@router.get(
    "/appointments/{code}",
    response={200: AppointmentOut, **error_responses(404, 422, 429)},
    auth=None,
    url_name="appointment_detail",
    summary="One's own appointment",
)
def appointment_detail(request: HttpRequest, code: str, contact: Query[ContactQuery]) -> Any:
    """Public: anyone with the code and the contact given at booking (`?email=` or `?phone=`). An
    unknown code and a wrong contact answer alike (404 `appointment_not_found`); failed tries slow
    the address down (429)."""
    appointment = _by_code(request, code, contact)
    return _appointment_out(appointment, contact=True)


@router.patch(
    "/appointments/{code}",
    response={200: AppointmentOut, 409: SlotTakenOut, 422: InvalidOut, **error_responses(400, 403, 404, 429)},
    auth=None,
    url_name="appointment_reschedule",
    summary="Move one's own appointment",
)
def appointment_reschedule(
    request: HttpRequest, code: str, contact: Query[ContactQuery], change: RescheduleIn
) -> Any:
    """Public: anyone with the code and the contact. Moves the appointment to another free time with
    all of its resources, or leaves it as it was (409 `slot_taken` with `next_slots`, 422
    `invalid_booking`)."""
    staff = _staff_caller(request)
    appointment = _by_code(request, code, contact)
    try:
        moved = services.appointment_reschedule(appointment=appointment, start=change.start, by=staff)
    except ValidationError as error:
        return _invalid(error)
    except services.SlotTaken as taken:
        slot_request = selectors.SlotRequest(
            point=appointment.point,
            services=tuple(appointment.services.all()),
            channel=appointment.channel,
            language=appointment.language,
            interpreter_language=appointment.interpreter_language,
        )
        return Status(409, _taken(taken, slot_request))
    return _appointment_out(_refresh(moved), contact=True)


@router.delete(
    "/appointments/{code}",
    response={200: AppointmentOut, 422: InvalidOut, **error_responses(403, 404, 429)},
    auth=None,
    url_name="appointment_cancel",
    summary="Cancel one's own appointment",
)
def appointment_cancel(request: HttpRequest, code: str, contact: Query[ContactQuery]) -> Any:
    """Public: anyone with the code and the contact. Cancels the appointment and frees its time;
    answers the cancelled appointment."""
    staff = _staff_caller(request)
    appointment = _by_code(request, code, contact)
    try:
        cancelled = services.appointment_cancel(appointment=appointment, by=staff)
    except ValidationError as error:
        return _invalid(error)
    return _appointment_out(_refresh(cancelled), contact=True)


@router.get(
    "/appointments",
    response={200: Page[AppointmentOut], **error_responses(401, 403, 422)},
    url_name="appointment_list",
    summary="Appointments (staff)",
)
def appointment_list(
    request: HttpRequest, filters: Query[AppointmentListQuery], page: Query[PageParams]
) -> Any:
    """Staff: an advisor and a point manager their points' appointments, an agency coordinator their
    agency's, an expert and an interpreter those they are booked in, an administrator all; a network
    planner none (403). By time, a page at a time. The customer's contact is shown to those who serve
    the customer (the point's advisors and managers, the experts booked), and each appointment whose
    contact was shown is recorded in the personal-data audit."""
    user: User = request.auth  # type: ignore[attr-defined]
    scope = account_selectors.user_scope(user=user)
    if not (scope.is_administrator or scope.has_role(*LIST_ROLES)):
        raise ApiError(403, "forbidden")
    rows: QuerySet[Appointment] = selectors.appointments_visible(viewer=user)
    if filters.from_ is not None:
        rows = rows.filter(starts__gte=_day_start(filters.from_))
    if filters.to is not None:
        rows = rows.filter(starts__lt=_day_start(filters.to + dt.timedelta(days=1)))
    if filters.state:
        rows = rows.filter(Q(state=filters.state))
    rows = rows.select_related("point").prefetch_related("services__agency").order_by("starts", "pk")
    found = paginate(rows, page)
    shown = selectors.appointments_with_contact(viewer=user, appointments=found["items"])
    for appointment in found["items"]:
        if appointment.pk in shown and not appointment.anonymised_at:
            account_services.audit_record(
                action=AuditAction.PERSONAL_DATA_VIEWED,
                request=request,
                actor=user,
                target=appointment,
                summary="Read through the API's appointment list; fields shown: customer's name, email, phone",
            )
    found["items"] = [_appointment_out(a, contact=a.pk in shown) for a in found["items"]]
    return found
