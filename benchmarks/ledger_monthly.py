"""Monthly aggregation of the transaction ledger, SQLite and PostgreSQL side by side.

    .venv/bin/python benchmarks/ledger_monthly.py [--rows 100000] [--postgres postgres://postgres@127.0.0.1:5432/asiointi_bench]

Fills a fresh database of each kind with a year of synthetic transactions over 300 points (a national
deployment records about two million a year; --rows sets how many) and times the monthly count by point,
agency and ASTI type, for the whole network and for one point (median of 7 runs each).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_one(rows: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import datetime as dt
    import random
    from zoneinfo import ZoneInfo

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from asiointi.catalogue.models import Channel
    from asiointi.ledger.models import AstiType, Transaction, TransactionSource
    from asiointi.ledger.selectors import transaction_monthly_counts
    from asiointi.network.models import Agency, Municipality, ServicePoint

    call_command("import_geo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    municipalities = list(Municipality.objects.all()[:300])
    points = [
        ServicePoint.objects.get_or_create(
            slug=f"bench-{m.code}",
            defaults={
                "name": m.name,
                "municipality": m,
                "street_address": "Testitie 1",
                "postal_code": "00100",
                "post_office": m.name,
                "lat": m.centre_lat,
                "lon": m.centre_lon,
                "active_from": dt.date(2020, 1, 1),
            },
        )[0]
        for m in municipalities
    ]
    agencies = [
        Agency.objects.get_or_create(code=f"bench-{i}", defaults={"name": f"Agency {i}"})[0] for i in range(7)
    ]
    Transaction.objects.all().delete()
    rng = random.Random(1)  # noqa: S311 (synthetic data)
    zone = ZoneInfo("Europe/Helsinki")
    start = dt.datetime(2025, 1, 1, tzinfo=zone)
    types = AstiType.values
    t0 = time.perf_counter()
    batch = []
    for _ in range(rows):
        batch.append(
            Transaction(
                point=rng.choice(points),
                agency=rng.choice(agencies),
                asti_type=rng.choice(types),
                channel=Channel.ADVISOR_GUIDANCE,
                occurred_at=start + dt.timedelta(seconds=rng.randrange(365 * 86400)),
                duration_seconds=rng.randrange(60, 3600),
                language="fi",
                source=TransactionSource.DESK,
            )
        )
    Transaction.objects.bulk_create(batch, batch_size=5000)
    fill = time.perf_counter() - t0
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE ledger_transaction")

    def median_ms(fn) -> float:  # type: ignore[no-untyped-def]
        times = []
        for _ in range(7):
            t = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t) * 1000)
        return statistics.median(times)

    one_point = [points[0].pk]
    return {
        "fill_s": fill,
        "network_month_ms": median_ms(lambda: transaction_monthly_counts(year=2025, month=6)),
        "one_point_month_ms": median_ms(
            lambda: transaction_monthly_counts(year=2025, month=6, point_ids=one_point)
        ),
        "rows_in_month": sum(c.transactions for c in transaction_monthly_counts(year=2025, month=6)),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/asiointi_bench")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_one(args.rows)))
        return 0
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        targets = {"SQLite": f"sqlite:///{tmp}/bench.sqlite3", "PostgreSQL": args.postgres}
        for name, url in targets.items():
            if name == "PostgreSQL":
                try:
                    import psycopg

                    base, dbname = url.rsplit("/", 1)
                    with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
                        conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
                        conn.execute(f'CREATE DATABASE "{dbname}"')
                except Exception as exc:
                    print(f"PostgreSQL skipped: {exc}")
                    continue
            env = {**os.environ, "DATABASE_URL": url, "ASIOINTI_VAR_DIR": tmp}
            out = subprocess.run(  # noqa: S603 (runs this same script)
                [sys.executable, __file__, "--child", "--rows", str(args.rows)],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            results[name] = json.loads(out.strip().splitlines()[-1])
    print(f"Ledger monthly aggregation, {args.rows:,} transactions over a year, 300 points, 7 agencies")
    print(f"{'':34}" + "".join(f"{name:>14}" for name in results))
    for key, label in [
        ("fill_s", "fill (s)"),
        ("rows_in_month", "transactions in June"),
        ("network_month_ms", "whole network, one month (ms)"),
        ("one_point_month_ms", "one point, one month (ms)"),
    ]:
        print(f"{label:34}" + "".join(f"{r[key]:>14,.1f}" for r in results.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
