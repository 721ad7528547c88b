"""Add or update Finnish and Swedish translations from a JSON file, then compile the catalogues.

    python scripts/add_translations.py translations.json

The file maps each msgid to its translations: ``{"Sign in": {"fi": "Kirjaudu", "sv": "Logga in"}}``.
With a context, the key is ``"context\\u0004msgid"``; a plural gives ``msgid_plural`` and lists
``{"fi": ["one", "many"], ...}``. A lock keeps two writers from overwriting each other.
`make lint` (makemessages) later sorts the entries and drops the ones no longer used.
"""

from __future__ import annotations

import fcntl
import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("fi", "sv")


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    wanted: dict[str, dict[str, object]] = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    lock_path = ROOT / "locale" / ".lock"
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for language in LANGUAGES:
            path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
            catalogue = polib.pofile(str(path), wrapwidth=79)
            for key, spec in wanted.items():
                context, _sep, msgid = key.rpartition("\x04")
                translated = spec[language]
                plural = spec.get("msgid_plural")
                entry = catalogue.find(msgid, msgctxt=context or False)
                if entry is None:
                    entry = polib.POEntry(msgid=msgid, msgctxt=context or None)
                    catalogue.append(entry)
                entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
                if plural:
                    entry.msgid_plural = str(plural)
                    entry.msgstr_plural = dict(enumerate(translated))  # type: ignore[arg-type]
                else:
                    entry.msgstr = str(translated)
                if "python-format" not in entry.flags and "%(" in msgid:
                    entry.flags.append("python-format")
            catalogue.save(str(path))
            polib.pofile(str(path)).save_as_mofile(str(path.with_suffix(".mo")))
        print(f"{len(wanted)} message(s) added or updated in {', '.join(LANGUAGES)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
