"""Staff views of customers' personal data are recorded in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, transaction
from django.utils import timezone

from asiointi.accounts.models import AuditAction, AuditEvent, User
from asiointi.accounts.retention import retention_apply
from asiointi.accounts.testing import login_staff
from asiointi.factories import UserFactory
from asiointi.web.services import accessibility_feedback_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator() -> User:
    return UserFactory.create(
        email="yllapito@example.fi", password="oikea salasana 2026", full_name="Ylläpitäjä", superuser=True
    )


@pytest.fixture
def feedback():
    return accessibility_feedback_submit(
        message="Kartta ei toimi näppäimistöllä.",
        page="/fi/",
        name="Maija Meikäläinen",
        email="maija@example.fi",
        wants_reply=True,
        language="fi",
    )


def test_feedback_opened_in_the_admin__records_who_what_and_from_where(client, administrator, feedback):
    login_staff(client, administrator)

    response = client.get(
        f"/fi/admin/web/accessibilityfeedback/{feedback.pk}/change/",
        REMOTE_ADDR="198.51.100.7",
        HTTP_USER_AGENT="Firefox",
    )

    assert response.status_code == 200
    assert "maija@example.fi" in response.content.decode()
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_VIEWED)
    assert (event.actor_email, event.target_type, event.target_id) == (
        "yllapito@example.fi",
        "web.AccessibilityFeedback",
        str(feedback.pk),
    )
    assert event.ip_address == "198.51.100.7"
    assert "name, email, message" in event.summary
    assert "maija@example.fi" not in event.summary  # the record names the fields, not their values
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_email="someone.else@example.fi")


def test_feedback_list_and_anonymised_feedback__record_no_view(client, administrator, feedback, settings):
    login_staff(client, administrator)
    assert client.get("/fi/admin/web/accessibilityfeedback/").status_code == 200
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "accessibility_feedback": 1}
    retention_apply(now=timezone.now() + dt.timedelta(days=2))

    assert client.get(f"/fi/admin/web/accessibilityfeedback/{feedback.pk}/change/").status_code == 200
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).exists()
