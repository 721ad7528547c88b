"""Rooms, join links, the waiting room and the meeting's end (with the ledger and the appointment)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing

from asiointi.core.scope import Role
from asiointi.factories import MembershipFactory, UserFactory
from asiointi.ledger.models import AstiType, Transaction
from asiointi.meetings import services
from asiointi.meetings.models import ParticipantKind, ParticipantState, Room, RoomState
from asiointi.meetings.services import MeetingRefused
from asiointi.meetings.tasks import rooms_close_overdue_task
from asiointi.meetings.tokens import JoinRefused, join_token_issue, join_token_participant
from asiointi.meetings.turn import ice_servers
from asiointi.scheduling.models import AppointmentState

from .conftest import STARTS, Meeting, _meeting

pytestmark = pytest.mark.django_db
MINUTE = dt.timedelta(minutes=1)


def test_room_for_appointment__booth_two_experts_and_interpreter__one_room_same_each_time(meeting: Meeting):
    again = services.room_for_appointment(appointment=meeting.appointment)
    assert again.pk == meeting.room.pk
    assert Room.objects.count() == 1
    kinds = sorted(meeting.room.participants.values_list("kind", flat=True))
    assert kinds == ["booth", "expert", "expert", "interpreter"]
    assert meeting.kela.display_name.startswith("Kaisa Kela, ")
    assert meeting.room.starts == STARTS and meeting.room.state == RoomState.SCHEDULED


# --- join links ---------------------------------------------------------------------------------


def test_join_token__from_ten_minutes_before_start_to_the_end__names_the_participant(meeting: Meeting):
    token = join_token_issue(participant=meeting.booth)
    for now in (STARTS - 10 * MINUTE, STARTS, STARTS + 30 * MINUTE):
        assert join_token_participant(token=token, room_id=meeting.room.pk, now=now).pk == meeting.booth.pk


@pytest.mark.parametrize(
    ("offset", "reason"), [(-11, "early"), (-24 * 60, "early"), (31, "expired"), (24 * 60, "expired")]
)
def test_join_token__before_the_window_or_after_the_end__refused(meeting: Meeting, offset: int, reason: str):
    token = join_token_issue(participant=meeting.kela)
    with pytest.raises(JoinRefused) as refused:
        join_token_participant(token=token, room_id=meeting.room.pk, now=STARTS + offset * MINUTE)
    assert refused.value.reason == reason


def test_join_token__early_minutes_setting__widens_the_window(meeting: Meeting, settings):
    settings.MEETING_JOIN_EARLY_MINUTES = 30
    token = join_token_issue(participant=meeting.kela)
    assert join_token_participant(token=token, now=STARTS - 25 * MINUTE).pk == meeting.kela.pk


def test_join_token__tampered__refused_as_invalid(meeting: Meeting):
    token = join_token_issue(participant=meeting.kela)
    _value, _sep, signature = token.rpartition(":")
    forged_value = signing.dumps(
        {"r": meeting.room.pk, "p": meeting.tax.pk}, salt="asiointi.meetings.join"
    ).split(":")[0]
    for forged in (
        f"{forged_value}:{signature}",
        token[:-2] + ("AA" if token[-2:] != "AA" else "BB"),
        "",
        "x:y:z",
    ):
        with pytest.raises(JoinRefused) as refused:
            join_token_participant(token=forged, room_id=meeting.room.pk, now=STARTS)
        assert refused.value.reason == "invalid"
    # Signed with another salt (another feature's token) is not a join token either.
    other = signing.dumps({"r": meeting.room.pk, "p": meeting.kela.pk}, salt="asiointi.accounts.websocket")
    with pytest.raises(JoinRefused):
        join_token_participant(token=other, room_id=meeting.room.pk, now=STARTS)


def test_join_token__of_another_room__refused(meeting: Meeting):
    other = _meeting(start=STARTS + dt.timedelta(days=1), booked_at=STARTS - dt.timedelta(hours=3))
    token = join_token_issue(participant=other.kela)
    with pytest.raises(JoinRefused) as refused:
        join_token_participant(token=token, room_id=meeting.room.pk, now=STARTS + dt.timedelta(days=1))
    assert refused.value.reason == "invalid"


def test_join_token__removed_participant__refused_and_cannot_join_again(meeting: Meeting):
    services.participant_join(participant=meeting.kela, now=STARTS)
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.participant_remove(participant=meeting.booth, by=meeting.kela, now=STARTS + MINUTE)
    token = join_token_issue(participant=meeting.booth)
    with pytest.raises(JoinRefused) as refused:
        join_token_participant(token=token, now=STARTS + 2 * MINUTE)
    assert refused.value.reason == "removed"
    with pytest.raises(MeetingRefused):
        services.participant_join(participant=meeting.booth, now=STARTS + 2 * MINUTE)
    meeting.booth.refresh_from_db()
    assert meeting.booth.state == ParticipantState.REMOVED


def test_join_token__meeting_ended__refused(meeting: Meeting):
    services.participant_join(participant=meeting.kela, now=STARTS)
    services.meeting_end(room=meeting.room, by=meeting.kela, now=STARTS + MINUTE)
    with pytest.raises(JoinRefused) as refused:
        join_token_participant(token=join_token_issue(participant=meeting.tax), now=STARTS + 2 * MINUTE)
    assert refused.value.reason == "ended"


def test_join_token__open_meeting_past_its_end__still_lets_its_people_back(meeting: Meeting):
    services.participant_join(participant=meeting.kela, now=STARTS)
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.participant_admit(participant=meeting.booth, by=meeting.kela, now=STARTS + MINUTE)
    token = join_token_issue(participant=meeting.booth)
    assert join_token_participant(token=token, now=STARTS + 45 * MINUTE).pk == meeting.booth.pk


# --- the waiting room ---------------------------------------------------------------------------


def test_participant_join__booth__waits_until_an_expert_admits(meeting: Meeting):
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.participant_join(participant=meeting.kela, now=STARTS)
    meeting.refresh()
    assert meeting.booth.state == ParticipantState.WAITING
    assert meeting.kela.state == ParticipantState.ADMITTED
    assert meeting.room.started_at is None

    services.participant_admit(participant=meeting.booth, by=meeting.kela, now=STARTS + MINUTE)
    meeting.refresh()
    assert meeting.booth.state == ParticipantState.ADMITTED
    assert meeting.room.state == RoomState.OPEN and meeting.room.started_at == STARTS + MINUTE


def test_participant_admit__by_interpreter_or_booth_or_absent_expert__refused_and_nothing_changes(
    meeting: Meeting,
):
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.participant_join(participant=meeting.interpreter, now=STARTS)
    for by in (meeting.interpreter, meeting.booth, meeting.tax):  # the Tax expert has not joined
        with pytest.raises(MeetingRefused):
            services.participant_admit(participant=meeting.booth, by=by, now=STARTS)
    meeting.refresh()
    assert meeting.booth.state == ParticipantState.WAITING and meeting.room.started_at is None


def test_participant_admit__expert_of_another_room__refused(meeting: Meeting):
    other = _meeting(start=STARTS + dt.timedelta(hours=2), booked_at=STARTS - dt.timedelta(hours=3))
    services.participant_join(participant=other.kela, now=STARTS)
    services.participant_join(participant=meeting.booth, now=STARTS)
    with pytest.raises(MeetingRefused):
        services.participant_admit(participant=meeting.booth, by=other.kela, now=STARTS)
    with pytest.raises(MeetingRefused):
        services.meeting_end(room=meeting.room, by=other.kela, now=STARTS)
    meeting.refresh()
    assert meeting.booth.state == ParticipantState.WAITING and meeting.room.state == RoomState.SCHEDULED


def test_participant_leave__admitted_booth_comes_back__is_in_again_without_waiting(meeting: Meeting):
    services.participant_join(participant=meeting.kela, now=STARTS)
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.participant_admit(participant=meeting.booth, by=meeting.kela, now=STARTS)
    services.participant_leave(participant=meeting.booth, now=STARTS + MINUTE)
    meeting.booth.refresh_from_db()
    assert meeting.booth.state == ParticipantState.LEFT
    assert (
        services.participant_join(participant=meeting.booth, now=STARTS + 2 * MINUTE).state
        == ParticipantState.ADMITTED
    )


def test_participant_add__advisor__waits_like_the_booth(meeting: Meeting):
    advisor = UserFactory.create(full_name="Paula Neuvoja")
    MembershipFactory.create(user=advisor, role=Role.ADVISOR, point=meeting.room.point)
    participant = services.participant_add(room=meeting.room, kind=ParticipantKind.ADVISOR, user=advisor)
    assert (
        services.participant_add(room=meeting.room, kind=ParticipantKind.ADVISOR, user=advisor).pk
        == participant.pk
    )
    assert services.participant_join(participant=participant, now=STARTS).state == ParticipantState.WAITING


# --- the end ------------------------------------------------------------------------------------


def _held_meeting(meeting: Meeting, *, with_tax: bool = True, with_interpreter: bool = True) -> None:
    services.participant_join(participant=meeting.kela, now=STARTS)
    if with_tax:
        services.participant_join(participant=meeting.tax, now=STARTS + MINUTE)
    if with_interpreter:
        services.participant_join(participant=meeting.interpreter, now=STARTS + MINUTE)
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.participant_admit(participant=meeting.booth, by=meeting.kela, now=STARTS + 2 * MINUTE)


def test_meeting_end__two_agencies_and_interpreter__one_remote_guidance_transaction_per_agency(
    meeting: Meeting,
):
    _held_meeting(meeting)
    recorded = services.meeting_end(room=meeting.room, by=meeting.kela, now=STARTS + 22 * MINUTE)
    rows = list(Transaction.objects.order_by("agency_id"))
    assert len(recorded) == 2 and len(rows) == 2
    assert {r.agency_id for r in rows} == {meeting.kela.agency_id, meeting.tax.agency_id}
    for row in rows:
        assert row.asti_type == AstiType.REMOTE_GUIDANCE
        assert row.duration_seconds == 20 * 60
        assert row.with_interpreter is True
        assert row.service is not None and row.service.agency_id == row.agency_id
        assert row.point_id == meeting.room.point_id
    meeting.refresh()
    meeting.appointment.refresh_from_db()
    assert meeting.room.state == RoomState.ENDED
    assert meeting.appointment.state == AppointmentState.DONE


def test_meeting_end__only_one_agency_joined__records_only_that_agency_without_interpreter(meeting: Meeting):
    _held_meeting(meeting, with_tax=False, with_interpreter=False)
    services.meeting_end(room=meeting.room, by=meeting.kela, now=STARTS + 12 * MINUTE)
    row = Transaction.objects.get()
    assert row.agency_id == meeting.kela.agency_id and row.with_interpreter is False


def test_meeting_end__twice_or_by_a_non_expert__records_once(meeting: Meeting):
    _held_meeting(meeting)
    with pytest.raises(MeetingRefused):
        services.meeting_end(room=meeting.room, by=meeting.interpreter, now=STARTS + 5 * MINUTE)
    assert Transaction.objects.count() == 0
    services.meeting_end(room=meeting.room, by=meeting.kela, now=STARTS + 10 * MINUTE)
    with pytest.raises(MeetingRefused):
        services.meeting_end(room=meeting.room, by=meeting.tax, now=STARTS + 11 * MINUTE)
    assert Transaction.objects.count() == 2


def test_meeting_end__booth_never_admitted__no_show_and_nothing_recorded(meeting: Meeting):
    services.participant_join(participant=meeting.kela, now=STARTS)
    services.participant_join(participant=meeting.booth, now=STARTS)
    services.meeting_end(room=meeting.room, by=meeting.kela, now=STARTS + 15 * MINUTE)
    meeting.appointment.refresh_from_db()
    assert meeting.appointment.state == AppointmentState.NO_SHOW
    assert Transaction.objects.count() == 0


def test_rooms_close_overdue__never_started_past_its_end__no_show_nothing_recorded(meeting: Meeting):
    assert services.rooms_close_overdue(now=STARTS + 29 * MINUTE) == {"no_show": 0, "ended": 0}
    assert services.rooms_close_overdue(now=STARTS + 31 * MINUTE) == {"no_show": 1, "ended": 0}
    meeting.refresh()
    meeting.appointment.refresh_from_db()
    assert meeting.room.state == RoomState.ENDED
    assert meeting.appointment.state == AppointmentState.NO_SHOW
    assert Transaction.objects.count() == 0
    assert services.rooms_close_overdue(now=STARTS + 60 * MINUTE) == {"no_show": 0, "ended": 0}


def test_rooms_close_overdue__open_meeting_long_past_its_end__ended_and_recorded_once(
    meeting: Meeting, settings
):
    settings.MEETING_OVERRUN_MINUTES = 60
    _held_meeting(meeting, with_tax=False)
    assert services.rooms_close_overdue(now=STARTS + 80 * MINUTE) == {"no_show": 0, "ended": 0}
    assert services.rooms_close_overdue(now=STARTS + 91 * MINUTE) == {"no_show": 0, "ended": 1}
    assert Transaction.objects.count() == 1
    meeting.appointment.refresh_from_db()
    assert meeting.appointment.state == AppointmentState.DONE


def test_rooms_close_overdue_task__periodic__is_scheduled(settings):
    assert (
        settings.PERIODIC_TASKS["meetings-close-overdue"]["task"]
        == "asiointi.meetings.tasks.rooms_close_overdue_task"
    )
    assert rooms_close_overdue_task.call() == {"no_show": 0, "ended": 0}


# --- TURN ---------------------------------------------------------------------------------------


def test_ice_servers__turn_unset__empty(settings):
    settings.TURN_URLS = []
    settings.TURN_SECRET = ""
    assert ice_servers(label="1") == []


def test_ice_servers__turn_set__coturn_time_limited_credential(settings):
    import base64
    import hashlib
    import hmac

    settings.TURN_URLS = ["turn:turn.example.fi:3478?transport=udp", "turns:turn.example.fi:5349"]
    settings.TURN_SECRET = "s3cret"
    settings.TURN_CREDENTIAL_SECONDS = 3600
    now = STARTS
    [server] = ice_servers(label="42", now=now)
    assert server["urls"] == settings.TURN_URLS
    assert server["username"] == f"{int(now.timestamp()) + 3600}:42"
    expected = base64.b64encode(
        hmac.new(b"s3cret", server["username"].encode(), hashlib.sha1).digest()
    ).decode()
    assert server["credential"] == expected
