"""A map of Finland as server-rendered SVG: municipality shapes from the shipped boundaries and
service points as markers.

The projection is sinusoidal around the central meridian 27°E, in kilometres: x grows to the east,
y to the south (SVG's y axis points down). Over Finland it differs from the transverse Mercator of
official maps by less than the 1:4.5M generalisation of the boundaries, and it needs no library.
Coordinates are rounded to whole kilometres and paths are written with relative moves, which keeps
the whole map around 50 kB.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from django.conf import settings

BOUNDARIES_FILE = "fi_municipalities_2025.geojson"
CENTRAL_MERIDIAN = 27.0
KM_PER_DEGREE = 111.195  # on a sphere of radius 6371 km
MARGIN_KM = 12

Ring = Sequence[Sequence[float]]


def project(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 degrees to map kilometres: (x east of 27°E, y south of the equator's mirror)."""
    x = (lon - CENTRAL_MERIDIAN) * math.cos(math.radians(lat)) * KM_PER_DEGREE
    y = -lat * KM_PER_DEGREE
    return x, y


@dataclass(frozen=True)
class MunicipalityShape:
    code: str
    region_code: str
    path: str  # SVG path data in map coordinates


@dataclass(frozen=True)
class FinlandMap:
    min_x: int
    min_y: int
    width: int
    height: int
    shapes: tuple[MunicipalityShape, ...]

    @property
    def view_box(self) -> str:
        return f"{self.min_x} {self.min_y} {self.width} {self.height}"

    def place(self, lon: float, lat: float) -> tuple[int, int]:
        """The map position of a WGS84 point, rounded like the shapes."""
        x, y = project(lon, lat)
        return round(x), round(y)


def _ring_path(ring: Ring) -> str:
    """One closed ring as an absolute move followed by relative lines, with repeated points
    (after rounding) dropped."""
    points: list[tuple[int, int]] = []
    for lon, lat, *_ in ring:
        x, y = project(lon, lat)
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""
    parts = [f"M{points[0][0]} {points[0][1]}l"]
    steps = [f"{x1 - x0} {y1 - y0}" for (x0, y0), (x1, y1) in pairwise(points)]
    # SVG lets a minus sign stand as a separator: "3 -4" becomes "3-4".
    parts.append(" ".join(steps).replace(" -", "-"))
    parts.append("z")
    return "".join(parts)


def _polygons(geometry: dict) -> Iterable[Sequence[Ring]]:
    if geometry["type"] == "Polygon":
        yield geometry["coordinates"]
    elif geometry["type"] == "MultiPolygon":
        yield from geometry["coordinates"]


@lru_cache(maxsize=1)
def finland_map() -> FinlandMap:
    """The municipality shapes of Finland, read and projected once per process."""
    path = Path(settings.GEO_DATA_DIR) / BOUNDARIES_FILE
    with path.open(encoding="utf-8") as f:
        collection = json.load(f)
    shapes = []
    xs: list[float] = []
    ys: list[float] = []
    for feature in collection["features"]:
        rings = [ring for polygon in _polygons(feature["geometry"]) for ring in polygon]
        for ring in rings:
            for lon, lat, *_ in ring:
                x, y = project(lon, lat)
                xs.append(x)
                ys.append(y)
        data = "".join(_ring_path(ring) for ring in rings)
        if data:
            props = feature["properties"]
            shapes.append(MunicipalityShape(props["code"], props.get("region_code") or "", data))
    min_x = math.floor(min(xs)) - MARGIN_KM
    min_y = math.floor(min(ys)) - MARGIN_KM
    width = math.ceil(max(xs)) + MARGIN_KM - min_x
    height = math.ceil(max(ys)) + MARGIN_KM - min_y
    shapes.sort(key=lambda s: s.code)
    return FinlandMap(min_x, min_y, width, height, tuple(shapes))
