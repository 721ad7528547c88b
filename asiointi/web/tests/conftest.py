"""Small fixtures for the public pages, thin wrappers over the factories of asiointi/factories.py: one
region, two municipalities, an agency with an office, a point with hours, a booth, a visiting schedule
and a service."""

from __future__ import annotations

import datetime as dt

import pytest

from asiointi.catalogue.models import Channel, Service
from asiointi.factories import (
    AgencyFactory,
    AgencyOfficeFactory,
    BoothFactory,
    MunicipalityFactory,
    RegionFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    ServicePointFactory,
    VisitingScheduleFactory,
    point_with_hours,
)
from asiointi.network.models import Agency, Municipality, Region, ServicePoint, Weekday


@pytest.fixture
def region(db) -> Region:
    return RegionFactory.create(
        code="02", name_fi="Varsinais-Suomi", name_sv="Egentliga Finland", name_en="Southwest Finland"
    )


def _municipality(region: Region, code: str, fi: str, sv: str, lat: float, lon: float) -> Municipality:
    return MunicipalityFactory.create(
        code=code,
        name_fi=fi,
        name_sv=sv,
        name_en=fi,
        region=region,
        population=15000,
        lat=lat,
        lon=lon,
        area_km2=800.0,
        language="fi-sv",
    )


@pytest.fixture
def parainen(region) -> Municipality:
    return _municipality(region, "445", "Parainen", "Pargas", 60.3035, 22.3010)


@pytest.fixture
def turku(region) -> Municipality:
    return _municipality(region, "853", "Turku", "Åbo", 60.4518, 22.2666)


@pytest.fixture
def agency(turku) -> Agency:
    agency: Agency = AgencyFactory.create(
        code="kela",
        name_fi="Kansaneläkelaitos",
        name_sv="Folkpensionsanstalten",
        name_en="Social Insurance Institution",
        description_fi="Kela hoitaa sosiaaliturvaa.",
        website="https://www.kela.fi/",
    )
    AgencyOfficeFactory.create(
        agency=agency, name_fi="Kela Turku", municipality=turku, street_address="Linnankatu 1"
    )
    return agency


@pytest.fixture
def point(parainen, agency) -> ServicePoint:
    point = point_with_hours(
        closes=dt.time(16),
        slug="parainen",
        name_fi="Paraisten yhteispalvelupiste",
        name_sv="Pargas samservicekontor",
        name_en="Parainen joint service point",
        municipality=parainen,
        street_address="Rantatie 28",
        postal_code="21600",
        post_office_fi="Parainen",
        post_office_sv="Pargas",
        phone="02 123 4567",
        email="asiointi@example.fi",
        languages=["fi", "sv"],
    )
    BoothFactory.create(point=point, name="Etäpiste 1", has_document_camera=True, has_printer=False)
    VisitingScheduleFactory.create(
        point=point,
        agency=agency,
        title_fi="Kelan asiantuntija paikalla",
        weekday=Weekday.TUESDAY,
        starts=dt.time(10),
        ends=dt.time(12),
        valid_from=dt.date(2020, 1, 1),
    )
    return point


@pytest.fixture
def closed_point(turku) -> ServicePoint:
    """A point that closed for good: not on the map or in the lists."""
    point: ServicePoint = ServicePointFactory.create(
        slug="vanha-piste",
        name_fi="Vanha piste",
        municipality=turku,
        street_address="Vanhatie 1",
        postal_code="20100",
        post_office_fi="Turku",
        lat=60.45,
        lon=22.27,
        active_from=dt.date(2010, 1, 1),
        active_to=dt.date(2015, 1, 1),
    )
    return point


@pytest.fixture
def service(agency, point) -> Service:
    service: Service = ServiceFactory.create(
        agency=agency,
        code="asumistuki",
        name_fi="Asumistuki",
        name_sv="Bostadsbidrag",
        name_en="Housing allowance",
        description_fi="Tukea asumismenoihin.",
        typical_duration_minutes=30,
        requires_identification=True,
    )
    ServiceOfferingFactory.create(point=point, service=service, channel=Channel.ADVISOR_GUIDANCE)
    ServiceOfferingFactory.create(point=point, service=service, channel=Channel.REMOTE_MEETING)
    return service
