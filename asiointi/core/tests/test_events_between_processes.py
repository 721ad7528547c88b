"""Two ASGI worker processes (uvicorn) with Redis between them: an event published in one reaches a
WebSocket client of the other, as it must when the web service runs as many processes.

Redis is REDIS_URL's (TEST_REDIS_URL first, for a database of one's own); the test is skipped, saying
so, only when Redis cannot be reached."""

from __future__ import annotations

import json
import secrets
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.client import connect

from asiointi.core.testing import redis_required, uvicorn_workers


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[list[int]]:
    redis_required("events between processes need it")
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'relay.sqlite3'}",
        "ASIOINTI_VAR_DIR": str(tmp_path),
    }
    with uvicorn_workers("asiointi.core.tests.relay_asgi:application", env=env) as ports:
        yield ports


def test_event_publish__two_worker_processes_with_redis__reaches_a_client_of_the_other(two_workers):
    publisher_port, listener_port = two_workers
    group = f"test.relay.{secrets.token_hex(6)}"

    with connect(f"ws://127.0.0.1:{listener_port}/ws/events/{group}/", open_timeout=10) as socket_b:
        time.sleep(0.2)  # the consumer joins its group right after the handshake
        request = urllib.request.Request(f"http://127.0.0.1:{publisher_port}/publish/{group}/", method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            publisher_pid = int(response.read())
        message = json.loads(socket_b.recv(timeout=10))

    with urllib.request.urlopen(f"http://127.0.0.1:{listener_port}/", timeout=5) as response:
        listener_pid = int(response.read())
    assert message == {"published_by": publisher_pid}
    assert listener_pid != publisher_pid  # published in one process, received through the other
