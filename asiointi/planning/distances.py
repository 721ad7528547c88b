"""Distances from demand points to sites, in kilometres by road.

Without an open road network, road distance is estimated as the great-circle distance times a circuity
factor (1.3 by default; see docs/planning.md for the sources), by ``asiointi.core.geo.road_km``, the one
estimate the public pages use too. A road-network distance matrix, for example
exported from pgRouting or OSRM, replaces the estimate through :class:`CsvDistanceMatrix`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Protocol

import numpy as np

from asiointi.core.geo import DEFAULT_CIRCUITY, road_km

from .data import Demand, Sites


class DistanceSource(Protocol):
    """Anything that gives a (demand points x sites) matrix of road distances in km."""

    def matrix(self, demand: Demand, sites: Sites) -> np.ndarray: ...


class CircuityDistance:
    """Great-circle distance times a circuity factor."""

    def __init__(self, factor: float = DEFAULT_CIRCUITY) -> None:
        if not factor >= 1.0:
            raise ValueError(
                "the circuity factor must be at least 1 (a road is never shorter than a straight line)"
            )
        self.factor = float(factor)

    def matrix(self, demand: Demand, sites: Sites) -> np.ndarray:
        return road_km(
            demand.lat[:, None],
            demand.lon[:, None],
            sites.lat[None, :],
            sites.lon[None, :],
            circuity=self.factor,
        )

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
