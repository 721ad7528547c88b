"""Retention: customers' contact data is anonymised when its period has passed, nothing else."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from asiointi.accounts.models import AuditEvent
from asiointi.accounts.retention import PERSONAL_DATA_ANONYMISED, retention_apply
from asiointi.accounts.tasks import retention_apply_task
from asiointi.factories import AccessibilityFeedbackFactory, TransactionFactory
from asiointi.ledger.models import Transaction
from asiointi.web.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db


def _feedback(*, days_ago: int, email: str = "maija.meikalainen@example.fi") -> AccessibilityFeedback:
    return AccessibilityFeedbackFactory.create(
        message="Lomakkeen virheilmoitus ei näy ruudunlukijalle. Soittakaa minulle 040 123 4567.",
        page="/fi/palvelupisteet/karstula/",
        name="Maija Meikäläinen",
        email=email,
        wants_reply=True,
        language="fi",
        received_days_ago=days_ago,
    )


def test_retention__expired_feedback__loses_contact_data_and_message_but_still_counts(settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "accessibility_feedback": 180}
    old = _feedback(days_ago=181)
    recent = _feedback(days_ago=179, email="matti@example.fi")
    TransactionFactory.create_batch(3)
    transactions_before = Transaction.objects.count()

    retention_apply()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.message, old.wants_reply) == ("", "", "", False)
    assert old.anonymised_at is not None
    assert old.page == "/fi/palvelupisteet/karstula/"  # what statistics need stays
    assert (recent.name, recent.email) == ("Maija Meikäläinen", "matti@example.fi")
    assert "040 123 4567" in recent.message
    assert AccessibilityFeedback.objects.count() == 2
    assert Transaction.objects.count() == transactions_before == 3


def test_retention__second_run__anonymises_nothing_more_and_logs_only_the_first(settings):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "accessibility_feedback": 30}
    _feedback(days_ago=31)
    _feedback(days_ago=45)

    first = retention_apply()
    anonymised_at = list(AccessibilityFeedback.objects.values_list("anonymised_at", flat=True))
    second = retention_apply()

    assert [(r.kind, r.anonymised) for r in first if r.kind == "accessibility_feedback"] == [
        ("accessibility_feedback", 2)
    ]
    assert all(r.anonymised == 0 for r in second)
    assert list(AccessibilityFeedback.objects.values_list("anonymised_at", flat=True)) == anonymised_at
    events = AuditEvent.objects.filter(action=PERSONAL_DATA_ANONYMISED)
    assert events.count() == 1
    assert "accessibility_feedback: 2 anonymised" in events.get().summary
    assert "Maija" not in events.get().summary


def test_retention__period_from_settings__decides_what_expires(settings):
    _feedback(days_ago=10)
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "accessibility_feedback": 11}
    retention_apply()
    assert AccessibilityFeedback.objects.get().email != ""

    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "accessibility_feedback": 9}
    retention_apply()
    assert AccessibilityFeedback.objects.get().email == ""


def test_retention__kind_without_a_period__refuses_to_run(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.RETENTION_DAYS = {}
    feedback = _feedback(days_ago=1000)

    with pytest.raises(ImproperlyConfigured, match="accessibility_feedback"):
        retention_apply()
    feedback.refresh_from_db()
    assert feedback.email == "maija.meikalainen@example.fi"


def test_apply_retention_command_and_task__anonymise_and_report(settings, task_worker):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "accessibility_feedback": 180}
    _feedback(days_ago=200)
    out = StringIO()

    call_command("apply_retention", stdout=out)

    assert "accessibility_feedback: 1 anonymised (kept 180 days" in out.getvalue()
    _feedback(days_ago=365)
    result = retention_apply_task.enqueue()
    task_worker()
    result.refresh()
    assert result.return_value["accessibility_feedback"] == 1
    assert not any(count for kind, count in result.return_value.items() if kind != "accessibility_feedback")
    assert not AccessibilityFeedback.objects.exclude(email="").exists()
