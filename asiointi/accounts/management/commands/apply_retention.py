"""``manage.py apply_retention``: anonymise the personal data whose retention period has passed.

Idempotent; run it daily from cron or a systemd timer (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from asiointi.accounts.retention import retention_apply, retention_period


class Command(BaseCommand):
    help = "Anonymise customers' personal data whose retention period (settings.RETENTION_DAYS) has passed."

    def handle(self, *args: Any, **options: Any) -> None:
        for result in retention_apply():
            days = retention_period(result.kind).days
            self.stdout.write(
                f"{result.kind}: {result.anonymised} anonymised (kept {days} days; received before "
                f"{result.cutoff:%Y-%m-%d %H:%M %Z})"
            )
