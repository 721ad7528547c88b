"""Writes of the scheduling app: booking, moving, cancelling and closing appointments; people's
availability. Each is one transaction; mail and events go out after it commits.

Never double-booked: a booking looks for the slot's resources, then in one write transaction checks
that none of them is held at that time and inserts the appointment with all of its reservations. On
SQLite the transaction takes the write lock at BEGIN (IMMEDIATE), so the check and the insert of two
bookings never interleave; on PostgreSQL the exclusion constraint ``reservation_no_overlap`` refuses the
second of two bookings that pass the check at once. Either way the loser's transaction is rolled back
whole (an appointment holds all of its resources or none) and it tries another free set of resources for
the same time, or answers :class:`SlotTaken` with the next free times."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asiointi.accounts.models import Membership, User
from asiointi.core.events import event_publish
from asiointi.core.scope import Role

from .models import (
    ACTIVE_STATES,
    Absence,
    Appointment,
    AppointmentChange,
    AppointmentState,
    BookedBy,
    ChangeKind,
    Expert,
    Interpreter,
    Reservation,
    ReservationRole,
    Resource,
    ResourceKind,
    WorkingHours,
)
from .notifications import appointment_notify, people_booked
from .selectors import (
    CODE_ALPHABET,
    CODE_LENGTH,
    Slot,
    SlotRequest,
    earliest_start,
    slot_at,
    slot_search,
    slot_unavailable_reason,
)

logger = logging.getLogger(__name__)

#: The exclusion constraint's name (PostgreSQL), as in migration 0002.
OVERLAP_CONSTRAINT = "reservation_no_overlap"
#: How many other sets of resources a booking tries for the same time when its first choice is taken.
BOOKING_ATTEMPTS = 4


class SlotTaken(Exception):
    """Someone else took the time (or the resources free at it) first. ``next_slots`` are the next
    free times after it: searched when a caller first asks for them (after the booking's transaction,
    and not at all by a caller that does not show them), then kept."""

    def __init__(self, next_slots: list[Slot] | Callable[[], list[Slot]]) -> None:
        super().__init__("slot_taken")
        self._next_slots = next_slots

    @property
    def next_slots(self) -> list[Slot]:
        if callable(self._next_slots):
            self._next_slots = self._next_slots()
        return self._next_slots

    @property
    def message(self) -> str:
        return _("Someone else booked that time a moment ago. Choose one of the next free times.")


class _Conflict(Exception):
    pass


@dataclass(frozen=True)
class CustomerContact:
    """The least a booking needs: a name, and an email address or a phone number (or both)."""

    name: str
    email: str = ""
    phone: str = ""


def appointment_group(*, point_id: int) -> str:
    """The Channels group of a point's calendar views."""
    return f"scheduling.point.{point_id}"


def _code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _check_contact(customer: CustomerContact) -> CustomerContact:
    from django.core.validators import validate_email

    from .models import phone_validator

    errors: dict[str, ValidationError] = {}
    name = " ".join((customer.name or "").split())
    email = (customer.email or "").strip()
    phone = " ".join((customer.phone or "").split())
    if not name:
        errors["name"] = ValidationError(_("Give your name."), code="required")
    elif len(name) > 200:
        errors["name"] = ValidationError(_("The name can be at most 200 characters long."), code="too_long")
    if not email and not phone:
        errors["email"] = ValidationError(
            _("Give an email address or a phone number, so that we can tell you of changes."),
            code="no_contact",
        )
    if email:
        try:
            if len(email) > 254:
                raise ValidationError("", code="invalid")
            validate_email(email)
        except ValidationError:
            errors["email"] = ValidationError(_("Enter a valid email address."), code="invalid_email")
    if phone:
        try:
            phone_validator(phone)
        except ValidationError:
            errors["phone"] = ValidationError(
                _("Enter a phone number of digits, such as 040 123 4567 or +358 40 123 4567."),
                code="invalid_phone",
            )
    if errors:
        raise ValidationError(errors)
    return CustomerContact(name=name, email=email, phone=phone)


def _check_start(*, request: SlotRequest, start: dt.datetime, viewer: User | None, now: dt.datetime) -> None:
    if timezone.is_naive(start):
        raise ValidationError(
            {"start": ValidationError(_("Give the time with its time zone."), code="naive_time")}
        )
    if start < now:
        raise ValidationError(
            {"start": ValidationError(_("That time has passed. Choose a later time."), code="past")}
        )
    if start < earliest_start(viewer=viewer, now=now):
        hours = settings.SCHEDULING_MIN_NOTICE_MINUTES / 60
        raise ValidationError(
            {
                "start": ValidationError(
                    _(
                        "That time is too near. Book at least %(hours)s hours ahead, or call the service point."
                    )
                    % {"hours": f"{hours:g}"},
                    code="too_soon",
                )
            }
        )
    if start > now + dt.timedelta(days=settings.SCHEDULING_HORIZON_DAYS):
        raise ValidationError(
            {
                "start": ValidationError(
                    _("Appointments can be booked at most %(days)s days ahead.")
                    % {"days": settings.SCHEDULING_HORIZON_DAYS},
                    code="too_far",
                )
            }
        )
    step = settings.SCHEDULING_SLOT_STEP_MINUTES
    if start.second or start.microsecond or (start.astimezone(dt.UTC).minute % step):
        raise ValidationError(
            {
                "start": ValidationError(
                    _("Appointments start every %(step)s minutes. Choose one of the times offered.")
                    % {"step": step},
                    code="off_grid",
                )
            }
        )
    reason = slot_unavailable_reason(request=request, start=start)
    if reason is not None:
        raise ValidationError({"start": reason})


def _next_slots(
    *, request: SlotRequest, start: dt.datetime, viewer: User | None, now: dt.datetime
) -> list[Slot]:
    return slot_search(
        viewer=viewer, request=request, start=start, end=start + dt.timedelta(days=14), limit=5, now=now
    )


def _slot_at(
    *,
    request: SlotRequest,
    start: dt.datetime,
    viewer: User | None,
    now: dt.datetime,
    ignore_appointment_id: int | None = None,
    exclude: frozenset[int] = frozenset(),
) -> Slot | None:
    """The resources free at ``start`` (a targeted check of that time, not a search)."""
    return slot_at(
        viewer=viewer,
        request=request,
        start=start,
        ignore_appointment_id=ignore_appointment_id,
        exclude_resource_ids=exclude,
    )


def _resource_ids(slot: Slot) -> list[tuple[int, str]]:
    """The slot's resources as (resource id, role), making the resource of a booth never booked before."""
    held: list[tuple[int, str]] = []
    if slot.booth is not None:
        resource_id = slot.booth.resource_id
        if resource_id < 0:
            resource, _created = Resource.objects.get_or_create(
                booth_id=slot.booth.booth_id, defaults={"kind": ResourceKind.BOOTH}
            )
            resource_id = resource.pk
        held.append((resource_id, ReservationRole.BOOTH))
    held += [(e.resource_id, ReservationRole.EXPERT) for e in slot.experts]
    if slot.interpreter is not None:
        held.append((slot.interpreter.resource_id, ReservationRole.INTERPRETER))
    return held


def _hold(*, appointment: Appointment, slot: Slot, now: dt.datetime) -> None:
    """Reserve the slot's resources for ``appointment`` inside the current transaction, or raise
    :class:`_Conflict` when one of them is held at that time.

    On PostgreSQL the exclusion constraint decides between reservations, at the insert (IntegrityError):
    no check before it, which could only say what the constraint says a round trip earlier. Absences
    (a call now holds its booth with one) are not under the constraint, so they are checked after the
    insert: the insert's foreign keys take a key-share lock on the resources' rows, which a writer of a
    hold (``SELECT … FOR UPDATE`` on the resource, then its own check of the reservations) waits for or
    makes this insert wait for, so one of the two always sees the other. On SQLite both checks run
    here, inside the write transaction that holds the database's lock."""
    holds_until = slot.end + dt.timedelta(minutes=settings.SCHEDULING_BUFFER_MINUTES)
    held = _resource_ids(slot)
    ids = [rid for rid, _role in held]
    if connection.vendor != "postgresql":
        # One query for both: a reservation or an absence of one of the resources at that time.
        clash = Reservation.objects.filter(
            resource_id__in=ids, active=True, starts__lt=holds_until, holds_until__gt=slot.start
        ).exclude(appointment=appointment)
        absent = Absence.objects.filter(resource_id__in=ids, starts__lt=slot.end, ends__gt=slot.start)
        if Resource.objects.filter(Q(pk=ids[0]), Q(Exists(clash)) | Q(Exists(absent))).exists():
            raise _Conflict
    Reservation.objects.bulk_create(
        [
            Reservation(
                appointment=appointment,
                resource_id=rid,
                role=role,
                starts=slot.start,
                ends=slot.end,
                holds_until=holds_until,
            )
            for rid, role in held
        ]
    )
    if connection.vendor == "postgresql" and (
        Absence.objects.filter(resource_id__in=ids, starts__lt=slot.end, ends__gt=slot.start).exists()
    ):
        raise _Conflict


def _is_overlap(exc: IntegrityError) -> bool:
    return OVERLAP_CONSTRAINT in str(exc)


def _published(appointment: Appointment, kind: str) -> None:
    event_publish(
        group=appointment_group(point_id=appointment.point_id),
        payload={"type": "appointment.changed", "appointment": appointment.pk, "change": kind},
    )


def appointment_book(
    *,
    request: SlotRequest,
    start: dt.datetime,
    customer: CustomerContact,
    booked_by: User | None = None,
    now: dt.datetime | None = None,
    notify: bool = True,
) -> Appointment:
    """Book ``request`` at ``start`` for ``customer``: the appointment and a reservation of each of its
    resources (a booth for a remote meeting, one expert per agency, the interpreter), all or none.

    ``booked_by`` is the staff member who books (an advisor at the desk), or None for the customer
    themself. Raises ValidationError (by field, translated, with stable codes) for bad input or a time
    that can never be booked (past, too near, too far, off the grid, the point closed, no visiting
    official), and :class:`SlotTaken` with the next free times when the time is taken. ``notify=False``
    sends no mail (the demo data's past appointments)."""
    now = now or timezone.now()
    viewer = booked_by
    customer = _check_contact(customer)
    _check_start(request=request, start=start, viewer=viewer, now=now)
    exclude: set[int] = set()
    for _attempt in range(BOOKING_ATTEMPTS):
        slot = _slot_at(request=request, start=start, viewer=viewer, now=now, exclude=frozenset(exclude))
        if slot is None:
            break
        try:
            with transaction.atomic():
                appointment = _appointment_insert(
                    request=request, slot=slot, customer=customer, booked_by=booked_by, now=now, notify=notify
                )
            return appointment
        except _Conflict:
            pass
        except IntegrityError as exc:
            if not _is_overlap(exc) and "code" not in str(exc):
                raise
        # Someone took one of these resources meanwhile: try the next free set for the same time.
        exclude.update(slot.resource_ids)
    raise SlotTaken(partial(_next_slots, request=request, start=start, viewer=viewer, now=now))


def _appointment_insert(
    *,
    request: SlotRequest,
    slot: Slot,
    customer: CustomerContact,
    booked_by: User | None,
    now: dt.datetime,
    notify: bool,
) -> Appointment:
    appointment = Appointment.objects.create(
        code=_code(),
        point=request.point,
        channel=request.channel,
        language=request.language,
        interpreter_language=request.interpreter_language,
        starts=slot.start,
        ends=slot.end,
        customer_name=customer.name,
        customer_email=customer.email,
        customer_phone=customer.phone,
        booked_by_kind=BookedBy.STAFF if booked_by else BookedBy.RESIDENT,
        booked_by=booked_by,
    )
    Appointment.services.through.objects.bulk_create(
        [
            Appointment.services.through(appointment=appointment, service=service)
            for service in request.services
        ]
    )
    _hold(appointment=appointment, slot=slot, now=now)
    AppointmentChange.objects.create(
        appointment=appointment,
        kind=ChangeKind.BOOKED,
        by=booked_by,
        by_customer=booked_by is None,
        starts_after=slot.start,
    )
    if notify:
        appointment_notify(appointment=appointment, kind="booked")
    _published(appointment, "booked")
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().get(pk=appointment.pk)


def _refuse_inactive(appointment: Appointment) -> None:
    if appointment.state not in ACTIVE_STATES:
        raise ValidationError(
            _("This appointment is %(state)s and can no longer be changed.")
            % {"state": appointment.get_state_display()},
            code="not_active",
        )


def _release(appointment: Appointment, now: dt.datetime) -> None:
    appointment.reservations.filter(active=True).update(active=False, released_at=now)


def appointment_cancel(
    *, appointment: Appointment, by: User | None = None, now: dt.datetime | None = None, notify: bool = True
) -> Appointment:
    """Cancel ``appointment`` (by the customer when ``by`` is None, else by that staff member): its
    resources are free at once, and the customer and the people booked are told (METHOD:CANCEL).
    A customer can cancel until the start; staff also afterwards (a meeting that did not take place)."""
    now = now or timezone.now()
    with transaction.atomic():
        current = _locked(appointment)
        _refuse_inactive(current)
        if by is None and current.starts <= now:
            raise ValidationError(
                _(
                    "The appointment has begun, so it can no longer be cancelled here. Call the service point."
                ),
                code="started",
            )
        removed = people_booked(current)
        _release(current, now)
        current.state = AppointmentState.CANCELLED
        current.sequence += 1
        current.save(update_fields=["state", "sequence"])
        AppointmentChange.objects.create(
            appointment=current,
            kind=ChangeKind.CANCELLED,
            by=by,
            by_customer=by is None,
            starts_before=current.starts,
        )
        if notify:
            appointment_notify(appointment=current, kind="cancelled", removed=sorted(removed))
        _published(current, "cancelled")
    return current


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: dt.datetime,
    by: User | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move ``appointment`` to ``start`` with the same services, language and interpreter; all of its
    resources move or none. The old reservations stay, released, as its history. Raises ValidationError
    as :func:`appointment_book` does, and :class:`SlotTaken` when the new time is taken (the appointment
    then keeps its old time)."""
    now = now or timezone.now()
    _refuse_inactive(appointment)
    if by is None and appointment.starts <= now:
        raise ValidationError(
            _("The appointment has begun, so it can no longer be moved here. Call the service point."),
            code="started",
        )
    request = SlotRequest(
        point=appointment.point,
        services=tuple(appointment.services.all()),
        channel=appointment.channel,
        language=appointment.language,
        interpreter_language=appointment.interpreter_language,
    )
    _check_start(request=request, start=start, viewer=by, now=now)
    exclude: set[int] = set()
    for _attempt in range(BOOKING_ATTEMPTS):
        slot = _slot_at(
            request=request,
            start=start,
            viewer=by,
            now=now,
            ignore_appointment_id=appointment.pk,
            exclude=frozenset(exclude),
        )
        if slot is None:
            break
        try:
            with transaction.atomic():
                current = _locked(appointment)
                _refuse_inactive(current)
                before = current.starts
                people_before = people_booked(current)
                _release(current, now)
                _hold(appointment=current, slot=slot, now=now)
                current.starts, current.ends = slot.start, slot.end
                current.sequence += 1
                current.reminder_sent_at = None
                current.save(update_fields=["starts", "ends", "sequence", "reminder_sent_at"])
                AppointmentChange.objects.create(
                    appointment=current,
                    kind=ChangeKind.RESCHEDULED,
                    by=by,
                    by_customer=by is None,
                    starts_before=before,
                    starts_after=slot.start,
                )
                appointment_notify(
                    appointment=current,
                    kind="changed",
                    removed=sorted(people_before - people_booked(current)),
                )
                _published(current, "rescheduled")
            return current
        except _Conflict:
            pass
        except IntegrityError as exc:
            if not _is_overlap(exc):
                raise
        exclude.update(slot.resource_ids)
    raise SlotTaken(partial(_next_slots, request=request, start=start, viewer=by, now=now))


_CLOSING = {
    AppointmentState.CONFIRMED: ChangeKind.CONFIRMED,
    AppointmentState.DONE: ChangeKind.DONE,
    AppointmentState.NO_SHOW: ChangeKind.NO_SHOW,
}


def appointment_state_set(
    *, appointment: Appointment, state: str, by: User | None, now: dt.datetime | None = None
) -> Appointment:
    """Staff mark an appointment confirmed, done or a no-show (``by`` None: the system, such as the end
    of its video meeting). Done and no-show release its resources (what is left of the time is free
    again) and can be set only once the appointment has begun."""
    now = now or timezone.now()
    if state not in _CLOSING:
        raise ValidationError(_("Choose confirmed, done or did not come."), code="unknown_state")
    with transaction.atomic():
        current = _locked(appointment)
        _refuse_inactive(current)
        if state in (AppointmentState.DONE, AppointmentState.NO_SHOW):
            if current.starts > now:
                raise ValidationError(
                    _(
                        "The appointment has not begun yet: it can be marked done or missed once it has begun."
                    ),
                    code="not_started",
                )
            _release(current, now)
        current.state = state
        current.save(update_fields=["state"])
        AppointmentChange.objects.create(appointment=current, kind=_CLOSING[AppointmentState(state)], by=by)
        _published(current, state)
    return current


def appointment_reminder_mark_sent(*, appointment_id: int, now: dt.datetime | None = None) -> bool:
    """Mark the reminder of an appointment sent, once: True if this call marked it (the caller then
    sends it), False if it was sent already or the appointment is no longer active."""
    now = now or timezone.now()
    with transaction.atomic():
        updated = Appointment.objects.filter(
            pk=appointment_id, reminder_sent_at__isnull=True, state__in=ACTIVE_STATES
        ).update(reminder_sent_at=now)
    return updated == 1


def appointment_anonymise_expired(*, ended_before: dt.datetime) -> int:
    """Remove the customer's name and contact from appointments that ended before ``ended_before``
    (the retention rule). Idempotent. Returns how many were anonymised."""
    with transaction.atomic():
        return Appointment.objects.filter(ends__lt=ended_before, anonymised_at__isnull=True).update(
            customer_name="", customer_email="", customer_phone="", anonymised_at=timezone.now()
        )


# --- availability ------------------------------------------------------------------------------


def working_hours_replace(
    *, resource: Resource, rules: Sequence[tuple[int, dt.time, dt.time]]
) -> list[WorkingHours]:
    """Replace a person's weekly working hours with ``rules`` (weekday 0–6, starts, ends), all at once.
    Raises ValidationError for a rule that ends before it starts or two rules of a day that overlap."""
    errors = []
    by_day: dict[int, list[tuple[dt.time, dt.time]]] = {}
    for weekday, starts, ends in rules:
        if not 0 <= weekday <= 6:
            errors.append(ValidationError(_("Unknown weekday."), code="weekday"))
            continue
        if starts >= ends:
            errors.append(ValidationError(_("The working hours must end after they start."), code="order"))
            continue
        by_day.setdefault(weekday, []).append((starts, ends))
    for day_rules in by_day.values():
        day_rules.sort()
        for (_s1, e1), (s2, _e2) in pairwise(day_rules):
            if s2 < e1:
                errors.append(
                    ValidationError(_("Two working hours of the same day overlap."), code="overlap")
                )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        WorkingHours.objects.filter(
            resource=resource, valid_from__isnull=True, valid_to__isnull=True
        ).delete()
        return WorkingHours.objects.bulk_create(
            [WorkingHours(resource=resource, weekday=w, starts=s, ends=e) for w, s, e in rules]
        )


def absence_add(
    *, resource: Resource, starts: dt.datetime, ends: dt.datetime, reason: str = ""
) -> tuple[Absence, list[Appointment]]:
    """Add an absence; returns it with the active appointments it overlaps (which stay booked: staff
    move them, and the page says which)."""
    if timezone.is_naive(starts) or timezone.is_naive(ends):
        raise ValidationError(_("Give the times with their time zone."), code="naive_time")
    if starts >= ends:
        raise ValidationError(_("The absence must end after it starts."), code="order")
    with transaction.atomic():
        absence = Absence.objects.create(
            resource=resource, starts=starts, ends=ends, reason=" ".join(reason.split())
        )
        clashes = list(
            Appointment.objects.filter(
                Q(reservations__resource=resource, reservations__active=True),
                reservations__starts__lt=ends,
                reservations__ends__gt=starts,
            ).distinct()
        )
    return absence, clashes


def absence_delete(*, absence: Absence) -> None:
    with transaction.atomic():
        Absence.objects.filter(pk=absence.pk).delete()


def feed_token_issue(*, resource: Resource) -> str:
    """A new secret for the resource's private calendar feed; the old address stops working."""
    import hashlib

    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        resource.feed_token_hash = hashlib.sha256(token.encode()).hexdigest()
        resource.save(update_fields=["feed_token_hash"])
    return token


def feed_token_revoke(*, resource: Resource) -> None:
    with transaction.atomic():
        resource.feed_token_hash = ""  # nosec B105 (no secret: the feed is switched off)
        resource.save(update_fields=["feed_token_hash"])


# --- people -----------------------------------------------------------------------------------


def _check_languages(languages: Sequence[str], allowed: Sequence[str]) -> list[str]:
    cleaned = list(dict.fromkeys(languages))
    if not cleaned:
        raise ValidationError(
            {"languages": ValidationError(_("Choose at least one language."), code="required")}
        )
    unknown = [code for code in cleaned if code not in allowed]
    if unknown:
        raise ValidationError(
            {
                "languages": ValidationError(
                    _("Unknown language: %(code)s.") % {"code": unknown[0]}, code="unknown"
                )
            }
        )
    return cleaned


def expert_create(
    *, user: User, agency_id: int, service_ids: Sequence[int], languages: Sequence[str]
) -> Expert:
    """Make ``user`` a bookable expert of the agency, for the services given (the agency's own), in the
    languages given. The user must hold an expert membership at the agency."""
    from asiointi.catalogue.models import Service

    from .languages import MeetingLanguage

    if not Membership.objects.filter(user=user, role=Role.EXPERT, agency_id=agency_id).exists():
        raise ValidationError(
            _("Only a user with an expert's role at this agency can be its expert."), code="no_role"
        )
    cleaned = _check_languages(languages, MeetingLanguage.values)
    services = list(Service.objects.filter(pk__in=service_ids, agency_id=agency_id))
    if len(services) != len(set(service_ids)):
        raise ValidationError(
            {
                "services": ValidationError(
                    _("Choose services of the expert's own agency."), code="other_agency"
                )
            }
        )
    with transaction.atomic():
        resource = Resource.objects.create(kind=ResourceKind.EXPERT)
        expert = Expert.objects.create(resource=resource, user=user, agency_id=agency_id, languages=cleaned)
        expert.services.set(services)
    return expert


def interpreter_create(*, user: User, languages: Sequence[str]) -> Interpreter:
    """Make ``user`` a bookable interpreter for ``languages`` (those interpreted and the meeting
    languages they work with). The user must hold the interpreter's role."""
    from .languages import InterpreterLanguage

    if not Membership.objects.filter(user=user, role=Role.INTERPRETER).exists():
        raise ValidationError(
            _("Only a user with the interpreter's role can be an interpreter."), code="no_role"
        )
    cleaned = _check_languages(languages, InterpreterLanguage.values)
    with transaction.atomic():
        resource = Resource.objects.create(kind=ResourceKind.INTERPRETER)
        return Interpreter.objects.create(resource=resource, user=user, languages=cleaned)


def booth_resource_get(*, booth_id: int) -> Resource:
    """The bookable resource of a booth (made the first time it is asked for)."""
    with transaction.atomic():
        resource, _created = Resource.objects.get_or_create(
            booth_id=booth_id, defaults={"kind": ResourceKind.BOOTH}
        )
    return resource
