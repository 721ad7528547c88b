"""The Janus WebRTC server, through its HTTP API: the backend's side of the videoroom plugin.

With ``JANUS_URL`` set, a meeting's media goes through a Janus videoroom (an SFU) instead of from browser to
browser. The backend alone creates the rooms (the plugin's ``admin_key`` lets nobody else), each private,
with a secret (needed to kick a participant or destroy the room) and a pin (needed to join): browsers get
only their own room's pin, never the secret or the admin key. Nothing is recorded.

Every call opens a short Janus session of its own, attaches the videoroom plugin, sends its request and
destroys the session again, so no state lives in one web process. A Janus that does not answer within
``JANUS_TIMEOUT_SECONDS`` raises :class:`JanusUnavailable`; a refusal by Janus raises :class:`JanusError`
with Janus's own code (433: wrong pin, secret or admin key; 429: a missing element such as the admin key;
426: no such room). :func:`video_route_choose` turns both into the browser-to-browser fallback.

The configuration files that this module's requests rely on are written by :func:`janus_config_files`
(used by ``manage.py video_config`` and by the tests' Janus in :mod:`asiointi.meetings.testing`).
"""

from __future__ import annotations

import http.client
import json
import logging
import platform
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

VIDEOROOM_PLUGIN = "janus.plugin.videoroom"

# Janus's error codes that callers meet (janus.h and plugins/janus_videoroom.c).
JANUS_ERROR_NO_SUCH_ROOM = 426
JANUS_ERROR_ROOM_EXISTS = 427
JANUS_ERROR_MISSING_ELEMENT = 429
JANUS_ERROR_UNAUTHORIZED = 433

# The most participants of a meeting: the booth, two agencies' experts, an interpreter, the advisor.
DEFAULT_PUBLISHERS = 6
# Per publisher, enough for a face and a document camera at 720p.
DEFAULT_BITRATE = 1_024_000


class JanusUnavailable(Exception):
    """Janus did not answer (refused, timed out, or answered something that is not its API)."""


class JanusError(Exception):
    """Janus answered and refused the request."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"Janus error {code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class JanusServer:
    """Where the backend reaches Janus's HTTP API (e.g. ``http://127.0.0.1:8088/janus``) and the
    videoroom plugin's admin key."""

    url: str
    admin_key: str
    timeout: float = 2.0

    def __post_init__(self) -> None:
        if urllib.parse.urlsplit(self.url).scheme not in {"http", "https"}:
            raise ValueError(f"JANUS_URL must be an http:// or https:// address, not {self.url!r}")

    @classmethod
    def from_settings(cls) -> JanusServer | None:
        """The server of the settings, or None when ``JANUS_URL`` is unset (browser-to-browser only)."""
        url = getattr(settings, "JANUS_URL", "")
        if not url:
            return None
        return cls(
            url=url.rstrip("/"),
            admin_key=getattr(settings, "JANUS_ADMIN_KEY", ""),
            timeout=float(getattr(settings, "JANUS_TIMEOUT_SECONDS", 2.0)),
        )


def _server(server: JanusServer | None) -> JanusServer:
    server = server or JanusServer.from_settings()
    if server is None:
        raise JanusUnavailable("JANUS_URL is not set")
    return server


def _admin_key(server: JanusServer) -> dict[str, str]:
    """The admin key for a request, left out when none is set (Janus then refuses with 429)."""
    return {"admin_key": server.admin_key} if server.admin_key else {}


def janus_room_id_new() -> int:
    """A random id for a new room. Janus answers ``exists`` and ``listparticipants`` (the displayed
    names) for any room id it is asked about, so ids must not be guessable (like the meetings' own
    numbers); below 2**53, so that JavaScript reads them exactly."""
    return secrets.randbelow(2**53 - 1) + 1


@dataclass(frozen=True)
class JanusRoom:
    room_id: int
    description: str
    participants: int
    max_publishers: int
    pin_required: bool


@dataclass(frozen=True)
class JanusParticipant:
    participant_id: int
    display: str
    publisher: bool


class JanusSession:
    """One Janus API session with one handle on the videoroom plugin. Use :func:`janus_session_open`."""

    def __init__(self, server: JanusServer) -> None:
        self.server = server
        self.session_id: int | None = None
        self.handle_id: int | None = None

    # -- transport -------------------------------------------------------------------------------

    def _http(self, path: str, payload: dict[str, Any] | None, timeout: float) -> dict[str, Any]:
        """POST ``payload`` (GET when None) to the API and return Janus's answer as a dict."""
        url = self.server.url + path
        data = None if payload is None else json.dumps(payload).encode()
        request = urllib.request.Request(  # noqa: S310 (scheme checked in JanusServer)
            url, data=data, method="GET" if payload is None else "POST"
        )
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310  # nosec B310
                body = response.read()
        except urllib.error.HTTPError as error:
            raise JanusUnavailable(f"Janus at {self.server.url} answered HTTP {error.code}") from error
        except (OSError, http.client.HTTPException) as error:  # refused, timed out, cut off
            raise JanusUnavailable(f"Janus at {self.server.url} does not answer: {error}") from error
        try:
            answer = json.loads(body)
        except ValueError as error:
            raise JanusUnavailable(f"Janus at {self.server.url} did not answer JSON") from error
        if not isinstance(answer, dict) or "janus" not in answer:
            raise JanusUnavailable(f"Janus at {self.server.url} did not answer its API")
        return answer

    def _send(self, path: str, payload: dict[str, Any]) -> dict[str, Any]:
        transaction = secrets.token_hex(8)
        answer = self._http(path, {**payload, "transaction": transaction}, self.server.timeout)
        if answer["janus"] == "error":
            error = answer.get("error") or {}
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "")))
        if answer.get("transaction") not in (None, transaction):
            raise JanusUnavailable("Janus answered another request")
        return answer

    @property
    def _session_path(self) -> str:
        if self.session_id is None:
            raise RuntimeError("The Janus session is not open")
        return f"/{self.session_id}"

    @property
    def _handle_path(self) -> str:
        if self.handle_id is None:
            raise RuntimeError("The videoroom plugin is not attached")
        return f"{self._session_path}/{self.handle_id}"

    # -- the Janus API -----------------------------------------------------------------------------

    def create(self) -> int:
        self.session_id = int(self._send("", {"janus": "create"})["data"]["id"])
        return self.session_id

    def attach(self, plugin: str = VIDEOROOM_PLUGIN) -> int:
        answer = self._send(self._session_path, {"janus": "attach", "plugin": plugin})
        self.handle_id = int(answer["data"]["id"])
        return self.handle_id

    def keepalive(self) -> None:
        """Keeps the session alive beyond Janus's session_timeout (60 s) without other requests."""
        self._send(self._session_path, {"janus": "keepalive"})

    def detach(self) -> None:
        if self.handle_id is not None:
            self._send(self._handle_path, {"janus": "detach"})
            self.handle_id = None

    def destroy(self) -> None:
        if self.session_id is not None:
            self._send(self._session_path, {"janus": "destroy"})
            self.session_id = None

    def request(self, body: dict[str, Any]) -> dict[str, Any]:
        """A synchronous videoroom request (create, destroy, list, listparticipants, kick, exists):
        the plugin's answer, or JanusError with the plugin's error code."""
        answer = self._send(self._handle_path, {"janus": "message", "body": body})
        return _plugin_data(answer)

    def message(self, body: dict[str, Any], jsep: dict[str, Any] | None = None) -> dict[str, Any]:
        """An asynchronous videoroom request (join, configure, ...): Janus acknowledges it at once and
        sends the plugin's answer as an event, fetched here by long poll. Returns the event (with its
        ``jsep`` when Janus sends one) or raises JanusError with the plugin's error code."""
        transaction = secrets.token_hex(8)
        payload: dict[str, Any] = {"janus": "message", "body": body, "transaction": transaction}
        if jsep is not None:
            payload["jsep"] = jsep
        answer = self._http(self._handle_path, payload, self.server.timeout)
        if answer["janus"] == "error":
            error = answer.get("error") or {}
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "")))
        if answer["janus"] != "ack":
            _plugin_data(answer)
            return answer
        deadline = time.monotonic() + max(self.server.timeout, 5.0)
        while (remaining := deadline - time.monotonic()) > 0:
            event = self._http(f"{self._session_path}?maxev=1&rid={secrets.token_hex(4)}", None, remaining)
            if event.get("transaction") == transaction and event["janus"] == "event":
                _plugin_data(event)
                return event
        raise JanusUnavailable("Janus did not answer the request in time")


def _plugin_data(answer: dict[str, Any]) -> dict[str, Any]:
    data = (answer.get("plugindata") or {}).get("data")
    if not isinstance(data, dict):
        raise JanusUnavailable("Janus's answer has no plugin data")
    if "error_code" in data:
        raise JanusError(int(data["error_code"]), str(data.get("error", "")))
    return data


@contextmanager
def janus_session_open(*, server: JanusServer | None = None) -> Iterator[JanusSession]:
    """A Janus session attached to the videoroom plugin, detached and destroyed on leaving."""
    session = JanusSession(_server(server))
    session.create()
    try:
        session.attach()
        yield session
    finally:
        try:
            session.detach()
            session.destroy()
        except (JanusUnavailable, JanusError):
            # Janus drops an idle session by itself after its session_timeout.
            logger.info("Janus session %s was not closed cleanly", session.session_id)


# -- the functions the meetings services call ----------------------------------------------------------


def janus_room_create(
    *,
    room_id: int,
    secret: str,
    pin: str,
    description: str = "",
    publishers: int = DEFAULT_PUBLISHERS,
    bitrate: int = DEFAULT_BITRATE,
    server: JanusServer | None = None,
) -> None:
    """Creates a private, never recorded videoroom that only a holder of ``pin`` can join and only a
    holder of ``secret`` can manage. Raises JanusError 427 when the room exists already."""
    server = _server(server)
    with janus_session_open(server=server) as session:
        session.request(
            {
                "request": "create",
                **_admin_key(server),
                "room": room_id,
                "description": description or f"Meeting {room_id}",
                "is_private": True,
                "secret": secret,
                "pin": pin,
                "publishers": publishers,
                "bitrate": bitrate,
                "fir_freq": 10,
                "notify_joining": True,
                "record": False,
                "lock_record": True,
                "permanent": False,
            }
        )


def janus_room_destroy(*, room_id: int, secret: str, server: JanusServer | None = None) -> None:
    """Destroys the room (its participants are disconnected). A room that is gone already is fine."""
    with janus_session_open(server=server) as session:
        try:
            session.request({"request": "destroy", "room": room_id, "secret": secret, "permanent": False})
        except JanusError as error:
            if error.code != JANUS_ERROR_NO_SUCH_ROOM:
                raise


def janus_rooms_list(*, server: JanusServer | None = None) -> list[JanusRoom]:
    """Every room on the server, the private ones included (the admin key shows them)."""
    server = _server(server)
    with janus_session_open(server=server) as session:
        data = session.request({"request": "list", **_admin_key(server)})
    return [
        JanusRoom(
            room_id=int(room["room"]),
            description=str(room.get("description", "")),
            participants=int(room.get("num_participants", 0)),
            max_publishers=int(room.get("max_publishers", 0)),
            pin_required=bool(room.get("pin_required", False)),
        )
        for room in data.get("list", [])
    ]


def janus_room_exists(*, room_id: int, server: JanusServer | None = None) -> bool:
    with janus_session_open(server=server) as session:
        return bool(session.request({"request": "exists", "room": room_id}).get("exists"))


def janus_participants_list(*, room_id: int, server: JanusServer | None = None) -> list[JanusParticipant]:
    """Who is in the room's media (every participant, publishing or not)."""
    with janus_session_open(server=server) as session:
        data = session.request({"request": "listparticipants", "room": room_id})
    return [
        JanusParticipant(
            participant_id=int(participant["id"]),
            display=str(participant.get("display", "")),
            publisher=bool(participant.get("publisher", False)),
        )
        for participant in data.get("participants", [])
    ]


def janus_participant_kick(
    *, room_id: int, secret: str, participant_id: int, server: JanusServer | None = None
) -> None:
    """Disconnects a participant from the room's media (the meeting refuses their link separately)."""
    with janus_session_open(server=server) as session:
        session.request({"request": "kick", "room": room_id, "secret": secret, "id": participant_id})


def janus_keepalive(*, server: JanusServer | None = None) -> None:
    """Whether Janus answers: opens and closes a session (raises JanusUnavailable when it does not)."""
    with janus_session_open(server=server) as session:
        session.keepalive()


@dataclass(frozen=True)
class VideoRoute:
    """How a meeting's media travels.

    ``janus``: through the Janus room (browsers connect to ``server_url`` with the room's pin).
    ``fallback``: Janus is configured but could not make the room, so the media goes browser to browser;
    the expert's page says so (and the log has ``reason``). Without ``JANUS_URL`` both are False:
    browser to browser is then the plan, not a fallback.
    """

    janus: bool
    fallback: bool
    server_url: str = ""
    reason: str = ""


def janus_browser_url() -> str:
    """The Janus address that browsers use (``JANUS_PUBLIC_URL``, else ``JANUS_URL``)."""
    return getattr(settings, "JANUS_PUBLIC_URL", "") or getattr(settings, "JANUS_URL", "")


def video_route_choose(
    *,
    room_id: int,
    secret: str,
    pin: str,
    description: str = "",
    publishers: int = DEFAULT_PUBLISHERS,
    server: JanusServer | None = None,
) -> VideoRoute:
    """Decides, for one meeting's room, between Janus and browser to browser, and creates the Janus
    room when Janus is used. A room that exists already (a second call for the same meeting) counts as
    created. Janus not answering, or refusing, gives browser to browser with a warning in the log."""
    server = server or JanusServer.from_settings()
    if server is None:
        return VideoRoute(janus=False, fallback=False)
    try:
        janus_room_create(
            room_id=room_id,
            secret=secret,
            pin=pin,
            description=description,
            publishers=publishers,
            server=server,
        )
    except JanusError as error:
        if error.code != JANUS_ERROR_ROOM_EXISTS:
            logger.warning(
                "Janus refused to create room %s (%s); the meeting goes browser to browser", room_id, error
            )
            return VideoRoute(janus=False, fallback=True, reason=str(error))
    except JanusUnavailable as error:
        logger.warning(
            "Janus is unavailable for room %s (%s); the meeting goes browser to browser", room_id, error
        )
        return VideoRoute(janus=False, fallback=True, reason=str(error))
    return VideoRoute(janus=True, fallback=False, server_url=janus_browser_url())


# -- configuration ---------------------------------------------------------------------------------

# Debian's janus package (and a build from source) installs these; only videoroom and the http and
# websockets transports are loaded.
KNOWN_PLUGINS = (
    "libjanus_audiobridge.so",
    "libjanus_duktape.so",
    "libjanus_echotest.so",
    "libjanus_lua.so",
    "libjanus_nosip.so",
    "libjanus_recordplay.so",
    "libjanus_sip.so",
    "libjanus_streaming.so",
    "libjanus_textroom.so",
    "libjanus_videocall.so",
    "libjanus_voicemail.so",
)
KNOWN_TRANSPORTS = (
    "libjanus_mqtt.so",
    "libjanus_nanomsg.so",
    "libjanus_pfunix.so",
    "libjanus_rabbitmq.so",
)
USED_LIBRARIES = {"libjanus_videoroom.so", "libjanus_http.so", "libjanus_websockets.so"}


def janus_lib_folder() -> Path:
    """Where Janus's plugins, transports, loggers and event handlers are installed on this machine."""
    candidates = [
        Path(f"/usr/lib/{platform.machine()}-linux-gnu/janus"),
        *sorted(Path("/usr/lib").glob("*/janus")),
        Path("/usr/lib/janus"),
        Path("/usr/local/lib/janus"),
        Path("/opt/janus/lib/janus"),
    ]
    for candidate in candidates:
        if (candidate / "plugins" / "libjanus_videoroom.so").exists():
            return candidate
    return candidates[0]


def _disabled(folder: Path, known: tuple[str, ...]) -> str:
    found = {path.name for path in folder.glob("libjanus_*.so")} if folder.is_dir() else set()
    return ",".join(sorted((set(known) | found) - USED_LIBRARIES))


def _quote(value: str) -> str:
    if any(ord(character) < 32 for character in value):
        raise ValueError("A Janus setting cannot hold control characters")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass(frozen=True)
class JanusConfig:
    """What a deployment's Janus needs; :func:`janus_config_files` writes it."""

    admin_secret: str
    admin_key: str
    bind: str = "127.0.0.1"
    admin_bind: str = "127.0.0.1"
    http_port: int = 8088
    admin_port: int = 7088
    ws_port: int = 8188
    rtp_ports: tuple[int, int] = (20000, 20200)
    public_ip: str = ""
    stun_server: str = ""
    stun_port: int = 3478
    lib_folder: Path | None = None
    server_name: str = "Asiointi"
    session_timeout: int = 60
    debug_level: int = 4


def janus_config_files(config: JanusConfig, *, folder: Path) -> dict[str, str]:
    """The Janus configuration files (name -> text) for a config folder ``folder``: janus.jcfg, the
    videoroom plugin, and the http and websockets transports, every one bound to the given addresses;
    every other plugin, transport, logger and event handler disabled."""
    if not config.admin_secret or not config.admin_key:
        raise ValueError("Janus needs an admin secret and the videoroom's admin key")
    low, high = config.rtp_ports
    if not 1024 <= low < high <= 65535:
        raise ValueError("The RTP port range must be within 1024-65535, lowest first")
    lib = config.lib_folder or janus_lib_folder()
    nat = ["\tignore_mdns = true", '\tice_ignore_list = "vmnet"']
    if config.public_ip:
        nat.append(f"\tnat_1_1_mapping = {_quote(config.public_ip)}")
    if config.stun_server:
        nat += [f"\tstun_server = {_quote(config.stun_server)}", f"\tstun_port = {config.stun_port}"]
    core = f"""# Written by `manage.py video_config`: Janus for Asiointi's meetings (docs/video.md).
general: {{
\tconfigs_folder = {_quote(str(folder))}
\tplugins_folder = {_quote(str(lib / "plugins"))}
\ttransports_folder = {_quote(str(lib / "transports"))}
\tevents_folder = {_quote(str(lib / "events"))}
\tloggers_folder = {_quote(str(lib / "loggers"))}
\tdebug_level = {config.debug_level}
\tadmin_secret = {_quote(config.admin_secret)}
\tserver_name = {_quote(config.server_name)}
\tsession_timeout = {config.session_timeout}
\treclaim_session_timeout = 0
\thide_dependencies = true
}}
certificates: {{
}}
media: {{
\trtp_port_range = "{low}-{high}"
\tno_media_timer = 2
}}
nat: {{
{chr(10).join(nat)}
}}
plugins: {{
\tdisable = {_quote(_disabled(lib / "plugins", KNOWN_PLUGINS))}
}}
transports: {{
\tdisable = {_quote(_disabled(lib / "transports", KNOWN_TRANSPORTS))}
}}
loggers: {{
\tdisable = "libjanus_jsonlog.so"
}}
events: {{
\tbroadcast = false
}}
"""
    videoroom = f"""# Written by `manage.py video_config`. Rooms are created only by the backend, with the admin key;
# none is configured here and none is ever recorded.
general: {{
\tadmin_key = {_quote(config.admin_key)}
\tlock_rtp_forward = true
\tevents = false
\tstring_ids = false
}}
"""
    http = f"""# Written by `manage.py video_config`: the Janus API for the backend (and browsers, when proxied).
general: {{
\tjson = "compact"
\tbase_path = "/janus"
\thttp = true
\tport = {config.http_port}
\tip = {_quote(config.bind)}
\thttps = false
\tevents = false
}}
admin: {{
\tadmin_base_path = "/admin"
\tadmin_http = true
\tadmin_port = {config.admin_port}
\tadmin_ip = {_quote(config.admin_bind)}
\tadmin_https = false
}}
cors: {{
}}
"""
    websockets = f"""# Written by `manage.py video_config`: the Janus API over WebSockets, for browsers.
general: {{
\tjson = "compact"
\tws = true
\tws_port = {config.ws_port}
\tws_ip = {_quote(config.bind)}
\twss = false
\tevents = false
}}
admin: {{
\tadmin_ws = false
\tadmin_wss = false
}}
cors: {{
}}
"""
    return {
        "janus.jcfg": core,
        "janus.plugin.videoroom.jcfg": videoroom,
        "janus.transport.http.jcfg": http,
        "janus.transport.websockets.jcfg": websockets,
    }


def janus_config_write(config: JanusConfig, *, folder: Path) -> list[Path]:
    """Writes the configuration files into ``folder`` (readable by their owner only: they hold secrets)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in janus_config_files(config, folder=folder).items():
        path = folder / name
        path.write_text(text)
        path.chmod(0o600)
        written.append(path)
    return written
