"""The API's interactive documentation (/api/v1/docs) in Chromium: Swagger UI, served from the site's
own files, renders every operation under the strict Content-Security-Policy with 0 CSP violations,
and axe-core finds 0 violations (WCAG 2.1 A and AA) on the page as it opens and with an operation
expanded and its "Try it out" form open, in fi, sv and en. The page's structure meets the sweep's
rules too (the sweep opens it as api:docs)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import sync_playwright

from a11y import sweep
from a11y.routes import LANGUAGES

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def _violations(tab: Any) -> list[tuple[str, str | None, list[str]]]:
    found = tab.evaluate(sweep._RUN_AXE, list(sweep.WCAG_TAGS))
    return [(v["rule"], v["impact"], v["targets"][:5]) for v in found]


def test_api_docs__every_language__renders_the_operations_with_no_axe_or_csp_violation(
    live_server: Any, subtests: Any
) -> None:
    with sync_playwright() as playwright:
        browser = sweep.launch(playwright)
        try:
            context = sweep._context(browser, live_server.url, None)
            tab = context.new_page()
            for language in LANGUAGES:
                with subtests.test(language=language):
                    response = tab.goto(f"/api/v1/docs?lang={language}", wait_until="load")
                    assert response is not None and response.status == 200
                    tab.wait_for_selector(".opblock", timeout=20_000)
                    operations = tab.locator(".opblock").count()
                    assert operations >= 6
                    assert _violations(tab) == []
                    structure = tab.evaluate(sweep._STRUCTURE)
                    assert sweep.structure_problems(structure, language, admin=False) == []

                    tab.locator(".opblock-summary-control").first.click()
                    tab.wait_for_selector(".opblock-body", timeout=10_000)
                    tab.locator(".try-out__btn").first.click()
                    tab.wait_for_selector(".btn.execute", timeout=10_000)
                    assert _violations(tab) == []
                    assert tab.evaluate("() => window.__a11yCsp || []") == []
        finally:
            browser.close()
