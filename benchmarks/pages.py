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
import json
from pathlib import Path

from _server import ROOT, Call, Client, Served, environment, manage, server
from _server import drive as drive_clients

PAGES = {
    "front page": "/fi/",
    "point page": "/fi/points/karstula/",
    "service page": "/fi/services/{service}/?from=Karstula",
}


def _env(var_dir: Path) -> dict[str, str]:
    """The demo database of ``var_dir`` (SQLite), never a DATABASE_URL of the caller's."""
    return environment({"ASIOINTI_VAR_DIR": str(var_dir), "TRUSTED_PROXIES": ""}, remove=("DATABASE_URL",))


def _manage(var_dir: Path, *args: str) -> str:
    return manage(_env(var_dir), *args)


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


def drive(served: Served, path: str, clients: int, seconds: float) -> dict[str, float]:
    """``clients`` concurrent clients, each on its own keep-alive connection, request ``path`` one
    after another; times counted after the warm-up, until ``seconds`` have passed."""
    return drive_clients(served, [Client([Call(path)]) for _ in range(clients)], seconds)


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
    with server(_env(var_dir), args.workers, ready_path="/fi/") as served:
        results = {name: drive(served, path, args.clients, args.seconds) for name, path in paths.items()}
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
