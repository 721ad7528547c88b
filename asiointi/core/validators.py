"""Validators shared by every app's models and forms."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Marks that change the direction of the text around them (the right-to-left override among
#: them): in a name they can make "exe.txt" read as "txt.exe" and hide what was typed.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@deconstructible(path="asiointi.core.validators.SingleLineTextValidator")
class SingleLineTextValidator:
    """Refuses control characters (line breaks, tabs, NUL, escape, ...) and text direction marks
    in the short text that people type: names, titles, addresses, phone numbers."""

    message = _(
        "Write this on one line, without line breaks, tabs, other control characters or text direction marks."
    )
    code = "single_line"

    def __call__(self, value: Any) -> None:
        text = str(value)
        if any(unicodedata.category(c) == "Cc" or c in BIDI_CONTROLS for c in text):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SingleLineTextValidator)

    def __hash__(self) -> int:
        return hash(type(self))


#: The validator, for ``validators=[single_line_text]`` on a model or form field.
single_line_text = SingleLineTextValidator()


def search_text(value: str, *, max_length: int = 100) -> str:
    """What someone typed in a search box, fit for the database: control characters and text
    direction marks dropped (PostgreSQL refuses a NUL), spaces at either end stripped, at most
    ``max_length`` characters."""
    kept = "".join(c for c in value if unicodedata.category(c) != "Cc" and c not in BIDI_CONTROLS)
    return kept.strip()[:max_length]
