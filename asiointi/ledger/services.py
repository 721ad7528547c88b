"""Writes of the ledger. Every customer transaction of every flow is recorded through here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from asiointi.catalogue.models import Channel, Service
from asiointi.network.models import Agency, ServicePoint

from .models import AstiType, Transaction, TransactionSource

MAX_DURATION_SECONDS = 12 * 3600
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES} | {"se", "ru", "fse", "other"}


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


def _validated(data: TransactionData) -> Transaction:
    errors: dict[str, str] = {}
    if data.asti_type not in AstiType.values:
        errors["asti_type"] = _("Unknown transaction type: %(value)s.") % {"value": data.asti_type}
    if data.channel not in Channel.values:
        errors["channel"] = _("Unknown channel: %(value)s.") % {"value": data.channel}
    if data.source not in TransactionSource.values:
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
    if errors:
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
    )


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


def transaction_record_many(*, rows: Iterable[TransactionData], batch_size: int = 2000) -> int:
    """Record many transactions at once (imports, demo data): all or nothing."""
    validated = [_validated(data) for data in rows]
    with transaction.atomic():
        Transaction.objects.bulk_create(validated, batch_size=batch_size)
    return len(validated)
