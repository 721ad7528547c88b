"""Fixtures of the browser tests beside the sweep (keyboard, reflow, forms, preferences, languages).

Like the sweep, they run on pytest-django's ``live_server``, which makes each test transactional:
the database is emptied after every test. Loading the demo takes many seconds, so each module has
one test that loads it once and checks each page in a subtest (pytest's ``subtests`` fixture), with
one Chromium whose tabs open pages one after another, never in parallel.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Page as Tab

from a11y import browser as chromium_helpers
from a11y import sweep
from a11y.routes import DEMO_POINT, LANGUAGES
from asiointi.catalogue.models import Service
from asiointi.network.models import Agency, ServicePoint

#: The pages every browser test goes through: route and how the demo data fills its URL.
PAGES: tuple[str, ...] = (
    "web:home",
    "web:point_list",
    "web:point_detail",
    "web:agency_list",
    "web:agency_detail",
    "web:service_detail",
    "web:accessibility",
    "accounts:login",
)


@dataclass(frozen=True)
class Demo:
    """The live server with the demo data, and what the tests need to know of that data (read
    before the browser starts, as the tests' own thread then runs Playwright's event loop)."""

    base_url: str
    kwargs: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The h1 of a page in each language, by route.
    headings: dict[str, dict[str, str]] = field(default_factory=dict)

    def path(self, route: str, language: str = "fi") -> str:
        with translation.override(language):
            return reverse(route, kwargs=self.kwargs.get(route) or None)

    def url(self, route: str, language: str = "fi", query: str = "") -> str:
        return self.base_url + self.path(route, language) + query


def _read_demo(base_url: str) -> Demo:
    point = ServicePoint.objects.get(slug=DEMO_POINT)
    agency = Agency.objects.get(code="kela")
    service = Service.objects.filter(offerings__point=point).order_by("pk").first()
    assert service is not None, f"The demo point {DEMO_POINT!r} offers no service."
    headings: dict[str, dict[str, str]] = {"web:point_detail": {}, "web:service_detail": {}}
    for language in LANGUAGES:
        with translation.override(language):
            headings["web:point_detail"][language] = str(point.name)
            headings["web:service_detail"][language] = str(service.name)
    return Demo(
        base_url=base_url,
        kwargs={
            "web:point_detail": {"slug": point.slug},
            "web:agency_detail": {"code": agency.code},
            "web:service_detail": {"pk": str(service.pk)},
        },
        headings=headings,
    )


@dataclass
class Site:
    """The demo data behind the live server, and one Chromium to look at it with."""

    demo: Demo
    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)

    def url(self, route: str, language: str = "fi", query: str = "") -> str:
        return self.demo.url(route, language, query)

    def new_tab(self, **options: Any) -> Tab:
        """A tab in a fresh browser context (no cookies); ``viewport=browser.NARROW`` for a phone."""
        context = chromium_helpers.new_context(self.browser, **options)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
        self.contexts.clear()


@pytest.fixture
def site(live_server: Any, transactional_db: None, settings: Any) -> Iterator[Site]:
    """The demo data on pytest-django's live server (a file database under `make a11y`, see
    :mod:`a11y.settings`), and a Chromium started after the data is read: while Playwright runs,
    the test's own thread has an event loop, where Django refuses database queries."""
    sweep.load_demo()
    demo = _read_demo(live_server.url)
    with chromium_helpers.chromium() as browser:
        opened = Site(demo, browser)
        try:
            yield opened
        finally:
            opened.close()
