"""Booking in the browser with the keyboard only (issue 19): a resident books in Swedish and cancels
by code; the advisor of the demo point books a two-agency remote meeting with an interpreter."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Page as Tab

from a11y import browser as chromium_helpers
from a11y import routes, sweep
from a11y.routes import DEMO_POINT
from a11y.tests.conftest import _session_key
from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel
from asiointi.network.models import ServicePoint
from asiointi.scheduling.models import Appointment, AppointmentState, Expert
from asiointi.scheduling.selectors import slot_request_build, slot_search

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


@dataclass(frozen=True)
class Booking:
    base_url: str
    point_slug: str
    #: One service with free remote times for the resident, and two of different agencies.
    service: int
    two_services: tuple[int, int]
    advisor_session: str


def _two_agency_services(point: ServicePoint) -> tuple[int, int]:
    """Two services of different agencies with experts in the demo that have a free time together
    with an Arabic interpreter within 30 days."""
    by_agency: dict[int, int] = {}
    for expert in Expert.objects.filter(services__offerings__point=point).prefetch_related("services"):
        for service in expert.services.filter(
            offerings__point=point, offerings__channel=Channel.REMOTE_MEETING, is_active=True
        ):
            by_agency.setdefault(service.agency_id, service.pk)
    ids = list(by_agency.values())
    now = timezone.now()
    for i, first in enumerate(ids):
        for second in ids[i + 1 :]:
            request = slot_request_build(
                point=point,
                service_ids=[first, second],
                channel=Channel.REMOTE_MEETING,
                language="fi",
                interpreter_language="ar",
            )
            if slot_search(viewer=None, request=request, start=now, end=now + dt.timedelta(days=30), limit=1):
                return first, second
    raise LookupError("No two agencies with experts and a free time together at the demo point.")


@pytest.fixture
def booking(live_server: Any, transactional_db: None, settings: Any) -> Iterator[tuple[Booking, Any]]:
    sweep.load_demo()
    point = ServicePoint.objects.get(slug=DEMO_POINT)
    first, second = _two_agency_services(point)
    advisor = routes.role_user(Role.ADVISOR)
    assert advisor is not None
    data = Booking(
        live_server.url, point.slug, first, (first, second), _session_key(advisor, second_factor=True)
    )
    with chromium_helpers.chromium() as browser:
        context = chromium_helpers.new_context(browser)
        try:
            yield data, context
        finally:
            context.close()


def _focus(tab: Tab, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


#: The element of id ``args[0]`` has the focus and no longer says ``args[1]`` (htmx swapped it in).
_FOCUSED_AFTER_SWAP = (
    "args => document.activeElement && document.activeElement.id === args[0]"
    " && document.activeElement.innerText !== args[1]"
)


def _enter(tab: Tab) -> None:
    """Press Enter on what has the focus and wait for the page it leads to."""
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    tab.wait_for_function(sweep.SETTLED)


def test_booking__with_the_keyboard_only__resident_in_swedish_and_the_advisor(
    booking: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, context = booking
    tab = context.new_page()
    # The resident, in Swedish, from the point's own link (the point and the service chosen).
    chromium_helpers.open_page(
        tab, f"{data.base_url}/sv/appointments/?point={data.point_slug}&service={data.service}"
    )
    _focus(tab, "input[name=channel][value=remote_meeting]")
    tab.keyboard.press("Space")
    _focus(tab, "form[method=get] button[type=submit]")
    _enter(tab)
    # The next week, back and forward again with htmx: only the times change, the address follows, the
    # focus moves to the times' heading and the live region says which week is shown. It ends on next
    # week, which has free times whatever the day (late on a Friday this week has none left).
    for link in ("a[rel=next]", "a[rel=prev]", "a[rel=next]"):
        _focus(tab, link)
        heading = tab.locator("#times-title").inner_text()
        tab.keyboard.press("Enter")
        tab.wait_for_function(_FOCUSED_AFTER_SWAP, arg=["times-title", heading])
        assert "week=" in tab.url
        assert tab.locator("#times-status").inner_text() == tab.locator("#times-title").inner_text()
    _focus(tab, "a.slot-button")
    _enter(tab)
    assert "/sv/appointments/time/" in tab.url
    _focus(tab, "#id_name")
    tab.keyboard.type("Anna Andersson")
    _focus(tab, "#id_email")
    tab.keyboard.type("anna@example.fi")
    _enter(tab)
    assert "/sv/appointments/booked/" in tab.url, tab.url
    code = tab.locator(".appointment-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert tab.locator("h1").inner_text() == "Din tid är bokad"

    # Cancel by code in a fresh session.
    context.clear_cookies()
    chromium_helpers.open_page(tab, f"{data.base_url}/sv/appointments/manage/")
    _focus(tab, "#id_code")
    tab.keyboard.type(code)
    _focus(tab, "#id_contact")
    tab.keyboard.type("anna@example.fi")
    _enter(tab)
    _focus(tab, "a[href$='/cancel/']")
    _enter(tab)
    _focus(tab, "form.inline-form button[type=submit]")
    _enter(tab)
    assert tab.locator(".booking-status .hds-notification").count() == 1

    # The advisor of the demo point: two agencies and an Arabic interpreter.
    context.clear_cookies()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": data.advisor_session, "url": data.base_url}]
    )
    chromium_helpers.open_page(tab, f"{data.base_url}/fi/staff/booking/{data.point_slug}/")
    for service in data.two_services:
        _focus(tab, f"input[name=services][value='{service}']")
        tab.keyboard.press("Space")
    _focus(tab, "#id_interpreter")
    for _ in range(40):
        if tab.evaluate("() => document.activeElement.value") == "ar":
            break
        tab.keyboard.press("ArrowDown")
    assert tab.evaluate("() => document.activeElement.value") == "ar"
    _focus(tab, "#query-form button[type=submit]")
    tab.keyboard.press("Enter")  # htmx: the times replace only their part of the page
    tab.wait_for_function("() => document.activeElement && document.activeElement.id === 'book-title'")
    assert "interpreter=ar" in tab.url
    _focus(tab, "#id_name")
    tab.keyboard.type("Aino Asiakas")
    _focus(tab, "#id_phone")
    tab.keyboard.type("040 123 4567")
    _focus(tab, "button.slot-button")
    _enter(tab)
    assert re.search(r"/fi/staff/booking/[^/]+/[A-Z0-9]{8}/$", tab.url), tab.url
    staff_code = tab.locator(".appointment-code").inner_text().strip().replace("-", "")
    tab.close()
    # The database, read from this thread while Playwright's loop runs (nothing else uses it now).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    _check(code.replace("-", ""), staff_code, data.two_services)


def _check(resident_code: str, staff_code: str, services: tuple[int, int]) -> None:
    resident = Appointment.objects.get(code=resident_code)
    assert resident.state == AppointmentState.CANCELLED
    staff = Appointment.objects.get(code=staff_code)
    assert staff.booked_by is not None
    assert staff.interpreter_language == "ar"
    assert sorted(staff.services.values_list("pk", flat=True)) == sorted(services)
    assert staff.reservations.filter(active=True).count() == 4
