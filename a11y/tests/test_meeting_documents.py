"""End to end, in Debian's Chromium: in a meeting, the booth's screen sends a scanned document from its
documents panel without leaving the meeting; the expert's page shows it at once (without a reload) and
announces it in its live region; the booth's "call me by phone instead" shows the agencies' numbers and
tells the expert's page.

The product's ASGI application runs in a uvicorn process of its own (as in test_meeting_video.py), over
the test's database. No camera is needed: the panel works beside the video."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.ledger.models import AstiType, Transaction
from asiointi.meetings.models import MeetingDocument
from asiointi.meetings.tests.conftest import BOOKED_AT, STARTS, _meeting, move_to_now
from asiointi.meetings.tokens import join_token_issue

from .test_meeting_video import CHROMIUM_FLAGS, _session_cookie, server  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.a11y, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def test_meeting_documents__booth_sends_a_scan__expert_sees_it_live_and_hears_of_the_phone_choice(
    server: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    meeting = _meeting(start=STARTS, booked_at=BOOKED_AT)
    move_to_now(meeting)
    for number, participant in (("029 497 000", meeting.tax), ("020 692 222", meeting.kela)):
        participant.agency.phone = number
        participant.agency.save(update_fields=["phone"])
    expert_client, booth_client = Client(), Client()
    login_staff(expert_client, meeting.kela.user)
    login_booth_device(booth_client, meeting.booth.booth)
    scan = tmp_path / "passi.jpg"
    scan.write_bytes(JPEG)
    room_url = f"{server}/fi/meetings/join/{join_token_issue(participant=meeting.kela)}/"

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        try:
            expert = browser.new_context()
            expert.add_cookies([_session_cookie(expert_client)])
            booth = browser.new_context()
            booth.add_cookies([_session_cookie(booth_client)])
            expert_tab, booth_tab = expert.new_page(), booth.new_page()
            expert_tab.goto(room_url)
            booth_tab.goto(f"{server}/fi/meetings/booth/")
            expect(expert_tab.locator("#meeting-documents-list")).to_contain_text("Tässä tapaamisessa ei")
            expert_tab.wait_for_timeout(1500)  # the panel's listening socket connects

            booth_tab.set_input_files("#meeting-documents-form input[type=file]", str(scan))
            booth_tab.select_option("#meeting-documents-form select", str(meeting.kela.agency_id))
            booth_tab.click("#meeting-documents-form button[type=submit]")

            expect(booth_tab.locator("#meeting-documents-status")).to_have_text("Asiakirja lähetettiin.")
            assert booth_tab.url.endswith("/fi/meetings/booth/")  # never left the meeting
            expect(expert_tab.locator("#meeting-documents-list")).to_contain_text("passi.jpg", timeout=10_000)
            expect(expert_tab.locator("#meeting-documents-status")).to_contain_text("passi.jpg")

            booth_tab.click("#meeting-phone-form button")
            expect(booth_tab.locator("#meeting-phone-numbers")).to_be_visible()
            expect(booth_tab.locator("#meeting-phone-numbers")).to_contain_text("020 692 222")
            expect(expert_tab.locator("#meeting-documents-alert")).to_contain_text(
                "puhelimella", timeout=10_000
            )
        finally:
            browser.close()

    document = MeetingDocument.objects.get()
    assert document.content_type == "image/jpeg"
    assert (
        Transaction.objects.filter(asti_type=AstiType.DOCUMENT_RECEIVED, agency=meeting.kela.agency).count()
        == 1
    )
