"""Writes of the ledger. Every customer transaction of every flow is recorded through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db import transaction as db_transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from asiointi.accounts.models import Role, User
from asiointi.catalogue.models import Channel, Service
from asiointi.core.mail import mail_build, mail_builder, mail_queue
from asiointi.network.models import Agency, ServiceLanguage, ServicePoint

from .models import (
    FEEDBACK_TEXT_MAX_LENGTH,
    Agreement,
    AgreementPrice,
    AstiType,
    Feedback,
    FeedbackToken,
    LineKind,
    MonthlyRollup,
    Statement,
    StatementLine,
    StatementStatus,
    Transaction,
    TransactionSource,
)
from .selectors import LineFigure, Pair, first_of_month, next_month, statement_figures

MAX_DURATION_SECONDS = 12 * 3600
MAX_ORIGIN_LENGTH = 100
OTHER_LANGUAGE = "other"  # a language of service not in the list, such as one spoken through an interpreter
LANGUAGE_CODES = frozenset(ServiceLanguage.values) | {OTHER_LANGUAGE}
ASTI_TYPES = frozenset(AstiType.values)
CHANNELS = frozenset(Channel.values)
SOURCES = frozenset(TransactionSource.values)


@dataclass(frozen=True)
class TransactionData:
    point: ServicePoint
    agency: Agency
    asti_type: str
    channel: str
    occurred_at: dt.datetime
    duration_seconds: int
    language: str
    source: str
    service: Service | None = None
    with_interpreter: bool = False
    origin: str | None = None


# The ledger's rules, each once: the field it concerns, the check, and the message when the check fails.
# A field's first failing rule names it (a naive time is not also "in the future").
Rule = tuple[str, Callable[[TransactionData, dt.datetime], bool], Callable[[TransactionData], str]]
RULES: tuple[Rule, ...] = (
    (
        "asti_type",
        lambda d, now: d.asti_type in ASTI_TYPES,
        lambda d: _("Unknown transaction type: %(value)s.") % {"value": d.asti_type},
    ),
    (
        "channel",
        lambda d, now: d.channel in CHANNELS,
        lambda d: _("Unknown channel: %(value)s.") % {"value": d.channel},
    ),
    (
        "source",
        lambda d, now: d.source in SOURCES,
        lambda d: _("Unknown source: %(value)s.") % {"value": d.source},
    ),
    (
        "language",
        lambda d, now: d.language in LANGUAGE_CODES,
        lambda d: _("Unknown language: %(value)s.") % {"value": d.language},
    ),
    (
        "occurred_at",
        lambda d, now: not timezone.is_naive(d.occurred_at),
        lambda d: _("The time of the transaction must include its time zone."),
    ),
    (
        "occurred_at",
        lambda d, now: d.occurred_at <= now + dt.timedelta(minutes=5),
        lambda d: _("A transaction cannot be recorded in the future."),
    ),
    (
        "duration_seconds",
        lambda d, now: 0 <= d.duration_seconds <= MAX_DURATION_SECONDS,
        lambda d: _("The duration must be between 0 seconds and 12 hours."),
    ),
    (
        "service",
        lambda d, now: d.service is None or d.service.agency_id == d.agency.pk,
        lambda d: _("The service belongs to another agency."),
    ),
    (
        "origin",
        lambda d, now: d.origin is None or 0 < len(d.origin) <= MAX_ORIGIN_LENGTH,
        lambda d: _("The origin of a transaction must be 1 to 100 characters long."),
    ),
)


def _errors(data: TransactionData, now: dt.datetime) -> dict[str, str]:
    """The message of each field that breaks a rule; empty when the row may be recorded."""
    errors: dict[str, str] = {}
    for name, check, message in RULES:
        if name not in errors and not check(data, now):
            errors[name] = message(data)
    return errors


def _validated(data: TransactionData, now: dt.datetime | None = None) -> Transaction:
    if errors := _errors(data, now or timezone.now()):
        raise ValidationError(errors)
    return Transaction(
        point=data.point,
        agency=data.agency,
        service=data.service,
        asti_type=data.asti_type,
        channel=data.channel,
        occurred_at=data.occurred_at,
        duration_seconds=data.duration_seconds,
        language=data.language,
        with_interpreter=data.with_interpreter,
        source=data.source,
        origin=data.origin,
    )


# --- the monthly rollup (MonthlyRollup), kept by the writes of this module --------------------------

RollupKey = tuple[int, int, str, str, dt.date]
ROLLUP_COLUMNS = ("point_id", "agency_id", "asti_type", "channel", "month", "count")


def rollup_month(occurred_at: dt.datetime) -> dt.date:
    """The month (its first day) in which ``occurred_at`` falls, in Finnish time."""
    return timezone.localtime(occurred_at, timezone.get_default_timezone()).date().replace(day=1)


def _rollup_upsert_sql(rows: str) -> str:
    """The rollup's upsert of ``rows`` (a ``VALUES`` list or a ``SELECT`` of the rollup's columns): a
    key's row that exists gets the count added."""
    table = connection.ops.quote_name(MonthlyRollup._meta.db_table)
    quoted = [connection.ops.quote_name(c) for c in ROLLUP_COLUMNS]
    count = quoted[-1]
    return (
        f"INSERT INTO {table} ({', '.join(quoted)}) {rows} "  # nosec B608 (fixed identifiers)
        f"ON CONFLICT ({', '.join(quoted[:-1])}) DO UPDATE SET {count} = {table}.{count} + excluded.{count}"
    )


def _rollup_add(counts: dict[RollupKey, int]) -> None:
    """Add ``counts`` to the monthly rollup: one upsert per key, which adds to the row that exists
    (``INSERT ... ON CONFLICT DO UPDATE``, atomic on PostgreSQL and SQLite alike, so two writers of
    the same key both count). Called inside the transaction that writes the ledger rows."""
    if not counts:
        return
    sql = _rollup_upsert_sql("VALUES (" + ", ".join(["%s"] * len(ROLLUP_COLUMNS)) + ")")
    adapt = connection.ops.adapt_datefield_value
    params = [(*key[:4], adapt(key[4]), n) for key, n in counts.items()]
    with connection.cursor() as cursor:
        if len(params) == 1:  # a transaction recorded at the desk: no batch (psycopg's pipeline) for one row
            cursor.execute(sql, params[0])
        else:
            cursor.executemany(sql, params)


def _rollup_key(row: Transaction) -> RollupKey:
    return (row.point_id, row.agency_id, row.asti_type, row.channel, rollup_month(row.occurred_at))


def monthly_counts_rebuild() -> int:
    """Make the monthly rollup again from the raw ledger (after a restore, or a load that bypassed
    the services): all or nothing; returns the number of rollup rows. On PostgreSQL one
    ``INSERT ... SELECT`` in the server; elsewhere one grouped query read into bulk inserts."""
    table = connection.ops.quote_name(MonthlyRollup._meta.db_table)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            columns = ", ".join(connection.ops.quote_name(c) for c in ROLLUP_COLUMNS)
            ledger = connection.ops.quote_name(Transaction._meta.db_table)
            with connection.cursor() as cursor:
                # TRUNCATE (transactional here) leaves no dead rows behind; the rows go in in month
                # order, so that a month's rows lie together on disk, as they do when the services
                # add them month by month: a month's statements read a few hundred pages, not the
                # whole table.
                # TRUNCATE refuses while the transaction has foreign-key checks pending (Django's
                # are deferred to the commit): run them now, and defer again after it.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {table}")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) "  # noqa: S608  # nosec B608 (fixed identifiers)
                    "SELECT point_id, agency_id, asti_type, channel, "
                    "date_trunc('month', occurred_at AT TIME ZONE %s)::date AS month, SUM(\"count\") "
                    f"FROM {ledger} GROUP BY 1, 2, 3, 4, 5 ORDER BY 5, 1, 2, 3, 4",
                    [settings.TIME_ZONE],
                )
        else:
            MonthlyRollup.objects.all().delete()
            counts: dict[RollupKey, int] = {}
            for point_id, agency_id, asti_type, channel, occurred_at, n in Transaction.objects.values_list(
                "point_id", "agency_id", "asti_type", "channel", "occurred_at", "count"
            ).iterator(chunk_size=10_000):
                key = (point_id, agency_id, asti_type, channel, rollup_month(occurred_at))
                counts[key] = counts.get(key, 0) + n
            _rollup_add(counts)
        return MonthlyRollup.objects.count()


def transaction_record(
    *,
    point: ServicePoint,
    agency: Agency,
    asti_type: str,
    channel: str,
    occurred_at: dt.datetime,
    duration_seconds: int,
    language: str,
    source: str,
    service: Service | None = None,
    with_interpreter: bool = False,
    origin: str | None = None,
) -> Transaction:
    """Record one customer transaction. Raises ValidationError (nothing is written) on bad input,
    such as an unknown ASTI type or a service of another agency.

    ``origin`` names what the transaction comes from (``meeting:<uuid>``, ``callback:<id>``), so that a
    retried meeting end or callback closure counts once: when a transaction of that origin exists, it is
    returned and nothing is written, also when two callers race (the database's unique constraint decides)."""
    data = TransactionData(
        point=point,
        agency=agency,
        asti_type=asti_type,
        channel=channel,
        occurred_at=occurred_at,
        duration_seconds=duration_seconds,
        language=language,
        source=source,
        service=service,
        with_interpreter=with_interpreter,
        origin=origin or None,
    )
    row = _validated(data)
    if row.origin is not None and (existing := Transaction.objects.filter(origin=row.origin).first()):
        return existing
    try:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            _insert_with_rollup(data, row)
        else:
            # A savepoint when the caller holds a transaction: a lost race leaves the caller's work intact.
            with transaction.atomic():
                row.save(force_insert=True)
                _rollup_add({_rollup_key(row): 1})
    except IntegrityError:
        if row.origin is None:
            raise
        return Transaction.objects.get(origin=row.origin)
    return row


def _insert_with_rollup(data: TransactionData, row: Transaction) -> None:
    """PostgreSQL, no transaction open: write ``row`` (unsaved, validated from ``data``) and add it to
    the monthly rollup in one statement (the insert's row feeds the rollup's upsert). A statement is
    atomic by itself, so this is the same all-or-nothing write as the transaction of the general path
    in one round trip instead of four (BEGIN, the row, the rollup, COMMIT), and the rollup's row is
    locked for that statement only, not across round trips: the desk's hot path."""
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    rollup = _rollup_upsert_sql("SELECT %s, %s, %s, %s, %s, 1 FROM t")
    sql = f"WITH t AS ({_ledger_insert_sql()} RETURNING id), r AS ({rollup}) SELECT id FROM t"  # noqa: S608  # nosec B608 (our own statements)
    key = _rollup_key(row)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [*_bulk_params(data, adapt(now), adapt), *key[:4], connection.ops.adapt_datefield_value(key[4])],
        )
        (row.pk,) = cursor.fetchone()
    row.recorded_at = now
    row._state.adding = False
    row._state.db = connection.alias


# Columns of the bulk insert, in the order of _bulk_params. A test checks that they are every column.
BULK_COLUMNS = (
    "point_id",
    "agency_id",
    "service_id",
    "asti_type",
    "channel",
    "occurred_at",
    "duration_seconds",
    "language",
    "with_interpreter",
    "source",
    "recorded_at",
    "origin",
    "count",
    "reverses_id",
)


def _ledger_insert_sql() -> str:
    """The insert of one ledger row, its values in the order of :data:`BULK_COLUMNS`."""
    table = connection.ops.quote_name(Transaction._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in BULK_COLUMNS)
    placeholders = ", ".join(["%s"] * len(BULK_COLUMNS))
    return f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (fixed identifiers)  # nosec B608


def _bulk_params(data: TransactionData, recorded_at: object, adapt: Callable[[dt.datetime], object]) -> tuple:
    return (
        data.point.pk,
        data.agency.pk,
        data.service.pk if data.service is not None else None,
        data.asti_type,
        data.channel,
        adapt(data.occurred_at),
        data.duration_seconds,
        data.language,
        data.with_interpreter,
        data.source,
        recorded_at,
        data.origin,
        1,
        None,
    )


def transaction_record_many(*, rows: Iterable[TransactionData], batch_size: int = 5000) -> int:
    """Record many transactions at once (imports, demo data): all or nothing.

    Every row is validated as in transaction_record (an origin that exists already refuses the whole
    batch with an IntegrityError: imports do not retry); the rows are then inserted with one prepared
    statement per batch, which is several times faster than building model instances."""
    rows = list(rows)
    now = timezone.now()
    for data in rows:
        if errors := _errors(data, now):
            raise ValidationError(errors)
    sql = _ledger_insert_sql()
    adapt = connection.ops.adapt_datetimefield_value
    recorded_at = adapt(now)
    counts: dict[RollupKey, int] = {}
    for d in rows:
        key = (d.point.pk, d.agency.pk, d.asti_type, d.channel, rollup_month(d.occurred_at))
        counts[key] = counts.get(key, 0) + 1
    with transaction.atomic():
        with connection.cursor() as cursor:
            for first in range(0, len(rows), batch_size):
                cursor.executemany(
                    sql, [_bulk_params(d, recorded_at, adapt) for d in rows[first : first + batch_size]]
                )
        _rollup_add(counts)
    return len(rows)


def transaction_reverse(*, transaction: Transaction) -> Transaction:
    """Correct the ledger by appending a reversing entry: the same point, agency, type and channel at
    the same time, counting -1, naming the entry it reverses. Nothing is ever changed or deleted. A
    reversal cannot be reversed, and an entry is reversed once (the database's one-to-one decides a
    race); either refusal raises ValidationError and writes nothing."""
    if transaction.reverses_id is not None:
        raise ValidationError({"transaction": _("A reversing entry cannot itself be reversed.")})
    row = Transaction(
        point_id=transaction.point_id,
        agency_id=transaction.agency_id,
        service_id=transaction.service_id,
        asti_type=transaction.asti_type,
        channel=transaction.channel,
        occurred_at=transaction.occurred_at,
        duration_seconds=0,
        language=transaction.language,
        with_interpreter=transaction.with_interpreter,
        source=transaction.source,
        count=-1,
        reverses=transaction,
    )
    try:
        with db_transaction.atomic():
            row.save(force_insert=True)
            _rollup_add({_rollup_key(row): -1})
    except IntegrityError:
        raise ValidationError({"transaction": _("The transaction has been reversed already.")}) from None
    return row


# --- compensation agreements -------------------------------------------------------------------------


@dataclass(frozen=True)
class PriceData:
    asti_type: str
    price: Decimal
    channel: str = ""


def _agreement_errors(
    *,
    valid_from: dt.date,
    valid_to: dt.date | None,
    agency_share: Decimal,
    base: dict[str, Decimal],
    prices: list[PriceData],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = _("An agreement cannot end before it begins.")
    if not Decimal(0) <= agency_share <= Decimal(1):
        errors["agency_share"] = _("The agency's share must be a fraction between 0 and 1, such as 0.25.")
    for part, amount in base.items():
        if amount < 0:
            errors[part] = _("An amount cannot be negative.")
    seen: set[tuple[str, str]] = set()
    for price in prices:
        if price.asti_type not in ASTI_TYPES:
            errors["prices"] = _("Unknown transaction type: %(value)s.") % {"value": price.asti_type}
        elif price.channel and price.channel not in CHANNELS:
            errors["prices"] = _("Unknown channel: %(value)s.") % {"value": price.channel}
        elif price.price < 0:
            errors["prices"] = _("A price cannot be negative.")
        elif (price.asti_type, price.channel) in seen:
            errors["prices"] = _("The agreement already has a price for this type and channel.")
        seen.add((price.asti_type, price.channel))
    return errors


def _overlap_error() -> ValidationError:
    return ValidationError(
        {"valid_from": _("The point already has an agreement with this agency for part of this period.")}
    )


def agreement_create(
    *,
    point: ServicePoint,
    agency: Agency,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    agency_share: Decimal,
    base_rent: Decimal = Decimal(0),
    base_telecommunications: Decimal = Decimal(0),
    base_equipment: Decimal = Decimal(0),
    base_electricity: Decimal = Decimal(0),
    base_training: Decimal = Decimal(0),
    prices: Iterable[PriceData] = (),
) -> Agreement:
    """Make an agreement with its prices, all or nothing. Refused with ValidationError (translated,
    by field) when amounts or prices are negative, the share is not a fraction, or it overlaps another
    agreement of the same point and agency: checked here inside the write transaction (which is
    IMMEDIATE on SQLite, so two writers are serialised) and held on PostgreSQL by the exclusion
    constraint ``agreement_no_overlap`` as well."""
    prices = list(prices)
    base = {
        "base_rent": Decimal(base_rent),
        "base_telecommunications": Decimal(base_telecommunications),
        "base_equipment": Decimal(base_equipment),
        "base_electricity": Decimal(base_electricity),
        "base_training": Decimal(base_training),
    }
    share = Decimal(agency_share)
    if errors := _agreement_errors(
        valid_from=valid_from, valid_to=valid_to, agency_share=share, base=base, prices=prices
    ):
        raise ValidationError(errors)
    try:
        with db_transaction.atomic():
            overlapping = Agreement.objects.filter(point=point, agency=agency).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
            )
            if valid_to is not None:
                overlapping = overlapping.filter(valid_from__lte=valid_to)
            if overlapping.exists():
                raise _overlap_error()
            agreement = Agreement.objects.create(
                point=point,
                agency=agency,
                valid_from=valid_from,
                valid_to=valid_to,
                agency_share=share,
                **base,
            )
            AgreementPrice.objects.bulk_create(
                AgreementPrice(
                    agreement=agreement, asti_type=p.asti_type, channel=p.channel, price=Decimal(p.price)
                )
                for p in prices
            )
    except IntegrityError as error:
        if "agreement_no_overlap" in str(error):
            raise _overlap_error() from None
        raise
    return agreement


def _base_of(
    base_rent: Decimal,
    base_telecommunications: Decimal,
    base_equipment: Decimal,
    base_electricity: Decimal,
    base_training: Decimal,
) -> dict[str, Decimal]:
    return {
        "base_rent": Decimal(base_rent),
        "base_telecommunications": Decimal(base_telecommunications),
        "base_equipment": Decimal(base_equipment),
        "base_electricity": Decimal(base_electricity),
        "base_training": Decimal(base_training),
    }


def agreement_used(*, agreement: Agreement) -> bool:
    """Whether a statement (a draft included) has a line of ``agreement``: then its terms are not
    changed in place; they end, and new terms start as a new agreement."""
    return StatementLine.objects.filter(agreement=agreement).exists()


def _last_locked_month(*, point_id: int, agency_id: int) -> dt.date | None:
    """The latest month of the pair whose statement has been approved (or sent)."""
    return (
        Statement.objects.filter(point_id=point_id, agency_id=agency_id)
        .exclude(status=StatementStatus.DRAFT)
        .order_by("-month")
        .values_list("month", flat=True)
        .first()
    )


def agreement_end(*, agreement: Agreement, last_day: dt.date) -> Agreement:
    """End ``agreement`` on ``last_day`` (inclusive). Refused (ValidationError, nothing changed) when
    that is before it begins, later than it already ends, or inside or before a month whose
    statement has been approved: an approved statement never changes."""
    with db_transaction.atomic():
        locked = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if last_day < locked.valid_from:
            raise ValidationError({"valid_to": _("An agreement cannot end before it begins.")})
        if locked.valid_to is not None and last_day > locked.valid_to:
            raise ValidationError({"valid_to": _("Ending an agreement cannot make it longer.")})
        approved = _last_locked_month(point_id=locked.point_id, agency_id=locked.agency_id)
        if approved is not None and last_day < next_month(approved) - dt.timedelta(days=1):
            raise ValidationError(
                {
                    "valid_from": _(
                        "The statement of %(month)s has been approved, so the terms can change from "
                        "%(day)s at the earliest."
                    )
                    % {"month": f"{approved:%m/%Y}", "day": f"{next_month(approved):%d.%m.%Y}"}
                }
            )
        locked.valid_to = last_day
        locked.save(update_fields=["valid_to"])
    return locked


def agreement_revise(
    *,
    agreement: Agreement,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    agency_share: Decimal,
    base_rent: Decimal = Decimal(0),
    base_telecommunications: Decimal = Decimal(0),
    base_equipment: Decimal = Decimal(0),
    base_electricity: Decimal = Decimal(0),
    base_training: Decimal = Decimal(0),
    prices: Iterable[PriceData] = (),
) -> Agreement:
    """New terms for the point and agency of ``agreement``, all or nothing. An agreement that no
    statement has used changes in place (its period, amounts, share and prices). One that a
    statement has used is not changed: it ends the day before ``valid_from`` (:func:`agreement_end`)
    and the new terms start as a new agreement (:func:`agreement_create`), which is returned; its
    start must then be after the old one's. Refused with ValidationError (translated, by field) as
    :func:`agreement_create` refuses."""
    prices = list(prices)
    base = _base_of(base_rent, base_telecommunications, base_equipment, base_electricity, base_training)
    share = Decimal(agency_share)
    if errors := _agreement_errors(
        valid_from=valid_from, valid_to=valid_to, agency_share=share, base=base, prices=prices
    ):
        raise ValidationError(errors)
    with db_transaction.atomic():
        current = Agreement.objects.select_for_update().get(pk=agreement.pk)
        if agreement_used(agreement=current):
            if valid_from <= current.valid_from:
                raise ValidationError(
                    {
                        "valid_from": _(
                            "Statements have used this agreement: the new terms must start after %(day)s."
                        )
                        % {"day": f"{current.valid_from:%d.%m.%Y}"}
                    }
                )
            agreement_end(agreement=current, last_day=valid_from - dt.timedelta(days=1))
            return agreement_create(
                point=current.point,
                agency=current.agency,
                valid_from=valid_from,
                valid_to=valid_to,
                agency_share=share,
                prices=prices,
                **base,
            )
        try:
            with db_transaction.atomic():
                overlapping = (
                    Agreement.objects.filter(point_id=current.point_id, agency_id=current.agency_id)
                    .exclude(pk=current.pk)
                    .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
                )
                if valid_to is not None:
                    overlapping = overlapping.filter(valid_from__lte=valid_to)
                if overlapping.exists():
                    raise _overlap_error()
                for part, amount in base.items():
                    setattr(current, part, amount)
                current.valid_from, current.valid_to, current.agency_share = valid_from, valid_to, share
                current.save(update_fields=["valid_from", "valid_to", "agency_share", *base])
                AgreementPrice.objects.filter(agreement=current).delete()
                AgreementPrice.objects.bulk_create(
                    AgreementPrice(
                        agreement=current, asti_type=p.asti_type, channel=p.channel, price=Decimal(p.price)
                    )
                    for p in prices
                )
        except IntegrityError as error:
            if "agreement_no_overlap" in str(error):
                raise _overlap_error() from None
            raise
    return current


# --- monthly statements --------------------------------------------------------------------------


def _current_month() -> dt.date:
    return timezone.localdate().replace(day=1)


def _check_month(month: dt.date) -> dt.date:
    month = first_of_month(month)
    if month > _current_month():
        raise ValidationError({"month": _("A statement cannot be made for a month in the future.")})
    return month


def _locked_error() -> ValidationError:
    return ValidationError(_("The statement has been approved and can no longer change."))


def _line(statement: Statement, position: int, f: LineFigure) -> StatementLine:
    return StatementLine(
        statement=statement,
        position=position,
        kind=f.kind,
        agreement_id=f.agreement_id,
        asti_type=f.asti_type,
        channel=f.channel,
        month_of=f.month_of,
        period_start=f.period_start,
        period_end=f.period_end,
        days=f.days,
        quantity=f.quantity,
        unit_price=f.unit_price,
        amount=f.amount,
    )


LINE_COLUMNS = (
    "statement_id",
    "position",
    "kind",
    "agreement_id",
    "asti_type",
    "channel",
    "month_of",
    "period_start",
    "period_end",
    "days",
    "quantity",
    "unit_price",
    "amount",
)


def _lines_insert(lines: Iterable[tuple[int, int, LineFigure]]) -> None:
    """Insert statement lines (statement id, position, figure) in bulk: with ``COPY`` on PostgreSQL
    (one stream, no SQL to build per row), elsewhere with ``bulk_create``. A test checks that the
    columns are every column of the line but its key."""
    if connection.vendor != "postgresql":
        StatementLine.objects.bulk_create(
            (
                StatementLine(**dict(zip(LINE_COLUMNS, _line_values(s, p, f), strict=True)))
                for s, p, f in lines
            ),
            batch_size=5000,
        )
        return
    table = connection.ops.quote_name(StatementLine._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in LINE_COLUMNS)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for statement_id, position, figure in lines:
            copy.write_row(_line_values(statement_id, position, figure))


def _line_values(statement_id: int, position: int, f: LineFigure) -> tuple:
    return (
        statement_id,
        position,
        str(f.kind),
        f.agreement_id,
        f.asti_type,
        f.channel,
        f.month_of,
        f.period_start,
        f.period_end,
        f.days,
        f.quantity,
        f.unit_price,
        f.amount,
    )


def _write_lines(statement: Statement, figures: list[LineFigure]) -> None:
    StatementLine.objects.filter(statement=statement).delete()
    StatementLine.objects.bulk_create(
        _line(statement, position, f) for position, f in enumerate(figures, start=1)
    )
    statement.total = sum((f.amount for f in figures), Decimal("0.00"))
    statement.drafted_at = timezone.now()
    statement.save(update_fields=["total", "drafted_at"])


def _statement_for_update(*, point_id: int, agency_id: int, month: dt.date) -> Statement:
    """The statement of the month, locked for this transaction; made when missing (a race between two
    drafters is settled by the unique constraint)."""
    found = (
        Statement.objects.select_for_update()
        .filter(point_id=point_id, agency_id=agency_id, month=month)
        .first()
    )
    if found is not None:
        return found
    try:
        with db_transaction.atomic():
            return Statement.objects.create(
                point_id=point_id,
                agency_id=agency_id,
                month=month,
                starts_at=dt.datetime.combine(month, dt.time(), tzinfo=timezone.get_current_timezone()),
                ends_at=dt.datetime.combine(
                    next_month(month), dt.time(), tzinfo=timezone.get_current_timezone()
                ),
                drafted_at=timezone.now(),
            )
    except IntegrityError:
        return Statement.objects.select_for_update().get(point_id=point_id, agency_id=agency_id, month=month)


def statement_draft(*, point: ServicePoint, agency: Agency, month: dt.date) -> Statement:
    """Draft (or redraft) the statement of ``month`` for the point and agency from the ledger. Running
    it again gives the same figures and no duplicate lines. Refused (ValidationError, nothing written)
    for a month in the future and for an approved statement."""
    month = _check_month(month)
    with db_transaction.atomic():
        statement = _statement_for_update(point_id=point.pk, agency_id=agency.pk, month=month)
        if statement.locked:
            raise _locked_error()
        figures = statement_figures(month=month, pairs=[(point.pk, agency.pk)])
        _write_lines(statement, figures.get((point.pk, agency.pk), []))
    return statement


def statement_draft_month(*, month: dt.date) -> int:
    """Draft every statement of ``month``: each point and agency with an agreement in the month.
    Approved statements are left as they are. Idempotent. The figures of all statements come from
    the same few grouped queries, and the writes are in bulk (the month's statements locked, their
    lines replaced, their totals updated). Returns how many drafts were written."""
    month = _check_month(month)
    with db_transaction.atomic():
        figures = {
            pair: lines
            for pair, lines in statement_figures(month=month).items()
            if any(f.kind == LineKind.BASE for f in lines)
        }
        zone = timezone.get_current_timezone()
        now = timezone.now()

        def month_statements() -> dict[Pair, tuple[int, str]]:
            return {
                (point_id, agency_id): (pk, status)
                for pk, point_id, agency_id, status in Statement.objects.select_for_update()
                .filter(month=month)
                .values_list("pk", "point_id", "agency_id", "status")
            }

        held = month_statements()
        if missing := [pair for pair in figures if pair not in held]:
            Statement.objects.bulk_create(
                [
                    Statement(
                        point_id=point_id,
                        agency_id=agency_id,
                        month=month,
                        starts_at=dt.datetime.combine(month, dt.time(), tzinfo=zone),
                        ends_at=dt.datetime.combine(next_month(month), dt.time(), tzinfo=zone),
                        drafted_at=now,
                    )
                    for point_id, agency_id in missing
                ],
                ignore_conflicts=True,  # another drafter's statement is kept (and locked next)
            )
            held = month_statements()
        drafts = {
            pair: pk
            for pair, (pk, status) in held.items()
            if status == StatementStatus.DRAFT and pair in figures
        }
        StatementLine.objects.filter(statement_id__in=list(drafts.values())).delete()
        _lines_insert(
            (statement_id, position, f)
            for pair, statement_id in drafts.items()
            for position, f in enumerate(figures[pair], start=1)
        )
        # Every total at once, as the sum of its (rounded) lines.
        _totals_update(
            {
                statement_id: sum((f.amount for f in figures[pair]), Decimal("0.00"))
                for pair, statement_id in drafts.items()
            },
            drafted_at=now,
        )
    return len(drafts)


def _totals_update(totals: dict[int, Decimal], *, drafted_at: dt.datetime) -> None:
    """Set the totals of many statements (id to total) and when they were drafted: on PostgreSQL one
    ``UPDATE ... FROM unnest(...)`` (the statements joined to the arrays of ids and totals);
    elsewhere ``bulk_update``."""
    if not totals:
        return
    if connection.vendor != "postgresql":
        Statement.objects.bulk_update(
            [Statement(pk=pk, total=total, drafted_at=drafted_at) for pk, total in totals.items()],
            ["total", "drafted_at"],
            batch_size=500,
        )
        return
    table = connection.ops.quote_name(Statement._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} AS s SET total = t.total, drafted_at = %s "  # noqa: S608  # nosec B608 (fixed identifiers)
            "FROM unnest(%s::bigint[], %s::numeric[]) AS t(id, total) WHERE s.id = t.id",
            [drafted_at, list(totals), list(totals.values())],
        )


def statement_approve(*, statement: Statement, approved_by: User) -> Statement:
    """Approve a draft: its figures are made once more from the ledger (so that what was recorded
    until now counts in the month, and what comes later is an adjustment of a later month) and locked.
    Refused (ValidationError, nothing changed) when it has been approved already or its month has not
    ended yet."""
    with db_transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if locked.locked:
            raise ValidationError(_("The statement has already been approved."))
        if locked.month >= _current_month():
            raise ValidationError(_("A month's statement can be approved only after the month has ended."))
        figures = statement_figures(month=locked.month, pairs=[(locked.point_id, locked.agency_id)])
        _write_lines(locked, figures.get((locked.point_id, locked.agency_id), []))
        locked.status = StatementStatus.APPROVED
        locked.approved_at = timezone.now()
        locked.approved_by = approved_by
        locked.save(update_fields=["status", "approved_at", "approved_by"])
    return locked


def statement_send(*, statement: Statement) -> Statement:
    """Send an approved statement to the agency's coordinators, with its CSV and XLSX attached (mail
    from the worker after commit). Sending again sends again. A draft is refused."""
    with db_transaction.atomic():
        locked = Statement.objects.select_for_update().get(pk=statement.pk)
        if not locked.locked:
            raise ValidationError(_("Approve the statement before sending it."))
        locked.status = StatementStatus.SENT
        locked.sent_at = timezone.now()
        locked.save(update_fields=["status", "sent_at"])
        mail_queue(builder=statement_mail, statement_id=locked.pk)
    return locked


@mail_builder
def statement_mail(*, statement_id: int) -> list[EmailMessage]:
    """The statement to each active coordinator of its agency, in their language, with the CSV and
    XLSX attached (made in that language)."""
    from .exports import statement_csv, statement_filename, statement_xlsx

    statement = Statement.objects.select_related("point", "agency").get(pk=statement_id)
    coordinators = (
        User.objects.filter(
            memberships__role=Role.AGENCY_COORDINATOR,
            memberships__agency_id=statement.agency_id,
            is_active=True,
        )
        .exclude(email="")
        .distinct()
        .order_by("pk")
    )
    messages = []
    for user in coordinators:
        language = user.language or settings.LANGUAGE_CODE
        message = mail_build(
            to=[user.email],
            language=language,
            subject_template="ledger/mail/statement_subject.txt",
            body_template="ledger/mail/statement_body.txt",
            context={"statement": statement, "total": statement.total},
        )
        with translation.override(language):
            name = statement_filename(statement)
            message.attach(f"{name}.csv", statement_csv(statement), "text/csv")
            message.attach(
                f"{name}.xlsx",
                statement_xlsx(statement),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        messages.append(message)
    return messages


# --- Customer feedback (issue 20) ---------------------------------------------------------------
# The booth screen (after a remote meeting) and the desk's receipt give the customer a single-use link
# to /fi/palaute/<key>/ (sv: /sv/respons/<key>/, en: /en/feedback/<key>/): feedback_token_issue makes
# the key, feedback_url gives the link's path, feedback_submit takes the answer once.

FEEDBACK_TOKEN_BYTES = 24  # 32 URL-safe characters, 192 random bits

# Masks applied to free text before it is stored. Each pattern is replaced by its mark, in this order.
_EMAIL = re.compile(r"[\w.%+-]+\s*(?:@|\(at\)|\[at\])\s*[\w-]+(?:\s*\.\s*[\w-]+)+", re.IGNORECASE)
# A Finnish personal identity code (henkilötunnus): ddmmyy, the century sign, three digits and a check.
_PERSONAL_ID = re.compile(r"(?<![\w])\d{6}[-+A-FU-Ya-fu-y]\d{3}[0-9A-Ya-y](?![\w])")
# A phone number: an optional +/00 country prefix, then digits with spaces, hyphens, slashes or
# brackets between them, seven digits or more in all (dates such as 12.3.2026 use dots and are kept).
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d\s()/-]{5,}\d(?![\w])")
_MIN_PHONE_DIGITS = 7
EMAIL_MASK = "[email]"
PHONE_MASK = "[phone]"
PERSONAL_ID_MASK = "[id]"


class FeedbackRefused(Exception):
    """A feedback link that cannot be used: ``reason`` is "unknown", "expired" or "used"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def feedback_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feedback_token_issue(*, transaction: Transaction, now: dt.datetime | None = None) -> str:
    """A new single-use feedback key for ``transaction``, valid for ``settings.FEEDBACK_LINK_DAYS``.
    Only its hash is stored; the key is returned once, for the booth screen or the receipt (see
    :func:`feedback_url`). Raises ValidationError when the transaction has feedback already."""
    if Feedback.objects.filter(transaction=transaction).exists():
        raise ValidationError(_("This transaction has been given feedback already."))
    now = now or timezone.now()
    token = secrets.token_urlsafe(FEEDBACK_TOKEN_BYTES)
    FeedbackToken.objects.create(
        transaction=transaction,
        token_hash=feedback_token_hash(token),
        expires_at=now + dt.timedelta(days=settings.FEEDBACK_LINK_DAYS),
    )
    return token


def feedback_url(*, token: str, language: str | None = None) -> str:
    """The path of the feedback page of ``token`` in ``language`` (the default language when None):
    ``/fi/palaute/<token>/``, ``/sv/respons/<token>/`` or ``/en/feedback/<token>/``. Make it absolute
    with ``request.build_absolute_uri`` (or the site's address on a printed receipt)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return reverse("feedback:form", kwargs={"token": token})


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def feedback_text_mask(text: str) -> str:
    """``text`` with every email address, personal identity code and phone number replaced by
    [email], [id] and [phone]."""
    text = _EMAIL.sub(EMAIL_MASK, text)
    text = _PERSONAL_ID.sub(PERSONAL_ID_MASK, text)
    return _PHONE.sub(lambda m: PHONE_MASK if _digits(m.group()) >= _MIN_PHONE_DIGITS else m.group(), text)


def feedback_submit(
    *, token: str, rating: int, met_need: bool, text: str = "", now: dt.datetime | None = None
) -> Feedback:
    """Take the customer's feedback with the key ``token``: once. Raises FeedbackRefused ("unknown",
    "expired" or "used") and writes nothing when the key cannot be used, ValidationError on a rating
    outside 1–5 or a text that is too long. Two posts of one key at the same time: the conditional
    update below lets exactly one of them through (the other sees no row to mark), and the feedback's
    one-to-one link to the transaction backs it up."""
    now = now or timezone.now()
    if not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
    text = feedback_text_mask(text.strip())
    if len(text) > FEEDBACK_TEXT_MAX_LENGTH:
        raise ValidationError(
            {"text": _("Write at most %(count)s characters.") % {"count": FEEDBACK_TEXT_MAX_LENGTH}}
        )
    with transaction.atomic():
        row = FeedbackToken.objects.filter(token_hash=feedback_token_hash(token)).first()
        if row is None:
            raise FeedbackRefused("unknown")
        taken = FeedbackToken.objects.filter(pk=row.pk, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        if not taken:
            raise FeedbackRefused("used" if row.used_at is not None or row.expires_at > now else "expired")
        try:
            with transaction.atomic():
                return Feedback.objects.create(
                    transaction_id=row.transaction_id, rating=rating, met_need=met_need, text=text
                )
        except IntegrityError:
            # Another key of the same transaction was used first.
            raise FeedbackRefused("used") from None


def feedback_text_remove_expired(*, received_before: dt.datetime) -> int:
    """Remove the free text of feedback received before ``received_before`` (the retention rule
    "feedback_text"); the ratings stay. Returns how many texts were removed; idempotent."""
    return (
        Feedback.objects.filter(created_at__lt=received_before, text_removed_at__isnull=True)
        .exclude(text="")
        .update(text="", text_removed_at=timezone.now())
    )


@dataclass(frozen=True)
class FeedbackData:
    transaction_id: int
    rating: int
    met_need: bool
    text: str = ""


def feedback_record_many(*, rows: Iterable[FeedbackData], batch_size: int = 5000) -> int:
    """Record feedback given outside the link (imports, demo data): all or nothing. Each row is
    checked as in :func:`feedback_submit` and its text masked; a transaction with feedback already
    refuses the whole batch (IntegrityError)."""
    made = []
    for data in rows:
        if not 1 <= data.rating <= 5:
            raise ValidationError({"rating": _("Choose a rating from 1 to 5.")})
        text = feedback_text_mask(data.text.strip())
        if len(text) > FEEDBACK_TEXT_MAX_LENGTH:
            raise ValidationError(
                {"text": _("Write at most %(count)s characters.") % {"count": FEEDBACK_TEXT_MAX_LENGTH}}
            )
        made.append(
            Feedback(
                transaction_id=data.transaction_id, rating=data.rating, met_need=data.met_need, text=text
            )
        )
    with transaction.atomic():
        Feedback.objects.bulk_create(made, batch_size=batch_size)
    return len(made)
