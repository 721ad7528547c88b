"""The ledger at national scale on PostgreSQL: all statements of a month, beside hand-written SQL.

    .venv/bin/python benchmarks/ledger.py [--rows 10000000] [--postgres postgres://postgres@127.0.0.1:5432/asiointi_bench]

Makes a fresh database, ~300 points (one per municipality) and 7 agencies with an open-ended
agreement for every pair, then generates ``--rows`` transactions over five years (2021-2025) inside
the server in time order (``INSERT ... SELECT`` over ``generate_series``, in batches of a million,
with the indexes built after the load: no row crosses the wire, which beats even COPY), with a few thousand reversals recorded after their month. Then it
times, median of 5 runs each:

* the figures of every statement of one month through the product's code
  (``asiointi.ledger.selectors.statement_figures``: agreements, prices, the month's counts priced and
  grouped in the database from the monthly rollup, adjustments grouped), and hand-written SQL of the
  same figures twice: from the raw ledger, and from the monthly rollup as the product reads them (the
  ratio is to the latter, the same source; the load writes past the services, so the rollup is rebuilt
  after it with ``monthly_counts_rebuild`` and the time printed);
* drafting (writing) every statement of that month (``statement_draft_month``);
* the national dashboard of the twelve months up to that month (:func:`national_dashboard_timing`).

Goals (issue 20): at most 2 s, and at most 1.5 times the SQL. ``--rows 200000`` runs in seconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MONTH = (2025, 6)

SQL_FIGURES = """
WITH counts AS (
    SELECT point_id, agency_id, asti_type, channel, SUM("count") AS n
    FROM ledger_transaction
    WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
    GROUP BY point_id, agency_id, asti_type, channel
), agreements AS (
    SELECT id, point_id, agency_id,
           ROUND((base_rent + base_telecommunications + base_equipment + base_electricity + base_training)
                 * agency_share
                 * (LEAST(COALESCE(valid_to, %(last)s), %(last)s) - GREATEST(valid_from, %(first)s) + 1)
                 / %(days_in_year)s, 2) AS base
    FROM ledger_agreement
    WHERE valid_from <= %(last)s AND (valid_to IS NULL OR valid_to >= %(first)s)
)
SELECT a.point_id, a.agency_id, a.base, c.asti_type, c.channel, c.n,
       ROUND(c.n * COALESCE(own.price, general.price, 0), 2) AS amount
FROM agreements a
LEFT JOIN counts c ON c.point_id = a.point_id AND c.agency_id = a.agency_id
LEFT JOIN ledger_agreementprice own
       ON own.agreement_id = a.id AND own.asti_type = c.asti_type AND own.channel = c.channel
LEFT JOIN ledger_agreementprice general
       ON general.agreement_id = a.id AND general.asti_type = c.asti_type AND general.channel = ''
"""

# The same figures from the monthly rollup (ledger_monthlyrollup), which the product reads: the fair
# peer of the product's code. The raw-table query above is printed beside it.
SQL_FIGURES_ROLLUP = """
WITH counts AS (
    SELECT point_id, agency_id, asti_type, channel, "count" AS n
    FROM ledger_monthlyrollup
    WHERE month = %(first)s
), agreements AS (
    SELECT id, point_id, agency_id,
           ROUND((base_rent + base_telecommunications + base_equipment + base_electricity + base_training)
                 * agency_share
                 * (LEAST(COALESCE(valid_to, %(last)s), %(last)s) - GREATEST(valid_from, %(first)s) + 1)
                 / %(days_in_year)s, 2) AS base
    FROM ledger_agreement
    WHERE valid_from <= %(last)s AND (valid_to IS NULL OR valid_to >= %(first)s)
)
SELECT a.point_id, a.agency_id, a.base, c.asti_type, c.channel, c.n,
       ROUND(c.n * COALESCE(own.price, general.price, 0), 2) AS amount
FROM agreements a
LEFT JOIN counts c ON c.point_id = a.point_id AND c.agency_id = a.agency_id
LEFT JOIN ledger_agreementprice own
       ON own.agreement_id = a.id AND own.asti_type = c.asti_type AND own.channel = c.channel
LEFT JOIN ledger_agreementprice general
       ON general.agreement_id = a.id AND general.asti_type = c.asti_type AND general.channel = ''
"""

SQL_ADJUSTMENTS = """
SELECT t.point_id, t.agency_id, t.asti_type, t.channel, SUM(t."count")
FROM ledger_transaction t
WHERE t.occurred_at < %(start)s AND t.recorded_at >= %(start)s AND t.recorded_at < %(end)s
  AND EXISTS (SELECT 1 FROM ledger_statement s WHERE s.point_id = t.point_id AND s.agency_id = t.agency_id
              AND s.starts_at <= t.occurred_at AND s.ends_at > t.occurred_at AND s.status <> 'draft'
              AND s.approved_at < t.recorded_at)
GROUP BY 1, 2, 3, 4
"""

GENERATE = """
INSERT INTO ledger_transaction (point_id, agency_id, service_id, asti_type, channel, occurred_at,
    duration_seconds, language, with_interpreter, source, recorded_at, origin, "count", reverses_id)
SELECT p.ids[1 + floor(random() * array_length(p.ids, 1))::int],
       a.ids[1 + floor(random() * array_length(a.ids, 1))::int],
       NULL,
       (ARRAY['DocumentReceived','GuidanceToOnlineSelfService','LostAndFound','OnlineSelfServicePoint',
              'OnsiteGuidance','OnsiteGuidanceByServiceAuthor','RemoteGuidance'])[1 + floor(random() * 7)::int],
       (ARRAY['advisor_guidance','remote_meeting','visiting_official','callback'])[1 + floor(random() * 4)::int],
       ts, 60 + floor(random() * 1800)::int, 'fi', false, 'desk', ts + interval '5 minutes', NULL, 1, NULL
FROM (SELECT array_agg(id) AS ids FROM network_servicepoint WHERE slug LIKE 'bench-%%') p,
     (SELECT array_agg(id) AS ids FROM network_agency WHERE code LIKE 'bench-%%') a,
     (SELECT timestamptz '2021-01-01 00:00+02' + (%(offset)s + random() * %(span)s) * interval '1 day' AS ts
      FROM generate_series(1, %(batch)s) ORDER BY 1) g
"""


def median_s(fn: Callable[[], object], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def national_dashboard_timing(month: tuple[int, int]) -> float | None:
    """Seconds to compute the national dashboard (the public statistics page's figures) of the twelve
    months ending with ``month`` (median of 5), as the statistics selector computes it."""
    import datetime as dt

    from asiointi.ledger.statistics import Period, statistics_national_dashboard

    year, number = month
    first_index = year * 12 + number - 1 - 11
    period = Period(dt.date(first_index // 12, first_index % 12 + 1, 1), 12)
    return median_s(lambda: statistics_national_dashboard(period=period))


def setup(rows: int) -> None:
    import datetime as dt
    from decimal import Decimal

    from django.core.management import call_command
    from django.db import connection

    from asiointi.ledger.models import Agreement, AgreementPrice
    from asiointi.ledger.services import monthly_counts_rebuild
    from asiointi.network.models import Agency, Municipality, ServicePoint

    call_command("migrate", verbosity=0)
    call_command("import_geo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    points = ServicePoint.objects.bulk_create(
        ServicePoint(
            slug=f"bench-{m.code}",
            name=m.name,
            municipality=m,
            street_address="Testitie 1",
            postal_code="00100",
            post_office=m.name,
            lat=m.centre_lat,
            lon=m.centre_lon,
            active_from=dt.date(2020, 1, 1),
        )
        for m in Municipality.objects.order_by("code")[:300]
    )
    agencies = Agency.objects.bulk_create(Agency(code=f"bench-{i}", name=f"Virasto {i}") for i in range(7))
    agreements = Agreement.objects.bulk_create(
        Agreement(
            point=p,
            agency=a,
            valid_from=dt.date(2020, 1, 1),
            base_rent=Decimal("14400"),
            base_telecommunications=Decimal("1800"),
            base_equipment=Decimal("3600"),
            base_electricity=Decimal("1250"),
            base_training=Decimal("1500"),
            agency_share=Decimal("0.1400"),
        )
        for p in points
        for a in agencies
    )
    prices = [
        ("DocumentReceived", "", "4.50"),
        ("OnsiteGuidance", "", "12.50"),
        ("RemoteGuidance", "", "8.00"),
        ("RemoteGuidance", "remote_meeting", "10.00"),
        ("GuidanceToOnlineSelfService", "", "9.00"),
    ]
    AgreementPrice.objects.bulk_create(
        AgreementPrice(agreement=g, asti_type=t, channel=c, price=Decimal(v))
        for g in agreements
        for t, c, v in prices
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Loading only: skip the foreign-key triggers (the ids come from the tables themselves), and
        # build the indexes once after the load rather than row by row.
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET synchronous_commit = off")
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'ledger_transaction' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint) "
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        done = 0
        # In time order, a slice of the five years per batch, as a ledger grows: a month's rows lie
        # together on disk.
        days = 1826
        while done < rows:
            batch = min(1_000_000, rows - done)
            cursor.execute(
                GENERATE, {"batch": batch, "offset": days * done / rows, "span": days * batch / rows}
            )
            done += batch
            print(f"  {done:,} transactions ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET session_replication_role = DEFAULT")
    print(f"generated {rows:,} transactions in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    # The load wrote past the ledger's services, so their monthly rollup is made as after a restore.
    started = time.perf_counter()
    made = monthly_counts_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"rebuilt the monthly rollup ({made:,} rows) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=10_000_000, help="transactions to generate")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/asiointi_bench")
    parser.add_argument("--reuse", action="store_true", help="keep the database of an earlier run")
    args = parser.parse_args()

    import psycopg

    base, dbname = args.postgres.rsplit("/", 1)
    if not args.reuse:
        with psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            conn.execute(f'CREATE DATABASE "{dbname}"')
    os.environ["DATABASE_URL"] = args.postgres
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import calendar
    import datetime as dt

    import django

    django.setup()
    from django.db import connection

    from asiointi.ledger.selectors import month_bounds, statement_figures
    from asiointi.ledger.services import statement_draft_month

    if not args.reuse:
        setup(args.rows)
    month = dt.date(*MONTH, 1)
    start, end = month_bounds(*MONTH)
    last = dt.date(MONTH[0], MONTH[1], calendar.monthrange(*MONTH)[1])
    params = {
        "start": start,
        "end": end,
        "first": month,
        "last": last,
        "days_in_year": 366 if calendar.isleap(MONTH[0]) else 365,
    }

    def sql(figures: str) -> Callable[[], None]:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(figures, params)
                cursor.fetchall()
                cursor.execute(SQL_ADJUSTMENTS, params)
                cursor.fetchall()

        return run

    product = median_s(lambda: statement_figures(month=month))
    hand_raw = median_s(sql(SQL_FIGURES))
    hand = median_s(sql(SQL_FIGURES_ROLLUP))
    figures = statement_figures(month=month)
    started = time.perf_counter()
    drafted = statement_draft_month(month=month)
    draft_s = time.perf_counter() - started
    dashboard = national_dashboard_timing(MONTH)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_transaction")
        total_rows = cursor.fetchone()[0]

    print(
        f"Ledger at national scale on PostgreSQL: {total_rows:,} transactions, {len(figures)} statements "
        f"in {month:%m/%Y}"
    )
    print(f"{'all statements of the month, figures (product code)':58}{product:>8.3f} s")
    print(f"{'the same figures, hand-written SQL over the raw ledger':58}{hand_raw:>8.3f} s")
    print(f"{'the same figures, hand-written SQL over the rollup':58}{hand:>8.3f} s")
    print(f"{'ratio to the SQL over the rollup (goal at most 1.5)':58}{product / hand:>8.2f}")
    print(f"{'ratio to the SQL over the raw ledger':58}{product / hand_raw:>8.2f}")
    print(f"{'drafting (writing) all statements of the month':58}{draft_s:>8.3f} s  ({drafted} drafts)")
    print(
        f"{'national dashboard':58}"
        + (f"{dashboard:>8.3f} s" if dashboard is not None else "  not connected yet")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
