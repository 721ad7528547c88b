"""Reads of the meetings app, each taking the viewer: a person sees only the rooms they are invited to,
a booth's screen only its own booth's rooms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from asiointi.accounts.models import BoothDevice, User
from asiointi.scheduling.models import ACTIVE_STATES
from asiointi.scheduling.selectors import day_bounds

from .models import Participant, ParticipantKind, ParticipantState, Room, RoomState, VideoRoute
from .tokens import join_token_issue

type Viewer = User | AnonymousUser | None


def participant_is_viewer(
    *, participant: Participant, user: Viewer, booth_device: BoothDevice | None
) -> bool:
    """Whether the person or booth screen at hand is ``participant`` (a join link works only for the
    one it was made for)."""
    if participant.kind == ParticipantKind.BOOTH:
        return booth_device is not None and booth_device.booth_id == participant.booth_id
    return booth_device is None and isinstance(user, User) and participant.user_id == user.pk


def room_state(*, participant: Participant) -> dict[str, Any]:
    """What ``participant``'s screen shows of the room: the room's state, themself, and the others who
    are invited (their names and whether they wait, are in, or have left). In two queries."""
    room = Room.objects.get(pk=participant.room_id)
    rows = list(room.participants.all())
    me = next(p for p in rows if p.pk == participant.pk)
    return {
        "type": "state",
        "room": {
            "state": room.state,
            "started": room.started_at is not None,
            # "janus": media through the room's Janus; "mesh": browser to browser ("fallback": because
            # Janus failed, which the expert's screen says).
            "video": "janus" if room.through_janus else "mesh",
            "fallback": room.video_route == VideoRoute.FALLBACK,
        },
        "you": {"id": me.pk, "kind": me.kind, "state": me.state},
        "participants": [
            {"id": p.pk, "kind": p.kind, "name": p.display_name, "state": p.state}
            for p in rows
            if p.pk != me.pk
        ],
    }


def participant_in_room(*, room_id: int, participant_id: int) -> Participant | None:
    return Participant.objects.filter(room_id=room_id, pk=participant_id).first()


def participant_current(*, participant_id: int) -> Participant | None:
    return Participant.objects.select_related("room").filter(pk=participant_id).first()


@dataclass(frozen=True)
class MeetingLink:
    room: Room
    participant: Participant
    token: str


def meetings_of_day(*, viewer: Viewer, day: dt.date | None = None) -> list[MeetingLink]:
    """The viewer's meetings of ``day`` (today in Helsinki by default) with their personal join
    tokens, in order of start; rooms that have ended are left out."""
    if not isinstance(viewer, User):
        return []
    start, end = day_bounds(day or timezone.localdate())
    rows = (
        Participant.objects.filter(
            user=viewer,
            room__starts__lt=end,
            room__ends__gt=start,
            room__state__in=(RoomState.SCHEDULED, RoomState.OPEN),
        )
        .exclude(state=ParticipantState.REMOVED)
        .select_related("room", "room__point")
        .order_by("room__starts", "room_id")
    )
    return [MeetingLink(room=p.room, participant=p, token=join_token_issue(participant=p)) for p in rows]


def booth_next_meeting(*, booth_device: BoothDevice, now: dt.datetime | None = None) -> MeetingLink | None:
    """The booth's next meeting that has not ended (today's, or one going on), with the booth's join
    token; None when there is none."""
    now = now or timezone.now()
    _start, end = day_bounds(timezone.localdate(now))
    participant = (
        Participant.objects.filter(
            booth_id=booth_device.booth_id,
            room__ends__gt=now,
            room__starts__lt=end,
            room__state__in=(RoomState.SCHEDULED, RoomState.OPEN),
        )
        .exclude(state=ParticipantState.REMOVED)
        .exclude(room__appointment__isnull=False, room__appointment__state__in=_closed_states())
        .select_related("room", "room__point")
        .order_by("room__starts")
        .first()
    )
    if participant is None:
        return None
    return MeetingLink(
        room=participant.room, participant=participant, token=join_token_issue(participant=participant)
    )


def _closed_states() -> list[str]:
    from asiointi.scheduling.models import AppointmentState

    return [s for s in AppointmentState.values if s not in ACTIVE_STATES]


def booth_room_access(*, booth_device: BoothDevice, room_key: str) -> Room | None:
    """The room ``room_key`` when the booth screen took part in it; None otherwise."""
    return (
        Room.objects.filter(key=room_key, participants__booth_id=booth_device.booth_id)
        .select_related("point")
        .first()
    )


def rooms_for_appointments_of_day(*, day: dt.date) -> QuerySet[Room]:
    start, end = day_bounds(day)
    return Room.objects.filter(starts__lt=end, ends__gt=start)
