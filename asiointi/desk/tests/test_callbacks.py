"""Callback requests: consent and phone required, the agency's queue only for its own experts (a Kela
expert never sees a Tax request), claim, attempts and closure with a ledger transaction, retention
and the personal-data audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from asiointi.accounts.models import AuditAction, AuditEvent, Role
from asiointi.accounts.retention import retention_apply
from asiointi.desk import selectors, services
from asiointi.desk.models import CallbackOutcome, CallbackRequest, CallbackState
from asiointi.ledger.models import Transaction, TransactionSource

pytestmark = pytest.mark.django_db


def test_callback_file__without_consent__refused_with_a_specific_error_and_nothing_filed(callback_data):
    with pytest.raises(ValidationError) as refused:
        services.callback_file(data=callback_data(consent=False), by=None)

    assert "suostu" in str(refused.value.message_dict["consent"])
    assert not CallbackRequest.objects.exists()


def test_callback_file__without_phone__refused_and_nothing_filed(callback_data):
    with pytest.raises(ValidationError) as refused:
        services.callback_file(data=callback_data(customer_phone=" "), by=None)

    assert "puhelinnumero" in str(refused.value.message_dict["customer_phone"])
    assert not CallbackRequest.objects.exists()


def test_callback_file__service_of_another_agency__refused(callback_data, vero_service):
    with pytest.raises(ValidationError) as refused:
        services.callback_file(data=callback_data(service=vero_service), by=None)

    assert "service" in refused.value.message_dict
    assert not CallbackRequest.objects.exists()


def test_callback_page__advisor_files_with_consent__deadline_shown(staff_client, point_a, kela_service):
    client = staff_client(Role.ADVISOR, point=point_a)
    url = reverse("desk:callback_new", kwargs={"slug": point_a.slug})
    data = {
        "agency": str(kela_service.agency.pk),
        "customer_name": "Matti Meikäläinen",
        "customer_phone": "040 123 4567",
        "language": "fi",
        "topic": "Asumistuki",
        "preferred_times": "",
        "consent": "on",
    }

    response = client.post(url, data, follow=True)

    filed = CallbackRequest.objects.get()
    assert filed.filed_by is not None and filed.consent_at is not None
    assert filed.due_on.strftime("%d.%m.%Y") in response.text


def test_callback_page__no_consent__translated_error_beside_the_box_and_nothing_filed(
    staff_client, point_a, kela_service
):
    client = staff_client(Role.ADVISOR, point=point_a)
    url = "/sv" + reverse("desk:callback_new", kwargs={"slug": point_a.slug})[3:]

    response = client.post(
        url,
        {
            "agency": str(kela_service.agency.pk),
            "customer_name": "Matti",
            "customer_phone": "040 123 4567",
            "language": "fi",
            "topic": "Asumistuki",
        },
    )

    assert response.status_code == 400
    assert "id_consent_error" in response.text
    assert "Utan samtycke lämnas ingen begäran." in response.text
    assert not CallbackRequest.objects.exists()


def test_callback_queue__kela_expert__never_sees_a_tax_request(
    staff_client, staff_user, point_a, kela, vero, callback_data
):
    kela_request = services.callback_file(data=callback_data(), by=None)
    tax_request = services.callback_file(data=callback_data(agency=vero, topic="Verokortti"), by=None)
    client = staff_client(Role.EXPERT, agency=kela)

    page = client.get(reverse("callbacks:queue"))
    panel = client.get(reverse("callbacks:panel"))

    assert "Asumistuen tarkistus" in page.text and "Asumistuen tarkistus" in panel.text
    assert "Verokortti" not in page.text and "Verokortti" not in panel.text
    assert client.get(reverse("callbacks:detail", kwargs={"pk": tax_request.pk})).status_code == 404
    assert client.get(reverse("callbacks:detail", kwargs={"pk": kela_request.pk})).status_code == 200
    refused = client.post(reverse("callbacks:action", kwargs={"pk": tax_request.pk}), {"action": "claim"})
    assert refused.status_code == 404
    tax_request.refresh_from_db()
    assert tax_request.state == CallbackState.OPEN


def test_callback_detail__agency_expert__sees_the_contact_and_the_view_is_audited(
    staff_client, kela, callback_data
):
    filed = services.callback_file(data=callback_data(), by=None)
    client = staff_client(Role.EXPERT, agency=kela)

    page = client.get(reverse("callbacks:detail", kwargs={"pk": filed.pk}))

    assert "040 123 4567" in page.text
    event = AuditEvent.objects.get(action=AuditAction.PERSONAL_DATA_VIEWED)
    assert event.target_id == str(filed.pk)


def test_callback_detail__coordinator_and_advisor__see_the_deadline_without_the_contact(
    staff_client, point_a, kela, callback_data
):
    filed = services.callback_file(data=callback_data(), by=None)

    for client in (
        staff_client(Role.AGENCY_COORDINATOR, agency=kela),
        staff_client(Role.ADVISOR, point=point_a),
    ):
        page = client.get(reverse("callbacks:detail", kwargs={"pk": filed.pk}))
        assert page.status_code == 200
        assert filed.due_on.strftime("%-d.%-m.%Y") in page.text
        assert "040 123 4567" not in page.text
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).exists()


def test_callback_queue__overdue_request__stands_out(staff_client, kela, callback_data):
    services.callback_file(data=callback_data(), by=None, now=timezone.now() - dt.timedelta(days=10))
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)

    page = client.get(reverse("callbacks:queue"))

    assert 'class="overdue"' in page.text
    assert "(myöhässä)" in page.text


def test_callback_flow__claim_attempts_close__one_transaction_in_the_ledger(
    staff_user, kela, callback_data, settings
):
    settings.CALLBACK_MAX_ATTEMPTS = 2
    expert = staff_user(Role.EXPERT, agency=kela)
    filed = services.callback_file(data=callback_data(), by=None)

    services.callback_claim(request=filed, by=expert)
    services.callback_attempt_log(request=filed, by=expert, note="ei vastannut")
    with pytest.raises(ValidationError):
        services.callback_close(request=filed, by=expert, outcome=CallbackOutcome.NOT_REACHED)
    assert not Transaction.objects.exists()
    services.callback_attempt_log(request=filed, by=expert)
    closed = services.callback_close(request=filed, by=expert, outcome=CallbackOutcome.NOT_REACHED)

    assert closed.state == CallbackState.CLOSED
    row = Transaction.objects.get()
    assert (row.source, row.agency, row.origin) == (TransactionSource.CALLBACK, kela, f"callback:{filed.pk}")
    with pytest.raises(ValidationError):
        services.callback_close(request=filed, by=expert, outcome=CallbackOutcome.REACHED)
    assert Transaction.objects.count() == 1


def test_callback_claim__taken_by_another_expert__refused(staff_user, kela, callback_data):
    first, second = staff_user(Role.EXPERT, agency=kela), staff_user(Role.EXPERT, agency=kela)
    filed = services.callback_file(data=callback_data(), by=None)
    services.callback_claim(request=filed, by=first)

    with pytest.raises(ValidationError):
        services.callback_claim(request=filed, by=second)

    filed.refresh_from_db()
    assert filed.claimed_by == first


def test_callback_action_page__expert_closes_reached__recorded(staff_client, kela, callback_data):
    filed = services.callback_file(data=callback_data(), by=None)
    client = staff_client(Role.EXPERT, agency=kela)
    url = reverse("callbacks:action", kwargs={"pk": filed.pk})

    client.post(url, {"action": "claim"})
    response = client.post(url, {"action": "close", "outcome": "reached"}, follow=True)

    filed.refresh_from_db()
    assert filed.state == CallbackState.CLOSED and filed.transaction is not None
    assert "kirjattiin asiointitapahtumaksi" in response.text


def test_callback_action_page__advisor__403_and_nothing_changes(staff_client, point_a, callback_data):
    filed = services.callback_file(data=callback_data(), by=None)
    client = staff_client(Role.ADVISOR, point=point_a)

    response = client.post(reverse("callbacks:action", kwargs={"pk": filed.pk}), {"action": "claim"})

    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.state == CallbackState.OPEN


def test_callback_retention__closed_long_ago__contact_removed_and_the_transaction_stays(
    staff_user, kela, callback_data, settings
):
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "callback_contact": 30}
    expert = staff_user(Role.EXPERT, agency=kela)
    old = services.callback_file(data=callback_data(), by=None)
    services.callback_close(request=old, by=expert, outcome=CallbackOutcome.REACHED)
    fresh = services.callback_file(data=callback_data(customer_name="Uusi Asiakas"), by=None)

    retention_apply(now=timezone.now() + dt.timedelta(days=31))
    retention_apply(now=timezone.now() + dt.timedelta(days=31))  # idempotent

    old.refresh_from_db()
    assert (old.customer_name, old.customer_phone, old.anonymised_at is not None) == ("", "", True)
    assert Transaction.objects.count() == 1
    fresh.refresh_from_db()
    # Filed "now", 31 days before the run: also past its period, so removed too.
    assert fresh.anonymised_at is not None
    assert selectors.callback_queue(viewer=expert)  # still counted in the queue, without the contact
