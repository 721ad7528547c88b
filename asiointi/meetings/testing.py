"""A real Janus (and coturn) for tests, started with a configuration folder of the test's own.

``janus_running(folder=...)`` writes the configuration with the same code as ``manage.py video_config``
(:func:`asiointi.meetings.janus.janus_config_write`): every transport bound to 127.0.0.1 on free ports, an
admin secret, the videoroom's admin key, a narrow RTP port range, mDNS ignored, every unused plugin and
transport disabled. It starts ``janus -F DIR -C DIR/janus.jcfg -o -N -L LOG -p PIDFILE``, waits until the
API answers, and stops Janus by the pid in PIDFILE (the pid of the started process can be a wrapper's).
Without the janus binary (a fresh developer machine) the test is skipped; CI installs it (.ci/run).

``namespace_command`` wraps a command so that it runs in a private network namespace, where nothing can
leave the machine and Janus still finds an interface for ICE (docs/video.md).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess  # starts Janus and coturn for tests  # nosec B404
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import cast

import pytest

from .janus import (
    JanusConfig,
    JanusError,
    JanusServer,
    JanusSession,
    JanusUnavailable,
    janus_config_write,
    janus_keepalive,
)

JANUS_BINARY = "janus"
TURNSERVER_BINARY = "turnserver"
# A narrow range of its own per test Janus, away from the system Janus's default 20000-40000 use.
RTP_PORTS_PER_JANUS = 40


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that nothing listens on at the moment."""
    with closing(socket.socket(socket.AF_INET, kind)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def free_port_range(size: int) -> tuple[int, int]:
    """``size`` consecutive UDP ports that are free now, below the ephemeral ports (32768 and up)."""
    for _ in range(50):
        low = 21000 + secrets.randbelow(11000 - size)
        try:
            for port in range(low, low + size):
                with closing(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return low, low + size - 1
    raise RuntimeError("No free range of UDP ports")


def janus_required() -> str:
    """The janus binary's path, or the test is skipped (CI installs the janus package)."""
    path = shutil.which(JANUS_BINARY)
    if path is None:
        pytest.skip("The janus binary is not installed (Debian: apt-get install janus); .ci/run installs it")
    return path


@dataclass
class RunningJanus:
    folder: Path
    config: JanusConfig
    process: subprocess.Popen[bytes]
    pidfile: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.config.bind}:{self.config.http_port}/janus"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.config.bind}:{self.config.ws_port}"

    @property
    def admin_url(self) -> str:
        return f"http://{self.config.admin_bind}:{self.config.admin_port}/admin"

    def server(self, *, admin_key: str | None = None, timeout: float = 2.0) -> JanusServer:
        """The backend's view of this Janus (with another admin key when given)."""
        key = self.config.admin_key if admin_key is None else admin_key
        return JanusServer(url=self.url, admin_key=key, timeout=timeout)

    @property
    def pid(self) -> int | None:
        try:
            return int(self.pidfile.read_text().strip())
        except (OSError, ValueError):
            return None

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 10.0) -> None:
        """Stops Janus by the pid in its pidfile (then its starter, if that differs) and waits."""
        pid = self.pid
        if pid is not None and pid != self.process.pid:
            _terminate(pid, timeout)
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if pid is not None and pid != self.process.pid:
            _wait_gone(pid, timeout)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)


def _terminate(pid: int, timeout: float) -> None:
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if not _wait_gone(pid, timeout):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        _wait_gone(pid, timeout)


def janus_test_config(**overrides: object) -> JanusConfig:
    """A configuration for a test Janus: fresh secrets, free ports on 127.0.0.1, a narrow RTP range."""
    config = JanusConfig(
        admin_secret=secrets.token_urlsafe(24),
        admin_key=secrets.token_urlsafe(24),
        bind="127.0.0.1",
        admin_bind="127.0.0.1",
        http_port=free_port(),
        admin_port=free_port(),
        ws_port=free_port(),
        rtp_ports=free_port_range(RTP_PORTS_PER_JANUS),
        server_name="Asiointi test",
    )
    return replace(config, **overrides)  # type: ignore[arg-type]


def janus_start(
    *, folder: Path, config: JanusConfig | None = None, write: bool = True, timeout: float = 20.0
) -> RunningJanus:
    """Starts Janus with the configuration folder ``folder`` (written from ``config`` unless ``write``
    is False: then the folder's files are used as they are) and waits until its API answers."""
    binary = janus_required()
    config = config or janus_test_config()
    if write:
        janus_config_write(config, folder=folder)
    log = folder / "janus.log"
    pidfile = folder / "janus.pid"
    pidfile.unlink(missing_ok=True)
    process = subprocess.Popen(  # noqa: S603 (the janus binary with our own arguments)  # nosec B603
        [
            binary,
            "-F",
            str(folder),
            "-C",
            str(folder / "janus.jcfg"),
            "-o",
            "-N",
            "-L",
            str(log),
            "-p",
            str(pidfile),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    janus = RunningJanus(folder=folder, config=config, process=process, pidfile=pidfile, log=log)
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"Janus exited with {process.returncode} at start:\n{janus.log_tail()}")
        try:
            janus_keepalive(server=janus.server(timeout=1.0))
        except JanusUnavailable:
            if time.monotonic() > deadline:
                janus.stop()
                raise RuntimeError(f"Janus did not answer within {timeout} s:\n{janus.log_tail()}") from None
            time.sleep(0.1)
        else:
            return janus


@contextmanager
def janus_running(
    *, folder: Path, config: JanusConfig | None = None, write: bool = True
) -> Iterator[RunningJanus]:
    """A real Janus for the duration of the block (skips the test when janus is not installed)."""
    janus = janus_start(folder=folder, config=config, write=write)
    try:
        yield janus
    finally:
        janus.stop()


# -- coturn --------------------------------------------------------------------------------------------


def turnserver_required() -> str:
    path = shutil.which(TURNSERVER_BINARY)
    if path is None:
        pytest.skip(
            "coturn's turnserver is not installed (Debian: apt-get install coturn); .ci/run installs it"
        )
    return path


@dataclass
class RunningTurnserver:
    process: subprocess.Popen[bytes]
    log: Path
    pidfile: Path

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def stun_binding(host: str, port: int, timeout: float = 1.0) -> tuple[str, int] | None:
    """Sends a STUN Binding request over UDP; the address the server saw, or None without an answer."""
    transaction = secrets.token_bytes(12)
    request = b"\x00\x01\x00\x00\x21\x12\xa4\x42" + transaction
    with closing(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as probe:
        probe.settimeout(timeout)
        probe.sendto(request, (host, port))
        try:
            answer, _ = probe.recvfrom(2048)
        except OSError:
            return None
    if answer[:2] != b"\x01\x01" or answer[8:20] != transaction:
        return None
    position = 20
    while position + 4 <= len(answer):
        kind = int.from_bytes(answer[position : position + 2], "big")
        length = int.from_bytes(answer[position + 2 : position + 4], "big")
        value = answer[position + 4 : position + 4 + length]
        if kind == 0x0020 and value[1] == 0x01:  # XOR-MAPPED-ADDRESS, IPv4
            mapped_port = int.from_bytes(value[2:4], "big") ^ 0x2112
            address = bytes(a ^ b for a, b in zip(value[4:8], b"\x21\x12\xa4\x42", strict=True))
            return socket.inet_ntoa(address), mapped_port
        position += 4 + length + (-length % 4)
    return None


@contextmanager
def turnserver_running(*, config_file: Path, port: int, timeout: float = 10.0) -> Iterator[RunningTurnserver]:
    """coturn with ``config_file`` (its log and pidfile beside it) until the block ends; waits until it
    answers a STUN Binding request on 127.0.0.1:``port``, or fails with the log."""
    binary = turnserver_required()
    log = config_file.with_suffix(".log")
    pidfile = config_file.with_suffix(".pid")
    process = subprocess.Popen(  # noqa: S603 (the turnserver binary with our own arguments)  # nosec B603
        [binary, "-c", str(config_file), "--log-file", str(log), "--simple-log", "--pidfile", str(pidfile)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = RunningTurnserver(process=process, log=log, pidfile=pidfile)
    try:
        deadline = time.monotonic() + timeout
        while stun_binding("127.0.0.1", port, timeout=0.3) is None:
            if process.poll() is not None:
                raise RuntimeError(f"turnserver exited with {process.returncode}:\n{server.log_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"turnserver did not answer within {timeout} s:\n{server.log_text()}")
        yield server
    finally:
        server.stop()


# -- a private network namespace -------------------------------------------------------------------------

# Janus never gathers ICE candidates on an interface flagged as loopback; a veth pair whose one end has
# 127.0.0.2 gives it one, and nothing can leave the namespace.
NAMESPACE_SETUP = (
    "ip link set lo up && ip link add v0 type veth peer name v1 && "
    "ip addr add 127.0.0.2/32 dev v0 && ip link set v0 up && ip link set v1 up"
)
NAMESPACE_ADDRESS = "127.0.0.2"


def namespace_available() -> bool:
    """Whether this process may make a network namespace with the veth pair (root, with unshare)."""
    unshare = shutil.which("unshare")
    if unshare is None or shutil.which("ip") is None:
        return False
    result = subprocess.run(  # noqa: S603  # nosec B603
        [unshare, "-n", "sh", "-c", NAMESPACE_SETUP],
        capture_output=True,
        check=False,
        timeout=20,
    )
    return result.returncode == 0


def namespace_command(command: list[str]) -> list[str]:
    """``command`` run in a new network namespace of its own with ``lo`` up and the veth pair."""
    return [
        shutil.which("unshare") or "unshare",
        "-n",
        "sh",
        "-c",
        f'{NAMESPACE_SETUP} && exec "$@"',
        "sh",
        *command,
    ]


def _stun_attribute(kind: int, value: bytes) -> bytes:
    return kind.to_bytes(2, "big") + len(value).to_bytes(2, "big") + value + b"\x00" * (-len(value) % 4)


def _stun_attributes(message: bytes) -> dict[int, bytes]:
    attributes: dict[int, bytes] = {}
    position = 20
    while position + 4 <= len(message):
        kind = int.from_bytes(message[position : position + 2], "big")
        length = int.from_bytes(message[position + 2 : position + 4], "big")
        attributes.setdefault(kind, message[position + 4 : position + 4 + length])
        position += 4 + length + (-length % 4)
    return attributes


def _xor_address(address: str, port: int) -> bytes:
    packed = bytes(a ^ b for a, b in zip(socket.inet_aton(address), b"\x21\x12\xa4\x42", strict=True))
    return b"\x00\x01" + (port ^ 0x2112).to_bytes(2, "big") + packed


def turn_allocate(
    host: str, port: int, *, username: str, password: str, peers: tuple[str, ...] = (), timeout: float = 2.0
) -> tuple[int, dict[str, int]]:
    """A TURN Allocate over UDP with long-term credentials (as a browser does with the credentials the
    backend hands out), then a CreatePermission for each of ``peers``. The Allocate's code (200: a relay
    allocated, else the error code, e.g. 401) and each permission's (200, or 403 for a denied peer)."""
    requested_transport = _stun_attribute(0x0019, bytes([17, 0, 0, 0]))  # UDP
    with closing(socket.socket(socket.AF_INET, socket.SOCK_DGRAM)) as client:
        # One socket for every request: coturn ties the nonce and the allocation to the client's port.
        client.settimeout(timeout)

        def exchange(method: int, attributes: bytes, key: bytes | None) -> tuple[int, dict[int, bytes]]:
            transaction = secrets.token_bytes(12)
            kind = method.to_bytes(2, "big")
            if key is not None:
                # MESSAGE-INTEGRITY: HMAC-SHA1 over the message so far, its length counting the attribute.
                header = kind + (len(attributes) + 24).to_bytes(2, "big") + b"\x21\x12\xa4\x42" + transaction
                digest = hmac.new(key, header + attributes, hashlib.sha1).digest()
                attributes += _stun_attribute(0x0008, digest)
            header = kind + len(attributes).to_bytes(2, "big") + b"\x21\x12\xa4\x42" + transaction
            client.sendto(header + attributes, (host, port))
            answer, _ = client.recvfrom(4096)
            if answer[8:20] != transaction:
                raise RuntimeError("The TURN server answered another request")
            values = _stun_attributes(answer)
            if int.from_bytes(answer[:2], "big") == method | 0x0100:
                return 200, values
            error = values.get(0x0009, b"\x00\x00\x00\x00")
            return error[2] * 100 + error[3], values

        code, values = exchange(0x0003, requested_transport, None)
        if code != 401:
            return code, {}
        realm, nonce = values[0x0014], values[0x0015]
        key = hashlib.md5(username.encode() + b":" + realm + b":" + password.encode()).digest()  # noqa: S324  # nosec
        credentials = (
            _stun_attribute(0x0006, username.encode())
            + _stun_attribute(0x0014, realm)
            + _stun_attribute(0x0015, nonce)
        )
        code, _ = exchange(0x0003, credentials + requested_transport, key)
        permissions = {}
        if code == 200:
            for peer in peers:
                permissions[peer], _ = exchange(
                    0x0008, _stun_attribute(0x0012, _xor_address(peer, 9)) + credentials, key
                )
        return code, permissions


def turn_credentials(*, secret: str, name: str, seconds: int = 3600) -> tuple[str, str]:
    """coturn's time-limited credentials (use-auth-secret): ``<expiry>:<name>`` and its HMAC-SHA1."""
    username = f"{int(time.time()) + seconds}:{name}"
    password = base64.b64encode(hmac.new(secret.encode(), username.encode(), hashlib.sha1).digest()).decode()
    return username, password


# -- an aiortc peer in a Janus room ----------------------------------------------------------------------

MEDIA_COLOUR = (230, 120, 20)  # what the test publisher sends: every pixel this colour


async def _aiortc_room_check(
    *, server: JanusServer, room_id: int, pin: str, seconds: float
) -> dict[str, object]:
    """An aiortc publisher joins the room with ``pin`` and sends a plain-coloured video; an aiortc
    subscriber receives it through Janus. Returns what the subscriber saw."""
    import numpy as np
    from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
    from aiortc.mediastreams import MediaStreamTrack
    from av import VideoFrame

    from .janus import JanusSession, janus_participants_list

    class ColourTrack(VideoStreamTrack):
        async def recv(self) -> VideoFrame:
            pts, time_base = await self.next_timestamp()
            image = np.zeros((240, 320, 3), dtype=np.uint8)
            image[:, :] = MEDIA_COLOUR
            frame = VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = pts, time_base
            return frame

    def jsep(description: object) -> dict[str, str]:
        return {"type": description.type, "sdp": description.sdp}  # type: ignore[attr-defined]

    started = time.monotonic()
    publisher, subscriber = JanusSession(server), JanusSession(server)
    publishing = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    receiving = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    try:
        for session in (publisher, subscriber):
            await asyncio.to_thread(session.create)
            await asyncio.to_thread(session.attach)
        joined = await asyncio.to_thread(
            publisher.message,
            {"request": "join", "ptype": "publisher", "room": room_id, "pin": pin, "display": "Tulkki"},
        )
        feed = joined["plugindata"]["data"]["id"]
        publishing.addTrack(ColourTrack())
        await publishing.setLocalDescription(await publishing.createOffer())
        answer = await asyncio.to_thread(
            publisher.message, {"request": "publish"}, jsep(publishing.localDescription)
        )
        await publishing.setRemoteDescription(RTCSessionDescription(**answer["jsep"]))

        arrived: asyncio.Future[MediaStreamTrack] = asyncio.get_running_loop().create_future()

        @receiving.on("track")
        def on_track(track: MediaStreamTrack) -> None:
            if track.kind == "video" and not arrived.done():
                arrived.set_result(track)

        # The feed exists for subscribers once the publisher's media is up (Janus answers 428 before).
        deadline = time.monotonic() + 15
        while True:
            try:
                offer = await asyncio.to_thread(
                    subscriber.message,
                    {
                        "request": "join",
                        "ptype": "subscriber",
                        "room": room_id,
                        "pin": pin,
                        "streams": [{"feed": feed}],
                    },
                )
                break
            except JanusError as error:
                if error.code != 428 or time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
        await receiving.setRemoteDescription(RTCSessionDescription(**offer["jsep"]))
        await receiving.setLocalDescription(await receiving.createAnswer())
        await asyncio.to_thread(
            subscriber.message, {"request": "start", "room": room_id}, jsep(receiving.localDescription)
        )
        track = await asyncio.wait_for(arrived, 15)
        frame = cast(VideoFrame, await asyncio.wait_for(track.recv(), 15))
        first_frame = time.monotonic() - started
        frames = 1
        counting_until = time.monotonic() + seconds
        while time.monotonic() < counting_until:
            frame = cast(VideoFrame, await asyncio.wait_for(track.recv(), 5))
            frames += 1
        colour = [
            round(float(value)) for value in frame.to_ndarray(format="rgb24").reshape(-1, 3).mean(axis=0)
        ]
        participants = await asyncio.to_thread(janus_participants_list, room_id=room_id, server=server)
        return {
            "first_frame_seconds": round(first_frame, 3),
            "frames_per_second": round((frames - 1) / seconds, 1),
            "colour": colour,
            "size": [frame.width, frame.height],
            "publishers": [participant.display for participant in participants if participant.publisher],
            "ice_publisher": publishing.iceConnectionState,
        }
    finally:
        await publishing.close()
        await receiving.close()
        for session in (publisher, subscriber):
            with suppress(JanusUnavailable, JanusError):
                await asyncio.to_thread(session.destroy)


def media_check(folder: Path, seconds: float = 3.0) -> dict[str, object]:
    """In this process's network: a Janus of its own, a room made by the backend's functions with a
    pin, and aiortc peers that publish into it and receive through it (``python -m
    asiointi.meetings.testing media-check DIR`` prints the result as JSON; run it in a namespace)."""
    from .janus import janus_room_create, janus_room_destroy, janus_room_id_new

    with janus_running(folder=folder) as janus:
        server = janus.server(timeout=10.0)
        room_id, secret, pin = janus_room_id_new(), secrets.token_urlsafe(16), secrets.token_urlsafe(8)
        janus_room_create(room_id=room_id, secret=secret, pin=pin, description="aiortc", server=server)
        try:
            result = asyncio.run(_aiortc_room_check(server=server, room_id=room_id, pin=pin, seconds=seconds))
        finally:
            janus_room_destroy(room_id=room_id, secret=secret, server=server)
        result["janus_log_ice_errors"] = janus.log_tail(400).count("Error setting ICE locally")
    return result


CHROMIUM = os.environ.get("A11Y_CHROMIUM", "/usr/bin/chromium")


def chromium_video_args(*, cameras: int = 1) -> list[str]:
    """Chromium's flags for real WebRTC calls in tests and benchmarks: fake cameras (``cameras`` of
    them) and microphone, no permission prompt, loopback candidates, nothing fetched from outside."""
    fake_devices = "--use-fake-device-for-media-stream" + (f"=device-count={cameras}" if cameras > 1 else "")
    return [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        fake_devices,
        "--use-fake-ui-for-media-stream",
        "--allow-loopback-in-peer-connection",
        "--disable-features=WebRtcHideLocalIpsWithMdns",
    ]


CHROMIUM_ARGS = chromium_video_args()
#: Collects a page's RTCPeerConnections (the page's script keeps them to itself), for FRAMES_DECODED.
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
#: The video frames a page has decoded so far, over the connections that COLLECT_PEERS kept.
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
BROWSER_PAGE = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>Janus media</title>
<video id="remote" autoplay muted playsinline></video>
<script type="module">
import { joinJanusRoom } from "./meetings/janus-media.js";
const query = new URLSearchParams(location.search);
window.result = { state: "starting" };
try {
  const localStream = await navigator.mediaDevices.getUserMedia({ video: true, audio: false });
  const call = await joinJanusRoom({
    server: query.get("server"), room: Number(query.get("room")), pin: query.get("pin"),
    display: "Asiantuntija", localStream,
    onRemoteStream: ({ display, stream }) => {
      window.result.remoteDisplay = display;
      document.getElementById("remote").srcObject = stream;
    },
  });
  window.result.state = "joined";
  window.result.participantId = call.participantId;
} catch (error) {
  window.result = { state: "error", code: error.code, message: String(error.message) };
}
</script>
"""


async def _browser_room_check(
    *, server: JanusServer, ws_url: str, room_id: int, pin: str, site: str
) -> dict[str, object]:
    """Chromium opens a page that joins the room through janus-media.js with the fake camera while an
    aiortc peer publishes into it: what the page decoded, and who Janus says publishes. Then the same page
    with a wrong pin."""
    import numpy as np
    from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription, VideoStreamTrack
    from av import VideoFrame
    from playwright.async_api import async_playwright

    from .janus import JanusSession, janus_participants_list

    class ColourTrack(VideoStreamTrack):
        async def recv(self) -> VideoFrame:
            pts, time_base = await self.next_timestamp()
            image = np.zeros((240, 320, 3), dtype=np.uint8)
            image[:, :] = MEDIA_COLOUR
            frame = VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = pts, time_base
            return frame

    publisher = JanusSession(server)
    publishing = RTCPeerConnection(RTCConfiguration(iceServers=[]))
    playwright = await async_playwright().start()
    browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    try:
        await asyncio.to_thread(publisher.create)
        await asyncio.to_thread(publisher.attach)
        await asyncio.to_thread(
            publisher.message,
            {"request": "join", "ptype": "publisher", "room": room_id, "pin": pin, "display": "Tulkki"},
        )
        publishing.addTrack(ColourTrack())
        await publishing.setLocalDescription(await publishing.createOffer())
        description = publishing.localDescription
        answer = await asyncio.to_thread(
            publisher.message, {"request": "publish"}, {"type": description.type, "sdp": description.sdp}
        )
        await publishing.setRemoteDescription(RTCSessionDescription(**answer["jsep"]))

        page = await (await browser.new_context()).new_page()
        query = urllib.parse.urlencode({"server": ws_url, "room": room_id, "pin": pin})
        started = time.monotonic()
        await page.goto(f"{site}/page.html?{query}")
        seen: dict[str, object] = {}
        while time.monotonic() - started < 20:
            seen = await page.evaluate(
                "() => ({...window.result, frames: document.getElementById('remote')"
                ".getVideoPlaybackQuality().totalVideoFrames, width: document.getElementById('remote').videoWidth})"
            )
            if seen.get("state") == "error" or int(str(seen.get("frames") or 0)) > 0:
                break
            await asyncio.sleep(0.05)
        seen["first_frame_seconds"] = round(time.monotonic() - started, 3)
        participants = await asyncio.to_thread(janus_participants_list, room_id=room_id, server=server)
        seen["publishers"] = sorted(
            participant.display for participant in participants if participant.publisher
        )

        wrong = await (await browser.new_context()).new_page()
        query = urllib.parse.urlencode({"server": ws_url, "room": room_id, "pin": pin + "x"})
        await wrong.goto(f"{site}/page.html?{query}")
        refused: dict[str, object] = {}
        for _ in range(200):
            refused = await wrong.evaluate("() => window.result")
            if refused.get("state") != "starting":
                break
            await asyncio.sleep(0.05)
        seen["wrong_pin"] = refused
        return seen
    finally:
        await browser.close()
        await playwright.stop()
        await publishing.close()
        with suppress(JanusUnavailable, JanusError):
            await asyncio.to_thread(publisher.destroy)


def browser_check(folder: Path) -> dict[str, object]:
    """In this process's network: a Janus of its own, a room made by the backend, the meeting's
    janus-media.js in Chromium and an aiortc peer (``python -m asiointi.meetings.testing browser-check
    DIR`` prints the result as JSON; run it in a namespace)."""
    import http.server
    import threading
    from functools import partial

    from .janus import janus_room_create, janus_room_destroy, janus_room_id_new

    site_folder = folder / "site"
    shutil.copytree(Path(__file__).parent / "static" / "meetings", site_folder / "meetings")
    (site_folder / "page.html").write_text(BROWSER_PAGE)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        extensions_map = {".js": "text/javascript", ".html": "text/html"}

        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = partial(Quiet, directory=str(site_folder))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    try:
        with janus_running(folder=folder / "janus") as janus:
            server = janus.server(timeout=10.0)
            room_id, secret, pin = janus_room_id_new(), secrets.token_urlsafe(16), secrets.token_urlsafe(8)
            janus_room_create(room_id=room_id, secret=secret, pin=pin, description="browser", server=server)
            try:
                return asyncio.run(
                    _browser_room_check(
                        server=server,
                        ws_url=janus.ws_url,
                        room_id=room_id,
                        pin=pin,
                        site=f"http://127.0.0.1:{site.server_address[1]}",
                    )
                )
            finally:
                janus_room_destroy(room_id=room_id, secret=secret, server=server)
    finally:
        site.shutdown()


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "media-check":
        print(json.dumps(media_check(Path(argv[1]))))
        return 0
    if len(argv) == 2 and argv[0] == "browser-check":
        print(json.dumps(browser_check(Path(argv[1]))))
        return 0
    print("usage: python -m asiointi.meetings.testing media-check|browser-check DIR", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))


# -- an aiortc participant in a meeting's Janus room ------------------------------------------------------


class JanusTestPeer:
    """A participant played by aiortc in a Janus room (the interpreter of the end-to-end tests, the calls
    of benchmarks/meetings.py): publishes a plain-coloured video as ``display`` and receives every other
    publisher's video, counting the frames it decodes per feed. Use from one asyncio loop:
    ``await peer.join()``, ``await peer.subscribe()`` (again when more publishers arrive), ``await
    peer.close()``."""

    def __init__(
        self, *, server: JanusServer, room_id: int, pin: str, display: str, size: tuple[int, int] = (320, 240)
    ):
        self.server, self.room_id, self.pin, self.display, self.size = server, room_id, pin, display, size
        self.publisher = JanusSession(server)
        self.feed: int | None = None
        self.frames: dict[int, int] = {}  # frames decoded per publisher
        self.frames_by_mid: dict[str, int] = {}  # and per track of the subscriber connection
        self.feed_of_mid: dict[str, int] = {}
        self.first_frame_at: float | None = None
        self._tasks: list[asyncio.Task[None]] = []
        self._pcs: list[object] = []
        self._subscribed: set[int] = set()
        self._sessions: list[JanusSession] = []

    def _track(self):  # type: ignore[no-untyped-def]
        import numpy as np
        from aiortc import VideoStreamTrack
        from av import VideoFrame

        width, height = self.size

        class ColourTrack(VideoStreamTrack):
            async def recv(self) -> VideoFrame:
                pts, time_base = await self.next_timestamp()
                image = np.zeros((height, width, 3), dtype=np.uint8)
                image[:, :] = MEDIA_COLOUR
                frame = VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts, frame.time_base = pts, time_base
                return frame

        return ColourTrack()

    async def join(self) -> list[int]:
        """Joins and publishes; the ids of the publishers already in the room."""
        from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

        await asyncio.to_thread(self.publisher.create)
        await asyncio.to_thread(self.publisher.attach)
        joined = await asyncio.to_thread(
            self.publisher.message,
            {
                "request": "join",
                "ptype": "publisher",
                "room": self.room_id,
                "pin": self.pin,
                "display": self.display,
            },
        )
        data = joined["plugindata"]["data"]
        self.feed = int(data["id"])
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self._pcs.append(pc)
        pc.addTrack(self._track())
        await pc.setLocalDescription(await pc.createOffer())
        answer = await asyncio.to_thread(
            self.publisher.message,
            {"request": "publish"},
            {"type": pc.localDescription.type, "sdp": pc.localDescription.sdp},
        )
        await pc.setRemoteDescription(RTCSessionDescription(**answer["jsep"]))
        return [int(p["id"]) for p in data.get("publishers", [])]

    async def publishers(self) -> list[int]:
        """The other publishers of the room now (with their media up)."""
        with_media = await asyncio.to_thread(janus_participants_list_, self.server, self.room_id)
        return [feed for feed in with_media if feed != self.feed]

    async def subscribe(self, feeds: list[int], timeout: float = 15.0) -> None:
        """Receives the video of ``feeds``, one subscriber connection per publisher (aiortc mixes up
        the packets of two video tracks bundled in one connection)."""
        for feed in feeds:
            if feed not in self._subscribed:
                await self._subscribe([feed], timeout)

    async def _subscribe(self, feeds: list[int], timeout: float) -> None:
        from aiortc import RTCConfiguration, RTCPeerConnection, RTCSessionDescription

        session = JanusSession(self.server)
        self._sessions.append(session)
        await asyncio.to_thread(session.create)
        await asyncio.to_thread(session.attach)
        deadline = time.monotonic() + timeout
        while True:
            try:
                offer = await asyncio.to_thread(
                    session.message,
                    {
                        "request": "join",
                        "ptype": "subscriber",
                        "room": self.room_id,
                        "pin": self.pin,
                        "streams": [{"feed": feed} for feed in feeds],
                    },
                )
                break
            except JanusError as error:
                if error.code != 428 or time.monotonic() > deadline:  # 428: no such feed (yet)
                    raise
                await asyncio.sleep(0.1)
        feed_of_mid = {
            str(stream["mid"]): int(stream["feed_id"])
            for stream in offer["plugindata"]["data"].get("streams", [])
            if "feed_id" in stream
        }
        self.feed_of_mid.update(feed_of_mid)
        pc = RTCPeerConnection(RTCConfiguration(iceServers=[]))
        self._pcs.append(pc)

        @pc.on("track")
        def on_track(track) -> None:  # type: ignore[no-untyped-def]
            if track.kind != "video":
                return
            mid = next(
                (t.mid for t in pc.getTransceivers() if t.receiver.track is track),
                None,
            )
            feed = feed_of_mid.get(str(mid), -1)
            self._tasks.append(asyncio.ensure_future(self._count(feed, str(mid), track)))

        await pc.setRemoteDescription(RTCSessionDescription(**offer["jsep"]))
        await pc.setLocalDescription(await pc.createAnswer())
        await asyncio.to_thread(
            session.message,
            {"request": "start", "room": self.room_id},
            {"type": pc.localDescription.type, "sdp": pc.localDescription.sdp},
        )
        self._subscribed.update(feeds)

    async def _count(self, feed: int, mid: str, track) -> None:  # type: ignore[no-untyped-def]
        from aiortc.mediastreams import MediaStreamError

        self.frames.setdefault(feed, 0)
        self.frames_by_mid.setdefault(mid, 0)
        try:
            while True:
                await track.recv()
                self.frames[feed] += 1
                self.frames_by_mid[mid] += 1
                if self.first_frame_at is None:
                    self.first_frame_at = time.monotonic()
        except (MediaStreamError, asyncio.CancelledError):
            return

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for pc in self._pcs:
            await pc.close()  # type: ignore[attr-defined]
        for session in (self.publisher, *self._sessions):
            with suppress(JanusUnavailable, JanusError):
                await asyncio.to_thread(session.destroy)


def janus_participants_list_(server: JanusServer, room_id: int) -> list[int]:
    """The ids of the room's publishers (for :class:`JanusTestPeer`)."""
    from .janus import janus_participants_list

    return [p.participant_id for p in janus_participants_list(room_id=room_id, server=server) if p.publisher]


def namespace_veth_ensure() -> None:
    """Inside a private network namespace (``make video``, which brings up only ``lo``): adds the veth
    pair with 127.0.0.2 that Janus needs for ICE. Only where ``lo`` is the sole interface and this
    process is root, i.e. in such a namespace; elsewhere nothing."""
    # /proc/self/net/dev is this process's namespace's (unlike /sys/class/net, that of sysfs's mounter).
    lines = Path("/proc/self/net/dev").read_text().splitlines()[2:]
    interfaces = {line.split(":", 1)[0].strip() for line in lines}
    if interfaces != {"lo"} or os.geteuid() != 0:
        return
    setup = NAMESPACE_SETUP.split(" && ", 1)[1]  # lo is up already
    subprocess.run(["sh", "-c", setup], check=True, capture_output=True, timeout=20)  # noqa: S603, S607  # nosec B603 B607
