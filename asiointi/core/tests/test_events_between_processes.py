"""Two ASGI worker processes (uvicorn) with Redis between them: an event published in one reaches a
WebSocket client of the other, as it must when the web service runs as many processes.

Redis is REDIS_URL's (TEST_REDIS_URL first, for a database of one's own); the test is skipped, saying
so, only when Redis cannot be reached."""

from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from websockets.sync.client import connect

REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[3]


def _redis_answers() -> bool:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the worker on port {port} exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the worker on port {port} did not start")


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[list[int]]:
    if not _redis_answers():
        pytest.skip(f"Redis cannot be reached at {REDIS_URL}: events between processes need it")
    env = {
        **os.environ,
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'relay.sqlite3'}",
        "ASIOINTI_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    ports = [_free_port(), _free_port()]
    app = "asiointi.core.tests.relay_asgi:application"
    processes = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "uvicorn",
                app,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            _wait_up(port, process)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


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
