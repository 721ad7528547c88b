"""Reads of the planning app, scoped by the viewer: the network planners and the administrators
plan the whole network, so they see every saved scenario; nobody else sees any."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from asiointi.accounts.access import PLANNING_ROLES
from asiointi.accounts.models import User
from asiointi.accounts.selectors import user_scope
from asiointi.catalogue.selectors import point_profile_levels, profile_list
from asiointi.network.selectors import point_list_public

from .data import Sites
from .models import Scenario, ScenarioMap


def planning_allowed(*, viewer: User | AnonymousUser) -> bool:
    return user_scope(user=viewer).has_role(*PLANNING_ROLES)


def _require_planner(viewer: User | AnonymousUser) -> None:
    if not planning_allowed(viewer=viewer):
        raise PermissionDenied


def scenario_list(*, viewer: User | AnonymousUser) -> QuerySet[Scenario]:
    """Saved scenarios, newest first, without their large result columns."""
    _require_planner(viewer)
    return Scenario.objects.defer("result", "sites_csv").select_related("created_by")


def access_scenario(*, viewer: User | AnonymousUser, scenario_id: int) -> Scenario:
    """One scenario for ``viewer``: 403 for a role that does not plan, 404 for one that does not exist."""
    _require_planner(viewer)
    try:
        return Scenario.objects.select_related("created_by").get(pk=scenario_id)
    except Scenario.DoesNotExist:
        raise Http404 from None


def scenario_map(*, scenario: Scenario, language: str) -> ScenarioMap:
    """A scenario's maps in ``language``, else in the default language, else in any; 404 if it has
    none. ``scenario`` comes from :func:`access_scenario`, which checked the viewer."""
    drawn = ScenarioMap.objects.filter(scenario=scenario)
    languages = set(drawn.values_list("language", flat=True))  # not the maps themselves: one is sent
    for choice in (language, settings.LANGUAGE_CODE, *sorted(languages)):
        if choice in languages:
            return drawn.get(language=choice)
    raise Http404


def existing_network_sites() -> Sites:
    """The service points active today, as sites of the planner."""
    points = list(point_list_public())
    return Sites.build(
        ids=[p.slug for p in points],
        names=[str(p.name) for p in points],
        lat=[p.lat for p in points],
        lon=[p.lon for p in points],
        municipality=[p.municipality.code for p in points],
    )


def profile_levels() -> tuple[tuple[tuple[str, int], ...], tuple[tuple[int, str], ...]] | None:
    """The planner's view of the point profiles: the level of each active point that has a profile
    (by its address name), and the profiles as (level, code); None when no point has a profile."""
    levels = point_profile_levels()
    if not levels:
        return None
    return (
        tuple((slug, level) for slug, (level, _code) in sorted(levels.items())),
        tuple((p.level, p.code) for p in profile_list()),
    )


def profile_names() -> dict[str, str]:
    """The profiles' names in the active language, by code."""
    return {p.code: str(p.name) for p in profile_list()}
