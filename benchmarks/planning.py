"""Network planner on the full data: time to build distances and to solve each scenario of
docs/planning.md to proven optimality, and greedy against optimal site counts side by side.

    .venv/bin/python benchmarks/planning.py [--time-limit 600] [--maps docs/planning] [--json]

Scenarios (40 km by road, circuity 1.3, 3,008 inhabited postal areas as demand, the 308 municipal
administrative centres as sites): the demo network's coverage; the fewest sites for 90 % of residents
nationally; the fewest so that every region reaches 90 %; the best 144 sites; the fewest meeting the
2014 per-catchment rule (90 % of every catchment within 40 km). Goal: at most 10 s each on a 2-core
machine. HiGHS stops at --time-limit and then reports the gap to its proven bound. The seconds of the
exact solver are the wall time of the whole call (with the greedy start it runs first).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asiointi.demo.network import demo_sites as demo_network  # noqa: E402
from asiointi.planning.evaluation import network_evaluate  # noqa: E402
from asiointi.planning.optimisation import (  # noqa: E402
    Solution,
    network_best_of_size,
    network_best_of_size_greedy,
    network_minimise,
    network_minimise_greedy,
)
from asiointi.planning.scenarios import instance_build  # noqa: E402

RADIUS = 40.0
CENTRES = 308  # the administrative centres come first among the sites; the demo points after them


def timed(call: Callable[[], Solution]) -> tuple[Solution, float]:
    t = time.perf_counter()
    solution = call()
    return solution, time.perf_counter() - t


def bound_at(solution: Solution, time_limit: float) -> list[dict[str, Any]]:
    """For the per-catchment rule's loop of cuts: the best network's size and the proven bound as the
    run stood after 60 s, 300 s and 600 s (those within the time limit), from its rounds."""
    rounds = solution.details.get("bound_rounds")
    if not rounds:
        return []
    out = []
    for seconds in (60.0, 300.0, 600.0):
        if seconds > time_limit + 1:
            continue
        done = [r for r in rounds if r["seconds"] <= seconds + 1] or [rounds[0]]
        last = done[-1]
        bound = max(r["bound"] for r in done)
        sites = last["incumbent"] if math.isfinite(last["incumbent"]) else None
        out.append(
            {
                "seconds": seconds,
                "sites": None if sites is None else int(sites),
                "bound": bound,
                "gap": None if sites is None else (sites - bound) / sites,
            }
        )
    if rounds[-1]["seconds"] > (out[-1]["seconds"] if out else 0) + 1 or not out:
        out.append(
            {
                "seconds": solution.seconds,
                "sites": len(solution.open_sites),
                "bound": solution.bound,
                "gap": solution.gap,
            }
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--maps", type=Path, help="write a PNG map and a CSV per scenario into this folder")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", nargs="*", help="run only these scenarios (by name)")
    args = parser.parse_args()

    t = time.perf_counter()
    instance = instance_build(existing=demo_network())
    build = time.perf_counter() - t
    demo = [instance.sites.index(s) for s in demo_network().ids]
    common: dict[str, Any] = {
        "instance": instance,
        "radius_km": RADIUS,
        "excluded": list(range(CENTRES, len(instance.sites))),  # optimise over the centres only
    }
    limit = {"time_limit": args.time_limit}
    # name, exact solver, greedy heuristic (None for the evaluation of the demo network)
    scenarios: list[tuple[str, Callable[[], Solution], Callable[[], Solution] | None]] = [
        ("demo", lambda: Solution("evaluation", "optimal", tuple(demo), len(demo)), None),
        (
            "national-90",
            lambda: network_minimise(**common, **limit, share=0.9),
            lambda: network_minimise_greedy(**common, share=0.9),
        ),
        (
            "every-region-90",
            lambda: network_minimise(**common, **limit, share=0.9, per_region=True),
            lambda: network_minimise_greedy(**common, share=0.9, per_region=True),
        ),
        (
            "best-144",
            lambda: network_best_of_size(**common, **limit, count=144),
            lambda: network_best_of_size_greedy(**common, count=144),
        ),
        (
            "catchment-90",
            lambda: network_minimise(**common, **limit, catchment_share=0.9),
            lambda: network_minimise_greedy(**common, catchment_share=0.9),
        ),
    ]
    rows: list[dict[str, Any]] = []
    for name, exact_call, greedy_call in scenarios:
        if args.only and name not in args.only:
            continue
        exact, seconds = timed(exact_call)
        greedy, greedy_seconds = timed(greedy_call) if greedy_call is not None else (None, None)
        ev = network_evaluate(instance=instance, open_sites=exact.open_sites, radius_km=RADIUS)
        rows.append(
            {
                "scenario": name,
                "status": exact.status,
                "sites": len(exact.open_sites),
                "objective": exact.objective,
                "bound": exact.bound,
                "gap": exact.gap,
                "seconds": round(seconds, 2),
                "rounds": exact.rounds,
                "greedy_sites": len(greedy.open_sites) if greedy is not None else None,
                "greedy_objective": greedy.objective if greedy is not None else None,
                "greedy_seconds": round(greedy_seconds, 2) if greedy_seconds is not None else None,
                "share_within": round(ev.share, 4),
                "catchments_below_90": len(ev.sites_below(0.9)),
                "bound_at": bound_at(exact, args.time_limit),
            }
        )
        print(f"  {name}: {exact.status}, {len(exact.open_sites)} sites, {seconds:.2f} s", file=sys.stderr)
        if args.maps:
            from asiointi.planning.outputs import map_png, sites_csv

            args.maps.mkdir(parents=True, exist_ok=True)
            title = f"{name}: {len(ev.sites)} points, {100 * ev.share:.1f} % within {RADIUS:g} km"
            map_png(instance=instance, evaluation=ev, path=args.maps / f"{name}.png", title=title)
            with (args.maps / f"{name}.csv").open("w", encoding="utf-8", newline="") as out:
                sites_csv(instance=instance, evaluation=ev, out=out)

    if args.json:
        print(json.dumps({"build_distances_seconds": round(build, 3), "scenarios": rows}, indent=2))
        return
    for r in rows:
        if r.get("bound_at"):
            # the per-catchment rule: the loop of cuts' proven bound and the best network as the run stood
            print(f"{r['scenario']}: before the loop of cuts (November 2026): 94 sites, bound 54")
            for at in r["bound_at"]:
                gap = "" if at["gap"] is None else f", gap {100 * at['gap']:.1f} %"
                print(
                    f"  after {at['seconds']:>5.0f} s: {at['sites']} sites, proven bound {at['bound']:.0f}{gap}"
                )
    print(f"distances: {len(instance.demand)} demand points x {len(instance.sites)} sites in {build:.2f} s")
    header = ("scenario", "status", "sites", "bound", "gap", "seconds", "greedy", "greedy s", "within")
    print("{:<16} {:<11} {:>5} {:>9} {:>7} {:>8} {:>6} {:>8} {:>7}".format(*header))
    for r in rows:
        cells = (
            r["scenario"],
            r["status"],
            r["sites"],
            "" if r["bound"] is None else f"{r['bound']:.0f}",
            "" if r["gap"] is None else f"{100 * r['gap']:.1f} %",
            f"{r['seconds']:.2f}",
            "" if r["greedy_sites"] is None else r["greedy_sites"],
            "" if r["greedy_seconds"] is None else f"{r['greedy_seconds']:.2f}",
            f"{100 * r['share_within']:.1f} %",
        )
        print("{:<16} {:<11} {:>5} {:>9} {:>7} {:>8} {:>6} {:>8} {:>7}".format(*cells))


if __name__ == "__main__":
    main()
