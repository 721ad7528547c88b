"""Passwords accepted, sign-ins of exempt demo accounts, sign-outs and failed sign-ins into the
audit log (Django's auth signals are the interface; the work is the service's)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .models import AuditAction
from .selectors import second_factor_exempt
from .services import audit_record


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # The password is only the first step: the sign-in is recorded when the second factor is
    # passed (services.second_factor_verify), or here for a demo account exempt from it.
    if second_factor_exempt(user=user):
        audit_record(action=AuditAction.SIGN_IN_WITHOUT_SECOND_FACTOR, request=request, actor=user)
    else:
        audit_record(action=AuditAction.PASSWORD_ACCEPTED, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(action=AuditAction.SIGN_OUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Django has already masked the password in ``credentials``; only the address tried is kept.
    tried = str(credentials.get("email") or credentials.get("username") or "")
    audit_record(action=AuditAction.SIGN_IN_FAILED, request=request, actor_email=tried)
