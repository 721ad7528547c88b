"""The planner's pages: a scenario saved from the form runs in the database worker, its page follows the
run and then shows the result; bad input is refused in the visitor's language and saves nothing; only
planners and administrators get in."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from asiointi.accounts.models import AGENCY_ROLES, POINT_ROLES, Role
from asiointi.planning import services
from asiointi.planning.models import Scenario, ScenarioStatus

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "fi", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


FORM = {
    "name": "Keski-Suomi 90/40",
    "mode": "minimise",
    "radius_km": "40",
    "share": "90",
    "catchment_share": "",
    "count": "",
    "sites": "",
    "circuity": "1,3",
    "time_limit": "60",
}


@pytest.fixture
def planner(staff_client: Any) -> Client:
    client: Client = staff_client(Role.NETWORK_PLANNER)
    return client


def save(client: Client, django_capture_on_commit_callbacks: Any, **changes: str) -> Any:
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url("planning:index"), {**FORM, **changes})


def test_scenario_saved__runs_in_the_worker_and_shows_the_result(
    planner, task_worker, django_capture_on_commit_callbacks
):
    response = save(planner, django_capture_on_commit_callbacks)

    scenario = Scenario.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("planning:scenario", scenario_id=scenario.pk)
    assert scenario.status == ScenarioStatus.QUEUED
    assert scenario.share == pytest.approx(0.9) and scenario.circuity == pytest.approx(1.3)
    waiting = planner.get(url("planning:scenario_status", scenario_id=scenario.pk)).json()
    assert waiting == {"status": "queued", "finished": False, "step": "", "text": waiting["text"]}
    assert "Odotetaan" in waiting["text"]

    task_worker()

    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.DONE
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert scenario.result is not None
    solution = scenario.result["solution"]
    assert solution["status"] == "optimal"
    evaluation = scenario.result["evaluation"]
    assert evaluation["share_within"] >= 0.9
    assert evaluation["population"] == sum(s["catchment_population"] for s in evaluation["sites"])
    page = planner.get(url("planning:scenario", scenario_id=scenario.pk)).content.decode()
    assert f"Todistetusti optimaalinen: {solution['site_count']} toimipistettä." in page
    assert "progress.js" not in page  # a finished run is not followed any more
    rows = list(
        csv.DictReader(
            io.StringIO(planner.get(url("planning:scenario_csv", scenario_id=scenario.pk)).content.decode())
        )
    )
    assert len(rows) == solution["site_count"]
    png = planner.get(url("planning:scenario_png", scenario_id=scenario.pk))
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    html = planner.get(url("planning:scenario_html", scenario_id=scenario.pk))
    assert html["Content-Disposition"].startswith("attachment;") and b"<svg" in html.content
    # the maps are drawn in every language: each planner downloads the words of the page's language
    pages = {
        language: planner.get(
            url("planning:scenario_html", language, scenario_id=scenario.pk)
        ).content.decode()
        for language in ("fi", "sv", "en")
    }
    for language, zoom in (("fi", "Lähennä"), ("sv", "Zooma in"), ("en", "Zoom in")):
        assert f'<html lang="{language}">' in pages[language] and f">{zoom}</button>" in pages[language]
    assert "palvelupisteestä" in pages["fi"] and "serviceställena" in pages["sv"]
    # municipalities by their name in the language where it has one, and the data's credit translated
    assert "<title>Helsinki: " in pages["fi"] and "<title>Helsingfors: " in pages["sv"]
    assert "Tilastokeskuksen" in pages["fi"] and "Statistikcentralen" in pages["sv"]
    images = {
        language: planner.get(url("planning:scenario_png", language, scenario_id=scenario.pk)).content
        for language in ("fi", "sv")
    }
    assert images["fi"].startswith(b"\x89PNG") and images["fi"] != images["sv"]  # the legend's words


def test_scenario_run__reports_each_step_while_it_runs(
    task_worker, planner, django_capture_on_commit_callbacks, monkeypatch
):
    save(planner, django_capture_on_commit_callbacks)
    scenario = Scenario.objects.get()
    seen: list[tuple[str, str]] = []
    real = services.scenario_run

    def spying(**kwargs: Any) -> Any:
        step = kwargs["on_step"]

        def on_step(name: str) -> None:
            step(name)
            text = planner.get(url("planning:scenario_status", "en", scenario_id=scenario.pk)).json()["text"]
            seen.append((Scenario.objects.get(pk=scenario.pk).step, text))

        return real(**{**kwargs, "on_step": on_step})

    monkeypatch.setattr(services, "scenario_run", spying)
    task_worker()

    assert [step for step, _ in seen] == ["distances", "optimal", "greedy"]
    assert seen[0][1] == "Running: Building the distances."
    assert seen[1][1].startswith("Running: Solving to proven optimality")


def test_scenario_status__solver_figures__best_network_so_far_with_the_gap_once_there_is_a_bound(
    planner, django_capture_on_commit_callbacks
):
    save(planner, django_capture_on_commit_callbacks)
    scenario = Scenario.objects.get()
    status_url = url("planning:scenario_status", "fi", scenario_id=scenario.pk)
    running = {"status": ScenarioStatus.RUNNING, "step": "optimal"}
    # the local search's starting network has no bound yet (the worker stores the infinite gap as null)
    Scenario.objects.filter(pk=scenario.pk).update(
        **running, progress={"seconds": 61.0, "incumbent": 1095.0, "bound": None, "gap": None}
    )
    assert planner.get(status_url).json()["text"].endswith("Paras tähän mennessä 1\xa0095.")
    Scenario.objects.filter(pk=scenario.pk).update(
        progress={"seconds": 90.0, "incumbent": 95.0, "bound": 52.0, "gap": 0.4526}
    )
    # the gap rounded, not cut, to one decimal
    assert (
        planner.get(status_url).json()["text"].endswith("Paras tähän mennessä 95, optimaalisuusväli 45,3 %.")
    )


def test_scenario_status__loop_of_cuts__shows_the_bound_rising_round_by_round(
    planner, django_capture_on_commit_callbacks
):
    save(planner, django_capture_on_commit_callbacks, catchment_share="90", share="")
    scenario = Scenario.objects.get()
    status_url = url("planning:scenario_status", "en", scenario_id=scenario.pk)
    Scenario.objects.filter(pk=scenario.pk).update(
        status=ScenarioStatus.RUNNING,
        step="optimal",
        progress={"round": 1.0, "seconds": 20.0, "incumbent": None, "bound": 59.0, "gap": None},
    )
    assert planner.get(status_url).json()["text"] == (
        "Running: Solving to proven optimality. Round 1: no network of fewer than 59 sites meets the rule."
    )
    Scenario.objects.filter(pk=scenario.pk).update(
        progress={"round": 6.0, "seconds": 411.0, "incumbent": 94.0, "bound": 79.0, "gap": 0.15957}
    )
    texts = {
        language: planner.get(url("planning:scenario_status", language, scenario_id=scenario.pk)).json()[
            "text"
        ]
        for language in ("fi", "sv", "en")
    }
    assert texts["en"].endswith(
        "Round 6: best found so far 94; no network of fewer than 79 sites meets the rule (gap 16.0 %)."
    )
    assert texts["fi"].endswith(
        "Kierros 6: paras tähän mennessä 94; yksikään alle 79 toimipisteen verkosto ei täytä sääntöä "
        "(optimaalisuusväli 16,0 %)."
    )
    assert "Omgång 6: bästa hittills 94; inget nät med färre än 79 verksamhetsställen" in texts["sv"]


def test_scenario_result__time_limit__the_page_shows_the_proven_bound_in_every_language(
    planner, task_worker, django_capture_on_commit_callbacks
):
    save(planner, django_capture_on_commit_callbacks)
    task_worker()
    scenario = Scenario.objects.get()
    assert scenario.result is not None
    # as the per-catchment rule's loop of cuts leaves it on the full data when the time limit stops it
    solution = {**scenario.result["solution"], "status": "time_limit", "bound": 79.0, "gap": 0.1596}
    Scenario.objects.filter(pk=scenario.pk).update(result={**scenario.result, "solution": solution})

    pages = {
        language: planner.get(url("planning:scenario", language, scenario_id=scenario.pk)).content.decode()
        for language in ("fi", "sv", "en")
    }

    assert "No network of fewer than 79 sites can meet the rules: that is the proven bound." in pages["en"]
    assert (
        "Yksikään alle 79 toimipisteen verkosto ei voi täyttää sääntöjä: se on todistettu alaraja."
        in pages["fi"]
    )
    assert "Inget nät med färre än 79 verksamhetsställen kan uppfylla reglerna" in pages["sv"]


def test_scenario_form__errors_in_the_visitors_language__nothing_saved_or_queued(planner):
    response = planner.post(
        url("planning:index", "sv"), {**FORM, "share": "", "sites": "226\nHelsingfors\n10,10"}
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Ange andelen invånare som ska nås" in page
    assert "Helsingfors, 10,10" in page
    assert 'aria-invalid="true"' in page and 'id="error-summary"' in page
    assert Scenario.objects.count() == 0
    assert DBTaskResult.objects.count() == 0


def test_scenario_form__best_network_needs_its_size(planner):
    response = planner.post(url("planning:index", "en"), {**FORM, "mode": "best", "count": ""})

    assert response.status_code == 400
    assert "Give the number of sites of the network." in response.content.decode()
    assert Scenario.objects.count() == 0


def test_scenario_infeasible__ends_with_the_reason(planner, task_worker, django_capture_on_commit_callbacks):
    save(planner, django_capture_on_commit_callbacks, radius_km="1", share="100")
    task_worker()

    scenario = Scenario.objects.get()
    assert scenario.status == ScenarioStatus.FAILED and scenario.failure == "infeasible"
    page = planner.get(url("planning:scenario", "en", scenario_id=scenario.pk)).content.decode()
    assert "No network of the allowed sites meets the rule." in page
    assert planner.get(url("planning:scenario_csv", scenario_id=scenario.pk)).status_code == 404


def test_scenario_execute__twice__runs_once(planner, django_capture_on_commit_callbacks):
    save(planner, django_capture_on_commit_callbacks, mode="evaluate", sites="226\n62.5,25.7")
    scenario = Scenario.objects.get()

    assert services.scenario_execute(scenario_id=scenario.pk) == "done"
    finished = Scenario.objects.get(pk=scenario.pk).finished_at
    assert services.scenario_execute(scenario_id=scenario.pk) == "skipped"

    scenario.refresh_from_db()
    assert scenario.finished_at == finished
    assert scenario.result is not None
    assert scenario.result["evaluation"]["site_count"] == 2


@pytest.mark.parametrize(
    "role", [Role.ADVISOR, Role.POINT_MANAGER, Role.EXPERT, Role.AGENCY_COORDINATOR, Role.INTERPRETER]
)
def test_other_roles__refused__and_their_writes_change_nothing(
    role, staff_client, planner, point_a, kela, django_capture_on_commit_callbacks
):
    save(planner, django_capture_on_commit_callbacks)
    scenario = Scenario.objects.get()
    scope = {"point": point_a} if role in POINT_ROLES else {"agency": kela} if role in AGENCY_ROLES else {}
    other: Client = staff_client(role, **scope)

    assert other.get(url("planning:index")).status_code == 403
    assert other.get(url("planning:scenario", scenario_id=scenario.pk)).status_code == 403
    assert other.post(url("planning:index"), FORM).status_code == 403
    assert other.post(url("planning:scenario_delete", scenario_id=scenario.pk)).status_code == 403
    assert list(Scenario.objects.values_list("pk", flat=True)) == [scenario.pk]
    assert "Verkoston suunnittelu" not in other.get(url("web:home")).content.decode()


def test_anonymous__sent_to_sign_in(db):
    response = Client().get(url("planning:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(url("accounts:login"))


def test_planner__sees_the_navigation_link_and_deletes_a_scenario(
    planner, django_capture_on_commit_callbacks
):
    save(planner, django_capture_on_commit_callbacks)
    scenario = Scenario.objects.get()
    assert "Verkoston suunnittelu" in planner.get(url("web:home")).content.decode()

    response = planner.post(url("planning:scenario_delete", scenario_id=scenario.pk), follow=True)

    assert not Scenario.objects.exists()
    assert "Skenaario ”Keski-Suomi 90/40” poistettiin." in response.content.decode()


def test_scenario_form__too_many_unfinished__refused_and_what_was_written_is_kept(
    planner, settings, django_capture_on_commit_callbacks
):
    settings.PLANNING_MAX_UNFINISHED = 2
    save(planner, django_capture_on_commit_callbacks, name="Ensimmäinen")
    save(planner, django_capture_on_commit_callbacks, name="Toinen")

    response = save(planner, django_capture_on_commit_callbacks, name="Kolmas")

    assert response.status_code == 429
    page = response.content.decode()
    assert "Sinulla on jo 2 skenaariota odottamassa tai käynnissä." in page
    assert 'value="Kolmas"' in page
    assert sorted(Scenario.objects.values_list("name", flat=True)) == ["Ensimmäinen", "Toinen"]
    assert DBTaskResult.objects.count() == 2
