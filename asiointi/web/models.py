"""Feedback on the accessibility of the service, sent with the form of the accessibility statement."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text

MESSAGE_MAX_LENGTH = 5000
PAGE_MAX_LENGTH = 500


class AccessibilityFeedback(models.Model):
    """One message from the feedback form of the accessibility statement (Act 306/2019, section 15).

    ``name`` and ``email`` are personal data, and the message may hold some. When the retention
    period ``RETENTION_DAYS["accessibility_feedback"]`` has passed since it was received, the
    retention task clears the name, the email address and the message; what remains (page, language,
    times) still counts in statistics.
    """

    message = models.TextField(_("message"), max_length=MESSAGE_MAX_LENGTH)
    page = models.CharField(
        _("page concerned"), max_length=PAGE_MAX_LENGTH, blank=True, validators=[single_line_text]
    )
    # Personal data: cleared by the retention task.
    name = models.CharField(_("name"), max_length=200, blank=True, validators=[single_line_text])
    email = models.EmailField(_("email address"), blank=True)
    wants_reply = models.BooleanField(_("wants a reply"), default=False)
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
        help_text=_("The language of the page on which the feedback was written."),
    )
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        constraints = [
            models.CheckConstraint(
                condition=Q(wants_reply=False) | ~Q(email=""),
                name="accessibility_feedback_reply_needs_email",
                violation_error_message=_("Give an email address so that we can answer you."),
            ),
        ]

    def __str__(self) -> str:
        return self.message[:60]
