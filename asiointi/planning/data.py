"""Demand points and candidate sites from the shipped open data (``data/geo``), without Django.

Demand points are the postal-code areas with their population (a point inside each area); candidate
sites are the municipal administrative centres, plus any coordinates a planner gives.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "geo"
MUNICIPALITIES_CSV = "fi_municipalities_2025.csv"
POSTAL_AREAS_CSV = "fi_postal_areas_pop2022.csv"
BOUNDARIES_GEOJSON = "fi_municipalities_2025.geojson"


def gettext_noop(text: str) -> str:
    """Marks ``text`` for the product's translation catalogue (``makemessages`` finds it by this name,
    as Django's own); the library keeps the English words and the web app translates them."""
    return text


ATTRIBUTION = gettext_noop(
    "Contains data from Statistics Finland, THL and the National Land Survey of Finland (CC BY 4.0)."
)


def _located(
    ids: Sequence[str], lat: Sequence[float], lon: Sequence[float]
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Ids and coordinates as the columns of :class:`Demand` and :class:`Sites` hold them."""
    return tuple(ids), np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)


def _codes(codes: Sequence[str] | None, ids: Sequence[str]) -> tuple[str, ...]:
    """A column of codes, one per id ("" for each when not given)."""
    return tuple(codes) if codes is not None else ("",) * len(ids)


@dataclass(frozen=True)
class Municipality:
    code: str
    name_fi: str
    name_sv: str
    population: int
    region_code: str
    region_fi: str
    region_sv: str
    centre_lat: float
    centre_lon: float


@dataclass(frozen=True)
class Demand:
    """Demand points: one row per place where residents live, with their count."""

    ids: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    population: np.ndarray  # int64
    municipality: tuple[str, ...]  # municipality code of each point
    region: tuple[str, ...]  # region code of each point

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("lat", "lon", "population"):
            if len(getattr(self, name)) != n:
                raise ValueError(f"demand column {name} has {len(getattr(self, name))} rows, expected {n}")
        if len(self.municipality) != n or len(self.region) != n:
            raise ValueError("demand municipality and region columns must have one entry per point")
        if n and int(self.population.min()) < 0:
            raise ValueError("a demand point cannot have a negative population")

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def total(self) -> int:
        return int(self.population.sum())

    @classmethod
    def build(
        cls,
        *,
        ids: Sequence[str],
        lat: Sequence[float],
        lon: Sequence[float],
        population: Sequence[int],
        municipality: Sequence[str] | None = None,
        region: Sequence[str] | None = None,
    ) -> Demand:
        ids_t, lat_a, lon_a = _located(ids, lat, lon)
        return cls(
            ids_t,
            lat_a,
            lon_a,
            np.asarray(population, dtype=np.int64),
            _codes(municipality, ids),
            _codes(region, ids),
        )


@dataclass(frozen=True)
class Sites:
    """Candidate sites of service points."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    municipality: tuple[str, ...]  # code of the municipality the site is in, "" if unknown

    def __post_init__(self) -> None:
        n = len(self.ids)
        if len(set(self.ids)) != n:
            raise ValueError("site ids must be unique")
        if len(self.names) != n or len(self.lat) != n or len(self.lon) != n or len(self.municipality) != n:
            raise ValueError("every site column must have one entry per site")

    def __len__(self) -> int:
        return len(self.ids)

    def index(self, site_id: str) -> int:
        try:
            return self.ids.index(site_id)
        except ValueError:
            raise KeyError(f"no candidate site {site_id!r}") from None

    def indices_in(self, municipalities: Iterable[str]) -> list[int]:
        wanted = set(municipalities)
        return [j for j, code in enumerate(self.municipality) if code in wanted]

    @classmethod
    def build(
        cls,
        *,
        ids: Sequence[str],
        lat: Sequence[float],
        lon: Sequence[float],
        names: Sequence[str] | None = None,
        municipality: Sequence[str] | None = None,
    ) -> Sites:
        ids_t, lat_a, lon_a = _located(ids, lat, lon)
        return cls(
            ids_t, tuple(names) if names is not None else ids_t, lat_a, lon_a, _codes(municipality, ids)
        )

    def extended(self, extra: Sites) -> Sites:
        """These sites followed by ``extra`` (ids must stay unique)."""
        return Sites(
            ids=self.ids + extra.ids,
            names=self.names + extra.names,
            lat=np.concatenate([self.lat, extra.lat]),
            lon=np.concatenate([self.lon, extra.lon]),
            municipality=self.municipality + extra.municipality,
        )


def load_municipalities(data_dir: Path = DATA_DIR) -> dict[str, Municipality]:
    """The municipalities by code, in the file's order."""
    with (data_dir / MUNICIPALITIES_CSV).open(encoding="utf-8", newline="") as f:
        return {
            row["code"]: Municipality(
                code=row["code"],
                name_fi=row["name_fi"],
                name_sv=row["name_sv"],
                population=int(row["population"]),
                region_code=row["region_code"],
                region_fi=row["region_fi"],
                region_sv=row["region_sv"],
                centre_lat=float(row["centre_lat"]),
                centre_lon=float(row["centre_lon"]),
            )
            for row in csv.DictReader(f)
        }


def load_demand(data_dir: Path = DATA_DIR, *, drop_empty: bool = True) -> Demand:
    """The postal-code areas as demand points (their inside point), with the region of their municipality.

    Areas without residents are left out unless ``drop_empty`` is false; the total stays the same."""
    municipalities = load_municipalities(data_dir)
    ids: list[str] = []
    lat: list[float] = []
    lon: list[float] = []
    population: list[int] = []
    codes: list[str] = []
    with (data_dir / POSTAL_AREAS_CSV).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            residents = int(row["population_2022"])
            if drop_empty and residents == 0:
                continue
            ids.append(row["postal_code"])
            lat.append(float(row["rep_lat"]))
            lon.append(float(row["rep_lon"]))
            population.append(residents)
            codes.append(row["municipality_code"])
    return Demand.build(
        ids=ids,
        lat=lat,
        lon=lon,
        population=population,
        municipality=codes,
        region=[municipalities[c].region_code for c in codes],
    )


def municipal_centres(municipalities: dict[str, Municipality]) -> Sites:
    """One candidate site per municipality, at its administrative centre; the id is the municipality code."""
    ms = list(municipalities.values())
    return Sites.build(
        ids=[m.code for m in ms],
        names=[m.name_fi for m in ms],
        lat=[m.centre_lat for m in ms],
        lon=[m.centre_lon for m in ms],
        municipality=[m.code for m in ms],
    )


def parse_coordinates(text: str) -> tuple[float, float]:
    """``"62.9,23.8"`` (latitude, longitude in WGS84) as a pair of floats, checked to lie in Finland's box."""
    parts = [p.strip() for p in text.replace(";", ",").split(",")]
    if len(parts) != 2:
        raise ValueError(f"coordinates must be 'latitude,longitude', not {text!r}")
    lat, lon = float(parts[0]), float(parts[1])
    if not (math.isfinite(lat) and math.isfinite(lon) and 59.0 <= lat <= 70.5 and 19.0 <= lon <= 32.0):
        raise ValueError(f"coordinates {text!r} are not in Finland")
    return lat, lon
