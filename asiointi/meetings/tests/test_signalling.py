"""The signalling socket: authenticated by the personal join link, authorised per room and per message,
the waiting room, removal and the end (with the in-memory channel layer, in one process)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.test import Client

from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from asiointi.ledger.models import Transaction
from asiointi.meetings.models import Participant, ParticipantState, RoomState
from asiointi.meetings.routing import meeting_socket_path
from asiointi.meetings.tokens import join_token_issue
from asiointi.scheduling.models import AppointmentState
from asiointi.websocket_testing import socket_communicator, socket_outcome

from .conftest import STARTS, Meeting, _meeting, move_to_now

# The consumer's database calls close the connection (as in production), and its events are sent after
# commit: the tests commit.
pytestmark = pytest.mark.django_db(transaction=True)


def client_of(participant: Participant) -> Client:
    client = Client()
    if participant.booth_id is not None:
        login_booth_device(client, participant.booth)
    else:
        login_staff(client, participant.user)
    return client


def communicator(
    participant: Participant, *, token: str | None = None, room_id: int | None = None
) -> WebsocketCommunicator:
    return socket_communicator(
        meeting_socket_path(room_id or participant.room_id),
        client=client_of(participant),
        query=f"join={token if token is not None else join_token_issue(participant=participant)}",
    )


def outcome(participant: Participant, **kwargs: Any) -> tuple[bool, int | None]:
    path = meeting_socket_path(kwargs.pop("room_id", None) or participant.room_id)
    token = kwargs.pop("token", None)
    client = kwargs.pop("client", None) or client_of(participant)
    query = f"join={token if token is not None else join_token_issue(participant=participant)}"
    return async_to_sync(socket_outcome)(path, client=client, query=query)


async def receive_until(ws: WebsocketCommunicator, kind: str, **match: Any) -> dict[str, Any]:
    """The next message of type ``kind`` (whose "you" matches ``match`` for a state)."""
    for _ in range(20):
        message = await ws.receive_json_from(timeout=5)
        if message["type"] != kind:
            continue
        if kind == "state" and any(message["you"].get(k) != v for k, v in match.items()):
            continue
        return message
    raise AssertionError(f"no {kind} message")


async def drain(ws: WebsocketCommunicator) -> None:
    """Read what has arrived so far (the states after earlier changes)."""
    while not await ws.receive_nothing(timeout=0.2):
        await ws.receive_json_from(timeout=1)


@pytest.fixture
def now_meeting(meeting: Meeting) -> Meeting:
    move_to_now(meeting)
    return meeting


# --- who may connect ----------------------------------------------------------------------------


def test_meeting_socket__own_link_in_the_window__accepted(now_meeting, channel_layer):
    assert outcome(now_meeting.kela) == (True, None)
    assert outcome(now_meeting.booth) == (True, None)


def test_meeting_socket__too_early__refused(meeting, channel_layer):
    move_to_now(meeting, minutes_from_now=11)
    assert outcome(meeting.kela) == (False, CLOSE_FORBIDDEN)
    move_to_now(meeting, minutes_from_now=9)
    assert outcome(meeting.kela) == (True, None)


def test_meeting_socket__after_the_end__refused(meeting, channel_layer):
    move_to_now(meeting, minutes_from_now=-31)
    assert outcome(meeting.booth) == (False, CLOSE_FORBIDDEN)


def test_meeting_socket__tampered_or_missing_token__refused(now_meeting, channel_layer):
    token = join_token_issue(participant=now_meeting.kela)
    assert outcome(now_meeting.kela, token=token[:-1] + ("A" if token[-1] != "A" else "B")) == (
        False,
        CLOSE_UNAUTHENTICATED,
    )
    assert outcome(now_meeting.kela, token="") == (False, CLOSE_UNAUTHENTICATED)


def test_meeting_socket__token_of_another_room__refused(now_meeting, channel_layer):
    other = _meeting(start=STARTS + dt.timedelta(days=1), booked_at=STARTS - dt.timedelta(hours=3))
    move_to_now(other)
    # The other room's valid link, on this room's socket.
    token = join_token_issue(participant=other.kela)
    assert outcome(other.kela, token=token, room_id=now_meeting.room.pk) == (False, CLOSE_UNAUTHENTICATED)


def test_meeting_socket__someone_elses_link__refused(now_meeting, channel_layer):
    kela_token = join_token_issue(participant=now_meeting.kela)
    # The Tax expert, signed in as themself, with the Kela expert's link; and a booth screen with it.
    assert outcome(now_meeting.tax, token=kela_token) == (False, CLOSE_FORBIDDEN)
    assert outcome(now_meeting.booth, token=kela_token) == (False, CLOSE_FORBIDDEN)
    assert outcome(now_meeting.kela, token=kela_token, client=Client()) == (False, CLOSE_UNAUTHENTICATED)


def test_meeting_socket__booth_screen_of_another_booth__refused(now_meeting, channel_layer):
    from asiointi.factories import BoothFactory

    client = Client()
    login_booth_device(client, BoothFactory.create(point=now_meeting.room.point))
    assert outcome(now_meeting.booth, client=client) == (False, CLOSE_FORBIDDEN)


# --- the meeting -------------------------------------------------------------------------------


def test_meeting_socket__waiting_room_holds_the_booth_until_admitted(now_meeting, channel_layer):
    m = now_meeting

    expert = communicator(m.kela)
    booth = communicator(m.booth)

    async def scenario() -> None:
        assert (await expert.connect(timeout=5))[0]
        await receive_until(expert, "state", state="admitted")
        assert (await booth.connect(timeout=5))[0]
        waiting = await receive_until(booth, "state", state="waiting")
        assert waiting["room"]["started"] is False
        # The expert sees who waits.
        seen = await receive_until(expert, "state")
        assert {"id": m.booth.pk, "state": "waiting"}.items() <= next(
            p for p in seen["participants"] if p["id"] == m.booth.pk
        ).items()

        # While it waits, the booth can send nothing and receives no offer.
        await booth.send_json_to({"type": "signal", "to": m.kela.pk, "data": {"sdp": "x"}})
        assert (await booth.receive_json_from(timeout=5)) == {"type": "error", "code": "not_admitted"}
        await expert.send_json_to({"type": "signal", "to": m.booth.pk, "data": {"sdp": "offer"}})
        assert (await expert.receive_json_from(timeout=5)) == {"type": "error", "code": "not_in_meeting"}
        await expert.send_json_to({"type": "chat", "text": "Hei"})
        await receive_until(expert, "chat")
        assert await booth.receive_nothing(timeout=0.3)

        # Admitted: the offer reaches it, and its answer reaches the expert.
        await expert.send_json_to({"type": "admit", "participant": m.booth.pk})
        admitted = await receive_until(booth, "state", state="admitted")
        assert admitted["room"]["started"] is True
        await expert.send_json_to({"type": "signal", "to": m.booth.pk, "data": {"sdp": "offer"}})
        assert await receive_until(booth, "signal") == {
            "type": "signal",
            "from": m.kela.pk,
            "data": {"sdp": "offer"},
        }
        await booth.send_json_to({"type": "signal", "to": m.kela.pk, "data": {"candidate": "c"}})
        assert (await receive_until(expert, "signal"))["data"] == {"candidate": "c"}
        await expert.disconnect()
        await booth.disconnect()

    async_to_sync(scenario)()


def test_meeting_socket__late_joiner__gets_the_meeting_as_it_is(now_meeting, channel_layer):
    m = now_meeting

    expert = communicator(m.kela)
    booth = communicator(m.booth)
    interpreter = communicator(m.interpreter)

    async def scenario() -> None:
        await expert.connect(timeout=5)
        await booth.connect(timeout=5)
        await expert.send_json_to({"type": "admit", "participant": m.booth.pk})
        await receive_until(booth, "state", state="admitted")
        await interpreter.connect(timeout=5)
        state = await receive_until(interpreter, "state", state="admitted")
        by_id = {p["id"]: p["state"] for p in state["participants"]}
        assert state["room"]["started"] is True
        assert (
            by_id[m.kela.pk] == "admitted"
            and by_id[m.booth.pk] == "admitted"
            and by_id[m.tax.pk] == "invited"
        )
        for ws in (expert, booth, interpreter):
            await ws.disconnect()

    async_to_sync(scenario)()


def test_meeting_socket__non_expert_admit_remove_end__refused_and_nothing_changes(now_meeting, channel_layer):
    m = now_meeting

    interpreter = communicator(m.interpreter)
    booth = communicator(m.booth)

    async def scenario() -> None:
        await interpreter.connect(timeout=5)
        await booth.connect(timeout=5)
        await receive_until(interpreter, "state")
        for message in (
            {"type": "admit", "participant": m.booth.pk},
            {"type": "remove", "participant": m.booth.pk},
            {"type": "end"},
        ):
            await interpreter.send_json_to(message)
            assert await receive_until(interpreter, "error") == {"type": "error", "code": "forbidden"}
        await interpreter.disconnect()
        await booth.disconnect()

    async_to_sync(scenario)()
    m.refresh()
    assert m.room.state == RoomState.SCHEDULED and m.booth.state == ParticipantState.LEFT


def test_meeting_socket__cannot_send_into_another_room(now_meeting, channel_layer):
    m = now_meeting
    other = _meeting(start=STARTS + dt.timedelta(days=1), booked_at=STARTS - dt.timedelta(hours=3))
    move_to_now(other)

    here = communicator(m.kela)
    there = communicator(other.kela)
    there_booth = communicator(other.booth)

    async def scenario() -> None:
        for ws in (here, there, there_booth):
            await ws.connect(timeout=5)
        await there.send_json_to({"type": "admit", "participant": other.booth.pk})
        await receive_until(there_booth, "state", state="admitted")
        await receive_until(here, "state")
        await drain(there)
        await drain(there_booth)
        # To a participant of the other room, an admit of one, a chat: nothing crosses.
        await here.send_json_to({"type": "signal", "to": other.booth.pk, "data": {"sdp": "offer"}})
        assert await receive_until(here, "error") == {"type": "error", "code": "not_in_meeting"}
        await here.send_json_to({"type": "remove", "participant": other.booth.pk})
        assert await receive_until(here, "error") == {"type": "error", "code": "not_in_meeting"}
        await here.send_json_to({"type": "chat", "text": "Kuuluuko?"})
        assert (await receive_until(here, "chat"))["text"] == "Kuuluuko?"
        assert await there_booth.receive_nothing(timeout=0.3)
        assert await there.receive_nothing(timeout=0.1)
        for ws in (here, there, there_booth):
            await ws.disconnect()

    async_to_sync(scenario)()
    other.booth.refresh_from_db()
    assert other.booth.state == ParticipantState.LEFT  # left when its socket closed, never removed


def test_meeting_socket__removed_participant__closed_and_cannot_rejoin_with_the_link(
    now_meeting, channel_layer
):
    m = now_meeting

    expert = communicator(m.kela)
    booth = communicator(m.booth)

    async def scenario() -> None:
        await expert.connect(timeout=5)
        await booth.connect(timeout=5)
        await expert.send_json_to({"type": "admit", "participant": m.booth.pk})
        await receive_until(booth, "state", state="admitted")
        await expert.send_json_to({"type": "remove", "participant": m.booth.pk})
        assert await receive_until(booth, "removed") == {"type": "removed"}
        assert (await booth.receive_output(timeout=5))["type"] == "websocket.close"
        await expert.disconnect()

    async_to_sync(scenario)()
    assert outcome(m.booth) == (False, CLOSE_FORBIDDEN)
    m.booth.refresh_from_db()
    assert m.booth.state == ParticipantState.REMOVED


def test_meeting_socket__expert_ends__everyone_told_one_transaction_per_agency(now_meeting, channel_layer):
    m = now_meeting

    kela = communicator(m.kela)
    tax = communicator(m.tax)
    booth = communicator(m.booth)

    async def scenario() -> None:
        for ws in (kela, tax, booth):
            await ws.connect(timeout=5)
        await kela.send_json_to({"type": "admit", "participant": m.booth.pk})
        await receive_until(booth, "state", state="admitted")
        await tax.send_json_to({"type": "end"})
        for ws in (kela, tax, booth):
            assert await receive_until(ws, "ended") == {"type": "ended"}

    async_to_sync(scenario)()
    assert Transaction.objects.count() == 2
    m.appointment.refresh_from_db()
    assert m.appointment.state == AppointmentState.DONE
    assert outcome(m.booth) == (False, CLOSE_FORBIDDEN)


def test_meeting_socket__bad_messages__answered_with_an_error(now_meeting, channel_layer):
    m = now_meeting

    expert = communicator(m.kela)

    async def scenario() -> None:
        await expert.connect(timeout=5)
        await receive_until(expert, "state")
        for bad in (
            [1, 2],
            {"type": 3},
            {"type": "nonsense"},
            {"type": "chat", "text": ""},
            {"type": "chat", "text": "x" * 1001},
            {"type": "signal", "to": "1", "data": {}},
            {"type": "signal", "to": m.booth.pk, "data": {"sdp": "x" * 70000}},
        ):
            await expert.send_json_to(bad)
            assert (await receive_until(expert, "error"))["code"] == "bad_message"
        await expert.disconnect()

    async_to_sync(scenario)()
