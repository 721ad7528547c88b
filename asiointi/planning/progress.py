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
