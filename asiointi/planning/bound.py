"""A proven lower bound on the fewest sites under the per-catchment rule, by a loop of cuts on the sites.

The nearest-site assignment model (see ``optimisation._add_catchments``) has a weak linear bound: on
the full data HiGHS proves little more than 54 sites where the best network known has 94. This module
proves a much stronger bound with a model on the binary site variables ``y_j`` alone:

- **the relaxation**: the sum of all catchments' rules, i.e. at least the catchment share of the
  residents whom some allowed site has within the radius are within the radius of their nearest open
  site (over the coverage groups), and at least one site open;
- **capacity cuts**: ``P_j`` are the residents within the radius of site ``j``, the most that its
  catchment can ever hold within the radius. If a demand point ``i`` beyond the radius of ``j`` has so
  many residents that ``share · p_i > (1 − share) · P_j``, then ``j`` cannot have ``i`` in its catchment
  and meet the rule, so a site nearer to ``i`` than ``j`` must be open whenever ``j`` is:
  ``y_j ≤ Σ y_s`` over those nearer sites. The sums are written with prefix variables per demand point
  (``u_{i,r}``, the open sites among ``i``'s ``r`` nearest), so that a cut has two non-zeros;
- **the loop**: solve; evaluate the model's network (and every other network HiGHS found on the way)
  exactly; for each catchment that breaks the rule, add a cut that this network violates. When the
  catchment's residents beyond the radius are too many for ``P_j``, that is a capacity cut for them
  together; otherwise a *stealer* cut ``y_j ≤ Σ y_s (sites nearer than j to its residents beyond the
  radius) + Σ (1 − y_s) (open sites that take residents within the radius of j)``. It is valid: in any
  network with ``j`` open, those nearer sites closed and those stealers open, ``j``'s catchment keeps
  every one of those residents beyond the radius and has no more residents within it than now, so it
  still breaks the rule. A stealer whose residents would not save the catchment even if they all came
  back to ``j`` is left out of the cut (a stronger cut).

Each round's optimum is a proven lower bound (a round stopped by its time limit proves HiGHS's bound);
when a round's network meets the rule, it is optimal. Each round also repairs its network into one that
meets the rule (the greedy adds sites, then sites that are not needed go), an upper bound beside the
local search's.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import highspy
import numpy as np

from .evaluation import Instance, nearest_open, reachable_points
from .optimisation import (
    Rules,
    _add_coverage,
    _coverage_groups,
    _greedy_minimise,
    _Model,
    _pruned,
)

# Capacity cuts to start with: for each demand point, the sites among its nearest this many.
CAPACITY_NEIGHBOURS = 15
# A catchment breaks the rule (as ``SiteCatchment.meets`` decides): within < share · reachable − 1e-9.
_TOLERANCE = 1e-9


def _breaks(share: float, within: float, beyond: float) -> bool:
    """Whether a catchment with ``within`` residents within the radius and ``beyond`` (reachable)
    residents beyond it breaks the rule."""
    return within < share * (within + beyond) - _TOLERANCE


@dataclass(frozen=True)
class Cut:
    """``y[site] ≤ Σ y[closed] + Σ (1 − y[opened])``: site ``site`` open, every site of ``closed`` closed
    and every one of ``opened`` open break its catchment's rule. A capacity cut of one demand point also
    names the point and the rank of ``site`` in its order of sites (then ``closed`` are the sites before
    it), which the model writes with prefix variables."""

    site: int
    closed: tuple[int, ...]
    opened: tuple[int, ...] = ()
    point: int | None = None
    rank: int | None = None

    def holds(self, open_mask: np.ndarray) -> bool:
        return (
            not open_mask[self.site]
            or bool(open_mask[list(self.closed)].any())
            or not bool(open_mask[list(self.opened)].all())
        )

    def key(self) -> tuple[int, tuple[int, ...], tuple[int, ...]]:
        return (self.site, self.closed, self.opened)


class Separator:
    """What the cuts need to know of an instance: the allowed sites in each demand point's order of
    distance (ties to the lower index, as :func:`~asiointi.planning.evaluation.nearest_open`), the
    residents within the radius of each site, and which residents the rule counts."""

    def __init__(self, instance: Instance, rules: Rules) -> None:
        self.instance, self.rules = instance, rules
        self.share = float(rules.catchment_share or 0.0)
        km = instance.km
        m = km.shape[1]
        self.allowed = rules.allowed(m)
        columns = np.flatnonzero(self.allowed)
        sub = km[:, columns]
        self.order = columns[np.lexsort((np.broadcast_to(columns, sub.shape), sub), axis=1)]
        # rank[i, j]: position of site j in point i's order (m for a site that is not allowed)
        self.rank = np.full(km.shape, m, dtype=np.int64)
        np.put_along_axis(self.rank, self.order, np.arange(len(columns))[None, :], axis=1)
        self.pop = instance.demand.population.astype(float)
        self.near = km <= rules.radius_km
        self.capacity = self.pop @ self.near  # P_j
        self.counted = reachable_points(instance, rules.radius_km, self.allowed) & (self.pop > 0)

    def nearer(self, points: Sequence[int], site: int) -> tuple[int, ...]:
        """The allowed sites nearer than ``site`` to any of ``points``."""
        chosen: set[int] = set()
        for i in points:
            chosen.update(self.order[i, : self.rank[i, site]].tolist())
        return tuple(sorted(chosen))

    def capacity_cuts(self, neighbours: int = CAPACITY_NEIGHBOURS) -> list[Cut]:
        """The capacity cuts of single demand points, for the sites among each point's ``neighbours``
        nearest."""
        cuts = []
        take = min(neighbours, self.order.shape[1])
        for i in np.flatnonzero(self.counted).tolist():
            for r in range(take):
                j = int(self.order[i, r])
                if self.near[i, j]:
                    continue
                if _breaks(self.share, self.capacity[j], self.pop[i]):
                    cuts.append(Cut(j, tuple(sorted(self.order[i, :r].tolist())), point=i, rank=r))
        return cuts

    def network_cuts(self, open_mask: np.ndarray) -> list[Cut]:
        """A cut that the network ``open_mask`` violates for each of its catchments that break the rule
        (none when it meets the rule)."""
        share = self.share
        nearest, nearest_km = nearest_open(self.instance.km, open_mask)
        inside = nearest_km <= self.rules.radius_km
        pop = self.pop
        cuts = []
        for j in np.flatnonzero(open_mask).tolist():
            mine = nearest == j
            within = float(pop[mine & inside].sum())
            beyond_points = np.flatnonzero(mine & ~inside & self.counted)
            beyond = float(pop[beyond_points].sum())
            if not _breaks(share, within, beyond):
                continue
            if _breaks(share, self.capacity[j], beyond):
                # capacity: the fewest of the largest points beyond that no catchment of j can carry
                chosen: list[int] = []
                total = 0.0
                for i in beyond_points[np.argsort(-pop[beyond_points], kind="stable")].tolist():
                    chosen.append(i)
                    total += pop[i]
                    if _breaks(share, self.capacity[j], total):
                        break
                cuts.append(Cut(j, self.nearer(chosen, j)))
                continue
            # stealers: the open sites that take residents within the radius of j
            taken = self.near[:, j] & ~mine & (pop > 0)
            stolen = np.bincount(nearest[taken], weights=pop[taken], minlength=len(open_mask))
            cuts.extend(self._stealer_cuts(j, within, beyond_points, stolen))
        return cuts

    def _stealer_cuts(
        self, j: int, within: float, beyond_points: np.ndarray, stolen: np.ndarray
    ) -> list[Cut]:
        """Two stealer cuts for site ``j``'s catchment, which breaks the rule with ``within`` residents
        within the radius, the points ``beyond_points`` beyond it and ``stolen[s]`` residents within the
        radius of ``j`` taken by open site ``s``. Terms are left out while the catchment would still break
        the rule without them: first stealers (the fewest residents first), then points beyond (the
        smallest first); and the other way round."""
        share, pop = self.share, self.pop
        stealers = np.flatnonzero(stolen > 0)
        by_stolen = stealers[np.argsort(stolen[stealers], kind="stable")].tolist()
        by_pop = beyond_points[np.argsort(pop[beyond_points], kind="stable")].tolist()
        beyond = float(pop[beyond_points].sum())
        cuts: list[Cut] = []
        for stealers_first in (True, False):
            w, b = within, beyond
            kept_stealers: list[int] = []
            kept_points: list[int] = []
            steps = ["stealers", "points"] if stealers_first else ["points", "stealers"]
            for step in steps:
                if step == "stealers":
                    for s in by_stolen:
                        if _breaks(share, w + stolen[s], b):
                            w += stolen[s]  # even with these back in j's catchment, it breaks the rule
                        else:
                            kept_stealers.append(s)
                else:
                    for i in by_pop:
                        if _breaks(share, w, b - pop[i]):
                            b -= pop[i]  # even without these residents beyond, it breaks the rule
                        else:
                            kept_points.append(i)
            cut = Cut(j, self.nearer(kept_points, j), tuple(sorted(kept_stealers)))
            if not cuts or cut.key() != cuts[0].key():
                cuts.append(cut)
        return cuts
        return cuts


@dataclass
class BoundResult:
    """The loop's outcome: the proven bound, the best network it knows that meets the rule (None if
    none), whether that network is proven optimal, and the rounds with their figures."""

    bound: int
    network: tuple[int, ...] | None
    optimal: bool
    infeasible: bool = False
    rounds: list[dict[str, float]] = field(default_factory=list)
    cuts: int = 0
    seconds: float = 0.0


def _build(separator: Separator, rules: Rules, cuts: list[Cut]) -> tuple[_Model, np.ndarray]:
    """The bound model: the site variables, at least one site, the national sum of the catchments' rules
    (and the share rule, if any), and ``cuts`` (capacity cuts of single points through prefix
    variables)."""
    instance = separator.instance
    m = len(instance.sites)
    model = _Model()
    lower = np.zeros(m)
    lower[list(rules.fixed)] = 1.0
    y = model.add_cols(m, cost=1.0, lower=lower, upper=separator.allowed.astype(float), integer=True)
    model.add_rows([y], 1.0, 1.0, np.inf)
    if rules.share is not None:
        _add_coverage(model, instance, rules, y, count=None)
    sets, gpop, _ = _coverage_groups(instance, rules, separator.allowed, by_region=False)
    if sets:
        z = model.add_cols(len(sets))
        model.add_links(z, [y[s] for s in sets], -np.inf, 0.0)
        reachable = float(separator.pop[separator.counted].sum())
        model.add_rows([z], gpop, math.ceil(separator.share * reachable - 1e-6), np.inf)
    # prefix variables: u[i][r] = the open sites among point i's r + 1 nearest
    deepest: dict[int, int] = {}
    for cut in cuts:
        if cut.point is not None and cut.rank is not None and cut.rank > 0:
            deepest[cut.point] = max(deepest.get(cut.point, 0), cut.rank)
    prefix: dict[int, np.ndarray] = {}
    for i, r in sorted(deepest.items()):
        u = model.add_cols(r, upper=np.inf)
        sites = separator.order[i, :r]
        # u[0] = y[first]; u[k] = u[k - 1] + y[k-th]
        model.add_rows([np.r_[u[0], y[sites[0]]]], np.r_[1.0, -1.0], 0.0, 0.0)
        if r > 1:
            members = [np.r_[u[k], u[k - 1], y[sites[k]]] for k in range(1, r)]
            model.add_rows(members, np.tile([1.0, -1.0, -1.0], r - 1), 0.0, 0.0)
        prefix[i] = u
    for cut in cuts:
        if cut.point is not None and cut.rank is not None and cut.rank > 0:
            model.add_rows(
                [np.r_[y[cut.site], prefix[cut.point][cut.rank - 1]]], np.r_[1.0, -1.0], -np.inf, 0.0
            )
        else:
            model.add_rows(*_row(y, cut))
    return model, y


def _row(y: np.ndarray, cut: Cut) -> tuple[list[np.ndarray], np.ndarray, float, float]:
    """``cut`` as a row: ``y[site] − Σ y[closed] + Σ y[opened] ≤ |opened|``."""
    members = np.r_[y[cut.site], y[list(cut.closed)], y[list(cut.opened)]].astype(np.int64)
    vals = np.r_[1.0, -np.ones(len(cut.closed)), np.ones(len(cut.opened))]
    return [members], vals, -np.inf, float(len(cut.opened))


def _add_cuts(h: highspy.Highs, y: np.ndarray, cuts: Sequence[Cut]) -> None:
    starts: list[int] = []
    indices: list[int] = []
    values: list[float] = []
    upper: list[float] = []
    for cut in cuts:
        (members,), vals, _, up = _row(y, cut)
        starts.append(len(indices))
        indices.extend(members.tolist())
        values.extend(vals.tolist())
        upper.append(up)
    h.addRows(
        len(cuts),
        np.full(len(cuts), -highspy.kHighsInf),
        np.asarray(upper, dtype=float),
        len(indices),
        np.asarray(starts, dtype=np.int32),
        np.asarray(indices, dtype=np.int32),
        np.asarray(values, dtype=float),
    )


def catchment_bound(
    *,
    instance: Instance,
    rules: Rules,
    deadline: float = math.inf,
    incumbent: Callable[[], Sequence[int] | None] | None = None,
    on_round: Callable[[dict[str, float]], None] | None = None,
    repair: bool = True,
    capacity_neighbours: int = CAPACITY_NEIGHBOURS,
    max_rounds: int | None = None,
) -> BoundResult:
    """The loop of cuts (see the module's documentation) for the fewest sites under ``rules`` (with a
    per-catchment share; a share rule too is added to the model exactly), until a round's network meets
    the rules or ``deadline`` (``time.perf_counter()``) passes. ``incumbent`` gives, at each round, the
    best network known elsewhere that meets the rules (a local search running beside the loop): no round
    looks for networks as large. ``on_round`` hears each round's figures. ``repair``
    completes each round's network into one that meets the rules; ``capacity_neighbours`` (0: none) and
    ``max_rounds`` are there to measure the loop's parts."""
    started = time.perf_counter()
    separator = Separator(instance, rules)
    seen: set[tuple[int, tuple[int, ...], tuple[int, ...]]] = set()
    initial = separator.capacity_cuts(capacity_neighbours) if capacity_neighbours else []
    for cut in initial:
        seen.add(cut.key())
    model, y = _build(separator, rules, initial)
    h = model.highs()
    best: tuple[int, ...] | None = None
    bound = 0
    rounds: list[dict[str, float]] = []
    found: list[np.ndarray] = []

    def collect(event: Any) -> None:
        solution = np.asarray(event.data_out.mip_solution)
        if solution.size >= len(y):
            found.append(solution[y] > 0.5)

    h.cbMipImprovingSolution.subscribe(collect)
    optimal = infeasible = False
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            break
        known = incumbent() if incumbent is not None else None
        if known is not None and (best is None or len(known) < len(best)):
            best = tuple(sorted(known))
        if best is not None:
            if bound >= len(best):
                optimal = True
                break
            # only networks smaller than the best known are of interest
            h.setOptionValue("objective_bound", len(best) - 0.5)
        h.setOptionValue("time_limit", max(float(left), 0.1) if math.isfinite(left) else highspy.kHighsInf)
        found.clear()
        solve_started = time.perf_counter()
        h.run()
        solve_seconds = time.perf_counter() - solve_started
        status = h.getModelStatus()
        info = h.getInfo()
        if status in (highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kObjectiveBound):
            # no network smaller than the best known (or none at all) passes the cuts
            bound = max(bound, len(best)) if best is not None else bound
            optimal, infeasible = best is not None, best is None
            rounds.append(_round_figures(started, bound, best, len(seen), len(rounds) + 1))
            if on_round is not None:
                on_round(rounds[-1])
            break
        proven = info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else 0.0
        bound = max(bound, math.ceil(proven - 1e-6))
        networks = list(found)
        if info.primal_solution_status == 2:
            networks.append(np.asarray(h.getSolution().col_value)[y] > 0.5)
        new: list[Cut] = []
        for mask in networks:
            cuts = separator.network_cuts(mask)
            if not cuts and rules.met_by(instance, np.flatnonzero(mask).tolist()):
                if best is None or mask.sum() < len(best):
                    best = tuple(int(j) for j in np.flatnonzero(mask))
                continue
            for cut in cuts:
                if cut.key() not in seen:
                    seen.add(cut.key())
                    new.append(cut)
        if repair and networks and time.perf_counter() < deadline:
            fixed = tuple(sorted(set(rules.fixed) | set(np.flatnonzero(networks[-1]).tolist())))
            completed = _greedy_minimise(instance, dataclasses.replace(rules, fixed=fixed))
            if completed.found:
                trial = _pruned(instance, rules, instance.site_mask(completed.open_sites))
                if best is None or len(trial) < len(best):
                    best = trial
        rounds.append(_round_figures(started, bound, best, len(seen), len(rounds) + 1))
        rounds[-1]["solve_seconds"] = solve_seconds
        rounds[-1]["networks"] = float(len(networks))
        if on_round is not None:
            on_round(rounds[-1])
        if status == highspy.HighsModelStatus.kOptimal and best is not None and bound >= len(best):
            optimal = True
            break
        if not new or (max_rounds is not None and len(rounds) >= max_rounds):
            break  # a time limit stopped the round (a finished round always has a network to cut)
        _add_cuts(h, y, new)
    return BoundResult(
        bound=bound,
        network=best,
        optimal=optimal,
        infeasible=infeasible,
        rounds=rounds,
        cuts=len(seen),
        seconds=time.perf_counter() - started,
    )


def _round_figures(
    started: float, bound: int, best: tuple[int, ...] | None, cuts: int, number: int
) -> dict[str, float]:
    incumbent = float(len(best)) if best is not None else math.inf
    return {
        "round": float(number),
        "seconds": time.perf_counter() - started,
        "bound": float(bound),
        "incumbent": incumbent,
        "gap": (incumbent - bound) / incumbent if best is not None else math.inf,
        "cuts": float(cuts),
    }
