"""End to end, in Debian's Chromium with fake camera and microphone: the booth's kiosk joins the meeting
by itself, waits, the expert lets it in from the meeting page, and each sees the other's video
(``framesDecoded > 0`` both ways), browser to browser; the expert ends the meeting, one RemoteGuidance
transaction is recorded and the kiosk asks for feedback.

The product's ASGI application runs in a uvicorn process of its own (the WebSocket needs it) over the
test's database. Run with ``make video``, which runs it inside a private network namespace (nothing can
leave the machine); it is marked ``video`` (and ``a11y``), so ``make test`` leaves it out."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.ledger.models import AstiType, Transaction
from asiointi.meetings.tests.conftest import BOOKED_AT, STARTS, _meeting, move_to_now
from asiointi.meetings.tests.test_signalling_between_processes import _database_url, _wait_up
from asiointi.meetings.tokens import join_token_issue

pytestmark = [pytest.mark.a11y, pytest.mark.video, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
]
#: Collects the page's RTCPeerConnections for the test (the page's script keeps them to itself).
COLLECT_PEERS = """
window.__peers = [];
const Original = window.RTCPeerConnection;
window.RTCPeerConnection = function (...args) {
  const pc = new Original(...args);
  window.__peers.push(pc);
  return pc;
};
window.RTCPeerConnection.prototype = Original.prototype;
"""
FRAMES_DECODED = """
async () => {
  let frames = 0;
  for (const pc of window.__peers || []) {
    const stats = await pc.getStats();
    stats.forEach((s) => { if (s.type === "inbound-rtp" && s.kind === "video") frames += s.framesDecoded || 0; });
  }
  return frames;
}
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = 18000 + os.getpid() % 1000
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "ASIOINTI_VAR_DIR": str(tmp_path),
        "DEBUG": "1",  # static files from the apps' folders, without collectstatic
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_up(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _session_cookie(client: Client) -> dict[str, Any]:
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": "127.0.0.1", "path": "/"}


def _frames(tab: Any, deadline: float) -> int:
    while time.monotonic() < deadline:
        frames = tab.evaluate(FRAMES_DECODED)
        if frames > 0:
            return int(frames)
        time.sleep(0.25)
    return 0


def test_meeting__booth_and_expert__see_each_others_video_browser_to_browser(server: str) -> None:
    meeting = _meeting(start=STARTS, booked_at=BOOKED_AT)
    move_to_now(meeting)
    expert_client, booth_client = Client(), Client()
    login_staff(expert_client, meeting.kela.user)
    login_booth_device(booth_client, meeting.booth.booth)
    expert_url = f"{server}/fi/meetings/join/{join_token_issue(participant=meeting.kela)}/"

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_FLAGS)
        try:
            booth_context = chromium.new_context()
            booth_context.add_cookies([_session_cookie(booth_client)])  # type: ignore[list-item]
            booth_context.add_init_script(COLLECT_PEERS)
            expert_context = chromium.new_context()
            expert_context.add_cookies([_session_cookie(expert_client)])  # type: ignore[list-item]
            expert_context.add_init_script(COLLECT_PEERS)
            booth = booth_context.new_page()
            expert = expert_context.new_page()

            booth.goto(f"{server}/fi/meetings/booth/")
            booth.wait_for_function(
                "() => document.getElementById('meeting-status').textContent.includes('Odota')"
            )
            expert.goto(expert_url)
            let_in = expert.get_by_role("button", name="Päästä Etäpiste")
            let_in.first.click(timeout=15000)
            booth.wait_for_function(
                "() => document.getElementById('meeting-status').textContent.includes('Olet tapaamisessa')"
            )

            deadline = time.monotonic() + 20
            assert _frames(expert, deadline) > 0, "the expert sees no video of the booth"
            assert _frames(booth, deadline) > 0, "the booth sees no video of the expert"

            expert.on("dialog", lambda dialog: dialog.accept())
            expert.click("#end-meeting")
            booth.wait_for_url(f"**/meetings/booth/{meeting.room.key}/feedback/", timeout=15000)
            assert booth.locator("h1").inner_text() == "Palaute palvelusta"
        finally:
            chromium.close()

    row = Transaction.objects.get()
    assert row.asti_type == AstiType.REMOTE_GUIDANCE and row.agency_id == meeting.kela.agency_id
