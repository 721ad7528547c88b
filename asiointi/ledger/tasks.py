"""Background tasks of the ledger: they take ids or nothing, call a service, and are idempotent."""

from __future__ import annotations

import datetime as dt

from django.tasks import task
from django.utils import timezone

from .services import statement_draft_month


@task(queue_name="default")
def statements_draft_previous_month_task() -> dict[str, object]:
    """Draft every statement of the previous month (run daily; drafting again gives the same figures,
    and approved statements are left as they are)."""
    month = (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    return {"month": f"{month:%Y-%m}", "drafted": statement_draft_month(month=month)}
