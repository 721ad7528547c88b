from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(share: float | None, digits: int = 1) -> str:
    """A share (0.903) as the visitor's language writes a percentage: "90,3 %" in Finnish."""
    if share is None or share == "":
        return "–"
    return f"{number_format(100 * float(share), int(digits))}\u00a0%"
