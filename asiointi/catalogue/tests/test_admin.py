"""The catalogue admin through the real admin pages: agency coordinators keep their own agency's
services, point managers offer services at their own points, and nobody sees past their scope."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.factories import ServiceFactory, ServiceOfferingFactory
from asiointi.network.models import Agency, ServicePoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing_allowance(kela: Agency) -> Service:
    return ServiceFactory.create(
        agency=kela, code="asumistuki", name_fi="Asumistuki", name_sv="Bostadsbidrag"
    )


@pytest.fixture
def tax_card(vero: Agency) -> Service:
    return ServiceFactory.create(agency=vero, code="verokortti", name_fi="Verokortti", name_sv="Skattekort")


def _service_post(agency: Agency, **changes: str) -> dict[str, str]:
    data = {
        "agency": str(agency.pk),
        "code": "lapsilisa",
        "name_fi": "Lapsilisä",
        "name_sv": "Barnbidrag",
        "typical_duration_minutes": "20",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_agency_coordinator_of_kela__sees_kelas_services_but_not_veros(
    staff_client: Callable[..., Client], housing_allowance: Service, tax_card: Service
) -> None:
    client = staff_client(Role.AGENCY_COORDINATOR, agency=housing_allowance.agency)

    changelist = client.get("/fi/admin/catalogue/service/")
    other = client.get(f"/fi/admin/catalogue/service/{tax_card.pk}/change/")

    assert changelist.status_code == 200
    assert "Asumistuki" in changelist.text
    assert "Verokortti" not in changelist.text
    assert other.status_code == 404


def test_agency_coordinator__post_to_another_agencys_service__refused_and_unchanged(
    staff_client: Callable[..., Client], kela: Agency, tax_card: Service
) -> None:
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)

    response = client.post(
        f"/fi/admin/catalogue/service/{tax_card.pk}/change/",
        _service_post(tax_card.agency, code="verokortti", name_fi="Muutettu"),
    )

    assert response.status_code == 404
    tax_card.refresh_from_db()
    assert tax_card.name_fi == "Verokortti"


def test_agency_coordinator__adds_a_service_for_own_agency(
    staff_client: Callable[..., Client], kela: Agency
) -> None:
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)

    response = client.post("/fi/admin/catalogue/service/add/", _service_post(kela))

    assert response.status_code == 302
    service = Service.objects.get(code="lapsilisa")
    assert service.agency == kela
    assert (service.name_fi, service.name_sv) == ("Lapsilisä", "Barnbidrag")


def test_agency_coordinator__adding_a_service_for_another_agency__refused_and_nothing_saved(
    staff_client: Callable[..., Client], kela: Agency, vero: Agency
) -> None:
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)

    page = client.get("/fi/admin/catalogue/service/add/")
    response = client.post("/fi/admin/catalogue/service/add/", _service_post(vero))

    assert "Verohallinto" not in page.text
    assert response.status_code == 200
    assert "errornote" in response.text
    assert not Service.objects.filter(code="lapsilisa").exists()


def test_expert__views_own_agencys_services_read_only(
    staff_client: Callable[..., Client], housing_allowance: Service, tax_card: Service
) -> None:
    client = staff_client(Role.EXPERT, agency=housing_allowance.agency)

    changelist = client.get("/fi/admin/catalogue/service/")
    post = client.post(
        f"/fi/admin/catalogue/service/{housing_allowance.pk}/change/",
        _service_post(housing_allowance.agency, code="asumistuki", name_fi="Muutettu"),
    )

    assert "Asumistuki" in changelist.text
    assert "Verokortti" not in changelist.text
    assert post.status_code == 403
    housing_allowance.refresh_from_db()
    assert housing_allowance.name_fi == "Asumistuki"


def test_point_manager__offers_a_service_at_own_point(
    staff_client: Callable[..., Client], point_a: ServicePoint, housing_allowance: Service
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.post(
        "/fi/admin/catalogue/serviceoffering/add/",
        {"point": point_a.pk, "service": housing_allowance.pk, "channel": Channel.REMOTE_MEETING},
    )

    assert response.status_code == 302
    assert ServiceOffering.objects.filter(
        point=point_a, service=housing_allowance, channel=Channel.REMOTE_MEETING
    ).exists()


def test_point_manager__offering_at_another_point__refused_and_nothing_saved(
    staff_client: Callable[..., Client],
    point_a: ServicePoint,
    point_b: ServicePoint,
    housing_allowance: Service,
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.post(
        "/fi/admin/catalogue/serviceoffering/add/",
        {"point": point_b.pk, "service": housing_allowance.pk, "channel": Channel.REMOTE_MEETING},
    )

    assert response.status_code == 200
    assert "errornote" in response.text
    assert not ServiceOffering.objects.exists()


def test_offering_add__same_service_channel_twice__refused_with_message(
    staff_client: Callable[..., Client], point_a: ServicePoint, housing_allowance: Service
) -> None:
    ServiceOfferingFactory.create(point=point_a, service=housing_allowance, channel=Channel.ADVISOR_GUIDANCE)
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.post(
        "/en/admin/catalogue/serviceoffering/add/",
        {"point": point_a.pk, "service": housing_allowance.pk, "channel": Channel.ADVISOR_GUIDANCE},
    )

    assert response.status_code == 200
    assert "This service is already offered at this point through this channel." in response.text
    assert ServiceOffering.objects.count() == 1


def test_agency_coordinator__sees_offerings_of_own_services_only_read_only(
    staff_client: Callable[..., Client],
    point_a: ServicePoint,
    housing_allowance: Service,
    tax_card: Service,
) -> None:
    own = ServiceOfferingFactory.create(point=point_a, service=housing_allowance)
    other = ServiceOfferingFactory.create(point=point_a, service=tax_card)
    client = staff_client(Role.AGENCY_COORDINATOR, agency=housing_allowance.agency)

    changelist = client.get("/fi/admin/catalogue/serviceoffering/")
    delete = client.post(f"/fi/admin/catalogue/serviceoffering/{own.pk}/delete/", {"post": "yes"})

    assert "Asumistuki" in changelist.text
    assert "Verokortti" not in changelist.text
    assert client.get(f"/fi/admin/catalogue/serviceoffering/{other.pk}/change/").status_code == 404
    assert delete.status_code == 403
    assert ServiceOffering.objects.count() == 2


def test_advisor__sees_own_points_offerings_but_cannot_add(
    staff_client: Callable[..., Client],
    point_a: ServicePoint,
    point_b: ServicePoint,
    housing_allowance: Service,
) -> None:
    ServiceOfferingFactory.create(point=point_a, service=housing_allowance, notes_fi="Karstulan ohjaus")
    ServiceOfferingFactory.create(point=point_b, service=housing_allowance, notes_fi="Kivijärven ohjaus")
    client = staff_client(Role.ADVISOR, point=point_a)

    changelist = client.get("/fi/admin/catalogue/serviceoffering/")
    add = client.post(
        "/fi/admin/catalogue/serviceoffering/add/",
        {"point": point_a.pk, "service": housing_allowance.pk, "channel": Channel.CALLBACK},
    )

    assert changelist.text.count("Asumistuki") == 1
    assert add.status_code == 403
    assert ServiceOffering.objects.count() == 2
