"""Small builders for the network tests (the shared factories live in asiointi/factories.py)."""

from __future__ import annotations

import datetime as dt

from asiointi.network.models import Agency, Municipality, OpeningHoursRule, Region, ServicePoint


def make_municipality(
    code: str = "250", name: str = "Karstula", lat: float = 62.88, lon: float = 24.80
) -> Municipality:
    region, _ = Region.objects.get_or_create(
        code="13", defaults={"name": "Keski-Suomi", "name_fi": "Keski-Suomi"}
    )
    return Municipality.objects.create(
        code=code,
        name=name,
        name_fi=name,
        region=region,
        population=4000,
        lat=lat,
        lon=lon,
        centre_lat=lat,
        centre_lon=lon,
        area_km2=900,
        language="fi",
    )


def make_point(
    municipality: Municipality | None = None,
    slug: str = "karstula",
    weekdays=range(5),
    opens=(9, 0),
    closes=(15, 0),
) -> ServicePoint:
    municipality = municipality or make_municipality()
    point = ServicePoint.objects.create(
        slug=slug,
        name=f"{municipality.name} yhteispalvelupiste",
        name_fi=f"{municipality.name} yhteispalvelupiste",
        municipality=municipality,
        street_address="Virastotie 1",
        postal_code="43500",
        post_office="Karstula",
        lat=municipality.centre_lat,
        lon=municipality.centre_lon,
        active_from=dt.date(2014, 1, 1),
    )
    for weekday in weekdays:
        OpeningHoursRule.objects.create(
            point=point, weekday=weekday, opens=dt.time(*opens), closes=dt.time(*closes)
        )
    return point


def make_agency(code: str = "poliisi", name: str = "Poliisi") -> Agency:
    return Agency.objects.create(code=code, name=name, name_fi=name)
