"""Two ASGI worker processes (uvicorn, the product's own application) with Redis between them: the expert
connected to one and the booth connected to the other are in one meeting. The waiting room, the
admission, the WebRTC signals both ways and the end all cross between the processes, because the room's
state is in the database and the messages travel through the channel layer, never in one process.

Redis is REDIS_URL's (TEST_REDIS_URL first); the test is skipped, saying so, only when Redis cannot be
reached. The processes use the test's own database (the test commits its data)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.core.testing import redis_required, uvicorn_workers
from asiointi.ledger.models import Transaction
from asiointi.meetings.models import Participant
from asiointi.meetings.routing import meeting_socket_path
from asiointi.meetings.tokens import join_token_issue

from .conftest import Meeting, move_to_now

pytestmark = pytest.mark.django_db(transaction=True)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[list[int]]:
    redis_required("signalling between processes needs it")
    if connection.vendor == "sqlite" and not str(connection.settings_dict["NAME"]).startswith("/"):
        pytest.skip("the test database is in memory: the worker processes cannot share it")
    env = {
        "DATABASE_URL": _database_url(),
        # The same key as the test's: its sessions and join tokens are signed with it.
        "SECRET_KEY": settings.SECRET_KEY,
        "ASIOINTI_VAR_DIR": str(tmp_path),
    }
    # Ready when a worker answers HTTP at all (any status: the pages need collected static files).
    with uvicorn_workers("config.asgi:application", env=env, ready_path="/robots.txt") as ports:
        yield ports


def _socket(port: int, participant: Participant, client: Client) -> ClientConnection:
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"ws://127.0.0.1:{port}{meeting_socket_path(participant.room_id)}?join={join_token_issue(participant=participant)}"
    return connect(
        url, origin=Origin("http://127.0.0.1"), additional_headers={"Cookie": cookie}, open_timeout=20
    )


def _until(ws: ClientConnection, kind: str, **you: Any) -> dict[str, Any]:
    for _ in range(20):
        message = json.loads(ws.recv(timeout=10))
        if message["type"] == kind and all(message.get("you", {}).get(k) == v for k, v in you.items()):
            return message
    raise AssertionError(f"no {kind} message")


def test_meeting__expert_and_booth_on_two_worker_processes_with_redis__signalling_crosses(
    meeting: Meeting, two_workers: list[int]
):
    move_to_now(meeting)
    port_a, port_b = two_workers
    expert_client, booth_client = Client(), Client()
    login_staff(expert_client, meeting.kela.user)
    login_booth_device(booth_client, meeting.booth.booth)

    with (
        _socket(port_a, meeting.kela, expert_client) as expert,
        _socket(port_b, meeting.booth, booth_client) as booth,
    ):
        _until(expert, "state", state="admitted")
        _until(booth, "state", state="waiting")
        # The expert (process A) sees the booth (process B) waiting, and admits it.
        for _ in range(5):
            seen = _until(expert, "state")
            if any(p["id"] == meeting.booth.pk and p["state"] == "waiting" for p in seen["participants"]):
                break
        expert.send(json.dumps({"type": "admit", "participant": meeting.booth.pk}))
        assert _until(booth, "state", state="admitted")["room"]["started"] is True

        expert.send(json.dumps({"type": "signal", "to": meeting.booth.pk, "data": {"sdp": "offer-from-a"}}))
        assert _until(booth, "signal") == {
            "type": "signal",
            "from": meeting.kela.pk,
            "data": {"sdp": "offer-from-a"},
        }
        booth.send(json.dumps({"type": "signal", "to": meeting.kela.pk, "data": {"sdp": "answer-from-b"}}))
        assert _until(expert, "signal")["data"] == {"sdp": "answer-from-b"}

        expert.send(json.dumps({"type": "end"}))
        assert _until(booth, "ended") == {"type": "ended"}

    assert Transaction.objects.filter(agency_id=meeting.kela.agency_id).count() == 1
