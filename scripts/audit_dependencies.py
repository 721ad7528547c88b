"""Audit the locked dependencies (requirements.lock) for known vulnerabilities with pip-audit.

Audits exactly the pinned versions of the lock file, with their hashes, without installing or
resolving anything. Fails when a dependency has a known vulnerability. When the vulnerability
database cannot be reached (a machine without access to it), it says so plainly, names how many
packages went unchecked, and does not fail: nothing could be audited.
"""

from __future__ import annotations

import json
import subprocess  # runs pip-audit from our own virtualenv  # nosec B404
import sys
from pathlib import Path

TIMEOUT_SECONDS = 300
ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
UNREACHABLE = (
    "Dependency audit NOT DONE: the vulnerability database could not be reached from this machine "
    "({reason}); {count} packages of requirements.lock were not checked."
)


def command(lock: Path = LOCK) -> list[str]:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    return [
        str(pip_audit),
        "--requirement",
        str(lock),
        "--require-hashes",
        "--disable-pip",
        "--format",
        "json",
        "--progress-spinner",
        "off",
    ]


def _locked_count(lock: Path) -> int:
    return sum(
        1 for line in lock.read_text(encoding="utf-8").splitlines() if "==" in line and line[:1].isalnum()
    )


def main(lock: Path = LOCK) -> int:
    if not lock.exists():
        print(f"Dependency audit failed: {lock.name} is missing; `make lock` writes it.", file=sys.stderr)
        return 1
    try:
        done = subprocess.run(  # noqa: S603 (a fixed command)  # nosec B603
            command(lock), capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        print(UNREACHABLE.format(reason=f"no answer in {TIMEOUT_SECONDS} s", count=_locked_count(lock)))
        return 0
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        if any(word in done.stderr.lower() for word in ("connect", "resolve", "timed out", "network")):
            print(UNREACHABLE.format(reason=last, count=_locked_count(lock)))
            return 0
        print(f"Dependency audit failed: {last}", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        reasons = {d["skip_reason"].split(":")[0] for d in dependencies if d.get("skip_reason")}
        print(UNREACHABLE.format(reason="; ".join(sorted(reasons)) or "no answer", count=len(dependencies)))
        return 0
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            print(
                f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})",
                file=sys.stderr,
            )
    skipped = [d["name"] for d in dependencies if "skip_reason" in d]
    print(
        f"Dependency audit of requirements.lock: {len(audited)} packages audited, "
        f"{sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities."
        + (f" NOT checked ({len(skipped)}): {', '.join(skipped)}." if skipped else "")
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
