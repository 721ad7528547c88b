"""Reads of the web app that reach into other apps."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q

from asiointi.accounts.models import Role, User
from asiointi.accounts.selectors import user_scope

from .navigation import EVERYONE, STAFF_NAVIGATION, StaffLink


def accessibility_feedback_recipients() -> dict[str, list[str]]:
    """Who is told of new accessibility feedback, by the language their mail is written in.

    The active administrators (superusers and holders of the administrator role), each in their
    own language, and ``settings.ACCESSIBILITY_FEEDBACK_EMAIL`` if set, in the default language.
    An address appears once."""
    by_language: dict[str, list[str]] = {}
    seen: set[str] = set()
    users = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Q(memberships__role=Role.ADMINISTRATOR))
        .exclude(email="")
        .values_list("email", "language")
        .distinct()
        .order_by("email")
    )
    extra: str = getattr(settings, "ACCESSIBILITY_FEEDBACK_EMAIL", "")
    entries = [*users, *([(extra, settings.LANGUAGE_CODE)] if extra else [])]
    for email, language in entries:
        if email.lower() in seen:
            continue
        seen.add(email.lower())
        by_language.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    return by_language


def staff_navigation(*, viewer: User | AnonymousUser) -> list[StaffLink]:
    """The lines of :data:`asiointi.web.navigation.STAFF_NAVIGATION` for the roles ``viewer``
    holds (a superuser counts as an administrator); nothing for a visitor who is not signed in."""
    if not viewer.is_authenticated:
        return []
    scope = user_scope(user=viewer)
    held = set(scope.roles) | ({Role.ADMINISTRATOR.value} if scope.is_administrator else set())
    return [link for link in STAFF_NAVIGATION if link.roles == EVERYONE or held.intersection(link.roles)]


def staff_link_allowed(*, viewer: User | AnonymousUser, url_name: str) -> bool:
    """Whether the staff navigation gives ``viewer`` the page ``url_name``."""
    return any(link.url_name == url_name for link in staff_navigation(viewer=viewer))
