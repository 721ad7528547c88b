"""Background tasks of the meetings app: they call services and are idempotent.

* :func:`rooms_close_overdue_task` (periodic, ``PERIODIC_TASKS["meetings-close-overdue"]``): rooms
  past their end (:func:`asiointi.meetings.services.rooms_close_overdue`).
* :func:`rooms_janus_cleanup_task` (periodic, ``PERIODIC_TASKS["meetings-janus-cleanup"]``): the Janus
  rooms left over when Janus did not answer at a meeting's end
  (:func:`asiointi.meetings.services.rooms_janus_cleanup`)."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def rooms_close_overdue_task() -> dict[str, int]:
    """End the rooms past their end: a no-show when never begun, recorded when overrun."""
    return services.rooms_close_overdue()


@task()
def rooms_janus_cleanup_task() -> int:
    """Destroy the Janus rooms of ended (or fallen back) meetings that are still there."""
    return services.rooms_janus_cleanup()
