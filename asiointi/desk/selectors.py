"""Reads of the desk, each scoped by the viewer: an advisor sees the desk of their own points only;
an agency's experts and coordinators see their agency's callback requests only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from asiointi.accounts.models import User
from asiointi.accounts.selectors import user_scope
from asiointi.catalogue.models import Channel, Service
from asiointi.core.scope import Role
from asiointi.ledger.models import Transaction, TransactionSource
from asiointi.network.models import Agency, Booth, ServicePoint
from asiointi.network.selectors import HELSINKI
from asiointi.scheduling.selectors import booths_of_point

from .models import CallbackRequest, CallbackState, CallNowRequest, CallNowStatus
from .services import UNDO_WINDOW

#: The roles that work at a point's desk.
DESK_ROLES = (Role.ADVISOR.value,)
#: The roles that handle an agency's callback requests, and those that also read the agency's queue.
CALLBACK_HANDLERS = (Role.EXPERT.value,)
CALLBACK_AGENCY_READERS = (Role.EXPERT.value, Role.AGENCY_COORDINATOR.value)
#: Those who read the requests filed at their points (the deadlines), without the contact.
CALLBACK_POINT_READERS = (Role.ADVISOR.value, Role.POINT_MANAGER.value)
#: How far back the desk looks for a point's recent and frequent services.
FREQUENT_DAYS = 60
#: How many services get a number key on the desk.
SHORTCUTS = 9

Viewer = User | AnonymousUser


def desk_points(*, viewer: Viewer) -> list[ServicePoint]:
    """The points whose desk ``viewer`` works at; PermissionDenied for anyone else."""
    point_ids = user_scope(user=viewer).points_for(*DESK_ROLES)
    if not point_ids:
        raise PermissionDenied
    return list(ServicePoint.objects.filter(pk__in=point_ids).order_by("name"))


def access_desk_point(*, viewer: Viewer, slug: str) -> ServicePoint:
    """The point ``slug`` if ``viewer`` works at its desk; ServicePoint.DoesNotExist for another point
    (it does not exist for them), PermissionDenied for a role without a desk."""
    for point in desk_points(viewer=viewer):
        if point.slug == slug:
            return point
    raise ServicePoint.DoesNotExist


def access_desk_point_id(*, viewer: Viewer, point_id: int) -> ServicePoint:
    """The point ``point_id`` if ``viewer`` works at its desk, as :func:`access_desk_point`: only
    that point is read (the API's hot path), after the viewer's scope allowed it."""
    point_ids = user_scope(user=viewer).points_for(*DESK_ROLES)
    if not point_ids:
        raise PermissionDenied
    if point_id not in point_ids:
        raise ServicePoint.DoesNotExist
    return ServicePoint.objects.get(pk=point_id)


@dataclass(frozen=True)
class DeskService:
    service: Service
    #: The number key that chooses it on the desk ("" for none).
    key: str
    recent_count: int


def desk_services(*, point: ServicePoint, now: dt.datetime | None = None) -> list[DeskService]:
    """The active services offered at ``point``, the point's most frequent ones of the last
    :data:`FREQUENT_DAYS` days first (the most recent first among equals), then by agency and name.
    The first :data:`SHORTCUTS` get the number keys 1–9. Two queries."""
    now = now or timezone.now()
    usage = {
        row["service"]: (row["n"] or 0, row["last"])
        for row in Transaction.objects.filter(
            point=point,
            service__isnull=False,
            occurred_at__gte=now - dt.timedelta(days=FREQUENT_DAYS),
            occurred_at__lte=now,
        )
        .values("service")
        .annotate(n=Sum("count"), last=Max("occurred_at"))
    }
    services = list(
        Service.objects.filter(offerings__point=point, is_active=True).select_related("agency").distinct()
    )
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)

    def order(service: Service) -> tuple[int, float, str, str]:
        n, last = usage.get(service.pk, (0, None))
        return (-n, -(last or oldest).timestamp(), str(service.agency.name), str(service.name))

    services.sort(key=order)
    return [
        DeskService(s, str(i + 1) if i < SHORTCUTS else "", usage.get(s.pk, (0, None))[0])
        for i, s in enumerate(services)
    ]


@dataclass(frozen=True)
class AgencyCount:
    agency: Agency
    today: int
    month: int


def desk_counts(*, point: ServicePoint, now: dt.datetime | None = None) -> list[AgencyCount]:
    """Today's and this month's transactions at ``point`` per agency (Helsinki days, reversals
    subtracted), summed in the database: two queries."""
    now = (now or timezone.now()).astimezone(HELSINKI)
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    month = today.replace(day=1)
    rows = list(
        Transaction.objects.filter(point=point, occurred_at__gte=month)
        .values("agency")
        .annotate(today=Sum("count", filter=Q(occurred_at__gte=today), default=0), month=Sum("count"))
        .order_by()
    )
    agencies = Agency.objects.in_bulk([r["agency"] for r in rows])
    counts = [AgencyCount(agencies[r["agency"]], r["today"] or 0, r["month"] or 0) for r in rows]
    counts.sort(key=lambda c: (-c.month, str(c.agency.name)))
    return counts


def desk_recent(*, point: ServicePoint, now: dt.datetime | None = None, limit: int = 5) -> list[Transaction]:
    """The point's latest desk transactions that may still be undone (within the window, not undone)."""
    now = now or timezone.now()
    return list(
        Transaction.objects.filter(
            point=point,
            source=TransactionSource.DESK,
            reverses__isnull=True,
            reversal__isnull=True,
            recorded_at__gte=now - UNDO_WINDOW,
        )
        .select_related("agency", "service")
        .order_by("-recorded_at", "-pk")[:limit]
    )


def access_desk_transaction(*, viewer: Viewer, point: ServicePoint, pk: int) -> Transaction:
    """A desk transaction of ``point`` (for its receipt); DoesNotExist for any other."""
    return Transaction.objects.select_related("agency", "service", "point").get(
        pk=pk, point=point, source=TransactionSource.DESK, reverses__isnull=True
    )


# --- callback requests ---------------------------------------------------------------------------


def callbacks_allowed(*, viewer: Viewer) -> bool:
    scope = user_scope(user=viewer)
    return scope.is_administrator or scope.has_role(*CALLBACK_AGENCY_READERS, *CALLBACK_POINT_READERS)


def callbacks_visible(*, viewer: Viewer) -> QuerySet[CallbackRequest]:
    """The callback requests ``viewer`` may see: an agency's experts and coordinators their agency's,
    advisors and point managers those filed at their points, administrators all; nothing for others."""
    scope = user_scope(user=viewer)
    if scope.is_administrator:
        return CallbackRequest.objects.all()
    agencies = scope.agencies_for(*CALLBACK_AGENCY_READERS)
    points = scope.points_for(*CALLBACK_POINT_READERS)
    if not agencies and not points:
        return CallbackRequest.objects.none()
    return CallbackRequest.objects.filter(Q(agency_id__in=agencies) | Q(point_id__in=points))


def access_callback_queue(*, viewer: Viewer) -> QuerySet[CallbackRequest]:
    """The callback requests ``viewer`` may see (:func:`callbacks_visible`); PermissionDenied for a
    role without a callback queue. Every scoped read of callback requests starts here."""
    if not callbacks_allowed(viewer=viewer):
        raise PermissionDenied
    return callbacks_visible(viewer=viewer)


def callback_queue(
    *, viewer: Viewer, include_closed: bool = False, agency_id: int | None = None
) -> list[CallbackRequest]:
    """The callback requests ``viewer`` sees, open ones by deadline (overdue first), with their
    attempt counts: one query. PermissionDenied for a role without a callback queue."""
    rows = access_callback_queue(viewer=viewer)
    if not include_closed:
        rows = rows.exclude(state=CallbackState.CLOSED)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    return list(
        rows.select_related("agency", "point", "service", "claimed_by")
        .annotate(attempt_count=Count("attempts"))
        .order_by("state", "due_on", "created_at")[:500]
    )


def access_callback(*, viewer: Viewer, pk: int, handle: bool = False) -> CallbackRequest:
    """A callback request ``viewer`` may see; CallbackRequest.DoesNotExist for any other,
    PermissionDenied for a role without a callback queue, and with ``handle`` for someone who may
    see the request but not claim, try or close it (:func:`callback_may_handle`)."""
    row = (
        access_callback_queue(viewer=viewer)
        .select_related("agency", "point", "service", "claimed_by")
        .get(pk=pk)
    )
    if handle and not callback_may_handle(viewer=viewer, request=row):
        raise PermissionDenied
    return row


def callback_contact_visible(*, viewer: Viewer, request: CallbackRequest) -> bool:
    """Whether ``viewer`` sees the customer's contact: the experts of the request's agency (who call
    back) and administrators."""
    scope = user_scope(user=viewer)
    return scope.is_administrator or request.agency_id in scope.agencies_for(*CALLBACK_HANDLERS)


def callback_may_handle(*, viewer: Viewer, request: CallbackRequest) -> bool:
    """Whether ``viewer`` may claim, try and close the request: the experts of its agency."""
    return request.agency_id in user_scope(user=viewer).agencies_for(*CALLBACK_HANDLERS)


def callback_overdue(request: CallbackRequest, *, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate(timezone=HELSINKI)
    return request.state != CallbackState.CLOSED and request.due_on < today


def callback_agencies(*, point: ServicePoint) -> QuerySet[Agency]:
    """The agencies for which the point's advisor may file a callback request: those whose services
    are offered at the point."""
    return (
        Agency.objects.filter(services__offerings__point=point, services__is_active=True)
        .distinct()
        .order_by("name")
    )


# --- the "call now" queue ----------------------------------------------------------------------------

#: The roles that take calls from their agency's call-now queue.
CALL_NOW_EXPERTS = (Role.EXPERT.value,)


def callnow_agencies(*, point: ServicePoint) -> QuerySet[Agency]:
    """The agencies whose services the point offers for remote service (a call can be queued for)."""
    return (
        Agency.objects.filter(
            services__offerings__point=point,
            services__offerings__channel=Channel.REMOTE_MEETING,
            services__is_active=True,
        )
        .distinct()
        .order_by("name")
    )


def callnow_services(*, point: ServicePoint) -> list[Service]:
    """The active services that the point offers for remote service, by agency and name."""
    services = list(
        Service.objects.filter(
            offerings__point=point, offerings__channel=Channel.REMOTE_MEETING, is_active=True
        )
        .select_related("agency")
        .distinct()
    )
    services.sort(key=lambda s: (str(s.agency.name), str(s.name)))
    return services


def callnow_booths(*, point: ServicePoint) -> QuerySet[Booth]:
    """The booths of the point in use (a call is queued for one of them)."""
    return booths_of_point(point=point)


def access_callnow_agencies(*, viewer: Viewer) -> list[int]:
    """The agencies whose call-now queue ``viewer`` takes calls from (as an expert); PermissionDenied
    for anyone else."""
    agencies = sorted(user_scope(user=viewer).agencies_for(*CALL_NOW_EXPERTS))
    if not agencies:
        raise PermissionDenied
    return agencies


def access_callnow(*, viewer: Viewer, pk: int) -> CallNowRequest:
    """A call-now request of one of ``viewer``'s agencies (to accept it); CallNowRequest.DoesNotExist
    for another agency's (it does not exist for them), PermissionDenied for a role without a queue."""
    agencies = access_callnow_agencies(viewer=viewer)
    return CallNowRequest.objects.select_related("agency", "point", "booth", "service").get(
        pk=pk, agency_id__in=agencies
    )


def access_desk_callnow(*, viewer: Viewer, point: ServicePoint, pk: int) -> CallNowRequest:
    """A call-now request queued at ``point`` (whose desk ``viewer`` works at; the caller has checked
    it through :func:`access_desk_point`); DoesNotExist for any other."""
    return CallNowRequest.objects.select_related("agency", "point", "booth", "service").get(
        pk=pk, point=point
    )


@dataclass(frozen=True)
class QueuedCall:
    request: CallNowRequest
    #: 1 for the next call the agency's experts take (the agency's queue is shared by all its points).
    position: int
    #: The estimated wait from now; None when the agency has no recent accepted calls to go by.
    estimate: dt.timedelta | None

    @property
    def estimate_minutes(self) -> int | None:
        """The estimate in whole minutes, rounded up (at least 1 while waiting)."""
        if self.estimate is None:
            return None
        return max(1, -(-int(self.estimate.total_seconds()) // 60))


def callnow_mean_wait(
    *, agency_ids: Iterable[int], now: dt.datetime | None = None
) -> dict[int, dt.timedelta]:
    """Per agency, the mean time from queueing to acceptance over its last
    ``settings.CALL_NOW_ESTIMATE_SAMPLES`` accepted calls of the last ``CALL_NOW_ESTIMATE_DAYS`` days;
    agencies without such calls are left out. One query."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=settings.CALL_NOW_ESTIMATE_DAYS)
    samples = settings.CALL_NOW_ESTIMATE_SAMPLES
    rows = (
        CallNowRequest.objects.filter(
            agency_id__in=list(agency_ids), accepted_at__isnull=False, accepted_at__gte=since
        )
        .order_by("agency_id", "-accepted_at")
        .values_list("agency_id", "created_at", "accepted_at")[:2000]
    )
    waits: dict[int, list[dt.timedelta]] = {}
    for agency_id, created, accepted in rows:
        kept = waits.setdefault(agency_id, [])
        if accepted is not None and len(kept) < samples:
            kept.append(max(accepted - created, dt.timedelta(0)))
    return {a: sum(w, dt.timedelta(0)) / len(w) for a, w in waits.items() if w}


def callnow_estimate(
    *, position: int, waited: dt.timedelta, mean_wait: dt.timedelta | None
) -> dt.timedelta | None:
    """The estimated wait of the call at ``position`` that has waited ``waited``: the agency's mean
    wait (:func:`callnow_mean_wait`) times the position, less the time waited already (never below
    zero); None without a mean. The calls ahead are taken one after another at the mean pace: a
    simple, honest estimate that errs towards a longer wait when several experts are free."""
    if mean_wait is None:
        return None
    return max(mean_wait * position - waited, dt.timedelta(0))


def _queued(rows: list[CallNowRequest], now: dt.datetime) -> list[QueuedCall]:
    """Positions and estimates of waiting ``rows`` within their agencies' whole queues: two queries."""
    agency_ids = {r.agency_id for r in rows}
    if not agency_ids:
        return []
    order: dict[int, list[int]] = {}
    for pk, agency_id in (
        CallNowRequest.objects.filter(agency_id__in=agency_ids, status=CallNowStatus.WAITING)
        .order_by("created_at", "pk")
        .values_list("pk", "agency_id")
    ):
        order.setdefault(agency_id, []).append(pk)
    means = callnow_mean_wait(agency_ids=agency_ids, now=now)
    queued = []
    for row in rows:
        ids = order.get(row.agency_id, [])
        position = ids.index(row.pk) + 1 if row.pk in ids else 1
        estimate = callnow_estimate(
            position=position, waited=now - row.created_at, mean_wait=means.get(row.agency_id)
        )
        queued.append(QueuedCall(row, position, estimate))
    return queued


def callnow_point_queue(*, point: ServicePoint, now: dt.datetime | None = None) -> list[QueuedCall]:
    """The point's waiting calls with each one's position in its agency's queue and estimated wait,
    then the calls taken in the last hour (position 0): four queries."""
    now = now or timezone.now()
    rows = list(
        CallNowRequest.objects.filter(point=point)
        .filter(
            Q(status=CallNowStatus.WAITING)
            | Q(status=CallNowStatus.ACCEPTED, accepted_at__gte=now - dt.timedelta(hours=1))
        )
        .select_related("agency", "booth", "service", "accepted_by")
        .order_by("created_at", "pk")
    )
    waiting = [r for r in rows if r.status == CallNowStatus.WAITING]
    taken = [QueuedCall(r, 0, None) for r in rows if r.status != CallNowStatus.WAITING]
    return _queued(waiting, now) + taken


def callnow_agency_queue(*, viewer: Viewer, now: dt.datetime | None = None) -> list[QueuedCall]:
    """The waiting calls of ``viewer``'s agencies (as an expert), oldest first; PermissionDenied for
    anyone else. Four queries."""
    now = now or timezone.now()
    agencies = access_callnow_agencies(viewer=viewer)
    rows = list(
        CallNowRequest.objects.filter(agency_id__in=agencies, status=CallNowStatus.WAITING)
        .select_related("agency", "point", "booth", "service")
        .order_by("created_at", "pk")[:200]
    )
    return _queued(rows, now)
