"""Reads of the network app: public data of points, their hours and visiting days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from dateutil import rrule
from django.core.cache import cache
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone, translation

from .models import (
    Agency,
    AgencyOffice,
    Booth,
    Municipality,
    OpeningHoursException,
    OpeningHoursRule,
    Region,
    ScheduleFrequency,
    ServicePoint,
    VisitingSchedule,
)

HOLIDAY_LANGUAGES = {"fi": "fi", "sv": "sv_FI", "en": "en_US"}
HELSINKI = ZoneInfo("Europe/Helsinki")  # opening hours are local time in Finland, whatever the settings say
RRULE_WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


# --- holidays ---------------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _finnish_holidays(year: int, language: str) -> dict[dt.date, str]:
    calendar = holidays.Finland(years=year, language=HOLIDAY_LANGUAGES.get(language, "fi"))
    return dict(calendar.items())


def finnish_holiday(day: dt.date) -> str | None:
    """The name of the Finnish public holiday on ``day`` in the active language, or None.

    The holidays package counts Midsummer Eve and Christmas Eve among them, as Finnish
    offices do."""
    return _finnish_holidays(day.year, translation.get_language() or "fi").get(day)


# --- municipalities ----------------------------------------------------------------------------


def municipality_search(*, query: str, limit: int = 10) -> QuerySet[Municipality]:
    """Municipalities whose Finnish, Swedish or English name contains ``query``; names that
    start with it first."""
    query = query.strip()
    if not query:
        return Municipality.objects.none()
    matches = Q(name_fi__icontains=query) | Q(name_sv__icontains=query) | Q(name_en__icontains=query)
    found = list(Municipality.objects.filter(matches).select_related("region"))
    lowered = query.casefold()

    def rank(m: Municipality) -> tuple[int, str]:
        names = [(n or "").casefold() for n in (m.name_fi, m.name_sv, m.name_en)]
        if lowered in names:
            return (0, m.name_fi or "")
        if any(n.startswith(lowered) for n in names):
            return (1, m.name_fi or "")
        return (2, m.name_fi or "")

    found.sort(key=rank)
    ids = [m.pk for m in found[:limit]]
    if not ids:
        return Municipality.objects.none()
    position = Case(*[When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)], output_field=IntegerField())
    return Municipality.objects.filter(pk__in=ids).select_related("region").order_by(position)


def municipality_get(*, code_or_name: str) -> Municipality | None:
    """A municipality by its three-digit code or by its exact name in any language."""
    value = (code_or_name or "").strip()
    if not value:
        return None
    if value.isdigit():
        return Municipality.objects.select_related("region").filter(code=value.zfill(3)).first()
    return (
        Municipality.objects.select_related("region")
        .filter(Q(name_fi__iexact=value) | Q(name_sv__iexact=value) | Q(name_en__iexact=value))
        .first()
    )


# --- points and agencies -----------------------------------------------------------------------


def point_list_public(*, on: dt.date | None = None) -> QuerySet[ServicePoint]:
    """The points active on ``on`` (today by default), with municipality and region."""
    on = on or timezone.localdate()
    return (
        ServicePoint.objects.filter(active_from__lte=on)
        .filter(Q(active_to__isnull=True) | Q(active_to__gte=on))
        .select_related("municipality", "municipality__region")
    )


def point_get_public(*, slug: str | None = None, pk: int | None = None) -> ServicePoint:
    """One point by its slug (or by its id), active or not (an old link still shows where the point
    was)."""
    lookup = {"slug": slug} if pk is None else {"pk": pk}
    return ServicePoint.objects.select_related("municipality", "municipality__region").get(**lookup)


def point_booths_public(*, point: ServicePoint) -> QuerySet[Booth]:
    """The booths of ``point`` that are in use, with their equipment."""
    return Booth.objects.filter(point=point, is_active=True).order_by("name")


def agency_offices_public(*, agency: Agency) -> QuerySet[AgencyOffice]:
    """The agency's own offices, with their municipality."""
    return AgencyOffice.objects.filter(agency=agency).select_related("municipality").order_by("name")


def region_list() -> QuerySet[Region]:
    """The regions, by code."""
    return Region.objects.order_by("code")


def agency_list_public() -> QuerySet[Agency]:
    return Agency.objects.all()


def agency_get_public(*, code: str) -> Agency:
    return Agency.objects.get(code=code)


# --- opening hours -----------------------------------------------------------------------------


@dataclass(frozen=True)
class DayHours:
    day: dt.date
    intervals: list[tuple[dt.time, dt.time]]
    holiday: str | None = None
    exception_reason: str = ""

    @property
    def is_open(self) -> bool:
        return bool(self.intervals)


def _rule_applies(rule: OpeningHoursRule, day: dt.date) -> bool:
    return (
        rule.weekday == day.weekday()
        and (rule.valid_from is None or rule.valid_from <= day)
        and (rule.valid_to is None or rule.valid_to >= day)
    )


def _day_hours(
    day: dt.date, rules: list[OpeningHoursRule], exceptions: list[OpeningHoursException]
) -> DayHours:
    holiday = finnish_holiday(day)
    todays = [e for e in exceptions if e.date == day]
    if todays:
        reason = next((e.reason for e in todays if e.reason), "")
        if any(e.is_closed for e in todays):
            return DayHours(day, [], holiday, reason)
        intervals = sorted((e.opens, e.closes) for e in todays if e.opens and e.closes)
        return DayHours(day, intervals, holiday, reason)
    if holiday:
        return DayHours(day, [], holiday)
    return DayHours(day, sorted((r.opens, r.closes) for r in rules if _rule_applies(r, day)))


#: A point's weekly rules valid at some time from a date to a date (parameters: the point, the last
#: day, the first day).
_RULES_SQL = (
    f"SELECT * FROM {OpeningHoursRule._meta.db_table} WHERE point_id = %s"  # noqa: S608  # nosec B608
    " AND (valid_from IS NULL OR valid_from <= %s) AND (valid_to IS NULL OR valid_to >= %s)"
    " ORDER BY weekday, opens, id"
)
#: A point's dated exceptions from a date to a date, in the order of the model (parameters: the point,
#: the first day, the last day).
_EXCEPTIONS_SQL = (
    f"SELECT * FROM {OpeningHoursException._meta.db_table} WHERE point_id = %s"  # noqa: S608  # nosec B608
    " AND date BETWEEN %s AND %s ORDER BY date, opens, id"
)


def point_hours_range(*, point: ServicePoint, start: dt.date, end: dt.date) -> list[DayHours]:
    """Opening hours of ``point`` for each day from ``start`` to ``end`` inclusive, in two queries.

    Dated exceptions replace the weekly rules of their day; a Finnish public holiday closes the
    point unless an exception opens it."""
    # Written as SQL once (raw querysets: the same model instances, without building and compiling two
    # querysets on every call: this is on the slot search's path, called for every search).
    rules = list(OpeningHoursRule.objects.raw(_RULES_SQL, [point.pk, end, start]))
    exceptions = list(OpeningHoursException.objects.raw(_EXCEPTIONS_SQL, [point.pk, start, end]))
    days = (end - start).days + 1
    return [_day_hours(start + dt.timedelta(days=i), rules, exceptions) for i in range(max(days, 0))]


def point_hours_for_day(*, point: ServicePoint, day: dt.date) -> DayHours:
    return point_hours_range(point=point, start=day, end=day)[0]


def point_week(*, point: ServicePoint, start: dt.date) -> list[DayHours]:
    """The seven days of the week (Monday first) that contains ``start``."""
    monday = start - dt.timedelta(days=start.weekday())
    return point_hours_range(point=point, start=monday, end=monday + dt.timedelta(days=6))


OpenInterval = tuple[dt.datetime, dt.datetime]


def _local(day: dt.date, time: dt.time) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=HELSINKI)


def _open_intervals(days: list[DayHours], start: dt.datetime, end: dt.datetime) -> list[OpenInterval]:
    merged: list[OpenInterval] = []
    for hours in days:
        for opens, closes in hours.intervals:
            # In UTC: arithmetic between two times of one zone ignores a change of summer time.
            lo = max(_local(hours.day, opens).astimezone(dt.UTC), start)
            hi = min(_local(hours.day, closes).astimezone(dt.UTC), end)
            if lo >= hi:
                continue
            if merged and lo <= merged[-1][1]:  # touching or overlapping: one interval
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
    return merged


def point_open_intervals(*, point: ServicePoint, start: dt.datetime, end: dt.datetime) -> list[OpenInterval]:
    """The times ``point`` is open from ``start`` to ``end``, as timezone-aware intervals (instants in
    UTC; the hours themselves are Europe/Helsinki local time), soonest first, touching intervals joined
    and cut to ``[start, end)``.

    The weekly rules, the dated exceptions and the Finnish public holidays decide, as in
    :func:`point_hours_range`; the local opening times become instants day by day, so an interval on
    the night the clocks change is as long as it really is (open from 00:00 to 06:00 on the night the
    clocks go forward is five hours). The slot search of the scheduling app asks exactly this: is the
    point open for the whole of this meeting?"""
    return _intervals_between(
        start, end, lambda first, last: point_hours_range(point=point, start=first, end=last)
    )


def open_intervals_from_hours(
    *,
    rules: list[OpeningHoursRule],
    exceptions: list[OpeningHoursException],
    start: dt.datetime,
    end: dt.datetime,
) -> list[OpenInterval]:
    """:func:`point_open_intervals` for a point's weekly rules and dated exceptions read elsewhere (the
    slot search reads them in its own statement): ``rules`` may hold rules that apply on none of the
    days, and ``exceptions`` must hold every exception of the days from ``start`` to ``end`` (only
    their date, ``is_closed``, ``opens`` and ``closes`` are looked at)."""
    return _intervals_between(
        start,
        end,
        lambda first, last: [
            _day_hours(first + dt.timedelta(days=i), rules, exceptions)
            for i in range((last - first).days + 1)
        ],
    )


def _intervals_between(
    start: dt.datetime, end: dt.datetime, days_of: Callable[[dt.date, dt.date], list[DayHours]]
) -> list[OpenInterval]:
    """The open intervals from ``start`` to ``end`` of the days that ``days_of(first, last)`` gives
    (the local dates from ``start``'s to ``end``'s, both included)."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("Opening times need a timezone-aware start and end.")
    if start >= end:
        return []
    days = days_of(start.astimezone(HELSINKI).date(), end.astimezone(HELSINKI).date())
    return _open_intervals(days, start.astimezone(dt.UTC), end.astimezone(dt.UTC))


def _covers(intervals: list[OpenInterval], starts: dt.datetime, ends: dt.datetime) -> bool:
    return any(opens <= starts and ends <= closes for opens, closes in intervals)


def _day_span(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return _local(first, dt.time()), _local(last + dt.timedelta(days=1), dt.time())


def point_is_open_between(*, point: ServicePoint, day: dt.date, starts: dt.time, ends: dt.time) -> bool:
    """Whether ``point`` is open for the whole of ``starts``–``ends`` (local time) on ``day``."""
    opening, closing = _day_span(day, day)
    intervals = point_open_intervals(point=point, start=opening, end=closing)
    return _covers(intervals, _local(day, starts), _local(day, ends))


# --- visiting schedules ------------------------------------------------------------------------


def visiting_schedule_recurrence(
    *, schedule: VisitingSchedule, start: dt.date, end: dt.date
) -> list[dt.date]:
    """The dates the schedule's rule gives between ``start`` and ``end`` inclusive, within its
    validity, before any closed days are taken out."""
    first = max(start, schedule.valid_from)
    last = min(end, schedule.valid_to) if schedule.valid_to else end
    if first > last:
        return []
    weekday = RRULE_WEEKDAYS[schedule.weekday]
    if schedule.frequency == ScheduleFrequency.MONTHLY:
        weeks = [int(n) for n in (schedule.weeks_of_month or [])] or [1, 2, 3, 4, -1]
        rule = rrule.rrule(
            rrule.MONTHLY,
            dtstart=dt.datetime.combine(first.replace(day=1), dt.time()),
            byweekday=[weekday(n) for n in weeks],
        )
    else:
        # Every ``interval`` weeks counted from the week of valid_from.
        anchor = schedule.valid_from + dt.timedelta(
            days=(schedule.weekday - schedule.valid_from.weekday()) % 7
        )
        rule = rrule.rrule(
            rrule.WEEKLY,
            dtstart=dt.datetime.combine(anchor, dt.time()),
            interval=schedule.interval,
            byweekday=weekday,
        )
    return [
        d.date()
        for d in rule.between(
            dt.datetime.combine(first, dt.time()), dt.datetime.combine(last, dt.time()), inc=True
        )
    ]


def visiting_schedule_dates(*, schedule: VisitingSchedule, start: dt.date, end: dt.date) -> list[dt.date]:
    """The concrete dates of a visiting schedule between ``start`` and ``end`` inclusive, leaving
    out the days the point is closed at the visit's hours (public holidays, closures)."""
    dates = visiting_schedule_recurrence(schedule=schedule, start=start, end=end)
    if not dates:
        return []
    opening, closing = _day_span(dates[0], dates[-1])
    intervals = point_open_intervals(point=schedule.point, start=opening, end=closing)
    return [d for d in dates if _covers(intervals, _local(d, schedule.starts), _local(d, schedule.ends))]


@dataclass(frozen=True)
class Visit:
    day: dt.date
    starts: dt.time
    ends: dt.time
    schedule: VisitingSchedule = field(compare=False)


def point_next_visits(*, point: ServicePoint, start: dt.date, days: int = 60) -> list[Visit]:
    """The agencies' visiting days at ``point`` in the ``days`` days from ``start``, soonest first."""
    end = start + dt.timedelta(days=days - 1)
    schedules = (
        VisitingSchedule.objects.filter(point=point, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .select_related("agency", "point")
    )
    opening, closing = _day_span(start, end)
    intervals = point_open_intervals(point=point, start=opening, end=closing)
    visits = []
    for schedule in schedules:
        for day in visiting_schedule_recurrence(schedule=schedule, start=start, end=end):
            if _covers(intervals, _local(day, schedule.starts), _local(day, schedule.ends)):
                visits.append(Visit(day, schedule.starts, schedule.ends, schedule))
    visits.sort(key=lambda v: (v.day, v.starts, str(v.schedule.agency)))
    return visits


def office_municipality_codes() -> list[str]:
    """Codes of the municipalities where an agency has an office of its own (the network planner
    can leave them out: a joint service point there would overlap the agency's own service)."""
    return sorted(set(AgencyOffice.objects.values_list("municipality__code", flat=True)))


# --- the cached public pages -------------------------------------------------------------------

#: The cache key of the public pages' version, renewed by ``services.public_pages_changed``.
PUBLIC_PAGES_VERSION_KEY = "public-pages:version"


def public_pages_version() -> str:
    """The version of the data the public pages show: part of their cache keys, so a change
    (``services.public_pages_changed``) makes every cached page stale at once."""
    version = cache.get(PUBLIC_PAGES_VERSION_KEY)
    if version is None:
        cache.add(PUBLIC_PAGES_VERSION_KEY, "0", timeout=None)
        version = cache.get(PUBLIC_PAGES_VERSION_KEY, "0")
    return str(version)
