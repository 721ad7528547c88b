"""The demo's service catalogue, read from ``catalogue.toml`` beside this module.

The data is in the TOML file (real services of the agencies in Finnish, Swedish and English, each
agency's list ordered by how often customers ask for the service); this module only reads it into
:class:`ServiceData` rows once, when first imported.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .texts import Text

CATALOGUE_TOML = Path(__file__).with_name("catalogue.toml")
MUNICIPAL_KEY = "municipal"  # the list every municipal agency offers, not an agency code


@dataclass(frozen=True)
class ServiceData:
    code: str
    name: Text
    description: Text
    keywords: Text
    minutes: int
    requires_identification: bool = False


def _text(value: dict[str, str]) -> Text:
    return Text(value["fi"], value["sv"], value["en"])


def _service(row: dict[str, Any]) -> ServiceData:
    return ServiceData(
        code=row["code"],
        name=_text(row["name"]),
        description=_text(row["description"]),
        keywords=_text(row["keywords"]),
        minutes=int(row["minutes"]),
        requires_identification=bool(row.get("requires_identification", False)),
    )


def catalogue_load(path: Path = CATALOGUE_TOML) -> tuple[dict[str, tuple[ServiceData, ...]], tuple[str, ...]]:
    """The services of the file by list name (agency codes and ``municipal``), and the large agencies."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    services = {key: tuple(_service(row) for row in rows) for key, rows in data["services"].items()}
    return services, tuple(data["large_agencies"])


_SERVICES, LARGE_AGENCIES = catalogue_load()
MUNICIPAL: tuple[ServiceData, ...] = _SERVICES[MUNICIPAL_KEY]
SERVICES_BY_AGENCY: dict[str, tuple[ServiceData, ...]] = {
    code: services for code, services in _SERVICES.items() if code != MUNICIPAL_KEY
}
"""Services of the state agencies by agency code; every municipal agency gets :data:`MUNICIPAL`."""
