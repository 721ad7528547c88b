"""The network planner's pages: saved scenarios, a new one, its progress and its result.

Who may use them: network planners and administrators, for every scenario (the network is national);
anyone else signed in gets 403, an anonymous visitor is sent to sign in. Reads go through
:mod:`asiointi.planning.selectors`, which refuse everyone else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asiointi.core.events import events_shared_between_processes

from . import selectors, services
from .forms import ScenarioForm
from .models import Scenario, ScenarioFailure, ScenarioStatus, ScenarioStep
from .progress import scenario_status_data, status_text
from .routing import scenario_progress_path

#: The steps a run shows, in order (an evaluation has no solver steps).
OPTIMISE_STEPS = (ScenarioStep.DISTANCES, ScenarioStep.OPTIMAL, ScenarioStep.GREEDY, ScenarioStep.OUTPUTS)
EVALUATE_STEPS = (ScenarioStep.DISTANCES, ScenarioStep.OUTPUTS)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def scenario_index(request: HttpRequest) -> HttpResponse:
    """Planners and administrators: the saved scenarios, and the form for a new one (POST saves it
    and queues its run, then shows its page)."""
    selectors.scenario_list(viewer=request.user)  # refuses those who do not plan, before any write
    # A run whose worker died is marked failed here too (not only by the scheduler), so that the
    # planner sees it and it no longer counts against their limit.
    services.scenario_fail_abandoned()
    scenarios = list(selectors.scenario_list(viewer=request.user))
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        if form.is_valid():
            try:
                scenario = services.scenario_create(created_by=request.user, data=form.scenario_input())  # type: ignore[arg-type]
            except services.TooManyUnfinished:
                form.add_error(
                    None,
                    ngettext(
                        "You already have %(count)s scenario waiting or running. Save this one when it "
                        "has finished; what you wrote is kept here.",
                        "You already have %(count)s scenarios waiting or running. Save this one when one "
                        "of them has finished; what you wrote is kept here.",
                        settings.PLANNING_MAX_UNFINISHED,
                    )
                    % {"count": settings.PLANNING_MAX_UNFINISHED},
                )
                return render(
                    request, "planning/index.html", {"form": form, "scenarios": scenarios}, status=429
                )
            messages.success(request, _("The scenario was saved and its run has been queued."))
            return redirect("planning:scenario", scenario_id=scenario.pk)
        status = 400
    else:
        form = ScenarioForm()
        status = 200
    return render(request, "planning/index.html", {"form": form, "scenarios": scenarios}, status=status)


def _steps(scenario: Scenario) -> list[dict[str, object]]:
    order = EVALUATE_STEPS if scenario.mode == "evaluate" else OPTIMISE_STEPS
    names = [s.value for s in order]
    current = names.index(scenario.step) if scenario.step in names else -1
    if scenario.finished:
        current = len(names)
    return [
        {"label": step.label, "done": k < current, "current": k == current} for k, step in enumerate(order)
    ]


def _profile_table(coverage: list[dict[str, Any]]) -> tuple[list[str], list[tuple[str, list[float]]]]:
    """The result's coverage by profile as a table: a column for any point and for each profile (the
    fuller to the right, named in the visitor's language), a row for the whole country and each region."""
    if not coverage:
        return [], []
    names = selectors.profile_names()
    columns = [_("Any service point") if not c["code"] else names.get(c["code"], c["code"]) for c in coverage]
    rows = [(_("Whole country"), [c["share_within"] for c in coverage])]
    for k, region in enumerate(coverage[0]["regions"]):
        rows.append((region["name"], [c["regions"][k]["share_within"] for c in coverage]))
    return columns, rows


@never_cache
@login_required
@require_GET
def scenario_detail(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Planners and administrators: one scenario, its progress while it runs and its result."""
    scenario = selectors.access_scenario(viewer=request.user, scenario_id=scenario_id)
    result = scenario.result or {}
    evaluation = result.get("evaluation") or {}
    profile_columns, profile_rows = _profile_table(result.get("profiles") or [])
    return render(
        request,
        "planning/detail.html",
        {
            "scenario": scenario,
            "steps": _steps(scenario),
            "status_text": status_text(scenario),
            # Followed live over a WebSocket when the worker's events reach this process (Redis);
            # the page polls when there is no socket or it cannot connect.
            "socket_path": scenario_progress_path(scenario.pk) if events_shared_between_processes() else "",
            "failure": ScenarioFailure(scenario.failure).label if scenario.failure else "",
            "solution": result.get("solution"),
            "new_sites": (result.get("solution") or {}).get("new_sites"),
            "profile_columns": profile_columns,
            "profile_rows": profile_rows,
            "greedy": result.get("greedy"),
            "evaluation": evaluation,
            "sites": sorted(evaluation.get("sites", []), key=lambda s: s["name"]),
            "regions": evaluation.get("regions", []),
            "beyond": sorted(
                evaluation.get("beyond_by_municipality", []), key=lambda m: -int(m.get("beyond") or 0)
            ),
        },
    )


@never_cache
@login_required
@require_GET
def scenario_status(request: HttpRequest, scenario_id: int) -> JsonResponse:
    """Planners and administrators: the run's status as JSON, for the page to follow while it runs."""
    scenario = selectors.access_scenario(viewer=request.user, scenario_id=scenario_id)
    return JsonResponse(scenario_status_data(scenario))


def _download(scenario: Scenario, content: bytes | str, content_type: str, suffix: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="scenario-{scenario.pk}-{suffix}"'
    return response


def _finished_or_404(request: HttpRequest, scenario_id: int) -> Scenario:
    scenario = selectors.access_scenario(viewer=request.user, scenario_id=scenario_id)
    if scenario.status != ScenarioStatus.DONE:
        raise Http404
    return scenario


@login_required
@require_GET
def scenario_csv(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Planners and administrators: the sites with their catchments as CSV."""
    scenario = _finished_or_404(request, scenario_id)
    return _download(scenario, scenario.sites_csv, "text/csv; charset=utf-8", "sites.csv")


@login_required
@require_GET
def scenario_png(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Planners and administrators: the map as a PNG image (shown on the scenario's page)."""
    scenario = _finished_or_404(request, scenario_id)
    drawn = selectors.scenario_map(scenario=scenario, language=request.LANGUAGE_CODE)
    return HttpResponse(bytes(drawn.png), content_type="image/png")


@login_required
@require_GET
def scenario_html(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Planners and administrators: the interactive map, a self-contained HTML file to download
    (it runs from the planner's own computer, outside this site)."""
    scenario = _finished_or_404(request, scenario_id)
    drawn = selectors.scenario_map(scenario=scenario, language=request.LANGUAGE_CODE)
    return _download(scenario, drawn.html, "text/html; charset=utf-8", "map.html")


@login_required
@require_POST
def scenario_delete(request: HttpRequest, scenario_id: int) -> HttpResponse:
    """Planners and administrators: delete a saved scenario."""
    scenario = selectors.access_scenario(viewer=request.user, scenario_id=scenario_id)
    name = scenario.name
    services.scenario_delete(scenario=scenario)
    messages.success(request, _("The scenario “%(name)s” was deleted.") % {"name": name})
    return redirect("planning:index")
