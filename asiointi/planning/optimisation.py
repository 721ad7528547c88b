"""The smallest network that meets a coverage rule, and the best network of a given size.

Exact models are mixed-integer programmes solved to proven optimality with HiGHS; a greedy heuristic
beside them gives a quick answer to compare against.

Rules a network can be asked to meet (any combination):

- ``share``: at least this share of residents within ``radius_km`` of an open site, nationally or,
  with ``per_region``, in every region;
- ``catchment_share``: in the catchment of every open site (the residents whose nearest open site it is),
  at least this share within ``radius_km`` (the rule of the 2014 government plan).

Sites can be kept open (``fixed``) or left out (``excluded``, e.g. the sites in municipalities where an
agency already has its own office).
"""

from __future__ import annotations

import dataclasses
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np
from scipy import sparse

from .evaluation import Instance, nearest_open, network_evaluate, reachable_points

ProgressCallback = Callable[[dict[str, float]], None]

# The per-catchment model assigns each demand point to its nearest open site among its candidate list:
# the sites within the radius and at least this many of the nearest sites. A point whose whole list is
# closed is beyond the radius of its nearest open site, but which site that is the model does not know:
# its residents count only in the sum of all catchments' rules. That makes the model a relaxation; when
# its optimum breaks the rule, those points get lists twice as long and the model is solved again.
CATCHMENT_NEIGHBOURS = 10


class PlanningError(ValueError):
    """The scenario asks for something impossible or contradictory."""


@dataclass(frozen=True)
class Solution:
    method: str  # "optimal" (HiGHS) or "greedy"
    status: str  # "optimal", "time_limit" (with the best network found), "feasible" (greedy), "infeasible"
    open_sites: tuple[int, ...]
    objective: float | None  # site count, or residents within the radius for a network of given size
    bound: float | None = None  # HiGHS's proven bound on the objective
    gap: float | None = None  # relative gap between objective and bound when a time limit stopped it
    seconds: float = 0.0
    rounds: int = 1  # solves of the per-catchment model (see CATCHMENT_NEIGHBOURS)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.status in {"optimal", "time_limit", "feasible"}

    def as_dict(self, instance: Instance) -> dict[str, Any]:
        return {
            "method": self.method,
            "status": self.status,
            "site_count": len(self.open_sites),
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "seconds": round(self.seconds, 3),
            "sites": [instance.sites.ids[j] for j in self.open_sites],
            **(
                {
                    # the per-catchment rule's loop of cuts: each round's proven bound, best network and time
                    "bound_rounds": [
                        {k: (v if math.isfinite(v) else None) for k, v in figures.items()}
                        for figures in self.details["bound_rounds"]
                    ]
                }
                if "bound_rounds" in self.details
                else {}
            ),
        }


# --- rules ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rules:
    radius_km: float
    share: float | None = None
    per_region: bool = False
    catchment_share: float | None = None
    fixed: tuple[int, ...] = ()
    excluded: tuple[int, ...] = ()

    def checked(self, instance: Instance, count: int | None = None) -> Rules:
        """These rules, checked against ``instance``, with the kept and excluded sites sorted. Without
        ``count`` (the fewest sites) a share or a per-catchment share is needed; with it, the count must
        lie between the number of kept sites and of allowed sites."""
        if count is None and self.share is None and self.catchment_share is None:
            raise PlanningError("Give a share of residents to reach, a per-catchment share, or both.")
        if not self.radius_km > 0:
            raise PlanningError("The radius must be more than 0 km.")
        for name, value in (("share", self.share), ("catchment share", self.catchment_share)):
            if value is not None and not 0 < value <= 1:
                raise PlanningError(f"The {name} must be more than 0 and at most 1.")
        fixed, excluded = tuple(sorted(set(self.fixed))), tuple(sorted(set(self.excluded)))
        instance.site_mask(fixed + excluded)  # range check
        both = set(fixed) & set(excluded)
        if both:
            names = ", ".join(instance.sites.names[j] for j in sorted(both))
            raise PlanningError(f"A site cannot be both kept and excluded: {names}.")
        if count is not None and not len(fixed) <= count <= len(instance.sites) - len(excluded):
            raise PlanningError(
                "The network size must be at least the number of kept sites and at most the allowed sites."
            )
        return dataclasses.replace(self, fixed=fixed, excluded=excluded)

    def allowed(self, m: int) -> np.ndarray:
        mask = np.ones(m, dtype=bool)
        mask[list(self.excluded)] = False
        return mask

    def met_by(self, instance: Instance, open_sites: Sequence[int]) -> bool:
        ev = network_evaluate(
            instance=instance,
            open_sites=open_sites,
            radius_km=self.radius_km,
            candidates=self.allowed(len(instance.sites)),
        )
        if self.share is not None:
            areas = ev.regions if self.per_region else ()
            if ev.within < self.share * ev.population - 1e-6:
                return False
            if any(a.within < self.share * a.population - 1e-6 for a in areas):
                return False
        return not (self.catchment_share is not None and ev.sites_below(self.catchment_share))


# --- the exact model -------------------------------------------------------------------------------

_banner_lock = threading.Lock()
_banner_shown = False


def _highs() -> highspy.Highs:
    """A HiGHS instance; its one-time banner on standard output is swallowed (``--json`` prints there)."""
    global _banner_shown
    with _banner_lock:
        if _banner_shown:
            return highspy.Highs()
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        _banner_shown = True
        return h


class _Model:
    """Columns and rows of a MIP, collected as triplets."""

    def __init__(self) -> None:
        self.cost: list[float] = []
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.integer: list[bool] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.rows: list[np.ndarray] = []
        self.cols: list[np.ndarray] = []
        self.vals: list[np.ndarray] = []

    def add_cols(
        self, count: int, *, cost: Any = 0.0, lower: Any = 0.0, upper: Any = 1.0, integer: bool = False
    ) -> np.ndarray:
        """``count`` new columns; their indices."""
        first = len(self.cost)
        self.cost.extend(np.broadcast_to(np.asarray(cost, dtype=float), (count,)).tolist())
        self.lower.extend(np.broadcast_to(np.asarray(lower, dtype=float), (count,)).tolist())
        self.upper.extend(np.broadcast_to(np.asarray(upper, dtype=float), (count,)).tolist())
        self.integer.extend([integer] * count)
        return np.arange(first, first + count)

    def add_rows(self, members: Sequence[np.ndarray], vals: Any, lower: Any, upper: Any) -> None:
        """One row per entry of ``members`` (the columns in that row): ``lower <= sum vals * x <= upper``.
        ``vals`` is a number, or an array with one value per member column of all rows in turn."""
        count = len(members)
        lengths = np.fromiter((len(c) for c in members), dtype=np.int64, count=count)
        first = len(self.row_lower)
        self.row_lower.extend(np.broadcast_to(np.asarray(lower, dtype=float), (count,)).tolist())
        self.row_upper.extend(np.broadcast_to(np.asarray(upper, dtype=float), (count,)).tolist())
        total = int(lengths.sum())
        self.rows.append(first + np.repeat(np.arange(count), lengths))
        self.cols.append(
            np.concatenate([np.asarray(c, dtype=np.int64) for c in members])
            if count
            else np.zeros(0, dtype=np.int64)
        )
        self.vals.append(np.broadcast_to(np.asarray(vals, dtype=float), (total,)).astype(float))

    def add_links(self, heads: np.ndarray, tails: Sequence[np.ndarray], lower: float, upper: float) -> None:
        """Rows ``lower <= x[heads[k]] - sum of x[tails[k]] <= upper``."""
        members = [np.concatenate([[h], t]) for h, t in zip(heads.tolist(), tails, strict=True)]
        vals = np.concatenate([np.r_[1.0, -np.ones(len(t))] for t in tails]) if len(tails) else 0.0
        self.add_rows(members, vals, lower, upper)

    def highs(self) -> highspy.Highs:
        """A HiGHS instance holding this model, with the options every solve here uses."""
        n, m = len(self.cost), len(self.row_lower)
        rows = np.concatenate(self.rows) if self.rows else np.zeros(0, dtype=np.int64)
        cols = np.concatenate(self.cols) if self.cols else np.zeros(0, dtype=np.int64)
        vals = np.concatenate(self.vals) if self.vals else np.zeros(0)
        a = sparse.csc_matrix((vals, (rows, cols)), shape=(m, n))
        a.sum_duplicates()
        inf = highspy.kHighsInf
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, m
        lp.col_cost_ = np.asarray(self.cost)
        lp.col_lower_ = np.asarray(self.lower)
        lp.col_upper_ = np.asarray(self.upper)
        lp.row_lower_ = np.where(np.isinf(self.row_lower), -inf, self.row_lower)
        lp.row_upper_ = np.where(np.isinf(self.row_upper), inf, self.row_upper)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = a.indptr.astype(np.int32)
        lp.a_matrix_.index_ = a.indices.astype(np.int32)
        lp.a_matrix_.value_ = a.data
        lp.integrality_ = [
            highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
            for flag in self.integer
        ]
        h = _highs()
        h.setOptionValue("output_flag", False)
        # Objectives are whole numbers (sites, residents): a gap under 1 proves optimality.
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 0.999)
        h.setOptionValue("random_seed", 1)
        h.passModel(lp)
        return h

    def solve(
        self,
        *,
        time_limit: float | None,
        on_progress: ProgressCallback | None,
        start: dict[int, float] | None = None,
    ) -> tuple[str, np.ndarray | None, float | None, float | None, float | None]:
        h = self.highs()
        if time_limit is not None:
            h.setOptionValue("time_limit", float(time_limit))
        if start:
            # a known network (the greedy one): HiGHS completes the other columns and starts from it
            h.setSolution(
                len(start), np.fromiter(start, dtype=np.int32), np.fromiter(start.values(), dtype=float)
            )
        if on_progress is not None:
            callback = on_progress

            def report(event: Any) -> None:
                out = event.data_out
                callback(
                    {
                        "seconds": float(out.running_time),
                        "incumbent": float(out.mip_primal_bound),
                        "bound": float(out.mip_dual_bound),
                        "gap": float(out.mip_gap),
                    }
                )

            h.cbMipImprovingSolution.subscribe(report)
        h.run()
        status = h.getModelStatus()
        info = h.getInfo()
        has_solution = info.primal_solution_status == 2  # kSolutionStatusFeasible
        x = np.asarray(h.getSolution().col_value) if has_solution else None
        objective = float(info.objective_function_value) if has_solution else None
        bound = float(info.mip_dual_bound) if np.isfinite(info.mip_dual_bound) else None
        gap = float(info.mip_gap) if has_solution and np.isfinite(info.mip_gap) else None
        if status == highspy.HighsModelStatus.kOptimal:
            return "optimal", x, objective, bound, 0.0
        if status == highspy.HighsModelStatus.kInfeasible:
            return "infeasible", None, None, None, None
        if status in (highspy.HighsModelStatus.kTimeLimit, highspy.HighsModelStatus.kInterrupt):
            return ("time_limit" if has_solution else "no_solution"), x, objective, bound, gap
        raise PlanningError(f"HiGHS stopped: {h.modelStatusToString(status)}.")


def _coverage_groups(
    instance: Instance, rules: Rules, allowed: np.ndarray, *, by_region: bool
) -> tuple[list[np.ndarray], np.ndarray, list[str]]:
    """Demand points with the same set of reachable allowed sites (and region), merged: their site sets,
    populations and regions. Points that no allowed site reaches are not in any group."""
    reach = (instance.km <= rules.radius_km) & allowed[None, :]
    packed = np.packbits(reach, axis=1)
    keys: dict[tuple[bytes, str], int] = {}
    sets: list[np.ndarray] = []
    pops: list[int] = []
    regions: list[str] = []
    pop = instance.demand.population
    for i in np.flatnonzero(reach.any(axis=1) & (pop > 0)):
        region = instance.demand.region[i] if by_region else ""
        key = (packed[i].tobytes(), region)
        g = keys.get(key)
        if g is None:
            keys[key] = len(sets)
            sets.append(np.flatnonzero(reach[i]))
            pops.append(int(pop[i]))
            regions.append(region)
        else:
            pops[g] += int(pop[i])
    return sets, np.asarray(pops, dtype=float), regions


def _candidate_lists(
    instance: Instance, rules: Rules, allowed: np.ndarray, neighbours: np.ndarray
) -> list[np.ndarray]:
    """Per demand point, allowed sites by increasing distance (lowest index first on ties): those within
    the radius and at least ``neighbours[i]`` of the nearest."""
    columns = np.flatnonzero(allowed)
    sub = instance.km[:, columns]
    order = np.lexsort((np.broadcast_to(columns, sub.shape), sub), axis=1)
    within = (sub <= rules.radius_km).sum(axis=1)
    lists: list[np.ndarray] = []
    for i in range(sub.shape[0]):
        take = max(int(within[i]), min(int(neighbours[i]), len(columns)))
        lists.append(columns[order[i, :take]])
    return lists


def _add_coverage(
    model: _Model, instance: Instance, rules: Rules, y: np.ndarray, *, count: int | None
) -> None:
    """Coverage variables ``z_g <= sum of y`` over the sites that reach group g, with the share rule
    (national or per region) or, for a network of given size, the residents within as the objective."""
    allowed = rules.allowed(len(y))
    sets, gpop, gregion = _coverage_groups(instance, rules, allowed, by_region=rules.per_region)
    z = model.add_cols(len(sets), cost=-gpop if count is not None else 0.0)
    model.add_links(z, [y[s] for s in sets], -np.inf, 0.0)
    if rules.share is None:
        return
    # one row per region (or one national row) in residents: at least the share of its residents, as
    # a whole number (the residents within are one); a region that no allowed site reaches has an empty
    # row, which cannot be met
    pop = instance.demand.population
    region_of = np.array(instance.demand.region if rules.per_region else [""] * len(pop), dtype=str)
    group_region = np.array(gregion, dtype=str)
    keys = sorted(set(region_of[pop > 0].tolist()))
    members = [z[group_region == key] for key in keys]
    needed = [math.ceil(rules.share * float(pop[region_of == key].sum()) - 1e-6) for key in keys]
    weights = np.concatenate([gpop[group_region == key] for key in keys]) if keys else 0.0
    model.add_rows(members, weights, needed, np.inf)


def _region_count_cuts(instance: Instance, rules: Rules) -> list[tuple[np.ndarray, np.ndarray, float]]:
    """Cuts for the share rule in every region, as (sites, weights, least): every network that meets the
    rule has ``weights · y[sites] >= least``. Each is found by a small exact model of one region, or of
    two regions that share a site, alone (kept and excluded sites as in ``rules``):

    - the sites that reach the region(s), each counting 1: the fewest with which they reach the share;
    - for one region, the same with the sites that also reach another region counting 1/2, or 0: the
      region's own sites it needs however its neighbours' help.

    The linear bound rises little (68.0 to 68.9 on the full data), but HiGHS's search shrinks several-
    fold, because a region can no longer borrow a fraction of a site from its neighbour. A count that
    HiGHS cannot prove in a few seconds is replaced by its bound."""
    m = len(instance.sites)
    allowed = rules.allowed(m)
    sets, gpop, gregion = _coverage_groups(instance, rules, allowed, by_region=True)
    group_region = np.array(gregion, dtype=str)
    keys = sorted(set(gregion))
    reach = {
        key: np.unique(np.concatenate([sets[g] for g in np.flatnonzero(group_region == key)])) for key in keys
    }
    regions_reached = np.zeros(m, dtype=np.int64)
    for key in keys:
        regions_reached[reach[key]] += 1
    pop = instance.demand.population
    region_of = np.array(instance.demand.region, dtype=str)
    share = float(rules.share or 0.0)
    needed = {key: math.ceil(share * float(pop[region_of == key].sum()) - 1e-6) for key in keys}
    # (regions, weight of a site that also reaches a region outside them), in halves
    asks: list[tuple[tuple[str, ...], int]] = [((key,), half) for key in keys for half in (2, 1, 0)]
    asks += [
        ((a, b), 2)
        for k, a in enumerate(keys)
        for b in keys[k + 1 :]
        if np.intersect1d(reach[a], reach[b]).size
    ]
    cuts = []
    for subset, halves in asks:
        sites = np.unique(np.concatenate([reach[key] for key in subset]))
        inside = sum(np.isin(sites, reach[key]).astype(np.int64) for key in subset)
        weights = np.where(regions_reached[sites] > inside, halves, 2)  # in halves: whole numbers
        if halves != 2 and (weights == 2).all():
            continue  # no site reaches another region: the same as the plain count
        model = _Model()
        lower, upper, cost = np.zeros(m), np.zeros(m), np.zeros(m)
        lower[list(rules.fixed)] = 1.0
        upper[sites] = allowed[sites]
        cost[sites] = weights
        y = model.add_cols(m, cost=cost, lower=np.minimum(lower, upper), upper=upper, integer=True)
        for key in subset:
            members = np.flatnonzero(group_region == key)
            z = model.add_cols(len(members))
            model.add_links(z, [y[sets[g]] for g in members], -np.inf, 0.0)
            model.add_rows([z], gpop[members], needed[key], np.inf)
        status, _, objective, bound, _ = model.solve(time_limit=5.0, on_progress=None)
        least = objective if status == "optimal" else bound
        if least is not None and least > 1:
            cuts.append((sites, weights / 2.0, math.ceil(least - 1e-6) / 2.0))
    return cuts


def _add_catchments(
    model: _Model, instance: Instance, rules: Rules, y: np.ndarray, neighbours: np.ndarray
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The per-catchment rule (see ``CATCHMENT_NEIGHBOURS``); the demand points in the model and their
    candidate lists."""
    m = len(y)
    allowed = rules.allowed(m)
    pop = instance.demand.population.astype(float)
    s = float(rules.catchment_share or 0.0)
    # an empty network has no catchment to break the rule: ask for one site at least
    model.add_rows([y], 1.0, 1.0, np.inf)
    lists = _candidate_lists(instance, rules, allowed, neighbours)
    # residents that no allowed site has within the radius do not count in the rule
    live = np.flatnonzero((pop > 0) & reachable_points(instance, rules.radius_km, allowed))
    lengths = np.array([len(lists[i]) for i in live], dtype=np.int64)
    a = model.add_cols(int(lengths.sum()))  # a[i, r]: point i belongs to the r-th site of its list
    o = model.add_cols(len(live))  # o[i]: every site of the list is closed
    start = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    site = np.concatenate([lists[i] for i in live])
    point_a = [a[b : b + k] for b, k in zip(start.tolist(), lengths.tolist(), strict=True)]
    # sum_r a[i, r] + o[i] = 1
    model.add_rows([np.r_[pa, oi] for pa, oi in zip(point_a, o.tolist(), strict=True)], 1.0, 1.0, 1.0)
    # a[i, r] <= y[j_r]
    model.add_links(a, [y[[j]] for j in site.tolist()], -np.inf, 0.0)
    # closest assignment: sum_{s <= r} a[i, s] >= y[j_r], i.e. y[j_r] - sum_{s <= r} a[i, s] <= 0
    model.add_links(
        y[site],
        [pa[: r + 1] for pa in point_a for r in range(len(pa))],
        -np.inf,
        0.0,
    )
    # per site: (1 - s) * residents within the radius - s * residents beyond >= 0
    point = np.repeat(np.arange(len(live)), lengths)
    point_pop = pop[live][point]
    near = instance.km[live[point], site] <= rules.radius_km
    weight = np.where(near, (1 - s) * point_pop, -s * point_pop) / 1000.0
    order = np.argsort(site, kind="stable")
    bounds = np.searchsorted(site[order], np.arange(m + 1))
    model.add_rows([a[order[bounds[j] : bounds[j + 1]]] for j in range(m)], weight[order], -1e-9, np.inf)
    # the sum of all catchments' rules, with the residents of points whose list is closed beyond
    model.add_rows([np.r_[a, o]], np.r_[weight, -s * pop[live] / 1000.0], -1e-9, np.inf)
    return live, lists


def _solution(
    method: str,
    status: str,
    started: float,
    open_sites: tuple[int, ...] = (),
    objective: float | None = None,
    **extra: Any,
) -> Solution:
    """A solution (no network unless ``open_sites``), timed from ``started``."""
    return Solution(method, status, open_sites, objective, seconds=time.perf_counter() - started, **extra)


def _solve(
    instance: Instance,
    rules: Rules,
    *,
    count: int | None,
    time_limit: float | None,
    on_progress: ProgressCallback | None,
    start_sites: set[int] | None = None,
) -> Solution:
    started = time.perf_counter()
    m = len(instance.sites)
    allowed = rules.allowed(m)
    n = len(instance.demand)
    neighbours = np.full(n, CATCHMENT_NEIGHBOURS, dtype=np.int64)
    rounds = 0
    region_cuts: list[tuple[np.ndarray, np.ndarray, float]] | None = None
    while True:
        rounds += 1
        model = _Model()
        y_lower = np.zeros(m)
        y_lower[list(rules.fixed)] = 1.0
        y = model.add_cols(
            m, cost=1.0 if count is None else 0.0, lower=y_lower, upper=allowed.astype(float), integer=True
        )
        if count is not None:
            model.add_rows([y], 1.0, count, count)
        if count is not None or rules.share is not None:
            _add_coverage(model, instance, rules, y, count=count)
        if count is None and rules.share is not None and rules.per_region:
            if region_cuts is None:
                region_cuts = _region_count_cuts(instance, rules)
            for members, weights, least in region_cuts:
                model.add_rows([y[members]], weights, least, np.inf)
        if rules.catchment_share is not None:
            live, lists = _add_catchments(model, instance, rules, y, neighbours)
        warm = {int(y[j]): float(j in start_sites) for j in range(m)} if start_sites is not None else None
        status, x, objective, bound, gap = model.solve(
            time_limit=time_limit, on_progress=on_progress, start=warm
        )
        if x is None:
            return _solution(
                "optimal",
                status if status == "infeasible" else "time_limit",
                started,
                bound=bound,
                rounds=rounds,
            )
        open_sites = tuple(int(j) for j in np.flatnonzero(x[y] > 0.5))
        if rules.catchment_share is not None and not rules.met_by(instance, open_sites):
            if status != "optimal":
                # a time limit stopped a relaxation whose answer breaks the rule: report the starting
                # network (it meets the rules) with the relaxation's bound, which holds for the rule too
                if not start_sites:
                    return _solution("optimal", "time_limit", started, bound=bound, rounds=rounds)
                sites = tuple(sorted(start_sites))
                gap = (len(sites) - bound) / len(sites) if bound is not None else None
                return _solution(
                    "optimal", "time_limit", started, sites, len(sites), bound=bound, gap=gap, rounds=rounds
                )
            nearest, _ = nearest_open(instance.km, instance.site_mask(open_sites))
            grown = np.zeros(n, dtype=bool)
            for i in live.tolist():
                grown[i] = nearest[i] >= 0 and len(lists[i]) < m and nearest[i] not in lists[i]
            if not grown.any():  # cannot happen: the model is exact for points whose nearest site is listed
                raise PlanningError("The per-catchment model disagrees with the evaluation.")
            neighbours[grown] *= 2
            continue
        if count is not None and objective is not None:
            objective, bound = -objective, (-bound if bound is not None else None)
        whole = round(objective) if objective is not None else None
        return _solution("optimal", status, started, open_sites, whole, bound=bound, gap=gap, rounds=rounds)


def network_minimise(
    *,
    instance: Instance,
    radius_km: float,
    share: float | None = None,
    per_region: bool = False,
    catchment_share: float | None = None,
    fixed: Iterable[int] = (),
    excluded: Iterable[int] = (),
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
    warm_start: bool = True,
) -> Solution:
    """The fewest open sites that meet the rules (see the module's documentation), proven optimal unless
    ``time_limit`` (seconds) stops HiGHS first; then the best network found and the gap are reported.
    With ``warm_start`` HiGHS starts from the greedy network (the greedy also proves infeasibility
    quickly: it fails only when every allowed site open does not meet the rules)."""
    rules = Rules(radius_km, share, per_region, catchment_share, tuple(fixed), tuple(excluded)).checked(
        instance
    )
    started = time.perf_counter()
    start_sites = None
    if warm_start:
        greedy = _greedy_minimise(instance, rules)
        if not greedy.found:
            return dataclasses.replace(greedy, method="optimal")
        start_sites = set(greedy.open_sites)
        if rules.catchment_share is not None:
            # the greedy is weak for the per-catchment rule: completing a relaxation's network does better
            other = _completed_start(instance, rules, time_limit)
            if other is not None and len(other) < len(start_sites):
                start_sites = set(other)
    if rules.catchment_share is not None:
        # the local search and the loop of cuts run side by side (see _catchment_minimise)
        return _catchment_minimise(instance, rules, started, time_limit, on_progress, start_sites)
    if start_sites is not None and time_limit is not None:
        time_limit = max(time_limit - (time.perf_counter() - started), 1.0)
    return _solve(
        instance, rules, count=None, time_limit=time_limit, on_progress=on_progress, start_sites=start_sites
    )


def _catchment_minimise(
    instance: Instance,
    rules: Rules,
    started: float,
    time_limit: float | None,
    on_progress: ProgressCallback | None,
    start_sites: set[int] | None,
) -> Solution:
    """The fewest sites under the per-catchment rule, until ``started + time_limit``: the loop of cuts of
    :mod:`.bound` proves a bound (and the optimum when a round's network meets the rule) while, in a
    thread beside it, the local search improves ``start_sites`` (a network that meets the rules, if
    any): swaps, then iterated local search (see :func:`_swapped`, :func:`_perturbed`). HiGHS lets go of
    Python while it solves, so the two share the machine's cores; the loop reads the search's best
    network at each round, to look only for smaller ones."""
    from concurrent.futures import ThreadPoolExecutor

    from .bound import catchment_bound  # the bound builds on this module's model

    deadline = started + time_limit if time_limit is not None else math.inf
    deadline = max(deadline, time.perf_counter() + 1.0)
    lock = threading.Lock()
    stop = threading.Event()
    searched: list[tuple[int, ...]] = [tuple(sorted(start_sites))] if start_sites else []

    def better(sites: tuple[int, ...]) -> None:
        with lock:
            if not searched or len(sites) < len(searched[-1]):
                searched.append(tuple(sorted(sites)))

    def known() -> tuple[int, ...] | None:
        with lock:
            return searched[-1] if searched else None

    def search() -> None:
        if not start_sites:
            return
        swapped = _swapped(instance, rules, sorted(start_sites), deadline, stop=stop)
        better(swapped)
        better(_perturbed(instance, rules, swapped, deadline, stop=stop, on_better=better))

    def on_round(figures: dict[str, float]) -> None:
        if on_progress is not None:
            on_progress({**figures, "seconds": time.perf_counter() - started})

    if on_progress is not None and start_sites:
        on_progress(
            {
                "seconds": time.perf_counter() - started,
                "incumbent": float(len(start_sites)),
                "bound": -math.inf,
                "gap": math.inf,
            }
        )
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(search)
        try:
            # the loop repairs its own networks only when no local search runs beside it (the repair
            # holds up the next round, and the search finds smaller networks)
            result = catchment_bound(
                instance=instance,
                rules=rules,
                deadline=deadline,
                incumbent=known,
                on_round=on_round,
                repair=not start_sites,
            )
        finally:
            stop.set()
        future.result()
    candidates = [sites for sites in (known(), result.network) if sites is not None]
    details = {"bound_rounds": result.rounds, "cuts": result.cuts}
    if not candidates:
        status = "infeasible" if result.infeasible else "time_limit"
        return _solution(
            "optimal", status, started, bound=result.bound or None, rounds=len(result.rounds), details=details
        )
    sites = min(candidates, key=len)
    bound = max(result.bound, 0)
    optimal = bound >= len(sites)
    return _solution(
        "optimal",
        "optimal" if optimal else "time_limit",
        started,
        sites,
        len(sites),
        bound=float(len(sites) if optimal else bound),
        gap=0.0 if optimal else (len(sites) - bound) / len(sites),
        rounds=len(result.rounds),
        details=details,
    )


def network_best_of_size(
    *,
    instance: Instance,
    radius_km: float,
    count: int,
    catchment_share: float | None = None,
    fixed: Iterable[int] = (),
    excluded: Iterable[int] = (),
    time_limit: float | None = None,
    on_progress: ProgressCallback | None = None,
) -> Solution:
    """The ``count`` sites that put the most residents within ``radius_km`` (optionally meeting the
    per-catchment rule); the objective is that number of residents."""
    rules = Rules(radius_km, None, False, catchment_share, tuple(fixed), tuple(excluded)).checked(
        instance, count=count
    )
    return _solve(instance, rules, count=count, time_limit=time_limit, on_progress=on_progress)


# --- greedy ---------------------------------------------------------------------------------------


class _Shortfall:
    """Residents missing to meet the rules with a given assignment of demand points (0 when met)."""

    def __init__(self, instance: Instance, rules: Rules) -> None:
        self.rules = rules
        self.m = len(instance.sites)
        self.pop = instance.demand.population.astype(float)
        regions, self.region_of = np.unique(np.asarray(instance.demand.region), return_inverse=True)
        self.regions = len(regions)
        self.region_total = np.bincount(self.region_of, weights=self.pop, minlength=self.regions)
        self.counted = reachable_points(instance, rules.radius_km, rules.allowed(self.m))

    def coverage(self, within: np.ndarray) -> np.ndarray:
        """Missing residents for the share rule, for each row of ``within`` (residents within the radius,
        national: shape (k,); by region: shape (k, regions))."""
        share = self.rules.share
        if share is None:
            return np.zeros(within.shape[0])
        if self.rules.per_region:
            return np.clip(share * self.region_total[None, :] - within, 0, None).sum(axis=1)
        return np.clip(share * self.pop.sum() - within, 0, None)

    def __call__(self, nearest: np.ndarray, nearest_km: np.ndarray) -> float:
        inside = nearest_km <= self.rules.radius_km
        if self.rules.per_region:
            within = np.bincount(self.region_of, weights=self.pop * inside, minlength=self.regions)[None, :]
        else:
            within = np.array([float(self.pop[inside].sum())])
        missing = float(self.coverage(within)[0])
        share = self.rules.catchment_share
        if share is not None:
            assigned = nearest >= 0
            if not assigned.any():  # no network yet: nobody is served
                return missing + share * float(self.pop.sum())
            excess = np.bincount(
                nearest[assigned],
                weights=(self.pop * (share * self.counted - inside))[assigned],
                minlength=self.m,
            )
            missing += float(np.clip(excess, 0, None).sum())
        return missing if missing > 1e-6 else 0.0


def network_minimise_greedy(
    *,
    instance: Instance,
    radius_km: float,
    share: float | None = None,
    per_region: bool = False,
    catchment_share: float | None = None,
    fixed: Iterable[int] = (),
    excluded: Iterable[int] = (),
) -> Solution:
    """Greedy: add the site that leaves the fewest residents missing to meet the rules (most residents
    newly within the radius on ties) until they are met, then drop sites that are no longer needed."""
    rules = Rules(radius_km, share, per_region, catchment_share, tuple(fixed), tuple(excluded)).checked(
        instance
    )
    return _greedy_minimise(instance, rules)


def _greedy_minimise(instance: Instance, rules: Rules) -> Solution:
    started = time.perf_counter()
    radius_km, per_region = rules.radius_km, rules.per_region
    km = instance.km
    m = len(instance.sites)
    pop = instance.demand.population.astype(float)
    allowed = rules.allowed(m)
    reach = km <= radius_km
    shortfall = _Shortfall(instance, rules)
    onehot = np.zeros((len(pop), shortfall.regions))
    onehot[np.arange(len(pop)), shortfall.region_of] = 1.0
    open_mask = instance.site_mask(rules.fixed)
    nearest, nearest_km = nearest_open(km, open_mask)
    missing = shortfall(nearest, nearest_km)
    while missing > 0:
        candidates = np.flatnonzero(allowed & ~open_mask)
        if candidates.size == 0:
            return _solution("greedy", "infeasible", started)
        inside = nearest_km <= radius_km
        fresh = pop * ~inside
        gain = fresh @ reach[:, candidates]
        if rules.catchment_share is None:  # the share rule alone: every candidate at once
            if per_region:
                base = np.bincount(shortfall.region_of, weights=pop * inside, minlength=shortfall.regions)
                within = base[None, :] + (reach[:, candidates].T * fresh) @ onehot
            else:
                within = float(pop[inside].sum()) + gain
            scores = shortfall.coverage(within)
        else:
            scores = np.empty(candidates.size)
            for k, c in enumerate(candidates.tolist()):
                closer = km[:, c] < nearest_km
                scores[k] = shortfall(np.where(closer, c, nearest), np.where(closer, km[:, c], nearest_km))
        pick = np.lexsort((candidates, -gain, scores))[0]
        j = int(candidates[pick])
        open_mask[j] = True
        closer = km[:, j] < nearest_km
        nearest = np.where(closer, j, nearest)
        nearest_km = np.where(closer, km[:, j], nearest_km)
        missing = shortfall(nearest, nearest_km)
        if missing > 0 and open_mask[allowed].all():
            return _solution("greedy", "infeasible", started)
    open_sites = _pruned(instance, rules, open_mask, shortfall)
    return _solution("greedy", "feasible", started, open_sites, len(open_sites))


def _pruned(
    instance: Instance, rules: Rules, open_mask: np.ndarray, shortfall: _Shortfall | None = None
) -> tuple[int, ...]:
    """A network that meets the rules with sites dropped while it still does, the smallest catchments
    first, pass after pass until no site can go (kept sites stay)."""
    shortfall = shortfall if shortfall is not None else _Shortfall(instance, rules)
    open_mask = open_mask.copy()
    pop = instance.demand.population.astype(float)
    dropped = True
    while dropped:
        dropped = False
        nearest, _ = nearest_open(instance.km, open_mask)
        catchment = np.bincount(nearest[nearest >= 0], weights=pop[nearest >= 0], minlength=len(open_mask))
        for j in sorted(np.flatnonzero(open_mask).tolist(), key=lambda k: (catchment[k], k)):
            if j in rules.fixed:
                continue
            open_mask[j] = False
            if shortfall(*nearest_open(instance.km, open_mask)) > 0:
                open_mask[j] = True
            else:
                dropped = True
    return tuple(int(j) for j in np.flatnonzero(open_mask))


def _completed_start(instance: Instance, rules: Rules, time_limit: float | None) -> tuple[int, ...] | None:
    """A network for the per-catchment rule: the fewest sites that put the catchment share of all
    residents within the radius (the national sum of the catchments' rules, so a relaxation), completed
    by the greedy and pruned (see :func:`_pruned`). None if HiGHS or the greedy finds none."""
    share = max(rules.share or 0.0, rules.catchment_share or 0.0)
    relaxed = dataclasses.replace(rules, share=share, catchment_share=None)
    base = _solve(instance, relaxed, count=None, time_limit=time_limit, on_progress=None)
    if not base.open_sites:
        return None
    completed = _greedy_minimise(instance, dataclasses.replace(rules, fixed=rules.fixed + base.open_sites))
    if not completed.found:
        return None
    return _pruned(instance, rules, instance.site_mask(completed.open_sites))


def _site_places(instance: Instance) -> np.ndarray:
    """For each site, the demand point nearest to it, which stands for its place in distances between
    sites (the instance has distances from points to sites only)."""
    return np.argmin(instance.km, axis=0)


# Local search (see _swapped): the closed sites nearest to an open one that are tried in its place.
SWAP_NEIGHBOURS = 6


def _swapped(
    instance: Instance,
    rules: Rules,
    open_sites: Sequence[int],
    deadline: float,
    *,
    stop: threading.Event | None = None,
) -> tuple[int, ...]:
    """A network that meets the rules, improved from ``open_sites`` (which meets them) by local search:
    close an open site and open one of the closed sites nearest to it; when the rules still hold and
    another site can then go, take the change and prune (see :func:`_pruned`). Repeat until no such
    swap helps or ``deadline`` (``time.perf_counter()``) passes or ``stop`` is set. Kept sites stay open."""

    def over() -> bool:
        return time.perf_counter() >= deadline or (stop is not None and stop.is_set())

    km = instance.km
    m = len(instance.sites)
    pop = instance.demand.population.astype(float)
    shortfall = _Shortfall(instance, rules)
    allowed = rules.allowed(m)
    fixed = set(rules.fixed)
    anchor = _site_places(instance)
    mask = instance.site_mask(open_sites)
    while not over():
        improved = False
        nearest, _ = nearest_open(km, mask)
        catchment = np.bincount(nearest[nearest >= 0], weights=pop[nearest >= 0], minlength=m)
        order = sorted(
            (j for j in np.flatnonzero(mask).tolist() if j not in fixed), key=lambda j: (catchment[j], j)
        )
        for a in order:
            closed = np.flatnonzero(allowed & ~mask)
            for b in closed[np.argsort(km[anchor[a], closed], kind="stable")[:SWAP_NEIGHBOURS]].tolist():
                trial = mask.copy()
                trial[a], trial[b] = False, True
                first, first_km = nearest_open(km, trial)
                if shortfall(first, first_km) > 0:
                    continue
                # which other site can go now: its residents move to their second nearest open site
                without = trial.copy()
                second, second_km = first.copy(), first_km.copy()
                for c in order:
                    if c == a or not trial[c]:
                        continue
                    moved = first == c
                    without[c] = False
                    second[moved], second_km[moved] = nearest_open(km[moved], without)
                    without[c] = True
                    if shortfall(second, second_km) == 0:
                        trial[c] = False
                        mask = instance.site_mask(_pruned(instance, rules, trial, shortfall))
                        improved = True
                        break
                    second[moved], second_km[moved] = first[moved], first_km[moved]
                if improved or over():
                    break
            if improved or over():
                break
        if not improved:
            break
    return tuple(int(j) for j in np.flatnonzero(mask))


# Iterated local search (see _perturbed): how many open sites, nearest to one picked at random, close at
# once; and how many rounds in a row may bring no smaller network before it stops.
PERTURB_SITES = (3, 8)
PERTURB_PATIENCE = 100


def _perturbed(
    instance: Instance,
    rules: Rules,
    open_sites: Sequence[int],
    deadline: float,
    seed: int = 0,
    *,
    stop: threading.Event | None = None,
    on_better: Callable[[tuple[int, ...]], None] | None = None,
) -> tuple[int, ...]:
    """A network that meets the rules, improved from ``open_sites`` (which meets them) by iterated local
    search: close a few open sites near one another (see ``PERTURB_SITES``), let the greedy reopen what
    the rules need with the other sites kept, prune, and improve by local search (see :func:`_swapped`);
    keep the result when it has no more sites than the current network, so the search also walks across
    networks of equal size. Stops at ``deadline`` (``time.perf_counter()``) or after ``PERTURB_PATIENCE``
    rounds without a smaller network. The random choices come from ``seed``: the same input and time
    give the same network. ``stop`` ends it early; ``on_better`` hears each smaller network."""
    rng = np.random.default_rng(seed)
    fixed = set(rules.fixed)
    anchor = _site_places(instance)
    current = tuple(sorted(int(j) for j in open_sites))
    idle = 0
    while (
        idle < PERTURB_PATIENCE
        and time.perf_counter() < deadline
        and not (stop is not None and stop.is_set())
    ):
        idle += 1
        movable = np.array([j for j in current if j not in fixed], dtype=np.int64)
        if movable.size == 0:
            break
        centre = int(rng.choice(movable))
        count = int(rng.integers(PERTURB_SITES[0], PERTURB_SITES[1] + 1))
        closed = movable[np.argsort(instance.km[anchor[centre], movable], kind="stable")[:count]]
        kept = tuple(sorted(set(current) - set(closed.tolist())))
        repaired = _greedy_minimise(instance, dataclasses.replace(rules, fixed=kept))
        if not repaired.found:
            continue
        trial = _pruned(instance, rules, instance.site_mask(repaired.open_sites))
        if len(trial) > len(current) + 1:
            continue  # too far behind for a local search to catch up: try another place
        trial = _swapped(instance, rules, trial, min(deadline, time.perf_counter() + 5.0), stop=stop)
        if len(trial) <= len(current):
            if len(trial) < len(current):
                idle = 0
                if on_better is not None:
                    on_better(tuple(sorted(trial)))
            current = tuple(sorted(trial))
    return current


def network_best_of_size_greedy(
    *,
    instance: Instance,
    radius_km: float,
    count: int,
    fixed: Iterable[int] = (),
    excluded: Iterable[int] = (),
) -> Solution:
    """Greedy: add, ``count`` times, the site that puts the most new residents within the radius."""
    rules = Rules(radius_km, fixed=tuple(fixed), excluded=tuple(excluded)).checked(instance, count=count)
    started = time.perf_counter()
    reach = instance.km <= radius_km
    pop = instance.demand.population.astype(float)
    allowed = rules.allowed(len(instance.sites))
    open_mask = instance.site_mask(rules.fixed)
    covered = reach[:, open_mask].any(axis=1)
    while int(open_mask.sum()) < count:
        gain = (pop * ~covered) @ reach
        gain[~allowed | open_mask] = -1.0
        j = int(np.argmax(gain))
        open_mask[j] = True
        covered |= reach[:, j]
    open_sites = tuple(int(j) for j in np.flatnonzero(open_mask))
    return _solution("greedy", "feasible", started, open_sites, round(float(pop[covered].sum())))
