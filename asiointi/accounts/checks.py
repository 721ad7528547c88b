"""System checks of the accounts app."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register


@register(Tags.security, deploy=True)
def second_factor_exemption_off(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` warns when the demo accounts may sign in without a second factor."""
    if not settings.SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS:
        return []
    return [
        Warning(
            "SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS is on: the demo accounts sign in without a second factor.",
            hint="Unset it outside `make demo`.",
            id="asiointi.W001",
        )
    ]
