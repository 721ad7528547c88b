"""The anonymised transaction ledger: one row per customer transaction, no personal data."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from asiointi.catalogue.models import Channel, Service
from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, ServicePoint


class AstiType(models.TextChoices):
    """The transaction types of joint service (ASTI) in the PTV service catalogue."""

    DOCUMENT_RECEIVED = "DocumentReceived", _("document received")
    GUIDANCE_TO_ONLINE_SELF_SERVICE = "GuidanceToOnlineSelfService", _("guidance to online self-service")
    LOST_AND_FOUND = "LostAndFound", _("lost and found")
    ONLINE_SELF_SERVICE_POINT = "OnlineSelfServicePoint", _("online self-service point")
    ONSITE_GUIDANCE = "OnsiteGuidance", _("on-site guidance")
    ONSITE_GUIDANCE_BY_SERVICE_AUTHOR = (
        "OnsiteGuidanceByServiceAuthor",
        _("on-site guidance by the service's own authority"),
    )
    REMOTE_GUIDANCE = "RemoteGuidance", _("remote guidance")


class TransactionSource(models.TextChoices):
    DESK = "desk", _("service desk")
    MEETING = "meeting", _("remote meeting")
    CALLBACK = "callback", _("callback request")


class Transaction(models.Model):
    """One customer transaction at a point for an agency. Holds no personal data."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    asti_type = models.CharField(_("transaction type (ASTI)"), max_length=40, choices=AstiType.choices)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    occurred_at = models.DateTimeField(_("occurred at"))
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), validators=[MinValueValidator(0)])
    language = models.CharField(_("language"), max_length=8)
    with_interpreter = models.BooleanField(_("with an interpreter"), default=False)
    source = models.CharField(_("source"), max_length=20, choices=TransactionSource.choices)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    origin = models.CharField(  # noqa: DJ001 (NULL, not "", for no origin: the unique constraint allows many NULLs)
        _("origin"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("What the transaction comes from, such as a remote meeting, so that it is counted once."),
    )
    # The ledger is append-only: a correction is a reversing entry (count -1) that names the entry it
    # reverses, recorded now for the time of the original. Figures are sums of ``count``.
    count = models.SmallIntegerField(_("count"), default=1)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        verbose_name=_("reverses"),
    )

    class Meta:
        ordering = ["-occurred_at"]
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")
        constraints = [
            models.CheckConstraint(
                condition=Q(asti_type__in=AstiType.values),
                name="transaction_asti_type_known",
                violation_error_message=_("Unknown transaction type."),
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values),
                name="transaction_channel_known",
                violation_error_message=_("Unknown channel."),
            ),
            models.CheckConstraint(
                condition=Q(source__in=TransactionSource.values),
                name="transaction_source_known",
                violation_error_message=_("Unknown source."),
            ),
            # Many transactions have no origin (NULL); one that has one is its origin's only transaction.
            models.UniqueConstraint(
                fields=["origin"],
                name="transaction_origin_unique",
                violation_error_message=_("A transaction of this origin has been recorded already."),
            ),
            models.CheckConstraint(condition=~Q(origin=""), name="transaction_origin_not_empty"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, count=1) | Q(reverses__isnull=False, count=-1),
                name="transaction_count_one_or_reversal",
                violation_error_message=_("A transaction counts once; only a reversal counts minus one."),
            ),
        ]
        indexes = [
            # Monthly aggregation: by point, by agency and by type, each over a time range.
            models.Index(fields=["point", "occurred_at"], name="transaction_point_time_idx"),
            models.Index(fields=["agency", "occurred_at"], name="transaction_agency_time_idx"),
            models.Index(fields=["asti_type", "occurred_at"], name="transaction_type_time_idx"),
            models.Index(fields=["occurred_at"], name="transaction_time_idx"),
            # A month's corrections to earlier months: what was recorded in it.
            models.Index(fields=["recorded_at"], name="transaction_recorded_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_asti_type_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


class MonthlyRollup(models.Model):
    """A rollup of the ledger: the sum of ``count`` of the transactions of one point, agency, ASTI
    type and channel in one month (Finnish time). Kept by the ledger's own services in the same
    database transaction as the rows they write (:func:`asiointi.ledger.services.transaction_record`,
    ``transaction_record_many`` and ``transaction_reverse``; never by signals), and rebuilt from the
    raw ledger by ``manage.py ledger_rollups_rebuild``. The monthly statements and the statistics
    read it instead of every transaction of the month."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    asti_type = models.CharField(_("transaction type (ASTI)"), max_length=40, choices=AstiType.choices)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("monthly count of transactions")
        verbose_name_plural = _("monthly counts of transactions")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "agency", "asti_type", "channel", "month"], name="monthly_count_unique"
            ),
        ]
        indexes = [models.Index(fields=["month", "point", "agency"], name="monthly_count_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.asti_type} {self.channel} {self.count}"


# --- compensation agreements and monthly statements ------------------------------------------------

ZERO = Decimal("0.00")
#: The parts of the yearly base part, in the order a statement lists them.
BASE_PARTS = ("base_rent", "base_telecommunications", "base_equipment", "base_electricity", "base_training")


def _euros(label: StrOrPromise) -> models.DecimalField:  # type: ignore[type-arg]
    return models.DecimalField(
        label, max_digits=12, decimal_places=2, default=ZERO, validators=[MinValueValidator(ZERO)]
    )


class Agreement(models.Model):
    """What an agency pays the municipality that keeps a point, for a period (``valid_to`` is the
    last day it applies, inclusive; empty for open-ended). Two agreements of the same point and
    agency never overlap: on PostgreSQL an exclusion constraint (migration 0003) holds it, and
    :func:`asiointi.ledger.services.agreement_create` checks it inside the write transaction.

    ``agency_share`` is a **fraction** of the yearly base part (0.2500 is a quarter), not a percent."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    base_rent = _euros(_("rent a year (EUR)"))
    base_telecommunications = _euros(_("telecommunications a year (EUR)"))
    base_equipment = _euros(_("equipment a year (EUR)"))
    base_electricity = _euros(_("electricity a year (EUR)"))
    base_training = _euros(_("training a year (EUR)"))
    agency_share = models.DecimalField(
        _("agency's share of the base part"),
        max_digits=5,
        decimal_places=4,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("A fraction between 0 and 1: 0.25 is a quarter of the base part."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["point", "agency", "valid_from"]
        verbose_name = _("compensation agreement")
        verbose_name_plural = _("compensation agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="agreement_valid_to_after_from",
                violation_error_message=_("An agreement cannot end before it begins."),
            ),
            models.CheckConstraint(
                condition=Q(agency_share__gte=0, agency_share__lte=1),
                name="agreement_share_fraction",
                violation_error_message=_("The agency's share must be between 0 and 1."),
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{part}__gte": 0}),
                    name=f"agreement_{part}_not_negative",
                    violation_error_message=_("An amount cannot be negative."),
                )
                for part in BASE_PARTS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} / {self.agency} {self.valid_from}"

    @property
    def base_yearly(self) -> Decimal:
        return sum((getattr(self, part) for part in BASE_PARTS), ZERO)


class AgreementPrice(models.Model):
    """The price of one transaction of an ASTI type under an agreement; with a channel, only for that
    channel (it wins over the type's general price, whose channel is empty)."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="prices", verbose_name=_("agreement")
    )
    asti_type = models.CharField(_("transaction type (ASTI)"), max_length=40, choices=AstiType.choices)
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices, blank=True, default="")
    price = models.DecimalField(
        _("price (EUR)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(ZERO)]
    )

    class Meta:
        ordering = ["agreement", "asti_type", "channel"]
        verbose_name = _("price per transaction")
        verbose_name_plural = _("prices per transaction")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "asti_type", "channel"],
                name="agreement_price_unique",
                violation_error_message=_("The agreement already has a price for this type and channel."),
            ),
            models.CheckConstraint(
                condition=Q(price__gte=0),
                name="agreement_price_not_negative",
                violation_error_message=_("A price cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.asti_type} {self.channel} {self.price}"


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    APPROVED = "approved", _("approved")
    SENT = "sent", _("sent")


class Statement(models.Model):
    """What an agency owes the municipality of a point for one month. Approved and sent statements
    never change (the services refuse); corrections come as adjustment lines of a later month."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    #: The month's bounds in Finnish time, for the database's comparisons with transaction times.
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    total = models.DecimalField(_("total (EUR)"), max_digits=14, decimal_places=2, default=ZERO)
    drafted_at = models.DateTimeField(_("drafted at"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-month", "point", "agency"]
        verbose_name = _("monthly statement")
        verbose_name_plural = _("monthly statements")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "agency", "month"],
                name="statement_one_per_month",
                violation_error_message=_("The point already has a statement for this agency and month."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=StatementStatus.values), name="statement_status_known"
            ),
            models.CheckConstraint(
                condition=Q(status=StatementStatus.DRAFT) | Q(approved_at__isnull=False),
                name="statement_approved_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} / {self.agency} {self.month:%m/%Y}"

    @property
    def locked(self) -> bool:
        return self.status != StatementStatus.DRAFT


class LineKind(models.TextChoices):
    BASE = "base", _("base part")
    TRANSACTIONS = "transactions", _("transactions")
    ADJUSTMENT = "adjustment", _("adjustment to an earlier month")


class StatementLine(models.Model):
    """A line of a statement: ``quantity`` times ``unit_price`` (transactions), or the base part's
    share for ``days`` days; ``amount`` is rounded to cents (half up) on the line, and the total is the
    sum of the lines."""

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="lines", verbose_name=_("statement")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=LineKind.choices)
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement"),
    )
    asti_type = models.CharField(
        _("transaction type (ASTI)"), max_length=40, choices=AstiType.choices, blank=True, default=""
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices, blank=True, default="")
    month_of = models.DateField(_("month corrected"), null=True, blank=True)
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("until"), null=True, blank=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    quantity = models.IntegerField(_("quantity"), default=0)
    unit_price = models.DecimalField(_("unit price (EUR)"), max_digits=14, decimal_places=6, default=ZERO)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2, default=ZERO)

    class Meta:
        ordering = ["statement", "position"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")
        constraints = [
            models.UniqueConstraint(fields=["statement", "position"], name="statement_line_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


# --- Customer feedback (issue 20) ---------------------------------------------------------------

FEEDBACK_TEXT_MAX_LENGTH = 2000


class FeedbackToken(models.Model):
    """The single-use key of a feedback link, for one transaction. Only its SHA-256 hash is kept: the
    link itself is shown once (on the booth screen or the desk's receipt) and is not stored."""

    transaction = models.ForeignKey(
        Transaction, on_delete=models.CASCADE, related_name="+", verbose_name=_("transaction")
    )
    token_hash = models.CharField(_("key hash"), max_length=64, unique=True, validators=[single_line_text])
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback link")
        verbose_name_plural = _("feedback links")
        indexes = [models.Index(fields=["expires_at"], name="feedback_token_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.token_hash[:8]}…"


class Feedback(models.Model):
    """A customer's anonymous feedback on one transaction: linked to the transaction (so its agency,
    service, point and channel are known), never to a person. ``text`` may hold what the customer
    wrote, with email addresses and phone numbers masked; it is removed when the retention period
    ``RETENTION_DAYS["feedback_text"]`` has passed, and the rating stays for statistics."""

    transaction = models.OneToOneField(
        Transaction, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("transaction")
    )
    rating = models.PositiveSmallIntegerField(_("rating"))
    met_need = models.BooleanField(_("the service met the need"))
    text = models.TextField(_("free text"), max_length=FEEDBACK_TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    text_removed_at = models.DateTimeField(_("free text removed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("customer feedback")
        verbose_name_plural = _("customer feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_1_to_5",
                violation_error_message=_("The rating must be from 1 to 5."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating}/5"
