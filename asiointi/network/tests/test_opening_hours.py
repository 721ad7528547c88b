import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from asiointi.factories import OpeningHoursExceptionFactory, OpeningHoursRuleFactory, point_with_hours
from asiointi.network.models import OpeningHoursException, OpeningHoursRule
from asiointi.network.selectors import (
    point_hours_for_day,
    point_is_open_between,
    point_open_intervals,
    point_week,
)

MIDSUMMER_EVE_2026 = dt.date(2026, 6, 19)  # a Friday
CHRISTMAS_EVE_2026 = dt.date(2026, 12, 24)  # a Thursday


@pytest.mark.parametrize("day", [MIDSUMMER_EVE_2026, CHRISTMAS_EVE_2026])
def test_point_hours__on_midsummer_and_christmas_eve__point_is_closed(db, day):
    point = point_with_hours()

    with translation.override("fi"):
        hours = point_hours_for_day(point=point, day=day)

    assert not hours.is_open
    assert hours.holiday in {"Juhannusaatto", "Jouluaatto"}


def test_point_hours__exception_opens_christmas_eve(db):
    point = point_with_hours()
    OpeningHoursExceptionFactory.create(
        is_closed=False,
        point=point,
        date=CHRISTMAS_EVE_2026,
        opens=dt.time(9),
        closes=dt.time(12),
        reason_fi="Aattopäivystys",
    )

    hours = point_hours_for_day(point=point, day=CHRISTMAS_EVE_2026)

    assert hours.intervals == [(dt.time(9), dt.time(12))]
    assert hours.exception_reason == "Aattopäivystys"


def test_point_hours__holiday_name_follows_language(db):
    point = point_with_hours()
    with translation.override("sv"):
        assert point_hours_for_day(point=point, day=MIDSUMMER_EVE_2026).holiday == "Midsommarafton"
    with translation.override("en"):
        assert point_hours_for_day(point=point, day=MIDSUMMER_EVE_2026).holiday == "Midsummer Eve"


def test_point_week__ordinary_week__open_on_weekdays_closed_on_weekend(db):
    point = point_with_hours()

    week = point_week(point=point, start=dt.date(2026, 11, 25))

    assert week[0].day == dt.date(2026, 11, 23)
    assert [d.is_open for d in week] == [True] * 5 + [False] * 2
    assert week[0].intervals == [(dt.time(9), dt.time(15))]


def test_point_hours__closed_exception__closes_an_ordinary_day(db):
    point = point_with_hours()
    OpeningHoursExceptionFactory.create(
        point=point, date=dt.date(2026, 11, 24), is_closed=True, reason_fi="Koulutus"
    )

    assert not point_hours_for_day(point=point, day=dt.date(2026, 11, 24)).is_open


def test_opening_rule__overlapping_another_rule__is_refused_and_not_saved(db):
    point = point_with_hours(weekdays=[0])
    rule = OpeningHoursRule(point=point, weekday=0, opens=dt.time(14), closes=dt.time(16))

    with pytest.raises(ValidationError):
        rule.full_clean()
    assert OpeningHoursRule.objects.filter(point=point).count() == 1


def test_opening_rule__same_weekday_in_other_period_or_after_closing__is_accepted(db):
    point = point_with_hours(weekdays=[0])
    OpeningHoursRule.objects.filter(point=point).update(valid_to=dt.date(2026, 5, 31))

    OpeningHoursRule(
        point=point, weekday=0, opens=dt.time(10), closes=dt.time(14), valid_from=dt.date(2026, 6, 1)
    ).full_clean()
    OpeningHoursRule(point=point, weekday=0, opens=dt.time(15), closes=dt.time(17)).full_clean()


def test_opening_rule__closing_before_opening__is_refused(db):
    point = point_with_hours(weekdays=[])

    with pytest.raises(ValidationError):
        OpeningHoursRule(point=point, weekday=0, opens=dt.time(15), closes=dt.time(9)).full_clean()


def test_opening_exception__closed_and_open_on_the_same_day__is_refused(db):
    point = point_with_hours()
    OpeningHoursExceptionFactory.create(point=point, date=CHRISTMAS_EVE_2026, is_closed=True)

    with pytest.raises(ValidationError):
        OpeningHoursException(
            point=point, date=CHRISTMAS_EVE_2026, opens=dt.time(9), closes=dt.time(12)
        ).full_clean()


# --- open intervals as instants ------------------------------------------------------------------

HELSINKI = ZoneInfo("Europe/Helsinki")


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def test_point_open_intervals__across_the_change_to_summer_time__are_aware_and_shift_an_hour_in_utc(db):
    point = point_with_hours()  # Monday to Friday 9–15
    friday, monday = dt.date(2026, 3, 27), dt.date(2026, 3, 30)  # the clocks go forward on Sunday 29.3.

    intervals = point_open_intervals(point=point, start=local(friday, 0), end=local(monday, 23))

    assert intervals == [(local(friday, 9), local(friday, 15)), (local(monday, 9), local(monday, 15))]
    assert all(o.tzinfo is not None and c - o == dt.timedelta(hours=6) for o, c in intervals)
    assert intervals[0][0].astimezone(HELSINKI).hour == intervals[1][0].astimezone(HELSINKI).hour == 9
    assert intervals[0][0].astimezone(dt.UTC).hour == 7  # EET, UTC+2
    assert intervals[1][0].astimezone(dt.UTC).hour == 6  # EEST, UTC+3


def test_point_open_intervals__the_night_the_clocks_go_forward__is_an_hour_shorter(db):
    point = point_with_hours(weekdays=[])
    sunday = dt.date(2026, 3, 29)
    OpeningHoursExceptionFactory.create(
        is_closed=False, point=point, date=sunday, opens=dt.time(0), closes=dt.time(6)
    )

    [(opens, closes)] = point_open_intervals(point=point, start=local(sunday, 0), end=local(sunday, 23))

    assert closes - opens == dt.timedelta(hours=5)


def test_point_open_intervals__the_night_the_clocks_go_back__is_an_hour_longer(db):
    point = point_with_hours(weekdays=[])
    sunday = dt.date(2026, 10, 25)
    OpeningHoursExceptionFactory.create(
        is_closed=False, point=point, date=sunday, opens=dt.time(0), closes=dt.time(6)
    )

    [(opens, closes)] = point_open_intervals(point=point, start=local(sunday, 0), end=local(sunday, 23))

    assert closes - opens == dt.timedelta(hours=7)


def test_point_open_intervals__over_easter__good_friday_and_easter_monday_are_closed(db):
    point = point_with_hours()
    thursday, tuesday = dt.date(2026, 4, 2), dt.date(2026, 4, 7)  # Good Friday 3.4., Easter Monday 6.4.

    intervals = point_open_intervals(point=point, start=local(thursday, 0), end=local(tuesday, 23))

    assert [o.date() for o, _c in intervals] == [thursday, tuesday]


def test_point_open_intervals__exception_on_a_holiday__opens_it_for_its_hours(db):
    point = point_with_hours()
    OpeningHoursExceptionFactory.create(
        is_closed=False,
        point=point,
        date=CHRISTMAS_EVE_2026,
        opens=dt.time(9),
        closes=dt.time(12),
        reason_fi="Aattopäivystys",
    )

    intervals = point_open_intervals(
        point=point, start=local(CHRISTMAS_EVE_2026, 0), end=local(CHRISTMAS_EVE_2026, 23)
    )

    assert intervals == [(local(CHRISTMAS_EVE_2026, 9), local(CHRISTMAS_EVE_2026, 12))]


def test_point_open_intervals__cut_to_the_window_and_touching_rules_joined(db):
    point = point_with_hours(weekdays=[])
    monday = dt.date(2026, 11, 23)
    OpeningHoursRuleFactory.create(point=point, weekday=0, opens=dt.time(9), closes=dt.time(12))
    OpeningHoursRuleFactory.create(point=point, weekday=0, opens=dt.time(12), closes=dt.time(15))

    intervals = point_open_intervals(point=point, start=local(monday, 10), end=local(monday, 14))

    assert intervals == [(local(monday, 10), local(monday, 14))]
    assert point_is_open_between(point=point, day=monday, starts=dt.time(11), ends=dt.time(13))
    assert not point_is_open_between(point=point, day=monday, starts=dt.time(14), ends=dt.time(16))


def test_point_open_intervals__naive_times__are_refused(db):
    point = point_with_hours()

    with pytest.raises(ValueError, match="timezone-aware"):
        point_open_intervals(point=point, start=dt.datetime(2026, 11, 23), end=dt.datetime(2026, 11, 24))
