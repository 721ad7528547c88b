"""Writes of the web app: feedback on accessibility."""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from asiointi.core.mail import mail_build, mail_builder, mail_queue

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
        # Sent by the worker: the feedback is saved and listed in the admin even if the mail server is down.
        mail_queue(builder=accessibility_feedback_mails, feedback_id=feedback.pk)
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


@mail_builder
def accessibility_feedback_mails(*, feedback_id: int) -> list[EmailMessage]:
    """One mail per language to the administrators who read that language (none, with a warning in
    the log, when there is no administrator). Called by the mail task's worker."""
    feedback = AccessibilityFeedback.objects.get(pk=feedback_id)
    recipients = selectors.accessibility_feedback_recipients()
    if not recipients:
        logger.warning(
            "Accessibility feedback %s was saved, but there is no administrator to tell.", feedback_id
        )
        return []
    return [
        mail_build(
            to=emails,
            language=language,
            subject_template="web/mail/accessibility_feedback_subject.txt",
            body_template="web/mail/accessibility_feedback_body.txt",
            context={"feedback": feedback, "received": timezone.localtime(feedback.created_at)},
        )
        for language, emails in recipients.items()
    ]
