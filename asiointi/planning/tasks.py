"""Background tasks of the planning app: they take ids, call a service, and are idempotent."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def scenario_run_task(scenario_id: int) -> str:
    """Run a saved planning scenario (a queued one only; running it twice changes nothing)."""
    return services.scenario_execute(scenario_id=scenario_id)
