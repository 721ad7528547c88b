"""``manage.py ledger_rollups_rebuild``: make the ledger's monthly rollup again from the raw ledger.

The ledger's services keep the rollup as they write; run this after restoring a backup or after a
load that wrote transactions past the services (all or nothing; safe to run at any time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from asiointi.ledger.services import monthly_counts_rebuild


class Command(BaseCommand):
    help = "Rebuild the monthly counts of transactions (the ledger's rollup) from the transactions."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = monthly_counts_rebuild()
        self.stdout.write(f"{rows} monthly counts rebuilt from the ledger")
