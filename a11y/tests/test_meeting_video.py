"""End to end, in Debian's Chromium with fake cameras and microphone: the booth's kiosk joins the meeting
by itself, waits, the expert lets it in from the meeting page, and each sees the other's video
(``framesDecoded > 0`` both ways), browser to browser and again through a real Janus (started with a
configuration folder of its own, transports bound to 127.0.0.1, stopped by its pid); the booth's second
(document) camera reaches the expert as a second video that can be enlarged; an interpreter played by an
aiortc peer joins the Janus room; a Janus stopped mid-setup gives a browser-to-browser meeting with the
fallback notice on the expert's screen; the expert's screen share replaces the camera on their
connection (browser to browser and through Janus) until the button or the browser's own "stop sharing"
brings the camera back, and the connection-quality indicator has a label; the meeting's end records one RemoteGuidance transaction per
agency and the kiosk stores the customer's feedback.

The product's ASGI application runs in a uvicorn process of its own (the WebSocket needs it) over the
test's database. Run with ``make video``, which runs it inside a private network namespace (nothing can
leave the machine); it is marked ``video`` (and ``a11y``), so ``make test`` leaves it out."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright

from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.core.testing import wait_up
from asiointi.ledger.models import AstiType, Feedback, Transaction
from asiointi.meetings.janus import janus_participants_list
from asiointi.meetings.models import Room, VideoRoute
from asiointi.meetings.testing import (
    COLLECT_PEERS,
    FRAMES_DECODED,
    JanusTestPeer,
    RunningJanus,
    chromium_video_args,
    janus_running,
    namespace_veth_ensure,
)
from asiointi.meetings.tests.conftest import BOOKED_AT, STARTS, _meeting, move_to_now
from asiointi.meetings.tests.test_signalling_between_processes import _database_url
from asiointi.meetings.tokens import join_token_issue

pytestmark = [pytest.mark.a11y, pytest.mark.video, pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
# Three fake cameras: the first is the face camera; the second (a depth camera, Y16) cannot be sent
# over WebRTC, so the booth's page is shown only the first and the third (DOCUMENT_CAMERA).
CHROMIUM_FLAGS = ["--headless=new", *chromium_video_args(cameras=3)]
#: The booth's cameras: the face camera and a document camera (Chromium's fake devices 0 and 2).
DOCUMENT_CAMERA = """
const listDevices = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
navigator.mediaDevices.enumerateDevices = async () =>
  (await listDevices()).filter((device) => device.label !== "fake_device_1");
"""


#: The expert's "screen": a wide 480x120 canvas that getDisplayMedia gives (headless Chromium has no screen
#: to pick); its track is kept as window.__screenTrack so the test can find it among the senders.
SCREEN_STUB = """
navigator.mediaDevices.getDisplayMedia = async () => {
  const canvas = document.createElement("canvas");
  canvas.width = 480;
  canvas.height = 120;
  const context = canvas.getContext("2d");
  let shade = 0;
  window.setInterval(() => { shade = (shade + 8) % 256; context.fillStyle = `rgb(0, ${shade}, 0)`; context.fillRect(0, 0, 480, 120); }, 50);
  const stream = canvas.captureStream(20);
  window.__screenTrack = stream.getVideoTracks()[0];
  return stream;
};
"""
#: Whether one of the page's connections sends the shared screen's track in place of the camera.
SENDS_SCREEN = (
    "() => window.__peers.some((pc) => pc.getSenders().some("
    "(s) => s.track && window.__screenTrack && s.track === window.__screenTrack))"
)
#: The shape (width / height) of the expert's video on the booth's page: 4:3 for the camera, 4:1 for the
#: screen, whatever size the encoder scales them to on a loaded machine.
EXPERT_SHAPE_ON_BOOTH = (
    "() => { const v = document.querySelector('video[data-participant]:not([data-document])');"
    " return v && v.videoHeight ? v.videoWidth / v.videoHeight : 0; }"
)


@pytest.fixture(autouse=True)
def _orm_beside_playwright(monkeypatch: pytest.MonkeyPatch) -> None:
    """Playwright's sync API keeps an event loop in this thread; the test's own database reads in
    between are synchronous all the same."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@contextmanager
def _serving(folder: Path, extra: dict[str, str] | None = None) -> Iterator[str]:
    port = 18000 + os.getpid() % 1000
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "ASIOINTI_VAR_DIR": str(folder),
        "DEBUG": "1",  # static files from the apps' folders, without collectstatic
        "REDIS_URL": "",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "JANUS_URL": "",
        **(extra or {}),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
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
        wait_up(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with _serving(tmp_path) as url:
        yield url


@pytest.fixture
def janus(tmp_path: Path) -> Iterator[RunningJanus]:
    namespace_veth_ensure()
    with janus_running(folder=tmp_path / "janus") as running:
        yield running


def _janus_settings(janus: RunningJanus) -> dict[str, str]:
    return {
        "JANUS_URL": janus.url,
        "JANUS_PUBLIC_URL": janus.ws_url,
        "JANUS_ADMIN_KEY": janus.config.admin_key,
        "JANUS_TIMEOUT_SECONDS": "5",
    }


@pytest.fixture
def janus_server(tmp_path: Path, janus: RunningJanus, settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    for name, value in _janus_settings(janus).items():
        setattr(settings, name, float(value) if name == "JANUS_TIMEOUT_SECONDS" else value)
    with _serving(tmp_path / "web", _janus_settings(janus)) as url:
        yield url


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


@contextmanager
def _meeting_in_browsers(server: str, meeting: Any) -> Iterator[tuple[Any, Any]]:
    """The booth's kiosk and the expert's meeting page in Chromium, the booth let in by the expert."""
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
            booth_context.add_init_script(DOCUMENT_CAMERA)
            expert_context = chromium.new_context()
            expert_context.add_cookies([_session_cookie(expert_client)])  # type: ignore[list-item]
            expert_context.add_init_script(COLLECT_PEERS)
            expert_context.add_init_script(SCREEN_STUB)
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
            yield booth, expert
        finally:
            chromium.close()


def _both_see_video(booth: Any, expert: Any) -> None:
    deadline = time.monotonic() + 20
    assert _frames(expert, deadline) > 0, "the expert sees no video of the booth"
    assert _frames(booth, deadline) > 0, "the booth sees no video of the expert"


def _document_camera_enlarged(expert: Any) -> None:
    """The booth's document camera is a second video on the expert's page, playing, with a button that
    enlarges it (aria-pressed)."""
    expert.wait_for_function(
        "() => { const v = document.querySelector('video[data-document]');"
        " return v && v.videoWidth > 0 && v.getVideoPlaybackQuality().totalVideoFrames > 0; }",
        timeout=20000,
    )
    enlarge = expert.get_by_role("button", name="Suurenna asiakirjakamera")
    enlarge.focus()
    expert.keyboard.press("Enter")
    assert enlarge.get_attribute("aria-pressed") == "true"
    assert "meeting__video--large" in (
        expert.locator("figure.meeting__video--document").first.get_attribute("class") or ""
    )


def _screen_shared_and_camera_back(booth: Any, expert: Any) -> None:
    """The expert shares the screen: their connection sends it in place of the camera and the booth
    shows it; the button (again) and the browser's own "stop sharing" (the track's ended event) each
    bring the camera back; the status says so each time. The quality indicator has a label."""
    share = expert.locator("#share-screen")
    status = expert.locator("#meeting-status")
    for stop in ("button", "browser"):
        share.click()
        expert.wait_for_function(SENDS_SCREEN, timeout=10000)
        assert share.inner_text() == "Lopeta näytön jakaminen"
        assert "Jaat näyttösi" in status.inner_text()
        booth.wait_for_function(f"() => ({EXPERT_SHAPE_ON_BOOTH})() > 3", timeout=15000)
        if stop == "button":
            share.click()
        else:
            expert.evaluate("() => window.__screenTrack.dispatchEvent(new Event('ended'))")
        expert.wait_for_function(f"() => !({SENDS_SCREEN})()", timeout=10000)
        assert share.inner_text() == "Jaa näyttö"
        assert "Näytön jakaminen päättyi" in status.inner_text()
        booth.wait_for_function(
            f"() => {{ const r = ({EXPERT_SHAPE_ON_BOOTH})(); return r > 1 && r < 2; }}", timeout=15000
        )
    for page in (expert, booth):
        page.wait_for_function(
            "() => document.getElementById('meeting-quality').textContent.startsWith('Yhteys: ')",
            timeout=15000,
        )


def _end_with_feedback(booth: Any, expert: Any, meeting: Any) -> None:
    expert.on("dialog", lambda dialog: dialog.accept())
    expert.click("#end-meeting")
    booth.wait_for_url(f"**/meetings/booth/{meeting.room.key}/feedback/", timeout=15000)
    assert booth.locator("h1").inner_text() == "Palaute palvelusta"
    for choice in ("input[name=rating][value='5']", "input[name=met_need]"):
        choice_id = booth.locator(choice).first.get_attribute("id")
        booth.locator(f"label[for='{choice_id}']").click()  # the large label, as a finger would
    booth.get_by_role("button", name="Lähetä palaute").click()
    booth.wait_for_url("**/meetings/booth/?thanks=1", timeout=15000)


def _recorded_once(meeting: Any) -> None:
    rows = list(Transaction.objects.all())
    assert [(row.asti_type, row.agency_id) for row in rows] == [
        (AstiType.REMOTE_GUIDANCE, meeting.kela.agency_id)
    ], "one RemoteGuidance transaction for the one agency whose expert took part"
    assert Feedback.objects.get().transaction_id == rows[0].pk
    assert Feedback.objects.get().rating == 5


def _meeting_now() -> Any:
    meeting = _meeting(start=STARTS, booked_at=BOOKED_AT)
    move_to_now(meeting)
    return meeting


def test_meeting__booth_and_expert__see_each_others_video_browser_to_browser(server: str) -> None:
    meeting = _meeting_now()
    with _meeting_in_browsers(server, meeting) as (booth, expert):
        _both_see_video(booth, expert)
        _document_camera_enlarged(expert)
        _screen_shared_and_camera_back(booth, expert)
        _end_with_feedback(booth, expert, meeting)
    _recorded_once(meeting)


def test_meeting__through_janus__booth_and_expert_see_each_others_video(
    janus: RunningJanus, janus_server: str
) -> None:
    meeting = _meeting_now()
    with _meeting_in_browsers(janus_server, meeting) as (booth, expert):
        _both_see_video(booth, expert)
        room = Room.objects.get(pk=meeting.room.pk)
        assert room.video_route == VideoRoute.JANUS
        publishers = [
            p.display
            for p in janus_participants_list(room_id=room.janus_room_id, server=janus.server())
            if p.publisher
        ]
        assert sorted(publishers) == sorted([str(meeting.booth.pk), str(meeting.kela.pk)])
        assert expert.locator("#meeting-video-notice").inner_text() == ""
        _document_camera_enlarged(expert)
        _screen_shared_and_camera_back(booth, expert)
        _end_with_feedback(booth, expert, meeting)
    _recorded_once(meeting)
    assert Room.objects.get(pk=meeting.room.pk).janus_room_id is None  # destroyed in Janus


def test_meeting__interpreter_by_aiortc_through_janus__three_parties_see_each_other(
    janus: RunningJanus, janus_server: str
) -> None:
    meeting = _meeting_now()
    display = str(meeting.interpreter.pk)
    with _meeting_in_browsers(janus_server, meeting) as (booth, expert):
        _both_see_video(booth, expert)
        room = Room.objects.get(pk=meeting.room.pk)
        assert room.janus_room_id is not None
        peer = JanusTestPeer(
            server=janus.server(timeout=10), room_id=room.janus_room_id, pin=room.janus_pin, display=display
        )
        stop = threading.Event()
        failure: list[BaseException] = []
        # The interpreter's aiortc peer runs in an event loop of its own thread (Playwright's sync API
        # keeps this one).
        worker = threading.Thread(target=_interpreter_run, args=(peer, stop, failure), daemon=True)
        worker.start()
        try:
            deadline = time.monotonic() + 25
            seen_by = [False, False]
            while time.monotonic() < deadline and not failure:
                seen_by = [_sees_participant(page, display) for page in (booth, expert)]
                frames = dict(peer.frames)
                if all(seen_by) and len(frames) >= 2 and all(frames.values()):
                    break
                time.sleep(0.25)
        finally:
            stop.set()
            worker.join(timeout=15)
        assert not failure, failure
        assert len(peer.frames) >= 2 and all(peer.frames.values()), (
            f"the interpreter decoded {peer.frames_by_mid} of {peer.feed_of_mid}"
        )
        assert seen_by == [True, True], "a browser does not see the interpreter's video"


def _interpreter_run(peer: JanusTestPeer, stop: threading.Event, failure: list[BaseException]) -> None:
    async def run() -> None:
        try:
            await peer.join()
            deadline = time.monotonic() + 20
            while len(await peer.publishers()) < 2 and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            await peer.subscribe(await peer.publishers())
            while not stop.is_set():
                await asyncio.sleep(0.1)
        except Exception as error:  # reported to the test's thread
            failure.append(error)
        finally:
            await peer.close()

    asyncio.run(run())


def _sees_participant(page: Any, participant: str) -> bool:
    return bool(
        page.evaluate(
            "(id) => { const v = document.querySelector(`video[data-participant='${id}']:not([data-document])`);"
            " return !!v && v.getVideoPlaybackQuality().totalVideoFrames > 0; }",
            participant,
        )
    )


def test_meeting__janus_stopped_mid_setup__browser_to_browser_with_video_and_notice(
    janus: RunningJanus, janus_server: str
) -> None:
    meeting = _meeting_now()
    # The meeting's room is made in Janus (the expert's page first opened), then Janus stops before the
    # browsers reach it.
    expert_client = Client()
    login_staff(expert_client, meeting.kela.user)
    first = expert_client.get(f"/fi/meetings/join/{join_token_issue(participant=meeting.kela)}/")
    assert first.status_code == 200
    assert Room.objects.get(pk=meeting.room.pk).video_route == VideoRoute.JANUS
    janus.stop()

    with _meeting_in_browsers(janus_server, meeting) as (booth, expert):
        _both_see_video(booth, expert)
        expert.wait_for_function(
            "() => document.getElementById('meeting-video-notice').textContent.includes('suoraan selainten välillä')",
            timeout=15000,
        )
        assert expert.locator("#meeting-video-notice").get_attribute("role") == "status"
    assert Room.objects.get(pk=meeting.room.pk).video_route == VideoRoute.FALLBACK
