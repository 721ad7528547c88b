"""Writes of the meetings app: rooms and their participants, the waiting room, and the meeting's end,
which records the transactions in the ledger and closes the appointment.

Each change publishes ``{"kind": "room_changed"}`` to the room's group after it commits; every
participant's socket (in whichever process it is) then reads the room's state again from the
database and sends it to its browser."""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from asiointi.accounts.models import User
from asiointi.catalogue.models import Channel
from asiointi.core.events import event_publish
from asiointi.ledger.models import AstiType, Transaction, TransactionSource
from asiointi.ledger.services import transaction_record
from asiointi.network.models import Booth
from asiointi.scheduling.models import (
    ACTIVE_STATES,
    Appointment,
    AppointmentState,
    Reservation,
    ReservationRole,
)
from asiointi.scheduling.selectors import appointment_is_active, appointment_resources, day_bounds
from asiointi.scheduling.services import appointment_state_set

from . import janus
from .models import (
    ADMITTED_ON_JOIN,
    Participant,
    ParticipantKind,
    ParticipantState,
    Room,
    RoomState,
    VideoRoute,
)

logger = logging.getLogger(__name__)


class MeetingRefused(Exception):
    """An action that the participant may not take (not an expert, not in the room, already ended)."""


def room_group(room_id: int) -> str:
    """The channel layer group of a room's sockets (state changes, chat)."""
    return f"meetings.room.{int(room_id)}"


def participant_group(participant_id: int) -> str:
    """The channel layer group of one participant's sockets (offers, answers and ICE sent to them)."""
    return f"meetings.participant.{int(participant_id)}"


def _changed(room: Room) -> None:
    event_publish(group=room_group(room.pk), payload={"kind": "room_changed"})


def _booth_name(booth: Booth) -> str:
    return _("Booth %(name)s") % {"name": booth.name}


def room_for_appointment(*, appointment: Appointment) -> Room:
    """The room of ``appointment`` with a participant for each of its booth, experts and interpreter;
    made the first time it is asked for, the same room afterwards (also when two ask at once)."""
    existing = Room.objects.filter(appointment=appointment).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        existing = Room.objects.filter(appointment=locked).first()
        if existing is not None:
            return existing
        room = Room.objects.create(
            appointment=locked, point_id=locked.point_id, starts=locked.starts, ends=locked.ends
        )
        rows = []
        for reservation in appointment_resources(appointment=locked):
            resource = reservation.resource
            if reservation.role == ReservationRole.BOOTH and resource.booth is not None:
                rows.append(
                    Participant(
                        room=room,
                        kind=ParticipantKind.BOOTH,
                        booth=resource.booth,
                        display_name=_booth_name(resource.booth),
                    )
                )
            elif reservation.role == ReservationRole.EXPERT:
                expert = resource.expert
                rows.append(
                    Participant(
                        room=room,
                        kind=ParticipantKind.EXPERT,
                        user=expert.user,
                        agency=expert.agency,
                        display_name=_("%(name)s, %(agency)s")
                        % {"name": expert.user.get_full_name(), "agency": expert.agency.name},
                    )
                )
            elif reservation.role == ReservationRole.INTERPRETER:
                interpreter = resource.interpreter
                rows.append(
                    Participant(
                        room=room,
                        kind=ParticipantKind.INTERPRETER,
                        user=interpreter.user,
                        display_name=_("%(name)s, interpreter") % {"name": interpreter.user.get_full_name()},
                    )
                )
        Participant.objects.bulk_create(rows)
    return room


def room_create(*, point_id: int, starts: dt.datetime, ends: dt.datetime, booth: Booth | None = None) -> Room:
    """A room without an appointment (an on-demand call of the desk), with the booth's screen as a
    participant when ``booth`` is given; people join it through :func:`participant_add`."""
    if ends <= starts:
        raise ValidationError(_("The meeting must end after it starts."))
    if booth is not None and booth.point_id != point_id:
        raise ValidationError(_("The booth is at another service point."))
    with transaction.atomic():
        room = Room.objects.create(point_id=point_id, starts=starts, ends=ends)
        if booth is not None:
            Participant.objects.create(
                room=room, kind=ParticipantKind.BOOTH, booth=booth, display_name=_booth_name(booth)
            )
    return room


def rooms_prepare(*, day: dt.date, booth_id: int | None = None, user_id: int | None = None) -> int:
    """Make the rooms of the remote appointments of ``day`` that hold the booth ``booth_id`` or the
    person ``user_id`` (as an expert or an interpreter) and have none yet; how many were made."""
    start, end = day_bounds(day)
    held = Reservation.objects.filter(
        active=True,
        appointment__channel=Channel.REMOTE_MEETING,
        appointment__state__in=ACTIVE_STATES,
        appointment__starts__lt=end,
        appointment__ends__gt=start,
        appointment__room__isnull=True,
    )
    if booth_id is not None:
        held = held.filter(resource__booth_id=booth_id)
    elif user_id is not None:
        held = held.filter(Q(resource__expert__user_id=user_id) | Q(resource__interpreter__user_id=user_id))
    else:
        return 0
    appointment_ids = sorted(set(held.values_list("appointment_id", flat=True)))
    for appointment in Appointment.objects.filter(pk__in=appointment_ids):
        room_for_appointment(appointment=appointment)
    return len(appointment_ids)


def participant_add(
    *, room: Room, kind: str, user: User, display_name: str = "", agency_id: int | None = None
) -> Participant:
    """Invite one more person (an advisor of the point, or another expert) to ``room``; the same
    participant when they are in it already. Raises ValidationError for a room that has ended."""
    if kind not in (ParticipantKind.ADVISOR, ParticipantKind.EXPERT, ParticipantKind.INTERPRETER):
        raise ValidationError(_("Choose an expert, an interpreter or a service advisor."))
    if kind == ParticipantKind.EXPERT and agency_id is None:
        raise ValidationError(_("An expert takes part for an agency."))
    with transaction.atomic():
        locked = Room.objects.select_for_update().get(pk=room.pk)
        if locked.state == RoomState.ENDED:
            raise ValidationError(_("The meeting has ended."))
        participant, _created = Participant.objects.get_or_create(
            room=locked,
            user=user,
            defaults={
                "kind": kind,
                "agency_id": agency_id,
                "display_name": display_name or user.get_full_name(),
            },
        )
        _changed(locked)
    return participant


def _locked_pair(participant: Participant) -> tuple[Room, Participant]:
    room = Room.objects.select_for_update().get(pk=participant.room_id)
    return room, Participant.objects.get(pk=participant.pk)


def participant_join(*, participant: Participant, now: dt.datetime | None = None) -> Participant:
    """``participant`` opens the meeting: an expert or an interpreter (or anyone an expert has
    admitted before, coming back) is in the meeting; the booth and an advisor wait until an expert
    admits them. Raises MeetingRefused for a removed participant or an ended meeting."""
    now = now or timezone.now()
    with transaction.atomic():
        room, current = _locked_pair(participant)
        if current.state == ParticipantState.REMOVED or room.state == RoomState.ENDED:
            raise MeetingRefused
        admitted = current.kind in ADMITTED_ON_JOIN or current.admitted_at is not None
        current.state = ParticipantState.ADMITTED if admitted else ParticipantState.WAITING
        current.joined_at = current.joined_at or now
        if admitted and current.admitted_at is None:
            current.admitted_at = now
        current.save(update_fields=["state", "joined_at", "admitted_at"])
        _changed(room)
    return current


def participant_leave(*, participant: Participant, now: dt.datetime | None = None) -> None:
    """``participant``'s screen closed the meeting (or lost its connection): they are no longer in it,
    but may come back with their link. A removed participant stays removed."""
    now = now or timezone.now()
    with transaction.atomic():
        room, current = _locked_pair(participant)
        if current.state not in (ParticipantState.WAITING, ParticipantState.ADMITTED):
            return
        current.state = ParticipantState.LEFT
        current.left_at = now
        current.save(update_fields=["state", "left_at"])
        _changed(room)


def _check_expert(room: Room, by: Participant) -> None:
    acting = Participant.objects.filter(pk=by.pk, room=room).first()
    if acting is None or acting.kind != ParticipantKind.EXPERT or acting.state != ParticipantState.ADMITTED:
        raise MeetingRefused
    if room.state == RoomState.ENDED:
        raise MeetingRefused


def participant_admit(
    *, participant: Participant, by: Participant, now: dt.datetime | None = None
) -> Participant:
    """An expert in the meeting admits a waiting participant. The meeting begins (``started_at``)
    when the booth is first admitted. Raises MeetingRefused when ``by`` is not an expert in the same
    meeting or ``participant`` is not waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        room, current = _locked_pair(participant)
        _check_expert(room, by)
        if current.state != ParticipantState.WAITING:
            raise MeetingRefused
        current.state = ParticipantState.ADMITTED
        current.admitted_at = current.admitted_at or now
        current.save(update_fields=["state", "admitted_at"])
        if current.kind == ParticipantKind.BOOTH and room.started_at is None:
            room.started_at = now
            room.state = RoomState.OPEN
            room.save(update_fields=["started_at", "state"])
        _changed(room)
    return current


def participant_remove(
    *, participant: Participant, by: Participant, now: dt.datetime | None = None
) -> Participant:
    """An expert in the meeting removes another participant: their socket is closed and their link no
    longer works. Raises MeetingRefused when ``by`` is not an expert in the same meeting, or for
    themself."""
    now = now or timezone.now()
    with transaction.atomic():
        room, current = _locked_pair(participant)
        _check_expert(room, by)
        if current.pk == by.pk or current.state == ParticipantState.REMOVED:
            raise MeetingRefused
        current.state = ParticipantState.REMOVED
        current.left_at = now
        current.save(update_fields=["state", "left_at"])
        _changed(room)
    return current


def _record(room: Room, now: dt.datetime) -> list[Transaction]:
    """One RemoteGuidance transaction per agency whose expert took part (was in the meeting)."""
    started = room.started_at or now
    participants = list(room.participants.filter(admitted_at__isnull=False).select_related("agency"))
    with_interpreter = any(p.kind == ParticipantKind.INTERPRETER for p in participants)
    agencies = {p.agency_id: p.agency for p in participants if p.kind == ParticipantKind.EXPERT and p.agency}
    appointment = room.appointment
    services = list(appointment.services.all()) if appointment is not None else []
    language = appointment.language if appointment is not None else settings.LANGUAGE_CODE
    duration = max(0, int((now - started).total_seconds()))
    rows = []
    for agency_id, agency in sorted(agencies.items()):
        service = next((s for s in services if s.agency_id == agency_id), None)
        rows.append(
            transaction_record(
                point=room.point,
                agency=agency,
                asti_type=AstiType.REMOTE_GUIDANCE,
                channel=Channel.REMOTE_MEETING,
                occurred_at=started,
                duration_seconds=duration,
                language=language,
                source=TransactionSource.MEETING,
                service=service,
                with_interpreter=with_interpreter,
                origin=f"meeting:{room.key}:{agency_id}",
            )
        )
    return rows


def _close_appointment(room: Room, by: User | None, now: dt.datetime) -> None:
    appointment = room.appointment
    if appointment is None or not appointment_is_active(appointment):
        return
    state = AppointmentState.NO_SHOW if room.never_started else AppointmentState.DONE
    try:
        appointment_state_set(appointment=appointment, state=state, by=by, now=max(now, appointment.starts))
    except ValidationError:
        logger.warning("Could not close appointment %s after its meeting", appointment.pk, exc_info=True)


def _end(room: Room, by: User | None, now: dt.datetime) -> list[Transaction]:
    room.state = RoomState.ENDED
    room.ended_at = now
    room.save(update_fields=["state", "ended_at"])
    if room.janus_room_id is not None:
        room_id = room.pk
        transaction.on_commit(lambda: room_janus_destroy(room_id=room_id))
    recorded = [] if room.never_started else _record(room, now)
    _close_appointment(room, by, now)
    _changed(room)
    return recorded


def meeting_end(*, room: Room, by: Participant, now: dt.datetime | None = None) -> list[Transaction]:
    """An expert in the meeting ends it for everybody: one RemoteGuidance transaction per agency taking
    part (duration from the booth's admission, the agency's service, whether an interpreter took part)
    and the appointment marked done; a meeting that never began records nothing and marks the
    appointment a no-show. Raises MeetingRefused when ``by`` may not end it."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Room.objects.select_for_update(of=("self",))
            .select_related("point", "appointment")
            .get(pk=room.pk)
        )
        _check_expert(locked, by)
        return _end(locked, by.user, now)


def rooms_close_overdue(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic clean-up: a room past its end that never began ends as a no-show (nothing is
    recorded); an open meeting ``MEETING_OVERRUN_MINUTES`` past its end is ended and recorded.
    Idempotent."""
    now = now or timezone.now()
    overrun = now - dt.timedelta(minutes=settings.MEETING_OVERRUN_MINUTES)
    counts = {"no_show": 0, "ended": 0}
    due = Room.objects.filter(state__in=(RoomState.SCHEDULED, RoomState.OPEN), ends__lt=now).values_list(
        "pk", flat=True
    )
    for room_id in list(due):
        with transaction.atomic():
            room = (
                Room.objects.select_for_update(of=("self",))
                .select_related("point", "appointment")
                .get(pk=room_id)
            )
            if room.state == RoomState.ENDED:
                continue
            if room.never_started:
                _end(room, None, now)
                counts["no_show"] += 1
            elif room.ends < overrun:
                _end(room, None, now)
                counts["ended"] += 1
    return counts


# -- the room's media: Janus or browser to browser ------------------------------------------------------


def room_video_open(*, room: Room) -> Room:
    """Decides how ``room``'s media travels, once, when its first participant opens the meeting: without
    ``JANUS_URL`` browser to browser; with it, the backend creates the room's Janus videoroom (a random
    id, a secret and a pin of its own, the admin key from the settings) and the browsers join it. Janus
    not answering or refusing gives browser to browser, logged (:func:`janus.video_route_choose`), and
    the expert's screen says so. The same room when decided already (also when two decide at once)."""
    if room.video_route != VideoRoute.UNDECIDED or room.state == RoomState.ENDED:
        return room
    if janus.JanusServer.from_settings() is None:
        Room.objects.filter(pk=room.pk, video_route=VideoRoute.UNDECIDED).update(video_route=VideoRoute.MESH)
        room.refresh_from_db()
        return room
    room_id, secret, pin = janus.janus_room_id_new(), secrets.token_urlsafe(24), secrets.token_urlsafe(12)
    # Outside any transaction: Janus may take up to JANUS_TIMEOUT_SECONDS to answer.
    route = janus.video_route_choose(
        room_id=room_id, secret=secret, pin=pin, description=f"Asiointi {room.key}"
    )
    if route.janus:
        fields = {
            "video_route": VideoRoute.JANUS,
            "janus_room_id": room_id,
            "janus_secret": secret,
            "janus_pin": pin,
        }
    else:
        fields = {"video_route": VideoRoute.FALLBACK}
    won = Room.objects.filter(
        pk=room.pk, video_route=VideoRoute.UNDECIDED, state__in=(RoomState.SCHEDULED, RoomState.OPEN)
    ).update(**fields)
    if not won and route.janus:
        # Another process decided first (or the meeting ended meanwhile): this Janus room is not used.
        _janus_destroy_quietly(room_id, secret)
    room.refresh_from_db()
    if route.fallback and won:
        _changed(room)
    return room


def _janus_destroy_quietly(room_id: int, secret: str) -> bool:
    try:
        janus.janus_room_destroy(room_id=room_id, secret=secret)
    except (janus.JanusUnavailable, janus.JanusError) as error:
        logger.warning("Could not destroy Janus room %s (%s); the clean-up tries again", room_id, error)
        return False
    return True


def room_video_fallback(*, participant: Participant, reason: str = "") -> Room:
    """A browser of the meeting could not reach the room's Janus during setup: the whole room goes browser
    to browser (every screen switches when it gets the room's state), the log says so, the expert's
    screen too, and the Janus room is destroyed. Nothing changes for a room that is not through Janus."""
    with transaction.atomic():
        room = Room.objects.select_for_update().get(pk=participant.room_id)
        if room.video_route != VideoRoute.JANUS or room.state == RoomState.ENDED:
            return room
        room.video_route = VideoRoute.FALLBACK
        room.save(update_fields=["video_route"])
        logger.warning(
            "Participant %s cannot reach Janus room %s (%s); the meeting %s goes browser to browser",
            participant.pk,
            room.janus_room_id,
            reason[:200] or "no reason given",
            room.pk,
        )
        room_id = room.pk
        transaction.on_commit(lambda: room_janus_destroy(room_id=room_id))
        _changed(room)
    return room


def room_janus_destroy(*, room_id: int) -> bool:
    """Destroys the Janus videoroom of the room ``room_id`` (after its meeting, or after it fell back to
    browser to browser) and forgets its id, secret and pin; False when Janus did not answer (the
    periodic clean-up tries again)."""
    room = Room.objects.filter(pk=room_id, janus_room_id__isnull=False).first()
    if room is None or room.janus_room_id is None:
        return True
    if janus.JanusServer.from_settings() is None or not _janus_destroy_quietly(
        room.janus_room_id, room.janus_secret
    ):
        return False
    forgotten = {"janus_room_id": None, "janus_secret": "", "janus_pin": ""}  # nosec B105
    Room.objects.filter(pk=room.pk, janus_room_id=room.janus_room_id).update(**forgotten)
    return True


def rooms_janus_cleanup() -> int:
    """The Janus rooms left over (of meetings that ended or fell back while Janus did not answer):
    destroyed now; how many."""
    left_over = Room.objects.filter(janus_room_id__isnull=False).filter(
        Q(state=RoomState.ENDED) | ~Q(video_route=VideoRoute.JANUS)
    )
    return sum(
        1 for room_id in list(left_over.values_list("pk", flat=True)) if room_janus_destroy(room_id=room_id)
    )
