"""Distances from demand points to sites, in kilometres by road.

Without an open road network, road distance is estimated as the great-circle distance times a circuity
factor (1.3 by default; see docs/planning.md for the sources). A road-network distance matrix, for example
exported from pgRouting or OSRM, replaces the estimate through :class:`CsvDistanceMatrix`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Protocol

import numpy as np

from .data import Demand, Sites

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
DEFAULT_CIRCUITY = 1.3


class DistanceSource(Protocol):
    """Anything that gives a (demand points x sites) matrix of road distances in km."""

    def matrix(self, demand: Demand, sites: Sites) -> np.ndarray: ...


def great_circle_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Haversine distance in km between every point of (lat1, lon1) and every point of (lat2, lon2)."""
    p1 = np.radians(np.asarray(lat1, dtype=float))[:, None]
    p2 = np.radians(np.asarray(lat2, dtype=float))[None, :]
    dl = (
        np.radians(np.asarray(lon2, dtype=float))[None, :]
        - np.radians(np.asarray(lon1, dtype=float))[:, None]
    )
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


class CircuityDistance:
    """Great-circle distance times a circuity factor."""

    def __init__(self, factor: float = DEFAULT_CIRCUITY) -> None:
        if not factor >= 1.0:
            raise ValueError(
                "the circuity factor must be at least 1 (a road is never shorter than a straight line)"
            )
        self.factor = float(factor)

    def matrix(self, demand: Demand, sites: Sites) -> np.ndarray:
        return great_circle_km(demand.lat, demand.lon, sites.lat, sites.lon) * self.factor

    def __repr__(self) -> str:
        return f"CircuityDistance(factor={self.factor})"


class CsvDistanceMatrix:
    """Road distances from a CSV file of ``demand_id,site_id,km`` rows (a header row is expected).

    Demand ids are postal codes and site ids are those of the candidate sites (municipality codes for
    the administrative centres). Pairs missing from the file come from ``fallback`` (the circuity
    estimate by default), or make an error when ``strict`` is true.
    """

    def __init__(
        self, path: Path | str, *, fallback: DistanceSource | None = None, strict: bool = False
    ) -> None:
        self.path = Path(path)
        self.fallback = fallback if fallback is not None else CircuityDistance()
        self.strict = strict

    def _read(self) -> dict[tuple[str, str], float]:
        pairs: dict[tuple[str, str], float] = {}
        with self.path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = [h.strip().lower() for h in next(reader, [])]
            if header[:3] != ["demand_id", "site_id", "km"]:
                raise ValueError(f"{self.path.name}: the header must be demand_id,site_id,km")
            for line, row in enumerate(reader, start=2):
                if not row:
                    continue
                try:
                    km = float(row[2])
                except (IndexError, ValueError):
                    raise ValueError(
                        f"{self.path.name}, line {line}: expected demand_id,site_id,km"
                    ) from None
                if not km >= 0:
                    raise ValueError(f"{self.path.name}, line {line}: a distance must be zero or more")
                pairs[(row[0].strip(), row[1].strip())] = km
        return pairs

    def matrix(self, demand: Demand, sites: Sites) -> np.ndarray:
        pairs = self._read()
        row_of = {d: i for i, d in enumerate(demand.ids)}
        col_of = {s: j for j, s in enumerate(sites.ids)}
        out = np.full((len(demand), len(sites)), np.nan)
        for (d, s), km in pairs.items():
            i, j = row_of.get(d), col_of.get(s)
            if i is not None and j is not None:
                out[i, j] = km
        missing = np.isnan(out)
        if missing.any():
            if self.strict:
                i, j = np.argwhere(missing)[0]
                raise ValueError(f"{self.path.name}: no distance from {demand.ids[i]} to {sites.ids[j]}")
            out[missing] = self.fallback.matrix(demand, sites)[missing]
        return out

    def __repr__(self) -> str:
        return f"CsvDistanceMatrix({self.path.name!r}, fallback={self.fallback!r})"
