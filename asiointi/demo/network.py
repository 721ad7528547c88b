"""The demo's network as the planner's sites: what ``plan --network demo`` evaluates.

The planner's library knows no demo data; the demo app registers this network with it when Django starts
(:meth:`asiointi.demo.apps.DemoConfig.ready`)."""

from __future__ import annotations

from asiointi.planning.data import Sites, load_municipalities

from .agencies import OFFICES
from .points import POINTS


def demo_sites() -> Sites:
    """The demo's joint service points at the coordinates the demo gives them."""
    municipalities = load_municipalities()
    lat: list[float] = []
    lon: list[float] = []
    for p in POINTS:
        if p.coordinates is not None:
            lat.append(p.coordinates[0])
            lon.append(p.coordinates[1])
        else:
            m = municipalities[p.municipality]
            lat.append(round(m.centre_lat + p.offset[0], 5))
            lon.append(round(m.centre_lon + p.offset[1], 5))
    return Sites.build(
        ids=[p.slug for p in POINTS],
        names=[p.name.fi for p in POINTS],
        lat=lat,
        lon=lon,
        municipality=[p.municipality for p in POINTS],
    )


def demo_office_municipalities() -> tuple[str, ...]:
    """Municipalities where an agency of the demo has its own office."""
    return tuple(sorted({o.municipality for o in OFFICES}))
