"""The advisor's desk under bounded load on PostgreSQL: recording a transaction and the service finder.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asiointi_bench_desk \\
        .venv/bin/python benchmarks/desk.py [--clients 100] [--seconds 20] [--workers 2] [--skip ...]

Parts, each printed with its goal (docs/performance.md):

* ``quality``: the service finder's top-1 and top-3 rates on the fixed list of real-world queries of
  the tests (asiointi/catalogue/tests/finder_queries.py, the one list), in the benchmark's database;
* ``process``: one process, no concurrency (the Django test client): per request of each operation
  below, the wall and CPU time and the number of SQL queries, which a shared machine's load distorts
  less than the latencies under load;
* ``finder``: ``GET /api/v1/services/search`` with the queries of the list in turn; after the first
  round every answer comes from the finder's answer cache (a minute, versioned keys), as a repeated
  need does;
* ``finder_uncached``: the same against a server without the answer cache: every request analyses
  the query, queries and scores;
* ``recording``: ``POST /api/v1/desk/points/{id}/transactions``, each user an advisor of a demo
  point with a personal API token (made for the benchmark: ``advisor<N>@benchmark.invalid``),
  recording the services offered at their point in turn.

``recording``, ``finder`` and ``finder_uncached`` run ``--clients`` concurrent users (100) on keep-alive connections, each
waiting ``--think`` seconds (1.0 on average) between requests as a person does (0: flat out),
against uvicorn with ``--workers`` processes (2), load generated on loopback, for ``--seconds`` after
a short warm-up, and print requests, errors, requests/s, p50 and p95, and the CPU time per request
of the server's processes (uvicorn and its workers, from ``/proc/<pid>/stat``), of the PostgreSQL
backends of its pool (with ``--db-pool``, when the database runs on this machine) and of the load
generator (this process, on the same cores) in the measured time: figures that the load of a shared
machine distorts much less than the latencies. Goals: p95 at most 50 ms for
recording, 80 ms for the finder (both ways).

The database of ``DATABASE_URL`` (default ``asiointi_bench_desk`` on the local server) is migrated and
loaded with the demo data (``load_demo --months 0``) the first time, reused afterwards; each run adds
its recorded transactions to its ledger. The public API's rate limit is lifted for the server it starts
(every client comes from loopback). ``REDIS_URL``, when set, is passed to the server, as in production.
``--db-pool N`` (8) gives the server the project's setting ``DB_POOL=N``: N PostgreSQL connections
pooled per process (psycopg's pool); ``--db-pool 0`` opens a new connection for every request, the
project's default. The server runs the project's settings through ``benchmarks/desk_settings.py``,
which only turns the finder's answer cache off for ``finder_uncached``. The load average is printed
before and after. ``--json`` prints the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from urllib.parse import urlencode

from _server import (
    ROOT,
    Call,
    Client,
    drive,
    environment,
    load_average,
    manage,
    process_cpu_seconds,
    server,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/asiointi_bench_desk"
GOALS_MS = {"recording": 50.0, "finder": 80.0, "finder_uncached": 80.0}
PARTS = ("quality", "process", "recording", "finder", "finder_uncached")
#: The settings of the server it starts: the project's, with the knob of benchmarks/desk_settings.py.
SERVER_SETTINGS = "benchmarks.desk_settings"


# --- the database ---------------------------------------------------------------------------------


def _env(database_url: str, **knobs: str) -> dict[str, str]:
    return environment(
        {
            **knobs,
            "DATABASE_URL": database_url,
            "TRUSTED_PROXIES": "",
            # Every client of the benchmark comes from loopback: the per-address limit would refuse them.
            "API_PUBLIC_LIMIT_PER_MINUTE": "1000000000",
        }
    )


def _manage(database_url: str, *args: str) -> str:
    return manage(_env(database_url), *args)


def _shell(database_url: str, code: str) -> dict[str, object]:
    """Run ``code`` in ``manage.py shell``; the JSON object it prints last."""
    out = _manage(database_url, "shell", "-v", "0", "-c", code)
    return dict(json.loads(out.strip().splitlines()[-1]))


def _ensure_database(database_url: str) -> None:
    """Create the database when the server does not have it yet."""
    import psycopg

    base, name = database_url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')  # a name of our own URL


def database_cpu_seconds(database_url: str) -> float | None:
    """CPU seconds used so far by the PostgreSQL backends now connected to the benchmark's database
    (the server's pool), when the database server runs on this machine; None otherwise. Backends
    that ended in between are not counted: meaningful with ``--db-pool``, whose connections stay."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return process_cpu_seconds([pid for (pid,) in rows])


def prepare(database_url: str) -> None:
    """The demo data in the benchmark's database, loaded once; the finder's index renewed."""
    _ensure_database(database_url)
    _manage(database_url, "migrate", "--noinput", "-v0")
    check = "from asiointi.catalogue.models import Service; print(Service.objects.count())"
    if int(_manage(database_url, "shell", "-v", "0", "-c", check).strip().splitlines()[-1]) == 0:
        print("Loading the demo data (once) ...", flush=True)
        _manage(database_url, "load_demo", "--months", "0")
    _manage(database_url, "finder_rebuild")


# The benchmark's advisors: one per user, each at a demo point with services, with a new API token
# (the previous run's tokens are deleted); printed as JSON: token, point and the point's services.
_ADVISORS_SCRIPT = """
import json
from django.test import RequestFactory
from asiointi.accounts.models import ApiToken, Membership, Role, User
from asiointi.accounts.services import api_token_issue
from asiointi.catalogue.models import ServiceOffering
from asiointi.network.models import ServicePoint

ApiToken.objects.filter(user__email__endswith="@benchmark.invalid").delete()
points = list(ServicePoint.objects.filter(offerings__service__is_active=True).distinct().order_by("pk"))
services = {
    point.pk: sorted(set(ServiceOffering.objects.filter(point=point, service__is_active=True)
                         .values_list("service_id", flat=True)))[:25]
    for point in points
}
advisors = []
for i in range(COUNT):
    point = points[i % len(points)]
    user, _created = User.objects.get_or_create(
        email=f"advisor{i}@benchmark.invalid", defaults={"full_name": f"Benchmark advisor {i}"}
    )
    Membership.objects.filter(user=user).exclude(role=Role.ADVISOR, point=point).delete()
    Membership.objects.get_or_create(user=user, role=Role.ADVISOR, point=point)
    request = RequestFactory().post("/benchmark/")
    request.user = user
    token = api_token_issue(request=request, token=ApiToken(user=user, name="benchmarks/desk.py"))
    advisors.append({"token": token, "point": point.pk, "services": services[point.pk]})
print(json.dumps({"advisors": advisors}))
"""


def advisors(database_url: str, count: int) -> list[dict[str, object]]:
    found = _shell(database_url, _ADVISORS_SCRIPT.replace("COUNT", str(int(count))))["advisors"]
    assert isinstance(found, list)
    return found


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
    return _shell(database_url, _QUALITY_SCRIPT)


# One process, the Django test client: per request, wall and CPU time and the SQL queries.
_PROCESS_SCRIPT = """
import json, time
from urllib.parse import urlencode
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from asiointi.catalogue.tests.finder_queries import QUERIES

ADVISOR = ADVISOR_JSON

def measure(calls, rounds):
    for call in calls:
        assert 200 <= call().status_code < 300
    wall = cpu = 0.0
    with CaptureQueriesContext(connection) as queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(rounds):
            for call in calls:
                call()
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    n = rounds * len(calls)
    return {"wall_ms": wall / n * 1000, "cpu_ms": cpu / n * 1000, "queries": len(queries) / n}

public = Client(SERVER_NAME="localhost")
finder = [
    (lambda path: lambda: public.get(path))(f"/api/v1/services/search?{urlencode({'q': q, 'lang': lang})}")
    for q, lang, _code in QUERIES
]
advisor = Client(SERVER_NAME="localhost", HTTP_AUTHORIZATION=f"Bearer {ADVISOR['token']}")
record = [
    (lambda body: lambda: advisor.post(
        f"/api/v1/desk/points/{ADVISOR['point']}/transactions", body, content_type="application/json"
    ))(json.dumps({"service": service, "duration_seconds": 300}))
    for service in ADVISOR["services"]
]
from django.test import override_settings
with override_settings(FINDER_ANSWER_SECONDS=0):
    uncached = measure(finder, 2)
print(json.dumps({"finder": measure(finder, 3), "finder_uncached": uncached, "recording": measure(record, 3)}))
"""


def bench_process(database_url: str, advisor: dict[str, object]) -> dict[str, object]:
    return _shell(database_url, _PROCESS_SCRIPT.replace("ADVISOR_JSON", repr(advisor)))


def finder_clients(count: int) -> list[Client]:
    sys.path.insert(0, str(ROOT))
    from asiointi.catalogue.tests.finder_queries import QUERIES

    calls = [
        Call(f"/api/v1/services/search?{urlencode({'q': q, 'lang': lang})}") for q, lang, _code in QUERIES
    ]
    return [Client(calls) for _ in range(count)]


def recording_clients(found: list[dict[str, object]]) -> list[Client]:
    clients = []
    for number, advisor in enumerate(found):
        services = advisor["services"]
        assert isinstance(services, list)
        path = f"/api/v1/desk/points/{advisor['point']}/transactions"
        calls = [
            Call(path, json.dumps({"service": s, "duration_seconds": 120 + 60 * ((number + i) % 8)}).encode())
            for i, s in enumerate(services)
        ]
        clients.append(Client(calls, headers={"Authorization": f"Bearer {advisor['token']}"}))
    return clients


# --- main -----------------------------------------------------------------------------------------


def _print(figures: dict[str, object], args: argparse.Namespace) -> None:
    print(
        f"{args.clients} concurrent users ({args.think:g} s between requests), {args.workers} server workers, "
        f"{args.seconds:g} s per part, "
        f"{f'a pool of {args.db_pool} connections per process' if args.db_pool else 'a connection per request'}; "
        f"load average before {figures['load_before']}, "
        f"after {figures['load_after']}"
    )
    quality = figures.get("quality")
    if isinstance(quality, dict):
        print(
            f"finder quality: top-1 {quality['top1']:.1%}, top-3 {quality['top3']:.1%} of {quality['queries']} "
            f"queries (Voikko {'on' if quality['voikko'] else 'missing'})"
        )
    process = figures.get("process")
    if isinstance(process, dict):
        for part, one in process.items():
            print(
                f"{part}, one process: {one['wall_ms']:.1f} ms wall, {one['cpu_ms']:.1f} ms CPU, "
                f"{one['queries']:g} queries per request"
            )
    for part in ("recording", "finder", "finder_uncached"):
        result = figures.get(part)
        if not isinstance(result, dict):
            continue
        verdict = "meets" if result["p95_ms"] <= GOALS_MS[part] else "misses"
        cpu = ", ".join(
            f"{label} {result[f'{name}_cpu_ms']:.1f} ms"
            for name, label in (("server", "server"), ("database", "database"), ("client", "load generator"))
            if f"{name}_cpu_ms" in result
        )
        cpu = f"; CPU per request: {cpu}" if cpu else ""
        print(
            f"{part}: {result['requests']:.0f} requests, {result['errors']:.0f} errors, "
            f"{result['per_second']:.1f} req/s, p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
            f"({verdict} the goal of {GOALS_MS[part]:g} ms){cpu}"
        )


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
    parser.add_argument(
        "--db-pool",
        type=int,
        default=8,
        help="PostgreSQL connections pooled per server process (the setting DB_POOL; 8); 0, the "
        "project's default: a new connection for every request",
    )
    parser.add_argument("--skip", default="", help=f"parts to leave out, comma-separated: {', '.join(PARTS)}")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
    if not database_url.startswith("postgres"):
        parser.error("the desk benchmark runs on PostgreSQL: give DATABASE_URL=postgres://...")
    skip = {part.strip() for part in args.skip.split(",") if part.strip()}
    if unknown := skip - set(PARTS):
        parser.error(f"unknown parts: {', '.join(sorted(unknown))}")

    prepare(database_url)
    knobs = {"DB_POOL": str(args.db_pool), "DB_CONN_MAX_AGE": "0"}
    found = advisors(database_url, args.clients) if {"process", "recording"} - skip else []
    figures: dict[str, object] = {
        "clients": args.clients,
        "workers": args.workers,
        "seconds": args.seconds,
        "think": args.think,
        "db_pool": args.db_pool,
        "load_before": load_average(),
    }
    # The database's CPU per request too, where its backends stay (a pool) and run on this machine.
    meters = {"database": lambda: database_cpu_seconds(database_url)} if args.db_pool else {}
    if "quality" not in skip:
        figures["quality"] = bench_quality(database_url)
    if "process" not in skip:
        figures["process"] = bench_process(database_url, found[0])
    if {"finder", "recording"} - skip:
        env = {**_env(database_url, **knobs), "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS}
        with server(env, args.workers, ready_path="/api/v1/agencies") as served:
            if "recording" not in skip:
                figures["recording"] = drive(
                    served, recording_clients(found), args.seconds, args.think, meters
                )
            if "finder" not in skip:
                figures["finder"] = drive(
                    served, finder_clients(args.clients), args.seconds, args.think, meters
                )
    if "finder_uncached" not in skip:
        knobs["BENCHMARK_FINDER_ANSWER_SECONDS"] = "0"
        env = {**_env(database_url, **knobs), "DJANGO_SETTINGS_MODULE": SERVER_SETTINGS}
        with server(env, args.workers, ready_path="/api/v1/agencies") as served:
            figures["finder_uncached"] = drive(
                served, finder_clients(args.clients), args.seconds, args.think, meters
            )
    figures["load_after"] = load_average()

    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures, args)


if __name__ == "__main__":
    main()
