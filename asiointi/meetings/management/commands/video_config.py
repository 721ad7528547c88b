"""``manage.py video_config --out DIR``: the configuration of Janus and coturn for a deployment.

Writes janus.jcfg, janus.plugin.videoroom.jcfg, janus.transport.http.jcfg and
janus.transport.websockets.jcfg (run Janus with ``janus -F DIR -C DIR/janus.jcfg``), and turnserver.conf
(``turnserver -c DIR/turnserver.conf``), with the secrets from the settings: JANUS_ADMIN_SECRET,
JANUS_ADMIN_KEY and TURN_SECRET. docs/video.md explains the ports, the secrets and NAT.
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from pathlib import Path
from typing import cast

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from asiointi.meetings.janus import JanusConfig, janus_config_write

# Peers that a relay must never reach: this host, private and shared networks, link-local, multicast
# (coturn 4.6 refuses loopback and multicast peers by default; named anyway for older versions).
DENIED_PEER_RANGES = (
    "0.0.0.0-0.255.255.255",
    "10.0.0.0-10.255.255.255",
    "100.64.0.0-100.127.255.255",
    "127.0.0.0-127.255.255.255",
    "169.254.0.0-169.254.255.255",
    "172.16.0.0-172.31.255.255",
    "192.0.0.0-192.0.0.255",
    "192.0.2.0-192.0.2.255",
    "192.88.99.0-192.88.99.255",
    "192.168.0.0-192.168.255.255",
    "198.18.0.0-198.19.255.255",
    "198.51.100.0-198.51.100.255",
    "203.0.113.0-203.0.113.255",
    "224.0.0.0-255.255.255.255",
    "::1",
    "64:ff9b::-64:ff9b::ffff:ffff",
    "::ffff:0.0.0.0-::ffff:255.255.255.255",
    "100::-100::ffff:ffff:ffff:ffff",
    "2001::-2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
    "2002::-2002:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    "fe80::-febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
)


def port_range(text: str) -> tuple[int, int]:
    try:
        low, high = (int(part) for part in text.split("-", 1))
    except ValueError as error:
        raise CommandError(f"A port range is written LOW-HIGH, e.g. 20000-20200, not {text!r}.") from error
    if not 1024 <= low < high <= 65535:
        raise CommandError(f"A port range must lie within 1024-65535, lowest first, not {text!r}.")
    return low, high


def ip_address(text: str) -> str:
    if not text:
        return ""
    try:
        return str(ipaddress.ip_address(text))
    except ValueError as error:
        raise CommandError(f"{text!r} is not an IP address.") from error


def turn_realm() -> str:
    """The host of the first TURN_URLS entry (turn:turn.example.fi:3478?transport=udp), else ''."""
    urls = getattr(settings, "TURN_URLS", "")
    if isinstance(urls, str):
        urls = [url for url in urls.split(",") if url.strip()]
    for url in urls:
        rest = urllib.parse.urlsplit(url.strip()).path  # turn:HOST:PORT?... has no netloc
        if rest.startswith("[") and "]" in rest:
            host = rest[1 : rest.index("]")]
        else:
            host = rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest
        if host:
            return host
    return ""


def turnserver_conf(
    *,
    secret: str,
    realm: str,
    listen: str,
    relay: str,
    external_ip: str,
    port: int,
    tls_port: int,
    relay_ports: tuple[int, int],
    allowed_peers: list[str],
    cert: str,
    pkey: str,
) -> str:
    """coturn's turnserver.conf: time-limited credentials made by the backend from the shared secret
    (use-auth-secret), relays only to public addresses, no CLI, no version in answers."""
    if "\n" in secret or "\n" in realm:
        raise CommandError("TURN_SECRET and the realm must be single lines.")
    lines = [
        "# Written by `manage.py video_config`: coturn for Asiointi's meetings (docs/video.md).",
        f"listening-port={port}",
        f"listening-ip={listen}",
        f"relay-ip={relay}",
    ]
    if external_ip:
        lines.append(f"external-ip={external_ip}" + (f"/{relay}" if relay != external_ip else ""))
    lines += [
        f"min-port={relay_ports[0]}",
        f"max-port={relay_ports[1]}",
        "fingerprint",
        # The backend hands out username "<expiry>:<id>" and password base64(HMAC-SHA1(secret, username)).
        "use-auth-secret",
        f"static-auth-secret={secret}",
        f"realm={realm}",
        "stale-nonce=600",
        "no-cli",
        "no-software-attribute",
        "no-multicast-peers",
        "no-rfc5780",
        "no-stun-backward-compatibility",
        "response-origin-only-with-rfc5780",
        # A meeting has at most a handful of participants; this bounds what one credential can take.
        "user-quota=12",
        "total-quota=1200",
        "max-bps=3000000",
    ]
    if cert and pkey:
        lines += [f"tls-listening-port={tls_port}", f"cert={cert}", f"pkey={pkey}", "no-tlsv1", "no-tlsv1_1"]
    else:
        lines += ["no-tls", "no-dtls"]
    lines += [f"denied-peer-ip={peer}" for peer in DENIED_PEER_RANGES]
    # Allowed after the denials: e.g. Janus's own private address behind the same NAT.
    lines += [f"allowed-peer-ip={peer}" for peer in allowed_peers]
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = (
        "Writes the configuration of Janus (janus.jcfg, the videoroom plugin, the http and websockets "
        "transports) and of coturn (turnserver.conf) into a folder, with the secrets from the settings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="The folder to write into.")
        parser.add_argument(
            "--bind",
            type=ip_address,
            default="127.0.0.1",
            help="Address of Janus's HTTP and WebSocket API (default 127.0.0.1: behind the web server's proxy).",
        )
        parser.add_argument(
            "--admin-bind",
            type=ip_address,
            default="127.0.0.1",
            help="Address of Janus's Admin API (default 127.0.0.1; never a public address).",
        )
        parser.add_argument(
            "--public-ip",
            type=ip_address,
            default="",
            help="The public address of this host when it is behind 1:1 NAT (Janus's nat_1_1_mapping, "
            "coturn's external-ip).",
        )
        parser.add_argument("--http-port", type=int, default=8088, help="Janus's HTTP API port (8088).")
        parser.add_argument("--ws-port", type=int, default=8188, help="Janus's WebSocket API port (8188).")
        parser.add_argument("--admin-port", type=int, default=7088, help="Janus's Admin API port (7088).")
        parser.add_argument(
            "--rtp-ports",
            type=port_range,
            default=(20000, 20200),
            help="UDP ports of Janus's media (default 20000-20200; two per participant).",
        )
        parser.add_argument(
            "--stun-server", default="", help="A STUN server Janus asks for its public address."
        )
        parser.add_argument(
            "--janus-lib", type=Path, default=None, help="Janus's plugins folder's parent (found when unset)."
        )
        parser.add_argument(
            "--turn-listen", type=ip_address, default="", help="coturn's listening address (default: --bind)."
        )
        parser.add_argument(
            "--turn-relay",
            type=ip_address,
            default="",
            help="coturn's relay address (default: --turn-listen).",
        )
        parser.add_argument("--turn-port", type=int, default=3478, help="coturn's UDP and TCP port (3478).")
        parser.add_argument("--turn-tls-port", type=int, default=5349, help="coturn's TLS port (5349).")
        parser.add_argument(
            "--turn-relay-ports",
            type=port_range,
            default=(49152, 65535),
            help="UDP ports of coturn's relays (default 49152-65535).",
        )
        parser.add_argument("--realm", default="", help="coturn's realm (default: the host of TURN_URLS).")
        parser.add_argument("--turn-cert", default="", help="TLS certificate (PEM) for TURN over TLS.")
        parser.add_argument("--turn-pkey", default="", help="Its private key (PEM).")
        parser.add_argument(
            "--allow-peer",
            action="append",
            type=ip_address,
            default=[],
            help="A private address relays may reach anyway (e.g. Janus's own); repeat.",
        )

    def handle(self, *args: object, **options: object) -> None:
        admin_secret = str(getattr(settings, "JANUS_ADMIN_SECRET", ""))
        admin_key = str(getattr(settings, "JANUS_ADMIN_KEY", ""))
        turn_secret = str(getattr(settings, "TURN_SECRET", ""))
        missing = [
            name
            for name, value in (
                ("JANUS_ADMIN_SECRET", admin_secret),
                ("JANUS_ADMIN_KEY", admin_key),
                ("TURN_SECRET", turn_secret),
            )
            if not value
        ]
        if missing:
            raise CommandError(
                f"Set {', '.join(missing)} in the environment first (long random strings, e.g. "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`); nothing was written."
            )
        weak = [
            name
            for name, value in (
                ("JANUS_ADMIN_SECRET", admin_secret),
                ("JANUS_ADMIN_KEY", admin_key),
                ("TURN_SECRET", turn_secret),
            )
            if len(value) < 16
        ]
        if weak:
            raise CommandError(f"{', '.join(weak)} must be at least 16 characters long; nothing was written.")
        realm = str(options["realm"]) or turn_realm()
        if not realm:
            raise CommandError(
                "Give --realm (e.g. the TURN server's host name) or set TURN_URLS; nothing was written."
            )
        out = Path(str(options["out"]))
        bind = str(options["bind"])
        public_ip = str(options["public_ip"])
        lib = options["janus_lib"]
        rtp_ports = cast(tuple[int, int], options["rtp_ports"])
        turn_relay_ports = cast(tuple[int, int], options["turn_relay_ports"])
        config = JanusConfig(
            admin_secret=admin_secret,
            admin_key=admin_key,
            bind=bind,
            admin_bind=str(options["admin_bind"]),
            http_port=int(str(options["http_port"])),
            admin_port=int(str(options["admin_port"])),
            ws_port=int(str(options["ws_port"])),
            rtp_ports=rtp_ports,
            public_ip=public_ip,
            stun_server=str(options["stun_server"]),
            lib_folder=lib if isinstance(lib, Path) else None,
        )
        folder = out.resolve()
        try:
            written = janus_config_write(config, folder=folder)
        except ValueError as error:
            raise CommandError(f"{error}; nothing was written.") from error
        listen = str(options["turn_listen"]) or bind
        relay = str(options["turn_relay"]) or listen
        allowed = cast(list[str], options["allow_peer"])
        turn = folder / "turnserver.conf"
        turn.write_text(
            turnserver_conf(
                secret=turn_secret,
                realm=realm,
                listen=listen,
                relay=relay,
                external_ip=public_ip,
                port=int(str(options["turn_port"])),
                tls_port=int(str(options["turn_tls_port"])),
                relay_ports=turn_relay_ports,
                allowed_peers=[str(peer) for peer in allowed],
                cert=str(options["turn_cert"]),
                pkey=str(options["turn_pkey"]),
            )
        )
        turn.chmod(0o600)
        for path in [*written, turn]:
            self.stdout.write(f"Wrote {path}")
        self.stdout.write(
            f"Start Janus with: janus -F {folder} -C {folder / 'janus.jcfg'}\n"
            f"Start coturn with: turnserver -c {turn}"
        )
