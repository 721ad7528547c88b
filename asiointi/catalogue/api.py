"""The catalogue's operations of the API (docs/api.md): the services of a service point by channel,
as the point's public page lists them, through the same selector. Public: no sign-in,
rate-limited per address."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from asiointi.core.api import PUBLIC_ERRORS, Page, PageParams, error_responses, paginate, rate_limit_public
from asiointi.network.api import point_for

from . import selectors
from .models import Channel

router = Router(tags=["catalogue"])


class ServiceAgencyOut(Schema):
    code: str
    name: str


class PointServiceOut(Schema):
    id: int
    code: str
    name: str
    description: str
    agency: ServiceAgencyOut
    channels: list[Channel] = Field(description="Through which channels the point offers the service.")
    typical_duration_minutes: int
    requires_identification: bool


class ChannelFilter(Schema):
    channel: Channel | None = Field(None, description="Only the services offered through this channel.")


@router.get(
    "/points/{ref}/services",
    response={200: Page[PointServiceOut], **error_responses(404, *PUBLIC_ERRORS)},
    auth=None,
    url_name="point_services",
    summary="The services of a service point",
)
def point_services(
    request: HttpRequest, ref: str, filters: Query[ChannelFilter], page: Query[PageParams]
) -> dict[str, object]:
    """Public: anyone. The services offered at a service point (by its address name or number), by
    agency and then by name, each with the channels through which the point offers it; optionally
    only those of one channel."""
    rate_limit_public(request)
    point = point_for(ref)
    rows = [
        {
            "id": entry.service.pk,
            "code": entry.service.code,
            "name": entry.service.name,
            "description": entry.service.description,
            "agency": group.agency,
            "channels": entry.channels,
            "typical_duration_minutes": entry.service.typical_duration_minutes,
            "requires_identification": entry.service.requires_identification,
        }
        for group in selectors.point_services(point=point, channel=filters.channel)
        for entry in group.services
    ]
    return paginate(rows, page)
