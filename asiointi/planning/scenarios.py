"""Planning scenarios as one call: what the ``plan`` command and a background task run.

No Django here and no demo data: existing points come in as :class:`~asiointi.planning.data.Sites` from
the caller (the command reads them from the database or from a registered :class:`NetworkSource`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .data import (
    DATA_DIR,
    Sites,
    load_demand,
    load_municipalities,
    municipal_centres,
    parse_coordinates,
)
from .distances import DEFAULT_CIRCUITY, CircuityDistance, CsvDistanceMatrix, DistanceSource
from .evaluation import Instance, network_evaluate
from .optimisation import (
    PlanningError,
    ProgressCallback,
    Solution,
    network_best_of_size,
    network_best_of_size_greedy,
    network_minimise,
    network_minimise_greedy,
)
from .profiles import ProfileCoverage, coverage_by_profile, full_points_minimise


@dataclass(frozen=True)
class Scenario:
    """What a planner asks. Sites are named by id: a municipality code for its administrative centre,
    the id of an existing point, or ``lat,lon`` for any coordinates."""

    mode: Literal["evaluate", "minimise", "best", "full"]
    radius_km: float = 40.0
    share: float | None = None  # minimise: share of residents within the radius
    per_region: bool = False
    catchment_share: float | None = None  # the per-catchment rule (0.9 in the 2014 plan)
    count: int | None = None  # best: the network size
    sites: tuple[str, ...] = ()  # evaluate: the network; optimise: sites kept open
    excluded_municipalities: tuple[str, ...] = ()  # optimise: no new site in these municipalities
    circuity: float = DEFAULT_CIRCUITY
    distance_csv: Path | None = None
    time_limit: float | None = None
    greedy: bool = True  # optimise: also run the greedy heuristic for comparison
    # The profile level of sites by id (today's points), and the profiles as (level, code); a site
    # without a level counts as a full point (the highest level). With profiles, the result reports
    # coverage by profile; the mode "full" asks for the fewest new full points that lift the share
    # of residents within the radius of a full point to ``share``, today's points kept.
    site_levels: tuple[tuple[str, int], ...] = ()
    profiles: tuple[tuple[int, str], ...] = ()

    def __post_init__(self) -> None:
        if self.mode == "best" and not self.count:
            raise PlanningError("Give the network size for the best network of a given size.")
        if self.mode == "minimise" and self.share is None and self.catchment_share is None:
            raise PlanningError("Give a share of residents to reach, a per-catchment share, or both.")
        if self.mode == "evaluate" and not self.sites:
            raise PlanningError("Give the sites of the network to evaluate.")
        if self.mode == "full" and (self.share is None or not self.profiles):
            raise PlanningError("Give the share of residents to reach within the distance of a full point.")


@dataclass
class Result:
    instance: Instance
    scenario: Scenario
    open_sites: tuple[int, ...]
    solution: Solution | None = None
    greedy: Solution | None = None
    seconds: dict[str, float] = field(default_factory=dict)

    def evaluation(self) -> Any:
        return network_evaluate(
            instance=self.instance, open_sites=self.open_sites, radius_km=self.scenario.radius_km
        )

    def profile_coverage(self) -> list[ProfileCoverage]:
        """Coverage by profile of the result's network (none without profiles)."""
        if not self.scenario.profiles or not self.open_sites:
            return []
        ids = set(self.instance.sites.ids)
        levels = {self.instance.sites.index(s): lvl for s, lvl in self.scenario.site_levels if s in ids}
        return coverage_by_profile(
            instance=self.instance,
            open_sites=self.open_sites,
            site_levels=levels,
            profiles=self.scenario.profiles,
            radius_km=self.scenario.radius_km,
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": {
                "mode": self.scenario.mode,
                "radius_km": self.scenario.radius_km,
                "share": self.scenario.share,
                "per_region": self.scenario.per_region,
                "catchment_share": self.scenario.catchment_share,
                "count": self.scenario.count,
                "circuity": self.scenario.circuity,
                "distances": "csv" if self.scenario.distance_csv else "circuity",
            },
            "evaluation": self.evaluation().as_dict() if self.open_sites else None,
        }
        coverage = self.profile_coverage()
        if coverage:
            out["profiles"] = [c.as_dict() for c in coverage]
        if self.solution is not None:
            out["solution"] = self.solution.as_dict(self.instance)
            if "new" in self.solution.details:
                out["solution"]["new_sites"] = [
                    self.instance.sites.ids[j] for j in self.solution.details["new"]
                ]
        if self.greedy is not None:
            out["greedy"] = self.greedy.as_dict(self.instance)
        return out


def instance_build(
    *,
    existing: Sites | None = None,
    extra: Sequence[str] = (),
    circuity: float = DEFAULT_CIRCUITY,
    distance_csv: Path | None = None,
    data_dir: Path = DATA_DIR,
) -> Instance:
    """Demand points and candidate sites of the shipped data: the municipal administrative centres,
    then the existing points, then any ``lat,lon`` given in ``extra``."""
    municipalities = load_municipalities(data_dir)
    sites = municipal_centres(municipalities)
    if existing is not None and len(existing):
        sites = sites.extended(existing)
    coords = [c for c in dict.fromkeys(extra) if c not in sites.ids]
    if coords:
        pairs = [parse_coordinates(c) for c in coords]
        sites = sites.extended(
            Sites.build(ids=coords, names=coords, lat=[p[0] for p in pairs], lon=[p[1] for p in pairs])
        )
    distances: DistanceSource = CircuityDistance(circuity)
    if distance_csv is not None:
        distances = CsvDistanceMatrix(distance_csv, fallback=distances)
    return Instance.build(
        demand=load_demand(data_dir), sites=sites, distances=distances, municipalities=municipalities
    )


def scenario_run(
    *,
    scenario: Scenario,
    existing: Sites | None = None,
    data_dir: Path = DATA_DIR,
    on_step: Callable[[str], None] | None = None,
    on_progress: ProgressCallback | None = None,
) -> Result:
    """Build the instance, then evaluate the given network or optimise; ``on_step`` hears each step's name
    ("distances", "optimal", "greedy") as it starts."""
    import time

    def step(name: str) -> None:
        if on_step is not None:
            on_step(name)

    seconds: dict[str, float] = {}
    step("distances")
    t = time.perf_counter()
    coords = [s for s in scenario.sites if "," in s]
    instance = instance_build(
        existing=existing,
        extra=coords,
        circuity=scenario.circuity,
        distance_csv=scenario.distance_csv,
        data_dir=data_dir,
    )
    seconds["distances"] = time.perf_counter() - t
    try:
        chosen = tuple(instance.sites.index(s) for s in dict.fromkeys(scenario.sites))
    except KeyError as error:
        raise PlanningError(f"Unknown site: {error.args[0]}") from None
    if scenario.mode == "evaluate":
        return Result(instance, scenario, tuple(sorted(chosen)), seconds=seconds)

    excluded = [j for j in instance.sites.indices_in(scenario.excluded_municipalities) if j not in chosen]
    if scenario.mode == "full":
        step("optimal")
        fullest = max(level for level, _code in scenario.profiles)
        levels = dict(scenario.site_levels)
        full = [j for j in chosen if levels.get(instance.sites.ids[j], fullest) >= fullest]
        solution = full_points_minimise(
            instance=instance,
            full_sites=full,
            radius_km=scenario.radius_km,
            share=scenario.share or 0.0,
            per_region=scenario.per_region,
            candidates=[j for j in range(len(instance.sites)) if j not in set(excluded)],
            time_limit=scenario.time_limit,
        )
        seconds["optimal"] = solution.seconds
        network = tuple(sorted(set(chosen) | set(solution.open_sites))) if solution.found else ()
        return Result(instance, scenario, network, solution=solution, seconds=seconds)
    common: dict[str, Any] = {"instance": instance, "radius_km": scenario.radius_km, "fixed": chosen}
    common["excluded"] = excluded
    greedy: Solution | None = None
    step("optimal")
    if scenario.mode == "minimise":
        solution = network_minimise(
            **common,
            share=scenario.share,
            per_region=scenario.per_region,
            catchment_share=scenario.catchment_share,
            time_limit=scenario.time_limit,
            on_progress=on_progress,
        )
        if scenario.greedy:
            step("greedy")
            greedy = network_minimise_greedy(
                **common,
                share=scenario.share,
                per_region=scenario.per_region,
                catchment_share=scenario.catchment_share,
            )
    else:
        count = scenario.count or 0  # Scenario refuses a best-of-size scenario without a count
        solution = network_best_of_size(
            **common,
            count=count,
            catchment_share=scenario.catchment_share,
            time_limit=scenario.time_limit,
            on_progress=on_progress,
        )
        if scenario.greedy and scenario.catchment_share is None:
            step("greedy")
            greedy = network_best_of_size_greedy(**common, count=count)
    seconds["optimal"] = solution.seconds
    if greedy is not None:
        seconds["greedy"] = greedy.seconds
    return Result(instance, scenario, solution.open_sites, solution=solution, greedy=greedy, seconds=seconds)


@dataclass(frozen=True)
class NetworkSource:
    """Where the ``plan`` command finds an existing network by name: its sites, and the municipalities
    where agencies have their own offices (``--exclude-offices``). The planner knows no network of its own:
    callers register theirs (the demo app registers ``demo``; the command reads ``db`` itself)."""

    sites: Callable[[], Sites | None]
    office_municipalities: Callable[[], tuple[str, ...]] = tuple


NETWORK_SOURCES: dict[str, NetworkSource] = {}


def network_source_register(*, name: str, source: NetworkSource) -> None:
    """Offer ``source`` to the ``plan`` command under ``name``; registering a name again replaces it."""
    NETWORK_SOURCES[name] = source
