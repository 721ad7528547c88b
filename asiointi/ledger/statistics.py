"""Reads of the ledger for the statistics pages: each figure is one grouped query in the database
(never a loop over transactions), scoped by the viewer, over whole months in Finnish time.

Who sees what (:func:`statistics_scope`): agency coordinators their agencies, point managers their
points, network planners and administrators everything; the public page shows national figures with
every count below ``settings.STATISTICS_PUBLIC_MIN_COUNT`` hidden (:func:`statistics_national_dashboard`).

A figure is a table (rows and columns of numbers) that the page draws as a chart, shows as a table
for screen readers and offers as a CSV file. See docs/statistics.md for the definitions.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from types import MappingProxyType
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Case, Count, DateField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from asiointi.accounts.models import Role, User
from asiointi.accounts.selectors import user_scope
from asiointi.catalogue.models import Channel
from asiointi.core.geo import road_km
from asiointi.network.models import Agency, AgencyOffice, ServicePoint

from .models import AstiType, Feedback, MonthlyRollup

Number = int | float | Decimal | None

#: Roles that see statistics, and how far.
STATISTICS_ROLES: tuple[str, ...] = (
    Role.POINT_MANAGER.value,
    Role.AGENCY_COORDINATOR.value,
    Role.NETWORK_PLANNER.value,
    Role.ADMINISTRATOR.value,
)
NATIONAL_ROLES: tuple[str, ...] = (Role.NETWORK_PLANNER.value, Role.ADMINISTRATOR.value)
#: How many months the pages show by default, and at most.
DEFAULT_MONTHS = 12
MAX_MONTHS = 60


@dataclass(frozen=True)
class StatisticsScope:
    """The transactions a viewer's statistics count: every one (``national``), or those at
    ``point_ids`` and those of ``agency_ids``."""

    national: bool = False
    point_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()

    def q(self, prefix: str = "") -> Q:
        if self.national:
            return Q()
        condition = Q(pk__in=[])
        if self.point_ids:
            condition |= Q(**{f"{prefix}point_id__in": sorted(self.point_ids)})
        if self.agency_ids:
            condition |= Q(**{f"{prefix}agency_id__in": sorted(self.agency_ids)})
        return condition


NATIONAL = StatisticsScope(national=True)


def statistics_allowed(*, viewer: User | AnonymousUser) -> bool:
    return user_scope(user=viewer).has_role(*STATISTICS_ROLES)


def statistics_scope(*, viewer: User | AnonymousUser) -> StatisticsScope:
    """What ``viewer`` may count: planners and administrators everything, point managers their
    points, agency coordinators their agencies (a person with both roles: both). PermissionDenied for
    anyone else."""
    scope = user_scope(user=viewer)
    if scope.has_role(*NATIONAL_ROLES):
        return NATIONAL
    points = scope.points_for(Role.POINT_MANAGER)
    agencies = scope.agencies_for(Role.AGENCY_COORDINATOR)
    if not points and not agencies:
        raise PermissionDenied
    return StatisticsScope(point_ids=points, agency_ids=agencies)


@dataclass(frozen=True)
class Period:
    """Whole months: ``months`` months from the month of ``first`` (its first day)."""

    first: dt.date
    months: int

    @property
    def month_starts(self) -> list[dt.date]:
        starts = []
        for k in range(self.months):
            year, month = divmod(self.first.year * 12 + self.first.month - 1 + k, 12)
            starts.append(dt.date(year, month + 1, 1))
        return starts

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = ZoneInfo(settings.TIME_ZONE)
        last = self.month_starts[-1]
        end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
        return (
            dt.datetime.combine(self.first, dt.time(), tzinfo=zone),
            dt.datetime.combine(end, dt.time(), tzinfo=zone),
        )

    @classmethod
    def last_full_months(cls, months: int, today: dt.date) -> Period:
        year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
        return cls(dt.date(year, month + 1, 1), months)


def month_label(day: dt.date) -> str:
    return f"{day:%Y-%m}"


@dataclass(frozen=True)
class Figure:
    """One figure: ``rows`` of (label, values) under ``columns``. A value of None is hidden (a small
    count on the public page) or not available. ``chart`` is how the page draws it: "bar" (grouped),
    "stacked" (stacked bars) or "line"; ``chart_columns`` are the columns drawn (all when empty)."""

    key: str
    title: str | Promise
    description: str | Promise
    row_header: str | Promise
    columns: tuple[str | Promise, ...]
    rows: tuple[tuple[str, tuple[Number, ...]], ...]
    chart: str = "bar"
    chart_columns: tuple[int, ...] = ()
    decimals: tuple[int, ...] = ()
    available: bool = True
    note: str | Promise = ""
    suppressed: bool = False

    def decimals_of(self, column: int) -> int:
        return self.decimals[column] if column < len(self.decimals) else 0


@dataclass(frozen=True)
class Dashboard:
    period: Period
    figures: tuple[Figure, ...]
    national: bool
    public: bool = False
    by_key: Mapping[str, Figure] = field(default_factory=dict)


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _monthly(scope: StatisticsScope, period: Period) -> QuerySet[MonthlyRollup]:
    """The monthly rollup of the ledger (counts by point, agency, type, channel and month, kept by the
    ledger's services) in ``scope`` for ``period``: what the transaction figures read instead of
    every transaction of the period."""
    return MonthlyRollup.objects.filter(
        scope.q(), month__gte=period.first, month__lte=period.month_starts[-1]
    )


#: The month's transactions of one agency, channel and ASTI type: (month "YYYY-MM", agency id,
#: channel, ASTI type, count), from :func:`month_counts`.
MonthCount = tuple[str, int, str, str, int]


def month_counts(*, scope: StatisticsScope, period: Period) -> list[MonthCount]:
    """The transactions of ``period`` in ``scope`` by month, agency, channel and ASTI type, from the
    monthly rollup in one grouped query: the figures of transactions by agency, channel and type, the
    share of remote service and the cost per transaction are all sums of these rows, so a dashboard
    reads the rollup once for all of them (``counts=`` of each figure)."""
    return [
        (_month_key(month), agency_id, channel, asti_type, n)
        for month, agency_id, channel, asti_type, n in _monthly(scope, period)
        .values_list("month", "agency_id", "channel", "asti_type")
        .annotate(n=Sum("count"))
        .order_by()
    ]


def _summed(counts: Iterable[MonthCount], key: Callable[[MonthCount], Any]) -> dict[Any, int]:
    sums: dict[Any, int] = defaultdict(int)
    for row in counts:
        sums[key(row)] += row[4]
    return sums


def _month_of(period: Period, field: str) -> Case:
    """The month (its first day) of the time ``field`` as a comparison with the months' starts in
    Finnish time: plain SQL on every database (SQLite truncates a time zone's month in Python, row by
    row, which took seconds over a year's feedback)."""
    zone = _tz()
    return Case(
        *(
            When(**{f"{field}__gte": dt.datetime.combine(start, dt.time(), tzinfo=zone)}, then=Value(start))
            for start in reversed(period.month_starts)
        ),
        output_field=DateField(),
    )


def _month_key(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = value.astimezone(_tz()) if value.tzinfo else value
        return f"{value:%Y-%m}"
    return f"{value:%Y-%m}"


def _hide(value: int, minimum: int) -> int | None:
    return value if value >= minimum else None


def _pivot(
    counts: Iterable[tuple[str, object, int]],
    period: Period,
    keys: list[object],
    minimum: int,
) -> tuple[tuple[str, tuple[Number, ...]], ...]:
    table: dict[str, dict[object, int]] = defaultdict(dict)
    for month, key, count in counts:
        table[month][key] = count
    return tuple(
        (
            month_label(start),
            tuple(_hide(table[month_label(start)].get(key, 0), minimum) for key in keys),
        )
        for start in period.month_starts
    )


def statistics_transactions_by(
    *,
    scope: StatisticsScope,
    period: Period,
    by: str,
    minimum: int = 0,
    counts: list[MonthCount] | None = None,
) -> Figure:
    """Transactions per month by ``by``: "agency", "channel" or "asti_type". One grouped query, or
    none when ``counts`` from :func:`month_counts` are given (and, by agency, one read of the
    agencies' names)."""
    column = {"agency": 1, "channel": 2, "asti_type": 3}.get(by)
    if column is None:
        raise ValueError(by)
    if counts is None:
        grouped = (
            _monthly(scope, period)
            .values_list("month", by + ("_id" if by == "agency" else ""))
            .annotate(n=Sum("count"))
            .order_by()
        )
        table = [(_month_key(month), key, n) for month, key, n in grouped]
    else:
        sums = _summed(counts, lambda row: (row[0], row[column]))
        table = [(month, key, n) for (month, key), n in sums.items()]
    if by == "agency":
        present = {key for _m, key, _n in table}
        agencies = list(Agency.objects.filter(pk__in=present).order_by("name"))
        keys: list[object] = [a.pk for a in agencies]
        names: list[str | Promise] = [a.short_name or a.name for a in agencies]
        title, description = (
            _("Transactions by agency"),
            _("Customer transactions per month, by the agency they were for."),
        )
    elif by == "channel":
        keys, names = list(Channel.values), list(Channel.labels)
        title, description = (
            _("Transactions by channel"),
            _("Customer transactions per month, by how the customer was served."),
        )
    elif by == "asti_type":
        keys, names = list(AstiType.values), list(AstiType.labels)
        title, description = (
            _("Transactions by transaction type"),
            _("Customer transactions per month, by their transaction type (ASTI) in the service catalogue."),
        )
    else:
        raise ValueError(by)
    return Figure(
        key=f"transactions-by-{by.replace('_', '-')}",
        title=title,
        description=description,
        row_header=_("Month"),
        columns=tuple(names),
        rows=_pivot(table, period, keys, minimum),
        chart="stacked",
        suppressed=minimum > 0,
    )


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def statistics_remote_share(
    *, scope: StatisticsScope, period: Period, minimum: int = 0, counts: list[MonthCount] | None = None
) -> Figure:
    """Per month: all transactions, those served by a remote meeting, and their share in per cent.
    One grouped query, or none when ``counts`` from :func:`month_counts` are given."""
    if counts is None:
        grouped = (
            _monthly(scope, period)
            .values_list("month")
            .annotate(
                total=Sum("count"), remote=Coalesce(Sum("count", filter=Q(channel=Channel.REMOTE_MEETING)), 0)
            )
            .order_by()
        )
        by_month = {_month_key(month): (total, remote) for month, total, remote in grouped}
    else:
        totals = _summed(counts, lambda row: row[0])
        remote = _summed((row for row in counts if row[2] == Channel.REMOTE_MEETING), lambda row: row[0])
        by_month = {month: (total, remote.get(month, 0)) for month, total in totals.items()}
    rows: list[tuple[str, tuple[Number, ...]]] = []
    for start in period.month_starts:
        total, remote = by_month.get(month_label(start), (0, 0))
        if total < minimum:
            rows.append((month_label(start), (None, None, None)))
        else:
            rows.append(
                (
                    month_label(start),
                    (total, _hide(remote, minimum), _share(remote, total) if remote >= minimum else None),
                )
            )
    return Figure(
        key="remote-share",
        title=_("Share of remote service"),
        description=_("The share of transactions in which the customer met an expert in a remote meeting."),
        row_header=_("Month"),
        columns=(_("Transactions"), _("Remote meetings"), _("Share of remote service (%)")),
        rows=tuple(rows),
        chart="line",
        chart_columns=(2,),
        decimals=(0, 0, 1),
        suppressed=minimum > 0,
    )


def statistics_satisfaction(*, scope: StatisticsScope, period: Period, minimum: int = 0) -> Figure:
    """Per month of the transaction: the number of answers, the mean rating (1–5) and the share of
    answers saying that the service met the need. One grouped query."""
    start, end = period.bounds()
    grouped = (
        Feedback.objects.filter(
            scope.q("transaction__"), transaction__occurred_at__gte=start, transaction__occurred_at__lt=end
        )
        .annotate(month=_month_of(period, "transaction__occurred_at"))
        .values_list("month")
        .annotate(answers=Count("id"), mean=Avg("rating"), met=Count("id", filter=Q(met_need=True)))
        .order_by()
    )
    by_month = {_month_key(month): (answers, mean, met) for month, answers, mean, met in grouped}
    rows: list[tuple[str, tuple[Number, ...]]] = []
    for start_day in period.month_starts:
        answers, mean, met = by_month.get(month_label(start_day), (0, None, 0))
        if answers == 0 or answers < minimum:
            rows.append((month_label(start_day), (_hide(answers, minimum) if answers else 0, None, None)))
        else:
            rows.append((month_label(start_day), (answers, round(float(mean), 2), _share(met, answers))))
    return Figure(
        key="satisfaction",
        title=_("Customer satisfaction"),
        description=_(
            "Answers to the feedback question after a transaction: the mean rating from 1 to 5 and the "
            "share of customers who said that the service met their need."
        ),
        row_header=_("Month"),
        columns=(_("Answers"), _("Mean rating (1–5)"), _("Met the need (%)")),
        rows=tuple(rows),
        chart="line",
        chart_columns=(1, 2),
        decimals=(0, 2, 1),
        suppressed=minimum > 0,
    )


#: Where the compensation comes from: a function ``(*, year, month, point_ids, agency_ids) -> Decimal |
#: None`` giving the compensation of a month for the given points and agencies (None for no
#: restriction), such as ``ledger.selectors.compensation_for_month``. By default the statements'
#: totals of the whole period are read at once (:func:`_compensation_source`).
CompensationSource = Callable[..., Decimal | None]


def _compensation_source(scope: StatisticsScope, period: Period) -> CompensationSource:
    """The statements' compensation of every month of ``period`` in ``scope``, read in one grouped
    query (:func:`asiointi.ledger.selectors.compensation_by_month`), as a ``CompensationSource``."""
    from .selectors import compensation_by_month

    totals = compensation_by_month(
        first=period.first,
        last=period.month_starts[-1],
        point_ids=None if scope.national else sorted(scope.point_ids),
        agency_ids=None if scope.national else sorted(scope.agency_ids),
    )

    def source(*, year: int, month: int, **_scope: object) -> Decimal | None:
        return totals.get(dt.date(year, month, 1))

    return source


def statistics_cost_per_transaction(
    *,
    scope: StatisticsScope,
    period: Period,
    compensation: CompensationSource | None = None,
    counts: list[MonthCount] | None = None,
) -> Figure:
    """Per month: the compensation of the month (from the statements), the transactions and the cost
    per transaction (compensation / transactions, rounded to the cent). The transactions in one
    grouped query; the compensation from ``compensation``, asked once per month (default: the
    statements' totals, all months in one grouped query); the figure is marked not available when
    no month has any."""
    source = compensation or _compensation_source(scope, period)
    if counts is None:
        grouped = _monthly(scope, period).values_list("month").annotate(n=Sum("count")).order_by()
        by_month = {_month_key(month): n for month, n in grouped}
    else:
        by_month = _summed(counts, lambda row: row[0])
    rows = []
    for start in period.month_starts:
        n = by_month.get(month_label(start), 0)
        total: Decimal | None = None
        if source is not None:
            total = source(
                year=start.year,
                month=start.month,
                point_ids=None if scope.national else sorted(scope.point_ids),
                agency_ids=None if scope.national else sorted(scope.agency_ids),
            )
        cost = (total / n).quantize(Decimal("0.01"), ROUND_HALF_UP) if total is not None and n else None
        rows.append((month_label(start), (total, n, cost)))
    return Figure(
        key="cost-per-transaction",
        title=_("Cost per transaction"),
        description=_("The compensation of the month divided by the month's transactions, in euros."),
        row_header=_("Month"),
        columns=(_("Compensation (€)"), _("Transactions"), _("Cost per transaction (€)")),
        rows=tuple(rows),
        chart="line",
        chart_columns=(2,),
        decimals=(2, 0, 2),
        available=any(total is not None for _label, (total, _n, _cost) in rows),
        note=""
        if any(total is not None for _label, (total, _n, _cost) in rows)
        else _("The cost per transaction is shown once the monthly statements are in use."),
    )


# --- Travel saved by remote service ---------------------------------------------------------------


@dataclass(frozen=True)
class TravelSaved:
    """Travel that the remote meetings of one point for one agency saved: each meeting is a round trip
    from the point to the agency's nearest own office that the customer did not make."""

    point_id: int
    agency_id: int
    meetings: int
    #: The road distance of one round trip (km); None when the agency has no office with coordinates.
    round_trip_km: float | None

    @property
    def km(self) -> float:
        return self.meetings * self.round_trip_km if self.round_trip_km is not None else 0.0


def travel_saved_rows(*, scope: StatisticsScope, period: Period) -> list[TravelSaved]:
    """The remote meetings of ``period`` counted by point and agency (one grouped query), each with
    the round trip from the point to the agency's nearest own office: twice the great-circle distance
    times ``settings.ROAD_CIRCUITY_FACTOR`` (:func:`asiointi.core.geo.road_km`). The coordinates come
    in two small reads (the points, the offices)."""
    grouped = list(
        _monthly(scope, period)
        .filter(channel=Channel.REMOTE_MEETING)
        .values_list("point_id", "agency_id")
        .annotate(n=Sum("count"))
        .order_by("point_id", "agency_id")
    )
    if not grouped:
        return []
    points = {
        p["id"]: (p["lat"], p["lon"])
        for p in ServicePoint.objects.filter(pk__in={g[0] for g in grouped}).values("id", "lat", "lon")
    }
    offices: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for office in AgencyOffice.objects.filter(
        agency_id__in={g[1] for g in grouped}, lat__isnull=False, lon__isnull=False
    ).values_list("agency_id", "lat", "lon"):
        agency_id, lat, lon = office
        if lat is not None and lon is not None:
            offices[agency_id].append((lat, lon))
    circuity = float(getattr(settings, "ROAD_CIRCUITY_FACTOR", 1.3))
    rows: list[TravelSaved] = []
    for point_id, agency_id, n in grouped:
        nearest: float | None = None
        if offices.get(agency_id) and point_id in points:
            lat, lon = points[point_id]
            office_lat = np.array([o[0] for o in offices[agency_id]])
            office_lon = np.array([o[1] for o in offices[agency_id]])
            nearest = 2.0 * float(np.min(road_km(lat, lon, office_lat, office_lon, circuity=circuity)))
        rows.append(TravelSaved(point_id, agency_id, n, nearest))
    return rows


@dataclass(frozen=True)
class TravelTotals:
    meetings: int
    km: float
    hours: float
    co2_kg: float


def travel_totals(meetings: int, km: float) -> TravelTotals:
    """Kilometres turned into hours at ``settings.TRAVEL_AVERAGE_SPEED_KMH`` and kilograms of CO2 at
    ``settings.TRAVEL_CO2_G_PER_KM`` (a passenger car, VTT LIPASTO)."""
    return TravelTotals(
        meetings=meetings,
        km=km,
        hours=km / settings.TRAVEL_AVERAGE_SPEED_KMH,
        co2_kg=km * settings.TRAVEL_CO2_G_PER_KM / 1000.0,
    )


TRAVEL_GROUPS: tuple[str, ...] = ("country", "region", "agency", "point")


def statistics_travel_saved(
    *,
    scope: StatisticsScope,
    period: Period,
    by: str,
    minimum: int = 0,
    rows: list[TravelSaved] | None = None,
) -> Figure:
    """Travel saved by remote service per ``by`` ("country", "region", "agency" or "point"): remote
    meetings, km, hours and kg of CO2. ``rows`` from :func:`travel_saved_rows` may be passed to draw
    several groupings from one query."""
    if by not in TRAVEL_GROUPS:
        raise ValueError(by)
    rows = travel_saved_rows(scope=scope, period=period) if rows is None else rows
    sums: dict[object, list[float]] = defaultdict(lambda: [0, 0.0])
    if by == "country":
        labels: dict[object, str] = {"FI": str(_("Finland"))}
        for row in rows:
            sums["FI"][0] += row.meetings
            sums["FI"][1] += row.km
    else:
        point_ids = {r.point_id for r in rows}
        if by == "agency":
            labels = {
                a.pk: a.short_name or a.name
                for a in Agency.objects.filter(pk__in={r.agency_id for r in rows})
            }
            key_of: dict[int, object] | None = None
        elif by == "point":
            labels = {p.pk: p.name for p in ServicePoint.objects.filter(pk__in=point_ids)}
            key_of = None
        else:
            points = ServicePoint.objects.filter(pk__in=point_ids).select_related("municipality__region")
            key_of = {}
            labels = {}
            for p in points:
                region = p.municipality.region
                key_of[p.pk] = region.pk if region else 0
                labels[key_of[p.pk]] = region.name if region else str(_("No region"))
        for row in rows:
            key = row.agency_id if by == "agency" else row.point_id if by == "point" else key_of[row.point_id]  # type: ignore[index]
            sums[key][0] += row.meetings
            sums[key][1] += row.km
    table: list[tuple[str, tuple[Number, ...]]] = []
    for key, (meetings, km) in sorted(sums.items(), key=lambda item: str(labels.get(item[0], ""))):
        totals = travel_totals(int(meetings), km)
        if totals.meetings < minimum:
            table.append((labels.get(key, "–"), (None, None, None, None)))
        else:
            table.append(
                (
                    labels.get(key, "–"),
                    (totals.meetings, round(totals.km), round(totals.hours), round(totals.co2_kg)),
                )
            )
    titles = {
        "country": _("Travel saved by remote service in the whole country"),
        "region": _("Travel saved by remote service by region"),
        "agency": _("Travel saved by remote service by agency"),
        "point": _("Travel saved by remote service by service point"),
    }
    headers = {
        "country": _("Country"),
        "region": _("Region"),
        "agency": _("Agency"),
        "point": _("Service point"),
    }
    return Figure(
        key=f"travel-saved-by-{by}",
        title=titles[by],
        description=_(
            "Each remote meeting at a service point saved the customer a return trip to the agency's "
            "nearest own office. The distance is estimated by road; the time at an average speed of "
            "%(speed)s km/h and the carbon dioxide at %(co2)s g per km of a passenger car."
        )
        % {"speed": f"{settings.TRAVEL_AVERAGE_SPEED_KMH:g}", "co2": f"{settings.TRAVEL_CO2_G_PER_KM:g}"},
        row_header=headers[by],
        columns=(_("Remote meetings"), _("Kilometres"), _("Hours"), _("Carbon dioxide (kg)")),
        rows=tuple(table),
        chart="bar",
        chart_columns=(1,),
        suppressed=minimum > 0,
    )


# --- Dashboards -----------------------------------------------------------------------------------

#: The figures of a dashboard, in order, by key.
FIGURE_KEYS: tuple[str, ...] = (
    "transactions-by-agency",
    "transactions-by-channel",
    "transactions-by-asti-type",
    "remote-share",
    "satisfaction",
    "cost-per-transaction",
    "travel-saved-by-country",
    "travel-saved-by-region",
    "travel-saved-by-agency",
    "travel-saved-by-point",
)
#: The public page leaves out the cost (agreements between the state and a municipality are
#: published in their statements) and the figures per point.
PUBLIC_FIGURE_KEYS: tuple[str, ...] = tuple(
    k for k in FIGURE_KEYS if k not in ("cost-per-transaction", "travel-saved-by-point")
)


def _figure(
    key: str,
    scope: StatisticsScope,
    period: Period,
    minimum: int,
    travel: list[TravelSaved] | None,
    counts: list[MonthCount] | None = None,
) -> Figure:
    if key.startswith("transactions-by-"):
        return statistics_transactions_by(
            scope=scope,
            period=period,
            by=key.removeprefix("transactions-by-").replace("-", "_"),
            minimum=minimum,
            counts=counts,
        )
    if key == "remote-share":
        return statistics_remote_share(scope=scope, period=period, minimum=minimum, counts=counts)
    if key == "satisfaction":
        return statistics_satisfaction(scope=scope, period=period, minimum=minimum)
    if key == "cost-per-transaction":
        return statistics_cost_per_transaction(scope=scope, period=period, counts=counts)
    if key.startswith("travel-saved-by-"):
        return statistics_travel_saved(
            scope=scope, period=period, by=key.removeprefix("travel-saved-by-"), minimum=minimum, rows=travel
        )
    raise KeyError(key)


def _dashboard(
    scope: StatisticsScope, period: Period, keys: tuple[str, ...], minimum: int, public: bool
) -> Dashboard:
    # The rollup read twice in all: the remote meetings by point and agency (travel), and the
    # month's counts by agency, channel and type that the other transaction figures sum up.
    travel = travel_saved_rows(scope=scope, period=period)
    counts = month_counts(scope=scope, period=period)
    figures = tuple(_figure(key, scope, period, minimum, travel, counts) for key in keys)
    return Dashboard(
        period=period,
        figures=figures,
        national=scope.national,
        public=public,
        by_key=MappingProxyType({f.key: f for f in figures}),
    )


def statistics_dashboard(*, viewer: User | AnonymousUser, period: Period) -> Dashboard:
    """Every figure of ``period`` in ``viewer``'s scope (PermissionDenied for a role without
    statistics)."""
    return _dashboard(statistics_scope(viewer=viewer), period, FIGURE_KEYS, 0, public=False)


def statistics_figure(*, viewer: User | AnonymousUser, period: Period, key: str) -> Figure:
    """One figure of :func:`statistics_dashboard` (for its CSV file); KeyError for an unknown key."""
    if key not in FIGURE_KEYS:
        raise KeyError(key)
    return _figure(key, statistics_scope(viewer=viewer), period, 0, None)


def statistics_national_dashboard(*, period: Period) -> Dashboard:
    """The public, national and anonymous figures of ``period``: every count below
    ``settings.STATISTICS_PUBLIC_MIN_COUNT`` is hidden, and so is a mean or share counted from fewer
    answers or meetings."""
    return _dashboard(NATIONAL, period, PUBLIC_FIGURE_KEYS, settings.STATISTICS_PUBLIC_MIN_COUNT, public=True)


def statistics_national_figure(*, period: Period, key: str) -> Figure:
    """One figure of :func:`statistics_national_dashboard` (for its CSV file)."""
    if key not in PUBLIC_FIGURE_KEYS:
        raise KeyError(key)
    return _figure(key, NATIONAL, period, settings.STATISTICS_PUBLIC_MIN_COUNT, None)
