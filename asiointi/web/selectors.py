"""Reads of the web app that reach into other apps."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q

from asiointi.accounts.models import Role, User


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
