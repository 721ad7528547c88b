"""The desk's API: record, undo and counts for the point's advisors; callback requests scoped by
agency (a Kela expert never sees a Tax request) and point; bad input 422 with a translated message
and nothing changed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from asiointi.accounts.models import Role
from asiointi.desk import services
from asiointi.desk.models import CallbackRequest, CallbackState
from asiointi.ledger.models import Transaction

pytestmark = pytest.mark.django_db


def _post(client: Client, path: str, body: dict[str, Any], **extra: Any) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json", **extra)


def test_api_record__advisor__201_and_counts_follow(staff_client, point_a, kela_service):
    client = staff_client(Role.ADVISOR, point=point_a)

    made = _post(
        client,
        f"/desk/points/{point_a.pk}/transactions",
        {"service": kela_service.pk, "duration_seconds": 240},
    )
    counts = client.get(f"/api/v1/desk/points/{point_a.pk}/counts")

    assert made.status_code == 201, made.content
    assert made.json()["agency"] == "kela" and made.json()["count"] == 1
    assert counts.json()["agencies"] == [
        {"agency": "kela", "name": "Kansaneläkelaitos", "today": 1, "month": 1}
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"duration_seconds": -60}, "duration_seconds"),
        ({"duration_seconds": 13 * 3600}, "duration_seconds"),
        ({"duration_seconds": 60, "asti_type": "Nonsense"}, "asti_type"),
    ],
)
def test_api_record__bad_input__422_with_the_field_and_nothing_recorded(
    staff_client, point_a, kela_service, body, field
):
    client = staff_client(Role.ADVISOR, point=point_a)

    response = _post(
        client, f"/desk/points/{point_a.pk}/transactions?lang=en", {"service": kela_service.pk, **body}
    )

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_transaction"
    assert response.json()["errors"][0]["field"] == field
    assert not Transaction.objects.exists()


def test_api_record__service_of_another_agency__422_in_swedish(
    staff_client, point_a, kela_service, vero_service
):
    client = staff_client(Role.ADVISOR, point=point_a)

    response = _post(
        client,
        f"/desk/points/{point_a.pk}/transactions?lang=sv",
        {"service": kela_service.pk, "agency": vero_service.agency.pk, "duration_seconds": 60},
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service"
    assert not Transaction.objects.exists()


def test_api_record__another_points_advisor__404_and_nothing_recorded(
    staff_client, point_a, point_b, kela_service
):
    client = staff_client(Role.ADVISOR, point=point_b)

    response = _post(
        client,
        f"/desk/points/{point_a.pk}/transactions",
        {"service": kela_service.pk, "duration_seconds": 60},
    )

    assert response.status_code == 404
    assert not Transaction.objects.exists()


def test_api_undo__within_the_window__reversal_and_twice__422(staff_client, point_a, kela):
    client = staff_client(Role.ADVISOR, point=point_a)
    row = services.desk_transaction_record(
        point=point_a,
        agency=kela,
        asti_type="OnsiteGuidance",
        channel="advisor_guidance",
        duration_seconds=60,
        language="fi",
    )
    path = f"/desk/points/{point_a.pk}/transactions/{row.pk}/undo"

    first = _post(client, path, {})
    second = _post(client, path, {})

    assert first.status_code == 200 and first.json()["count"] == -1 and first.json()["reverses"] == row.pk
    assert second.status_code == 422
    assert Transaction.objects.count() == 2


def test_api_undo__another_points_transaction__422_and_nothing_changes(staff_client, point_a, point_b, kela):
    client = staff_client(Role.ADVISOR, point=point_a)
    row = services.desk_transaction_record(
        point=point_b,
        agency=kela,
        asti_type="OnsiteGuidance",
        channel="advisor_guidance",
        duration_seconds=60,
        language="fi",
    )

    response = _post(client, f"/desk/points/{point_a.pk}/transactions/{row.pk}/undo?lang=en", {})

    assert response.status_code == 422
    assert "another service point" in response.json()["message"]
    assert Transaction.objects.count() == 1


def _callback_body(point, agency, **changes):
    body = {
        "point": point.pk,
        "agency": agency.pk,
        "customer_name": "Matti",
        "customer_phone": "040 123 4567",
        "topic": "Asumistuki",
        "consent": True,
    }
    body.update(changes)
    return body


def test_api_callback_create__without_consent_or_phone__422_and_nothing_filed(
    staff_client, point_a, kela_service
):
    client = staff_client(Role.ADVISOR, point=point_a)
    kela = kela_service.agency

    no_consent = _post(client, "/callbacks", _callback_body(point_a, kela, consent=False))
    no_phone = _post(client, "/callbacks", _callback_body(point_a, kela, customer_phone=""))

    assert no_consent.status_code == 422 and no_consent.json()["errors"][0]["field"] == "consent"
    assert no_phone.status_code == 422 and no_phone.json()["errors"][0]["field"] == "customer_phone"
    assert not CallbackRequest.objects.exists()


def test_api_callback_create__unknown_service__422_and_nothing_filed(staff_client, point_a, kela_service):
    client = staff_client(Role.ADVISOR, point=point_a)

    response = _post(client, "/callbacks", _callback_body(point_a, kela_service.agency, service=2**40))

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "service"
    assert not CallbackRequest.objects.exists()


def test_api_callbacks__kela_expert__never_sees_a_tax_request(
    staff_client, point_a, kela_service, vero_service, callback_data
):
    kela_request = services.callback_file(data=callback_data(), by=None)
    tax_request = services.callback_file(
        data=callback_data(agency=vero_service.agency, topic="Verokortti"), by=None
    )
    expert = staff_client(Role.EXPERT, agency=kela_service.agency)

    listed = expert.get("/api/v1/callbacks")
    claim_tax = _post(expert, f"/callbacks/{tax_request.pk}/claim", {})
    claim_kela = _post(expert, f"/callbacks/{kela_request.pk}/claim", {})

    assert [item["id"] for item in listed.json()["items"]] == [kela_request.pk]
    assert listed.json()["items"][0]["customer"]["phone"] == "040 123 4567"
    assert claim_tax.status_code == 404
    tax_request.refresh_from_db()
    assert tax_request.state == CallbackState.OPEN
    assert claim_kela.status_code == 200 and claim_kela.json()["state"] == "claimed"


def test_api_callbacks__advisor_lists_the_points_requests_without_the_contact(
    staff_client, point_a, callback_data
):
    services.callback_file(data=callback_data(), by=None)
    advisor = staff_client(Role.ADVISOR, point=point_a)

    listed = advisor.get("/api/v1/callbacks")

    assert listed.status_code == 200
    assert listed.json()["items"][0]["customer"] is None
    assert listed.json()["items"][0]["due_on"]


def test_api_callbacks__attempt_and_close__transaction_recorded(staff_client, kela, callback_data, settings):
    settings.CALLBACK_MAX_ATTEMPTS = 1
    filed = services.callback_file(data=callback_data(), by=None)
    expert = staff_client(Role.EXPERT, agency=kela)

    too_soon = _post(expert, f"/callbacks/{filed.pk}/close", {"outcome": "not_reached"})
    attempt = _post(expert, f"/callbacks/{filed.pk}/attempts", {"note": "ei vastannut"})
    closed = _post(expert, f"/callbacks/{filed.pk}/close", {"outcome": "not_reached"})

    assert too_soon.status_code == 422
    assert attempt.status_code == 201 and attempt.json()["attempts"] == 1
    assert closed.status_code == 200 and closed.json()["state"] == "closed"
    assert Transaction.objects.filter(origin=f"callback:{filed.pk}").count() == 1


def test_api_callbacks__coordinator_may_read_but_not_claim(staff_client, kela, callback_data):
    filed = services.callback_file(data=callback_data(), by=None)
    coordinator = staff_client(Role.AGENCY_COORDINATOR, agency=kela)

    assert coordinator.get("/api/v1/callbacks").json()["items"][0]["customer"] is None
    assert _post(coordinator, f"/callbacks/{filed.pk}/claim", {}).status_code == 403
    filed.refresh_from_db()
    assert filed.state == CallbackState.OPEN
