"""Background tasks of core: housekeeping of the task queue itself."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.tasks import task, task_backends
from django_tasks_db.backend import DatabaseBackend

#: Finished task results are kept this many days (for the administration's view of past runs).
TASK_RESULTS_KEEP_DAYS = 14


@task()
def task_results_prune_task() -> str:
    """Delete the results of finished tasks older than :data:`TASK_RESULTS_KEEP_DAYS` (run daily by the
    scheduler, whose frequent checks would otherwise pile up rows). Idempotent."""
    if not isinstance(task_backends["default"], DatabaseBackend):
        return "not a database backend"
    out = StringIO()
    call_command("prune_db_task_results", queue_name="*", min_age_days=TASK_RESULTS_KEEP_DAYS, stdout=out)
    return out.getvalue().strip()
