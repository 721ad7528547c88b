"""Realistic, deterministic demo transactions for the ledger.

About 1,000 transactions a month at a point of Karstula's size, scaled by the population served
(at least 150 and at most 3,000 a month), with fewer in July and more in January and in the spring
tax-return season. Walk-in customers come only when the point is open; visiting officials serve
their customers one after another during their visits; remote meetings start on the quarter hour.
The same seed and period give the same rows.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from zoneinfo import ZoneInfo

from asiointi.catalogue.models import Channel, Service
from asiointi.ledger.models import AstiType, TransactionSource
from asiointi.ledger.services import TransactionData
from asiointi.network.models import Agency, ServicePoint, VisitingSchedule
from asiointi.network.selectors import DayHours, point_hours_range, visiting_schedule_dates

from .loader import point_offerings
from .points import POINTS, PointData

HELSINKI = ZoneInfo("Europe/Helsinki")

REFERENCE_SLUG = "karstula"
REFERENCE_MONTHLY = 1000
MONTHLY_MIN, MONTHLY_MAX = 150, 3000

# Relative volume by calendar month: the benefit and tax-card rush in January, tax returns in
# April and May, the summer holidays in July, Christmas in December.
SEASON = {
    1: 1.14,
    2: 1.05,
    3: 1.04,
    4: 1.10,
    5: 1.08,
    6: 0.93,
    7: 0.86,
    8: 0.97,
    9: 1.0,
    10: 1.0,
    11: 0.98,
    12: 0.88,
}
MUNICIPAL_KEY = "municipal"
DESK_AGENCY_WEIGHTS = {
    "kela": 40.0,
    "vero": 18.0,
    "tyollisyys": 14.0,
    "dvv": 9.0,
    "poliisi": 8.0,
    MUNICIPAL_KEY: 11.0,
}
AGENCY_SEASON = {
    "vero": {1: 1.5, 2: 1.2, 4: 1.6, 5: 1.4, 8: 1.1, 12: 0.8},
    "kela": {1: 1.1, 8: 1.15},
    "tyollisyys": {7: 0.85},
    MUNICIPAL_KEY: {3: 1.2, 8: 1.2},
}
REMOTE_AGENCY_WEIGHTS = {"kela": 40.0, "tyollisyys": 25.0, "vero": 15.0, "dvv": 12.0, "oikeusapu": 8.0}
REMOTE_SHARE_PER_AGENCY = 0.016  # of a month's transactions, for each agency met by remote service
WEEKDAY_WEIGHT = (1.25, 1.0, 1.0, 1.0, 0.8, 0.6, 0.5)

DESK_TYPES = (
    (AstiType.ONSITE_GUIDANCE, 46),
    (AstiType.GUIDANCE_TO_ONLINE_SELF_SERVICE, 32),
    (AstiType.DOCUMENT_RECEIVED, 13),
    (AstiType.ONLINE_SELF_SERVICE_POINT, 9),
)
POLICE_DESK_TYPES = (
    (AstiType.LOST_AND_FOUND, 35),
    (AstiType.GUIDANCE_TO_ONLINE_SELF_SERVICE, 45),
    (AstiType.ONSITE_GUIDANCE, 20),
)
LOST_PROPERTY = "loytotavarat"
# Seconds: (shortest, longest, most common)
DESK_DURATION: dict[str, tuple[int, int, int]] = {
    AstiType.ONSITE_GUIDANCE: (180, 1500, 480),
    AstiType.GUIDANCE_TO_ONLINE_SELF_SERVICE: (300, 2100, 900),
    AstiType.DOCUMENT_RECEIVED: (60, 480, 150),
    AstiType.ONLINE_SELF_SERVICE_POINT: (300, 2700, 1200),
    AstiType.LOST_AND_FOUND: (60, 600, 180),
}
FINNISH_LANGUAGES = (("fi", 955), ("en", 15), ("sv", 8), ("ru", 8), ("other", 12), ("fse", 2))
SWEDISH_LANGUAGES = (("sv", 600), ("fi", 360), ("en", 25), ("other", 10), ("ru", 5))
INTERPRETED = {"ru", "other", "fse"}


class Weighted[T]:
    """Items with cumulative weights, for ``random.choices``."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.items = [item for item, _ in pairs]
        self.cum = list(accumulate(weight for _, weight in pairs))
        self.total = self.cum[-1] if self.cum else 0.0

    def pick(self, rng: random.Random) -> T:
        # What random.choices does with cum_weights, without its checks: this runs a million times.
        return self.items[bisect_right(self.cum, rng.random() * self.total)]

    def __bool__(self) -> bool:
        return bool(self.items)


def popularity(services: Sequence[Service]) -> Weighted[Service]:
    """The services of an agency, the first in the demo's list asked for most often."""
    return Weighted([(s, 1.0 / (i + 1) ** 0.8) for i, s in enumerate(services)])


def monthly_volume(population: int, reference_population: int) -> int:
    """Transactions in an average month at a point serving ``population`` residents."""
    volume = round(REFERENCE_MONTHLY * population / reference_population)
    return max(MONTHLY_MIN, min(MONTHLY_MAX, volume))


def month_starts(first: dt.date, months: int) -> list[dt.date]:
    starts = []
    year, month = first.year, first.month
    for _ in range(months):
        starts.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return starts


def minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute


def at(day: dt.date, second_of_day: int) -> dt.datetime:
    hours, rest = divmod(second_of_day, 3600)
    return dt.datetime(day.year, day.month, day.day, hours, rest // 60, rest % 60, tzinfo=HELSINKI)


@dataclass
class PointPlan:
    data: PointData
    point: ServicePoint
    volume: int
    # channel -> agency code -> its services there, weighted by popularity
    services: dict[str, dict[str, Weighted[Service]]]
    agencies: dict[str, Agency]
    languages: Weighted[str]

    def agency_key(self, code: str) -> str:
        return MUNICIPAL_KEY if code == self.data.agency.code else code


def _plans(
    points: dict[str, ServicePoint], agencies: dict[str, Agency], services: dict[tuple[str, str], Service]
) -> list[PointPlan]:
    reference = points[REFERENCE_SLUG].municipality.population
    plans = []
    for data in POINTS:
        point = points[data.slug]
        by_channel: dict[str, dict[str, list[Service]]] = {}
        for (key, channel), _note in point_offerings(data).items():
            by_channel.setdefault(channel, {}).setdefault(key[0], []).append(services[key])
        weighted = {
            channel: {agency: popularity(listed) for agency, listed in per_agency.items()}
            for channel, per_agency in by_channel.items()
        }
        population = data.population or point.municipality.population
        plans.append(
            PointPlan(
                data=data,
                point=point,
                volume=monthly_volume(population, reference),
                services=weighted,
                agencies=agencies,
                languages=Weighted(SWEDISH_LANGUAGES if data.languages[0] == "sv" else FINNISH_LANGUAGES),
            )
        )
    return plans


def generate(
    *,
    points: dict[str, ServicePoint],
    agencies: dict[str, Agency],
    services: dict[tuple[str, str], Service],
    first_month: dt.date,
    months: int,
    rng: random.Random,
) -> Iterator[tuple[dt.date, list[TransactionData]]]:
    """Yield, month by month from ``first_month``, the transactions of every demo point in that
    month, in the order they occurred (the ledger's time indexes then grow at their ends)."""
    starts = month_starts(first_month, months)
    last_day = month_starts(starts[-1], 2)[1] - dt.timedelta(days=1)
    plans = _plans(points, agencies, services)
    hours: dict[str, list[DayHours]] = {}
    visits: dict[str, list[tuple[VisitingSchedule, list[dt.date]]]] = {}
    for plan in plans:
        hours[plan.data.slug] = point_hours_range(point=plan.point, start=starts[0], end=last_day)
        visits[plan.data.slug] = [
            (schedule, visiting_schedule_dates(schedule=schedule, start=starts[0], end=last_day))
            for schedule in VisitingSchedule.objects.filter(point=plan.point).select_related(
                "agency", "point"
            )
        ]
    for month in starts:
        rows: list[TransactionData] = []
        for plan in plans:
            days = [
                h
                for h in hours[plan.data.slug]
                if (h.day.year, h.day.month) == (month.year, month.month) and h.intervals
            ]
            if days:
                rows.extend(_month(plan, month, days, visits[plan.data.slug], rng))
        rows.sort(key=lambda row: row.occurred_at)
        yield month, rows


def _month(
    plan: PointPlan,
    month: dt.date,
    days: list[DayHours],
    visits: list[tuple[VisitingSchedule, list[dt.date]]],
    rng: random.Random,
) -> Iterator[TransactionData]:
    target = round(plan.volume * SEASON[month.month] * rng.uniform(0.97, 1.03))
    made = 0
    for schedule, dates in visits:
        for day in dates:
            if (day.year, day.month) == (month.year, month.month):
                for row in _visit(plan, schedule, day, rng):
                    made += 1
                    yield row
    remote = Weighted(
        [
            (code, REMOTE_AGENCY_WEIGHTS.get(code, 5.0))
            for code in plan.data.remote
            if code in plan.services.get(Channel.REMOTE_MEETING, {})
        ]
    )
    remote_count = round(target * REMOTE_SHARE_PER_AGENCY * len(remote.items)) if remote else 0
    by_minutes = Weighted([(h, float(_open_minutes(h))) for h in days])
    for _ in range(remote_count):
        meeting = _remote(plan, by_minutes.pick(rng), remote.pick(rng), rng)
        if meeting is not None:
            made += 1
            yield meeting
    desk = plan.services.get(Channel.ADVISOR_GUIDANCE, {})
    desk_agencies = Weighted(
        [
            (
                code,
                DESK_AGENCY_WEIGHTS.get(plan.agency_key(code), 4.0) * _agency_season(plan, code, month.month),
            )
            for code in desk
        ]
    )
    busy_days = Weighted(
        [((h.day, _periods(h)), _open_minutes(h) * WEEKDAY_WEIGHT[h.day.weekday()]) for h in days]
    )
    for _ in range(max(target - made, 0)):
        day, periods = busy_days.pick(rng)
        yield _desk(plan, day, periods, desk_agencies.pick(rng), rng)


def _agency_season(plan: PointPlan, code: str, month: int) -> float:
    return AGENCY_SEASON.get(plan.agency_key(code), {}).get(month, 1.0)


def _periods(hours: DayHours) -> Weighted[tuple[int, int]]:
    """The day's opening periods in seconds from midnight, weighted by their length."""
    seconds = [(minutes(o) * 60, minutes(c) * 60) for o, c in hours.intervals]
    return Weighted([((o, c), float(c - o)) for o, c in seconds])


def _open_minutes(hours: DayHours) -> int:
    return sum(minutes(closes) - minutes(opens) for opens, closes in hours.intervals)


def _language(plan: PointPlan, rng: random.Random) -> str:
    return plan.languages.pick(rng)


def _visit(
    plan: PointPlan, schedule: VisitingSchedule, day: dt.date, rng: random.Random
) -> Iterator[TransactionData]:
    """The customers of one visit, one after another from the start of the visit."""
    code = schedule.agency.code
    offered = plan.services.get(Channel.VISITING_OFFICIAL, {}).get(code)
    if not offered:
        return
    visit = next(v for v in plan.data.visits if v.agency == code and v.weekday == schedule.weekday)
    clock = minutes(schedule.starts) * 60
    ends = minutes(schedule.ends) * 60
    for _ in range(rng.randint(*visit.customers)):
        service = offered.pick(rng)
        duration = max(300, round(service.typical_duration_minutes * 60 * rng.uniform(0.7, 1.4)))
        if clock + duration > ends:
            break
        language = _language(plan, rng)
        yield TransactionData(
            point=plan.point,
            agency=schedule.agency,
            service=service,
            asti_type=AstiType.ONSITE_GUIDANCE_BY_SERVICE_AUTHOR,
            channel=Channel.VISITING_OFFICIAL,
            occurred_at=at(day, clock),
            duration_seconds=duration,
            language=language,
            source=TransactionSource.DESK,
            with_interpreter=language in INTERPRETED and rng.random() < 0.8,
        )
        clock += duration + 60 * rng.choice((0, 0, 2, 5, 10, 15))


def _remote(plan: PointPlan, hours: DayHours, code: str, rng: random.Random) -> TransactionData | None:
    """A remote meeting with an expert, booked on the quarter hour."""
    length = rng.randint(15, 45)
    slots = [
        start
        for opens, closes in hours.intervals
        for start in range(-(-minutes(opens) // 15) * 15, minutes(closes) - length + 1, 15)
    ]
    if not slots:
        return None
    start = rng.choice(slots) * 60
    language = _language(plan, rng)
    if language == "fi" and rng.random() < 0.02:
        language = "fse"  # sign language, with an interpreter joining the meeting
    return TransactionData(
        point=plan.point,
        agency=plan.agencies[code],
        service=plan.services[Channel.REMOTE_MEETING][code].pick(rng),
        asti_type=AstiType.REMOTE_GUIDANCE,
        channel=Channel.REMOTE_MEETING,
        occurred_at=at(hours.day, start),
        duration_seconds=length * 60 - rng.randint(0, 180),
        language=language,
        source=TransactionSource.MEETING,
        with_interpreter=language in INTERPRETED and rng.random() < 0.9,
    )


def _desk(
    plan: PointPlan, day: dt.date, periods: Weighted[tuple[int, int]], code: str, rng: random.Random
) -> TransactionData:
    """A walk-in customer guided by the service advisor."""
    offered = plan.services[Channel.ADVISOR_GUIDANCE][code]
    service: Service | None
    if code == "poliisi":
        asti_type = _pick_type(POLICE_DESK_TYPES, rng)
        if asti_type == AstiType.LOST_AND_FOUND:
            service = next(s for s in offered.items if s.code == LOST_PROPERTY)
        else:
            service = offered.pick(rng)
            if service.code == LOST_PROPERTY:
                asti_type = AstiType.LOST_AND_FOUND
    else:
        asti_type = _pick_type(DESK_TYPES, rng)
        service = offered.pick(rng)
    if (
        asti_type in (AstiType.ONSITE_GUIDANCE, AstiType.GUIDANCE_TO_ONLINE_SELF_SERVICE)
        and rng.random() < 0.04
    ):
        service = None  # the advisor recorded the agency only
    low, high, mode = DESK_DURATION[asti_type]
    duration = round(rng.triangular(low, high, mode))
    opens, closes = periods.pick(rng)
    duration = min(duration, closes - opens)
    latest = closes - duration
    start = round(rng.triangular(opens, latest, opens + 0.35 * (latest - opens)))
    language = _language(plan, rng)
    return TransactionData(
        point=plan.point,
        agency=plan.agencies[code],
        service=service,
        asti_type=asti_type,
        channel=Channel.ADVISOR_GUIDANCE,
        occurred_at=at(day, start),
        duration_seconds=duration,
        language=language,
        source=TransactionSource.DESK,
        with_interpreter=language == "fse" and rng.random() < 0.5,
    )


_TYPE_CACHE: dict[tuple[tuple[str, int], ...], Weighted[str]] = {}


def _pick_type(types: tuple[tuple[str, int], ...], rng: random.Random) -> str:
    weighted = _TYPE_CACHE.get(types)
    if weighted is None:
        weighted = _TYPE_CACHE[types] = Weighted([(t, float(w)) for t, w in types])
    return weighted.pick(rng)


# Customer feedback on a share of the transactions (the booth screen asks after every remote meeting,
# the desk's receipt carries a link that fewer customers use).
FEEDBACK_SHARE = {"remote_meeting": 0.35, "default": 0.08}
RATINGS = Weighted([(5, 52.0), (4, 29.0), (3, 11.0), (2, 5.0), (1, 3.0)])
MET_NEED_BY_RATING = {5: 0.97, 4: 0.9, 3: 0.62, 2: 0.3, 1: 0.12}
FEEDBACK_TEXT_SHARE = 0.18
FEEDBACK_TEXTS = (
    "Sain apua heti, kiitos!",
    "Neuvoja oli kärsivällinen ja selkeä.",
    "Etäyhteys toimi hyvin, ei tarvinnut lähteä kaupunkiin.",
    "Jonotin aika kauan.",
    "Kopiokone ei toiminut.",
    "Asia ei ratkennut, pitää soittaa uudestaan. Soittakaa numeroon 040 123 4567.",
    "Tack för hjälpen!",
    "Toivoisin pidempiä aukioloaikoja.",
    "Ääni pätki videopuhelussa.",
    "Hyvä palvelu, vastaus tuli sähköpostiin matti.meikalainen@example.fi kuten luvattiin.",
)


def feedback_for(
    transactions: Sequence[tuple[int, str]], rng: random.Random
) -> Iterator[tuple[int, int, bool, str]]:
    """(transaction id, rating, met the need, text) for a share of ``transactions`` (id, channel)."""
    for transaction_id, channel in transactions:
        if rng.random() >= FEEDBACK_SHARE.get(channel, FEEDBACK_SHARE["default"]):
            continue
        rating = RATINGS.pick(rng)
        met_need = rng.random() < MET_NEED_BY_RATING[rating]
        text = rng.choice(FEEDBACK_TEXTS) if rng.random() < FEEDBACK_TEXT_SHARE else ""
        yield transaction_id, rating, met_need, text
