"""Background tasks of the desk: they call services and are idempotent.

* :func:`callnow_sweep_task` (periodic, ``PERIODIC_TASKS["callnow-sweep"]``): call-now requests left
  waiting too long expire, and calls whose meeting has ended are done
  (:func:`asiointi.desk.services.callnow_sweep`)."""

from __future__ import annotations

from django.tasks import task

from . import services


@task()
def callnow_sweep_task() -> dict[str, int]:
    """Expire the call-now requests waiting too long; close the calls whose meeting ended."""
    return services.callnow_sweep()
