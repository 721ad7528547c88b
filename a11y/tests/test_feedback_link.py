"""The customer's feedback link works with the keyboard only, in Swedish: Tab to each question,
Space to choose, type the text, Enter to send, and the thanks page follows (issue 20)."""

from __future__ import annotations

from typing import Any

import pytest

from a11y import browser
from asiointi.factories import TransactionFactory
from asiointi.ledger.models import Feedback
from asiointi.ledger.services import feedback_token_issue, feedback_url

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def _press_tab_until(tab: Any, element_id: str, limit: int = 30) -> None:
    for _ in range(limit):
        tab.keyboard.press("Tab")
        if browser.focused_id(tab) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_feedback_link__keyboard_only_in_swedish__sends_the_answer_once(
    live_server: Any, transactional_db: None
) -> None:
    token = feedback_token_issue(transaction=TransactionFactory.create())
    url = live_server.url + feedback_url(token=token, language="sv")

    with browser.chromium() as chromium:
        tab = browser.new_context(chromium).new_page()
        assert browser.open_page(tab, url) == 200
        assert tab.locator("h1").inner_text() == "Respons på servicen"
        assert tab.get_attribute("html", "lang") == "sv"

        # The first radio button of each group is reached with Tab; the arrow keys move the choice.
        _press_tab_until(tab, "id_rating_0")
        tab.keyboard.press("ArrowDown")  # "4 – bra"
        assert tab.is_checked("#id_rating_1")
        tab.keyboard.press("Tab")
        assert browser.focused_id(tab) == "id_met_need_0"  # "Ja"
        tab.keyboard.press("Space")
        tab.keyboard.press("Tab")
        assert browser.focused_id(tab) == "id_text"
        tab.keyboard.type("Bra service, ring mig på 040 123 4567.")
        tab.keyboard.press("Tab")
        assert tab.evaluate("() => document.activeElement.type") == "submit"
        tab.keyboard.press("Enter")
        tab.wait_for_url(live_server.url + "/sv/respons/tack/")
        assert tab.locator("h1").inner_text() == "Tack för din respons"

        # The link works once: opening it again says so, in Swedish.
        assert browser.open_page(tab, url) == 410
        assert "Respons har redan getts med den här länken" in tab.locator("main").inner_text()
        tab.context.close()

    feedback = Feedback.objects.get()
    assert (feedback.rating, feedback.met_need) == (4, True)
    assert feedback.text == "Bra service, ring mig på [phone]."
