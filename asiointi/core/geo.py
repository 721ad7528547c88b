"""Distances on the Earth: the one haversine and circuity-factor estimate of road distance.

Without an open road network, a road distance is estimated as the great-circle (haversine) distance
times a circuity factor (1.3 by default; see docs/planning.md for the sources). The public pages measure
one municipality's centre to a few hundred points with it; the planner measures thousands of postal
areas to hundreds of sites. Both call :func:`road_km`, which works element by element with numpy's
broadcasting: scalars give a float, arrays give an array, and a column against a row gives a matrix.
"""

from __future__ import annotations

from typing import overload

import numpy as np
from numpy.typing import ArrayLike

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
DEFAULT_CIRCUITY = 1.3


@overload
def road_km(lat1: float, lon1: float, lat2: float, lon2: float, *, circuity: float = ...) -> float: ...


@overload
def road_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike, *, circuity: float = ...
) -> np.ndarray: ...


def road_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike, *, circuity: float = 1.0
) -> float | np.ndarray:
    """Estimated road distance in km from (lat1, lon1) to (lat2, lon2): the haversine distance times
    ``circuity`` (1.0 gives the great-circle distance itself).

    Degrees in, kilometres out, element by element with broadcasting: ``road_km(lat[:, None],
    lon[:, None], site_lat[None, :], site_lon[None, :], circuity=1.3)`` is the (points x sites) matrix.
    Trigonometry runs once per point and once per site, not once per pair. Raises ValueError for a
    circuity below 1 (a road is never shorter than a straight line).
    """
    if not circuity >= 1.0:
        raise ValueError(
            "the circuity factor must be at least 1 (a road is never shorter than a straight line)"
        )
    p1 = np.radians(np.asarray(lat1, dtype=float))
    p2 = np.radians(np.asarray(lat2, dtype=float))
    dl = np.radians(np.asarray(lon2, dtype=float)) - np.radians(np.asarray(lon1, dtype=float))
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    km = (2 * EARTH_RADIUS_KM * float(circuity)) * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(km) if km.ndim == 0 else km


@overload
def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float: ...


@overload
def great_circle_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> np.ndarray: ...


def great_circle_km(lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike) -> float | np.ndarray:
    """Haversine distance in km: :func:`road_km` with a circuity of 1."""
    return road_km(lat1, lon1, lat2, lon2, circuity=1.0)
