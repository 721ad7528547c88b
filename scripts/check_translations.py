"""Fail when a message of the project lacks a Finnish or a Swedish translation.

Runs Django's makemessages (GNU gettext's xgettext is needed here, as on any developer machine),
then reads the catalogues with polib: every entry must be translated and none may be fuzzy.
"""

from __future__ import annotations

import os
import subprocess  # runs our own manage.py  # nosec B404
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv")
IGNORE = (".venv/*", "var/*", "node_modules/*", "benchmarks/*", "scripts/*", "docs/*")


def main() -> int:
    args = [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete", "-v0"]
    for language in LANGUAGES:
        args += ["-l", language]
    for pattern in IGNORE:
        args += ["--ignore", pattern]
    subprocess.run(args, cwd=ROOT, check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})  # noqa: S603 (our own manage.py)  # nosec B603
    missing = 0
    for language in LANGUAGES:
        path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            if "fuzzy" in entry.flags or not entry.translated():
                missing += 1
                print(f"{language}: untranslated: {entry.msgid!r}")
        print(
            f"{language}: {len(catalogue.translated_entries())} messages translated, {catalogue.percent_translated()} %"
        )
    if missing:
        print(f"{missing} message(s) lack a translation.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
