import pytest
from django.test.utils import override_settings

from asiointi.catalogue.models import Channel
from asiointi.catalogue.selectors import (
    point_services,
    points_nearest,
    points_offering_service,
)
from asiointi.core.geo import great_circle_km
from asiointi.factories import (
    AgencyFactory,
    MunicipalityFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    point_with_hours,
)


@pytest.fixture
def network(db):
    karstula = MunicipalityFactory.create(code="250", name_fi="Karstula", lat=62.8779, lon=24.7989)
    saarijarvi = MunicipalityFactory.create(code="729", name_fi="Saarijärvi", lat=62.7056, lon=25.2569)
    kyyjarvi = MunicipalityFactory.create(code="265", name_fi="Kyyjärvi", lat=63.0436, lon=24.5653)
    points = {
        "karstula": point_with_hours(municipality=karstula, slug="karstula"),
        "saarijarvi": point_with_hours(municipality=saarijarvi, slug="saarijarvi"),
        "kyyjarvi": point_with_hours(municipality=kyyjarvi, slug="kyyjarvi"),
    }
    kela = AgencyFactory.create(code="kela", name_fi="Kela")
    vero = AgencyFactory.create(code="vero", name_fi="Verohallinto")
    housing = ServiceFactory.create(agency=kela, code="asumistuki", name_fi="Yleinen asumistuki")
    child = ServiceFactory.create(agency=kela, code="lapsilisa", name_fi="Lapsilisä")
    tax_card = ServiceFactory.create(agency=vero, code="verokortti", name_fi="Verokortti")
    for slug in ("karstula", "kyyjarvi"):
        ServiceOfferingFactory.create(point=points[slug], service=housing, channel=Channel.REMOTE_MEETING)
    ServiceOfferingFactory.create(point=points["karstula"], service=housing, channel=Channel.ADVISOR_GUIDANCE)
    ServiceOfferingFactory.create(point=points["karstula"], service=child, channel=Channel.ADVISOR_GUIDANCE)
    ServiceOfferingFactory.create(point=points["karstula"], service=tax_card, channel=Channel.CALLBACK)
    return {"points": points, "kela": kela, "vero": vero, "housing": housing, "saarijarvi": saarijarvi}


@override_settings(ROAD_CIRCUITY_FACTOR=1.5)
def test_points_nearest__uses_the_circuity_factor_of_the_settings(network):
    origin = network["saarijarvi"]
    karstula = network["points"]["karstula"]

    nearest = {p.point.slug: p.km for p in points_nearest(origin=origin)}

    assert nearest["karstula"] == pytest.approx(
        great_circle_km(origin.centre_lat, origin.centre_lon, karstula.lat, karstula.lon) * 1.5
    )


def test_points_offering_service__lists_only_offering_points_nearest_first(network):
    result = points_offering_service(service=network["housing"], origin=network["saarijarvi"])

    assert [p.point.slug for p in result] == ["karstula", "kyyjarvi"]
    assert result[0].km < result[1].km
    assert result[0].channels == ["advisor_guidance", "remote_meeting"]
    assert 30 < result[0].km < 40  # about 27 km in a straight line, times 1.3


def test_points_offering_service__by_channel__leaves_out_other_channels(network):
    result = points_offering_service(
        service=network["housing"], origin=network["saarijarvi"], channel=Channel.ADVISOR_GUIDANCE
    )

    assert [p.point.slug for p in result] == ["karstula"]


def test_points_nearest__from_a_municipality_with_a_point__lists_it_first(network):
    assert [p.point.slug for p in points_nearest(origin=network["saarijarvi"])] == [
        "saarijarvi",
        "karstula",
        "kyyjarvi",
    ]


def test_point_services__groups_by_agency_and_service_in_one_query(network, django_assert_num_queries):
    with django_assert_num_queries(1):
        groups = point_services(point=network["points"]["karstula"])

    assert [g.agency.code for g in groups] == ["kela", "vero"]
    assert [(s.service.code, s.channels) for s in groups[0].services] == [
        ("lapsilisa", ["advisor_guidance"]),
        ("asumistuki", ["advisor_guidance", "remote_meeting"]),
    ]


def test_point_services__by_agency_and_channel__filters(network):
    groups = point_services(
        point=network["points"]["karstula"], agency=network["vero"], channel=Channel.CALLBACK
    )

    assert [(g.agency.code, [s.service.code for s in g.services]) for g in groups] == [
        ("vero", ["verokortti"])
    ]
