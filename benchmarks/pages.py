"""The public pages under bounded load: the front page, a point page and a service page.

    .venv/bin/python benchmarks/pages.py [--clients 20] [--seconds 15] [--workers 2] [--var-dir DIR]

Prepares a demo database (SQLite under ``--var-dir``, ``var/benchmarks/pages`` by default: migrate,
collectstatic and ``load_demo`` the first time, reused afterwards), starts the server itself on loopback
(uvicorn with ``--workers`` processes, as ``make serve`` does) and drives each page in turn with
``--clients`` concurrent clients on keep-alive connections for ``--seconds`` after a short warm-up. It
prints, per page, the requests answered, errors, throughput and the 50th and 95th percentiles of the
response time. ``REDIS_URL``, when set, is passed to the server (a shared cache), as in production.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "front page": "/fi/",
    "point page": "/fi/points/karstula/",
    "service page": "/fi/services/{service}/?from=Karstula",
}
WARM_UP_SECONDS = 2.0


def _manage(var_dir: Path, *args: str) -> str:
    env = {**os.environ, "ASIOINTI_VAR_DIR": str(var_dir)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def prepare(var_dir: Path) -> None:
    """The demo database in ``var_dir``, loaded once."""
    var_dir.mkdir(parents=True, exist_ok=True)
    marker = var_dir / "demo-loaded"
    if marker.exists():
        return
    print(f"Loading the demo data into {var_dir} (once) ...", flush=True)
    _manage(var_dir, "migrate", "--noinput", "-v0")
    _manage(var_dir, "collectstatic", "--noinput", "-v0")
    _manage(var_dir, "load_demo")
    marker.touch()


def service_id(var_dir: Path) -> int:
    """A service offered at the demo point (the service page's subject)."""
    code = (
        "from asiointi.catalogue.models import ServiceOffering;"
        "print(ServiceOffering.objects.filter(point__slug='karstula').order_by('service_id')"
        ".values_list('service_id', flat=True).first())"
    )
    return int(_manage(var_dir, "shell", "-v", "0", "-c", code).strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(var_dir: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    env = {**os.environ, "ASIOINTI_VAR_DIR": str(var_dir), "TRUSTED_PROXIES": ""}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(  # noqa: S603 - the project's own server command
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-server-header",
            "--no-proxy-headers",
            "--no-access-log",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _ = _get(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/fi/")
            if status == 200:
                return server, port
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("The server did not answer within 60 s.")


def _get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def drive(port: int, path: str, clients: int, seconds: float) -> dict[str, float]:
    """``clients`` threads, each on its own keep-alive connection, request ``path`` one after
    another; times counted after the warm-up, until ``seconds`` have passed."""
    times: list[float] = []
    errors = 0
    lock = threading.Lock()
    start = time.monotonic()
    measure_from = start + WARM_UP_SECONDS
    stop_at = measure_from + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        own: list[float] = []
        own_errors = 0
        while True:
            began = time.monotonic()
            if began >= stop_at:
                break
            try:
                status, _body = _get(connection, path)
                ok = status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if began >= measure_from:
                own.append(time.monotonic() - began)
                own_errors += 0 if ok else 1
        connection.close()
        with lock:
            times.extend(own)
            errors += own_errors

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(times, n=100) if len(times) > 1 else [0.0] * 99
    return {
        "requests": len(times),
        "errors": errors,
        "per_second": len(times) / seconds,
        "p50_ms": cuts[49] * 1000,
        "p95_ms": cuts[94] * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "benchmarks" / "pages")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    var_dir = args.var_dir.resolve()
    prepare(var_dir)
    paths = {name: path.format(service=service_id(var_dir)) for name, path in PAGES.items()}
    server, port = start_server(var_dir, args.workers)
    try:
        results = {name: drive(port, path, args.clients, args.seconds) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    if args.json:
        print(json.dumps({"clients": args.clients, "workers": args.workers, "pages": results}, indent=2))
        return
    print(f"{args.clients} concurrent clients, {args.workers} server workers, {args.seconds:g} s per page")
    print(f"{'page':<14} {'path':<38} {'requests':>8} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7}")
    for name, figures in results.items():
        print(
            f"{name:<14} {paths[name]:<38} {figures['requests']:>8} {figures['errors']:>6} "
            f"{figures['per_second']:>7.1f} {figures['p50_ms']:>7.1f} {figures['p95_ms']:>7.1f}"
        )


if __name__ == "__main__":
    main()
