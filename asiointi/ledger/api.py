"""The ledger's operations of the API (docs/api.md): monthly statements, read-only. Staff only: a
point manager reads their points' statements, an agency coordinator their agency's, a network planner
and an administrator every statement; other roles get 403 ``forbidden``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema

from asiointi.core.api import ApiError, Page, PageParams, error_responses, paginate

from . import selectors
from .forms import parse_month

router = Router(tags=["statements"])


class StatementFilter(Schema):
    point: int | None = None
    month: str | None = None


class StatementLineOut(Schema):
    position: int
    kind: str
    description: str
    asti_type: str
    channel: str
    month_of: dt.date | None
    days: int | None
    quantity: int
    unit_price: Decimal
    amount: Decimal


class StatementOut(Schema):
    id: int
    point: str
    agency: str
    month: str
    status: str
    total: Decimal
    approved_at: dt.datetime | None
    sent_at: dt.datetime | None
    lines: list[StatementLineOut]


def _out(statement: object) -> dict[str, object]:
    s = statement
    return {
        "id": s.pk,  # type: ignore[attr-defined]
        "point": s.point.slug,  # type: ignore[attr-defined]
        "agency": s.agency.code,  # type: ignore[attr-defined]
        "month": f"{s.month:%Y-%m}",  # type: ignore[attr-defined]
        "status": s.status,  # type: ignore[attr-defined]
        "total": s.total,  # type: ignore[attr-defined]
        "approved_at": s.approved_at,  # type: ignore[attr-defined]
        "sent_at": s.sent_at,  # type: ignore[attr-defined]
        "lines": [
            {
                "position": line.position,
                "kind": line.kind,
                "description": selectors.line_description(line),
                "asti_type": line.asti_type,
                "channel": line.channel,
                "month_of": line.month_of,
                "days": line.days,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "amount": line.amount,
            }
            for line in s.lines.all()  # type: ignore[attr-defined]
        ],
    }


@router.get(
    "/statements",
    response={200: Page[StatementOut], **error_responses(401, 403, 422)},
    url_name="statement_list",
    summary="Monthly statements",
)
def statement_list(
    request: HttpRequest, filters: Query[StatementFilter], page: Query[PageParams]
) -> dict[str, object]:
    """Staff who read statements: the statements in the caller's scope, newest month first, optionally
    of one point (``point``, its number) and one month (``month``, YYYY-MM). Read-only."""
    try:
        rows = selectors.statement_list(viewer=request.auth)  # type: ignore[attr-defined]
    except PermissionDenied:
        raise ApiError(403, "forbidden") from None
    if filters.month:
        try:
            month = parse_month(filters.month)
        except ValidationError as error:
            raise ApiError(422, "month_in_future" if error.code == "future" else "month_invalid") from None
        rows = rows.filter(month=month)
    if filters.point is not None:
        rows = rows.filter(point_id=filters.point)
    result = paginate(rows.prefetch_related("lines"), page)
    result["items"] = [_out(s) for s in result["items"]]
    return result
