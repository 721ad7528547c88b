"""Point profiles on the pages and in the API: the public page of a point against its profile, the
staff's list of points with gaps, and the API's gaps."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel
from asiointi.catalogue.services import point_profile_create, point_profile_set
from asiointi.factories import (
    AgencyFactory,
    MunicipalityFactory,
    RegionFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    point_with_hours,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(db):
    cache.clear()
    kela = AgencyFactory.create(code="kela", name_fi="Kela", name_sv="FPA", name_en="Kela")
    vero = AgencyFactory.create(code="vero", name_fi="Verohallinto", name_sv="Skatteförvaltningen")
    profile = point_profile_create(
        code="digital",
        level=1,
        names={"fi": "Digitukipiste", "sv": "Digistödsställe", "en": "Digital support point"},
        requirements=[(kela, ["advisor_guidance"]), (vero, ["advisor_guidance"])],
    )
    north = RegionFactory.create(code="17", name_fi="Pohjois-Pohjanmaa")
    central = RegionFactory.create(code="13", name_fi="Keski-Suomi")
    lacking = point_with_hours(
        slug="oulu", name_fi="Oulun piste", municipality=MunicipalityFactory.create(code="564", region=north)
    )
    whole = point_with_hours(
        slug="karstula",
        name_fi="Karstulan piste",
        municipality=MunicipalityFactory.create(code="226", region=central),
    )
    for point in (lacking, whole):
        point_profile_set(point=point, profile=profile)
        ServiceOfferingFactory.create(
            point=point, service=ServiceFactory.create(agency=kela), channel=Channel.ADVISOR_GUIDANCE
        )
    ServiceOfferingFactory.create(
        point=whole, service=ServiceFactory.create(agency=vero), channel=Channel.ADVISOR_GUIDANCE
    )
    return {"lacking": lacking, "whole": whole, "profile": profile, "vero": vero, "kela": kela}


def test_point_page__lacking_one_requirement__says_what_it_offers_against_its_profile(client, network):
    page = client.get("/fi/points/oulu/").content.decode()
    assert "Tämän palvelupisteen profiili on ”Digitukipiste”." in page
    assert "Palvelupisteestä puuttuu 1 asia, jonka sen profiili edellyttää." in page
    assert "Ei tarjolla" in page

    whole = client.get("/en/points/karstula/").content.decode()
    assert "The point offers everything that its profile requires." in whole


def test_point_page__cached__a_new_offering_closes_the_gap_at_once(
    client, network, django_capture_on_commit_callbacks
):
    assert "Ei tarjolla" in client.get("/fi/points/oulu/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ServiceOfferingFactory.create(
            point=network["lacking"],
            service=ServiceFactory.create(agency=network["vero"]),
            channel=Channel.ADVISOR_GUIDANCE,
        )
    assert "Ei tarjolla" not in client.get("/fi/points/oulu/").content.decode()


def test_gaps_page__planner__every_region_and_one_region(staff_client, network):
    planner = staff_client(Role.NETWORK_PLANNER)
    page = planner.get("/fi/staff/gaps/").content.decode()
    assert "Oulun piste" in page and "Karstulan piste" not in page
    assert "Profiili ”Digitukipiste”: 1 puute." in page

    central = planner.get("/fi/staff/gaps/?region=13").content.decode()
    assert "Oulun piste" not in central
    assert "Yhdelläkään palvelupisteellä ei ole puutteita profiiliinsa nähden." in central


def test_gaps_page__unknown_region__400_with_a_finnish_error(staff_client, network):
    response = staff_client(Role.NETWORK_PLANNER).get("/fi/staff/gaps/?region=99")
    assert response.status_code == 400
    assert "Valitse maakunta luettelosta." in response.content.decode()


def test_gaps_page__point_manager__only_their_own_points(staff_client, network):
    own = staff_client(Role.POINT_MANAGER, point=network["whole"]).get("/fi/staff/gaps/").content.decode()
    assert "Oulun piste" not in own
    other = staff_client(Role.POINT_MANAGER, point=network["lacking"]).get("/fi/staff/gaps/")
    assert "Oulun piste" in other.content.decode()


def test_gaps_page__advisor__403(staff_client, network):
    assert staff_client(Role.ADVISOR, point=network["lacking"]).get("/fi/staff/gaps/").status_code == 403


def test_api_point_gaps__lists_requirements_and_the_one_not_met(client, network):
    body = client.get("/api/v1/points/oulu/gaps").json()
    assert body["profile"]["code"] == "digital"
    assert body["has_gaps"] is True
    assert [(r["agency"]["code"], r["channels"], r["met"]) for r in body["requirements"]] == [
        ("kela", ["advisor_guidance"], True),
        ("vero", ["advisor_guidance"], False),
    ]


def test_api_gap_list__by_region(client, network):
    everyone = client.get("/api/v1/gaps").json()
    assert [item["point"] for item in everyone["items"]] == ["oulu"]
    assert client.get("/api/v1/gaps?region=13").json()["items"] == []
    assert client.get("/api/v1/gaps?region=x").status_code == 422
