"""Reads of point profiles: what each point lacks of what its profile requires (its gaps), point by
point and for the whole network by region. The selectors of :mod:`asiointi.catalogue.selectors`
offer these to the other apps.

A requirement (an agency and one or more channels) is met when the point offers at least one active
service of that agency through one of the channels; a visiting schedule of the agency at the point
that gives visiting days in the months looked at also counts as the visiting-official channel. A
profile that asks for visiting days (a mobile point) is met when every month looked at has at least
that many distinct visiting days at the point, days when the point is closed left out."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from asiointi.core.scope import Role, Scope, user_scope
from asiointi.network.models import Region, ServicePoint, VisitingSchedule
from asiointi.network.selectors import point_list_public, visiting_schedule_dates

from .models import Channel, PointProfile, PointProfileAssignment, ProfileRequirement, ServiceOffering

#: How many calendar months, from the one of the day asked about, the visiting days are counted in.
VISITING_MONTHS = 3

CHANNEL_ORDER = {code: i for i, code in enumerate(Channel.values)}


@dataclass(frozen=True)
class RequirementCheck:
    """A requirement of the point's profile, and the channels of it that the point offers."""

    requirement: ProfileRequirement
    offered: tuple[str, ...]

    @property
    def met(self) -> bool:
        return bool(self.offered)

    @property
    def channels(self) -> list[str]:
        return sorted(self.requirement.channels, key=lambda c: CHANNEL_ORDER.get(c, 99))

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(c).label) for c in self.channels]


@dataclass(frozen=True)
class MonthVisits:
    month: dt.date  # the first day of the month
    days: int


@dataclass
class PointGaps:
    """A point against its profile: each requirement met or not, the visiting days by month when the
    profile asks for them, and the gaps (the requirements not met, and a month short of days)."""

    point: ServicePoint
    profile: PointProfile | None
    checks: list[RequirementCheck] = field(default_factory=list)
    months: list[MonthVisits] = field(default_factory=list)

    @property
    def missing(self) -> list[RequirementCheck]:
        return [c for c in self.checks if not c.met]

    @property
    def short_months(self) -> list[MonthVisits]:
        needed = self.profile.min_visiting_days_per_month if self.profile else 0
        return [m for m in self.months if m.days < needed]

    @property
    def has_gaps(self) -> bool:
        return bool(self.missing or self.short_months)

    @property
    def gap_count(self) -> int:
        return len(self.missing) + len(self.short_months)


@dataclass
class RegionGaps:
    region: Region
    points: list[PointGaps] = field(default_factory=list)


def _months(on: dt.date) -> list[tuple[dt.date, dt.date]]:
    first = on.replace(day=1)
    spans = []
    for _ in range(VISITING_MONTHS):
        following = (first + dt.timedelta(days=32)).replace(day=1)
        spans.append((first, following - dt.timedelta(days=1)))
        first = following
    return spans


def _window(on: dt.date) -> tuple[dt.date, dt.date]:
    spans = _months(on)
    return spans[0][0], spans[-1][1]


def _offered(point_ids: list[int], on: dt.date) -> dict[int, set[tuple[int, str]]]:
    """(agency id, channel) pairs each point offers: its active services' offerings, and the
    agencies visiting it in the window as visiting officials. Two queries."""
    offered: dict[int, set[tuple[int, str]]] = defaultdict(set)
    rows = ServiceOffering.objects.filter(point_id__in=point_ids, service__is_active=True).values_list(
        "point_id", "service__agency_id", "channel"
    )
    for point_id, agency_id, channel in rows:
        offered[point_id].add((agency_id, channel))
    start, end = _window(on)
    visits = (
        VisitingSchedule.objects.filter(point_id__in=point_ids, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .values_list("point_id", "agency_id")
    )
    for point_id, agency_id in visits:
        offered[point_id].add((agency_id, Channel.VISITING_OFFICIAL.value))
    return offered


def _visiting_months(point: ServicePoint, on: dt.date) -> list[MonthVisits]:
    """Distinct visiting days at ``point`` in each month of the window (closed days left out)."""
    start, end = _window(on)
    schedules = (
        VisitingSchedule.objects.filter(point=point, valid_from__lte=end)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .select_related("point")
    )
    days: set[dt.date] = set()
    for schedule in schedules:
        days.update(visiting_schedule_dates(schedule=schedule, start=start, end=end))
    return [MonthVisits(first, sum(1 for d in days if first <= d <= last)) for first, last in _months(on)]


def _check(
    point: ServicePoint, profile: PointProfile | None, offered: set[tuple[int, str]], on: dt.date
) -> PointGaps:
    if profile is None:
        return PointGaps(point, None)
    checks = [
        RequirementCheck(
            requirement,
            tuple(
                sorted(
                    (c for c in requirement.channels if (requirement.agency_id, c) in offered),
                    key=lambda c: CHANNEL_ORDER.get(c, 99),
                )
            ),
        )
        for requirement in profile.requirements.all()
    ]
    months = _visiting_months(point, on) if profile.min_visiting_days_per_month else []
    return PointGaps(point, profile, checks, months)


def _profiles() -> Prefetch:
    return Prefetch(
        "profile__requirements",
        queryset=ProfileRequirement.objects.select_related("agency").order_by("agency__name", "id"),
    )


def point_gaps(*, point: ServicePoint, on: dt.date | None = None) -> PointGaps:
    """``point`` against its profile on ``on`` (today by default); no checks when it has none."""
    on = on or timezone.localdate()
    assignment = (
        PointProfileAssignment.objects.filter(point=point)
        .select_related("profile")
        .prefetch_related(_profiles())
        .first()
    )
    profile = assignment.profile if assignment else None
    offered = _offered([point.pk], on)[point.pk] if profile else set()
    return _check(point, profile, offered, on)


def points_gaps(
    *, points: list[ServicePoint], on: dt.date | None = None, only_gaps: bool = True
) -> list[PointGaps]:
    """Each of ``points`` that has a profile against it, in the order given; only those with gaps
    unless ``only_gaps`` is false. A few queries whatever the number of points, and one more per
    point whose profile asks for visiting days."""
    on = on or timezone.localdate()
    ids = [p.pk for p in points]
    assignments = {
        a.point_id: a.profile
        for a in PointProfileAssignment.objects.filter(point_id__in=ids)
        .select_related("profile")
        .prefetch_related(_profiles())
    }
    offered = _offered([pk for pk in ids if pk in assignments], on)
    found = []
    for point in points:
        profile = assignments.get(point.pk)
        if profile is None:
            continue
        checked = _check(point, profile, offered.get(point.pk, set()), on)
        if checked.has_gaps or not only_gaps:
            found.append(checked)
    return found


def network_gaps(
    *, region_code: str | None = None, on: dt.date | None = None, scope: Scope | None = None
) -> list[RegionGaps]:
    """The active points with gaps, by region (by code) and then by name; only one region's with
    ``region_code``; only the points of the point manager's or advisor's own points when ``scope``
    is of one who plans nothing (a planner's or an administrator's scope sees every point)."""
    on = on or timezone.localdate()
    points = point_list_public(on=on).order_by("municipality__region__code", "name")
    if region_code:
        points = points.filter(municipality__region__code=region_code)
    if scope is not None and not (scope.is_administrator or scope.has_role(Role.NETWORK_PLANNER)):
        points = points.filter(pk__in=scope.points_for(Role.POINT_MANAGER, Role.ADVISOR))
    groups: dict[int, RegionGaps] = {}
    for checked in points_gaps(points=list(points), on=on):
        region = checked.point.municipality.region
        groups.setdefault(region.pk, RegionGaps(region)).points.append(checked)
    return list(groups.values())


def point_profile_levels(*, on: dt.date | None = None) -> dict[str, tuple[int, str]]:
    """The level and the profile code of each active point that has a profile, by the point's address
    name (the planner's site id)."""
    points = point_list_public(on=on).filter(profile_assignment__isnull=False)
    return {
        slug: (level, code)
        for slug, level, code in points.values_list(
            "slug", "profile_assignment__profile__level", "profile_assignment__profile__code"
        )
    }


def profile_list() -> list[PointProfile]:
    """The profiles, the fullest first."""
    return list(
        PointProfile.objects.prefetch_related(
            Prefetch("requirements", queryset=ProfileRequirement.objects.select_related("agency"))
        )
    )


def point_gaps_against(*, point: ServicePoint, profile: PointProfile, on: dt.date | None = None) -> PointGaps:
    """``point`` against ``profile`` whether or not it has that profile: what giving it the profile
    would show as its gaps."""
    on = on or timezone.localdate()
    profile = PointProfile.objects.prefetch_related(
        Prefetch(
            "requirements",
            queryset=ProfileRequirement.objects.select_related("agency").order_by("agency__name", "id"),
        )
    ).get(pk=profile.pk)
    return _check(point, profile, _offered([point.pk], on)[point.pk], on)


# Who keeps the profiles and gives them to points (DESIGN.md: the network planner, who plans the
# network of points, and the administrator); a point manager reads their own points' profiles and
# gaps. Each access_* function refuses (403) a viewer outside these roles.


def _profile_keeper(scope: Scope) -> bool:
    return scope.is_administrator or scope.has_role(Role.NETWORK_PLANNER)


def access_profile_keeping(*, viewer: Any) -> Scope:
    """The scope of ``viewer`` when they keep the profiles (planners and administrators), else 403."""
    scope = user_scope(user=viewer)
    if not _profile_keeper(scope):
        raise PermissionDenied
    return scope


def access_profile(*, viewer: Any, profile_id: int) -> PointProfile:
    """One profile to change or delete: 403 for a viewer who keeps no profiles, 404 for one that
    does not exist."""
    access_profile_keeping(viewer=viewer)
    try:
        return PointProfile.objects.prefetch_related(
            Prefetch("requirements", queryset=ProfileRequirement.objects.select_related("agency"))
        ).get(pk=profile_id)
    except PointProfile.DoesNotExist:
        raise Http404 from None


def profile_list_in_use(*, viewer: Any) -> list[tuple[PointProfile, int]]:
    """The profiles, the fullest first, each with how many service points have it; 403 for a viewer
    who keeps no profiles."""
    access_profile_keeping(viewer=viewer)
    profiles = PointProfile.objects.annotate(points=Count("assignments")).prefetch_related(
        Prefetch("requirements", queryset=ProfileRequirement.objects.select_related("agency"))
    )
    return [(profile, profile.points) for profile in profiles]


def points_with_profiles(*, viewer: Any, on: dt.date | None = None) -> tuple[list[PointGaps], bool]:
    """The active service points that ``viewer`` works with, each against its profile (none when it
    has none), by region and name; and whether the viewer may change their profiles. Planners and
    administrators: every point; a point manager: their own points; anyone else 403."""
    scope = user_scope(user=viewer)
    keeper = _profile_keeper(scope)
    points = point_list_public(on=on).order_by("municipality__region__code", "name")
    if not keeper:
        managed = scope.points_for(Role.POINT_MANAGER)
        if not managed:
            raise PermissionDenied
        points = points.filter(pk__in=managed)
    found = list(points)
    checked = {c.point.pk: c for c in points_gaps(points=found, on=on, only_gaps=False)}
    return [checked.get(point.pk) or PointGaps(point, None) for point in found], keeper


def access_point_profile(*, viewer: Any, slug: str) -> tuple[ServicePoint, bool]:
    """A service point whose profile ``viewer`` reads, and whether they may change it: planners and
    administrators any point (change), a point manager their own (read only; another point is 404);
    anyone else 403."""
    scope = user_scope(user=viewer)
    keeper = _profile_keeper(scope)
    managed = scope.points_for(Role.POINT_MANAGER)
    if not (keeper or managed):
        raise PermissionDenied
    points = ServicePoint.objects.select_related("municipality", "municipality__region")
    if not keeper:
        points = points.filter(pk__in=managed)
    try:
        return points.get(slug=slug), keeper
    except ServicePoint.DoesNotExist:
        raise Http404 from None
