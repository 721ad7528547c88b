"""Writes of the ledger. Every customer transaction of every flow is recorded through here."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from asiointi.catalogue.models import Channel, Service
from asiointi.network.models import Agency, ServiceLanguage, ServicePoint

from .models import (
    FEEDBACK_TEXT_MAX_LENGTH,
    AstiType,
    Feedback,
    FeedbackToken,
    Transaction,
    TransactionSource,
)

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
            origin=origin or None,
        )
    )
    if row.origin is not None and (existing := Transaction.objects.filter(origin=row.origin).first()):
        return existing
    try:
        # A savepoint when the caller holds a transaction: a lost race leaves the caller's work intact.
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        if row.origin is None:
            raise
        return Transaction.objects.get(origin=row.origin)
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
    "origin",
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
        data.origin,
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
