"""Remote meetings: how fast the video starts, browser to browser and through Janus, and how many two-party
calls Janus carries on this machine.

    .venv/bin/python benchmarks/meetings.py            # as root: re-runs itself under `unshare -n`

It runs inside a private network namespace of its own (it re-executes itself under ``unshare -n`` with
``lo`` up and the veth pair that Janus needs for ICE), so no packet leaves the machine. In a throwaway
folder (``--var-dir``) it makes a SQLite database, starts the product's ASGI application with uvicorn on
127.0.0.1 and a Janus of its own (configuration written by the product's code, transports on 127.0.0.1,
stopped by its pid), and then:

1. ``--calls`` times (10) per route, browser to browser and through Janus: a fresh meeting whose booth's
   kiosk (Chromium, fake camera) is in it already, then the expert's join page is opened; the time from
   opening it to the first decoded video frame on it (``getStats()`` ``framesDecoded > 0``). Prints the
   median and p95 (goal: median at most 1.2 s and 1.3 s on loopback).
2. Simultaneous two-party calls through Janus, each played by two aiortc peers (320x240, in a process of
   their own per call) publishing to and receiving from each other, adding one call at a time until the
   frames received fall below ``--keep`` (90 %) of what one call gets, or ``--max-calls`` (8); for each
   count the frames per second received per peer and Janus's CPU share (of one core) per call.

The machine is shared: the load average is printed beside the figures. ``--json`` prints them as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
MARK = "ASIOINTI_MEETINGS_BENCH_NETNS"


def _reexec_in_namespace() -> None:
    if os.environ.get(MARK):
        return
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        sys.exit("benchmarks/meetings.py runs in a private network namespace: run it as root (unshare -n)")
    setup = (
        "ip link set lo up && ip link add v0 type veth peer name v1 && "
        "ip addr add 127.0.0.2/32 dev v0 && ip link set v0 up && ip link set v1 up"
    )
    env = {**os.environ, MARK: "1"}
    unshare = shutil.which("unshare") or "/usr/bin/unshare"
    command = [unshare, "-n", "sh", "-c", f'{setup} && exec "$@"', "sh", sys.executable, *sys.argv]
    os.execve(unshare, command, env)  # noqa: S606


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(share * (len(ordered) - 1))))
    return ordered[index]


# -- part 1: join page to first frame ------------------------------------------------------------------------


def _django(var_dir: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["ASIOINTI_VAR_DIR"] = str(var_dir)
    os.environ["DATABASE_URL"] = f"sqlite:///{var_dir / 'bench.sqlite3'}"
    os.environ["REDIS_URL"] = ""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API keeps a loop in this thread
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    # The meetings made here publish live events that no socket of this process listens to.
    logging.getLogger("asiointi.core.events").setLevel(logging.CRITICAL)
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)


def _uvicorn(var_dir: Path, port: int, janus_env: dict[str, str]) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ASIOINTI_VAR_DIR": str(var_dir),
        "DATABASE_URL": os.environ["DATABASE_URL"],
        "DEBUG": "1",
        "REDIS_URL": "",
        "JANUS_URL": "",
        **janus_env,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/fi/", timeout=2)
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("uvicorn did not start")


def _cookie(client: Any) -> dict[str, Any]:
    from django.conf import settings

    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": "127.0.0.1", "path": "/"}


def _first_frames(site: str, calls: int, chromium: Any) -> list[float]:
    from django.test import Client
    from django.utils import timezone

    from asiointi.accounts.testing import login_booth_device, login_staff
    from asiointi.meetings.models import Participant
    from asiointi.meetings.testing import COLLECT_PEERS, FRAMES_DECODED
    from asiointi.meetings.tests.conftest import BOOKED_AT, STARTS, _meeting, move_to_now
    from asiointi.meetings.tokens import join_token_issue

    times = []
    for _call_number in range(calls):
        meeting = _meeting(start=STARTS, booked_at=BOOKED_AT)  # each at a new service point of its own
        move_to_now(meeting)
        # The booth was let in already: it is in the meeting as soon as its kiosk joins.
        Participant.objects.filter(pk=meeting.booth.pk).update(admitted_at=timezone.now())
        expert_client, booth_client = Client(), Client()
        login_staff(expert_client, meeting.kela.user)  # type: ignore[arg-type]
        login_booth_device(booth_client, meeting.booth.booth)  # type: ignore[arg-type]
        booth_context = chromium.new_context()
        booth_context.add_cookies([_cookie(booth_client)])
        booth_context.add_init_script(COLLECT_PEERS)
        expert_context = chromium.new_context()
        expert_context.add_cookies([_cookie(expert_client)])
        expert_context.add_init_script(COLLECT_PEERS)
        try:
            booth = booth_context.new_page()
            booth.goto(f"{site}/fi/meetings/booth/")
            booth.wait_for_function(
                "() => document.getElementById('meeting-status').textContent.includes('Olet tapaamisessa')",
                timeout=20000,
            )
            expert = expert_context.new_page()
            url = f"{site}/fi/meetings/join/{join_token_issue(participant=meeting.kela)}/"
            started = time.monotonic()
            expert.goto(url)
            while time.monotonic() - started < 20 and expert.evaluate(FRAMES_DECODED) == 0:
                time.sleep(0.02)
            times.append(time.monotonic() - started)
        finally:
            booth_context.close()
            expert_context.close()
    return times


# -- part 2: simultaneous calls through Janus --------------------------------------------------------------


async def _call(
    server: dict[str, Any], room_id: int, pin: str, seconds: float, warmup: float
) -> dict[str, Any]:
    from asiointi.meetings.janus import JanusServer
    from asiointi.meetings.testing import JanusTestPeer

    janus = JanusServer(**server)
    peers = [JanusTestPeer(server=janus, room_id=room_id, pin=pin, display=name) for name in ("a", "b")]
    try:
        for peer in peers:
            await peer.join()
        feeds = [peer.feed for peer in peers]
        for peer, other in zip(peers, reversed(feeds), strict=True):
            await peer.subscribe([other])  # type: ignore[list-item]
        await asyncio.sleep(warmup)
        before = [sum(peer.frames.values()) for peer in peers]
        await asyncio.sleep(seconds)
        after = [sum(peer.frames.values()) for peer in peers]
        return {"fps": [(a - b) / seconds for a, b in zip(after, before, strict=True)]}
    finally:
        for peer in peers:
            await peer.close()


def _call_worker(argv: list[str]) -> None:
    server, room_id, pin, seconds, warmup = (
        json.loads(argv[0]),
        int(argv[1]),
        argv[2],
        float(argv[3]),
        float(argv[4]),
    )
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    print(json.dumps(asyncio.run(_call(server, room_id, pin, seconds, warmup))))


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _capacity(janus: Any, max_calls: int, keep: float, seconds: float) -> list[dict[str, Any]]:
    import secrets

    from asiointi.meetings.janus import janus_room_create, janus_room_destroy, janus_room_id_new

    server = janus.server(timeout=10)
    spec = {"url": server.url, "admin_key": server.admin_key, "timeout": 10.0}
    results: list[dict[str, Any]] = []
    baseline = None
    warmup = 4.0
    for count in range(1, max_calls + 1):
        rooms = []
        for _ in range(count):
            room_id, secret, pin = janus_room_id_new(), secrets.token_urlsafe(16), secrets.token_urlsafe(8)
            janus_room_create(room_id=room_id, secret=secret, pin=pin, server=server)
            rooms.append((room_id, secret, pin))
        workers = [
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    __file__,
                    "--call-worker",
                    json.dumps(spec),
                    str(r),
                    p,
                    str(seconds),
                    str(warmup),
                ],
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=ROOT,
            )
            for r, _s, p in rooms
        ]
        time.sleep(
            warmup + 2.0
        )  # joined, subscribed and warmed up (the workers start at about the same time)
        pid = janus.pid
        cpu_before, wall_before = _cpu_seconds(pid), time.monotonic()
        time.sleep(max(0.5, seconds - 2.5))
        cpu = (_cpu_seconds(pid) - cpu_before) / (time.monotonic() - wall_before)
        fps: list[float] = []
        for worker in workers:
            out, _ = worker.communicate(timeout=seconds + warmup + 60)
            try:
                fps += json.loads(out.decode().strip().splitlines()[-1])["fps"]
            except (ValueError, IndexError):
                fps += [0.0, 0.0]
        for room_id, secret, _pin in rooms:
            janus_room_destroy(room_id=room_id, secret=secret, server=server)
        mean = statistics.fmean(fps)
        baseline = baseline or mean
        row = {
            "calls": count,
            "fps_per_peer_mean": round(mean, 1),
            "fps_per_peer_min": round(min(fps), 1),
            "janus_cpu_share_of_one_core": round(cpu, 3),
            "janus_cpu_per_call": round(cpu / count, 3),
            "load_average": os.getloadavg(),
        }
        results.append(row)
        print(
            f"  {count} call(s): {mean:.1f} fps per peer (min {min(fps):.1f}), Janus {cpu:.0%} of a core, "
            f"{cpu / count:.1%} per call",
            flush=True,
        )
        if min(fps) < keep * baseline:
            row["frames_dropped"] = True
            break
    return results


def main(argv: list[str]) -> int:
    if argv[:1] == ["--call-worker"]:
        _call_worker(argv[1:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--max-calls", type=int, default=8)
    parser.add_argument("--keep", type=float, default=0.9)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--var-dir", type=Path, default=None)
    parser.add_argument("--skip", default="", help="comma-separated: first-frame,capacity")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    _reexec_in_namespace()
    var_dir = args.var_dir or Path(tempfile.mkdtemp(prefix="asiointi-meetings-bench-"))
    var_dir.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    figures: dict[str, Any] = {"load_average_start": os.getloadavg(), "cpus": os.cpu_count()}
    print(f"load average {os.getloadavg()} on {os.cpu_count()} cores (a shared machine)", flush=True)
    _django(var_dir)
    from asiointi.meetings.testing import chromium_video_args, janus_running

    with janus_running(folder=var_dir / "janus") as janus:
        if "first-frame" not in skip:
            from playwright.sync_api import sync_playwright

            janus_env = {
                "JANUS_URL": janus.url,
                "JANUS_PUBLIC_URL": janus.ws_url,
                "JANUS_ADMIN_KEY": janus.config.admin_key,
            }
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--headless=new", *chromium_video_args()]
                )
                try:
                    for name, env, port in (("browser_to_browser", {}, 18911), ("janus", janus_env, 18912)):
                        server = _uvicorn(var_dir, port, env)
                        try:
                            _first_frames(f"http://127.0.0.1:{port}", 1, chromium)  # warm up
                            times = _first_frames(f"http://127.0.0.1:{port}", args.calls, chromium)
                        finally:
                            server.terminate()
                            server.wait(timeout=10)
                        figures[name] = {
                            "calls": len(times),
                            "median_s": round(statistics.median(times), 3),
                            "p95_s": round(_percentile(times, 0.95), 3),
                            "load_average": os.getloadavg(),
                        }
                        print(
                            f"join page to first decoded frame, {name.replace('_', ' ')}: "
                            f"median {figures[name]['median_s']:.2f} s, p95 {figures[name]['p95_s']:.2f} s "
                            f"over {len(times)} calls (load average {os.getloadavg()[0]:.2f})",
                            flush=True,
                        )
                finally:
                    chromium.close()
        if "capacity" not in skip:
            print("simultaneous two-party calls through Janus (aiortc peers):", flush=True)
            figures["capacity"] = _capacity(janus, args.max_calls, args.keep, args.seconds)
    figures["load_average_end"] = os.getloadavg()
    if args.json:
        print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
