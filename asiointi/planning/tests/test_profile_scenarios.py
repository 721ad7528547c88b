"""The planner's scenarios with point profiles: coverage by profile in the result, and the fewest new
full points with today's points kept; a target above 100 % refused by the form, nothing saved."""

from __future__ import annotations

import pytest

from asiointi.accounts.models import Role
from asiointi.catalogue.services import point_profile_create, point_profile_set
from asiointi.factories import AgencyFactory, MunicipalityFactory, ScenarioFactory, point_with_hours
from asiointi.planning import services
from asiointi.planning.models import Scenario, ScenarioStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def profiled(db):
    kela = AgencyFactory.create(code="kela", name_fi="Kela")
    full = point_profile_create(
        code="full", level=3, names={"fi": "Täysi", "en": "Full"}, requirements=[(kela, ["remote_meeting"])]
    )
    digital = point_profile_create(
        code="digital",
        level=1,
        names={"fi": "Digituki", "en": "Digital"},
        requirements=[(kela, ["advisor_guidance"])],
    )
    helsinki = point_with_hours(
        slug="helsinki",
        municipality=MunicipalityFactory.create(code="091", centre_lat=60.1699, centre_lon=24.9384),
    )
    karstula = point_with_hours(
        slug="karstula",
        municipality=MunicipalityFactory.create(code="226", centre_lat=62.8779, centre_lon=24.7989),
    )
    point_profile_set(point=helsinki, profile=full)
    point_profile_set(point=karstula, profile=digital)


def test_scenario_full__fewest_new_full_points__today_kept_coverage_by_profile(profiled):
    scenario = ScenarioFactory.create(mode="full", share=0.3, radius_km=40, time_limit=60)

    assert services.scenario_execute(scenario_id=scenario.pk) == ScenarioStatus.DONE

    scenario.refresh_from_db()
    result = scenario.result
    assert result is not None
    new = result["solution"]["new_sites"]
    assert new and "helsinki" not in new
    sites = {s["id"] for s in result["evaluation"]["sites"]}
    assert {"helsinki", "karstula", *new} == sites  # today's points kept, the new ones added
    by_code = {row["code"]: row for row in result["profiles"]}
    assert list(by_code) == ["", "digital", "full"]
    assert by_code["full"]["share_within"] >= 0.3
    assert by_code[""]["within"] >= by_code["digital"]["within"] >= by_code["full"]["within"]


def test_scenario_form__full_share_above_100_percent__refused_in_finnish_nothing_saved(
    profiled, staff_client
):
    planner = staff_client(Role.NETWORK_PLANNER)
    response = planner.post(
        "/fi/planning/",
        {
            "name": "Täydet",
            "mode": "full",
            "radius_km": "40",
            "share": "120",
            "circuity": "1,3",
            "time_limit": "60",
        },
    )
    assert response.status_code == 400
    assert "Anna prosenttiluku väliltä 1–100, esimerkiksi 90." in response.content.decode()
    assert not Scenario.objects.exists()


def test_scenario_form__explains_the_full_question_in_each_language(staff_client):
    planner = staff_client(Role.NETWORK_PLANNER)
    finnish = planner.get("/fi/planning/").content.decode()
    assert "Vähiten uusia täyden palvelun pisteitä: nykyiset palvelupisteet säilyvät" in finnish
    assert 'aria-describedby="id_mode_helptext"' in finnish
    swedish = planner.get("/sv/planning/").content.decode()
    assert "Minst antal nya fullständiga serviceställen: dagens serviceställen behålls" in swedish
