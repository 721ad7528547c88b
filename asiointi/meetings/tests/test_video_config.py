"""``manage.py video_config``: the configuration it writes starts the real Janus and coturn."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from asiointi.meetings.janus import (
    JanusConfig,
    JanusError,
    janus_room_create,
    janus_room_id_new,
    janus_rooms_list,
)
from asiointi.meetings.testing import (
    free_port,
    free_port_range,
    janus_running,
    stun_binding,
    turn_allocate,
    turn_credentials,
    turnserver_running,
)

ADMIN_SECRET = "admin-secret-0123456789abcdef"
ADMIN_KEY = "admin-key-0123456789abcdef"
TURN_SECRET = "turn-secret-0123456789abcdef"


@pytest.fixture
def secrets_set(settings: Any) -> Any:
    settings.JANUS_ADMIN_SECRET = ADMIN_SECRET
    settings.JANUS_ADMIN_KEY = ADMIN_KEY
    settings.TURN_SECRET = TURN_SECRET
    settings.TURN_URLS = "turn:turn.asiointi.example:3478?transport=udp,turns:turn.asiointi.example:5349"
    return settings


@pytest.mark.parametrize("unset", ["JANUS_ADMIN_SECRET", "JANUS_ADMIN_KEY", "TURN_SECRET"])
def test_video_config__secret_missing__refused_naming_it_and_nothing_written(
    secrets_set: Any, tmp_path: Path, unset: str
) -> None:
    setattr(secrets_set, unset, "")
    out = tmp_path / "video"

    with pytest.raises(CommandError, match=f"Set {unset} in the environment first"):
        call_command("video_config", "--out", str(out))

    assert not out.exists()


def test_video_config__short_secret__refused(secrets_set: Any, tmp_path: Path) -> None:
    secrets_set.TURN_SECRET = "short"

    with pytest.raises(CommandError, match="TURN_SECRET must be at least 16 characters"):
        call_command("video_config", "--out", str(tmp_path / "video"))

    assert not (tmp_path / "video").exists()


def test_video_config__no_realm_nor_turn_urls__refused(secrets_set: Any, tmp_path: Path) -> None:
    secrets_set.TURN_URLS = ""

    with pytest.raises(CommandError, match="--realm"):
        call_command("video_config", "--out", str(tmp_path / "video"))


@pytest.mark.parametrize("value", ["20200-20000", "80-200", "many"])
def test_video_config__bad_rtp_ports__refused(secrets_set: Any, tmp_path: Path, value: str) -> None:
    with pytest.raises(CommandError, match="port range"):
        call_command("video_config", "--out", str(tmp_path / "video"), "--rtp-ports", value)


def test_video_config__writes_secrets_addresses_and_nat_owner_only(secrets_set: Any, tmp_path: Path) -> None:
    out = tmp_path / "video"

    call_command(
        "video_config",
        "--out",
        str(out),
        "--bind",
        "10.1.2.3",
        "--public-ip",
        "198.51.100.7",
        "--rtp-ports",
        "20000-20099",
        "--allow-peer",
        "10.1.2.3",
    )

    names = {path.name for path in out.iterdir()}
    assert names == {
        "janus.jcfg",
        "janus.plugin.videoroom.jcfg",
        "janus.transport.http.jcfg",
        "janus.transport.websockets.jcfg",
        "turnserver.conf",
    }
    for path in out.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    core = (out / "janus.jcfg").read_text()
    assert f'admin_secret = "{ADMIN_SECRET}"' in core
    assert 'rtp_port_range = "20000-20099"' in core
    assert 'nat_1_1_mapping = "198.51.100.7"' in core
    assert "ignore_mdns = true" in core
    assert f'admin_key = "{ADMIN_KEY}"' in (out / "janus.plugin.videoroom.jcfg").read_text()
    http = (out / "janus.transport.http.jcfg").read_text()
    assert 'ip = "10.1.2.3"' in http
    assert 'admin_ip = "127.0.0.1"' in http
    assert 'ws_ip = "10.1.2.3"' in (out / "janus.transport.websockets.jcfg").read_text()
    turn = (out / "turnserver.conf").read_text().splitlines()
    assert "use-auth-secret" in turn
    assert f"static-auth-secret={TURN_SECRET}" in turn
    assert "realm=turn.asiointi.example" in turn
    assert "listening-ip=10.1.2.3" in turn
    assert "external-ip=198.51.100.7/10.1.2.3" in turn
    assert "denied-peer-ip=10.0.0.0-10.255.255.255" in turn
    assert "denied-peer-ip=192.168.0.0-192.168.255.255" in turn
    assert "denied-peer-ip=127.0.0.0-127.255.255.255" in turn
    assert "allowed-peer-ip=10.1.2.3" in turn
    assert not any("allow-loopback-peers" in line or "lt-cred-mech" in line for line in turn)


def test_video_config__written_janus_config__starts_janus_that_only_the_backend_can_make_rooms_in(
    secrets_set: Any, tmp_path: Path
) -> None:
    out = tmp_path / "video"
    http_port, ws_port, admin_port = free_port(), free_port(), free_port()
    low, high = free_port_range(20)
    call_command(
        "video_config",
        "--out",
        str(out),
        "--http-port",
        str(http_port),
        "--ws-port",
        str(ws_port),
        "--admin-port",
        str(admin_port),
        "--rtp-ports",
        f"{low}-{high}",
    )
    config = JanusConfig(
        admin_secret=ADMIN_SECRET,
        admin_key=ADMIN_KEY,
        http_port=http_port,
        ws_port=ws_port,
        admin_port=admin_port,
    )

    with janus_running(folder=out, config=config, write=False) as janus:
        room_id = janus_room_id_new()
        janus_room_create(room_id=room_id, secret="room-secret", pin="2468", server=janus.server())
        with pytest.raises(JanusError) as refused:
            janus_room_create(room_id=room_id + 1, secret="s", pin="1", server=janus.server(admin_key=""))
        listed = {room.room_id for room in janus_rooms_list(server=janus.server())}
        log = janus.log.read_text()

    assert refused.value.code == 429
    assert room_id in listed and room_id + 1 not in listed
    assert f"RTP port range: {low} -- {high}" in log
    assert "Loading plugin 'libjanus_videoroom.so'" in log
    assert "Loading plugin 'libjanus_streaming.so'" not in log


def test_video_config__written_coturn_config__relays_only_with_backend_credentials_never_inwards(
    secrets_set: Any, tmp_path: Path
) -> None:
    out = tmp_path / "video"
    port = free_port()
    low, high = free_port_range(20)
    call_command(
        "video_config", "--out", str(out), "--turn-port", str(port), "--turn-relay-ports", f"{low}-{high}"
    )
    username, password = turn_credentials(secret=TURN_SECRET, name="booth-1")
    expired = turn_credentials(secret=TURN_SECRET, name="booth-1", seconds=-60)
    forged = turn_credentials(secret="another-secret-0123456789", name="booth-1")

    with turnserver_running(config_file=out / "turnserver.conf", port=port) as turn:
        mapped = stun_binding("127.0.0.1", port)
        allocated, permissions = turn_allocate(
            "127.0.0.1",
            port,
            username=username,
            password=password,
            peers=("198.51.99.7", "127.0.0.1", "10.1.2.3", "192.168.1.10", "172.20.0.1", "169.254.1.1"),
        )
        refused_expired, _ = turn_allocate("127.0.0.1", port, username=expired[0], password=expired[1])
        refused_forged, _ = turn_allocate("127.0.0.1", port, username=forged[0], password=forged[1])
        log = turn.log_text()

    assert mapped is not None and mapped[0] == "127.0.0.1"
    assert allocated == 200
    # A relay may reach a public address, never this host nor our internal networks.
    assert permissions == {
        "198.51.99.7": 200,
        "127.0.0.1": 403,
        "10.1.2.3": 403,
        "192.168.1.10": 403,
        "172.20.0.1": 403,
        "169.254.1.1": 403,
    }
    assert refused_expired == refused_forged == 401
    # coturn read every line of the file: the realm, the denied peers, nothing it did not understand.
    assert "Default realm: turn.asiointi.example" in log
    assert "Black listing: 192.168.0.0-192.168.255.255" in log
    assert "Bad configuration" not in log and "unknown" not in log.lower()
    assert log.count("Cannot find credentials of user") == 2
