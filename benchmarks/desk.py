"""The advisor's desk under bounded load on PostgreSQL: the service finder (and, to come, recording a
transaction).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asiointi_bench_desk \\
        .venv/bin/python benchmarks/desk.py [--clients 100] [--seconds 20] [--workers 2] [--skip ...]

Parts, each printed with its goal (docs/performance.md):

* ``quality``: the service finder's top-1 and top-3 rates on the fixed list of real-world queries of
  the tests (asiointi/catalogue/tests/finder_queries.py), in the benchmark's database;
* ``finder``: the p50/p95 latency of ``GET /api/v1/services/search`` with ``--clients`` concurrent
  clients (100) on keep-alive connections, each waiting ``--think`` seconds (1.0 on average) between
  requests as a person does (0: flat out), against uvicorn with ``--workers`` processes (2), load
  generated on loopback, bounded by ``--seconds`` after a short warm-up; the queries of the list in
  turn. Goal: p95 at most 80 ms;
* ``recording``: recording a transaction at the desk (goal: p95 at most 50 ms). Not measured yet: the
  desk app adds it (see :func:`bench_recording`).

The database of ``DATABASE_URL`` (default ``asiointi_bench_desk`` on the local server) is migrated and
loaded with the demo data (``load_demo --months 0``) the first time, reused afterwards. The public
API's rate limit is lifted for the server it starts (every client comes from loopback). ``REDIS_URL``,
when set, is passed to the server, as in production. ``--json`` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/asiointi_bench_desk"
WARM_UP_SECONDS = 2.0
GOALS_MS = {"finder": 80.0, "recording": 50.0}
PARTS = ("quality", "finder", "recording")


# --- the database and the server -------------------------------------------------------------------


def _manage(database_url: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": database_url}
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def _ensure_database(database_url: str) -> None:
    """Create the database when the server does not have it yet."""
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # a name of our own URL


def prepare(database_url: str) -> None:
    """The demo data in the benchmark's database, loaded once; the finder's index renewed."""
    _ensure_database(database_url)
    _manage(database_url, "migrate", "--noinput", "-v0")
    check = "from asiointi.catalogue.models import Service; print(Service.objects.count())"
    if int(_manage(database_url, "shell", "-v", "0", "-c", check).strip().splitlines()[-1]) == 0:
        print("Loading the demo data (once) ...", flush=True)
        _manage(database_url, "load_demo", "--months", "0")
    _manage(database_url, "finder_rebuild")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def start_server(database_url: str, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "TRUSTED_PROXIES": "",
        # Every client of the benchmark comes from loopback: the per-address limit would refuse them.
        "API_PUBLIC_LIMIT_PER_MINUTE": "1000000000",
    }
    server = subprocess.Popen(  # noqa: S603 - the project's own server command
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
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = _get(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/api/v1/agencies")
            if status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("The server did not answer within 60 s.")


def drive(port: int, paths: list[str], clients: int, seconds: float, think: float = 0.0) -> dict[str, float]:
    """``clients`` threads, each on its own keep-alive connection, request ``paths`` in turn (each
    client starting at another one, waiting ``think`` seconds after each answer, as a person does);
    times counted after the warm-up, until ``seconds`` have passed."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + WARM_UP_SECONDS
    stop_at = measure_from + seconds

    def client(offset: int) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        own: list[float] = []
        own_errors = 0
        for path in itertools.islice(itertools.cycle(paths), offset, None):
            began = time.monotonic()
            if began >= stop_at:
                break
            try:
                status, _body = _get(connection, path)
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if began >= measure_from:
                own.append(time.monotonic() - began)
                own_errors += 0 if ok else 1
            if think:
                time.sleep(think * (0.5 + (offset * 7919 + len(own)) % 100 / 100))  # 0.5–1.5 × think
        connection.close()
        with lock:
            times.extend(own)
            errors += own_errors

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
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


# --- the parts ------------------------------------------------------------------------------------

_QUALITY_SCRIPT = """
import json
from asiointi.catalogue.analysis import voikko_available
from asiointi.catalogue.finder import service_search
from asiointi.catalogue.tests.finder_queries import QUERIES
top1 = top3 = 0
for query, language, code in QUERIES:
    codes = [r.service.code for r in service_search(query=query, language=language, limit=3)]
    top1 += codes[:1] == [code]
    top3 += code in codes
print(json.dumps({"queries": len(QUERIES), "top1": top1 / len(QUERIES), "top3": top3 / len(QUERIES),
                  "voikko": voikko_available()}))
"""


def bench_quality(database_url: str) -> dict[str, object]:
    """The finder's top-1 and top-3 rates on the test list, in the benchmark's database."""
    out = _manage(database_url, "shell", "-v", "0", "-c", _QUALITY_SCRIPT)
    return dict(json.loads(out.strip().splitlines()[-1]))


def finder_paths() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from asiointi.catalogue.tests.finder_queries import QUERIES

    return [f"/api/v1/services/search?{urlencode({'q': q, 'lang': lang})}" for q, lang, _code in QUERIES]


def bench_finder(
    database_url: str, clients: int, seconds: float, workers: int, think: float
) -> dict[str, float]:
    """p50/p95 of the finder's API under ``clients`` concurrent clients."""
    server, port = start_server(database_url, workers)
    try:
        return drive(port, finder_paths(), clients, seconds, think)
    finally:
        server.terminate()
        server.wait(timeout=30)


def bench_recording(database_url: str, clients: int, seconds: float, workers: int) -> dict[str, float] | None:
    """Recording a transaction at the desk under ``clients`` concurrent advisors: to be written with
    the desk app (asiointi/desk/), on the same server and :func:`drive`. None until then."""
    return None


# --- main -----------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think",
        type=float,
        default=1.0,
        help="seconds each user waits between requests, on average (1.0); 0 drives the server flat out",
    )
    parser.add_argument("--skip", default="", help=f"parts to leave out, comma-separated: {', '.join(PARTS)}")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith("postgres"):
        parser.error("the desk benchmark runs on PostgreSQL: give DATABASE_URL=postgres://...")
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}

    prepare(database_url)
    figures: dict[str, object] = {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "think": args.think,
    }
    if "quality" not in skip:
        figures["quality"] = bench_quality(database_url)
    if "finder" not in skip:
        figures["finder"] = bench_finder(database_url, args.clients, args.seconds, args.workers, args.think)
    if "recording" not in skip:
        figures["recording"] = bench_recording(database_url, args.clients, args.seconds, args.workers)

    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(
        f"{args.clients} concurrent users ({args.think:g} s between requests), {args.workers} server workers, "
        f"{args.seconds:g} s per part"
    )
    quality = figures.get("quality")
    if isinstance(quality, dict):
        print(
            f"finder quality: top-1 {quality['top1']:.1%}, top-3 {quality['top3']:.1%} of {quality['queries']} "
            f"queries (Voikko {'on' if quality['voikko'] else 'missing'})"
        )
    for part in ("finder", "recording"):
        if part not in figures:
            continue
        result = figures[part]
        if not isinstance(result, dict):
            print(f"{part}: not measured yet")
            continue
        verdict = "meets" if result["p95_ms"] <= GOALS_MS[part] else "misses"
        print(
            f"{part}: {result['requests']:.0f} requests, {result['errors']:.0f} errors, "
            f"{result['per_second']:.1f} req/s, p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
            f"({verdict} the goal of {GOALS_MS[part]:g} ms)"
        )


if __name__ == "__main__":
    main()
