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


# --- point profiles and their gaps -------------------------------------------------------------


class ProfileOut(Schema):
    code: str
    name: str
    level: int = Field(description="The fuller the profile, the higher its level.")
    min_visiting_days_per_month: int


class RequirementOut(Schema):
    agency: ServiceAgencyOut
    channels: list[Channel] = Field(description="Any one of these channels meets the requirement.")
    offered: list[Channel] = Field(description="The channels of the requirement that the point offers.")
    met: bool


class MonthVisitsOut(Schema):
    month: str = Field(description="The month, YYYY-MM.")
    days: int = Field(description="Distinct visiting days at the point in the month, closed days left out.")
    enough: bool


class PointGapsOut(Schema):
    point: str = Field(description="The point's address name.")
    name: str
    region: str = Field(description="The code of the point's region.")
    profile: ProfileOut | None
    has_gaps: bool
    requirements: list[RequirementOut]
    visiting_days: list[MonthVisitsOut] = Field(
        description="By month, when the profile asks for visiting days (a mobile point)."
    )


def _gaps_out(checked: selectors.PointGaps) -> dict[str, object]:
    profile = checked.profile
    needed = profile.min_visiting_days_per_month if profile else 0
    return {
        "point": checked.point.slug,
        "name": checked.point.name,
        "region": checked.point.municipality.region.code,
        "profile": profile,
        "has_gaps": checked.has_gaps,
        "requirements": [
            {
                "agency": c.requirement.agency,
                "channels": c.channels,
                "offered": list(c.offered),
                "met": c.met,
            }
            for c in checked.checks
        ],
        "visiting_days": [
            {"month": m.month.strftime("%Y-%m"), "days": m.days, "enough": m.days >= needed}
            for m in checked.months
        ],
    }


@router.get(
    "/points/{ref}/gaps",
    response={200: PointGapsOut, **error_responses(404, *PUBLIC_ERRORS)},
    auth=None,
    url_name="point_gaps",
    summary="A service point against its profile",
)
def point_gaps(request: HttpRequest, ref: str) -> dict[str, object]:
    """Public: anyone. What a service point (by its address name or number) offers against its
    profile: each required agency and channels with what the point offers of them, the visiting days
    by month for a profile that asks for them, and whether anything is lacking. A point without a
    profile has no requirements and no gaps."""
    rate_limit_public(request)
    return _gaps_out(selectors.point_gaps(point=point_for(ref)))


class RegionFilter(Schema):
    region: str | None = Field(
        None, pattern=r"^\d{2}$", description="Only the points of this region (its two-digit code)."
    )


@router.get(
    "/gaps",
    response={200: Page[PointGapsOut], **error_responses(*PUBLIC_ERRORS)},
    auth=None,
    url_name="gap_list",
    summary="Service points with gaps against their profiles",
)
def gap_list(
    request: HttpRequest, filters: Query[RegionFilter], page: Query[PageParams]
) -> dict[str, object]:
    """Public: anyone. The active service points that lack something their profile requires, by
    region and then by name; optionally only one region's."""
    rate_limit_public(request)
    rows = [
        _gaps_out(checked)
        for group in selectors.network_gaps(region_code=filters.region)
        for checked in group.points
    ]
    return paginate(rows, page)
