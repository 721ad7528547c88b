"""Languages in the browser: the page says its language (WCAG 3.1.1), the language switcher keeps
the visitor on the same page, and every page names itself in the other languages for search
engines and browsers (``<link rel="alternate" hreflang>``).

How dates, times and numbers are written in each language is tested without a browser, in
asiointi/web/tests/test_formats.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from a11y import browser
from a11y.routes import LANGUAGES
from a11y.tests.conftest import PAGES, Site

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def test_languages__every_page__says_its_language_links_to_itself_in_the_others_and_switches_in_place(
    site: Site, subtests: Any
) -> None:
    tab = site.new_tab()
    for route in PAGES:
        for language in LANGUAGES:
            with subtests.test("<html lang> and the hreflang alternates", route=route, language=language):
                assert site.open(tab, route, language) == 200
                assert browser.page_language(tab) == language
                expected = {code: site.url(route, code) for code in LANGUAGES}
                expected["x-default"] = site.url(route, "fi")
                assert browser.alternates(tab) == expected

    for route in ("web:point_detail", "web:service_detail"):
        headings = site.demo.headings[route]
        for start, chosen in (("fi", "sv"), ("sv", "en"), ("en", "fi")):
            with subtests.test("the switcher keeps the page", route=route, start=start, chosen=chosen):
                assert site.open(tab, route, start, "?week=2026-01-05") == 200
                assert browser.heading(tab) == headings[start]
                link = tab.locator(f'nav.site-header__languages a[hreflang="{chosen}"]')
                assert link.get_attribute("lang") == chosen, (
                    "the language's name is not marked in its language"
                )
                link.focus()
                with tab.expect_navigation(wait_until="load"):
                    tab.keyboard.press("Enter")
                assert tab.url == site.url(route, chosen, "?week=2026-01-05")
                assert browser.page_language(tab) == chosen
                assert browser.heading(tab) == headings[chosen]
                current = tab.locator("nav.site-header__languages a[aria-current]")
                assert current.get_attribute("hreflang") == chosen
