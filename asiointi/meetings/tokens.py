"""Personal join links: a signed token naming one participant of one room.

The token is signed with Django's signing (its own salt), so it cannot be forged or changed. It works
from ``MEETING_JOIN_EARLY_MINUTES`` before the room's start until its end, and after the end only
while the meeting is still going on; never for a removed participant, never for another room, never
once the meeting has ended. Nothing is stored: the rules are checked against the room's row each time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core import signing
from django.utils import timezone

from .models import Participant, ParticipantState, RoomState

_SALT = "asiointi.meetings.join"


class JoinRefused(Exception):
    """A join token that cannot be used now: ``reason`` is one of "invalid" (forged, changed or of
    another room), "early", "expired", "ended" or "removed"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def join_token_issue(*, participant: Participant) -> str:
    """A personal join token of ``participant`` (each is signed with the time it was made; any of them
    works while the participant may join)."""
    return signing.dumps({"r": participant.room_id, "p": participant.pk}, salt=_SALT, compress=False)


def join_token_participant(
    *, token: str, room_id: int | None = None, now: dt.datetime | None = None
) -> Participant:
    """The participant ``token`` names, when it may join now (of room ``room_id`` when given).
    Raises :class:`JoinRefused` otherwise."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        raise JoinRefused("invalid") from None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not isinstance(data.get("p"), int):
        raise JoinRefused("invalid")
    if room_id is not None and data["r"] != room_id:
        raise JoinRefused("invalid")
    participant = (
        Participant.objects.select_related("room", "room__point", "user", "booth")
        .filter(pk=data["p"], room_id=data["r"])
        .first()
    )
    if participant is None:
        raise JoinRefused("invalid")
    join_window_check(participant=participant, now=now)
    return participant


def join_window_check(*, participant: Participant, now: dt.datetime | None = None) -> None:
    """Raise :class:`JoinRefused` when ``participant`` may not be in the meeting at ``now``."""
    now = now or timezone.now()
    room = participant.room
    if participant.state == ParticipantState.REMOVED:
        raise JoinRefused("removed")
    if room.state == RoomState.ENDED:
        raise JoinRefused("ended")
    if now < room.starts - dt.timedelta(minutes=settings.MEETING_JOIN_EARLY_MINUTES):
        raise JoinRefused("early")
    if now > room.ends and room.state != RoomState.OPEN:
        raise JoinRefused("expired")
