"""The monthly rollup (MonthlyRollup) equals the raw ledger after every kind of write, and the
management command rebuilds it from the raw ledger."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.functions import TruncMonth

from asiointi.catalogue.models import Channel
from asiointi.factories import TransactionFactory
from asiointi.ledger.models import MonthlyRollup, Transaction, TransactionSource
from asiointi.ledger.services import (
    TransactionData,
    transaction_record_many,
    transaction_reverse,
)
from asiointi.network.models import Agency, ServicePoint

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")


def _raw() -> dict[tuple, int]:
    """The ledger counted from its raw rows, by point, agency, type, channel and Finnish month."""
    return {
        (p, a, t, c, month.date() if isinstance(month, dt.datetime) else month): n
        for p, a, t, c, month, n in Transaction.objects.annotate(
            month=TruncMonth("occurred_at", tzinfo=HELSINKI)
        )
        .values_list("point_id", "agency_id", "asti_type", "channel", "month")
        .annotate(n=Sum("count"))
        .order_by()
    }


def _rollup() -> dict[tuple, int]:
    return {
        (p, a, t, c, m): n
        for p, a, t, c, m, n in MonthlyRollup.objects.values_list(
            "point_id", "agency_id", "asti_type", "channel", "month", "count"
        )
    }


def test_monthly_rollup__records_imports_and_reversals__equals_the_raw_ledger(
    point_a: ServicePoint, point_b: ServicePoint, kela: Agency, vero: Agency
) -> None:
    # 31 March 23:30 in Helsinki is still March; 1 April 00:30 is April (both 21:30 UTC or so).
    last_of_march = dt.datetime(2025, 3, 31, 23, 30, tzinfo=HELSINKI)
    first_of_april = dt.datetime(2025, 4, 1, 0, 30, tzinfo=HELSINKI)
    made = [
        TransactionFactory.create(point=point_a, agency=kela, occurred_at=last_of_march),
        TransactionFactory.create(point=point_a, agency=kela, occurred_at=last_of_march),
        TransactionFactory.create(point=point_a, agency=kela, occurred_at=first_of_april),
        TransactionFactory.create(
            point=point_b, agency=vero, occurred_at=first_of_april, channel=Channel.REMOTE_MEETING
        ),
    ]
    transaction_record_many(
        rows=[
            TransactionData(
                point=point_b,
                agency=kela,
                asti_type="DocumentReceived",
                channel=Channel.ADVISOR_GUIDANCE,
                occurred_at=last_of_march,
                duration_seconds=60,
                language="fi",
                source=TransactionSource.DESK,
            )
        ]
        * 3
    )
    transaction_reverse(transaction=made[0])
    transaction_reverse(transaction=made[3])

    rollup = _rollup()
    assert rollup == _raw()
    assert rollup[(point_a.pk, kela.pk, "OnsiteGuidance", Channel.ADVISOR_GUIDANCE, dt.date(2025, 3, 1))] == 1
    assert rollup[(point_a.pk, kela.pk, "OnsiteGuidance", Channel.ADVISOR_GUIDANCE, dt.date(2025, 4, 1))] == 1
    assert (
        rollup[(point_b.pk, kela.pk, "DocumentReceived", Channel.ADVISOR_GUIDANCE, dt.date(2025, 3, 1))] == 3
    )
    # A reversal counts -1 in the month of the entry it reverses.
    assert rollup[(point_b.pk, vero.pk, "OnsiteGuidance", Channel.REMOTE_MEETING, dt.date(2025, 4, 1))] == 0


def test_monthly_rollup__a_retried_origin__counted_once(point_a: ServicePoint, kela: Agency) -> None:
    when = dt.datetime(2025, 3, 3, 10, tzinfo=HELSINKI)
    for _ in range(2):
        TransactionFactory.create(point=point_a, agency=kela, occurred_at=when, origin="meeting:1")

    assert _rollup() == _raw()
    assert sum(_rollup().values()) == 1


def test_ledger_rollups_rebuild__rollup_lost__made_again_from_the_raw_ledger(
    point_a: ServicePoint, kela: Agency
) -> None:
    when = dt.datetime(2025, 3, 3, 10, tzinfo=HELSINKI)
    made = [TransactionFactory.create(point=point_a, agency=kela, occurred_at=when) for _ in range(3)]
    transaction_reverse(transaction=made[1])
    expected = _rollup()
    MonthlyRollup.objects.all().delete()
    MonthlyRollup.objects.create(
        point=point_a,
        agency=kela,
        asti_type="LostAndFound",
        channel="callback",
        month=dt.date(2024, 1, 1),
        count=9,
    )

    out = io.StringIO()
    call_command("ledger_rollups_rebuild", stdout=out)

    assert _rollup() == expected == _raw()
    assert "1 monthly counts rebuilt" in out.getvalue()


def test_statement_lines_insert__columns__are_every_column_of_the_line_but_its_key() -> None:
    from asiointi.ledger.models import StatementLine
    from asiointi.ledger.services import LINE_COLUMNS

    columns = {f.column for f in StatementLine._meta.concrete_fields if not f.primary_key}

    assert set(LINE_COLUMNS) == columns and len(LINE_COLUMNS) == len(columns)
