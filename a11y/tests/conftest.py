"""Fixtures of the browser tests beside the sweep (keyboard, reflow, forms, preferences, languages).

Like the sweep, they run on pytest-django's ``live_server``, which makes each test transactional:
the database is emptied after every test. Loading the demo takes many seconds, so each module has
one test that loads it once and checks each page in a subtest (pytest's ``subtests`` fixture), with
one Chromium whose tabs open pages one after another, never in parallel.

Open pages with :meth:`Site.open`: it gives the tab the session that a page needs (a member of
staff who has signed in with the password but not yet passed the second factor, for example) and
follows a password reset link to the form it leads to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext
from playwright.sync_api import Page as Tab

from a11y import browser as chromium_helpers
from a11y import routes, sweep
from a11y.routes import DEMO_POINT, LANGUAGES
from asiointi.accounts.models import Role, User
from asiointi.accounts.testing import login_staff
from asiointi.catalogue.models import Service
from asiointi.factories import TOTPDeviceFactory
from asiointi.network.models import Agency, ServicePoint

#: The pages every browser test goes through: route and how the demo data fills its URL. Every
#: page with a form is among them.
PAGES: tuple[str, ...] = (
    "web:home",
    "web:point_list",
    "web:point_detail",
    "web:agency_list",
    "web:agency_detail",
    "web:service_detail",
    "web:accessibility",
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "accounts:booth_pair",
    "accounts:second_factor",
    "accounts:second_factor_setup",
    "accounts:recovery_codes",
    "planning:index",
    "planning:scenario",
)

#: Who opens a page that anonymous visitors cannot: a session of the demo data (see :func:`_sessions`).
SESSION_OF: dict[str, str] = {
    # Signed in with the password; the second factor is still to be passed (the app is set up) ...
    "accounts:second_factor": "second factor pending",
    # ... or to be set up (no app yet).
    "accounts:second_factor_setup": "second factor not set up",
    "accounts:recovery_codes": "signed in",
    "planning:index": "network planner",
    "planning:scenario": "network planner",
    # A form of the administration, for its error summary (a11y/tests/test_forms.py).
    "admin:network_booth_add": "administrator",
}


@dataclass(frozen=True)
class Demo:
    """The live server with the demo data, and what the tests need to know of that data (read
    before the browser starts, as the tests' own thread then runs Playwright's event loop)."""

    base_url: str
    kwargs: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The h1 of a page in each language, by route.
    headings: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Session keys by the names of :data:`SESSION_OF`.
    sessions: dict[str, str] = field(default_factory=dict)
    #: The link that leads to a page, where the page's own URL works only after it (the password
    #: reset link leads to the form for a new password): keyword arguments by route.
    links: dict[str, dict[str, str]] = field(default_factory=dict)

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
    link = routes.password_reset_link()
    return Demo(
        base_url=base_url,
        kwargs={
            "web:point_detail": {"slug": point.slug},
            "web:agency_detail": {"code": agency.code},
            "web:service_detail": {"pk": str(service.pk)},
            "planning:scenario": routes.scenario_id(),
            # The form of a reset link is at this address once the link has been opened.
            "accounts:password_reset_confirm": {"uidb64": link["uidb64"], "token": "set-password"},  # nosec B105
        },
        headings=headings,
        sessions=_sessions(),
        links={"accounts:password_reset_confirm": link},
    )


def _session_key(user: User, *, second_factor: bool) -> str:
    client = Client()
    if second_factor:
        login_staff(client, user)
    else:
        client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def _sessions() -> dict[str, str]:
    """A session for each name of :data:`SESSION_OF`, each of its own demo account."""
    pending, not_set_up, signed_in, planner, administrator = (
        routes.role_user(role)
        for role in (Role.ADVISOR, Role.EXPERT, Role.POINT_MANAGER, Role.NETWORK_PLANNER, Role.ADMINISTRATOR)
    )
    assert pending is not None and not_set_up is not None and signed_in is not None
    assert planner is not None and administrator is not None
    TOTPDeviceFactory.create(user=pending)
    assert not TOTPDevice.objects.filter(user=not_set_up).exists()
    return {
        "second factor pending": _session_key(pending, second_factor=False),
        "second factor not set up": _session_key(not_set_up, second_factor=False),
        "signed in": _session_key(signed_in, second_factor=True),
        "network planner": _session_key(planner, second_factor=True),
        "administrator": _session_key(administrator, second_factor=True),
    }


@dataclass
class Site:
    """The demo data behind the live server, and one Chromium to look at it with."""

    demo: Demo
    browser: Browser
    contexts: list[BrowserContext] = field(default_factory=list)

    def url(self, route: str, language: str = "fi", query: str = "") -> str:
        return self.demo.url(route, language, query)

    def open(self, tab: Tab, route: str, language: str = "fi", query: str = "") -> int:
        """Open the page of ``route`` in ``tab`` as the one it is for (:data:`SESSION_OF`; others
        anonymously, with no cookies) and return its status. A page reached through a link
        (:attr:`Demo.links`) is opened through it."""
        tab.context.clear_cookies()
        who = SESSION_OF.get(route)
        if who is not None:
            tab.context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": self.demo.sessions[who],
                        "url": self.demo.base_url,
                    }
                ]
            )
        url = self.url(route, language, query)
        link = self.demo.links.get(route)
        if link is not None:
            with translation.override(language):
                status = chromium_helpers.open_page(
                    tab, self.demo.base_url + reverse(route, kwargs=link) + query
                )
        else:
            status = chromium_helpers.open_page(tab, url)
        # Not sent elsewhere (to sign in, or to set up the second factor): the page itself.
        assert tab.url == url, f"{route} ({language}) led to {tab.url}"
        return status

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
