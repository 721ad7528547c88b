"""The backend against a real Janus, started by the tests with a configuration folder of their own."""

from __future__ import annotations

import json
import logging
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from asiointi.meetings.janus import (
    JANUS_ERROR_MISSING_ELEMENT,
    JANUS_ERROR_UNAUTHORIZED,
    JanusError,
    JanusServer,
    JanusUnavailable,
    VideoRoute,
    janus_participant_kick,
    janus_participants_list,
    janus_room_create,
    janus_room_destroy,
    janus_room_exists,
    janus_room_id_new,
    janus_rooms_list,
    janus_session_open,
    video_route_choose,
)
from asiointi.meetings.testing import (
    CHROMIUM,
    MEDIA_COLOUR,
    RunningJanus,
    janus_required,
    janus_running,
    namespace_available,
    namespace_command,
)


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningJanus]:
    with janus_running(folder=tmp_path_factory.mktemp("janus")) as running:
        yield running


def _post(url: str, payload: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST")  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (the test's Janus)
        return json.loads(response.read())


def _join(server: JanusServer, room_id: int, pin: str | None, display: str) -> dict[str, Any]:
    """Joins the room as a browser would (without media), in a session of its own that stays open."""
    body: dict[str, Any] = {"request": "join", "ptype": "publisher", "room": room_id, "display": display}
    if pin is not None:
        body["pin"] = pin
    with janus_session_open(server=server) as session:
        return session.message(body)


def test_janus_room_create__by_backend__listed_private_then_destroyed(janus: RunningJanus) -> None:
    server = janus.server()
    room_id = janus_room_id_new()

    janus_room_create(room_id=room_id, secret="room-secret", pin="2468", description="Kela", server=server)

    rooms = {room.room_id: room for room in janus_rooms_list(server=server)}
    assert rooms[room_id].pin_required
    assert rooms[room_id].description == "Kela"
    assert rooms[room_id].participants == 0
    # Without the admin key the private room is not listed.
    assert room_id not in {room.room_id for room in janus_rooms_list(server=janus.server(admin_key=""))}

    janus_room_destroy(room_id=room_id, secret="room-secret", server=server)

    assert room_id not in {room.room_id for room in janus_rooms_list(server=server)}
    assert not janus_room_exists(room_id=room_id, server=server)
    # Destroying a room that is gone is fine (the meeting's end may run twice).
    janus_room_destroy(room_id=room_id, secret="room-secret", server=server)


def test_janus_room_join__wrong_or_missing_pin__refused_and_nobody_joins(janus: RunningJanus) -> None:
    server = janus.server()
    room_id = janus_room_id_new()
    janus_room_create(room_id=room_id, secret="room-secret", pin="2468", server=server)

    with pytest.raises(JanusError) as wrong:
        _join(server, room_id, "1357", "Asiakas")
    with pytest.raises(JanusError) as missing:
        _join(server, room_id, None, "Asiakas")

    assert wrong.value.code == JANUS_ERROR_UNAUTHORIZED == 433
    assert missing.value.code == JANUS_ERROR_MISSING_ELEMENT == 429
    assert janus_participants_list(room_id=room_id, server=server) == []
    janus_room_destroy(room_id=room_id, secret="room-secret", server=server)


def test_janus_participant_kick__with_secret__participant_leaves_wrong_secret_refused(
    janus: RunningJanus,
) -> None:
    server = janus.server()
    room_id = janus_room_id_new()
    janus_room_create(room_id=room_id, secret="room-secret", pin="2468", server=server)
    with janus_session_open(server=server) as browser:
        joined = browser.message(
            {"request": "join", "ptype": "publisher", "room": room_id, "pin": "2468", "display": "Tulkki"}
        )
        participant_id = joined["plugindata"]["data"]["id"]
        [participant] = janus_participants_list(room_id=room_id, server=server)
        assert (participant.participant_id, participant.display) == (participant_id, "Tulkki")

        with pytest.raises(JanusError) as wrong:
            janus_participant_kick(
                room_id=room_id, secret="guess", participant_id=participant_id, server=server
            )
        assert wrong.value.code == 433
        assert len(janus_participants_list(room_id=room_id, server=server)) == 1

        janus_participant_kick(
            room_id=room_id, secret="room-secret", participant_id=participant_id, server=server
        )

        assert janus_participants_list(room_id=room_id, server=server) == []
    janus_room_destroy(room_id=room_id, secret="room-secret", server=server)


def test_janus_room_create__without_admin_key__refused_429_and_no_room(janus: RunningJanus) -> None:
    room_id = janus_room_id_new()

    with pytest.raises(JanusError) as missing:
        janus_room_create(room_id=room_id, secret="s", pin="1", server=janus.server(admin_key=""))
    with pytest.raises(JanusError) as wrong:
        janus_room_create(room_id=room_id, secret="s", pin="1", server=janus.server(admin_key="guess"))

    assert missing.value.code == 429
    assert wrong.value.code == 433
    assert not janus_room_exists(room_id=room_id, server=janus.server())


def test_janus_room_destroy__wrong_secret__refused_and_room_stays(janus: RunningJanus) -> None:
    server = janus.server()
    room_id = janus_room_id_new()
    janus_room_create(room_id=room_id, secret="room-secret", pin="2468", server=server)

    with pytest.raises(JanusError) as wrong:
        janus_room_destroy(room_id=room_id, secret="guess", server=server)

    assert wrong.value.code == 433
    assert janus_room_exists(room_id=room_id, server=server)
    janus_room_destroy(room_id=room_id, secret="room-secret", server=server)


def test_janus_config__only_videoroom_and_our_transports_on_127_0_0_1(janus: RunningJanus) -> None:
    with urllib.request.urlopen(f"{janus.url}/info", timeout=5) as response:  # noqa: S310 (the test's Janus)
        info = json.loads(response.read())

    assert set(info["plugins"]) == {"janus.plugin.videoroom"}
    assert set(info["transports"]) == {"janus.transport.http", "janus.transport.websockets"}
    assert info["server-name"] == "Asiointi test"
    # Bound to 127.0.0.1 only: another loopback address of this host finds nothing on the ports.
    for port in (janus.config.http_port, janus.config.ws_port, janus.config.admin_port):
        with closing(socket.socket()) as probe, pytest.raises(OSError):
            probe.settimeout(1)
            probe.connect(("127.0.0.2", port))


def test_janus_admin_api__without_admin_secret__refused(janus: RunningJanus) -> None:
    refused = _post(janus.admin_url, {"janus": "list_sessions", "transaction": "t1"})
    guessed = _post(janus.admin_url, {"janus": "list_sessions", "transaction": "t2", "admin_secret": "guess"})
    allowed = _post(
        janus.admin_url,
        {"janus": "list_sessions", "transaction": "t3", "admin_secret": janus.config.admin_secret},
    )

    assert refused["janus"] == guessed["janus"] == "error"
    assert refused["error"]["code"] == guessed["error"]["code"] == 403
    assert allowed["janus"] == "success"


def test_video_route_choose__without_janus_url__browser_to_browser_not_a_fallback(settings: Any) -> None:
    settings.JANUS_URL = ""

    route = video_route_choose(room_id=janus_room_id_new(), secret="s", pin="1")

    assert route == VideoRoute(janus=False, fallback=False)


def test_video_route_choose__janus_answers__room_created_and_browsers_get_public_url(
    janus: RunningJanus, settings: Any
) -> None:
    settings.JANUS_URL = janus.url
    settings.JANUS_PUBLIC_URL = janus.ws_url
    settings.JANUS_ADMIN_KEY = janus.config.admin_key
    room_id = janus_room_id_new()

    first = video_route_choose(room_id=room_id, secret="room-secret", pin="2468")
    again = video_route_choose(room_id=room_id, secret="room-secret", pin="2468")

    assert first == again == VideoRoute(janus=True, fallback=False, server_url=janus.ws_url)
    assert janus_room_exists(room_id=room_id, server=janus.server())
    janus_room_destroy(room_id=room_id, secret="room-secret", server=janus.server())


def test_video_route_choose__janus_refuses__browser_to_browser_with_warning(
    janus: RunningJanus, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.JANUS_URL = janus.url
    settings.JANUS_ADMIN_KEY = "not-the-key"

    with caplog.at_level(logging.WARNING, logger="asiointi.meetings.janus"):
        route = video_route_choose(room_id=janus_room_id_new(), secret="s", pin="1")

    assert (route.janus, route.fallback) == (False, True)
    assert "433" in route.reason
    assert "browser to browser" in caplog.text


def test_janus_stopped__backend_gets_unavailable_and_meeting_falls_back(
    tmp_path: Path, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    with janus_running(folder=tmp_path) as stopping:
        server = stopping.server(timeout=5.0)
        room_id = janus_room_id_new()
        janus_room_create(room_id=room_id, secret="s", pin="1", server=server)
        pid = stopping.pid
    assert pid is not None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    settings.JANUS_URL = stopping.url
    settings.JANUS_ADMIN_KEY = stopping.config.admin_key
    settings.JANUS_TIMEOUT_SECONDS = 5.0

    started = time.monotonic()
    with pytest.raises(JanusUnavailable):
        janus_rooms_list(server=server)
    with caplog.at_level(logging.WARNING, logger="asiointi.meetings.janus"):
        route = video_route_choose(room_id=room_id, secret="s", pin="1")
    elapsed = time.monotonic() - started

    assert (route.janus, route.fallback) == (False, True)
    assert f"Janus is unavailable for room {room_id}" in caplog.text
    assert elapsed < 2.0  # refused at once (well within the 5 s timeout): nothing listens any more


def test_janus_silent__unavailable_after_the_timeout_not_later(settings: Any) -> None:
    """A Janus that accepts the connection and never answers (hung) costs the timeout, no more."""
    with closing(socket.socket()) as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        server = JanusServer(
            url=f"http://127.0.0.1:{hung.getsockname()[1]}/janus", admin_key="k", timeout=0.5
        )

        started = time.monotonic()
        route = video_route_choose(room_id=1, secret="s", pin="1", server=server)
        elapsed = time.monotonic() - started

    assert (route.janus, route.fallback) == (False, True)
    assert 0.4 < elapsed < 2.0


def test_janus_server__not_http__refused() -> None:
    with pytest.raises(ValueError, match="http"):
        JanusServer(url="file:///etc/passwd", admin_key="k")


@pytest.mark.slow
def test_aiortc_peer__publishes_with_pin_into_room_made_by_backend__another_peer_decodes_it(
    tmp_path: Path,
) -> None:
    """Real media through Janus, inside a private network namespace (nothing leaves the machine): an
    aiortc publisher joins the room our backend created, with its pin, and sends a plain-coloured video;
    an aiortc subscriber decodes frames of that colour through Janus."""
    janus_required()
    pytest.importorskip("aiortc")
    if not namespace_available():
        pytest.skip("Needs a private network namespace with a veth pair (root, unshare, ip): CI runs as root")
    command = namespace_command(
        [sys.executable, "-m", "asiointi.meetings.testing", "media-check", str(tmp_path)]
    )

    finished = subprocess.run(  # noqa: S603 (our own module)
        command, capture_output=True, text=True, timeout=180, check=False, cwd=Path(__file__).parents[3]
    )

    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["publishers"] == ["Tulkki"]
    assert result["size"] == [320, 240]
    assert all(abs(seen - sent) <= 8 for seen, sent in zip(result["colour"], MEDIA_COLOUR, strict=True))
    assert result["frames_per_second"] >= 10
    assert result["first_frame_seconds"] < 10
    assert result["janus_log_ice_errors"] == 0


@pytest.mark.slow
def test_janus_media_js__in_chromium__joins_with_pin_sends_camera_and_shows_aiortc_video(
    tmp_path: Path,
) -> None:
    """The meeting page's module janus-media.js (on the vendored janus.js) in Debian's Chromium with a
    fake camera, in a private network namespace: it joins the backend's room with the pin, publishes
    (Janus lists it), and decodes the video of an aiortc participant; with a wrong pin it gets 433."""
    janus_required()
    pytest.importorskip("aiortc")
    pytest.importorskip("playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not at {CHROMIUM} (apt-get install chromium; .ci/run installs it)")
    if not namespace_available():
        pytest.skip("Needs a private network namespace with a veth pair (root, unshare, ip): CI runs as root")
    command = namespace_command(
        [sys.executable, "-m", "asiointi.meetings.testing", "browser-check", str(tmp_path)]
    )

    finished = subprocess.run(  # noqa: S603 (our own module)
        command, capture_output=True, text=True, timeout=240, check=False, cwd=Path(__file__).parents[3]
    )

    assert finished.returncode == 0, finished.stderr[-3000:]
    result = json.loads(finished.stdout.strip().splitlines()[-1])
    assert result["state"] == "joined"
    assert result["remoteDisplay"] == "Tulkki"
    assert result["frames"] > 0 and result["width"] == 320
    assert result["publishers"] == ["Asiantuntija", "Tulkki"]
    assert (result["wrong_pin"]["state"], result["wrong_pin"]["code"]) == ("error", 433)
