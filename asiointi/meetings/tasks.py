"""Background tasks of the meetings app: they call services and are idempotent.

* :func:`rooms_close_overdue_task` (periodic, ``PERIODIC_TASKS["meetings-close-overdue"]``): rooms
  past their end (:func:`asiointi.meetings.services.rooms_close_overdue`)."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def rooms_close_overdue_task() -> dict[str, int]:
    """End the rooms past their end: a no-show when never begun, recorded when overrun."""
    return services.rooms_close_overdue()
