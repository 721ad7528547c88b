"""Outputs a planner takes to a meeting: a CSV of sites, a map PNG and an interactive HTML map."""

from __future__ import annotations

import csv
import html
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from .data import ATTRIBUTION, BOUNDARIES_GEOJSON, DATA_DIR, gettext_noop
from .evaluation import Evaluation, Instance

CSV_COLUMNS = (
    "site_id",
    "name",
    "municipality",
    "lat",
    "lon",
    "catchment_population",
    "within",
    "share_within",
    "reachable",
)
PALETTE = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
)  # fmt: skip


@dataclass(frozen=True)
class MapTexts:
    """The words of the maps, in one language: English by default, each marked for the catalogue, so that
    the web app translates them field by field (``services.map_texts``). Placeholders in braces are
    filled with the figures."""

    language: str = "en"
    beyond: str = gettext_noop("beyond {radius} km ({count} residents)")
    points: str = gettext_noop("service points ({count})")
    no_point: str = gettext_noop("no service point")
    catchment_of: str = gettext_noop("catchment of {site}")
    site: str = gettext_noop("{site}: {population} residents in the catchment, {share} within {radius} km")
    summary: str = gettext_noop(
        "{within} of {population} residents ({share}) live within {radius} km of one of the {count} service points."
    )
    zoom_in: str = gettext_noop("Zoom in")
    zoom_out: str = gettext_noop("Zoom out")
    whole_country: str = gettext_noop("Whole country")
    table: str = gettext_noop("Service points")
    column_point: str = gettext_noop("Point")
    column_site: str = gettext_noop("Site")
    column_catchment: str = gettext_noop("Catchment residents")
    column_within: str = gettext_noop("Within {radius} km")
    column_share: str = gettext_noop("Share within")
    attribution: str = ATTRIBUTION

    def municipality(self, props: dict[str, Any]) -> str:
        """A municipality's name in this language where the data has one (fi, sv), else in Finnish."""
        return str(props.get(f"name_{self.language}") or props["name_fi"])

    def number(self, value: float) -> str:
        """A whole number, thousands apart by a no-break space (the style of all three languages)."""
        return f"{round(value):,}".replace(",", "\u00a0")

    def percent(self, share: float | None) -> str:
        if share is None:
            return "–"
        text = f"{100 * share:.1f}"
        return (text if self.language == "en" else text.replace(".", ",")) + "\u00a0%"


def sites_csv(*, instance: Instance, evaluation: Evaluation, out: IO[str]) -> None:
    """One row per open site: its catchment population and the share of it within the radius."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in evaluation.sites:
        writer.writerow(
            [
                s.site_id,
                s.name,
                s.municipality,
                f"{instance.sites.lat[s.index]:.5f}",
                f"{instance.sites.lon[s.index]:.5f}",
                s.population,
                s.within,
                "" if s.share is None else f"{s.share:.4f}",
                s.reachable,
            ]
        )


def _boundaries(data_dir: Path) -> list[dict[str, Any]]:
    with (data_dir / BOUNDARIES_GEOJSON).open(encoding="utf-8") as f:
        return list(json.load(f)["features"])


def _rings(geometry: dict[str, Any]) -> Iterable[list[list[float]]]:
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    for polygon in polygons:
        yield polygon[0]  # outer ring; lakes are not drawn at this scale


def municipality_catchments(instance: Instance, evaluation: Evaluation) -> dict[str, int]:
    """For each municipality, the open site whose catchment holds most of its residents."""
    weight: dict[str, dict[int, int]] = {}
    for code, j, p in zip(
        instance.demand.municipality,
        evaluation.nearest.tolist(),
        instance.demand.population.tolist(),
        strict=True,
    ):
        if j >= 0:
            by_site = weight.setdefault(code, {})
            by_site[j] = by_site.get(j, 0) + p
    return {code: max(by_site, key=lambda k: (by_site[k], -k)) for code, by_site in weight.items()}


def _colours(evaluation: Evaluation) -> dict[int, str]:
    return {s.index: PALETTE[k % len(PALETTE)] for k, s in enumerate(evaluation.sites)}


X_SCALE = float(np.cos(np.radians(64.0)))  # longitude degrees to the same length as latitude degrees


def map_png(
    *,
    instance: Instance,
    evaluation: Evaluation,
    path: Path,
    title: str,
    data_dir: Path = DATA_DIR,
    texts: MapTexts = MapTexts(),
) -> None:
    """Municipality boundaries filled by catchment, the open sites, and the residents beyond the radius."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import PolyCollection

    owner = municipality_catchments(instance, evaluation)
    colours = _colours(evaluation)
    polygons: list[np.ndarray] = []
    faces: list[str] = []
    for feature in _boundaries(data_dir):
        colour = colours.get(owner.get(feature["properties"]["code"], -1), "#dddddd")
        for ring in _rings(feature["geometry"]):
            xy = np.asarray(ring, dtype=float)
            polygons.append(np.column_stack([xy[:, 0] * X_SCALE, xy[:, 1]]))
            faces.append(colour)
    fig, ax = plt.subplots(figsize=(6.5, 10), dpi=110)
    ax.add_collection(
        PolyCollection(polygons, facecolors=faces, edgecolors="#555555", linewidths=0.2, alpha=0.55)
    )
    far = evaluation.nearest_km > evaluation.radius_km
    d = instance.demand
    ax.scatter(
        d.lon[far] * X_SCALE,
        d.lat[far],
        s=np.clip(d.population[far] / 200.0, 2, 40),
        c="#b00020",
        marker=".",
        label=texts.beyond.format(radius=f"{evaluation.radius_km:g}", count=texts.number(evaluation.beyond)),
    )
    opened = [s.index for s in evaluation.sites]
    ax.scatter(
        instance.sites.lon[opened] * X_SCALE,
        instance.sites.lat[opened],
        s=14,
        c="black",
        marker="^",
        label=texts.points.format(count=len(opened)),
    )
    ax.set_xlim(19.0 * X_SCALE, 32.0 * X_SCALE)
    ax.set_ylim(59.6, 70.2)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(title, fontsize=11)
    ax.legend(loc="lower right", fontsize=8, frameon=True)
    fig.text(0.02, 0.01, texts.attribution, fontsize=6)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def map_html(
    *,
    instance: Instance,
    evaluation: Evaluation,
    path: Path,
    title: str,
    data_dir: Path = DATA_DIR,
    texts: MapTexts = MapTexts(),
) -> None:
    """A self-contained HTML page: an SVG map (hover or focus a municipality or a point for its figures;
    zoom with the buttons) and the table of sites. Needs no network and no libraries."""
    owner = municipality_catchments(instance, evaluation)
    colours = _colours(evaluation)
    by_index = {s.index: s for s in evaluation.sites}
    scale = 100.0

    def xy(lon: float, lat: float) -> str:
        return f"{lon * X_SCALE * scale:.1f},{-lat * scale:.1f}"

    pct, num, radius = texts.percent, texts.number, f"{evaluation.radius_km:g}"
    shapes: list[str] = []
    for feature in _boundaries(data_dir):
        props = feature["properties"]
        site = by_index.get(owner.get(props["code"], -1))
        label = f"{texts.municipality(props)}: " + (
            texts.catchment_of.format(site=site.name) if site else texts.no_point
        )
        colour = colours.get(site.index, "#dddddd") if site else "#dddddd"
        d = " ".join(
            "M" + " L".join(xy(x, y) for x, y in ring) + " Z" for ring in _rings(feature["geometry"])
        )
        shapes.append(f'<path d="{d}" fill="{colour}"><title>{html.escape(label)}</title></path>')
    for s in evaluation.sites:
        lon, lat = instance.sites.lon[s.index], instance.sites.lat[s.index]
        label = texts.site.format(
            site=s.name, population=num(s.population), share=pct(s.share), radius=radius
        )
        cx, cy = xy(lon, lat).split(",")
        shapes.append(
            f'<circle class="site" cx="{cx}" cy="{cy}" r="9" tabindex="0"><title>{html.escape(label)}</title></circle>'
        )
    x0, x1 = 19.0 * X_SCALE * scale, 32.0 * X_SCALE * scale
    y0, y1 = -70.2 * scale, -59.6 * scale
    rows = "\n".join(
        f"<tr><td>{html.escape(s.name)}</td><td>{html.escape(s.site_id)}</td><td>{num(s.population)}</td>"
        f"<td>{num(s.within)}</td><td>{pct(s.share)}</td></tr>"
        for s in sorted(evaluation.sites, key=lambda s: s.name)
    )
    summary = texts.summary.format(
        within=num(evaluation.within),
        population=num(evaluation.population),
        share=pct(evaluation.share),
        radius=radius,
        count=len(evaluation.sites),
    )
    e = html.escape
    page = f"""<!DOCTYPE html>
<html lang="{e(texts.language)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1rem; max-width: 70rem; }}
svg {{ width: 100%; max-width: 40rem; height: 80vh; border: 1px solid #999; background: #eef4fa; }}
path {{ stroke: #555; stroke-width: 3; fill-opacity: .6; }} path:hover {{ fill-opacity: .95; }}
.site {{ fill: #000; }} .site:hover, .site:focus {{ fill: #b00020; outline: none; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: .2rem .5rem; text-align: right; }}
td:first-child, th:first-child {{ text-align: left; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
<p>{e(summary)}</p>
<p><button type="button" id="zoom-in">{e(texts.zoom_in)}</button> <button type="button" id="zoom-out">{e(texts.zoom_out)}</button>
<button type="button" id="zoom-reset">{e(texts.whole_country)}</button></p>
<svg id="map" viewBox="{x0:.0f} {y0:.0f} {x1 - x0:.0f} {y1 - y0:.0f}" role="img" aria-label="{html.escape(title)}">
{chr(10).join(shapes)}
</svg>
<h2>{e(texts.table)}</h2>
<table><thead><tr><th>{e(texts.column_point)}</th><th>{e(texts.column_site)}</th><th>{e(texts.column_catchment)}</th>
<th>{e(texts.column_within.format(radius=radius))}</th><th>{e(texts.column_share)}</th></tr></thead><tbody>
{rows}
</tbody></table>
<p><small>{e(texts.attribution)}</small></p>
<script>
const svg = document.getElementById("map"), start = svg.getAttribute("viewBox");
let drag = null;
function box() {{ return svg.getAttribute("viewBox").split(" ").map(Number); }}
function zoom(f, cx, cy) {{
  const [x, y, w, h] = box(); cx = cx ?? x + w / 2; cy = cy ?? y + h / 2;
  svg.setAttribute("viewBox", [cx - (cx - x) * f, cy - (cy - y) * f, w * f, h * f].join(" "));
}}
function point(e) {{ const p = svg.createSVGPoint(); p.x = e.clientX; p.y = e.clientY;
  return p.matrixTransform(svg.getScreenCTM().inverse()); }}
document.getElementById("zoom-in").onclick = () => zoom(0.6);
document.getElementById("zoom-out").onclick = () => zoom(1 / 0.6);
document.getElementById("zoom-reset").onclick = () => svg.setAttribute("viewBox", start);
svg.addEventListener("wheel", e => {{ e.preventDefault(); const p = point(e); zoom(e.deltaY < 0 ? 0.8 : 1.25, p.x, p.y); }});
svg.addEventListener("pointerdown", e => {{ drag = point(e); }});
svg.addEventListener("pointerup", () => {{ drag = null; }});
svg.addEventListener("pointermove", e => {{ if (!drag) return; const p = point(e), [x, y, w, h] = box();
  svg.setAttribute("viewBox", [x - (p.x - drag.x), y - (p.y - drag.y), w, h].join(" ")); }});
</script>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
