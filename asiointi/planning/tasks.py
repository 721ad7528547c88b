"""Background tasks of the planning app: they take ids, call a service, and are idempotent."""

from __future__ import annotations

from django.tasks import task

from . import services

#: The queue of long work: a solver run takes minutes, so it has a worker of its own and never delays
#: the short tasks of the "default" queue (mail, reminders).
PLANNING_QUEUE = "planning"


@task(queue_name=PLANNING_QUEUE)
def scenario_run_task(scenario_id: int) -> str:
    """Run a saved planning scenario (a queued one only; running it twice changes nothing)."""
    return services.scenario_execute(scenario_id=scenario_id)


@task()
def scenario_fail_abandoned_task() -> int:
    """Mark failed the running scenarios whose worker died (the scheduler queues it every few minutes)."""
    return services.scenario_fail_abandoned()
