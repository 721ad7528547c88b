"""A point manager approves a month's statement and downloads it, in Chromium with the keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from a11y import browser as chromium_helpers
from a11y import sweep
from a11y.routes import DEMO_POINT, role_user
from asiointi.accounts.models import Role
from asiointi.accounts.testing import login_staff
from asiointi.ledger.models import Statement, StatementStatus

pytestmark = [pytest.mark.a11y, pytest.mark.slow]


def test_statement__point_manager_approves_with_the_keyboard_and_downloads_the_csv(
    live_server: Any, transactional_db: None, tmp_path: Path
) -> None:
    sweep.load_demo()
    statement = (
        Statement.objects.filter(point__slug=DEMO_POINT, agency__code="kela", status=StatementStatus.DRAFT)
        .order_by("-month")
        .first()
    )
    assert statement is not None, "the demo data drafts the last month's statements"
    manager = role_user(Role.POINT_MANAGER)
    assert manager is not None
    client = Client()
    login_staff(client, manager)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    with translation.override("fi"):
        url = live_server.url + reverse("ledger:statement", args=[statement.pk])
    total = f"{statement.total}".replace(".", ",")

    with chromium_helpers.chromium() as browser:
        context = browser.new_context(accept_downloads=True)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
        )
        tab = context.new_page()
        assert chromium_helpers.open_page(tab, url) == 200
        approve = tab.get_by_role("button", name="Hyväksy tilitys")
        approve.focus()
        # Wait for the answer of the POST: the page of the statement, now approved.
        with tab.expect_navigation():
            tab.keyboard.press("Enter")
        tab.wait_for_load_state("load")
        status_text = tab.get_by_role("status").inner_text()
        send_visible = tab.get_by_role("button", name="Lähetä tilitys").is_visible()
        with tab.expect_download() as download_info:
            tab.get_by_role("link", name="Lataa CSV-tiedostona").click()
        download = download_info.value
        saved = tmp_path / download.suggested_filename
        download.save_as(saved)
        context.close()

    assert "Tilitys hyväksyttiin." in status_text
    assert send_visible
    statement.refresh_from_db()
    assert statement.status == StatementStatus.APPROVED and statement.approved_by_id == manager.pk
    assert saved.suffix == ".csv"
    assert total in saved.read_text(encoding="utf-8") or f"{statement.total}" in saved.read_text(
        encoding="utf-8"
    )
