"""The demo data over twelve months: a module of its own, beside the month that test_load_demo.py
loads once, so that a parallel run (pytest-xdist keeps a module on one worker) gives the two long
loads to two workers."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from asiointi.demo.tests.test_load_demo import HELSINKI
from asiointi.ledger.models import Transaction


@pytest.mark.slow
@pytest.mark.django_db
def test_load_demo__twelve_months__seasons_show_and_every_month_is_near_the_volume():
    call_command("load_demo", stdout=StringIO())

    per_month: dict[int, int] = {}
    for occurred_at in Transaction.objects.filter(point__slug="karstula").values_list(
        "occurred_at", flat=True
    ):
        month = occurred_at.astimezone(HELSINKI).month
        per_month[month] = per_month.get(month, 0) + 1

    assert len(per_month) == 12
    assert all(800 <= n <= 1200 for n in per_month.values())
    assert per_month[7] < per_month[1]
