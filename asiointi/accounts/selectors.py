"""Who may see what: the scopes that a user's memberships give."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser

from .models import AGENCY_ROLES, POINT_ROLES, Membership, Role, User


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


def user_scope(*, user: User | AnonymousUser) -> Scope:
    """The scope of ``user`` from their memberships, in one query, cached on the user object for
    the request. Superusers and administrators see everything."""
    if not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached: Scope | None = getattr(user, "_asiointi_scope", None)
    if cached is not None:
        return cached
    points: dict[str, set[int]] = {}
    agencies: dict[str, set[int]] = {}
    roles: set[str] = set()
    for role, point_id, agency_id in Membership.objects.filter(user=user).values_list(
        "role", "point_id", "agency_id"
    ):
        roles.add(role)
        if role in POINT_ROLES and point_id:
            points.setdefault(role, set()).add(point_id)
        if role in AGENCY_ROLES and agency_id:
            agencies.setdefault(role, set()).add(agency_id)
    scope = Scope(
        roles=frozenset(roles),
        point_ids=frozenset().union(*points.values()) if points else frozenset(),
        agency_ids=frozenset().union(*agencies.values()) if agencies else frozenset(),
        points_by_role={r: frozenset(v) for r, v in points.items()},
        agencies_by_role={r: frozenset(v) for r, v in agencies.items()},
        is_administrator=bool(user.is_superuser) or Role.ADMINISTRATOR in roles,
    )
    user._asiointi_scope = scope  # type: ignore[union-attr,attr-defined]
    return scope


def login_username(request: object, credentials: dict[str, str] | None) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts failures: the email address in
    lower case, so that "Neuvoja@..." and "neuvoja@..." count as the same account."""
    credentials = credentials or {}
    # Django's sign-in form passes the address under the user model's USERNAME_FIELD ("email").
    username = credentials.get("email") or credentials.get("username")
    if not username:
        username = getattr(request, "POST", {}).get("username")
    return str(username).strip().lower() if username else None
