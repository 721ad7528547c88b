"""Validators shared by every app's models and forms."""

from __future__ import annotations

import unicodedata

#: Marks that change the direction of the text around them (the right-to-left override among
#: them): in a name they can make "exe.txt" read as "txt.exe" and hide what was typed.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def search_text(value: str, *, max_length: int = 100) -> str:
    """What someone typed in a search box, fit for the database: control characters and text
    direction marks dropped (PostgreSQL refuses a NUL), spaces at either end stripped, at most
    ``max_length`` characters."""
    kept = "".join(c for c in value if unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS)
    return kept.strip()[:max_length]
