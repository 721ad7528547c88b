"""A booked remote meeting of two agencies and an interpreter, with its room, for the meetings tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from asiointi.factories import expert_create, interpreter_create, remote_meeting_request, remote_service_point
from asiointi.meetings.models import Participant, ParticipantKind, Room
from asiointi.meetings.services import room_for_appointment
from asiointi.network.models import Booth
from asiointi.scheduling.models import Appointment
from asiointi.scheduling.services import CustomerContact, appointment_book

HELSINKI = ZoneInfo("Europe/Helsinki")
#: Monday 2 November 2026, 08:00 in Helsinki (in the past: the ledger records no future transactions):
#: the meeting is booked for 10:00–10:30 that day.
BOOKED_AT = dt.datetime(2026, 11, 2, 8, 0, tzinfo=HELSINKI)
STARTS = dt.datetime(2026, 11, 2, 10, 0, tzinfo=HELSINKI)


@dataclass
class Meeting:
    appointment: Appointment
    room: Room
    booth: Participant
    kela: Participant
    tax: Participant
    interpreter: Participant

    def refresh(self) -> None:
        for name in ("room", "booth", "kela", "tax", "interpreter"):
            getattr(self, name).refresh_from_db()


def _meeting(*, start: dt.datetime, booked_at: dt.datetime, printer: bool = True) -> Meeting:
    """The meeting; its booth has a printer (the expert's documents are printed there) unless
    ``printer`` is False."""
    point, booths, services = remote_service_point(booths=1, agencies=2)
    Booth.objects.filter(pk__in=[b.pk for b in booths]).update(has_printer=printer)
    expert_create(agency=services[0].agency, services=[services[0]], full_name="Kaisa Kela")
    expert_create(agency=services[1].agency, services=[services[1]], full_name="Veikko Vero")
    interpreter_create(languages=["fi", "ar"], full_name="Tulkki Tuominen")
    request = remote_meeting_request(point, services, interpreter_language="ar")
    appointment = appointment_book(
        request=request,
        start=start,
        customer=CustomerContact(name="Aino Asiakas", email="aino@example.fi"),
        now=booked_at,
        notify=False,
    )
    room = room_for_appointment(appointment=appointment)
    by_kind = {
        p.kind: p
        for p in room.participants.filter(kind__in=[ParticipantKind.BOOTH, ParticipantKind.INTERPRETER])
    }
    experts = {p.agency_id: p for p in room.participants.filter(kind=ParticipantKind.EXPERT)}
    return Meeting(
        appointment=appointment,
        room=room,
        booth=by_kind[ParticipantKind.BOOTH],
        kela=experts[services[0].agency_id],
        tax=experts[services[1].agency_id],
        interpreter=by_kind[ParticipantKind.INTERPRETER],
    )


@pytest.fixture
def meeting(db) -> Meeting:
    """A meeting booked for Monday 2 November 2026 10:00–10:30 (Helsinki)."""
    return _meeting(start=STARTS, booked_at=BOOKED_AT)


def move_to_now(meeting: Meeting, *, minutes_from_now: int = 0, length_minutes: int = 30) -> None:
    """Move the room (and its appointment) so that it starts ``minutes_from_now`` from now: for the tests
    that go through sockets, where the join token is checked against the real clock."""
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=minutes_from_now)
    ends = starts + dt.timedelta(minutes=length_minutes)
    Room.objects.filter(pk=meeting.room.pk).update(starts=starts, ends=ends)
    Appointment.objects.filter(pk=meeting.appointment.pk).update(starts=starts, ends=ends)
    meeting.room.refresh_from_db()
    meeting.appointment.refresh_from_db()
