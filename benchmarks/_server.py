"""What the HTTP benchmarks share: the project's ``manage.py`` in a subprocess, uvicorn started on
loopback with a number of workers (as ``make serve`` does), and the load: concurrent clients on
keep-alive connections for a bounded time after a warm-up, timed into p50, p95 and requests/s, with
the server's CPU time per request (its processes' user and system time from ``/proc``, on Linux).

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
from collections.abc import Callable, Iterator, Mapping, Sequence
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


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: str) -> tuple[int, float] | None:
    """The parent and the user plus system CPU seconds of process ``pid`` (``/proc/<pid>/stat``)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after the command's name, which may hold spaces
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def process_cpu_seconds(pids: Sequence[int]) -> float | None:
    """CPU seconds (user and system) used so far by the processes ``pids`` that are alive and
    readable in ``/proc`` (on this machine); None when none is."""
    found = [stat for pid in pids if (stat := _stat(str(pid)))]
    return sum(seconds for _parent, seconds in found) if found else None


def process_tree_cpu_seconds(root: int) -> float | None:
    """CPU seconds (user and system) used so far by process ``root`` and its descendants alive now
    (uvicorn's supervisor and its workers); None where ``/proc`` is not there."""
    if not Path("/proc/self/stat").exists():
        return None
    stats = {int(pid): found for pid in os.listdir("/proc") if pid.isdigit() and (found := _stat(pid))}
    tree, grown = {root}, True
    while grown:
        grown = False
        for pid, (parent, _seconds) in stats.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grown = True
    return sum(stats[pid][1] for pid in tree if pid in stats)


@dataclass(frozen=True)
class Served:
    """A running server: its port, and the CPU seconds its processes have used so far."""

    port: int
    pid: int

    def cpu_seconds(self) -> float | None:
        return process_tree_cpu_seconds(self.pid)


@contextlib.contextmanager
def server(env: Mapping[str, str], workers: int, ready_path: str) -> Iterator[Served]:
    """uvicorn serving the project on a free loopback port with ``workers`` processes and ``env``,
    once ``ready_path`` answers 200; yields it (port and processes) and stops it afterwards."""
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
        yield Served(port, process.pid)
    finally:
        process.terminate()
        process.wait(timeout=30)


@dataclass
class Client:
    """What one simulated user sends, in turn (starting where its number says), with its headers."""

    calls: Sequence[Call]
    headers: Mapping[str, str] = field(default_factory=dict)


def drive(
    served: Served | int,
    clients: Sequence[Client],
    seconds: float,
    think: float = 0.0,
    meters: Mapping[str, Callable[[], float | None]] | None = None,
) -> dict[str, float]:
    """Each of ``clients`` in its own thread on its own keep-alive connection sends its calls in turn
    (client i starting at its i-th call), waiting ``think`` seconds on average (0.5–1.5 × think)
    after each answer, as a person does (0: one request after another); times counted after the
    warm-up, until ``seconds`` have passed. A 2xx answer is a success; anything else an error.

    CPU time per request in the measured time: the load generator's own (``client_cpu_ms``: this
    process, on the same cores), the server's given a :class:`Served` (``server_cpu_ms``), and
    ``<name>_cpu_ms`` of each of ``meters`` (a function giving CPU seconds used so far, or None)."""
    port = served.port if isinstance(served, Served) else served
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

    cpu: dict[str, float | None] = {}
    meters = {
        "client": time.process_time,
        **({"server": served.cpu_seconds} if isinstance(served, Served) else {}),
        **(meters or {}),
    }

    def sample_cpu() -> None:
        """What each meter says when the measured time begins and when it ends."""
        for moment, at in (("start", measure_from), ("stop", stop_at)):
            time.sleep(max(0.0, at - time.monotonic()))
            for name, meter in meters.items():
                cpu[f"{name}_{moment}"] = meter()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    threads.append(threading.Thread(target=sample_cpu))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    figures = {
        "requests": len(times),
        "errors": errors,
        "per_second": len(times) / seconds,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
    }
    for name in meters:
        start, stop = cpu.get(f"{name}_start"), cpu.get(f"{name}_stop")
        if start is not None and stop is not None and times:
            figures[f"{name}_cpu_ms"] = (stop - start) / len(times) * 1000
    return figures


def load_average() -> str:
    """The machine's load average (1, 5, 15 minutes), to print beside the figures."""
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f}"
