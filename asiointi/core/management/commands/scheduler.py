"""``manage.py scheduler``: queue the periodic tasks (settings.PERIODIC_TASKS) once per period.

Run one beside the workers (``make demo`` and ``make serve`` do); more than one, or restarting it, is
safe: each task is queued once per period however many schedulers run. ``--once`` makes one pass and
exits (for cron or a systemd timer instead of a long-running process)."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from asiointi.core.scheduler import scheduler_tick


class Command(BaseCommand):
    help = (
        "Queue the periodic tasks (retention and others) once per period; safe to run in several processes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Make one pass and exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Seconds between passes (default: SCHEDULER_INTERVAL_SECONDS).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval = options["interval"] or settings.SCHEDULER_INTERVAL_SECONDS
        while True:
            for name in scheduler_tick():
                self.stdout.write(f"queued {name}")
            if options["once"]:
                return
            close_old_connections()
            try:
                time.sleep(interval)
            except KeyboardInterrupt:
                return
