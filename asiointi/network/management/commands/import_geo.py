"""Import regions and municipalities from the shipped open data (data/geo). Idempotent."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from asiointi.network.services import GeoImportResult, geo_import


class Command(BaseCommand):
    help = "Imports the regions and municipalities of Finland from data/geo (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            default=str(Path(settings.GEO_DATA_DIR) / "fi_municipalities_2025.csv"),
            help="Municipality CSV of the shipped format (default: data/geo/fi_municipalities_2025.csv).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with open(options["file"], encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        result: GeoImportResult = geo_import(rows=rows)
        self.stdout.write(
            f"Regions: {result.regions_created} created, {result.regions_updated} updated. "
            f"Municipalities: {result.municipalities_created} created, {result.municipalities_updated} updated, "
            f"{result.municipalities_total} in all, population {result.population_total}."
        )
