"""The visitor's own settings: with reduced motion nothing moves (WCAG 2.3.3, the "Reduce motion"
setting of the system), and in forced colours (Windows contrast themes) the focus and the map stay
visible (WCAG 1.4.11, 2.4.7)."""

from __future__ import annotations

from typing import Any

import pytest

from a11y import browser
from a11y.tests.conftest import PAGES, Site

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def test_preferences__reduced_motion_and_forced_colours__are_respected(site: Site, subtests: Any) -> None:
    still = site.new_tab()
    still.emulate_media(reduced_motion="reduce")
    for route in PAGES:
        with subtests.test("with reduced motion nothing is animated or scrolls smoothly", route=route):
            assert site.open(still, route) == 200
            assert browser.moving_elements(still) == []
            # Also as the controls look when focused: HDS animates its focus rings.
            for control in browser.tabbable(still)[:40]:
                still.focus(f'[data-a11y-stop="{control.index}"]')
                assert browser.moving_elements(still) == [], str(control)

    contrast_theme = site.new_tab()
    contrast_theme.emulate_media(forced_colors="active")
    for route in PAGES:
        with subtests.test("in forced colours every focused control shows an outline", route=route):
            assert site.open(contrast_theme, route) == 200
            controls = browser.tabbable(contrast_theme)
            walk = browser.tab_through(contrast_theme, limit=len(controls) + 5)
            hidden = [
                str(stop)
                for stop in walk.stops
                if not any(
                    layer.get("outlineStyle", "none") != "none"
                    and layer.get("outlineWidth", 0) >= browser.FOCUS_WIDTH
                    for layer in stop.layers
                )
            ]
            assert walk.stops
            assert hidden == [], "box-shadow focus rings vanish in forced colours: " + ", ".join(hidden)

    with subtests.test("in forced colours the map's municipalities and service points stay visible"):
        assert site.open(contrast_theme, "web:home", query="?q=Karstula") == 200
        land = browser.paint_of(contrast_theme, ".fi-map__muni:not(.fi-map__muni--selected)")
        chosen = browser.paint_of(contrast_theme, ".fi-map__muni--selected")
        marker = browser.paint_of(contrast_theme, ".fi-map__point circle")
        assert browser.visible_paint(land["stroke"]), land
        assert browser.distinct(land["stroke"], land["fill"]), "the borders of the municipalities vanish"
        assert browser.distinct(chosen["fill"], land["fill"]), "the chosen municipality is not told apart"
        assert browser.distinct(marker["fill"], land["fill"]), "the service points vanish into the map"
