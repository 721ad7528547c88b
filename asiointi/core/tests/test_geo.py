import numpy as np
import pytest

from asiointi.core.geo import great_circle_km, road_km


def test_great_circle_km__helsinki_to_oulu__is_about_510_km():
    assert 505 < great_circle_km(60.1699, 24.9384, 65.0121, 25.4651) < 545


def test_road_km__one_degree_of_latitude__is_about_111_km_times_the_circuity():
    assert road_km(62.0, 25.0, 63.0, 25.0) == pytest.approx(111.2, abs=0.1)
    assert road_km(62.0, 25.0, 63.0, 25.0, circuity=1.3) == pytest.approx(144.6, abs=0.1)


def test_road_km__scalars__give_a_plain_float():
    assert type(road_km(60.0, 25.0, 61.0, 25.0, circuity=1.3)) is float


def test_road_km__column_against_row__is_the_matrix_of_every_pair():
    lat, lon = np.array([60.17, 62.88, 69.9]), np.array([24.94, 24.80, 27.0])
    site_lat, site_lon = np.array([62.71, 65.01]), np.array([25.26, 25.47])

    matrix = road_km(lat[:, None], lon[:, None], site_lat[None, :], site_lon[None, :], circuity=1.3)

    assert matrix.shape == (3, 2)
    for i in range(3):
        for j in range(2):
            assert matrix[i, j] == pytest.approx(
                road_km(float(lat[i]), float(lon[i]), float(site_lat[j]), float(site_lon[j]), circuity=1.3)
            )


def test_road_km__one_origin_and_a_list__gives_one_distance_per_point():
    kms = road_km(62.0, 25.0, [62.0, 63.0], [25.0, 25.0], circuity=1.3)

    assert kms.tolist() == pytest.approx([0.0, 144.6], abs=0.1)


def test_road_km__circuity_below_one__is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        road_km(60.0, 25.0, 61.0, 25.0, circuity=0.9)
