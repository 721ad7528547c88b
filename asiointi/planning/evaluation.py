"""A planning instance (demand, sites, distances) and the coverage of a network of open sites."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .data import Demand, Municipality, Sites
from .distances import CircuityDistance, DistanceSource


@dataclass(frozen=True)
class Instance:
    """Demand points, candidate sites and the road distance (km) from every point to every site."""

    demand: Demand
    sites: Sites
    km: np.ndarray
    region_names: Mapping[str, str] = field(default_factory=dict)
    municipality_names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.km.shape != (len(self.demand), len(self.sites)):
            raise ValueError(
                f"the distance matrix is {self.km.shape}, expected {(len(self.demand), len(self.sites))}"
            )

    @classmethod
    def build(
        cls,
        *,
        demand: Demand,
        sites: Sites,
        distances: DistanceSource | None = None,
        municipalities: Mapping[str, Municipality] | None = None,
    ) -> Instance:
        source = distances if distances is not None else CircuityDistance()
        km = np.asarray(source.matrix(demand, sites), dtype=float)
        ms = municipalities or {}
        return cls(
            demand=demand,
            sites=sites,
            km=km,
            region_names={m.region_code: m.region_fi for m in ms.values()},
            municipality_names={m.code: m.name_fi for m in ms.values()},
        )

    def site_mask(self, indices: Iterable[int]) -> np.ndarray:
        mask = np.zeros(len(self.sites), dtype=bool)
        for j in indices:
            if not 0 <= j < len(self.sites):
                raise IndexError(f"site index {j} is out of range")
            mask[j] = True
        return mask


@dataclass(frozen=True)
class AreaCoverage:
    """Residents of a region or a municipality, and how many of them live within the radius."""

    code: str
    name: str
    population: int
    within: int

    @property
    def beyond(self) -> int:
        return self.population - self.within

    @property
    def share(self) -> float | None:
        return self.within / self.population if self.population else None


@dataclass(frozen=True)
class SiteCatchment:
    """An open site and its catchment: the residents whose nearest open site it is."""

    index: int
    site_id: str
    name: str
    municipality: str
    population: int
    within: int
    reachable: int  # residents of the catchment that some candidate site would have within the radius

    @property
    def share(self) -> float | None:
        return self.within / self.population if self.population else None

    def meets(self, share: float) -> bool:
        """The per-catchment rule: at least ``share`` of the catchment's residents within the radius,
        counting only those that some candidate site could have within it (no network can serve the
        others better). An empty catchment passes."""
        return self.within >= share * self.reachable - 1e-9


@dataclass(frozen=True)
class Evaluation:
    radius_km: float
    population: int
    within: int
    regions: tuple[AreaCoverage, ...]
    sites: tuple[SiteCatchment, ...]
    beyond_by_municipality: tuple[AreaCoverage, ...]  # municipalities with residents beyond the radius
    nearest: np.ndarray  # index of each demand point's nearest open site (-1 when none is open)
    nearest_km: np.ndarray  # distance to it (inf when none is open)
    unreachable: int = 0  # residents beyond the radius of every candidate site

    @property
    def share(self) -> float:
        return self.within / self.population if self.population else 0.0

    @property
    def beyond(self) -> int:
        return self.population - self.within

    def sites_below(self, share: float) -> list[SiteCatchment]:
        return [s for s in self.sites if not s.meets(share)]

    def as_dict(self) -> dict[str, Any]:
        def area(a: AreaCoverage) -> dict[str, Any]:
            return {
                "code": a.code,
                "name": a.name,
                "population": a.population,
                "within": a.within,
                "beyond": a.beyond,
                "share_within": a.share,
            }

        return {
            "radius_km": self.radius_km,
            "population": self.population,
            "within": self.within,
            "share_within": self.share,
            "unreachable": self.unreachable,
            "site_count": len(self.sites),
            "sites": [
                {
                    "id": s.site_id,
                    "name": s.name,
                    "municipality": s.municipality,
                    "catchment_population": s.population,
                    "within": s.within,
                    "share_within": s.share,
                    "reachable": s.reachable,
                }
                for s in self.sites
            ],
            "regions": [area(r) for r in self.regions],
            "beyond_by_municipality": [area(m) for m in self.beyond_by_municipality],
        }


def nearest_open(km: np.ndarray, open_mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each demand point, the index of its nearest open site (lowest index on ties) and the distance."""
    n = km.shape[0]
    columns = np.flatnonzero(open_mask)
    if columns.size == 0:
        return np.full(n, -1, dtype=np.int64), np.full(n, np.inf)
    sub = km[:, columns]
    pick = np.argmin(sub, axis=1)
    return columns[pick], sub[np.arange(n), pick]


def reachable_points(
    instance: Instance, radius_km: float, candidates: np.ndarray | None = None
) -> np.ndarray:
    """Demand points within ``radius_km`` of at least one candidate site (all sites by default)."""
    km = instance.km if candidates is None else instance.km[:, candidates]
    return (km <= radius_km).any(axis=1)


def network_evaluate(
    *, instance: Instance, open_sites: Iterable[int], radius_km: float, candidates: np.ndarray | None = None
) -> Evaluation:
    """Coverage of the network whose open sites are ``open_sites`` (indices into ``instance.sites``):
    the share of residents within ``radius_km`` of a point nationally and by region, each site's
    catchment with the share of it within the radius, and the residents beyond it by municipality.
    ``candidates`` (a mask of sites, all by default) decides which residents any network could reach."""
    demand, sites = instance.demand, instance.sites
    mask = instance.site_mask(open_sites)
    nearest, nearest_km = nearest_open(instance.km, mask)
    pop = demand.population
    inside = nearest_km <= radius_km
    within_pop = np.where(inside, pop, 0)
    reachable_pop = np.where(reachable_points(instance, radius_km, candidates), pop, 0)

    def grouped(keys: tuple[str, ...], names: Mapping[str, str]) -> list[AreaCoverage]:
        totals: dict[str, list[int]] = {}
        for key, p, w in zip(keys, pop.tolist(), within_pop.tolist(), strict=True):
            t = totals.setdefault(key, [0, 0])
            t[0] += p
            t[1] += w
        return [AreaCoverage(k, names.get(k, k), t[0], t[1]) for k, t in sorted(totals.items())]

    open_idx = np.flatnonzero(mask)
    assigned = nearest >= 0
    catch_pop = np.bincount(nearest[assigned], weights=pop[assigned], minlength=len(sites))
    catch_within = np.bincount(nearest[assigned], weights=within_pop[assigned], minlength=len(sites))
    catch_reachable = np.bincount(nearest[assigned], weights=reachable_pop[assigned], minlength=len(sites))
    catchments = tuple(
        SiteCatchment(
            index=int(j),
            site_id=sites.ids[j],
            name=sites.names[j],
            municipality=sites.municipality[j],
            population=round(catch_pop[j]),
            within=round(catch_within[j]),
            reachable=round(catch_reachable[j]),
        )
        for j in open_idx
    )
    municipalities = [m for m in grouped(demand.municipality, instance.municipality_names) if m.beyond > 0]
    municipalities.sort(key=lambda m: (-m.beyond, m.code))
    return Evaluation(
        radius_km=float(radius_km),
        population=int(pop.sum()),
        within=int(within_pop.sum()),
        regions=tuple(grouped(demand.region, instance.region_names)),
        sites=catchments,
        beyond_by_municipality=tuple(municipalities),
        nearest=nearest,
        nearest_km=nearest_km,
        unreachable=int(pop.sum() - reachable_pop.sum()),
    )
