"""Who may reach what: the roles of staff, a user's scope (their roles and the points and agencies
where they hold them), and the hook through which the app that keeps memberships supplies it.

``core`` imports no app, so it cannot read memberships itself. ``asiointi.accounts`` registers its
``user_scope`` selector here in its ``AppConfig.ready``; every app below ``accounts`` in the layering
(``network``, ``catalogue``) reads a user's scope through :func:`user_scope` of this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADVISOR = "advisor", _("service advisor")
    POINT_MANAGER = "point_manager", _("point manager")
    EXPERT = "expert", _("agency expert")
    AGENCY_COORDINATOR = "agency_coordinator", _("agency coordinator")
    INTERPRETER = "interpreter", _("interpreter")
    NETWORK_PLANNER = "network_planner", _("network planner")
    ADMINISTRATOR = "administrator", _("administrator")


@dataclass(frozen=True)
class Scope:
    """The roles of a user and the points and agencies where they hold them."""

    roles: frozenset[str] = frozenset()
    point_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    points_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    agencies_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    is_administrator: bool = False

    def has_role(self, *roles: str) -> bool:
        return self.is_administrator or bool(self.roles.intersection(roles))

    def points_for(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.points_by_role.get(r, frozenset()) for r in roles))

    def agencies_for(self, *roles: str) -> frozenset[int]:
        return frozenset().union(*(self.agencies_by_role.get(r, frozenset()) for r in roles))


EMPTY_SCOPE = Scope()


class ScopeSource(Protocol):
    """A function that gives the scope of a user (signed in or anonymous)."""

    def __call__(self, *, user: Any) -> Scope: ...


_sources: list[ScopeSource] = []


def scope_source_register(source: ScopeSource) -> None:
    """Make ``source`` the one that :func:`user_scope` asks (``asiointi.accounts`` calls this in its
    ``AppConfig.ready``). Registering again replaces the earlier source."""
    _sources[:] = [source]


def user_scope(*, user: Any) -> Scope:
    """The scope of ``user``, from the registered source. Raises ImproperlyConfigured when no app
    has registered one (``asiointi.accounts`` is missing from INSTALLED_APPS)."""
    if not _sources:
        raise ImproperlyConfigured(
            "No source of users' scopes is registered: asiointi.accounts registers one when it is installed."
        )
    return _sources[0](user=user)
