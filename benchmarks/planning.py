"""Network planner on the full data: time to build distances and to solve each scenario of
docs/planning.md to proven optimality, and greedy against optimal site counts side by side.

    .venv/bin/python benchmarks/planning.py [--time-limit 600] [--maps docs/planning] [--json]

Scenarios (40 km by road, circuity 1.3, 3,008 inhabited postal areas as demand, the 308 municipal
administrative centres as sites): the demo network's coverage; the fewest sites for 90 % of residents
nationally; the fewest so that every region reaches 90 %; the best 144 sites; the fewest meeting the
2014 per-catchment rule (90 % of every catchment within 40 km). Goal: at most 10 s each on a 2-core
machine. HiGHS stops at --time-limit and then reports the gap to its proven bound.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from asiointi.planning.evaluation import network_evaluate  # noqa: E402
from asiointi.planning.optimisation import (  # noqa: E402
    network_best_of_size,
    network_best_of_size_greedy,
    network_minimise,
    network_minimise_greedy,
)
from asiointi.planning.scenarios import demo_network, instance_build  # noqa: E402

RADIUS = 40.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=600.0)
    parser.add_argument("--maps", type=Path, help="write a PNG map and a CSV per scenario into this folder")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    t = time.perf_counter()
    instance = instance_build(existing=demo_network())
    build = time.perf_counter() - t
    centres = list(range(308))  # the administrative centres come first; the demo points after them
    demo = [instance.sites.index(s) for s in demo_network().ids]
    excluded = list(range(308, len(instance.sites)))  # optimise over the centres only
    rows: list[dict[str, object]] = []

    def record(name: str, exact, greedy=None) -> None:  # type: ignore[no-untyped-def]
        ev = network_evaluate(instance=instance, open_sites=exact.open_sites, radius_km=RADIUS)
        below = len(ev.sites_below(0.9))
        rows.append(
            {
                "scenario": name,
                "status": exact.status,
                "sites": len(exact.open_sites),
                "bound": exact.bound,
                "gap": exact.gap,
                "seconds": round(exact.seconds, 2),
                "greedy_sites": len(greedy.open_sites) if greedy is not None else None,
                "greedy_seconds": round(greedy.seconds, 2) if greedy is not None else None,
                "share_within": round(ev.share, 4),
                "catchments_below_90": below,
            }
        )
        print(
            f"  {name}: {exact.status}, {len(exact.open_sites)} sites, {exact.seconds:.2f} s", file=sys.stderr
        )
        if args.maps:
            from asiointi.planning.outputs import map_png, sites_csv

            args.maps.mkdir(parents=True, exist_ok=True)
            title = f"{name}: {len(ev.sites)} points, {100 * ev.share:.1f} % within {RADIUS:g} km"
            map_png(instance=instance, evaluation=ev, path=args.maps / f"{name}.png", title=title)
            with (args.maps / f"{name}.csv").open("w", encoding="utf-8", newline="") as out:
                sites_csv(instance=instance, evaluation=ev, out=out)

    t = time.perf_counter()
    evaluation = network_evaluate(instance=instance, open_sites=demo, radius_km=RADIUS)
    from asiointi.planning.optimisation import Solution

    record("demo", Solution("evaluation", "optimal", tuple(demo), None, seconds=time.perf_counter() - t))
    assert evaluation.population == sum(s.population for s in evaluation.sites)

    common = {"instance": instance, "radius_km": RADIUS, "excluded": excluded}
    record(
        "national-90",
        network_minimise(**common, share=0.9, time_limit=args.time_limit),
        network_minimise_greedy(**common, share=0.9),
    )
    record(
        "every-region-90",
        network_minimise(**common, share=0.9, per_region=True, time_limit=args.time_limit),
        network_minimise_greedy(**common, share=0.9, per_region=True),
    )
    record(
        "best-144",
        network_best_of_size(**common, count=144, time_limit=args.time_limit),
        network_best_of_size_greedy(**common, count=144),
    )
    record(
        "catchment-90",
        network_minimise(**common, catchment_share=0.9, time_limit=args.time_limit),
        network_minimise_greedy(**common, catchment_share=0.9),
    )
    del centres

    if args.json:
        print(json.dumps({"build_distances_seconds": round(build, 3), "scenarios": rows}, indent=2))
        return
    print(f"distances: {len(instance.demand)} demand points x {len(instance.sites)} sites in {build:.2f} s")
    print(
        f"{'scenario':<16} {'status':<11} {'sites':>5} {'bound':>9} {'gap':>7} {'seconds':>8} {'greedy':>6} {'greedy s':>8}"
    )
    for r in rows:
        bound = "" if r["bound"] is None else f"{r['bound']:.0f}"
        gap = "" if r["gap"] is None else f"{100 * float(r['gap']):.1f} %"  # type: ignore[arg-type]
        greedy = "" if r["greedy_sites"] is None else str(r["greedy_sites"])
        greedy_s = "" if r["greedy_seconds"] is None else f"{r['greedy_seconds']:.2f}"
        print(
            f"{r['scenario']:<16} {r['status']:<11} {r['sites']:>5} {bound:>9} {gap:>7} {r['seconds']:>8.2f} "
            f"{greedy:>6} {greedy_s:>8}"
        )


if __name__ == "__main__":
    main()
