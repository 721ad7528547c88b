"""Audit the installed dependencies for known vulnerabilities with pip-audit.

Fails when a dependency has a known vulnerability. When the vulnerability database cannot be reached
(a machine without access to the package index), it says so clearly and skips, as no dependency could
be audited.
"""

from __future__ import annotations

import json
import subprocess  # runs pip-audit from our own virtualenv  # nosec B404
import sys
from pathlib import Path

TIMEOUT_SECONDS = 300


def main() -> int:
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--format", "json", "--progress-spinner", "off", "--skip-editable"]
    try:
        done = subprocess.run(  # noqa: S603 (a fixed command)  # nosec B603
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except subprocess.TimeoutExpired:
        print(f"Dependency audit skipped: no answer from the vulnerability database in {TIMEOUT_SECONDS} s.")
        return 0
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        if "connect" in done.stderr.lower() or "resolve" in done.stderr.lower():
            print(f"Dependency audit skipped: the vulnerability database cannot be reached ({last}).")
            return 0
        print(f"Dependency audit failed: {last}", file=sys.stderr)
        return 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if not audited:
        print(
            f"Dependency audit skipped: none of the {len(dependencies)} installed packages could be looked up "
            "in the vulnerability database (it cannot be reached from this machine)."
        )
        return 0
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            print(
                f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})",
                file=sys.stderr,
            )
    skipped = len(dependencies) - len(audited)
    print(
        f"Dependency audit: {len(audited)} packages audited, {skipped} skipped, "
        f"{sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities."
    )
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
