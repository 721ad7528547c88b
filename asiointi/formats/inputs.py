"""What forms accept as dates and times in every language: the Finnish way first (the first format
is also how a form shows a value), then ISO 8601, which HTML date inputs and many people also use."""

from __future__ import annotations

DATE_INPUT_FORMATS = [
    "%d.%m.%Y",  # 24.12.2026, also 1.2.2026
    "%d.%m.%y",  # 24.12.26
    "%Y-%m-%d",  # 2026-12-24
]
TIME_INPUT_FORMATS = [
    "%H.%M",  # 10.00
    "%H.%M.%S",  # 10.00.59
    "%H:%M",  # 10:00
    "%H:%M:%S",  # 10:00:59
    "%H.%M.%S.%f",
    "%H:%M:%S.%f",
]
DATETIME_INPUT_FORMATS = [f"{date} {time}" for date in DATE_INPUT_FORMATS for time in TIME_INPUT_FORMATS]
