"""The ledger at national scale on PostgreSQL: all statements of a month, beside hand-written SQL.

    .venv/bin/python benchmarks/ledger.py [--rows 10000000] [--postgres postgres://postgres@127.0.0.1:5432/asiointi_bench]

Makes a fresh database, ~300 points (one per municipality) and 7 agencies with an open-ended
agreement for every pair, then generates ``--rows`` transactions over five years (2021-2025) inside
the server in time order (``INSERT ... SELECT`` over ``generate_series``, in batches of a million,
with the indexes built after the load: no row crosses the wire, which beats even COPY). The load
writes past the ledger's services, so the monthly rollup is then rebuilt with
``monthly_counts_rebuild`` (as after a restore) and the time printed. ``--reuse`` keeps that database
for later runs. Then it times, median of 5 runs each:

* the lines of every statement of one month through the product's code
  (``asiointi.ledger.selectors.statement_figures``: the agreements, the month's counts priced and
  grouped by line in the database from the monthly rollup, the adjustments grouped), and hand-written
  SQL of the same lines, from the rollup (the ratio is to this one, the same source) and from the raw
  ledger; the product's lines are checked equal to the SQL's;
* drafting (writing) every statement of that month (``statement_draft_month``), the first time and
  again;
* the national dashboard of the twelve months up to that month (the public statistics page's
  figures, ``statistics_national_dashboard``), and hand-written SQL of the same figures (checked
  equal: transactions by channel and by type, the remote share's totals, the remote meetings).

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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MONTH = (2025, 6)

# Every line of every statement of the month, as the product makes them for agreements that cover the
# whole month (the benchmark's do): the month's counts from the monthly rollup priced by the channel's
# own or the type's general price and grouped by line, and the base part's share of each agreement.
SQL_LINES = """
SELECT r.point_id, r.agency_id, 'transactions' AS kind, a.id, r.asti_type,
       CASE WHEN own.id IS NULL THEN '' ELSE r.channel END AS channel,
       SUM(r."count") AS quantity,
       ROUND(SUM(r."count") * COALESCE(own.price, general.price, 0), 2) AS amount
FROM ledger_monthlyrollup r
LEFT JOIN ledger_agreement a
       ON a.point_id = r.point_id AND a.agency_id = r.agency_id
      AND a.valid_from <= %(first)s AND (a.valid_to IS NULL OR a.valid_to >= %(last)s)
LEFT JOIN ledger_agreementprice own
       ON own.agreement_id = a.id AND own.asti_type = r.asti_type AND own.channel = r.channel
LEFT JOIN ledger_agreementprice general
       ON general.agreement_id = a.id AND general.asti_type = r.asti_type AND general.channel = ''
WHERE r.month = %(first)s
GROUP BY r.point_id, r.agency_id, a.id, r.asti_type, 6, COALESCE(own.price, general.price, 0)
UNION ALL
SELECT point_id, agency_id, 'base', id, '', '',
       LEAST(COALESCE(valid_to, %(last)s), %(last)s) - GREATEST(valid_from, %(first)s) + 1,
       ROUND((base_rent + base_telecommunications + base_equipment + base_electricity + base_training)
             * agency_share
             * (LEAST(COALESCE(valid_to, %(last)s), %(last)s) - GREATEST(valid_from, %(first)s) + 1)
             / %(days_in_year)s, 2)
FROM ledger_agreement
WHERE valid_from <= %(last)s AND (valid_to IS NULL OR valid_to >= %(first)s)
"""

# The same transaction lines from the raw ledger (what the rollup saves), printed beside.
SQL_LINES_RAW = SQL_LINES.replace(
    "FROM ledger_monthlyrollup r",
    """FROM (SELECT point_id, agency_id, asti_type, channel, SUM("count") AS "count"
      FROM ledger_transaction WHERE occurred_at >= %(start)s AND occurred_at < %(end)s
      GROUP BY 1, 2, 3, 4) r""",
).replace("WHERE r.month = %(first)s", "")

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


# The national dashboard's transaction figures from the rollup: by agency, by channel, by ASTI type
# and the month's total, in one scan (grouped once, then GROUPING SETS over the groups); the remote meetings by point and agency (travel
# saved); and the satisfaction by month of the transaction.
SQL_DASHBOARD = """
SELECT month, agency_id, channel, asti_type, SUM(n)
FROM (SELECT month, agency_id, channel, asti_type, SUM("count") AS n
      FROM ledger_monthlyrollup
      WHERE month >= %(from)s AND month <= %(until)s
      GROUP BY 1, 2, 3, 4) g
GROUP BY GROUPING SETS ((month, agency_id), (month, channel), (month, asti_type), (month))
"""
SQL_TRAVEL = """
SELECT point_id, agency_id, SUM("count")
FROM ledger_monthlyrollup
WHERE month >= %(from)s AND month <= %(until)s AND channel = 'remote_meeting'
GROUP BY 1, 2
"""
SQL_SATISFACTION = """
SELECT date_trunc('month', t.occurred_at AT TIME ZONE 'Europe/Helsinki')::date, COUNT(*), AVG(f.rating),
       COUNT(*) FILTER (WHERE f.met_need)
FROM ledger_feedback f JOIN ledger_transaction t ON t.id = f.transaction_id
WHERE t.occurred_at >= %(start)s AND t.occurred_at < %(end)s
GROUP BY 1
"""


def median_s[T](fn: Callable[[], T], runs: int = 5) -> tuple[float, T]:
    """The median time of ``runs`` calls of ``fn``, and what the last call returned."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def medians_side_by_side(*fns: Callable[[], Any], runs: int = 5) -> list[tuple[float, Any]]:
    """:func:`median_s` of each of ``fns``, their runs taken in turn (one of each, then again), so
    that a shared machine's load swings weigh on all of them alike."""
    times: list[list[float]] = [[] for _ in fns]
    results: list[Any] = [None] * len(fns)
    for _ in range(runs):
        for k, fn in enumerate(fns):
            started = time.perf_counter()
            results[k] = fn()
            times[k].append(time.perf_counter() - started)
    return [(statistics.median(t), r) for t, r in zip(times, results, strict=True)]


def dashboard_period(month: tuple[int, int]):  # a Period (imported after django.setup)
    """The twelve months ending with ``month``."""
    import datetime as dt

    from asiointi.ledger.statistics import Period

    year, number = month
    first_index = year * 12 + number - 1 - 11
    return Period(dt.date(first_index // 12, first_index % 12 + 1, 1), 12)


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

    from asiointi.catalogue.models import Channel
    from asiointi.ledger.models import AstiType, LineKind
    from asiointi.ledger.selectors import month_bounds, statement_figures
    from asiointi.ledger.services import statement_draft_month
    from asiointi.ledger.statistics import statistics_national_dashboard

    if not args.reuse:
        setup(args.rows)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # a database filled by an older version of the product
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

    def statements_sql(lines: str) -> Callable[[], list[tuple]]:
        def run() -> list[tuple]:
            with connection.cursor() as cursor:
                cursor.execute(lines, params)
                rows = cursor.fetchall()
                cursor.execute(SQL_ADJUSTMENTS, params)
                return rows + [("adjustment", *row) for row in cursor.fetchall()]

        return run

    # The statements: the product's figures, and the hand-written SQL's, equal line by line.
    (product_s, figures), (hand_s, hand_rows), (hand_raw_s, hand_raw_rows) = medians_side_by_side(
        lambda: statement_figures(month=month), statements_sql(SQL_LINES), statements_sql(SQL_LINES_RAW)
    )
    mine = sorted(
        (
            f.point_id,
            f.agency_id,
            str(f.kind),
            f.agreement_id,
            f.asti_type,
            f.channel,
            f.days if f.kind == LineKind.BASE else f.quantity,
            f.amount,
        )
        for lines in figures.values()
        for f in lines
    )
    theirs = sorted(tuple(row) for row in hand_rows)
    assert mine == theirs, "the product's statement lines differ from the SQL's"
    assert sorted(tuple(row) for row in hand_raw_rows) == theirs, "the rollup differs from the raw ledger"
    started = time.perf_counter()
    drafted = statement_draft_month(month=month)
    draft_s = time.perf_counter() - started
    redraft_s, _ = median_s(lambda: statement_draft_month(month=month), runs=3)

    # The national dashboard of the twelve months up to the month, and the same figures in SQL.
    period = dashboard_period(MONTH)
    window = {
        "from": period.first,
        "until": period.month_starts[-1],
        **dict(zip(("start", "end"), period.bounds(), strict=True)),
    }

    def dashboard_sql() -> tuple[list[tuple], list[tuple], list[tuple]]:
        with connection.cursor() as cursor:
            found = []
            for query in (SQL_DASHBOARD, SQL_TRAVEL, SQL_SATISFACTION):
                cursor.execute(query, window)
                found.append(cursor.fetchall())
        return found[0], found[1], found[2]

    (dashboard_s, dashboard), (dashboard_sql_s, (grouped, travel, _satisfaction)) = medians_side_by_side(
        lambda: statistics_national_dashboard(period=period), dashboard_sql
    )
    label = {start: f"{start:%Y-%m}" for start in period.month_starts}
    for key, column in (("transactions-by-channel", 2), ("transactions-by-asti-type", 3)):
        sql_cells = {(label[row[0]], row[column], row[4]) for row in grouped if row[column] is not None}
        values = Channel.values if column == 2 else AstiType.values
        shown = {
            (month_label, value, n)
            for month_label, cells in dashboard.by_key[key].rows
            for value, n in zip(values, cells, strict=True)
            if n
        }
        assert shown == sql_cells, f"{key} differs from the SQL"
    totals = {
        label[row[0]]: row[4] for row in grouped if row[1] is None and row[2] is None and row[3] is None
    }
    assert {m: cells[0] for m, cells in dashboard.by_key["remote-share"].rows} == totals, (
        "remote share differs"
    )
    travel_meetings = sum(row[2] for row in travel)
    assert dashboard.by_key["travel-saved-by-country"].rows[0][1][0] == travel_meetings, "travel differs"

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM ledger_transaction")
        total_rows = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM ledger_monthlyrollup")
        rollup_rows = cursor.fetchone()[0]
    load = os.getloadavg()
    lines = sum(len(v) for v in figures.values())
    print(
        f"Ledger at national scale on PostgreSQL: {total_rows:,} transactions ({rollup_rows:,} monthly "
        f"rollup rows), {len(figures)} statements of {month:%m/%Y} with {lines:,} lines; "
        f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} (the machine may be shared)"
    )
    print(
        "median of 5 runs, the product's and the SQL's taken in turn; the product's figures checked equal to the SQL's"
    )
    print(f"{'all statements of the month, figures (product code)':62}{product_s:>8.3f} s")
    print(f"{'the same lines, hand-written SQL over the rollup':62}{hand_s:>8.3f} s")
    print(f"{'ratio (goal at most 1.5)':62}{product_s / hand_s:>8.2f}")
    print(f"{'the same lines, hand-written SQL over the raw ledger':62}{hand_raw_s:>8.3f} s")
    print(
        f"{'drafting (writing) all statements of the month, first time':62}{draft_s:>8.3f} s  ({drafted} drafts)"
    )
    print(f"{'drafting them again (median of 3)':62}{redraft_s:>8.3f} s")
    print(f"{'national dashboard, 12 months (product code)':62}{dashboard_s:>8.3f} s")
    print(f"{'the same figures, hand-written SQL over the rollup':62}{dashboard_sql_s:>8.3f} s")
    print(f"{'ratio (goal at most 1.5)':62}{dashboard_s / dashboard_sql_s:>8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
