"""Reads of the ledger: monthly aggregation by point, agency and ASTI type."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Case, DateField, Exists, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from asiointi.accounts.models import Role, User
from asiointi.accounts.selectors import user_scope
from asiointi.network.models import Agency, ServicePoint

from .models import (
    BASE_PARTS,
    ZERO,
    Agreement,
    AgreementPrice,
    Feedback,
    FeedbackToken,
    LineKind,
    MonthlyRollup,
    Statement,
    StatementLine,
    StatementStatus,
    Transaction,
)


@dataclass(frozen=True)
class MonthlyCount:
    point_id: int
    agency_id: int
    asti_type: str
    transactions: int
    duration_seconds: int


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The start of the month and the start of the next one, in Finnish time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, end


def transaction_monthly_counts(
    *, year: int, month: int, point_ids: Iterable[int] | None = None, agency_ids: Iterable[int] | None = None
) -> list[MonthlyCount]:
    """Transactions of one month counted by point, agency and ASTI type, optionally only for
    some points or agencies (the caller passes the viewer's scope). One query on the
    (point, occurred_at) or (agency, occurred_at) index."""
    start, end = month_bounds(year, month)
    rows = Transaction.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if point_ids is not None:
        rows = rows.filter(point_id__in=list(point_ids))
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    grouped = (
        rows.values("point_id", "agency_id", "asti_type")
        .annotate(transactions=Sum("count"), duration=Sum("duration_seconds"))
        .order_by("point_id", "agency_id", "asti_type")
    )
    return [
        MonthlyCount(r["point_id"], r["agency_id"], r["asti_type"], r["transactions"], r["duration"] or 0)
        for r in grouped
    ]


# --- compensation statements -----------------------------------------------------------------------
#
# The arithmetic (docs/ledger.md says the same):
#
# * Transactions: the sum of ``count`` (a reversal counts -1) of the month's transactions of the point
#   and agency, by ASTI type and channel, times the agreement's price: the channel's own price where
#   there is one, else the type's general price. Types priced per channel get a line per channel;
#   the others one line per type. A transaction that no agreement covers is listed at 0.00.
# * Base part: for every agreement valid in the month, yearly base part x agency's share x days of the
#   month it covers / days in that year (365 or 366), one line per agreement: an agreement that changes
#   mid-month splits the month by days.
# * Adjustments: transactions (reversals included) of an earlier month whose statement had been
#   approved before they were recorded are listed, priced by the agreement of their own day, in the
#   statement of the month in which they were recorded.
# * Rounding: each line's amount is rounded to cents, half up (ROUND_HALF_UP); the total is the sum of
#   the rounded lines. Unit prices are kept exact.
#
# Every figure is one grouped query over the ledger, for one statement or for every statement of a
# month at once.

CENTS = Decimal("0.01")


@dataclass(slots=True)
class LineFigure:
    point_id: int
    agency_id: int
    kind: str
    agreement_id: int | None = None
    asti_type: str = ""
    channel: str = ""
    month_of: dt.date | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    days: int | None = None
    quantity: int = 0
    unit_price: Decimal = ZERO
    amount: Decimal = ZERO


def first_of_month(value: dt.date) -> dt.date:
    return value.replace(day=1)


def next_month(value: dt.date) -> dt.date:
    return dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)


def _start_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(settings.TIME_ZONE))


def round_cents(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


@dataclass
class Terms:
    """An agreement's terms as the statements need them (read without building model instances)."""

    pk: int
    point_id: int
    agency_id: int
    valid_from: dt.date
    valid_to: dt.date | None
    base_yearly: Decimal
    agency_share: Decimal
    prices: dict[tuple[str, str], Decimal]


def base_share(*, agreement: Terms | Agreement, days: int, year: int) -> Decimal:
    """The agency's share of the yearly base part for ``days`` days of ``year``, rounded to cents."""
    days_in_year = 366 if calendar.isleap(year) else 365
    return round_cents(agreement.base_yearly * agreement.agency_share * days / days_in_year)


def _price(agreement: Terms | None, asti_type: str, channel: str) -> tuple[Decimal, bool]:
    """The unit price and whether it is the channel's own."""
    if agreement is None:
        return ZERO, False
    if (asti_type, channel) in agreement.prices:
        return agreement.prices[(asti_type, channel)], True
    return agreement.prices.get((asti_type, ""), ZERO), False


def _covering(agreements: list[Terms], day: dt.date) -> Terms | None:
    for agreement in agreements:
        if agreement.valid_from <= day and (agreement.valid_to is None or day <= agreement.valid_to):
            return agreement
    return None


Pair = tuple[int, int]


def _agreements_by_pair(
    *, first: dt.date, last: dt.date, pairs: Iterable[Pair] | None, with_prices: bool = True
) -> dict[Pair, list[Terms]]:
    """Agreements valid on some day from ``first`` to ``last``, with their prices unless
    ``with_prices`` is false (two queries, or one)."""
    rows = Agreement.objects.filter(valid_from__lte=last).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=first)
    )
    if pairs is not None:
        rows = rows.filter(_pairs_filter(list(pairs)))
    terms: dict[int, Terms] = {}
    for pk, point_id, agency_id, valid_from, valid_to, share, *base in rows.order_by(
        "valid_from"
    ).values_list("pk", "point_id", "agency_id", "valid_from", "valid_to", "agency_share", *BASE_PARTS):
        terms[pk] = Terms(pk, point_id, agency_id, valid_from, valid_to, sum(base, ZERO), share, {})
    if terms and with_prices:
        _prices_read(list(terms.values()))
    found: dict[Pair, list[Terms]] = {}
    for agreement in terms.values():
        found.setdefault((agreement.point_id, agreement.agency_id), []).append(agreement)
    return found


def _prices_read(terms: list[Terms]) -> None:
    """Fill in the prices of ``terms`` (one query)."""
    by_pk = {agreement.pk: agreement for agreement in terms}
    for agreement_id, asti_type, channel, price in AgreementPrice.objects.filter(
        agreement_id__in=list(by_pk)
    ).values_list("agreement_id", "asti_type", "channel", "price"):
        by_pk[agreement_id].prices[(asti_type, channel)] = price


def _pairs_filter(pairs: list[Pair] | None) -> Q:
    if pairs is None:
        return Q()
    condition = Q(pk__in=[])
    for point_id, agency_id in pairs:
        condition |= Q(point_id=point_id, agency_id=agency_id)
    return condition


def _boundaries(held: list[Terms], month: dt.date, last: dt.date) -> list[dt.date]:
    """The days inside the month on which one of a pair's agreements starts or the day after one ends."""
    return sorted(
        {a.valid_from for a in held if a.valid_from > month}
        | {a.valid_to + dt.timedelta(days=1) for a in held if a.valid_to is not None and a.valid_to < last}
    )


def _decimal(value: object) -> Decimal:
    """A price as read by a raw query: Decimal on PostgreSQL, a number on SQLite (2 decimals)."""
    return value if isinstance(value, Decimal) else Decimal(str(value)).quantize(CENTS)


# The month's priced counts for the pairs whose agreement does not change inside the month: the
# monthly rollup joined to the agreement covering the whole month and its prices, grouped by
# statement line (a type's channels merge where the type has no price of its own for the channel).
# Hand-written because the rollup has no relation to the agreements for the ORM to join along; it is
# plain SQL that PostgreSQL and SQLite both run.
PRICED_COUNTS = """
SELECT r.point_id, r.agency_id, a.id, r.asti_type,
       CASE WHEN own.id IS NULL THEN '' ELSE r.channel END,
       COALESCE(own.price, general.price, 0),
       SUM(r."count"),
       ROUND(SUM(r."count") * COALESCE(own.price, general.price, 0), 2)
FROM {rollup} r
LEFT JOIN {agreement} a
       ON a.point_id = r.point_id AND a.agency_id = r.agency_id
      AND a.valid_from <= %s AND (a.valid_to IS NULL OR a.valid_to >= %s)
LEFT JOIN {price} own
       ON own.agreement_id = a.id AND own.asti_type = r.asti_type AND own.channel = r.channel
LEFT JOIN {price} general
       ON general.agreement_id = a.id AND general.asti_type = r.asti_type AND general.channel = ''
WHERE r.month = %s {pairs}
GROUP BY r.point_id, r.agency_id, a.id, r.asti_type, CASE WHEN own.id IS NULL THEN '' ELSE r.channel END,
         COALESCE(own.price, general.price, 0)
"""


def _priced_counts(*, month: dt.date, last: dt.date, pairs: list[Pair] | None) -> list[LineFigure]:
    """One grouped query over the monthly rollup: a transaction line per row, priced in the database."""
    quote = connection.ops.quote_name
    params: list[Any] = [last, month, month]
    condition = ""
    if pairs is not None:
        condition = "AND (" + " OR ".join(["(r.point_id = %s AND r.agency_id = %s)"] * len(pairs)) + ")"
        params.extend(value for pair in pairs for value in pair)
    sql = PRICED_COUNTS.format(
        rollup=quote(MonthlyRollup._meta.db_table),
        agreement=quote(Agreement._meta.db_table),
        price=quote(AgreementPrice._meta.db_table),
        pairs=condition,
    )
    adapt = connection.ops.adapt_datefield_value
    params = [adapt(p) if isinstance(p, dt.date) else p for p in params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    kind = LineKind.TRANSACTIONS
    if connection.vendor == "postgresql":
        # Exact decimals from the database, the amount rounded there (ROUND rounds half away from
        # zero, as ROUND_HALF_UP does): the rows become lines as they are.
        return [
            LineFigure(
                point_id,
                agency_id,
                kind,
                agreement,
                asti_type,
                channel,
                None,
                None,
                None,
                None,
                n,
                price,
                amount,
            )
            for point_id, agency_id, agreement, asti_type, channel, price, n, amount in rows
        ]
    made = []
    for point_id, agency_id, agreement_id, asti_type, channel, price, quantity, _amount in rows:
        # Tens of thousands of rows a month: the fields in their order, the rounding inline.
        unit = price if isinstance(price, Decimal) else _decimal(price)
        n = int(quantity)
        made.append(
            LineFigure(
                point_id,
                agency_id,
                kind,
                agreement_id,
                asti_type,
                channel,
                None,
                None,
                None,
                None,
                n,
                unit,
                (n * unit).quantize(CENTS, rounding=ROUND_HALF_UP),
            )
        )
    return made


def statement_figures(*, month: dt.date, pairs: Iterable[Pair] | None = None) -> dict[Pair, list[LineFigure]]:
    """The lines of the statements of ``month`` for ``pairs`` of (point id, agency id), or for every
    pair with an agreement or transactions in the month when ``pairs`` is None. A handful of queries
    whatever the number of statements: the agreements; the month's counts priced and grouped by
    line in the database from the monthly rollup (:class:`MonthlyRollup`); for the few pairs whose
    agreement changes inside the month, their agreements' prices and their transactions grouped by
    the part of the month they fall in; and the adjustments grouped."""
    month = first_of_month(month)
    end = next_month(month)
    last = end - dt.timedelta(days=1)
    pair_list = list(pairs) if pairs is not None else None
    # The prices of the agreements that cover the whole month are joined in the database; only the
    # pairs whose agreement changes inside the month need theirs here.
    agreements = _agreements_by_pair(first=month, last=last, pairs=pair_list, with_prices=False)
    lines: dict[Pair, list[LineFigure]] = {pair: [] for pair in (pair_list or agreements)}

    # Pairs whose agreement starts or ends inside the month: the month splits by day.
    split = {pair: cuts for pair, held in agreements.items() if (cuts := _boundaries(held, month, last))}
    if split:
        _prices_read([agreement for pair in split for agreement in agreements[pair]])
    whole = None if pair_list is None else [pair for pair in pair_list if pair not in split]
    # Each statement's lines in order: base parts by date, then transactions, then adjustments.
    for pair, held in agreements.items():
        for agreement in held:
            first = max(agreement.valid_from, month)
            until = min(agreement.valid_to or last, last)
            days = (until - first).days + 1
            lines.setdefault(pair, []).append(
                LineFigure(
                    *pair,
                    kind=LineKind.BASE,
                    agreement_id=agreement.pk,
                    period_start=first,
                    period_end=until,
                    days=days,
                    unit_price=agreement.base_yearly * agreement.agency_share,
                    amount=base_share(agreement=agreement, days=days, year=month.year),
                )
            )
    transaction_lines = _priced_counts(month=month, last=last, pairs=whole) if whole != [] else []
    if split:
        transaction_lines = [
            line for line in transaction_lines if (line.point_id, line.agency_id) not in split
        ]
        transaction_lines.extend(_split_counts(month=month, agreements=agreements, split=split))
        # A split month may have days that no agreement covers: those lines (agreement None) last.
        transaction_lines.sort(
            key=lambda line: (
                line.point_id,
                line.agency_id,
                line.agreement_id is None,
                line.agreement_id or 0,
                line.asti_type,
                line.channel,
            )
        )
    else:
        # One agreement (or none) per statement: its lines never compare an agreement with None.
        transaction_lines.sort(
            key=attrgetter("point_id", "agency_id", "agreement_id", "asti_type", "channel")
        )
    for line in transaction_lines:
        lines.setdefault((line.point_id, line.agency_id), []).append(line)

    for pair, adjustments in _adjustments(month=month, pairs=pair_list).items():
        lines.setdefault(pair, []).extend(adjustments)
    return lines


def _split_counts(
    *, month: dt.date, agreements: dict[Pair, list[Terms]], split: dict[Pair, list[dt.date]]
) -> list[LineFigure]:
    """The transaction lines of the pairs whose agreement changes inside the month, from the raw
    ledger: one grouped query, each transaction in the part of the month (segment) it falls in."""
    cases = [
        When(
            point_id=point_id, agency_id=agency_id, occurred_at__gte=_start_of(boundary), then=Value(boundary)
        )
        for (point_id, agency_id), boundaries in split.items()
        for boundary in reversed(boundaries)
    ]
    grouped = (
        Transaction.objects.filter(
            _pairs_filter(list(split)),
            occurred_at__gte=_start_of(month),
            occurred_at__lt=_start_of(next_month(month)),
        )
        .annotate(segment=Case(*cases, default=Value(month), output_field=DateField()))
        .values_list("point_id", "agency_id", "asti_type", "channel", "segment")
        .annotate(quantity=Sum("count"))
        .order_by()
    )
    merged: dict[tuple, LineFigure] = {}
    for point_id, agency_id, asti_type, channel, segment, quantity in grouped:
        pair = (point_id, agency_id)
        agreement = _covering(agreements.get(pair, []), segment)
        price, own = _price(agreement, asti_type, channel)
        key = (pair, agreement.pk if agreement else None, asti_type, channel if own else "")
        line = merged.get(key)
        if line is None:
            line = merged[key] = LineFigure(
                *pair,
                kind=LineKind.TRANSACTIONS,
                agreement_id=agreement.pk if agreement else None,
                asti_type=asti_type,
                channel=channel if own else "",
                unit_price=price,
            )
        line.quantity += quantity or 0
    for line in merged.values():
        line.amount = round_cents(line.quantity * line.unit_price)
    return list(merged.values())


def _adjustments(*, month: dt.date, pairs: list[Pair] | None) -> dict[Pair, list[LineFigure]]:
    """Transactions of earlier months recorded in ``month`` after their month's statement was
    approved: one grouped query (and the agreements of their days when there are any)."""
    start_at, end_at = _start_of(month), _start_of(next_month(month))
    approved_before = Statement.objects.filter(
        point_id=OuterRef("point_id"),
        agency_id=OuterRef("agency_id"),
        starts_at__lte=OuterRef("occurred_at"),
        ends_at__gt=OuterRef("occurred_at"),
        approved_at__lt=OuterRef("recorded_at"),
    ).exclude(status=StatementStatus.DRAFT)
    grouped = list(
        Transaction.objects.filter(
            _pairs_filter(pairs),
            occurred_at__lt=start_at,
            recorded_at__gte=start_at,
            recorded_at__lt=end_at,
        )
        .filter(Exists(approved_before))
        .annotate(day=TruncDate("occurred_at", tzinfo=ZoneInfo(settings.TIME_ZONE)))
        .values("point_id", "agency_id", "asti_type", "channel", "day")
        .annotate(quantity=Sum("count"))
        .order_by("point_id", "agency_id", "day", "asti_type", "channel")
    )
    if not grouped:
        return {}
    agreements = _agreements_by_pair(
        first=min(r["day"] for r in grouped),
        last=max(r["day"] for r in grouped),
        pairs={(r["point_id"], r["agency_id"]) for r in grouped},
    )
    merged: dict[tuple, LineFigure] = {}
    for row in grouped:
        pair = (row["point_id"], row["agency_id"])
        agreement = _covering(agreements.get(pair, []), row["day"])
        price, own = _price(agreement, row["asti_type"], row["channel"])
        month_of = first_of_month(row["day"])
        key = (
            pair,
            month_of,
            agreement.pk if agreement else None,
            row["asti_type"],
            row["channel"] if own else "",
        )
        line = merged.get(key)
        if line is None:
            line = merged[key] = LineFigure(
                *pair,
                kind=LineKind.ADJUSTMENT,
                agreement_id=agreement.pk if agreement else None,
                asti_type=row["asti_type"],
                channel=row["channel"] if own else "",
                month_of=month_of,
                unit_price=price,
            )
        line.quantity += row["quantity"] or 0
    found: dict[Pair, list[LineFigure]] = {}
    for line in merged.values():
        line.amount = round_cents(line.quantity * line.unit_price)
        found.setdefault((line.point_id, line.agency_id), []).append(line)
    return found


# --- who sees which statements -----------------------------------------------------------------------
#
# A point manager: the statements of their own points (and approves and sends them). An agency
# coordinator: the statements addressed to their agency, read-only. A network planner and an
# administrator: every statement, read-only (planners weigh what a contact costs across the network).
# Every other role: none (403).

STATEMENT_READERS = (
    Role.POINT_MANAGER.value,
    Role.AGENCY_COORDINATOR.value,
    Role.NETWORK_PLANNER.value,
    Role.ADMINISTRATOR.value,
)


def statements_allowed(*, viewer: User | AnonymousUser) -> bool:
    return user_scope(user=viewer).has_role(*STATEMENT_READERS)


def statement_list(*, viewer: User | AnonymousUser) -> QuerySet[Statement]:
    """The statements ``viewer`` may read, newest month first; PermissionDenied for a role that reads
    none."""
    scope = user_scope(user=viewer)
    if not scope.has_role(*STATEMENT_READERS):
        raise PermissionDenied
    rows = Statement.objects.select_related("point", "agency", "approved_by")
    if not (scope.is_administrator or Role.NETWORK_PLANNER in scope.roles):
        rows = rows.filter(
            Q(point_id__in=scope.points_for(Role.POINT_MANAGER))
            | Q(agency_id__in=scope.agencies_for(Role.AGENCY_COORDINATOR))
        )
    return rows.order_by("-month", "point__name", "agency__name")


def access_statement(
    *, viewer: User | AnonymousUser, statement_id: int, to_change: bool = False
) -> Statement:
    """One statement for ``viewer``: 403 for a role that reads no statements (or, with ``to_change``,
    may not approve or send this one), 404 for one outside the viewer's scope or that does not exist."""
    try:
        statement = statement_list(viewer=viewer).get(pk=statement_id)
    except Statement.DoesNotExist:
        raise Http404 from None
    if to_change and not statement_may_change(viewer=viewer, statement=statement):
        raise PermissionDenied
    return statement


def statement_may_change(*, viewer: User | AnonymousUser, statement: Statement) -> bool:
    """Whether ``viewer`` approves and sends ``statement``: the point manager of its point."""
    return statement.point_id in user_scope(user=viewer).points_for(Role.POINT_MANAGER)


def statement_lines(*, statement: Statement) -> list[StatementLine]:
    return list(statement.lines.order_by("position"))


def line_description(line: StatementLine) -> str:
    """What a line is, as a whole sentence in the current language."""
    if line.kind == LineKind.BASE:
        return _("Base part from %(start)s to %(end)s (%(days)s days).") % {
            "start": formats.date_format(line.period_start or "", "SHORT_DATE_FORMAT"),
            "end": formats.date_format(line.period_end or "", "SHORT_DATE_FORMAT"),
            "days": line.days,
        }
    kind = line.get_asti_type_display()
    if line.kind == LineKind.ADJUSTMENT:
        month = f"{line.month_of:%m/%Y}" if line.month_of else ""
        if line.channel:
            return _("Correction to %(month)s: %(type)s, %(channel)s.") % {
                "month": month,
                "type": kind,
                "channel": line.get_channel_display(),
            }
        return _("Correction to %(month)s: %(type)s.") % {"month": month, "type": kind}
    if line.channel:
        return _("Transactions: %(type)s, %(channel)s.") % {
            "type": kind,
            "channel": line.get_channel_display(),
        }
    return _("Transactions: %(type)s.") % {"type": kind}


def statements_of_month(
    *, viewer: User | AnonymousUser, month: dt.date, point_id: int | None = None
) -> QuerySet[Statement]:
    """The statements of one month that ``viewer`` reads, optionally of one point."""
    rows = statement_list(viewer=viewer).filter(month=first_of_month(month))
    if point_id is not None:
        rows = rows.filter(point_id=point_id)
    return rows


# --- Customer feedback (issue 20) ---------------------------------------------------------------


def feedback_token_state(*, token: str, now: dt.datetime | None = None) -> str:
    """Whether the feedback key ``token`` can be used: "valid", "unknown", "expired" or "used".
    Reading does not use the key up."""
    from .services import feedback_token_hash

    now = now or timezone.now()
    row = (
        FeedbackToken.objects.filter(token_hash=feedback_token_hash(token))
        .only("used_at", "expires_at")
        .first()
    )
    if row is None:
        return "unknown"
    if row.used_at is not None:
        return "used"
    return "expired" if row.expires_at <= now else "valid"


def feedback_text_allowed(*, viewer: User | AnonymousUser) -> bool:
    scope = user_scope(user=viewer)
    return scope.is_administrator or bool(scope.agencies_for(Role.AGENCY_COORDINATOR))


def feedback_text_list(*, viewer: User | AnonymousUser, limit: int = 200) -> list[Feedback]:
    """The newest feedback that has free text, for those who may read it: the agency coordinators of
    the transaction's agency, and administrators (every agency). Anyone else: PermissionDenied.
    The transaction's point, agency and service come in the same query."""
    scope = user_scope(user=viewer)
    rows = Feedback.objects.exclude(text="").select_related(
        "transaction__point", "transaction__agency", "transaction__service"
    )
    if not scope.is_administrator:
        agencies = scope.agencies_for(Role.AGENCY_COORDINATOR)
        if not agencies:
            raise PermissionDenied
        rows = rows.filter(transaction__agency_id__in=agencies)
    return list(rows.order_by("-created_at")[:limit])


def compensation_for_month(
    *, year: int, month: int, point_ids: Iterable[int] | None = None, agency_ids: Iterable[int] | None = None
) -> Decimal | None:
    """The compensation of a month: the sum of its statements' totals (drafts included, so that the
    current figures show before approval), optionally only of some points or agencies (an empty or
    missing list does not narrow). None when the month has no statement in that scope."""
    statements = Statement.objects.filter(month=dt.date(year, month, 1))
    points = list(point_ids or [])
    agencies = list(agency_ids or [])
    if points:
        statements = statements.filter(point_id__in=points)
    if agencies:
        statements = statements.filter(agency_id__in=agencies)
    total = statements.aggregate(total=Sum("total"))["total"]
    return None if total is None else Decimal(total)


def compensation_by_month(
    *,
    first: dt.date,
    last: dt.date,
    point_ids: Iterable[int] | None = None,
    agency_ids: Iterable[int] | None = None,
) -> dict[dt.date, Decimal]:
    """:func:`compensation_for_month` for every month from ``first`` to ``last`` (first days) in one
    grouped query: the month's first day to the sum of its statements' totals; a month without a
    statement in that scope is missing."""
    statements = Statement.objects.filter(month__gte=first_of_month(first), month__lte=first_of_month(last))
    points = list(point_ids or [])
    agencies = list(agency_ids or [])
    if points:
        statements = statements.filter(point_id__in=points)
    if agencies:
        statements = statements.filter(agency_id__in=agencies)
    return {
        month: Decimal(total)
        for month, total in statements.values_list("month").annotate(total=Sum("total")).order_by()
        if total is not None
    }


# --- compensation agreements: who keeps them -----------------------------------------------------------
#
# A point manager: the agreements of their own points (with any agency). An agency coordinator: the
# agreements of their agency (at any point). An administrator: every agreement. Every other role:
# none (403); an agreement outside the viewer's scope does not exist for them (404).

AGREEMENT_KEEPERS = (Role.POINT_MANAGER.value, Role.AGENCY_COORDINATOR.value, Role.ADMINISTRATOR.value)


def agreements_allowed(*, viewer: User | AnonymousUser) -> bool:
    return user_scope(user=viewer).has_role(*AGREEMENT_KEEPERS)


def agreement_list(*, viewer: User | AnonymousUser) -> QuerySet[Agreement]:
    """The agreements ``viewer`` keeps, by point, agency and start; PermissionDenied for a role that
    keeps none."""
    scope = user_scope(user=viewer)
    if not scope.has_role(*AGREEMENT_KEEPERS):
        raise PermissionDenied
    rows = Agreement.objects.select_related("point", "agency")
    if not scope.is_administrator:
        rows = rows.filter(
            Q(point_id__in=scope.points_for(Role.POINT_MANAGER))
            | Q(agency_id__in=scope.agencies_for(Role.AGENCY_COORDINATOR))
        )
    return rows.order_by("point__name", "agency__name", "-valid_from")


def access_agreement(*, viewer: User | AnonymousUser, agreement_id: int) -> Agreement:
    """One agreement that ``viewer`` keeps, with its prices: 403 for a role that keeps none, 404 for
    one outside the viewer's scope or that does not exist."""
    try:
        return agreement_list(viewer=viewer).prefetch_related("prices").get(pk=agreement_id)
    except Agreement.DoesNotExist:
        raise Http404 from None


def agreement_parties(*, viewer: User | AnonymousUser) -> tuple[QuerySet[ServicePoint], QuerySet[Agency]]:
    """The points and agencies ``viewer`` may make agreements between: a point manager their points
    with every agency, a coordinator every point with their agency, an administrator all. A pair is
    allowed when :func:`agreement_pair_allowed` says so."""
    scope = user_scope(user=viewer)
    if not scope.has_role(*AGREEMENT_KEEPERS):
        raise PermissionDenied
    points = ServicePoint.objects.order_by("name")
    agencies = Agency.objects.order_by("name")
    if scope.is_administrator:
        return points, agencies
    managed = scope.points_for(Role.POINT_MANAGER)
    coordinated = scope.agencies_for(Role.AGENCY_COORDINATOR)
    if not coordinated:
        points = points.filter(pk__in=managed)
    if not managed:
        agencies = agencies.filter(pk__in=coordinated)
    return points, agencies


def agreement_pair_allowed(*, viewer: User | AnonymousUser, point_id: int, agency_id: int) -> bool:
    scope = user_scope(user=viewer)
    return (
        scope.is_administrator
        or point_id in scope.points_for(Role.POINT_MANAGER)
        or agency_id in scope.agencies_for(Role.AGENCY_COORDINATOR)
    )
