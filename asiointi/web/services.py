"""Writes of the web app: feedback on accessibility."""

from __future__ import annotations

import logging
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from . import selectors
from .models import AccessibilityFeedback

logger = logging.getLogger(__name__)


def accessibility_feedback_submit(
    *, message: str, page: str, name: str, email: str, wants_reply: bool, language: str
) -> AccessibilityFeedback:
    """Save feedback from the accessibility statement's form and, after commit, tell the
    administrators by mail. A reply needs an email address (ValidationError otherwise)."""
    feedback = AccessibilityFeedback(
        message=message.strip(),
        page=page.strip(),
        name=name.strip(),
        email=email.strip(),
        wants_reply=wants_reply,
        language=language,
    )
    feedback.full_clean(exclude=["created_at", "handled_at"])
    with transaction.atomic():
        feedback.save()
        # robust: the feedback is saved and listed in the admin even if the mail server is down.
        transaction.on_commit(partial(_notify_administrators, feedback_id=feedback.pk), robust=True)
    return feedback


def accessibility_feedback_mark_handled(*, feedback_ids: list[int]) -> int:
    """Mark the given feedback handled now; feedback handled before keeps its time. Returns how
    many rows changed."""
    with transaction.atomic():
        return AccessibilityFeedback.objects.filter(pk__in=feedback_ids, handled_at__isnull=True).update(
            handled_at=timezone.now()
        )


def accessibility_feedback_anonymise_expired(*, received_before: datetime) -> int:
    """Clear the name, the email address and the message of feedback received before
    ``received_before`` (the retention task). Idempotent: feedback anonymised once is left alone.
    Returns how many were anonymised."""
    with transaction.atomic():
        return AccessibilityFeedback.objects.filter(
            created_at__lt=received_before, anonymised_at__isnull=True
        ).update(name="", email="", message="", wants_reply=False, anonymised_at=timezone.now())


def _notify_administrators(*, feedback_id: int) -> None:
    """One mail per language to the administrators who read that language."""
    feedback = AccessibilityFeedback.objects.get(pk=feedback_id)
    recipients = selectors.accessibility_feedback_recipients()
    if not recipients:
        logger.warning(
            "Accessibility feedback %s was saved, but there is no administrator to tell.", feedback_id
        )
        return
    for language, emails in recipients.items():
        with translation.override(language):
            send_mail(
                _("Feedback on accessibility"),
                _feedback_mail_body(feedback),
                settings.DEFAULT_FROM_EMAIL,
                emails,
            )


def _feedback_mail_body(feedback: AccessibilityFeedback) -> str:
    received = formats.date_format(timezone.localtime(feedback.created_at), "DATETIME_FORMAT")
    parts = [
        _("Feedback on the accessibility of Asiointi was received on %(date)s.") % {"date": received},
        _("Message:") + "\n" + feedback.message,
        _("Page concerned: %(page)s") % {"page": feedback.page or "–"},
        _("Language of the page: %(language)s") % {"language": feedback.get_language_display()},
    ]
    if feedback.wants_reply:
        # Contact details go into the mail only when the sender asked for an answer; otherwise
        # they stay in the administration, where the retention task clears them.
        parts.append(
            _("The sender would like an answer within 14 days. Name: %(name)s. Email address: %(email)s.")
            % {"name": feedback.name or "–", "email": feedback.email}
        )
    else:
        parts.append(_("The sender did not ask for an answer."))
    parts.append(_("Mark the feedback handled in the administration once it has been dealt with."))
    return "\n\n".join(parts) + "\n"
