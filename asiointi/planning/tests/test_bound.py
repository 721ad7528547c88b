"""The per-catchment bound's cuts and loop against exhaustive search, and on an instance made by hand."""

from __future__ import annotations

import numpy as np
import pytest

from asiointi.planning.bound import Separator, catchment_bound
from asiointi.planning.data import Demand, Sites
from asiointi.planning.evaluation import Instance
from asiointi.planning.optimisation import Rules, Solution, network_minimise
from asiointi.planning.tests.test_optimisation import all_networks, random_instance

RADIUS = 35.0


def meeting_networks(
    instance: Instance, share: float, fixed=(), excluded=()
) -> tuple[np.ndarray, np.ndarray]:
    """Every subset of sites, and which of them meet the per-catchment rule with the kept and excluded
    sites (by exhaustive search)."""
    candidates = np.ones(len(instance.sites), dtype=bool)
    candidates[list(excluded)] = False
    masks, *_, catchment_ok = all_networks(instance, RADIUS, candidates)
    ok = catchment_ok(share) & (masks.sum(axis=1) > 0)
    ok &= masks[:, list(fixed)].all(axis=1) & ~masks[:, list(excluded)].any(axis=1)
    return masks, ok


@pytest.mark.parametrize(
    "seed,sites,points,fixed,excluded",
    [(1, 10, 60, (), ()), (2, 12, 60, (), ()), (3, 15, 80, (), ()), (4, 13, 60, (0,), (1, 2))],
)
def test_cuts__random_instances__cut_off_their_network_and_no_network_that_meets_the_rule(
    seed, sites, points, fixed, excluded
):
    instance = random_instance(seed, sites, points=points)
    rules = Rules(RADIUS, catchment_share=0.9, fixed=fixed, excluded=excluded).checked(instance)
    masks, ok = meeting_networks(instance, 0.9, fixed, excluded)
    separator = Separator(instance, rules)
    good = masks[ok]

    capacity = separator.capacity_cuts()
    assert capacity  # the instances are sparse enough for some
    for cut in capacity:
        assert all(cut.holds(mask) for mask in good)

    # the cuts of networks that break the rule: each cuts off its network and no network that meets it
    rng = np.random.default_rng(seed)
    allowed = ~masks[:, list(excluded)].any(axis=1) & masks[:, list(fixed)].all(axis=1)
    breaking = np.flatnonzero(allowed & ~ok & (masks.sum(axis=1) > 0))
    kinds = {"capacity": 0, "stealer": 0}
    for index in rng.choice(breaking, size=min(150, breaking.size), replace=False).tolist():
        cuts = separator.network_cuts(masks[index])
        assert cuts
        for cut in cuts:
            assert not cut.holds(masks[index])
            assert all(cut.holds(mask) for mask in good)
            kinds["stealer" if cut.opened else "capacity"] += 1
    assert kinds["capacity"] and kinds["stealer"]  # both kinds were checked


@pytest.mark.parametrize("seed,sites", [(5, 10), (6, 12), (7, 15), (37, 15), (32, 15)])
def test_loop__random_instances__bound_never_exceeds_the_optimum_and_reaches_it(seed, sites):
    instance = random_instance(seed, sites, points=60)
    masks, ok = meeting_networks(instance, 0.9)
    optimum = int(masks[ok].sum(axis=1).min())
    rules = Rules(RADIUS, catchment_share=0.9).checked(instance)

    for capacity_neighbours in (0, 15):  # with the loop's cuts alone, and with the capacity cuts first
        result = catchment_bound(
            instance=instance, rules=rules, repair=False, capacity_neighbours=capacity_neighbours
        )
        assert [r["bound"] <= optimum for r in result.rounds] == [True] * len(result.rounds)
        assert result.optimal and result.bound == optimum
        assert result.network is not None and len(result.network) == optimum
        assert ok[int("".join("1" if j in result.network else "0" for j in range(sites)), 2)]


def capacity_instance() -> Instance:
    """Towns A and B (1,000 residents each) 60 km apart with a site in each, and a city C (10,000) far
    from both, with its own site. Within 30 km, the sum of all catchments' rules is met by the sites of
    C and A (11,000 of 12,000 residents within), but then B's residents are in A's catchment, which has
    only A's 1,000 within 30 km: the rule needs all three sites."""
    demand = Demand.build(ids=["A", "B", "C"], lat=[0, 0, 0], lon=[0, 0, 0], population=[1000, 1000, 10000])
    sites = Sites.build(ids=["a", "b", "c"], lat=[0, 0, 0], lon=[0, 0, 0])
    km = np.array([[0.0, 50.0, 500.0], [60.0, 0.0, 500.0], [500.0, 500.0, 0.0]])
    return Instance(demand=demand, sites=sites, km=km)


def test_loop__capacity_cut_decides__proves_three_sites_where_the_plain_model_proves_two():
    instance = capacity_instance()
    rules = Rules(30.0, catchment_share=0.9).checked(instance)

    plain = catchment_bound(instance=instance, rules=rules, repair=False, capacity_neighbours=0, max_rounds=1)
    with_cuts = catchment_bound(instance=instance, rules=rules, repair=False, max_rounds=1)

    assert plain.bound == 2 and not plain.optimal
    # B's 1,000 residents are too many for A's catchment (1,000 within 30 km), and A's for B's
    assert {(c.site, c.closed) for c in Separator(instance, rules).capacity_cuts()} >= {(0, (1,)), (1, (0,))}
    assert with_cuts.bound == 3 and with_cuts.optimal and with_cuts.network == (0, 1, 2)
    assert network_minimise(instance=instance, radius_km=30.0, catchment_share=0.9).open_sites == (0, 1, 2)


def test_minimise__per_catchment_rule__reports_the_loops_bound_and_gap():
    instance = random_instance(7, 15, points=60)
    masks, ok = meeting_networks(instance, 0.9)
    optimum = int(masks[ok].sum(axis=1).min())

    solution = network_minimise(instance=instance, radius_km=RADIUS, catchment_share=0.9)

    assert solution.status == "optimal"
    assert (len(solution.open_sites), solution.bound, solution.gap) == (optimum, optimum, 0.0)
    assert solution.details["bound_rounds"][-1]["bound"] == optimum


def test_plan_command__time_limit__says_the_proven_bound_and_prints_the_rounds(monkeypatch):
    import io
    import json

    from django.core.management import call_command

    from asiointi.planning.management.commands import plan
    from asiointi.planning.scenarios import Result

    instance = random_instance(7, 15, points=60)
    # a run that the time limit stops after one round of the loop (max_rounds stands in for the clock)
    rules = Rules(RADIUS, catchment_share=0.9).checked(instance)
    loop = catchment_bound(instance=instance, rules=rules, capacity_neighbours=0, max_rounds=1)
    assert loop.network is not None and not loop.optimal
    solution = Solution(
        "optimal",
        "time_limit",
        loop.network,
        len(loop.network),
        bound=float(loop.bound),
        gap=(len(loop.network) - loop.bound) / len(loop.network),
        details={"bound_rounds": loop.rounds},
    )

    def run(*, scenario, **kwargs):
        return Result(instance, scenario, loop.network, solution=solution)

    monkeypatch.setattr(plan, "scenario_run", run)
    texts = {}
    for options in (["--language", "en"], ["--language", "sv"], ["--json"]):
        out = io.StringIO()
        call_command("plan", "optimise", "--catchment-share", "90", "--network", "none", *options, stdout=out)
        texts[options[-1]] = out.getvalue()

    assert f"No network of fewer than {loop.bound} sites can meet the rules" in texts["en"]
    assert f"Inget nät med färre än {loop.bound} verksamhetsställen kan uppfylla reglerna" in texts["sv"]
    rounds = json.loads(texts["--json"])["solution"]["bound_rounds"]
    assert [r["bound"] for r in rounds] == [loop.bound]
    assert rounds[0]["incumbent"] == len(loop.network)
