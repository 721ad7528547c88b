"""Reflow and text size: at 320 CSS pixels wide no page needs sideways scrolling (WCAG 1.4.10),
and with the text at 200 % nothing is cut off or drawn over other text (WCAG 1.4.4). Every page of
:data:`PAGES`, and every form also with its errors shown."""

from __future__ import annotations

from typing import Any

import pytest

from a11y import browser
from a11y.routes import LANGUAGES
from a11y.tests.conftest import PAGES, Site
from a11y.tests.test_forms import ERROR_STATES, send

pytestmark = [pytest.mark.a11y, pytest.mark.slow]

#: Pages in a state with more on them: the search with its results, the table of nearest points.
STATES: tuple[tuple[str, str], ...] = (
    ("web:home", "?q=Karstula"),
    ("web:service_detail", "?from=Karstula"),
)


def test_reflow__every_page_in_every_language__fits_320_px_and_takes_text_at_200_percent(
    site: Site, subtests: Any
) -> None:
    narrow = site.new_tab(viewport=browser.NARROW)
    desktop = site.new_tab()
    pages = [(route, "") for route in PAGES] + list(STATES)
    for language in LANGUAGES:
        for route, query in pages:
            with subtests.test(
                "no sideways scrolling at 320 px", route=route, language=language, query=query
            ):
                assert site.open(narrow, route, language, query) == 200
                sideways = browser.sideways_scrolling(narrow)
                assert not sideways.scrolls, sideways
            with subtests.test(
                "text at 200 % is not cut off or overlapping", route=route, language=language, query=query
            ):
                assert site.open(desktop, route, language, query) == 200
                browser.zoom_text(desktop, 200)
                assert browser.clipped_text(desktop) == []
                assert browser.overlapping_text(desktop) == []
                assert not browser.sideways_scrolling(desktop).scrolls

    shown: set[str] = set()
    for state in ERROR_STATES:
        if state.route in shown or not state.layout:
            continue
        shown.add(state.route)
        language = state.languages[0]
        with subtests.test("with its errors shown, the form fits 320 px", form=state.name, language=language):
            assert site.open(narrow, state.route, language) == 200
            assert send(narrow, state.fill, state.submit) == state.status
            sideways = browser.sideways_scrolling(narrow)
            assert not sideways.scrolls, sideways
        with subtests.test(
            "with its errors shown, the form takes text at 200 %", form=state.name, language=language
        ):
            assert site.open(desktop, state.route, language) == 200
            assert send(desktop, state.fill, state.submit) == state.status
            browser.zoom_text(desktop, 200)
            assert browser.clipped_text(desktop) == []
            assert browser.overlapping_text(desktop) == []
            assert not browser.sideways_scrolling(desktop).scrolls

    with subtests.test("the map fits the screen at 320 px"):
        assert site.open(narrow, "web:home") == 200
        svg = browser.box_of(narrow, "svg.fi-map")
        assert svg["left"] >= 0
        assert svg["right"] <= browser.NARROW["width"]
        assert svg["width"] > browser.NARROW["width"] / 2, "the map shrank to nothing"

    with subtests.test("text at 200 % on a phone-sized screen needs no sideways scrolling"):
        for route, query in pages:
            assert site.open(narrow, route, "fi", query) == 200
            browser.zoom_text(narrow, 200)
            sideways = browser.sideways_scrolling(narrow)
            assert not sideways.scrolls, (route, sideways)
