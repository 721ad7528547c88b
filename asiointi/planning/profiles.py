"""Coverage by point profile, and the fewest new full points, without Django.

Each open site has a profile level (the fuller the profile, the higher; the full joint service point
is the highest). A resident is covered at level L when a site of level L or higher is within the
radius: so the planner reads e.g. "92 % within 40 km of any point, 71 % of a full point"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluation import AreaCoverage, Instance
from .optimisation import PlanningError, Solution, network_minimise

#: The level of "any point", below every profile.
ANY_POINT = 0


@dataclass(frozen=True)
class ProfileCoverage:
    """Residents within the radius of an open site of ``level`` or a fuller one (``level`` 0: of any
    open site), nationally and by region."""

    level: int
    code: str
    population: int
    within: int
    regions: tuple[AreaCoverage, ...]

    @property
    def share(self) -> float:
        return self.within / self.population if self.population else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "code": self.code,
            "population": self.population,
            "within": self.within,
            "share_within": self.share,
            "regions": [
                {
                    "code": r.code,
                    "name": r.name,
                    "population": r.population,
                    "within": r.within,
                    "share_within": r.share,
                }
                for r in self.regions
            ],
        }


def coverage_by_profile(
    *,
    instance: Instance,
    open_sites: Iterable[int],
    site_levels: Mapping[int, int],
    profiles: Sequence[tuple[int, str]],
    radius_km: float,
    default_level: int | None = None,
) -> list[ProfileCoverage]:
    """For "any point" and then each profile (``(level, code)``, any order), the residents within
    ``radius_km`` of an open site of that level or higher. ``site_levels`` gives the level of open
    sites by index; a site without one has ``default_level`` (the fullest profile's by default: a new
    site is a full point)."""
    if not radius_km > 0:
        raise PlanningError("The radius must be more than 0 km.")
    ordered = sorted(profiles)
    fullest = default_level if default_level is not None else (ordered[-1][0] if ordered else ANY_POINT)
    sites = sorted(set(open_sites))
    instance.site_mask(sites)  # range check
    levels = np.array([site_levels.get(j, fullest) for j in sites], dtype=np.int64)
    near = instance.km[:, sites] <= radius_km if sites else np.zeros((len(instance.demand), 0), dtype=bool)
    pop = instance.demand.population
    region_keys = instance.demand.region
    out = []
    for level, code in [(ANY_POINT, ""), *ordered]:
        covered = near[:, levels >= level].any(axis=1)
        within_pop = np.where(covered, pop, 0)
        totals: dict[str, list[int]] = {}
        for key, p, w in zip(region_keys, pop.tolist(), within_pop.tolist(), strict=True):
            t = totals.setdefault(key, [0, 0])
            t[0] += p
            t[1] += w
        regions = tuple(
            AreaCoverage(k, instance.region_names.get(k, k), t[0], t[1]) for k, t in sorted(totals.items())
        )
        out.append(ProfileCoverage(level, code, int(pop.sum()), int(within_pop.sum()), regions))
    return out


def full_points_minimise(
    *,
    instance: Instance,
    full_sites: Iterable[int],
    radius_km: float,
    share: float,
    per_region: bool = False,
    candidates: Iterable[int] | None = None,
    time_limit: float | None = None,
) -> Solution:
    """The fewest new full points that, with today's full points (``full_sites``, kept), put at least
    ``share`` of residents (in every region with ``per_region``) within ``radius_km`` of a full point.
    New ones are chosen among ``candidates`` (every other site by default: a municipality's centre,
    or today's point of a lesser profile made full). The solution's ``open_sites`` are the full
    points after the change; ``details["new"]`` the new ones."""
    if not 0 < share <= 1:
        raise PlanningError("The share must be more than 0 and at most 1.")
    full = tuple(sorted(set(full_sites)))
    allowed = set(range(len(instance.sites))) if candidates is None else set(candidates) | set(full)
    excluded = tuple(j for j in range(len(instance.sites)) if j not in allowed)
    solution = network_minimise(
        instance=instance,
        radius_km=radius_km,
        share=share,
        per_region=per_region,
        fixed=full,
        excluded=excluded,
        time_limit=time_limit,
    )
    solution.details["new"] = [j for j in solution.open_sites if j not in full]
    return solution
