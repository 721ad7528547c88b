"""The scheduling core on national-scale data: slot search, bookings under concurrency, and the
django-appointment package on the same questions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asiointi_bench_scheduling .venv/bin/python benchmarks/scheduling.py

The database named in DATABASE_URL (PostgreSQL; default the one above) is dropped and made again, then
filled with 300 points (1–3 booths each, opening hours), 7 agencies with 3 services each, 3,000 experts
(services, languages, working hours), 200 interpreters and --reservations (1,000,000) active reservations
over a year, as appointments with their reservations and services (COPY; non-overlapping, which the
exclusion constraint checks when it is built again after the COPY), then vacuumed and analysed as
autovacuum would. --reuse keeps the database of an earlier run, without the bookings of its (b). It prints:

(a) p50 and p95 time and the query count of the slot search "the first 20 free slots within 30 days",
    for a one-agency request and for a two-agency request with an interpreter (goal: p95 <= 25 ms);
(b) bookings per second with 16 concurrent clients (--clients), each a process with its own connection,
    through ``appointment_book`` and through plain SQL (psycopg: the appointment and its reservations in
    one transaction, the exclusion constraint refusing overlaps), for --seconds each, and the number of
    overlapping active reservations of one resource afterwards (must be 0);
(c) django-appointment (a dependency of this benchmark only: installed on first use into the throwaway
    venv var/bench-venv, or by ``make bench-venv``; see benchmarks/README.md) on its own SQLite database
    of the same size, beside ours on the same two questions ("the first 20 free slots in 30 days among 40
    staff", "one staff member's free times for one day"), as ratios. When it cannot be installed or run,
    the output says why and prints ours only.

--json prints the figures as JSON as well; --answers FILE writes the slots that (a) found, with who
would hold each, so that two versions of the search can be compared on the same data (same --seed and
--runs: the same requests).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import secrets
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
HELSINKI = ZoneInfo("Europe/Helsinki")
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/asiointi_bench_scheduling"
AGENCIES = 7
POINTS = 300
EXPERTS = 3000
INTERPRETERS = 200
#: Starts of the generated appointments: whole hours in local time, inside every point's opening hours.
HOURS = (9, 10, 11, 12, 13, 14)
INTERPRETER_LANGUAGES = ["ar", "ru", "so", "fa", "uk", "et", "fse", "fss", "ckb", "prs", "th", "vi"]
PEER_STAFF = 40


def _setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SLOT_SEARCH_LIMIT_PER_MINUTE", "0")
    os.environ.setdefault("BOOKING_LIMIT_PER_HOUR", "0")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def _recreate(url: str) -> None:
    import psycopg

    base, dbname = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{dbname}"')


def _forget_earlier_bookings(data: dict) -> None:
    """With --reuse: remove what earlier runs' (b) booked (appointments past the generated ones, and
    their mail tasks), so that every run's bookings meet the same calendars."""
    from django.db import connection, transaction

    from asiointi.scheduling.models import Appointment, AppointmentChange, Reservation

    last = data["appointments"]
    with transaction.atomic():
        AppointmentChange.objects.filter(appointment_id__gt=last).delete()
        Reservation.objects.filter(appointment_id__gt=last).delete()
        Appointment.services.through.objects.filter(appointment_id__gt=last).delete()
        Appointment.objects.filter(pk__gt=last).delete()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM django_tasks_database_dbtaskresult")


def _vacuum() -> None:
    """VACUUM ANALYZE, as autovacuum does after a bulk load or a run's bookings on a production server
    (where it is on; a test machine's server may have it off): the visibility map lets the slot
    search's load count read the reservations' index alone, and the planner has fresh statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _now() -> dt.datetime:
    """Monday's 08:00 of this week in Helsinki: the fixed "now" of the whole run."""
    today = dt.datetime.now(HELSINKI).date()
    monday = today - dt.timedelta(days=today.weekday())
    return dt.datetime.combine(monday, dt.time(8), tzinfo=HELSINKI)


def _working_days(first: dt.date, count: int) -> list[dt.date]:
    from asiointi.network.selectors import finnish_holiday

    days = [first + dt.timedelta(days=n) for n in range(count)]
    return [d for d in days if d.weekday() < 5 and not finnish_holiday(d)]


# --- data -----------------------------------------------------------------------------------------


def generate(*, reservations: int, seed: int, now: dt.datetime) -> dict[str, object]:
    """Fill the (migrated, empty) database; returns what the measurements need."""
    from django.db import connection

    from asiointi.accounts.models import User
    from asiointi.catalogue.models import Channel, Service, ServiceOffering
    from asiointi.network.models import Agency, Booth, Municipality, OpeningHoursRule, Region, ServicePoint
    from asiointi.scheduling.models import (
        Appointment,
        Expert,
        Interpreter,
        Reservation,
        Resource,
        WorkingHours,
    )

    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    region = Region.objects.create(code="99", name="Bench")
    municipalities = Municipality.objects.bulk_create(
        Municipality(
            code=f"{n:03d}",
            name=f"Kunta {n}",
            region=region,
            population=5000,
            lat=62.0,
            lon=25.0,
            centre_lat=62.0,
            centre_lon=25.0,
            area_km2=500.0,
            language="fi",
        )
        for n in range(1, POINTS + 1)
    )
    points = ServicePoint.objects.bulk_create(
        ServicePoint(
            slug=f"bench-{n}",
            name=f"Piste {n}",
            municipality=m,
            street_address="Testitie 1",
            postal_code="43500",
            post_office=m.name,
            lat=62.0,
            lon=25.0,
            active_from=dt.date(2020, 1, 1),
        )
        for n, m in enumerate(municipalities)
    )
    rules = []
    for n, point in enumerate(points):
        opens, closes = [(dt.time(8), dt.time(16)), (dt.time(9), dt.time(15)), (dt.time(9), dt.time(16))][
            n % 3
        ]
        for weekday in range(5):
            late = weekday == 3 and n % 3 == 0
            rules.append(
                OpeningHoursRule(
                    point=point, weekday=weekday, opens=opens, closes=dt.time(18) if late else closes
                )
            )
    OpeningHoursRule.objects.bulk_create(rules)
    booths = Booth.objects.bulk_create(
        Booth(point=point, name=f"Etäpalvelupiste {b + 1}")
        for point in points
        for b in range(rng.randint(1, 3))
    )
    booth_resources = Resource.objects.bulk_create(Resource(kind="booth", booth=b) for b in booths)
    booths_of_point: dict[int, list[int]] = defaultdict(list)
    for booth, resource in zip(booths, booth_resources, strict=True):
        booths_of_point[booth.point_id].append(resource.pk)
    agencies = Agency.objects.bulk_create(
        Agency(code=f"bench-{a}", name=f"Virasto {a}") for a in range(AGENCIES)
    )
    services = Service.objects.bulk_create(
        Service(
            agency=agency,
            code=f"s-{a}-{s}",
            name=f"Palvelu {a}.{s}",
            typical_duration_minutes=(30, 30, 45)[s],
        )
        for a, agency in enumerate(agencies)
        for s in range(3)
    )
    # Two services of the first agency for the comparison with django-appointment: one handled by 40
    # experts, one by a single expert.
    forty, single = Service.objects.bulk_create(
        [
            Service(
                agency=agencies[0], code="s-forty", name="Neljänkymmenen palvelu", typical_duration_minutes=30
            ),
            Service(agency=agencies[0], code="s-single", name="Yhden palvelu", typical_duration_minutes=30),
        ]
    )
    ServiceOffering.objects.bulk_create(
        ServiceOffering(point=point, service=service, channel=Channel.REMOTE_MEETING)
        for point in points
        for service in [*services, forty, single]
    )
    users = User.objects.bulk_create(
        User(email=f"bench{n}@example.fi", full_name=f"Asiantuntija {n}", password="!")  # noqa: S106 (unusable)
        for n in range(EXPERTS + INTERPRETERS)
    )
    people = Resource.objects.bulk_create(Resource(kind="expert") for _ in range(EXPERTS))
    experts = Expert.objects.bulk_create(
        Expert(
            resource=people[n],
            user=users[n],
            agency=agencies[n % AGENCIES],
            languages=["fi"]
            + (["sv"] if rng.random() < 0.15 else [])
            + (["en"] if rng.random() < 0.4 else []),
        )
        for n in range(EXPERTS)
    )
    through = Expert.services.through
    links = []
    handles: dict[int, list[int]] = defaultdict(list)  # service id -> expert resource ids
    for n, expert in enumerate(experts):
        a = n % AGENCIES
        own = rng.sample(services[a * 3 : a * 3 + 3], rng.randint(1, 3))
        if a == 0 and n // AGENCIES < PEER_STAFF:
            own.append(forty)
        if n == 0:
            own.append(single)
        for service in own:
            links.append(through(expert_id=expert.pk, service_id=service.pk))
            handles[service.pk].append(expert.resource_id)
    through.objects.bulk_create(links)
    interpreter_resources = Resource.objects.bulk_create(
        Resource(kind="interpreter") for _ in range(INTERPRETERS)
    )
    interpreters = Interpreter.objects.bulk_create(
        Interpreter(
            resource=interpreter_resources[n],
            user=users[EXPERTS + n],
            languages=["fi", INTERPRETER_LANGUAGES[n % len(INTERPRETER_LANGUAGES)]],
        )
        for n in range(INTERPRETERS)
    )
    interpreters_by_language: dict[str, list[int]] = defaultdict(list)
    for interpreter in interpreters:
        interpreters_by_language[interpreter.languages[1]].append(interpreter.resource_id)
    hours = []
    for resource_id in [e.resource_id for e in experts] + [i.resource_id for i in interpreters]:
        for weekday in range(5):
            ends = dt.time(12) if weekday == 4 and resource_id % 5 == 0 else dt.time(16)
            hours.append(WorkingHours(resource_id=resource_id, weekday=weekday, starts=dt.time(8), ends=ends))
    WorkingHours.objects.bulk_create(hours)

    # Appointments over a year around now, on whole hours, never two on one resource in one hour.
    first_day = now.date() - dt.timedelta(days=180)
    days = _working_days(first_day, 365)
    day_index = {d: i for i, d in enumerate(days)}
    taken: set[int] = set()

    def key(resource_id: int, day: int, hour: int) -> int:
        return (resource_id * 400 + day) * 24 + hour

    appointment_rows = []
    reservation_rows = []
    service_rows = []
    codes = set()
    alphabet = "ACDEFHJKMNPQRTUVWXY3479"
    made = 0
    appointment_id = 0
    reservation_id = 0
    link_id = 0
    created = now - dt.timedelta(days=200)
    buffer = dt.timedelta(minutes=10)
    while made < reservations:
        point = points[rng.randrange(POINTS)]
        day = days[rng.randrange(len(days))]
        d = day_index[day]
        hour = HOURS[rng.randrange(len(HOURS))]
        booth = rng.choice(booths_of_point[point.pk])
        if key(booth, d, hour) in taken:
            continue
        agency_numbers = [rng.randrange(AGENCIES)]
        if rng.random() < 0.25:
            agency_numbers.append((agency_numbers[0] + rng.randrange(1, AGENCIES)) % AGENCIES)
        chosen_services = [services[a * 3 + rng.randrange(3)] for a in agency_numbers]
        held = [(booth, "booth")]
        for service in chosen_services:
            for _try in range(5):
                resource_id = rng.choice(handles[service.pk])
                if key(resource_id, d, hour) not in taken:
                    held.append((resource_id, "expert"))
                    break
        if len(held) != 1 + len(chosen_services):
            continue
        language = ""
        if rng.random() < 0.1:
            language = rng.choice(INTERPRETER_LANGUAGES)
            free = [r for r in interpreters_by_language[language] if key(r, d, hour) not in taken]
            if not free:
                continue
            held.append((rng.choice(free), "interpreter"))
        for resource_id, _role in held:
            taken.add(key(resource_id, d, hour))
        starts = dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI).astimezone(dt.UTC)
        ends = starts + dt.timedelta(minutes=max(s.typical_duration_minutes for s in chosen_services))
        appointment_id += 1
        code = "".join(rng.choice(alphabet) for _ in range(8))
        while code in codes:
            code = "".join(rng.choice(alphabet) for _ in range(8))
        codes.add(code)
        state = "done" if ends < now else "booked"
        appointment_rows.append(
            (appointment_id, code, point.pk, "remote_meeting", "fi", language, starts, ends, state,
             "Asiakas", "asiakas@example.fi", "", "resident", None, created, 0, None, None)
        )  # fmt: skip
        for service in chosen_services:
            link_id += 1
            service_rows.append((link_id, appointment_id, service.pk))
        for resource_id, role in held:
            reservation_id += 1
            reservation_rows.append(
                (reservation_id, appointment_id, resource_id, role, starts, ends, ends + buffer, True, None)
            )
        made += len(held)

    appointment_columns = [f.column for f in Appointment._meta.concrete_fields]
    assert appointment_columns == [
        "id", "code", "point_id", "channel", "language", "interpreter_language", "starts", "ends", "state",
        "customer_name", "customer_email", "customer_phone", "booked_by_kind", "booked_by_id", "created_at",
        "sequence", "reminder_sent_at", "anonymised_at",
    ], appointment_columns  # fmt: skip
    reservation_columns = [f.column for f in Reservation._meta.concrete_fields]
    links_table = Appointment.services.through._meta.db_table
    with connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("ALTER TABLE scheduling_reservation DROP CONSTRAINT reservation_no_overlap")
        for table, columns, rows in [
            (Appointment._meta.db_table, appointment_columns, appointment_rows),
            (links_table, ["id", "appointment_id", "service_id"], service_rows),
            (Reservation._meta.db_table, reservation_columns, reservation_rows),
        ]:
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            raw.execute(  # the tables are the models' own names, not input
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            )
        # Built again over the million rows: it would refuse to exist if two of them overlapped.
        raw.execute(
            "ALTER TABLE scheduling_reservation ADD CONSTRAINT reservation_no_overlap EXCLUDE USING gist "
            "(resource_id WITH =, tstzrange(starts, holds_until, '[)') WITH &&) WHERE (active)"
        )
    return {
        "points": [p.pk for p in points],
        "services": [s.pk for s in services],
        "agencies": [a.pk for a in agencies],
        "forty": forty.pk,
        "single": single.pk,
        "handles": {k: v for k, v in handles.items()},
        "booths_of_point": dict(booths_of_point),
        "appointments": appointment_id,
        "reservations": reservation_id,
    }


# --- (a) slot search ------------------------------------------------------------------------------


def _timed_searches(requests, now, days=30, limit=20):  # type: ignore[no-untyped-def]
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from asiointi.scheduling.selectors import slot_search

    times, queries, found = [], [], []
    cpu = _timed_searches.cpu = []  # type: ignore[attr-defined]
    answers = _timed_searches.answers = []  # type: ignore[attr-defined]
    for request in requests:
        reset_queries()  # the log keeps 9,000 queries at most: counting must start from empty
        with CaptureQueriesContext(connection) as ctx:
            t, c = time.perf_counter(), time.process_time()
            slots = slot_search(
                viewer=None,
                request=request,
                start=now,
                end=now + dt.timedelta(days=days),
                limit=limit,
                now=now,
            )
            times.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        queries.append(len(ctx.captured_queries))
        found.append(len(slots))
        answers.append([_answer(slot) for slot in slots])
    return times, queries, found


def _answer(slot) -> list[object]:  # type: ignore[no-untyped-def]
    """A found slot as plain values: its times and everyone who would hold it (for --answers)."""
    return [
        slot.start.isoformat(),
        slot.end.isoformat(),
        slot.booth.resource_id if slot.booth else None,
        [e.resource_id for e in slot.experts],
        slot.interpreter.resource_id if slot.interpreter else None,
    ]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_search(data: dict, now: dt.datetime, runs: int, seed: int) -> dict[str, object]:
    from asiointi.network.models import ServicePoint
    from asiointi.scheduling.selectors import slot_request_build

    rng = random.Random(seed + 1)  # noqa: S311
    points = {p.pk: p for p in ServicePoint.objects.filter(pk__in=data["points"])}
    services = data["services"]
    results: dict[str, object] = {}
    answers: dict[str, object] = {}
    for name in ("one agency", "two agencies + interpreter"):
        requests = []
        for _ in range(runs):
            point = points[rng.choice(data["points"])]
            a = rng.randrange(AGENCIES)
            ids = [services[a * 3 + rng.randrange(3)]]
            interpreter = None
            if name != "one agency":
                b = (a + rng.randrange(1, AGENCIES)) % AGENCIES
                ids.append(services[b * 3 + rng.randrange(3)])
                interpreter = rng.choice(INTERPRETER_LANGUAGES)
            requests.append(
                slot_request_build(
                    point=point, service_ids=ids, channel="remote_meeting", language="fi",
                    interpreter_language=interpreter,
                )
            )  # fmt: skip
        _timed_searches(requests[:3], now)  # warm-up
        times, queries, found = _timed_searches(requests, now)
        answers[name] = _timed_searches.answers  # type: ignore[attr-defined]
        results[name] = {
            "cpu_p50_ms": statistics.median(_timed_searches.cpu),  # type: ignore[attr-defined]
            "p50_ms": statistics.median(times),
            "p95_ms": _pct(times, 0.95),
            "queries_max": max(queries),
            "queries_median": statistics.median(queries),
            "slots_min": min(found),
            "runs": runs,
        }
    measure_search.answers = answers  # type: ignore[attr-defined]
    return results


# --- (b) bookings under concurrency ----------------------------------------------------------------


def _client_starts(data: dict, client: int, clients: int, now: dt.datetime, first: int, days: int):  # type: ignore[no-untyped-def]
    """(point, start) pairs of one client: its own points, on the half-hour grid of the days given."""
    points = data["points"][client::clients][:4]
    out = []
    for day in _working_days(now.date() + dt.timedelta(days=first), days):
        for minute in range(9 * 60, 14 * 60 + 31, 30):
            for point in points:
                out.append(
                    (point, dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=HELSINKI))
                )
    random.Random().shuffle(out)  # noqa: S311 (each run in another order: --reuse meets earlier bookings)
    return out


def _book_with_service(args):  # type: ignore[no-untyped-def]
    _url, data, client, clients, now, seconds, barrier = args
    from django.db import connection

    connection.close()
    from django.core.exceptions import ValidationError

    from asiointi.network.models import ServicePoint
    from asiointi.scheduling.selectors import slot_request_build
    from asiointi.scheduling.services import CustomerContact, SlotTaken, appointment_book

    customer = CustomerContact(name="Bea Bench", email="bea@example.fi")
    service = data["services"][(client % AGENCIES) * 3]
    todo = _client_starts(data, client, clients, now, 35, 25)
    points = {p.pk: p for p in ServicePoint.objects.filter(pk__in={p for p, _s in todo})}
    requests = {
        pk: slot_request_build(point=p, service_ids=[service], channel="remote_meeting", language="fi")
        for pk, p in points.items()
    }
    ok = taken = refused = 0
    barrier.wait()
    t0 = time.perf_counter()
    for point, start in todo:
        if time.perf_counter() - t0 >= seconds:
            break
        try:
            appointment_book(request=requests[point], start=start, customer=customer, now=now)
            ok += 1
        except SlotTaken:
            taken += 1
        except ValidationError:
            refused += 1
    return ok, taken, refused, time.perf_counter() - t0


def _book_with_sql(args):  # type: ignore[no-untyped-def]
    url, data, client, clients, now, seconds, barrier = args
    import psycopg
    from psycopg import errors

    rng = random.Random(client)  # noqa: S311
    service = data["services"][(client % AGENCIES) * 3]
    experts = data["handles"][service]
    todo = _client_starts(data, client, clients, now, 61, 25)
    alphabet = "ACDEFHJKMNPQRTUVWXY3479"
    ok = taken = 0
    with psycopg.connect(url) as conn:
        barrier.wait()
        t0 = time.perf_counter()
        for point, start in todo:
            if time.perf_counter() - t0 >= seconds:
                break
            ends = start + dt.timedelta(minutes=30)
            holds = ends + dt.timedelta(minutes=10)
            done = False
            for booth in data["booths_of_point"][point]:
                for _try in range(3):
                    expert = rng.choice(experts)
                    try:
                        with conn.transaction():
                            appointment_id = conn.execute(
                                "INSERT INTO scheduling_appointment (code, point_id, channel, language,"
                                " interpreter_language, starts, ends, state, customer_name, customer_email,"
                                " customer_phone, booked_by_kind, created_at, sequence)"
                                " VALUES (%s, %s, 'remote_meeting', 'fi', '', %s, %s, 'booked', 'Bea Bench',"
                                " 'bea@example.fi', '', 'resident', now(), 0) RETURNING id",
                                ("".join(secrets.choice(alphabet) for _ in range(8)), point, start, ends),
                            ).fetchone()[0]
                            conn.execute(
                                "INSERT INTO scheduling_appointment_services (appointment_id, service_id)"
                                " VALUES (%s, %s)",
                                (appointment_id, service),
                            )
                            conn.execute(
                                "INSERT INTO scheduling_reservation (appointment_id, resource_id, role, starts,"
                                " ends, holds_until, active) VALUES (%s, %s, 'booth', %s, %s, %s, true),"
                                " (%s, %s, 'expert', %s, %s, %s, true)",
                                (
                                    appointment_id,
                                    booth,
                                    start,
                                    ends,
                                    holds,
                                    appointment_id,
                                    expert,
                                    start,
                                    ends,
                                    holds,
                                ),
                            )
                        done = True
                        break
                    except errors.ExclusionViolation:
                        continue
                    except errors.UniqueViolation:
                        continue
                if done:
                    break
            if done:
                ok += 1
            else:
                taken += 1
        return ok, taken, 0, time.perf_counter() - t0


def measure_booking(
    url: str, data: dict, now: dt.datetime, clients: int, seconds: float
) -> dict[str, object]:
    from django.db import connection

    connection.close()
    context = multiprocessing.get_context("fork")
    results: dict[str, object] = {}
    for name, worker in (("appointment_book", _book_with_service), ("plain SQL", _book_with_sql)):
        barrier = context.Manager().Barrier(clients)
        with context.Pool(clients) as pool:
            outcome = pool.map(
                worker, [(url, data, c, clients, now, seconds, barrier) for c in range(clients)]
            )
        ok = sum(o[0] for o in outcome)
        elapsed = max(o[3] for o in outcome)
        results[name] = {
            "booked": ok,
            "taken": sum(o[1] for o in outcome),
            "refused": sum(o[2] for o in outcome),
            "per_second": ok / elapsed,
        }
    with connection.cursor() as cursor:
        # Every pair of active reservations of one resource where the later one starts before the earlier
        # one's hold ends (the index on resource, starts answers each probe).
        cursor.execute(
            "SELECT count(*) FROM scheduling_reservation a JOIN scheduling_reservation b"
            " ON b.resource_id = a.resource_id AND b.id <> a.id AND b.active"
            " AND b.starts >= a.starts AND b.starts < a.holds_until WHERE a.active"
        )
        results["overlaps"] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM scheduling_reservation WHERE active")
        results["active_reservations"] = cursor.fetchone()[0]
    return results


# --- (c) the same questions as django-appointment ---------------------------------------------------


def measure_ours_as_peer(data: dict, now: dt.datetime, runs: int) -> dict[str, object]:
    from asiointi.network.models import ServicePoint
    from asiointi.scheduling.selectors import slot_request_build

    points = list(ServicePoint.objects.filter(pk__in=data["points"][:runs]))
    forty = [
        slot_request_build(point=p, service_ids=[data["forty"]], channel="remote_meeting", language="fi")
        for p in points
    ]
    single = [
        slot_request_build(point=p, service_ids=[data["single"]], channel="remote_meeting", language="fi")
        for p in points
    ]
    _timed_searches(forty[:2], now)
    t1, q1, f1 = _timed_searches(forty, now)
    # One day: the next working day after the notice, all of its free times.
    day = _working_days(now.date() + dt.timedelta(days=1), 7)[0]
    day_start = dt.datetime.combine(day, dt.time(0), tzinfo=HELSINKI)
    t2, q2, f2 = [], [], []
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from asiointi.scheduling.selectors import slot_search

    for request in single:
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            slots = slot_search(
                viewer=None,
                request=request,
                start=day_start,
                end=day_start + dt.timedelta(days=1),
                limit=100,
                now=now,
            )
            t2.append((time.perf_counter() - t) * 1000)
        q2.append(len(ctx.captured_queries))
        f2.append(len(slots))
    return {
        "first_20_among_40": {"p50_ms": statistics.median(t1), "queries": max(q1), "slots": min(f1)},
        "one_staff_one_day": {"p50_ms": statistics.median(t2), "queries": max(q2), "slots": min(f2)},
    }


def run_peer(venv: Path, appointments: int, runs: int) -> dict[str, object]:
    python = venv / "bin" / "python"
    if not python.exists():
        # The peer lives in a throwaway venv of its own, never in Asiointi's environment.
        made = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True, check=False
        )
        if made.returncode == 0:
            made = subprocess.run(  # noqa: S603
                [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 "-r", str(ROOT / "benchmarks" / "requirements-django-appointment.txt")],
                capture_output=True, text=True, check=False, timeout=600,
            )  # fmt: skip
        if made.returncode != 0:
            reason = (made.stderr.strip().splitlines() or ["?"])[-1]
            return {"error": f"django-appointment could not be installed into {venv}: {reason}"}
    out = subprocess.run(  # noqa: S603 (a script of this repository in the benchmark's own venv)
        [str(python), str(ROOT / "benchmarks" / "django_appointment_peer.py"),
         "--appointments", str(appointments), "--staff", str(EXPERTS), "--runs", str(runs)],
        capture_output=True, text=True, check=False, timeout=1800,
    )  # fmt: skip
    if out.returncode != 0:
        return {"error": "django-appointment failed: " + (out.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


# --- main -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reservations", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=60, help="slot searches per kind of request")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0, help="booking time per way of booking")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database of an earlier run again (with its bookings)",
    )
    parser.add_argument("--skip", default="", help="comma-separated parts to leave out: search,booking,peer")
    parser.add_argument("--peer-venv", default=str(ROOT / "var" / "bench-venv"))
    parser.add_argument("--peer-runs", type=int, default=7, help="runs of each question (both sides)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--answers",
        default="",
        help="write the slots that (a) found (times, booth, experts, interpreter) to this JSON file,"
        " to compare two versions of the search on the same data",
    )
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        print("benchmarks/scheduling.py measures PostgreSQL: give DATABASE_URL=postgres://...")
        return 2
    now = _now()
    cache = ROOT / "var" / "benchmarks" / f"scheduling-{url.rsplit('/', 1)[1]}.json"
    t0 = time.perf_counter()
    if args.reuse and cache.exists():
        _setup(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a database filled by an older version of the product
        data = json.loads(cache.read_text())
        data["handles"] = {int(k): v for k, v in data["handles"].items()}
        data["booths_of_point"] = {int(k): v for k, v in data["booths_of_point"].items()}
        now = dt.datetime.fromisoformat(data["now"])
        _forget_earlier_bookings(data)
    else:
        _recreate(url)
        _setup(url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        data = generate(reservations=args.reservations, seed=args.seed, now=now)
        data["now"] = now.isoformat()
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(json.dumps(data))
    _vacuum()
    fill = time.perf_counter() - t0
    figures: dict[str, object] = {
        "fill_s": fill,
        "appointments": data["appointments"],
        "reservations": data["reservations"],
    }
    print(
        f"Scheduling on PostgreSQL: {POINTS} points, {EXPERTS:,} experts in {AGENCIES} agencies, {INTERPRETERS} "
        f"interpreters, {data['reservations']:,} reservations in {data['appointments']:,} appointments "
        f"(filled in {fill:.0f} s); now = {now:%Y-%m-%d %H:%M} Helsinki; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    if "search" not in skip:
        search = measure_search(data, now, args.runs, args.seed)
        figures["search"] = search
        print("\n(a) slot search, the first 20 free slots within 30 days (goal: p95 <= 25 ms)")
        print(f"{'request':32}{'p50 ms':>10}{'p95 ms':>10}{'CPU p50 ms':>12}{'queries':>10}{'runs':>6}")
        for name, r in search.items():
            print(
                f"{name:32}{r['p50_ms']:>10.1f}{r['p95_ms']:>10.1f}{r['cpu_p50_ms']:>12.1f}"
                f"{r['queries_max']:>10}{r['runs']:>6}"
            )
        print("(queries: the most in one search; CPU: this process's own time, without the database's)")
        if args.answers:
            Path(args.answers).write_text(json.dumps(measure_search.answers, sort_keys=True))  # type: ignore[attr-defined]
    ours_peer = None
    if "peer" not in skip:
        ours_peer = measure_ours_as_peer(data, now, args.peer_runs)
    if "booking" not in skip:
        booking = measure_booking(url, data, now, args.clients, args.seconds)
        figures["booking"] = booking
        service_rate = booking["appointment_book"]["per_second"]
        sql_rate = booking["plain SQL"]["per_second"]
        print(
            f"\n(b) bookings with {args.clients} concurrent clients, {args.seconds:.0f} s each (goal: >= half of plain SQL)"
        )
        for name in ("appointment_book", "plain SQL"):
            r = booking[name]
            print(
                f"{name:20}{r['per_second']:>10.1f}/s  booked {r['booked']}, taken {r['taken']}, refused {r['refused']}"
            )
        print(
            f"ratio {service_rate / sql_rate:.2f}; overlapping active reservations afterwards: {booking['overlaps']}"
        )
    if ours_peer is not None:
        peer = run_peer(Path(args.peer_venv), data["reservations"], args.peer_runs)
        figures["peer"] = {"ours": ours_peer, "django-appointment": peer}
        print("\n(c) beside django-appointment (its own SQLite database of the same size)")
        labels = {
            "first_20_among_40": "first 20 free slots in 30 days among 40 staff",
            "one_staff_one_day": "one staff member's free times for one day",
        }
        if "error" in peer:
            print(f"django-appointment: {peer['error']}")
        for key, label in labels.items():
            ours = ours_peer[key]
            line = f"{label:48} ours p50 {ours['p50_ms']:7.1f} ms, {ours['queries']} queries"
            if key in peer:
                theirs = peer[key]
                line += (
                    f"; django-appointment p50 {theirs['p50_ms']:7.1f} ms, {theirs['queries']} queries;"
                    f" ratio {theirs['p50_ms'] / ours['p50_ms']:.1f}"
                )
            print(line)
    if args.json:
        print(json.dumps(figures, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
