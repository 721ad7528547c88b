"""Swedish in Finland: 24.12.2026, 10.00, 24.12.2026 kl. 10.00, 1 234,5. As Finnish, but for "kl."."""

from __future__ import annotations

from asiointi.formats.fi.formats import *  # noqa: F403
from asiointi.formats.fi.formats import __all__  # noqa: F401

DATETIME_FORMAT = r"j.n.Y \k\l. H.i"
