"""How far a scenario's run has come, in words: the same for the page, its polling and its WebSocket."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Scenario, ScenarioStatus, ScenarioStep


def status_text(scenario: Scenario) -> str:
    if scenario.status == ScenarioStatus.QUEUED:
        return _("Waiting for a worker to start the run.")
    if scenario.status == ScenarioStatus.RUNNING:
        step = ScenarioStep(scenario.step).label if scenario.step in ScenarioStep.values else ""
        figures = scenario.progress or {}
        if figures.get("round") is not None and figures.get("bound") is not None:
            # the per-catchment rule's loop of cuts: its proven bound rises round by round
            values = {
                "step": step,
                "round": number_format(figures["round"], 0),
                "bound": number_format(figures["bound"], 0, force_grouping=True),
            }
            if figures.get("incumbent") is None or figures.get("gap") is None:
                return (
                    _(
                        "Running: %(step)s. Round %(round)s: no network of fewer than %(bound)s sites meets the rule."
                    )
                    % values
                )
            values["best"] = number_format(figures["incumbent"], 0, force_grouping=True)
            values["gap"] = number_format(round(100 * figures["gap"], 1), 1)
            return (
                _(
                    "Running: %(step)s. Round %(round)s: best found so far %(best)s; no network of fewer than "
                    "%(bound)s sites meets the rule (gap %(gap)s %%)."
                )
                % values
            )
        if figures.get("incumbent") is not None:
            best = number_format(figures["incumbent"], 0, force_grouping=True)
            if figures.get("gap") is None:  # a starting network, before the solver has a bound
                return _("Running: %(step)s. Best found so far %(best)s.") % {"step": step, "best": best}
            return _("Running: %(step)s. Best found so far %(best)s, gap %(gap)s %%.") % {
                "step": step,
                "best": best,
                "gap": number_format(round(100 * figures["gap"], 1), 1),
            }
        return _("Running: %(step)s.") % {"step": step}
    if scenario.status == ScenarioStatus.DONE:
        return _("The result is ready.")
    return _("The run ended without a result.")


def scenario_status_data(scenario: Scenario) -> dict[str, object]:
    """The run's status as the page follows it (by polling or over the WebSocket), in the active
    language."""
    return {
        "status": scenario.status,
        "finished": scenario.finished,
        "step": scenario.step,
        "text": status_text(scenario),
    }
