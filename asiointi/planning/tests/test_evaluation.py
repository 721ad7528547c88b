"""Evaluation on the shipped data, distance sources and outputs."""

from __future__ import annotations

import io
import json
import re

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from asiointi.demo.network import demo_sites as demo_network
from asiointi.planning.data import Demand, Sites, load_demand
from asiointi.planning.distances import CircuityDistance, CsvDistanceMatrix
from asiointi.planning.evaluation import network_evaluate
from asiointi.planning.outputs import MapTexts, map_html, map_png, sites_csv
from asiointi.planning.scenarios import instance_build

DATA_POPULATION = 5_494_750  # residents of the postal areas (data/geo/README.md)


@pytest.fixture(scope="module")
def demo():
    instance = instance_build(existing=demo_network())
    points = [instance.sites.index(s) for s in demo_network().ids]
    return instance, network_evaluate(instance=instance, open_sites=points, radius_km=40)


def test_evaluate__demo_network__totals_equal_the_population_of_the_data(demo):
    _, evaluation = demo

    assert load_demand(drop_empty=False).total == DATA_POPULATION
    assert evaluation.population == DATA_POPULATION
    assert sum(s.population for s in evaluation.sites) == DATA_POPULATION
    assert sum(r.population for r in evaluation.regions) == DATA_POPULATION
    assert sum(r.within for r in evaluation.regions) == evaluation.within
    assert sum(s.within for s in evaluation.sites) == evaluation.within
    assert sum(m.beyond for m in evaluation.beyond_by_municipality) == evaluation.beyond
    assert len(evaluation.sites) == 28


def test_evaluate__every_centre_open__almost_everyone_within_40_km():
    instance = instance_build()
    evaluation = network_evaluate(instance=instance, open_sites=range(308), radius_km=40)

    assert evaluation.share > 0.99
    assert evaluation.population - evaluation.within == evaluation.unreachable


def test_circuity__one_degree_of_latitude__is_about_111_km_times_the_factor():
    demand = Demand.build(ids=["x"], lat=[62.0], lon=[25.0], population=[1])
    sites = Sites.build(ids=["y"], lat=[63.0], lon=[25.0])

    assert CircuityDistance(1.0).matrix(demand, sites)[0, 0] == pytest.approx(111.2, abs=0.1)
    assert CircuityDistance(1.3).matrix(demand, sites)[0, 0] == pytest.approx(144.6, abs=0.1)


def test_csv_distances__given_pairs_replace_the_estimate_and_missing_ones_fall_back(tmp_path):
    demand = Demand.build(ids=["00100", "99999"], lat=[60.17, 69.9], lon=[24.93, 27.0], population=[5, 5])
    sites = Sites.build(ids=["091"], lat=[60.17], lon=[24.94])
    path = tmp_path / "roads.csv"
    path.write_text("demand_id,site_id,km\n00100,091,2.5\n", encoding="utf-8")

    km = CsvDistanceMatrix(path).matrix(demand, sites)

    assert km[0, 0] == 2.5
    assert km[1, 0] == pytest.approx(CircuityDistance().matrix(demand, sites)[1, 0])
    with pytest.raises(ValueError, match="no distance"):
        CsvDistanceMatrix(path, strict=True).matrix(demand, sites)


def test_outputs__csv_png_and_html__hold_every_site(demo, tmp_path):
    instance, evaluation = demo
    out = io.StringIO()
    sites_csv(instance=instance, evaluation=evaluation, out=out)
    map_png(instance=instance, evaluation=evaluation, path=tmp_path / "map.png", title="Demo")
    map_html(instance=instance, evaluation=evaluation, path=tmp_path / "map.html", title="Demo")

    rows = out.getvalue().splitlines()
    assert rows[0].startswith("site_id,name,municipality")
    assert len(rows) == 29
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert "Karstulan yhteispalvelupiste" in page
    assert page.count('class="site"') == 28
    assert '<html lang="en">' in page and ">Whole country</button>" in page


def test_outputs__html_map__speaks_the_language_of_its_texts(demo, tmp_path):
    instance, evaluation = demo
    texts = MapTexts(language="sv", zoom_in="Zooma in", summary="{within} av {population} ({share})")
    map_html(instance=instance, evaluation=evaluation, path=tmp_path / "map.html", title="Demo", texts=texts)

    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page and ">Zooma in</button>" in page
    # Swedish figures: a no-break space between thousands, a decimal comma
    share = f"{100 * evaluation.share:.1f}".replace(".", ",")
    within, population = (f"{n:,}".replace(",", "\u00a0") for n in (evaluation.within, evaluation.population))
    assert f"<p>{within} av {population} ({share}\u00a0%)</p>" in page


def test_plan_evaluate__json__prints_national_share_and_each_site(tmp_path):
    out = io.StringIO()
    call_command("plan", "evaluate", "--json", "--csv", str(tmp_path / "sites.csv"), stdout=out)

    result = json.loads(out.getvalue())["evaluation"]
    assert 0 < result["share_within"] < 1
    karstula = next(s for s in result["sites"] if s["id"] == "karstula")
    assert karstula["catchment_population"] > 0
    assert 0 <= karstula["share_within"] <= 1
    assert (tmp_path / "sites.csv").exists()


def test_plan_optimise__json__fewest_sites_for_90_percent_nationally_is_proven_optimal():
    out = io.StringIO()
    call_command(
        "plan", "optimise", "--share", "90", "--network", "none", "--json", "--no-greedy", stdout=out
    )

    result = json.loads(out.getvalue())
    assert result["solution"]["status"] == "optimal"
    assert result["evaluation"]["share_within"] >= 0.9
    assert result["solution"]["site_count"] == len(result["evaluation"]["sites"])


def test_plan_optimise__keep_network_and_exclude_offices__keeps_points_and_avoids_office_towns():
    out = io.StringIO()
    call_command(
        "plan", "optimise", "--share", "0.9", "--keep-network", "--exclude-offices", "--json", stdout=out
    )

    result = json.loads(out.getvalue())
    chosen = set(result["solution"]["sites"])
    assert {s for s in demo_network().ids} <= chosen
    assert not chosen & {"179", "743"}  # Jyväskylä and Seinäjoki have agencies' own offices
    assert result["greedy"]["site_count"] >= result["solution"]["site_count"]


def test_plan__unknown_site__says_so():
    with pytest.raises(CommandError, match="Unknown site"):
        call_command("plan", "evaluate", "--network", "none", "--site", "999", stdout=io.StringIO())


def test_plan__no_network_to_evaluate__says_so():
    with pytest.raises(CommandError):
        call_command("plan", "evaluate", "--network", "none", stdout=io.StringIO())


def test_instance__distance_matrix_of_full_data__has_every_pair():
    instance = instance_build()

    assert instance.km.shape == (len(instance.demand), 308)
    assert np.isfinite(instance.km).all()


def test_plan_evaluate__language_sv__writes_the_maps_in_swedish(tmp_path):
    out = io.StringIO()
    call_command("plan", "evaluate", "--language", "sv", "--html", str(tmp_path / "map.html"), stdout=out)

    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    assert '<html lang="sv">' in page and ">Hela landet</button>" in page
    assert "serviceställena" in page
    assert re.search(
        r"<title>28 serviceställen: \d+,\d\u00a0% av invånarna inom 40 kilometer<", page
    )  # decimal comma


def test_planning_library__imports_no_demo_data():
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent
    sources = [p for p in package.rglob("*.py") if "tests" not in p.parts]

    assert sources
    assert [p.name for p in sources if "asiointi.demo" in p.read_text(encoding="utf-8")] == []


def test_plan__demo_network__is_registered_by_the_demo_app():
    from asiointi.planning.scenarios import NETWORK_SOURCES

    assert NETWORK_SOURCES["demo"].sites().ids == demo_network().ids
    assert {"179", "743"} <= set(NETWORK_SOURCES["demo"].office_municipalities())
