"""Test helpers for what crosses processes: ASGI worker processes (uvicorn) with Redis between them.

Used by the tests that run two workers of one application and check that an event, or a meeting's
signals, published in one reach a WebSocket client of the other (core's events, meetings' signalling).
Redis is ``TEST_REDIS_URL``'s, else ``REDIS_URL``'s: a test that needs it skips, saying so, only when
Redis cannot be reached (:func:`redis_required`).
"""

from __future__ import annotations

import os
import socket
import subprocess  # starts the worker processes of the tests  # nosec B404
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import redis

REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
ROOT = Path(__file__).resolve().parents[2]


def redis_answers(url: str = REDIS_URL) -> bool:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False
    return True


def redis_required(why: str) -> None:
    """Skip the calling test, saying ``why`` Redis is needed, when Redis cannot be reached."""
    import pytest

    if not redis_answers():
        pytest.skip(f"Redis cannot be reached at {REDIS_URL}: {why}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(port: int, process: subprocess.Popen[bytes], *, path: str = "/", timeout: float = 60) -> None:
    """Wait until the worker on ``port`` answers HTTP at ``path`` with any status (an error status
    is an answer too: a page may need collected static files); RuntimeError with the worker's error
    output if it exits, or if it does not answer within ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the worker on port {port} exited: {process.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2):  # nosec B310
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the worker on port {port} did not start")


@contextmanager
def uvicorn_workers(
    app: str, *, env: Mapping[str, str], count: int = 2, ready_path: str = "/"
) -> Iterator[list[int]]:
    """Run ``count`` uvicorn worker processes of the ASGI application ``app`` ("module:attribute"),
    each on a free loopback port, with the environment ``env`` added to this process's (Redis is
    :data:`REDIS_URL` and the settings module ``config.settings`` unless ``env`` says otherwise); yields the ports once
    every worker answers at ``ready_path``, and stops the workers on leaving."""
    environment = {**os.environ, "REDIS_URL": REDIS_URL, "DJANGO_SETTINGS_MODULE": "config.settings", **env}
    ports = [free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)  # nosec B603
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
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, process in zip(ports, processes, strict=True):
            wait_up(port, process, path=ready_path)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
