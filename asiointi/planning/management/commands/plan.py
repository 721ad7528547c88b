"""``manage.py plan evaluate|optimise``: coverage of a network of service points and the network that
meets a rule. The work is done by asiointi.planning.scenarios; this command only reads options, shows
progress and writes the outputs."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Literal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from tqdm import tqdm

from asiointi.planning.data import Sites
from asiointi.planning.optimisation import PlanningError
from asiointi.planning.outputs import map_html, map_png, sites_csv
from asiointi.planning.scenarios import NETWORK_SOURCES, Result, Scenario, scenario_run
from asiointi.planning.services import map_texts

STEPS = {"distances": 1, "optimal": 2, "greedy": 3}


def database_network() -> Sites:
    """The service points active today, from the database."""
    from asiointi.planning.selectors import existing_network_sites

    return existing_network_sites()


def share(text: str) -> float:
    value = float(text.rstrip("%")) / (100 if text.endswith("%") or float(text.rstrip("%")) > 1 else 1)
    if not 0 < value <= 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Evaluates a network of service points (share of residents within a distance, per point and region) "
        "or finds the fewest sites that meet a rule, or the best network of a given size."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["evaluate", "optimise", "optimize"])
        parser.add_argument(
            "--network",
            choices=[*NETWORK_SOURCES, "db", "none"],
            default="demo" if "demo" in NETWORK_SOURCES else "db",
            help="Existing points: the demo's (default), those active in the database, or none.",
        )
        parser.add_argument(
            "--site",
            action="append",
            default=[],
            help="A site by municipality code (its administrative centre), point id or 'lat,lon'; repeat. "
            "evaluate: added to the network; optimise: kept open.",
        )
        parser.add_argument("--radius", type=float, default=40.0, help="Distance by road in km (default 40).")
        parser.add_argument(
            "--share", type=share, help="optimise: share of residents within the radius, e.g. 0.9."
        )
        parser.add_argument("--per-region", action="store_true", help="optimise: the share in every region.")
        parser.add_argument(
            "--catchment-share",
            type=share,
            help="optimise: share within the radius in every point's catchment.",
        )
        parser.add_argument("--count", type=int, help="optimise: the best network of this many sites.")
        parser.add_argument(
            "--keep-network", action="store_true", help="optimise: keep the existing points open."
        )
        parser.add_argument(
            "--exclude-municipality", action="append", default=[], help="optimise: no new site here; repeat."
        )
        parser.add_argument(
            "--exclude-offices",
            action="store_true",
            help="optimise: no new site where an agency of the demo has its own office.",
        )
        parser.add_argument("--circuity", type=float, default=1.3, help="Road / straight-line factor (1.3).")
        parser.add_argument("--distances", type=Path, help="CSV of demand_id,site_id,km road distances.")
        parser.add_argument("--time-limit", type=float, help="optimise: stop HiGHS after this many seconds.")
        parser.add_argument("--no-greedy", action="store_true", help="optimise: skip the greedy comparison.")
        parser.add_argument(
            "--csv", type=Path, help="Write the sites with their catchments to this CSV file."
        )
        parser.add_argument("--png", type=Path, help="Write a map to this PNG file.")
        parser.add_argument("--html", type=Path, help="Write an interactive map to this HTML file.")
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="Language of the messages and the maps' words (default: the product's, fi).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self.plan(options)

    def plan(self, options: dict[str, Any]) -> None:
        optimise = options["action"] != "evaluate"
        sources = {name: source.sites for name, source in NETWORK_SOURCES.items()}
        existing = {**sources, "db": database_network, "none": lambda: None}[options["network"]]()
        sites = list(options["site"])
        if not optimise or options["keep_network"]:
            sites = ([*existing.ids] if existing is not None else []) + sites
        excluded = list(options["exclude_municipality"])
        if options["exclude_offices"] and "demo" in NETWORK_SOURCES:
            excluded += NETWORK_SOURCES["demo"].office_municipalities()
        mode: Literal["evaluate", "minimise", "best"] = (
            ("best" if options["count"] else "minimise") if optimise else "evaluate"
        )
        try:
            scenario = Scenario(
                mode=mode,
                radius_km=options["radius"],
                share=options["share"],
                per_region=options["per_region"],
                catchment_share=options["catchment_share"],
                count=options["count"],
                sites=tuple(sites),
                excluded_municipalities=tuple(excluded),
                circuity=options["circuity"],
                distance_csv=options["distances"],
                time_limit=options["time_limit"],
                greedy=not options["no_greedy"],
            )
            with tqdm(total=3 if optimise else 1, desc="plan", unit="step", disable=None) as bar:

                def on_step(name: str) -> None:
                    bar.set_description(name)
                    bar.n = STEPS[name] - 1
                    bar.refresh()

                def on_progress(p: dict[str, float]) -> None:
                    gap = p["gap"]
                    figures = {
                        "best": "-" if math.isinf(p["incumbent"]) else f"{p['incumbent']:.0f}",
                        "gap": "-" if math.isinf(gap) else f"{gap:.1%}",
                    }
                    if "round" in p:  # the per-catchment rule's loop of cuts: its bound, round by round
                        figures.update({"round": f"{p['round']:.0f}", "bound": f"{p['bound']:.0f}"})
                    bar.set_postfix(**figures)

                result = scenario_run(
                    scenario=scenario, existing=existing, on_step=on_step, on_progress=on_progress
                )
                bar.n = bar.total
                bar.refresh()
        except (PlanningError, ValueError, OSError) as error:
            raise CommandError(str(error)) from error
        self.write_outputs(result, options)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            self.summary(result)

    def write_outputs(self, result: Result, options: dict[str, Any]) -> None:
        if not result.open_sites:
            return
        evaluation = result.evaluation()
        texts = map_texts(translation.get_language() or settings.LANGUAGE_CODE)
        title = _("%(count)s service points: %(share)s of residents within %(km)s km") % {
            "count": len(evaluation.sites),
            "share": texts.percent(evaluation.share),
            "km": f"{evaluation.radius_km:g}",
        }
        if options["csv"]:
            with options["csv"].open("w", encoding="utf-8", newline="") as out:
                sites_csv(instance=result.instance, evaluation=evaluation, out=out)
        if options["png"]:
            map_png(
                instance=result.instance, evaluation=evaluation, path=options["png"], title=title, texts=texts
            )
        if options["html"]:
            map_html(
                instance=result.instance,
                evaluation=evaluation,
                path=options["html"],
                title=title,
                texts=texts,
            )

    def summary(self, result: Result) -> None:
        solution = result.solution
        if solution is not None:
            if not solution.found:
                self.stdout.write(_("No network meets the rules."))
                return
            if solution.status == "time_limit":
                self.stdout.write(
                    _(
                        "The time limit stopped the solver: the best network found, at most %(gap)s from the optimum."
                    )
                    % {"gap": f"{100 * (solution.gap or 0):.1f} %"}
                )
                if result.scenario.mode == "minimise" and solution.bound:
                    self.stdout.write(
                        _(
                            "No network of fewer than %(bound)s sites can meet the rules: that is the proven bound."
                        )
                        % {"bound": f"{solution.bound:.0f}"}
                    )
            else:
                self.stdout.write(_("Proven optimal."))
            if result.greedy is not None and result.greedy.found:
                self.stdout.write(
                    _("Optimal: %(optimal)s sites; greedy heuristic: %(greedy)s sites.")
                    % {"optimal": len(solution.open_sites), "greedy": len(result.greedy.open_sites)}
                )
        evaluation = result.evaluation()
        self.stdout.write(
            _(
                "%(within)s of %(population)s residents (%(share)s) live within %(km)s km of one of %(count)s points."
            )
            % {
                "within": evaluation.within,
                "population": evaluation.population,
                "share": f"{100 * evaluation.share:.1f} %",
                "km": f"{evaluation.radius_km:g}",
                "count": len(evaluation.sites),
            }
        )
        for s in evaluation.sites:
            self.stdout.write(
                f"  {s.site_id:>14}  {s.name:<40} {s.population:>9}  "
                + ("–" if s.share is None else f"{100 * s.share:5.1f} %")
            )
