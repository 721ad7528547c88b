"""Reads of the ledger: monthly aggregation by point, agency and ASTI type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.utils import timezone

from asiointi.accounts.models import Role, User
from asiointi.accounts.selectors import user_scope

from .models import Feedback, FeedbackToken, Transaction


@dataclass(frozen=True)
class MonthlyCount:
    point_id: int
    agency_id: int
    asti_type: str
    transactions: int
    duration_seconds: int


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The start of the month and the start of the next one, in Finnish time."""
    zone = ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime(year, month, 1, tzinfo=zone)
    end = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
    return start, end


def transaction_monthly_counts(
    *, year: int, month: int, point_ids: Iterable[int] | None = None, agency_ids: Iterable[int] | None = None
) -> list[MonthlyCount]:
    """Transactions of one month counted by point, agency and ASTI type, optionally only for
    some points or agencies (the caller passes the viewer's scope). One query on the
    (point, occurred_at) or (agency, occurred_at) index."""
    start, end = month_bounds(year, month)
    rows = Transaction.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
    if point_ids is not None:
        rows = rows.filter(point_id__in=list(point_ids))
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    grouped = (
        rows.values("point_id", "agency_id", "asti_type")
        .annotate(transactions=Count("id"), duration=Sum("duration_seconds"))
        .order_by("point_id", "agency_id", "asti_type")
    )
    return [
        MonthlyCount(r["point_id"], r["agency_id"], r["asti_type"], r["transactions"], r["duration"] or 0)
        for r in grouped
    ]


# --- Customer feedback (issue 20) ---------------------------------------------------------------


def feedback_token_state(*, token: str, now: dt.datetime | None = None) -> str:
    """Whether the feedback key ``token`` can be used: "valid", "unknown", "expired" or "used".
    Reading does not use the key up."""
    from .services import feedback_token_hash

    now = now or timezone.now()
    row = (
        FeedbackToken.objects.filter(token_hash=feedback_token_hash(token))
        .only("used_at", "expires_at")
        .first()
    )
    if row is None:
        return "unknown"
    if row.used_at is not None:
        return "used"
    return "expired" if row.expires_at <= now else "valid"


def feedback_text_allowed(*, viewer: User | AnonymousUser) -> bool:
    scope = user_scope(user=viewer)
    return scope.is_administrator or bool(scope.agencies_for(Role.AGENCY_COORDINATOR))


def feedback_text_list(*, viewer: User | AnonymousUser, limit: int = 200) -> list[Feedback]:
    """The newest feedback that has free text, for those who may read it: the agency coordinators of
    the transaction's agency, and administrators (every agency). Anyone else: PermissionDenied.
    The transaction's point, agency and service come in the same query."""
    scope = user_scope(user=viewer)
    rows = Feedback.objects.exclude(text="").select_related(
        "transaction__point", "transaction__agency", "transaction__service"
    )
    if not scope.is_administrator:
        agencies = scope.agencies_for(Role.AGENCY_COORDINATOR)
        if not agencies:
            raise PermissionDenied
        rows = rows.filter(transaction__agency_id__in=agencies)
    return list(rows.order_by("-created_at")[:limit])
