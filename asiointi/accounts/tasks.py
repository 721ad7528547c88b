"""Background tasks of the accounts app: they take ids or nothing, call a service, and are idempotent."""

from __future__ import annotations

from django.tasks import task

from .retention import retention_apply


@task()
def retention_apply_task() -> dict[str, int]:
    """Anonymise the personal data whose retention period has passed (run daily)."""
    return {result.kind: result.anonymised for result in retention_apply()}
