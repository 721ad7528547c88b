"""English as written for people in Finland: 24.12.2026, 10.00, 24.12.2026 at 10.00, 1,234.5.
As Finnish, but for "at" and the decimal point."""

from __future__ import annotations

from asiointi.formats.fi.formats import *  # noqa: F403
from asiointi.formats.fi.formats import __all__  # noqa: F401

DATETIME_FORMAT = r"j.n.Y \a\t H.i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
