"""Reads of the accounts app: the scopes that a user's memberships give, the second factor, and
the devices of booths."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiointi.core.scope import EMPTY_SCOPE, Scope

from .models import AGENCY_ROLES, POINT_ROLES, AuditAction, AuditEvent, BoothDevice, Membership, Role, User


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
    # Unordered (sets are made of them): no join to the users for the model's ordering, on every request.
    for role, point_id, agency_id in (
        Membership.objects.filter(user=user).order_by().values_list("role", "point_id", "agency_id")
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


def user_memberships(*, user: User) -> list[Membership]:
    """The roles of ``user`` with their points and agencies, by role."""
    return list(Membership.objects.filter(user=user).select_related("point", "agency").order_by("role", "pk"))


def api_user(*, user: User | AnonymousUser) -> bool:
    """Whether ``user`` may use the API's staff operations: active, holding a staff role (or a
    superuser), and past the second factor where a session is concerned (the caller checks that)."""
    if not user.is_authenticated or not user.is_active:
        return False
    scope = user_scope(user=user)
    return scope.is_administrator or bool(scope.roles)


def login_username(request: object, credentials: dict[str, str] | None) -> str | None:
    """The account a sign-in attempt is for, as django-axes counts failures: the email address in
    lower case, so that "Neuvoja@..." and "neuvoja@..." count as the same account."""
    credentials = credentials or {}
    # Django's sign-in form passes the address under the user model's USERNAME_FIELD ("email").
    username = credentials.get("email") or credentials.get("username")
    if not username:
        username = getattr(request, "POST", {}).get("username")
    return str(username).strip().lower() if username else None


# -- the second factor -------------------------------------------------------------------------


def second_factor_exempt(*, user: User | AnonymousUser) -> bool:
    """Whether ``user`` may sign in without a second factor: only an account that the demo data
    created, and only while ``SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS`` is on."""
    return bool(
        settings.SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS
        and user.is_authenticated
        and getattr(user, "is_demo_account", False)
    )


def second_factor_pending(*, user: User | AnonymousUser) -> bool:
    """Whether ``user`` signed in with the password but has not yet passed the second factor (and
    is not exempt from it). Needs django-otp's OTPMiddleware, which gives ``user.is_verified``."""
    if not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    if is_verified is not None and is_verified():
        return False
    return not second_factor_exempt(user=user)


def second_factor_device(*, user: User | AnonymousUser) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def recovery_codes_left(*, user: User) -> int:
    """How many unused recovery codes ``user`` has."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


# -- password reset ----------------------------------------------------------------------------


def password_reset_users(*, email: str) -> list[User]:
    """The active accounts with a usable password that a reset mail to ``email`` is for."""
    users = User.objects.filter(email__iexact=email.strip(), is_active=True)
    return [user for user in users if user.has_usable_password()]


# -- booth screens -----------------------------------------------------------------------------


def booth_device_for_session(*, device_id: object) -> BoothDevice | None:
    """The paired, unrevoked device of a booth in use that a device session names; None when it
    was revoked, its booth taken out of use, or the id is not one."""
    try:
        pk = int(str(device_id))
    except ValueError:
        return None
    return (
        BoothDevice.objects.select_related("booth__point")
        .filter(
            pk=pk,
            paired_at__isnull=False,
            revoked_at__isnull=True,
            booth__is_active=True,
        )
        .first()
    )


def booth_pairing_locked_until(*, address: str | None) -> dt.datetime | None:
    """When pairing from ``address`` opens again after too many wrong codes, or None if it is open.

    The same limits as for signing in: ``LOGIN_FAILURE_LIMIT`` failures within
    ``LOGIN_LOCKOUT_MINUTES`` lock the address until the oldest of them is that old."""
    if not address:
        return None
    window: dt.timedelta = settings.AXES_COOLOFF_TIME
    failures = list(
        AuditEvent.objects.filter(
            action=AuditAction.BOOTH_PAIRING_FAILED,
            ip_address=address,
            occurred_at__gte=timezone.now() - window,
        )
        .order_by("-occurred_at")
        .values_list("occurred_at", flat=True)[: settings.AXES_FAILURE_LIMIT]
    )
    if len(failures) < settings.AXES_FAILURE_LIMIT:
        return None
    return failures[-1] + window
