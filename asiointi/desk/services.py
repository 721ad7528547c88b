"""Writes of the desk: a walk-in transaction recorded and undone (through the ledger), callback
requests filed, claimed, tried and closed, and the call-now queue (queued, accepted, cancelled,
expired). Live events go out after commit
(:func:`asiointi.core.events.event_publish`), scoped to the point's desk and to the agency's queue,
and carry no personal data: a browser that hears one reloads its panel through the scoped views."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from asiointi.accounts.models import User
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.core.events import event_publish
from asiointi.ledger.models import AstiType, Transaction, TransactionSource
from asiointi.ledger.services import LANGUAGE_CODES, transaction_record, transaction_reverse
from asiointi.meetings.models import Participant, ParticipantKind, RoomState
from asiointi.meetings.services import participant_add, room_create
from asiointi.network.models import Agency, Booth, ServicePoint
from asiointi.network.selectors import HELSINKI, finnish_holiday
from asiointi.scheduling.languages import InterpreterLanguage
from asiointi.scheduling.models import Absence, Reservation, Resource
from asiointi.scheduling.services import absence_add, absence_delete, booth_resource_get

from .models import (
    CALL_NOW_ACTIVE,
    CallbackAttempt,
    CallbackOutcome,
    CallbackRequest,
    CallbackState,
    CallNowRequest,
    CallNowStatus,
)

#: How long after recording the advisor may undo a transaction at the desk.
UNDO_WINDOW = dt.timedelta(minutes=5)


def desk_group(point_id: int) -> str:
    """The Channels group of a point's desk (its counts and its callback requests)."""
    return f"desk.point.{int(point_id)}"


def callback_group(agency_id: int) -> str:
    """The Channels group of an agency's callback queue."""
    return f"desk.agency.{int(agency_id)}"


def _desk_changed(point_id: int) -> None:
    event_publish(group=desk_group(point_id), payload={"kind": "counts"})


def _callbacks_changed(request: CallbackRequest) -> None:
    payload = {"kind": "callbacks", "id": request.pk}
    event_publish(group=callback_group(request.agency_id), payload=payload)
    event_publish(group=desk_group(request.point_id), payload=payload)


# --- transactions at the desk ------------------------------------------------------------------


def desk_transaction_record(
    *,
    point: ServicePoint,
    agency: Agency,
    asti_type: str,
    channel: str,
    duration_seconds: int,
    language: str,
    service: Service | None = None,
    with_interpreter: bool = False,
    now: dt.datetime | None = None,
) -> Transaction:
    """Record a walk-in customer's transaction at ``point``, now, through the ledger. Raises the
    ledger's ValidationError (nothing written) on bad input: a service of another agency, a duration
    below zero or over 12 hours, an unknown type, channel or language.

    The ledger's own transaction is the only one (no savepoint inside another: two round trips
    fewer on the advisor's hot path); the desk's live event follows its commit, or the caller's
    commit when the caller holds a transaction."""
    now = now or timezone.now()
    row = transaction_record(
        point=point,
        agency=agency,
        service=service,
        asti_type=asti_type,
        channel=channel,
        occurred_at=now,
        duration_seconds=duration_seconds,
        language=language,
        with_interpreter=with_interpreter,
        source=TransactionSource.DESK,
    )
    _desk_changed(point.pk)
    return row


def desk_transaction_undo(
    *, point: ServicePoint, transaction_id: int, now: dt.datetime | None = None
) -> Transaction:
    """Undo a transaction recorded at ``point``'s desk within :data:`UNDO_WINDOW`: the ledger appends
    a reversing entry (nothing is edited). Raises ValidationError and writes nothing for another
    point's transaction, one not recorded at a desk, one older than the window, or one undone already."""
    now = now or timezone.now()
    with transaction.atomic():
        original = Transaction.objects.select_for_update().filter(pk=transaction_id).first()
        if original is None or original.reverses_id is not None:
            raise ValidationError({"transaction": _("There is no such transaction to undo.")})
        if original.point_id != point.pk:
            raise ValidationError(
                {
                    "transaction": _(
                        "The transaction was recorded at another service point: it cannot be undone here."
                    )
                }
            )
        if original.source != TransactionSource.DESK:
            raise ValidationError(
                {"transaction": _("Only a transaction recorded at the desk can be undone at the desk.")}
            )
        if original.recorded_at < now - UNDO_WINDOW:
            raise ValidationError(
                {"transaction": _("A transaction can be undone only within five minutes of recording it.")}
            )
        reversal = transaction_reverse(transaction=original)
        _desk_changed(point.pk)
    return reversal


# --- callback requests ---------------------------------------------------------------------------


def working_days_after(day: dt.date, working_days: int) -> dt.date:
    """The ``working_days``-th working day after ``day``: weekends and Finnish public holidays
    (Midsummer Eve and Christmas Eve among them, as in the points' opening hours) do not count."""
    counted = 0
    current = day
    while counted < working_days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and finnish_holiday(current) is None:
            counted += 1
    return current


def callback_working_days(agency: Agency) -> int:
    """The agency's deadline for callbacks, in working days (settings.CALLBACK_DEADLINE_WORKING_DAYS
    by agency code, else its ``"default"``)."""
    days = settings.CALLBACK_DEADLINE_WORKING_DAYS
    return int(days.get(agency.code, days.get("default", 2)))


def callback_due_on(*, agency: Agency, filed_at: dt.datetime) -> dt.date:
    """The last day on which the agency should call back a request filed at ``filed_at``."""
    return working_days_after(filed_at.astimezone(HELSINKI).date(), callback_working_days(agency))


@dataclass(frozen=True)
class CallbackData:
    point: ServicePoint
    agency: Agency
    customer_name: str
    customer_phone: str
    language: str
    topic: str
    consent: bool
    preferred_times: str = ""
    service: Service | None = None


def _callback_errors(data: CallbackData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.consent:
        errors["consent"] = _(
            "Ask the customer whether their name and phone number may be stored for the callback, "
            "and tick the box when they agree. Without consent no request is filed."
        )
    if not data.customer_name.strip():
        errors["customer_name"] = _("Give the customer's name.")
    if not data.customer_phone.strip():
        errors["customer_phone"] = _("Give the customer's phone number, so that the expert can call back.")
    if not data.topic.strip():
        errors["topic"] = _("Say briefly what the customer needs.")
    if data.language not in LANGUAGE_CODES:
        errors["language"] = _("Unknown language: %(value)s.") % {"value": data.language}
    if data.service is not None and data.service.agency_id != data.agency.pk:
        errors["service"] = _("The service belongs to another agency.")
    return errors


def callback_file(*, data: CallbackData, by: User | None, now: dt.datetime | None = None) -> CallbackRequest:
    """File a callback request for ``data.agency`` with the customer's recorded consent; its deadline
    is the agency's number of working days ahead. Raises ValidationError (nothing written) without
    consent, without a phone number, or for a service of another agency."""
    if errors := _callback_errors(data):
        raise ValidationError(errors)
    now = now or timezone.now()
    request = CallbackRequest(
        point=data.point,
        agency=data.agency,
        service=data.service,
        customer_name=data.customer_name.strip(),
        customer_phone=data.customer_phone.strip(),
        language=data.language,
        topic=data.topic.strip(),
        preferred_times=data.preferred_times.strip(),
        consent_at=now,
        filed_by=by,
        due_on=callback_due_on(agency=data.agency, filed_at=now),
    )
    request.full_clean(exclude=["filed_by", "point", "agency", "service", "transaction"])
    with transaction.atomic():
        request.save(force_insert=True)
        _callbacks_changed(request)
    return request


def _locked(request: CallbackRequest) -> CallbackRequest:
    return CallbackRequest.objects.select_for_update().get(pk=request.pk)


def _closed_error() -> ValidationError:
    return ValidationError({"state": _("The callback request has been closed already.")})


def callback_claim(*, request: CallbackRequest, by: User) -> CallbackRequest:
    """``by`` takes the request to handle. Refused (ValidationError, nothing changes) when it is
    closed or another expert has taken it."""
    with transaction.atomic():
        row = _locked(request)
        if row.state == CallbackState.CLOSED:
            raise _closed_error()
        if row.state == CallbackState.CLAIMED and row.claimed_by_id != by.pk:
            raise ValidationError({"state": _("Another expert is handling this callback request already.")})
        if row.state == CallbackState.OPEN:
            row.state = CallbackState.CLAIMED
            row.claimed_by = by
            row.claimed_at = timezone.now()
            row.save(update_fields=["state", "claimed_by", "claimed_at"])
            _callbacks_changed(row)
    return row


def _claimed_by(row: CallbackRequest, by: User) -> None:
    if row.state == CallbackState.CLOSED:
        raise _closed_error()
    if row.state == CallbackState.OPEN:
        row.state = CallbackState.CLAIMED
        row.claimed_by = by
        row.claimed_at = timezone.now()
        row.save(update_fields=["state", "claimed_by", "claimed_at"])
    elif row.claimed_by_id != by.pk:
        raise ValidationError({"state": _("Another expert is handling this callback request already.")})


def callback_attempt_log(*, request: CallbackRequest, by: User, note: str = "") -> CallbackAttempt:
    """Log a try to reach the customer (claiming the request if no one has). Refused when the
    request is closed or handled by another expert."""
    with transaction.atomic():
        row = _locked(request)
        _claimed_by(row, by)
        attempt = CallbackAttempt(request=row, made_by=by, note=note.strip())
        attempt.full_clean(exclude=["request", "made_by"])
        attempt.save(force_insert=True)
        _callbacks_changed(row)
    return attempt


def callback_close(
    *, request: CallbackRequest, by: User, outcome: str, duration_seconds: int = 0
) -> CallbackRequest:
    """Close the request: the customer was reached, or was not reached after
    ``settings.CALLBACK_MAX_ATTEMPTS`` logged attempts. The closure records one transaction in the
    ledger (a callback of the request's agency at its point; counted once, whatever retries)."""
    if outcome not in CallbackOutcome.values:
        raise ValidationError({"outcome": _("Choose whether the customer was reached or not.")})
    with transaction.atomic():
        row = _locked(request)
        _claimed_by(row, by)
        needed = settings.CALLBACK_MAX_ATTEMPTS
        if outcome == CallbackOutcome.NOT_REACHED and row.attempts.count() < needed:
            raise ValidationError(
                {
                    "outcome": ngettext(
                        "Try to call at least %(count)s time before closing the request as not reached.",
                        "Try to call at least %(count)s times before closing the request as not reached.",
                        needed,
                    )
                    % {"count": needed}
                }
            )
        now = timezone.now()
        row.transaction = transaction_record(
            point=row.point,
            agency=row.agency,
            service=row.service,
            asti_type=AstiType.REMOTE_GUIDANCE,
            channel=Channel.CALLBACK,
            occurred_at=now,
            duration_seconds=duration_seconds,
            language=row.language,
            source=TransactionSource.CALLBACK,
            origin=f"callback:{row.pk}",
        )
        row.state = CallbackState.CLOSED
        row.outcome = outcome
        row.closed_at = now
        row.save(update_fields=["state", "outcome", "closed_at", "transaction"])
        _callbacks_changed(row)
        _desk_changed(row.point_id)
    return row


def callback_anonymise_expired(*, before: dt.datetime) -> int:
    """Remove the customer's name, phone and preferred times from callback requests closed before
    ``before``, and from open ones filed before it (the retention rule). Idempotent."""
    with transaction.atomic():
        return (
            CallbackRequest.objects.filter(anonymised_at__isnull=True)
            .filter(Q(closed_at__lt=before) | Q(created_at__lt=before))
            .update(customer_name="", customer_phone="", preferred_times="", anonymised_at=timezone.now())
        )


# --- the "call now" queue ----------------------------------------------------------------------------


def callnow_group(agency_id: int) -> str:
    """The Channels group of an agency's call-now queue (its experts' screens ring)."""
    return f"desk.callnow.{int(agency_id)}"


def _callnow_changed(request: CallNowRequest) -> None:
    payload = {"kind": "callnow", "id": request.pk, "status": request.status}
    event_publish(group=callnow_group(request.agency_id), payload=payload)
    event_publish(group=desk_group(request.point_id), payload=payload)


def callnow_remote_offerings(*, point: ServicePoint) -> QuerySet[ServiceOffering]:
    """The point's offerings for remote service (a video meeting with an expert) of active services."""
    return ServiceOffering.objects.filter(
        point=point, channel=Channel.REMOTE_MEETING, service__is_active=True
    ).select_related("service__agency")


@dataclass(frozen=True)
class CallNowData:
    point: ServicePoint
    booth: Booth | None
    agency: Agency | None
    language: str
    service: Service | None = None
    interpreter_language: str = ""


def _callnow_errors(data: CallNowData) -> dict[str, str]:
    errors: dict[str, str] = {}
    offered = list(callnow_remote_offerings(point=data.point))
    if data.agency is None or data.agency.pk not in {o.service.agency_id for o in offered}:
        errors["agency"] = _("Choose an agency that serves this point remotely.")
    elif data.service is not None:
        if data.service.agency_id != data.agency.pk:
            errors["service"] = _("The service belongs to another agency.")
        elif data.service.pk not in {o.service_id for o in offered}:
            errors["service"] = _("The service is not offered for remote service at this point.")
    if data.booth is None or data.booth.point_id != data.point.pk or not data.booth.is_active:
        errors["booth"] = _("Choose a booth of this service point.")
    if data.language not in LANGUAGE_CODES:
        errors["language"] = _("Unknown language: %(value)s.") % {"value": data.language}
    if data.interpreter_language and data.interpreter_language not in InterpreterLanguage.values:
        errors["interpreter_language"] = _("Choose an interpreter language from the list.")
    return errors


def _booth_busy_error() -> ValidationError:
    return ValidationError(
        {
            "booth": ValidationError(
                _(
                    "The booth is taken now (a booked meeting or another call). Choose another booth, "
                    "or book a time for the customer."
                ),
                code="booth_busy",
            )
        }
    )


def callnow_queue(*, data: CallNowData, by: User | None, now: dt.datetime | None = None) -> CallNowRequest:
    """Put a walk-in customer into ``data.agency``'s call-now queue for a booth of ``data.point``. The
    booth must be free from now for the expiry time and a meeting (no booked meeting's reservation,
    no absence, no other call): the booth's scheduling resource is locked and an absence holds the
    booth, so that the slot search and the booking's own check (``_hold``) see it taken. Raises
    ValidationError (nothing written) for an agency or a service not served remotely here, a service
    of another agency, a booth of another point, or a busy booth."""
    errors = _callnow_errors(data)
    if errors or data.booth is None or data.agency is None:
        raise ValidationError(errors)
    now = now or timezone.now()
    until = now + dt.timedelta(minutes=settings.CALL_NOW_EXPIRE_MINUTES + settings.CALL_NOW_MEETING_MINUTES)
    resource = booth_resource_get(booth_id=data.booth.pk)
    with transaction.atomic():
        # Two advisors queueing for one booth (or a booking holding it) wait here for each other.
        Resource.objects.select_for_update().filter(pk=resource.pk).first()
        held = Reservation.objects.filter(
            resource=resource, active=True, starts__lt=until, holds_until__gt=now
        ).exists()
        absent = Absence.objects.filter(resource=resource, starts__lt=until, ends__gt=now).exists()
        taken = CallNowRequest.objects.filter(booth=data.booth, status__in=CALL_NOW_ACTIVE).exists()
        if held or absent or taken:
            raise _booth_busy_error()
        hold, _clashes = absence_add(resource=resource, starts=now, ends=until, reason=CALL_NOW_HOLD_REASON)
        request = CallNowRequest(
            point=data.point,
            booth=data.booth,
            agency=data.agency,
            service=data.service,
            language=data.language,
            interpreter_language=data.interpreter_language,
            requested_by=by,
            created_at=now,
            booth_hold=hold,
        )
        try:
            with transaction.atomic():
                request.save(force_insert=True)
        except IntegrityError:
            raise _booth_busy_error() from None
        _callnow_changed(request)
    return request


#: The reason of the absence that holds a booth for a call (shown in the booth's calendar).
CALL_NOW_HOLD_REASON = "call now"


def _release_booth(row: CallNowRequest, now: dt.datetime, *, unused: bool = False) -> None:
    """Free the booth from ``now``: the hold ends then, or is removed when the booth was never used
    (``unused``: a call cancelled or expired while waiting) or the hold has not begun."""
    if row.booth_hold_id is None:
        return
    hold = Absence.objects.filter(pk=row.booth_hold_id).first()
    if hold is None:
        return
    if unused or hold.starts >= now:
        absence_delete(absence=hold)
    elif hold.ends > now:
        hold.ends = now
        hold.save(update_fields=["ends"])


def _accept_refused(row: CallNowRequest | None) -> ValidationError:
    if row is not None and row.status == CallNowStatus.ACCEPTED:
        message = _("Another expert took this call a moment ago.")
    elif row is not None and row.status == CallNowStatus.CANCELLED:
        message = _("The service advisor cancelled this call.")
    elif row is not None and row.status == CallNowStatus.EXPIRED:
        message = _("This call waited too long and was removed from the queue.")
    else:
        message = _("This call is no longer waiting.")
    return ValidationError({"status": ValidationError(message, code="not_waiting")})


@dataclass(frozen=True)
class CallNowAccepted:
    request: CallNowRequest
    #: The expert's own participant of the room (their join link is made from it).
    participant: Participant


def callnow_accept(*, request: CallNowRequest, by: User, now: dt.datetime | None = None) -> CallNowAccepted:
    """``by`` (an expert of the request's agency; the caller checks the scope) takes the call: the
    first to accept wins (a conditional update of the waiting row, which PostgreSQL runs one at a
    time for the row); a meeting room opens at the booth with the booth's screen and the expert as
    participants, and the booth stays held until the meeting's planned end. Raises ValidationError
    (nothing changes) when someone else took it first, or it was cancelled or expired."""
    now = now or timezone.now()
    with transaction.atomic():
        row = CallNowRequest.objects.select_related("booth", "agency").get(pk=request.pk)
        if row.status != CallNowStatus.WAITING:
            raise _accept_refused(row)
        ends = now + dt.timedelta(minutes=settings.CALL_NOW_MEETING_MINUTES)
        room = room_create(point_id=row.point_id, starts=now, ends=ends, booth=row.booth)
        participant = participant_add(
            room=room,
            kind=ParticipantKind.EXPERT,
            user=by,
            agency_id=row.agency_id,
            display_name=_("%(name)s, %(agency)s") % {"name": by.get_full_name(), "agency": row.agency.name},
        )
        # The first wins: a second expert's update waits for the first one's commit (PostgreSQL locks
        # the row), then finds the row no longer waiting; its room is rolled back with its transaction.
        taken = CallNowRequest.objects.filter(pk=row.pk, status=CallNowStatus.WAITING).update(
            status=CallNowStatus.ACCEPTED, accepted_at=now, accepted_by=by, room=room
        )
        if not taken:
            raise _accept_refused(CallNowRequest.objects.filter(pk=row.pk).first())
        row.refresh_from_db()
        if row.booth_hold_id is not None:
            Absence.objects.filter(pk=row.booth_hold_id).update(ends=ends)
        _callnow_changed(row)
    return CallNowAccepted(request=row, participant=participant)


def callnow_cancel(*, request: CallNowRequest, now: dt.datetime | None = None) -> CallNowRequest:
    """The advisor takes a waiting customer out of the queue (the customer left, or was helped
    otherwise): the booth is free again. Raises ValidationError (nothing changes) when an expert has
    taken the call already, or it is no longer waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        done = CallNowRequest.objects.filter(pk=request.pk, status=CallNowStatus.WAITING).update(
            status=CallNowStatus.CANCELLED, closed_at=now
        )
        row = CallNowRequest.objects.get(pk=request.pk)
        if not done:
            if row.status == CallNowStatus.ACCEPTED:
                message = _("An expert has taken this call already: it can no longer be cancelled.")
            else:
                message = _("This call is no longer waiting.")
            raise ValidationError({"status": ValidationError(message, code="not_waiting")})
        _release_booth(row, now, unused=True)
        _callnow_changed(row)
    return row


def callnow_sweep(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic clean-up of the queue: a request waiting longer than
    ``settings.CALL_NOW_EXPIRE_MINUTES`` expires and frees its booth; an accepted call whose meeting
    has ended is done and frees its booth from the meeting's end. Idempotent."""
    now = now or timezone.now()
    counts = {"expired": 0, "done": 0}
    cutoff = now - dt.timedelta(minutes=settings.CALL_NOW_EXPIRE_MINUTES)
    stale = CallNowRequest.objects.filter(status=CallNowStatus.WAITING, created_at__lte=cutoff)
    for pk in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            if not CallNowRequest.objects.filter(pk=pk, status=CallNowStatus.WAITING).update(
                status=CallNowStatus.EXPIRED, closed_at=now
            ):
                continue  # accepted or cancelled meanwhile
            row = CallNowRequest.objects.get(pk=pk)
            _release_booth(row, now, unused=True)
            _callnow_changed(row)
            counts["expired"] += 1
    ended = CallNowRequest.objects.filter(status=CallNowStatus.ACCEPTED, room__state=RoomState.ENDED)
    for pk in list(ended.values_list("pk", flat=True)):
        with transaction.atomic():
            row = CallNowRequest.objects.select_related("room").select_for_update(of=("self",)).get(pk=pk)
            if row.status != CallNowStatus.ACCEPTED or row.room is None:
                continue
            row.status = CallNowStatus.DONE
            row.closed_at = row.room.ended_at or now
            row.save(update_fields=["status", "closed_at"])
            _release_booth(row, row.closed_at)
            _callnow_changed(row)
            counts["done"] += 1
    return counts
