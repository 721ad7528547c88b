"""Retention of customers' personal data: each kind is kept for a period set in
``settings.RETENTION_DAYS`` and then anonymised by :func:`retention_apply`.

Apps register a :class:`RetentionRule` for each kind of personal data they hold (in their
``AppConfig.ready``); the rule anonymises the rows older than a cut-off and returns their number.
Anonymising keeps the rows that statistics and the ledger count (the ledger itself holds no personal
data), so counts stay as they were. :func:`retention_apply` is idempotent: a second run on the same day
anonymises nothing more. Run it daily (``manage.py apply_retention`` from cron or a systemd timer, or
the task :func:`asiointi.accounts.tasks.retention_apply_task`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise

from .services import audit_record


@dataclass(frozen=True)
class RetentionRule:
    #: The key of the period in ``settings.RETENTION_DAYS``.
    kind: str
    description: str | Promise
    #: Anonymises what is older than the cut-off; returns how many rows it anonymised.
    anonymise: Callable[[datetime], int]


_RULES: dict[str, RetentionRule] = {}
#: The audit log's action for a run that anonymised something.
PERSONAL_DATA_ANONYMISED = "personal_data_anonymised"


def retention_rule_register(rule: RetentionRule) -> None:
    """Register ``rule`` (again, on a reload of the app registry, replacing the earlier one)."""
    _RULES[rule.kind] = rule


def retention_rules() -> list[RetentionRule]:
    return [_RULES[kind] for kind in sorted(_RULES)]


def retention_period(kind: str) -> timedelta:
    days = settings.RETENTION_DAYS.get(kind)
    if days is None:
        raise ImproperlyConfigured(f"RETENTION_DAYS has no period for {kind!r}.")
    if int(days) < 1:
        raise ImproperlyConfigured(f"RETENTION_DAYS[{kind!r}] must be at least one day, not {days!r}.")
    return timedelta(days=int(days))


@dataclass(frozen=True)
class RetentionResult:
    kind: str
    cutoff: datetime
    anonymised: int


def retention_apply(*, now: datetime | None = None) -> list[RetentionResult]:
    """Anonymise every kind of personal data whose retention period has passed, each kind in its
    own transaction, and record in the audit log how many rows of each kind were anonymised."""
    now = now or timezone.now()
    results: list[RetentionResult] = []
    for rule in retention_rules():
        cutoff = now - retention_period(rule.kind)
        with transaction.atomic():
            count = rule.anonymise(cutoff)
            if count:
                audit_record(
                    action=PERSONAL_DATA_ANONYMISED,
                    actor_email="retention",
                    summary=f"{rule.kind}: {count} anonymised, received before {cutoff.isoformat()}",
                )
        results.append(RetentionResult(rule.kind, cutoff, count))
    return results
