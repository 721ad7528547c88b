"""The anonymised transaction ledger: one row per customer transaction, no personal data."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
        ]
        indexes = [
            # Monthly aggregation: by point, by agency and by type, each over a time range.
            models.Index(fields=["point", "occurred_at"], name="transaction_point_time_idx"),
            models.Index(fields=["agency", "occurred_at"], name="transaction_agency_time_idx"),
            models.Index(fields=["asti_type", "occurred_at"], name="transaction_type_time_idx"),
            models.Index(fields=["occurred_at"], name="transaction_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_asti_type_display()} {self.occurred_at:%Y-%m-%d %H:%M}"


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
