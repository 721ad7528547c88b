"""The advisor's desk in the browser (issue 22): the advisor of the demo point records five
transactions with the keyboard only (a number key picks the service, Enter records), then files a
callback request for Kela that appears in Kela's expert's queue, open in a second browser context,
without reloading it (the live panel; here its polling, as Django's test server has no WebSockets)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import Page as Tab

from a11y import browser as chromium_helpers
from a11y import routes, sweep
from a11y.routes import DEMO_POINT
from a11y.tests.conftest import _session_key
from asiointi.accounts.models import Role
from asiointi.desk.models import CallbackRequest
from asiointi.ledger.models import Transaction, TransactionSource

pytestmark = [pytest.mark.a11y, pytest.mark.slow]

TOPIC = "Selaintesti: asumistuen tarkistus"


@dataclass(frozen=True)
class Desk:
    base_url: str
    advisor_session: str
    expert_session: str
    before: int


@pytest.fixture
def desk(live_server: Any, transactional_db: None, settings: Any) -> Iterator[tuple[Desk, Any, Any]]:
    settings.DESK_POLL_SECONDS = 1
    sweep.load_demo()
    advisor, expert = routes.role_user(Role.ADVISOR), routes.role_user(Role.EXPERT)
    assert advisor is not None and expert is not None
    before = Transaction.objects.filter(point__slug=DEMO_POINT, source=TransactionSource.DESK).count()
    data = Desk(
        live_server.url,
        _session_key(advisor, second_factor=True),
        _session_key(expert, second_factor=True),
        before,
    )
    with chromium_helpers.chromium() as browser:
        advisor_context = chromium_helpers.new_context(browser)
        expert_context = chromium_helpers.new_context(browser)
        for context, session in (
            (advisor_context, data.advisor_session),
            (expert_context, data.expert_session),
        ):
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": data.base_url}]
            )
        try:
            yield data, advisor_context, expert_context
        finally:
            advisor_context.close()
            expert_context.close()


def _focus(tab: Tab, selector: str, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if tab.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _press_and_wait(tab: Tab, key: str) -> None:
    with tab.expect_navigation():
        tab.keyboard.press(key)
    tab.wait_for_function(sweep.SETTLED)


def test_desk__five_transactions_by_keyboard_and_a_callback_appears_in_the_experts_queue(
    desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, advisor_context, expert_context = desk
    queue = expert_context.new_page()
    chromium_helpers.open_page(queue, f"{data.base_url}/fi/staff/callbacks/")
    assert TOPIC not in queue.locator("#callback-queue").inner_text()

    tab = advisor_context.new_page()
    chromium_helpers.open_page(tab, f"{data.base_url}/fi/staff/desk/{DEMO_POINT}/")
    assert "[1]" in tab.locator("#id_service").inner_text()  # the shortcuts are shown
    for key in ("1", "2", "1", "3", "1"):
        tab.keyboard.press(key)  # picks the service with that number
        assert tab.evaluate("() => document.activeElement.name") == "service"
        _press_and_wait(tab, "Enter")  # records it
        assert tab.locator(".booking-status .hds-notification--success").count() == 1
    assert tab.locator(".desk-recent li").count() == 5

    # A callback request for Kela, by keyboard.
    _focus(tab, "a[href$='/callback/']")
    _press_and_wait(tab, "Enter")
    _focus(tab, "#id_agency")
    for _ in range(30):
        if "Kela" in tab.evaluate(
            "() => document.activeElement.selectedOptions[0].textContent"
        ) or tab.evaluate("() => document.activeElement.selectedOptions[0].textContent").startswith(
            "Kansanel"
        ):
            break
        tab.keyboard.press("ArrowDown")
    _focus(tab, "#id_customer_name")
    tab.keyboard.type("Aino Asiakas")
    _focus(tab, "#id_customer_phone")
    tab.keyboard.type("040 765 4321")
    _focus(tab, "#id_topic")
    tab.keyboard.type(TOPIC)
    _focus(tab, "#id_consent")
    tab.keyboard.press("Space")
    _focus(tab, "#callback_form button[type=submit]")
    _press_and_wait(tab, "Enter")
    assert f"/fi/staff/desk/{DEMO_POINT}/" in tab.url, tab.url

    # The expert's queue shows it without a reload.
    queue.wait_for_function(
        "topic => document.querySelector('#callback-queue').innerText.includes(topic)",
        arg=TOPIC,
        timeout=15000,
    )
    tab.close()
    queue.close()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    after = Transaction.objects.filter(point__slug=DEMO_POINT, source=TransactionSource.DESK).count()
    assert after - data.before == 5
    filed = CallbackRequest.objects.get(topic=TOPIC)
    assert filed.agency.code == "kela" and filed.consent_at is not None


def _choose(tab: Tab, select: str, starts: tuple[str, ...]) -> None:
    """Focus ``select`` by Tab and press ArrowDown until its chosen option starts with one of ``starts``."""
    _focus(tab, select)
    for _ in range(40):
        text = tab.evaluate("() => document.activeElement.selectedOptions[0].textContent.trim()")
        if text.startswith(starts):
            return
        tab.keyboard.press("ArrowDown")
    raise AssertionError(f"no option of {select} starts with {starts}")


def test_desk__call_now_by_keyboard__the_experts_queue_rings_and_the_expert_takes_the_call(
    desk: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, advisor_context, expert_context = desk
    queue = expert_context.new_page()
    chromium_helpers.open_page(queue, f"{data.base_url}/fi/staff/callbacks/now/")
    assert queue.locator("[data-ring]").is_hidden()

    tab = advisor_context.new_page()
    chromium_helpers.open_page(tab, f"{data.base_url}/fi/staff/desk/{DEMO_POINT}/")
    _choose(tab, "#id_callnow-agency", ("Kela", "Kansanel"))
    _focus(tab, "#id_callnow-booth")
    tab.keyboard.press("ArrowDown")  # the first booth of the point
    _focus(tab, "#callnow_form button[type=submit]")
    _press_and_wait(tab, "Enter")
    assert tab.locator(".booking-status .hds-notification--success").count() == 1
    assert "jonossa numero 1" in tab.locator("#desk-callnow").inner_text()

    # The expert's page rings without a reload: the alert shows and the live region speaks.
    queue.wait_for_function(
        "() => !document.querySelector('[data-ring]').hidden"
        " && document.querySelector('#callnow-announce').textContent.length > 0",
        timeout=15000,
    )
    _focus(queue, "#callnow-queue button[type=submit]")
    with queue.expect_navigation():
        queue.keyboard.press("Enter")
    assert "/meetings/join/" in queue.url, queue.url
    tab.close()
    queue.close()
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from asiointi.desk.models import CallNowRequest, CallNowStatus

    taken = CallNowRequest.objects.get()
    assert taken.status == CallNowStatus.ACCEPTED and taken.agency.code == "kela"
    assert taken.room is not None and taken.room.participants.count() == 2
