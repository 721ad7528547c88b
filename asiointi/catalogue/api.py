"""The catalogue's operations of the API (docs/api.md): the services of a service point by channel,
as the point's public page lists them, through the same selector; and the service finder
(docs/finder.md). Public: no sign-in, rate-limited per address."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Query, Router, Schema

from asiointi.core.api import (
    PUBLIC_ERRORS,
    ApiError,
    Page,
    PageParams,
    error_responses,
    paginate,
    rate_limit_public,
)
from asiointi.core.validators import search_text
from asiointi.network.api import point_for

from . import finder, selectors
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


# --- the service finder -----------------------------------------------------------------------------

#: The longest search text accepted; a longer one is refused (422), never cut silently.
SEARCH_MAX_LENGTH = finder.MAX_QUERY_LENGTH


class Names(Schema):
    fi: str
    sv: str
    en: str


class FinderServiceOut(Schema):
    id: int
    code: str
    name: Names
    typical_duration_minutes: int
    requires_identification: bool


class FinderAgencyOut(Schema):
    code: str
    name: Names
    short_name: Names
    website: str


class FinderActionOut(Schema):
    kind: Literal["eservice_guidance", "remote_meeting", "callback", "visiting_day"] = Field(
        description="What can be done: guidance in the e-service, a remote meeting with an expert, a "
        "callback request, or a visiting day of the agency's official."
    )
    label: str = Field(description="The action for people, in the request's language.")
    url: str = Field("", description="The agency's e-services (for eservice_guidance), when known.")
    day: dt.date | None = Field(None, description="The next visiting day, when a point was given.")


class FinderResultOut(Schema):
    service: FinderServiceOut
    agency: FinderAgencyOut
    score: float = Field(description="How well the service answers the query; higher is better.")
    actions: list[FinderActionOut]


class FinderOut(Schema):
    results: list[FinderResultOut] = Field(description="Best first.")


class FinderParams(Schema):
    q: str = Field(
        "", description=f"The need in the customer's words, at most {SEARCH_MAX_LENGTH} characters."
    )
    lang: Literal["fi", "sv", "en"] = Field("fi", description="The language of the query and of the answer.")
    limit: int = Field(10, ge=1, le=25, description="How many results at most.")


def _names(obj: object, field: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{field}_{lang}") or "" for lang in ("fi", "sv", "en")}


@router.get(
    "/services/search",
    response={200: FinderOut, **error_responses(*PUBLIC_ERRORS)},
    auth=None,
    url_name="service_search",
    summary="Find the services for a need",
)
def service_search(request: HttpRequest, params: Query[FinderParams]) -> dict[str, object]:
    """Public: anyone. The agency services that answer a need typed in Finnish, Swedish or English
    ("työttömyyskorvaus", "flyttanmälan", "lost my tax card"), best first, each with its agency, a
    score and what can be done for it. Tolerant of inflected forms, compounds, everyday words and
    typos (docs/finder.md)."""
    rate_limit_public(request)
    query = search_text(params.q, max_length=SEARCH_MAX_LENGTH + 1)
    if len(query) > SEARCH_MAX_LENGTH:
        raise ApiError(422, "search_query_too_long", params={"max": SEARCH_MAX_LENGTH})
    if not query:
        raise ApiError(422, "search_query_missing")
    with translation.override(params.lang):
        results = finder.service_search(query=query, language=params.lang, limit=params.limit)
        return {
            "results": [
                {
                    "service": {
                        "id": r.service.pk,
                        "code": r.service.code,
                        "name": _names(r.service, "name"),
                        "typical_duration_minutes": r.service.typical_duration_minutes,
                        "requires_identification": r.service.requires_identification,
                    },
                    "agency": {
                        "code": r.agency.code,
                        "name": _names(r.agency, "name"),
                        "short_name": _names(r.agency, "short_name"),
                        "website": r.agency.website,
                    },
                    "score": r.score,
                    "actions": [
                        {"kind": a.kind, "label": a.label, "url": a.url, "day": a.day} for a in r.actions
                    ],
                }
                for r in results
            ]
        }
