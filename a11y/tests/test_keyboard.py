"""Keyboard: with Tab alone every control is reached in reading order, the focus can always be
seen, nothing traps it, and the skip link takes the focus to the main content (WCAG 2.1.1, 2.1.2,
2.4.1, 2.4.3, 2.4.7, 1.4.11)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page as Tab

from a11y import browser
from a11y.tests.conftest import PAGES, Site

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def _tab_order_problems(tab: Tab, walk: browser.TabWalk, controls: list[browser.Stop]) -> list[str]:
    problems = []
    first_is_skip_link = tab.evaluate(
        "() => document.querySelector('[data-a11y-stop=\"0\"]').classList.contains('skip-link')"
    )
    if not walk.stops or walk.stops[0].index != 0 or not first_is_skip_link:
        problems.append("the first Tab did not reach the skip link")
    reached = [s.index for s in walk.stops]
    if reached != [c.index for c in controls]:
        missed = [str(c) for c in controls if c.index not in reached]
        problems.append(f"Tab order differs from the document; not reached: {missed[:5]}")
    if not walk.left_the_page:
        problems.append("the focus never left the page: a keyboard trap")
    elif walk.after_leaving is None or walk.after_leaving.index != 0:
        problems.append("after leaving the page, Tab did not come round to the skip link again")
    problems += [
        f"focus jumps against the reading order: {a} -> {b}" for a, b in browser.out_of_order(walk.stops)
    ]
    return problems


def _indicator_problems(walk: browser.TabWalk, controls: list[browser.Stop]) -> list[str]:
    unfocused = {c.index: c for c in controls}
    problems = []
    for stop in walk.stops:
        indicator = browser.focus_indicator(unfocused[stop.index], stop)
        if indicator is None:
            problems.append(f"focus not visible on {stop}")
        elif not indicator.clear:
            problems.append(f"focus indicator under 2 px or 3:1 on {stop}: {indicator}")
    return problems


def test_keyboard__every_page__tab_reaches_every_control_in_order_with_visible_focus_and_no_trap(
    site: Site, subtests: Any
) -> None:
    tab = site.new_tab()
    for route in PAGES:
        assert site.open(tab, route) == 200, route
        controls = browser.tabbable(tab)
        walk = browser.tab_through(tab, limit=len(controls) + 5)
        with subtests.test(
            "Tab reaches the skip link, then every control in order, then leaves", route=route
        ):
            problems = _tab_order_problems(tab, walk, controls)
            assert not problems, "\n".join(problems)
        with subtests.test("the focus is visible on every control", route=route):
            problems = _indicator_problems(walk, controls)
            assert not problems, "\n".join(problems)
        with subtests.test(
            "no page has a dialog yet (test new ones with browser.dialog_round_trip)", route=route
        ):
            assert browser.dialogs(tab) == []

    for route in ("web:home", "web:point_detail", "web:accessibility"):
        with subtests.test("the skip link moves the focus to the main content", route=route):
            assert site.open(tab, route) == 200
            tab.keyboard.press("Tab")
            skip = browser.focused(tab)
            assert skip is not None and skip.top >= 0, "the skip link is not shown when focused"
            tab.keyboard.press("Enter")
            assert browser.focused_id(tab) == "main"
            tab.keyboard.press("Tab")
            assert tab.evaluate("() => document.getElementById('main').contains(document.activeElement)")

    with subtests.test("Shift+Tab from the search field goes back to the link before it"):
        assert site.open(tab, "web:home") == 200
        tab.focus("#id_q")
        tab.keyboard.press("Shift+Tab")
        assert tab.evaluate(
            "() => document.activeElement.tagName === 'A' && Boolean(document.activeElement"
            ".compareDocumentPosition(document.getElementById('id_q')) & Node.DOCUMENT_POSITION_FOLLOWING)"
        )


_DIALOG_PAGE = """<!doctype html><html lang="en"><title>Dialogs</title>
<button id="open">Open</button><button id="forgetful">Open and forget</button>
<div role="dialog" aria-label="Hello" hidden><p>Hello</p><button>Close</button></div>
<script>
const dialog = document.querySelector('[role=dialog]');
let opener = null;
for (const button of document.querySelectorAll('#open, #forgetful')) {
  button.addEventListener('click', () => {
    opener = button; dialog.hidden = false; dialog.querySelector('button').focus();
  });
}
dialog.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  dialog.hidden = true;
  if (opener.id === 'open') opener.focus();
});
</script>"""


def test_dialog_round_trip__tells_a_dialog_that_returns_focus_from_one_that_loses_it() -> None:
    with browser.chromium() as chromium:
        tab: Tab = browser.new_context(chromium).new_page()
        tab.set_content(_DIALOG_PAGE)
        assert browser.dialog_round_trip(tab, "#open").ok

        lost = browser.dialog_round_trip(tab, "#forgetful")
        assert (lost.opened, lost.focus_inside, lost.closed, lost.focus_returned) == (True, True, True, False)
