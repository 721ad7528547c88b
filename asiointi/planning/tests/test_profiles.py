"""Coverage by point profile and the fewest new full points, on a small instance with answers known
by hand."""

from __future__ import annotations

import numpy as np
import pytest

from asiointi.planning.data import Demand, Sites
from asiointi.planning.evaluation import Instance
from asiointi.planning.optimisation import PlanningError
from asiointi.planning.profiles import coverage_by_profile, full_points_minimise

PROFILES = [(3, "full"), (1, "digital"), (2, "mobile")]


def road_instance() -> Instance:
    """Five towns on a road, 50 km apart: A (100 residents), B (100), C (10) in region 01, D (100) and
    E (50) in region 02; a possible site in each town. Today: a full point in A, a digital support
    point in B and a mobile point in D."""
    x = np.array([0.0, 50.0, 100.0, 150.0, 200.0])
    demand = Demand.build(
        ids=list("ABCDE"),
        lat=[0] * 5,
        lon=[0] * 5,
        population=[100, 100, 10, 100, 50],
        region=["01", "01", "01", "02", "02"],
    )
    sites = Sites.build(ids=list("abcde"), lat=[0] * 5, lon=[0] * 5)
    return Instance(demand=demand, sites=sites, km=np.abs(x[:, None] - x[None, :]))


TODAY = {0: 3, 1: 1, 3: 2}


def test_coverage_by_profile__each_profile_or_a_fuller_one__nationally_and_by_region():
    rows = coverage_by_profile(
        instance=road_instance(), open_sites=TODAY, site_levels=TODAY, profiles=PROFILES, radius_km=30
    )

    assert [(r.level, r.code, r.within, r.population) for r in rows] == [
        (0, "", 300, 360),  # any point: A, B and D
        (1, "digital", 300, 360),  # a digital support point or fuller: the same
        (2, "mobile", 200, 360),  # a mobile point or a full one: A and D
        (3, "full", 100, 360),  # a full point: A only
    ]
    assert rows[3].share == pytest.approx(100 / 360)
    assert [(r.code, r.within, r.population) for r in rows[0].regions] == [("01", 200, 210), ("02", 100, 150)]
    assert [(r.code, r.within) for r in rows[3].regions] == [("01", 100), ("02", 0)]


def test_coverage_by_profile__a_site_without_a_profile__counts_as_a_full_point():
    rows = coverage_by_profile(
        instance=road_instance(), open_sites=[0, 4], site_levels={0: 1}, profiles=PROFILES, radius_km=30
    )
    assert [(r.code, r.within) for r in rows] == [("", 150), ("digital", 150), ("mobile", 50), ("full", 50)]


@pytest.mark.parametrize(
    ("share", "new"),
    [
        (100 / 360, []),  # today's full point already does it
        (0.8, [1, 3]),  # 288 residents: B and D made full (200 more)
        (1.0, [1, 2, 3, 4]),  # everyone: a full point in every town
    ],
)
def test_full_points_minimise__keeps_todays_full_points__fewest_new(share, new):
    solution = full_points_minimise(instance=road_instance(), full_sites=[0], radius_km=30, share=share)

    assert solution.status == "optimal"
    assert solution.details["new"] == new
    assert 0 in solution.open_sites


def test_full_points_minimise__half_of_residents__one_new_point():
    solution = full_points_minimise(instance=road_instance(), full_sites=[0], radius_km=30, share=0.5)
    assert len(solution.details["new"]) == 1
    assert solution.details["new"][0] in (1, 3)


def test_full_points_minimise__per_region__one_new_point_in_each_region():
    solution = full_points_minimise(
        instance=road_instance(), full_sites=[0], radius_km=30, share=0.5, per_region=True
    )
    assert len(solution.details["new"]) == 2
    assert 3 in solution.details["new"]


def test_full_points_minimise__only_candidates_that_cannot_reach__infeasible():
    solution = full_points_minimise(
        instance=road_instance(), full_sites=[0], radius_km=30, share=0.8, candidates=[2]
    )
    assert solution.status == "infeasible"


@pytest.mark.parametrize("share", [0, 1.5])
def test_full_points_minimise__share_not_above_0_or_above_100_percent__refused(share):
    with pytest.raises(PlanningError, match=r"The share must be more than 0 and at most 1\."):
        full_points_minimise(instance=road_instance(), full_sites=[0], radius_km=30, share=share)
