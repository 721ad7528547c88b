"""Writes of the catalogue: point profiles, their requirements and the profile of each point.

Every write checks its input with the models' own validation first and refuses, with a translated
message naming what is wrong, before anything is saved (a :class:`ValidationError`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.db import transaction

from asiointi.network.models import Agency, ServicePoint

from .models import PointProfile, PointProfileAssignment, ProfileRequirement


@transaction.atomic
def point_profile_create(
    *,
    code: str,
    level: int,
    names: Mapping[str, str],
    descriptions: Mapping[str, str] | None = None,
    point_kinds: Sequence[str] = (),
    min_visiting_days_per_month: int = 0,
    requirements: Iterable[tuple[Agency, Sequence[str]]] = (),
) -> PointProfile:
    """A new profile with its requirements (each an agency and its channels, any of which meets
    it). ``names`` and ``descriptions`` are by language (fi, sv, en). Nothing is saved if any part
    is refused."""
    descriptions = descriptions or {}
    profile = PointProfile(
        code=code,
        name=names.get("fi", ""),
        description=descriptions.get("fi", ""),
        level=level,
        point_kinds=list(point_kinds),
        min_visiting_days_per_month=min_visiting_days_per_month,
    )
    for language in ("fi", "sv", "en"):
        setattr(profile, f"name_{language}", names.get(language, names.get("fi", "")))
        setattr(profile, f"description_{language}", descriptions.get(language, descriptions.get("fi", "")))
    profile.full_clean()
    profile.save()
    for agency, channels in requirements:
        point_profile_requirement_add(profile=profile, agency=agency, channels=channels)
    return profile


@transaction.atomic
def point_profile_requirement_add(
    *, profile: PointProfile, agency: Agency, channels: Sequence[str]
) -> ProfileRequirement:
    """A requirement of ``profile``: ``agency``'s services through one of ``channels``."""
    requirement = ProfileRequirement(profile=profile, agency=agency, channels=list(channels))
    requirement.full_clean()
    requirement.save()
    return requirement


@transaction.atomic
def point_profile_requirement_remove(*, requirement: ProfileRequirement) -> None:
    requirement.delete()


@transaction.atomic
def point_profile_set(*, point: ServicePoint, profile: PointProfile | None) -> PointProfileAssignment | None:
    """Give ``point`` the profile ``profile`` (None takes its profile away). A profile that is not
    for the point's kind is refused and the point keeps the profile it had."""
    current = PointProfileAssignment.objects.select_for_update().filter(point=point).first()
    if profile is None:
        if current is not None:
            current.delete()
        return None
    assignment = current or PointProfileAssignment(point=point)
    assignment.profile = profile
    assignment.full_clean(validate_unique=current is None)
    if current is None:
        assignment.save()
    else:
        assignment.save(update_fields=["profile"])
    return assignment
