"""Writes of the ledger. Every customer transaction of every flow is recorded through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asiointi.catalogue.models import Channel, Service
from asiointi.network.models import Agency, ServicePoint

from .models import AstiType, Transaction, TransactionSource

MAX_DURATION_SECONDS = 12 * 3600
LANGUAGE_CODES = frozenset({code for code, _name in settings.LANGUAGES} | {"se", "ru", "fse", "other"})
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


def _is_valid(data: TransactionData, now: dt.datetime) -> bool:
    """The cheap check that bulk imports take for every row; _errors explains a failure."""
    return (
        data.asti_type in ASTI_TYPES
        and data.channel in CHANNELS
        and data.source in SOURCES
        and data.language in LANGUAGE_CODES
        and not timezone.is_naive(data.occurred_at)
        and data.occurred_at <= now + dt.timedelta(minutes=5)
        and 0 <= data.duration_seconds <= MAX_DURATION_SECONDS
        and (data.service is None or data.service.agency_id == data.agency.pk)
    )


def _validated(data: TransactionData, now: dt.datetime | None = None) -> Transaction:
    if not _is_valid(data, now or timezone.now()):
        raise ValidationError(_errors(data))
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
    )


def _errors(data: TransactionData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.asti_type not in ASTI_TYPES:
        errors["asti_type"] = _("Unknown transaction type: %(value)s.") % {"value": data.asti_type}
    if data.channel not in CHANNELS:
        errors["channel"] = _("Unknown channel: %(value)s.") % {"value": data.channel}
    if data.source not in SOURCES:
        errors["source"] = _("Unknown source: %(value)s.") % {"value": data.source}
    if data.language not in LANGUAGE_CODES:
        errors["language"] = _("Unknown language: %(value)s.") % {"value": data.language}
    if timezone.is_naive(data.occurred_at):
        errors["occurred_at"] = _("The time of the transaction must include its time zone.")
    elif data.occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = _("A transaction cannot be recorded in the future.")
    if not 0 <= data.duration_seconds <= MAX_DURATION_SECONDS:
        errors["duration_seconds"] = _("The duration must be between 0 seconds and 12 hours.")
    if data.service is not None and data.service.agency_id != data.agency.pk:
        errors["service"] = _("The service belongs to another agency.")
    return errors


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
) -> Transaction:
    """Record one customer transaction. Raises ValidationError (nothing is written) on bad input,
    such as an unknown ASTI type or a service of another agency."""
    row = _validated(
        TransactionData(
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
        )
    )
    with transaction.atomic():
        row.save(force_insert=True)
    return row


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
)


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
    )


def transaction_record_many(*, rows: Iterable[TransactionData], batch_size: int = 5000) -> int:
    """Record many transactions at once (imports, demo data): all or nothing.

    Every row is validated as in transaction_record; the rows are then inserted with one prepared
    statement per batch, which is several times faster than building model instances."""
    rows = list(rows)
    now = timezone.now()
    for data in rows:
        if not _is_valid(data, now):
            raise ValidationError(_errors(data))
    table = connection.ops.quote_name(Transaction._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in BULK_COLUMNS)
    placeholders = ", ".join(["%s"] * len(BULK_COLUMNS))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608 (fixed identifiers)  # nosec B608
    adapt = connection.ops.adapt_datetimefield_value
    recorded_at = adapt(now)
    with transaction.atomic(), connection.cursor() as cursor:
        for first in range(0, len(rows), batch_size):
            cursor.executemany(
                sql, [_bulk_params(d, recorded_at, adapt) for d in rows[first : first + batch_size]]
            )
    return len(rows)
