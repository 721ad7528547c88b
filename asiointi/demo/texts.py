"""Small helpers for demo content written in Finnish, Swedish and English."""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    """One piece of content in the three content languages."""

    fi: str
    sv: str
    en: str


def translated(field: str, text: Text) -> dict[str, str]:
    """The modeltranslation fields of ``field`` for ``text``: ``{"name_fi": ..., "name_sv": ..., "name_en": ...}``."""
    return {f"{field}_fi": text.fi, f"{field}_sv": text.sv, f"{field}_en": text.en}
