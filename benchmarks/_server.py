"""What the HTTP benchmarks share: the project's ``manage.py`` in a subprocess, uvicorn started on
loopback with a number of workers (as ``make serve`` does), and the load: concurrent clients on
keep-alive connections for a bounded time after a warm-up, timed into p50, p95 and requests/s.

Used by ``pages.py`` and ``desk.py``; not a benchmark of its own."""

from __future__ import annotations

import contextlib
import http.client
import itertools
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UP_SECONDS = 2.0
START_SECONDS = 60


def environment(set_: Mapping[str, str], remove: Sequence[str] = ()) -> dict[str, str]:
    """This process's environment with ``set_`` and without ``remove``."""
    env = {**os.environ, **set_}
    for name in remove:
        env.pop(name, None)
    return env


def manage(env: Mapping[str, str], *args: str) -> str:
    """Run ``manage.py args`` with ``env``; its standard output."""
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=dict(env),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Call:
    """One request of a client: a GET, or a POST of a JSON body."""

    path: str
    body: bytes | None = None

    def send(self, connection: http.client.HTTPConnection, headers: Mapping[str, str]) -> int:
        if self.body is None:
            connection.request("GET", self.path, headers=dict(headers))
        else:
            connection.request(
                "POST", self.path, body=self.body, headers={**headers, "Content-Type": "application/json"}
            )
        response = connection.getresponse()
        response.read()
        return response.status


def _answers(port: int, path: str) -> bool:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        return Call(path).send(connection, {}) == 200
    finally:
        connection.close()


@contextlib.contextmanager
def server(env: Mapping[str, str], workers: int, ready_path: str) -> Iterator[int]:
    """uvicorn serving the project on a free loopback port with ``workers`` processes and ``env``,
    once ``ready_path`` answers 200; yields the port and stops the server afterwards."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - the project's own server command
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-server-header",
            "--no-proxy-headers",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=dict(env),
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if _answers(port, ready_path):
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"The server did not answer within {START_SECONDS} s.")
            time.sleep(0.3)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Client:
    """What one simulated user sends, in turn (starting where its number says), with its headers."""

    calls: Sequence[Call]
    headers: Mapping[str, str] = field(default_factory=dict)


def drive(port: int, clients: Sequence[Client], seconds: float, think: float = 0.0) -> dict[str, float]:
    """Each of ``clients`` in its own thread on its own keep-alive connection sends its calls in turn
    (client i starting at its i-th call), waiting ``think`` seconds on average (0.5–1.5 × think)
    after each answer, as a person does (0: one request after another); times counted after the
    warm-up, until ``seconds`` have passed. A 2xx answer is a success; anything else an error."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + WARM_UP_SECONDS
    stop_at = measure_from + seconds

    def run(offset: int, client: Client) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        own: list[float] = []
        own_errors = 0
        for call in itertools.islice(itertools.cycle(client.calls), offset, None):
            began = time.monotonic()
            if began >= stop_at:
                break
            try:
                ok = 200 <= call.send(connection, client.headers) < 300
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if began >= measure_from:
                own.append(time.monotonic() - began)
                own_errors += 0 if ok else 1
            if think:
                time.sleep(think * (0.5 + (offset * 7919 + len(own)) % 100 / 100))
        connection.close()
        with lock:
            times.extend(own)
            errors += own_errors

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    return {
        "requests": len(times),
        "errors": errors,
        "per_second": len(times) / seconds,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
    }


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes), to print beside the figures."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"
