"""The advisor's desk: callback requests filed for an agency, and the "call now" queue of walk-in
customers waiting in a booth for an agency's expert. (Walk-in transactions are the ledger's own rows,
recorded through :func:`asiointi.ledger.services.transaction_record`.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asiointi.catalogue.models import Service
from asiointi.core.validators import single_line_text
from asiointi.ledger.models import Transaction
from asiointi.meetings.models import Room
from asiointi.network.models import Agency, Booth, ServiceLanguage, ServicePoint
from asiointi.scheduling.languages import InterpreterLanguage
from asiointi.scheduling.models import Absence, phone_validator

TOPIC_MAX_LENGTH = 500


class CallbackState(models.TextChoices):
    OPEN = "open", _("waiting")
    CLAIMED = "claimed", _("being handled")
    CLOSED = "closed", _("closed")


class CallbackOutcome(models.TextChoices):
    REACHED = "reached", _("the customer was reached")
    NOT_REACHED = "not_reached", _("the customer could not be reached")


class CallbackRequest(models.Model):
    """A customer's request that an agency's expert call them back, filed by the advisor of a point.
    The customer's name, phone and preferred times are personal data: stored only with the customer's
    consent (``consent_at``), shown to the agency's experts (each view audited), and removed after
    ``RETENTION_DAYS["callback_contact"]`` (``anonymised_at``)."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    customer_name = models.CharField(
        _("customer's name"), max_length=200, blank=True, validators=[single_line_text]
    )
    customer_phone = models.CharField(
        _("customer's phone"), max_length=30, blank=True, validators=[single_line_text, phone_validator]
    )
    language = models.CharField(_("language"), max_length=8, validators=[single_line_text])
    topic = models.CharField(_("topic"), max_length=TOPIC_MAX_LENGTH, validators=[single_line_text])
    preferred_times = models.CharField(
        _("preferred times"), max_length=200, blank=True, validators=[single_line_text]
    )
    consent_at = models.DateTimeField(_("consent to storing the contact recorded at"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("filed by"),
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    due_on = models.DateField(_("deadline"), help_text=_("The last working day on which to call back."))
    state = models.CharField(
        _("state"), max_length=10, choices=CallbackState.choices, default=CallbackState.OPEN
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CallbackOutcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    transaction = models.OneToOneField(
        Transaction,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("transaction"),
    )
    anonymised_at = models.DateTimeField(_("contact removed at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "created_at"]
        verbose_name = _("callback request")
        verbose_name_plural = _("callback requests")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=CallbackState.values), name="callback_state_known"),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False) | ~Q(customer_phone=""),
                name="callback_has_phone",
                violation_error_message=_("Give the customer's phone number."),
            ),
            models.CheckConstraint(
                condition=~Q(state=CallbackState.CLOSED) | (Q(closed_at__isnull=False) & ~Q(outcome="")),
                name="callback_closed_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"], name="callback_agency_queue_idx"),
            models.Index(fields=["point", "state", "due_on"], name="callback_point_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.agency}"

    @property
    def is_open(self) -> bool:
        return self.state != CallbackState.CLOSED


class CallbackAttempt(models.Model):
    """One try to reach the customer of a callback request."""

    request = models.ForeignKey(
        CallbackRequest, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("callback request")
    )
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("made by"),
    )
    made_at = models.DateTimeField(_("made at"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=200, blank=True, validators=[single_line_text])

    class Meta:
        ordering = ["made_at"]
        verbose_name = _("call attempt")
        verbose_name_plural = _("call attempts")

    def __str__(self) -> str:
        return f"{self.request_id} {self.made_at:%Y-%m-%d %H:%M}"


class CallNowStatus(models.TextChoices):
    WAITING = "waiting", _("waiting for an expert")
    ACCEPTED = "accepted", _("taken by an expert")
    CANCELLED = "cancelled", _("cancelled")
    DONE = "done", _("done")
    EXPIRED = "expired", _("no expert was free in time")


#: The states in which a call-now request holds its booth.
CALL_NOW_ACTIVE = (CallNowStatus.WAITING, CallNowStatus.ACCEPTED)


class CallNowRequest(models.Model):
    """A walk-in customer waiting in a booth of ``point`` for the first free expert of ``agency`` (the
    "call now" queue). It holds the booth from its filing (a scheduling absence of the booth's
    resource, ``booth_hold``) so that no booking takes the booth meanwhile; the expert who accepts it
    first opens the meeting ``room`` at the booth. No personal data: only the languages."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="+", verbose_name=_("booth"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    language = models.CharField(_("language"), max_length=8, validators=[single_line_text])
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=3, blank=True, validators=[single_line_text]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CallNowStatus.choices, default=CallNowStatus.WAITING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("queued by"),
    )
    created_at = models.DateTimeField(_("queued at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    room = models.OneToOneField(
        Room, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("video room")
    )
    booth_hold = models.ForeignKey(
        Absence,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hold of the booth"),
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("call-now request")
        verbose_name_plural = _("call-now requests")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CallNowStatus.values), name="callnow_status_known"),
            models.CheckConstraint(
                condition=~Q(status=CallNowStatus.ACCEPTED)
                | Q(accepted_at__isnull=False, accepted_by__isnull=False, room__isnull=False),
                name="callnow_accepted_has_room",
            ),
            # One customer at a time in a booth, whatever two advisors do at once.
            models.UniqueConstraint(
                fields=["booth"],
                condition=Q(status__in=[s.value for s in CALL_NOW_ACTIVE]),
                name="callnow_one_active_per_booth",
                violation_error_message=_("The booth is taken: choose another booth."),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "created_at"], name="callnow_agency_queue_idx"),
            models.Index(fields=["point", "status"], name="callnow_point_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.agency}"

    @property
    def language_name(self) -> str:
        names = {**dict(ServiceLanguage.choices), "other": _("another language")}
        return str(names.get(self.language, self.language))

    @property
    def interpreter_language_name(self) -> str:
        return str(
            dict(InterpreterLanguage.choices).get(self.interpreter_language, self.interpreter_language)
        )
