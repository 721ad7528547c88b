"""Writes of the accounts app: the audit log."""

from __future__ import annotations

from django.db import models
from django.http import HttpRequest

from .models import AuditEvent


def _client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR") or None
    return address


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: object | None = None,
    actor_email: str = "",
    target: models.Model | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append one event to the audit log. ``actor`` defaults to the request's user; the address
    and browser come from the request. Never pass passwords or the personal data itself in
    ``summary``: say what was viewed or changed, not its value."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "pk", None) if authenticated else None,
        actor_email=(getattr(actor, "email", "") if authenticated else "") or actor_email[:254],
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary,
        ip_address=_client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )
    event.save(force_insert=True)
    return event
