"""The catalogue of the demo (its real services in fi/sv/en) for the service finder's tests: the
state agencies and two municipalities, written straight from asiointi/demo's data."""

from __future__ import annotations

from asiointi.catalogue.models import Service
from asiointi.catalogue.services import service_search_index_rebuild
from asiointi.demo.agencies import STATE_AGENCIES
from asiointi.demo.catalogue import MUNICIPAL, SERVICES_BY_AGENCY
from asiointi.demo.texts import Text, translated
from asiointi.network.models import Agency, AgencyKind


def real_catalogue_create() -> dict[str, Agency]:
    """Every agency of the demo's catalogue with its services, indexed for the finder."""
    agencies = {
        data.code: Agency.objects.create(
            code=data.code,
            kind=data.kind,
            website=data.website,
            **translated("name", data.name),
            **translated("short_name", data.short_name),
            **translated("description", data.description),
        )
        for data in STATE_AGENCIES
    }
    for code, fi, sv in (("karstula", "Karstula", "Karstula"), ("parainen", "Parainen", "Pargas")):
        agencies[code] = Agency.objects.create(
            code=code,
            kind=AgencyKind.MUNICIPAL,
            **translated("name", Text(f"{fi}n kunta", f"{sv} kommun", f"Municipality of {fi}")),
            **translated("short_name", Text(fi, sv, fi)),
        )
    services = []
    for code, agency in agencies.items():
        rows = SERVICES_BY_AGENCY.get(code, MUNICIPAL)
        for data in rows:
            services.append(
                Service(
                    agency=agency,
                    code=data.code,
                    typical_duration_minutes=data.minutes,
                    requires_identification=data.requires_identification,
                    **translated("name", data.name),
                    **translated("description", data.description),
                    **translated("keywords", data.keywords),
                )
            )
    Service.objects.bulk_create(services)
    service_search_index_rebuild()
    return agencies
