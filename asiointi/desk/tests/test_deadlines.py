"""A callback request's deadline counts working days: weekends and Finnish public holidays
(Midsummer Eve and Day, Christmas Eve, Christmas Day, St Stephen's Day) are skipped."""

from __future__ import annotations

import datetime as dt

import pytest

from asiointi.desk.services import callback_due_on, working_days_after
from asiointi.network.selectors import HELSINKI


@pytest.mark.parametrize(
    ("filed", "due"),
    [
        (dt.date(2026, 3, 2), dt.date(2026, 3, 4)),  # Monday -> Wednesday
        (dt.date(2026, 3, 5), dt.date(2026, 3, 9)),  # Thursday -> Monday over the weekend
        (dt.date(2026, 3, 6), dt.date(2026, 3, 10)),  # Friday -> Tuesday
        (dt.date(2026, 3, 7), dt.date(2026, 3, 10)),  # Saturday -> Tuesday
        # Midsummer 2026: Eve Friday 19 June, Day Saturday 20 June.
        (dt.date(2026, 6, 18), dt.date(2026, 6, 23)),  # Thursday -> Eve and weekend skipped -> Tuesday
        # Christmas 2026: Eve Thursday 24, Day Friday 25, St Stephen's Saturday 26.
        (dt.date(2026, 12, 22), dt.date(2026, 12, 28)),  # Tuesday -> Wed 23, then Mon 28
        (dt.date(2026, 12, 23), dt.date(2026, 12, 29)),  # Wednesday -> Mon 28, Tue 29
    ],
)
def test_working_days_after__two_days__skips_weekends_and_holidays(filed, due):
    assert working_days_after(filed, 2) == due


def test_callback_due_on__filed_late_on_friday_in_utc__counts_from_the_helsinki_day(kela, settings):
    settings.CALLBACK_DEADLINE_WORKING_DAYS = {"default": 2}
    # 22.30 UTC on Friday is already Saturday in Helsinki.
    filed_at = dt.datetime(2026, 3, 6, 22, 30, tzinfo=dt.UTC)

    assert filed_at.astimezone(HELSINKI).date() == dt.date(2026, 3, 7)
    assert callback_due_on(agency=kela, filed_at=filed_at) == dt.date(2026, 3, 10)


def test_callback_due_on__agency_with_its_own_deadline__uses_it(kela, settings):
    settings.CALLBACK_DEADLINE_WORKING_DAYS = {"default": 2, kela.code: 5}
    filed_at = dt.datetime(2026, 3, 2, 10, tzinfo=HELSINKI)

    assert callback_due_on(agency=kela, filed_at=filed_at) == dt.date(2026, 3, 9)
