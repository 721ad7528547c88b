import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from asiointi.factories import (
    AgencyFactory,
    OpeningHoursExceptionFactory,
    VisitingScheduleFactory,
    point_with_hours,
)
from asiointi.network.models import ScheduleFrequency, VisitingSchedule
from asiointi.network.selectors import point_next_visits, visiting_schedule_dates


def police_schedule(point, **extra) -> VisitingSchedule:
    values = {
        "point": point,
        "agency": AgencyFactory.create(code="poliisi", name_fi="Poliisi"),
        "weekday": 1,  # Tuesday
        "frequency": ScheduleFrequency.MONTHLY,
        "weeks_of_month": [1, 3],
        "starts": dt.time(10),
        "ends": dt.time(14),
        "valid_from": dt.date(2026, 1, 1),
    }
    values.update(extra)
    schedule: VisitingSchedule = VisitingScheduleFactory.build(title_fi="", **values)
    schedule.full_clean()  # the schedule's own validation: some tests expect it to refuse the values
    schedule.save()
    return schedule


def test_visiting_schedule__first_and_third_tuesday__expands_across_a_month_boundary(db):
    schedule = police_schedule(point_with_hours())

    dates = visiting_schedule_dates(schedule=schedule, start=dt.date(2026, 10, 10), end=dt.date(2026, 11, 30))

    assert dates == [dt.date(2026, 10, 20), dt.date(2026, 11, 3), dt.date(2026, 11, 17)]


def test_visiting_schedule__date_on_public_holiday__is_left_out(db):
    # The first Tuesday of January 2026 is Epiphany (6.1.), a public holiday.
    schedule = police_schedule(point_with_hours())

    dates = visiting_schedule_dates(schedule=schedule, start=dt.date(2026, 1, 1), end=dt.date(2026, 1, 31))

    assert dates == [dt.date(2026, 1, 20)]


def test_visiting_schedule__closure_exception__is_left_out(db):
    point = point_with_hours()
    schedule = police_schedule(point)
    OpeningHoursExceptionFactory.create(point=point, date=dt.date(2026, 11, 17), is_closed=True)

    dates = visiting_schedule_dates(schedule=schedule, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 30))

    assert dates == [dt.date(2026, 11, 3)]


def test_visiting_schedule__every_second_week__counts_from_its_start(db):
    schedule = police_schedule(
        point_with_hours(),
        frequency=ScheduleFrequency.WEEKLY,
        interval=2,
        weeks_of_month=[],
        weekday=2,
        valid_from=dt.date(2026, 11, 2),
    )

    dates = visiting_schedule_dates(schedule=schedule, start=dt.date(2026, 11, 1), end=dt.date(2026, 12, 10))

    assert dates == [dt.date(2026, 11, 4), dt.date(2026, 11, 18), dt.date(2026, 12, 2)]


def test_visiting_schedule__last_weekday_of_month__uses_minus_one(db):
    schedule = police_schedule(point_with_hours(), weeks_of_month=[-1])

    dates = visiting_schedule_dates(schedule=schedule, start=dt.date(2026, 9, 1), end=dt.date(2026, 10, 31))

    assert dates == [dt.date(2026, 9, 29), dt.date(2026, 10, 27)]


def test_visiting_schedule__on_a_day_the_point_is_closed__is_refused(db):
    point = point_with_hours(weekdays=[0, 2, 3, 4])  # closed on Tuesdays

    with translation.override("en"), pytest.raises(ValidationError) as error:
        police_schedule(point)

    assert "not open on Tuesday from 10.00 to 14.00" in str(error.value)
    assert not VisitingSchedule.objects.exists()


def test_visiting_schedule__outside_opening_hours__is_refused(db):
    point = point_with_hours(opens=dt.time(12), closes=dt.time(16))

    with pytest.raises(ValidationError):
        police_schedule(point)


def test_visiting_schedule__monthly_without_weeks__is_refused(db):
    with pytest.raises(ValidationError):
        police_schedule(point_with_hours(), weeks_of_month=[])


def test_point_next_visits__lists_agency_visits_soonest_first(db):
    point = point_with_hours()
    police_schedule(point)

    visits = point_next_visits(point=point, start=dt.date(2026, 11, 1), days=30)

    assert [(v.day, v.starts, v.schedule.agency.code) for v in visits] == [
        (dt.date(2026, 11, 3), dt.time(10), "poliisi"),
        (dt.date(2026, 11, 17), dt.time(10), "poliisi"),
    ]
