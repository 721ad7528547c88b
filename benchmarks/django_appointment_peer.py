"""django-appointment on the questions of benchmarks/scheduling.py, in its own Django project on SQLite.

Run by benchmarks/scheduling.py with the Python of var/bench-venv (``make bench-venv``), where
django-appointment and its dependencies live; Asiointi's own environment never installs it. Prints one
line of JSON.

The data has the size of Asiointi's: --staff staff members (3,000) working Monday to Friday 8–16, with
--appointments appointments (1,000,000) over a year around today on whole hours 9–14, none two at once
for one person; 40 of the staff offer the service asked about. django-appointment has no search over
several staff members: "the first 20 free slots in 30 days among 40 staff" is its per-staff day search
(``get_available_slots_for_staff``, what its booking page calls) for each of the 40 staff, day after day
from today, until a day ends with 20 slots found. "One staff member's free times for one day" is that
function once, for the next working day.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def configure(directory: Path) -> None:
    import django
    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="benchmark-only",  # noqa: S106 (a throwaway project)
        USE_TZ=True,
        TIME_ZONE="Europe/Helsinki",
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.auth",
            "django.contrib.sessions",
            "django.contrib.messages",
            "phonenumber_field",
            "appointment",
        ],
        DATABASES={
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(directory / "appointment.sqlite3"),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"},
            }
        },
        DEFAULT_AUTO_FIELD="django.db.models.BigAutoField",
        APPOINTMENT_SLOT_DURATION=15,
        APPOINTMENT_BUFFER_TIME=120,
        APPOINTMENT_LEAD_TIME=(8, 0),
        APPOINTMENT_FINISH_TIME=(16, 0),
        LOGGING_CONFIG=None,
    )
    django.setup()


def generate(*, staff: int, appointments: int, seed: int, today: dt.date) -> dict[str, object]:
    from appointment.models import Service, StaffMember, WorkingHours
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    rng = random.Random(seed)  # noqa: S311 (synthetic data)
    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        user_model(username=f"staff{n}", email=f"staff{n}@example.fi", first_name="Staff", last_name=str(n))
        for n in range(staff)
    )
    client = user_model.objects.create(username="client", email="client@example.fi")
    service = Service.objects.create(name="Remote meeting", duration=dt.timedelta(minutes=30), price=0)
    members = StaffMember.objects.bulk_create(
        StaffMember(user=u, slot_duration=15, appointment_buffer_time=120, slot_gap_time=10) for u in users
    )
    # django-appointment numbers the weekdays from Sunday (0) to Saturday (6): Monday to Friday is 1–5.
    WorkingHours.objects.bulk_create(
        WorkingHours(staff_member=m, day_of_week=d, start_time=dt.time(8), end_time=dt.time(16))
        for m in members
        for d in range(1, 6)
    )
    peers = members[:40]
    through = StaffMember.services_offered.through
    through.objects.bulk_create(through(staffmember_id=m.pk, service_id=service.pk) for m in peers)
    days = [today + dt.timedelta(days=n) for n in range(-180, 185)]
    days = [d for d in days if d.weekday() < 5]
    taken: set[tuple[int, int, int]] = set()
    requests, bookings = [], []
    now = dt.datetime.now(dt.UTC).isoformat(" ")
    n = 0
    while n < appointments:
        member = members[rng.randrange(staff)]
        d = rng.randrange(len(days))
        hour = rng.choice((9, 10, 11, 12, 13, 14))
        if (member.pk, d, hour) in taken:
            continue
        taken.add((member.pk, d, hour))
        n += 1
        requests.append(
            (
                n,
                days[d].isoformat(),
                f"{hour:02d}:00:00",
                f"{hour:02d}:30:00",
                service.pk,
                member.pk,
                "full",
                0,
                now,
                now,
            )
        )
        bookings.append((n, client.pk, n, "", "", False, False, now, now))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO appointment_appointmentrequest (id, date, start_time, end_time, service_id,"
            " staff_member_id, payment_type, reschedule_attempts, created_at, updated_at)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            requests,
        )
        cursor.executemany(
            "INSERT INTO appointment_appointment (id, client_id, appointment_request_id, phone, address,"
            " want_reminder, paid, created_at, updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            bookings,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"service": service.pk, "peers": [m.pk for m in peers]}


def first_20_among_40(service, peers, today: dt.date) -> list[tuple[dt.datetime, int]]:  # type: ignore[no-untyped-def]
    from appointment.services import get_available_slots_for_staff
    from appointment.utils.db_helpers import get_weekday_num_from_date

    found: list[tuple[dt.datetime, int]] = []
    for offset in range(30):
        day = today + dt.timedelta(days=offset)
        weekday = get_weekday_num_from_date(day)
        for member in peers:
            found += [
                (slot, member.pk)
                for slot in get_available_slots_for_staff(day, member, weekday, service=service)
            ]
        if len(found) >= 20:
            break
    return sorted(found)[:20]


def one_staff_one_day(service, member, day: dt.date) -> list[dt.datetime]:  # type: ignore[no-untyped-def]
    from appointment.services import get_available_slots_for_staff
    from appointment.utils.db_helpers import get_weekday_num_from_date

    return list(get_available_slots_for_staff(day, member, get_weekday_num_from_date(day), service=service))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--staff", type=int, default=3000)
    parser.add_argument("--appointments", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        configure(Path(tmp))
        import appointment
        from django.core.management import call_command
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        # The package ships its models without migrations: the tables are made from the models.
        call_command("migrate", run_syncdb=True, verbosity=0)
        today = timezone.localdate()
        t0 = time.perf_counter()
        data = generate(staff=args.staff, appointments=args.appointments, seed=args.seed, today=today)
        fill = time.perf_counter() - t0
        from appointment.models import Service, StaffMember

        service = Service.objects.get(pk=data["service"])
        peers = list(StaffMember.objects.filter(pk__in=data["peers"]).order_by("pk"))
        next_day = today + dt.timedelta(days=1)
        while next_day.weekday() >= 5:
            next_day += dt.timedelta(days=1)
        out: dict[str, object] = {"version": getattr(appointment, "__version__", "?"), "fill_s": fill}
        for key, question in (
            ("first_20_among_40", lambda: first_20_among_40(service, peers, today)),
            ("one_staff_one_day", lambda: one_staff_one_day(service, peers[0], next_day)),
        ):
            question()
            times, queries, found = [], [], []
            for _ in range(args.runs):
                reset_queries()  # the log keeps 9,000 queries at most: counting must start from empty
                with CaptureQueriesContext(connection) as ctx:
                    t = time.perf_counter()
                    answer = question()
                    times.append((time.perf_counter() - t) * 1000)
                queries.append(len(ctx.captured_queries))
                found.append(len(answer))
            out[key] = {"p50_ms": statistics.median(times), "queries": max(queries), "slots": min(found)}
        print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
