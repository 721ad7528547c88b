"""Writes of the network app."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Sum

from .models import Municipality, MunicipalityLanguage, Region
from .selectors import PUBLIC_PAGES_VERSION_KEY

# English names of the regions; the open data gives Finnish and Swedish.
REGION_NAMES_EN = {
    "01": "Uusimaa",
    "02": "Southwest Finland",
    "04": "Satakunta",
    "05": "Kanta-Häme",
    "06": "Pirkanmaa",
    "07": "Päijät-Häme",
    "08": "Kymenlaakso",
    "09": "South Karelia",
    "10": "South Savo",
    "11": "North Savo",
    "12": "North Karelia",
    "13": "Central Finland",
    "14": "South Ostrobothnia",
    "15": "Ostrobothnia",
    "16": "Central Ostrobothnia",
    "17": "North Ostrobothnia",
    "18": "Kainuu",
    "19": "Lapland",
    "21": "Åland",
}

LANGUAGE_BY_TEXT = {
    "Monolingual Finnish-speaking municipality": MunicipalityLanguage.FINNISH,
    "Monolingual Swedish-speaking municipality": MunicipalityLanguage.SWEDISH,
    "Bilingual municipality with Finnish-speaking majority": MunicipalityLanguage.BILINGUAL_FINNISH_MAJORITY,
    "Bilingual municipality with Swedish-speaking majority": MunicipalityLanguage.BILINGUAL_SWEDISH_MAJORITY,
}


@dataclass(frozen=True)
class GeoImportResult:
    regions_created: int
    regions_updated: int
    municipalities_created: int
    municipalities_updated: int
    municipalities_total: int
    population_total: int


def _optional_int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


@transaction.atomic
def geo_import(*, rows: Iterable[Mapping[str, str]]) -> GeoImportResult:
    """Create or update regions and municipalities from rows of fi_municipalities_2025.csv.

    Matching is by code, so running it again changes nothing and creates no duplicates.
    """
    rows = list(rows)
    regions = {r.code: r for r in Region.objects.all()}
    regions_created = regions_updated = 0
    for code, name_fi, name_sv in sorted({(r["region_code"], r["region_fi"], r["region_sv"]) for r in rows}):
        wanted = {"name_fi": name_fi, "name_sv": name_sv, "name_en": REGION_NAMES_EN.get(code, name_fi)}
        region = regions.get(code)
        if region is None:
            regions[code] = Region.objects.create(code=code, name=name_fi, **wanted)
            regions_created += 1
        elif any(getattr(region, k) != v for k, v in wanted.items()):
            for k, v in wanted.items():
                setattr(region, k, v)
            region.save(update_fields=[*wanted, "name"])
            regions_updated += 1

    existing = {m.code: m for m in Municipality.objects.all()}
    created = updated = 0
    for row in rows:
        values = {
            "name_fi": row["name_fi"],
            "name_sv": row["name_sv"] or row["name_fi"],
            "name_en": row["name_fi"],
            "region": regions[row["region_code"]],
            "population": int(row["population"]),
            "population_2020": _optional_int(row["pop_2020"]),
            "lat": float(row["lat"]),
            "lon": float(row["lon"]),
            "centre_lat": float(row["centre_lat"]),
            "centre_lon": float(row["centre_lon"]),
            "area_km2": float(row["area_km2"]),
            "language": LANGUAGE_BY_TEXT[row["language"]],
            "subregion_code": row["subregion_code"],
            "subregion_name": row["subregion_fi"],
            "wellbeing_county_code": row["wellbeing_county_code"],
            "wellbeing_county_name": row["wellbeing_county_fi"],
            "employment_area_code": row["employment_area_code"],
            "employment_area_name": row["employment_area_fi"],
            "urban_rural_class": row["urban_rural_class"],
        }
        municipality = existing.get(row["code"])
        if municipality is None:
            Municipality.objects.create(code=row["code"], name=row["name_fi"], **values)
            created += 1
            continue
        changed = [k for k, v in values.items() if getattr(municipality, k) != v]
        if changed:
            for k in changed:
                setattr(municipality, k, values[k])
            municipality.save(update_fields=changed)
            updated += 1
    total = Municipality.objects.count()
    population = Municipality.objects.aggregate(total=Sum("population"))["total"] or 0
    public_pages_changed()
    return GeoImportResult(regions_created, regions_updated, created, updated, total, population)


def public_pages_changed() -> None:
    """The data that the public pages show (points, their hours, visiting days and booths,
    agencies, municipalities, services and where they are offered) has changed: the cached public
    pages are renewed in every web process that shares the cache, after commit."""
    transaction.on_commit(
        lambda: cache.set(PUBLIC_PAGES_VERSION_KEY, secrets.token_hex(8), timeout=None), robust=True
    )
