"""The network's operations of the API (docs/api.md): service points and agencies, the data of the
public pages, read through the same selectors. Public: no sign-in, rate-limited per address."""

from __future__ import annotations

import datetime as dt
import re

from django.http import HttpRequest
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

from . import selectors
from .models import Agency, AgencyKind, PointKind, ServicePoint

router = Router(tags=["network"])

#: What an address name (slug) or an agency's code may be; anything else is not found, unasked.
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class RegionOut(Schema):
    code: str
    name: str


class MunicipalityOut(Schema):
    code: str = Field(description="Statistics Finland's three-digit municipality code.")
    name: str
    region: RegionOut


class PointOut(Schema):
    id: int
    slug: str = Field(description="The point's address name, as in its public page's address.")
    name: str
    description: str
    kind: PointKind
    municipality: MunicipalityOut
    street_address: str
    postal_code: str
    post_office: str
    lat: float
    lon: float
    phone: str
    email: str
    languages: list[str] = Field(description="The languages served, as language codes.")
    active_from: dt.date
    active_to: dt.date | None


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    description: str
    kind: AgencyKind
    website: str


def point_for(ref: str) -> ServicePoint:
    """The point whose slug, or else whose number, ``ref`` is; 404 with ``point_not_found``."""
    if not SLUG.fullmatch(ref):
        raise ApiError(404, "point_not_found")
    try:
        return selectors.point_get_public(slug=ref)
    except ServicePoint.DoesNotExist:
        pass
    if ref.isdigit() and len(ref) < 19:
        try:
            return selectors.point_get_public(pk=int(ref))
        except ServicePoint.DoesNotExist:
            pass
    raise ApiError(404, "point_not_found")


@router.get(
    "/points",
    response={200: Page[PointOut], **error_responses(*PUBLIC_ERRORS)},
    auth=None,
    url_name="point_list",
    summary="Service points",
)
def point_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """Public: anyone. The service points active today, by name, a page at a time."""
    rate_limit_public(request)
    return paginate(selectors.point_list_public().order_by("name", "pk"), page)


@router.get(
    "/points/{ref}",
    response={200: PointOut, **error_responses(404, *PUBLIC_ERRORS)},
    auth=None,
    url_name="point_detail",
    summary="One service point",
)
def point_detail(request: HttpRequest, ref: str) -> ServicePoint:
    """Public: anyone. One service point by its address name (slug) or its number (id), active or
    not, as its public page shows it."""
    rate_limit_public(request)
    return point_for(ref)


@router.get(
    "/agencies",
    response={200: Page[AgencyOut], **error_responses(*PUBLIC_ERRORS)},
    auth=None,
    url_name="agency_list",
    summary="Agencies",
)
def agency_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, object]:
    """Public: anyone. The agencies whose services the points offer, by name."""
    rate_limit_public(request)
    return paginate(selectors.agency_list_public().order_by("name", "pk"), page)


@router.get(
    "/agencies/{code}",
    response={200: AgencyOut, **error_responses(404, *PUBLIC_ERRORS)},
    auth=None,
    url_name="agency_detail",
    summary="One agency",
)
def agency_detail(request: HttpRequest, code: str) -> Agency:
    """Public: anyone. One agency by its code."""
    rate_limit_public(request)
    if not SLUG.fullmatch(code):
        raise ApiError(404, "agency_not_found")
    try:
        return selectors.agency_get_public(code=code)
    except Agency.DoesNotExist:
        raise ApiError(404, "agency_not_found") from None
