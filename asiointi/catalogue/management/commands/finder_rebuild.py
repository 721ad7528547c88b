"""Renew the service finder's whole index: after an import that bypassed the catalogue's services,
after a change of agencies' names, or after installing Voikko (docs/finder.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from asiointi.catalogue.analysis import voikko_available
from asiointi.catalogue.services import service_search_index_rebuild


class Command(BaseCommand):
    help = "Renew the service finder's index of every service."

    def handle(self, *args: Any, **options: Any) -> None:
        count = service_search_index_rebuild()
        voikko = "with Voikko" if voikko_available() else "without Voikko (base forms by stemming only)"
        self.stdout.write(f"The service finder's index has {count} services, {voikko}.")
