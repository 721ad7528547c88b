import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from asiointi.network.models import OpeningHoursException, OpeningHoursRule
from asiointi.network.selectors import point_hours_for_day, point_week

from .helpers import make_point

MIDSUMMER_EVE_2026 = dt.date(2026, 6, 19)  # a Friday
CHRISTMAS_EVE_2026 = dt.date(2026, 12, 24)  # a Thursday


@pytest.mark.parametrize("day", [MIDSUMMER_EVE_2026, CHRISTMAS_EVE_2026])
def test_point_hours__on_midsummer_and_christmas_eve__point_is_closed(db, day):
    point = make_point()

    with translation.override("fi"):
        hours = point_hours_for_day(point=point, day=day)

    assert not hours.is_open
    assert hours.holiday in {"Juhannusaatto", "Jouluaatto"}


def test_point_hours__exception_opens_christmas_eve(db):
    point = make_point()
    OpeningHoursException.objects.create(
        point=point, date=CHRISTMAS_EVE_2026, opens=dt.time(9), closes=dt.time(12), reason="Aattopäivystys"
    )

    hours = point_hours_for_day(point=point, day=CHRISTMAS_EVE_2026)

    assert hours.intervals == [(dt.time(9), dt.time(12))]
    assert hours.exception_reason == "Aattopäivystys"


def test_point_hours__holiday_name_follows_language(db):
    point = make_point()
    with translation.override("sv"):
        assert point_hours_for_day(point=point, day=MIDSUMMER_EVE_2026).holiday == "Midsommarafton"
    with translation.override("en"):
        assert point_hours_for_day(point=point, day=MIDSUMMER_EVE_2026).holiday == "Midsummer Eve"


def test_point_week__ordinary_week__open_on_weekdays_closed_on_weekend(db):
    point = make_point()

    week = point_week(point=point, start=dt.date(2026, 11, 25))

    assert week[0].day == dt.date(2026, 11, 23)
    assert [d.is_open for d in week] == [True] * 5 + [False] * 2
    assert week[0].intervals == [(dt.time(9), dt.time(15))]


def test_point_hours__closed_exception__closes_an_ordinary_day(db):
    point = make_point()
    OpeningHoursException.objects.create(
        point=point, date=dt.date(2026, 11, 24), is_closed=True, reason="Koulutus"
    )

    assert not point_hours_for_day(point=point, day=dt.date(2026, 11, 24)).is_open


def test_opening_rule__overlapping_another_rule__is_refused_and_not_saved(db):
    point = make_point(weekdays=[0])
    rule = OpeningHoursRule(point=point, weekday=0, opens=dt.time(14), closes=dt.time(16))

    with pytest.raises(ValidationError):
        rule.full_clean()
    assert OpeningHoursRule.objects.filter(point=point).count() == 1


def test_opening_rule__same_weekday_in_other_period_or_after_closing__is_accepted(db):
    point = make_point(weekdays=[0])
    OpeningHoursRule.objects.filter(point=point).update(valid_to=dt.date(2026, 5, 31))

    OpeningHoursRule(
        point=point, weekday=0, opens=dt.time(10), closes=dt.time(14), valid_from=dt.date(2026, 6, 1)
    ).full_clean()
    OpeningHoursRule(point=point, weekday=0, opens=dt.time(15), closes=dt.time(17)).full_clean()


def test_opening_rule__closing_before_opening__is_refused(db):
    point = make_point(weekdays=[])

    with pytest.raises(ValidationError):
        OpeningHoursRule(point=point, weekday=0, opens=dt.time(15), closes=dt.time(9)).full_clean()


def test_opening_exception__closed_and_open_on_the_same_day__is_refused(db):
    point = make_point()
    OpeningHoursException.objects.create(point=point, date=CHRISTMAS_EVE_2026, is_closed=True)

    with pytest.raises(ValidationError):
        OpeningHoursException(
            point=point, date=CHRISTMAS_EVE_2026, opens=dt.time(9), closes=dt.time(12)
        ).full_clean()
