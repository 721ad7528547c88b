"""Reads of the catalogue: which services a point offers, and where a service is offered."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import QuerySet

from asiointi.core.geo import road_km
from asiointi.network.models import Agency, Municipality, ServicePoint
from asiointi.network.selectors import point_list_public

from .models import Channel, Service, ServiceOffering

# The point profiles' reads live in profiles.py; the other apps read them from here.
from .profiles import (
    PointGaps as PointGaps,
)
from .profiles import (
    RegionGaps as RegionGaps,
)
from .profiles import (
    RequirementCheck as RequirementCheck,
)

# The staff's pages of profiles (who keeps them, and a point's profile as its viewer may see it).
from .profiles import (
    access_point_profile as access_point_profile,
)
from .profiles import (
    access_profile as access_profile,
)
from .profiles import (
    access_profile_keeping as access_profile_keeping,
)
from .profiles import (
    network_gaps as network_gaps,
)
from .profiles import (
    point_gaps as point_gaps,
)
from .profiles import (
    point_gaps_against as point_gaps_against,
)
from .profiles import (
    point_profile_levels as point_profile_levels,
)
from .profiles import (
    points_gaps as points_gaps,
)
from .profiles import (
    points_with_profiles as points_with_profiles,
)
from .profiles import (
    profile_list as profile_list,
)
from .profiles import (
    profile_list_in_use as profile_list_in_use,
)


@dataclass
class ServiceChannels:
    service: Service
    channels: list[str] = field(default_factory=list)


@dataclass
class AgencyServices:
    agency: Agency
    services: list[ServiceChannels] = field(default_factory=list)


@dataclass
class PointDistance:
    point: ServicePoint
    km: float
    channels: list[str] = field(default_factory=list)


CHANNEL_ORDER = {code: i for i, code in enumerate(Channel.values)}


def point_services(
    *, point: ServicePoint, agency: Agency | None = None, channel: str | None = None
) -> list[AgencyServices]:
    """The services offered at ``point``, grouped by agency (by name) and then by service, each
    with its channels; optionally only one agency's or one channel's. One query."""
    offerings = ServiceOffering.objects.filter(point=point, service__is_active=True).select_related(
        "service", "service__agency"
    )
    if agency is not None:
        offerings = offerings.filter(service__agency=agency)
    if channel is not None:
        offerings = offerings.filter(channel=channel)
    by_service: dict[int, ServiceChannels] = {}
    for offering in offerings:
        entry = by_service.setdefault(offering.service_id, ServiceChannels(offering.service))
        entry.channels.append(offering.channel)
    groups: dict[int, AgencyServices] = defaultdict(lambda: AgencyServices(agency=None))  # type: ignore[arg-type]
    for entry in by_service.values():
        entry.channels.sort(key=CHANNEL_ORDER.__getitem__)
        group = groups[entry.service.agency_id]
        group.agency = entry.service.agency
        group.services.append(entry)
    result = sorted(groups.values(), key=lambda g: str(g.agency.name))
    for group in result:
        group.services.sort(key=lambda s: str(s.service.name))
    return result


def _by_distance(points: list[ServicePoint], origin: Municipality) -> list[tuple[ServicePoint, float]]:
    """``points`` with their estimated road km from the centre of ``origin``, nearest first."""
    kms = road_km(
        origin.centre_lat,
        origin.centre_lon,
        [p.lat for p in points],
        [p.lon for p in points],
        circuity=settings.ROAD_CIRCUITY_FACTOR,
    )
    measured = [(p, float(km)) for p, km in zip(points, kms, strict=True)]
    measured.sort(key=lambda pair: (pair[1], str(pair[0].name)))
    return measured


def points_nearest(*, origin: Municipality, limit: int = 10) -> list[PointDistance]:
    """Active points nearest first from the administrative centre of ``origin`` (estimated road km)."""
    measured = _by_distance(list(point_list_public()), origin)
    return [PointDistance(p, km) for p, km in measured[:limit]]


def points_offering_service(
    *, service: Service, origin: Municipality, channel: str | None = None
) -> list[PointDistance]:
    """The active points that offer ``service`` (through ``channel`` if given), nearest first from
    ``origin``, each with the channels through which it offers the service."""
    offerings = ServiceOffering.objects.filter(service=service)
    if channel is not None:
        offerings = offerings.filter(channel=channel)
    channels: dict[int, list[str]] = defaultdict(list)
    for point_id, code in offerings.values_list("point_id", "channel"):
        channels[point_id].append(code)
    points = list(point_list_public().filter(pk__in=channels))
    return [
        PointDistance(p, km, sorted(channels[p.pk], key=CHANNEL_ORDER.__getitem__))
        for p, km in _by_distance(points, origin)
    ]


def agency_points_public(*, agency: Agency) -> QuerySet[ServicePoint]:
    """The active points that offer at least one of the agency's services."""
    return (
        point_list_public()
        .filter(offerings__service__agency=agency, offerings__service__is_active=True)
        .distinct()
    )


def service_get_public(*, pk: int) -> Service:
    return Service.objects.select_related("agency").get(pk=pk, is_active=True)


def agency_services(*, agency: Agency) -> QuerySet[Service]:
    return Service.objects.filter(agency=agency, is_active=True).order_by("name")
