"""The compensation agreements' own pages: list, create and change, scoped by role; bad input gets a
translated error beside its field and changes nothing; an agreement that statements used is ended
and new terms start as a new agreement."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel
from asiointi.ledger.models import Agreement, AgreementPrice, StatementStatus
from asiointi.ledger.services import PriceData, agreement_create, statement_approve, statement_draft
from asiointi.network.models import Agency, ServicePoint
from asiointi.web.tests.html import parse

pytestmark = pytest.mark.django_db


def _form(point: ServicePoint, agency: Agency, **changes: str) -> dict[str, str]:
    data = {
        "point": str(point.pk),
        "agency": str(agency.pk),
        "valid_from": "2025-01-01",
        "valid_to": "",
        "base_rent": "12000",
        "base_telecommunications": "1800",
        "base_equipment": "3600",
        "base_electricity": "1250",
        "base_training": "1500",
        "agency_share": "25",
        "price_OnsiteGuidance_all": "12,50",
        "price_RemoteGuidance_all": "8",
        "price_RemoteGuidance_remote_meeting": "10",
    }
    data.update(changes)
    return data


def _error_beside(response: Any, field: str) -> str:
    """The error text linked to the field ``field`` (its id_<field>_error element)."""
    found = parse(response.content).text_of("span", id=f"id_{field}_error")
    assert found, f"no error beside {field}"
    return found[0]


@pytest.fixture
def existing(point_a: ServicePoint, kela: Agency) -> Agreement:
    return agreement_create(
        point=point_a,
        agency=kela,
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2024, 12, 31),
        agency_share=Decimal("0.2"),
        base_rent=Decimal("1000"),
        prices=[PriceData("OnsiteGuidance", Decimal("10.00"))],
    )


def test_agreement_create__point_manager_of_the_point__saved_with_itemised_base_share_and_prices(
    staff_client: Any, point_a: ServicePoint, kela: Agency
) -> None:
    manager = staff_client(Role.POINT_MANAGER, point=point_a)

    response = manager.post(
        reverse("ledger:agreement_create"), _form(point_a, kela), HTTP_ACCEPT_LANGUAGE="fi"
    )

    assert response.status_code == 302
    agreement = Agreement.objects.get(point=point_a, agency=kela)
    assert agreement.valid_from == dt.date(2025, 1, 1) and agreement.valid_to is None
    assert agreement.base_yearly == Decimal("20150.00")
    assert agreement.agency_share == Decimal("0.2500")
    assert {(p.asti_type, p.channel, p.price) for p in agreement.prices.all()} == {
        ("OnsiteGuidance", "", Decimal("12.50")),
        ("RemoteGuidance", "", Decimal("8.00")),
        ("RemoteGuidance", Channel.REMOTE_MEETING, Decimal("10.00")),
    }
    listed = manager.get(reverse("ledger:agreements"))
    assert [a.pk for a in listed.context["agreements"]] == [agreement.pk]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"price_OnsiteGuidance_all": "-1"}, "price_OnsiteGuidance_all", "Hinta ei voi olla negatiivinen."),
        ({"agency_share": "120"}, "agency_share", "Viranomaisen osuuden on oltava 0–100 prosenttia."),
        ({"agency_share": "-5"}, "agency_share", "Viranomaisen osuuden on oltava 0–100 prosenttia."),
        ({"valid_to": "2024-12-31"}, "valid_to", "Sopimus ei voi päättyä ennen kuin se alkaa."),
        ({"base_rent": "-100"}, "base_rent", "Summa ei voi olla negatiivinen."),
    ],
)
def test_agreement_create__bad_input__translated_error_beside_the_field_and_nothing_written(
    staff_client: Any, point_a: ServicePoint, kela: Agency, changes: dict[str, str], field: str, message: str
) -> None:
    manager = staff_client(Role.POINT_MANAGER, point=point_a)

    response = manager.post(
        reverse("ledger:agreement_create"), _form(point_a, kela, **changes), HTTP_ACCEPT_LANGUAGE="fi"
    )

    assert response.status_code == 400
    assert _error_beside(response, field) == message
    assert not Agreement.objects.exists() and not AgreementPrice.objects.exists()


def test_agreement_create__overlapping__form_error_on_the_start_and_nothing_written(
    staff_client: Any, point_a: ServicePoint, kela: Agency, existing: Agreement
) -> None:
    manager = staff_client(Role.POINT_MANAGER, point=point_a)

    response = manager.post(
        reverse("ledger:agreement_create"),
        _form(point_a, kela, valid_from="2024-06-01"),
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    assert response.status_code == 400
    assert "on jo sopimus" in _error_beside(response, "valid_from")
    assert list(Agreement.objects.all()) == [existing]


def test_agreement_pages__manager_of_another_point__cannot_see_create_or_change_and_nothing_changes(
    staff_client: Any, point_a: ServicePoint, point_b: ServicePoint, kela: Agency, existing: Agreement
) -> None:
    other = staff_client(Role.POINT_MANAGER, point=point_b)

    assert list(other.get(reverse("ledger:agreements")).context["agreements"]) == []
    assert other.get(reverse("ledger:agreement_edit", args=[existing.pk])).status_code == 404
    changed = other.post(
        reverse("ledger:agreement_edit", args=[existing.pk]), _form(point_a, kela, agency_share="90")
    )
    assert changed.status_code == 404
    created = other.post(reverse("ledger:agreement_create"), _form(point_a, kela, valid_from="2025-01-01"))
    assert created.status_code == 400
    existing.refresh_from_db()
    assert existing.agency_share == Decimal("0.2000")
    assert list(Agreement.objects.all()) == [existing]


def test_agreement_pages__roles__coordinator_of_the_agency_and_administrator_keep_others_refused(
    staff_client: Any,
    superuser_client: Any,
    point_a: ServicePoint,
    kela: Agency,
    vero: Agency,
    existing: Agreement,
) -> None:
    coordinator = staff_client(Role.AGENCY_COORDINATOR, agency=kela)
    other_coordinator = staff_client(Role.AGENCY_COORDINATOR, agency=vero)
    edit = reverse("ledger:agreement_edit", args=[existing.pk])

    assert coordinator.get(edit).status_code == 200
    assert superuser_client.get(edit).status_code == 200
    assert other_coordinator.get(edit).status_code == 404
    for client in (
        staff_client(Role.ADVISOR, point=point_a),
        staff_client(Role.NETWORK_PLANNER),
        staff_client(Role.EXPERT, agency=kela),
    ):
        assert client.get(reverse("ledger:agreements")).status_code == 403
        assert client.post(edit, _form(point_a, kela, agency_share="90")).status_code == 403
    existing.refresh_from_db()
    assert existing.agency_share == Decimal("0.2000")


def test_agreement_edit__unused__changed_in_place(
    staff_client: Any, point_a: ServicePoint, kela: Agency, existing: Agreement
) -> None:
    manager = staff_client(Role.POINT_MANAGER, point=point_a)

    response = manager.post(
        reverse("ledger:agreement_edit", args=[existing.pk]),
        _form(point_a, kela, valid_from="2024-01-01", valid_to="2024-12-31", agency_share="30"),
    )

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.agency_share == Decimal("0.3000") and existing.base_yearly == Decimal("20150.00")
    assert Agreement.objects.count() == 1
    assert existing.prices.count() == 3


def test_agreement_edit__used_by_an_approved_statement__ended_and_new_agreement_starts(
    staff_client: Any, staff_user: Any, point_a: ServicePoint, kela: Agency, existing: Agreement
) -> None:
    march = statement_draft(point=point_a, agency=kela, month=dt.date(2024, 3, 1))
    statement_approve(statement=march, approved_by=staff_user(Role.POINT_MANAGER, point=point_a))
    manager = staff_client(Role.POINT_MANAGER, point=point_a)
    edit = reverse("ledger:agreement_edit", args=[existing.pk])

    # The new terms cannot start in (or before) the approved month: refused, nothing changes.
    refused = manager.post(edit, _form(point_a, kela, valid_from="2024-03-15"), HTTP_ACCEPT_LANGUAGE="fi")
    assert refused.status_code == 400
    assert "03/2024" in _error_beside(refused, "valid_from")
    existing.refresh_from_db()
    assert existing.valid_to == dt.date(2024, 12, 31) and Agreement.objects.count() == 1

    response = manager.post(edit, _form(point_a, kela, valid_from="2024-07-01", agency_share="30"))

    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.valid_to == dt.date(2024, 6, 30) and existing.agency_share == Decimal("0.2000")
    new = Agreement.objects.exclude(pk=existing.pk).get()
    assert (new.valid_from, new.valid_to, new.agency_share) == (dt.date(2024, 7, 1), None, Decimal("0.3000"))
    assert march.__class__.objects.get(pk=march.pk).status == StatementStatus.APPROVED
