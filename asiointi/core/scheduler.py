"""The periodic scheduler: queues each task of ``settings.PERIODIC_TASKS`` once per period.

A period is ``every`` minutes long, counted from midnight in ``TIME_ZONE`` (1440: a day, 60: an hour).
For each task whose current period has no :class:`~asiointi.core.models.ScheduledRun` row yet, the
scheduler inserts the row and queues the task after the insert commits. The row's unique constraint
makes this idempotent across restarts and across several schedulers: a second insert for the same
period fails, and that scheduler queues nothing. A task missed while no scheduler ran is queued once
when one starts (for the current period, not for every period missed). ``manage.py scheduler`` runs
:func:`scheduler_tick` in a loop.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import ScheduledRun

logger = logging.getLogger(__name__)

#: Rows older than this are deleted (a row is needed only while its period lasts).
KEEP_ROWS = dt.timedelta(days=14)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: str
    every: int  # minutes


def periodic_tasks() -> list[Periodic]:
    tasks = []
    for name, conf in settings.PERIODIC_TASKS.items():
        every = int(conf["every"])  # type: ignore[call-overload]
        if every <= 0 or 1440 % every:
            raise ValueError(f"PERIODIC_TASKS[{name!r}]: 'every' must be a divisor of 1440 minutes")
        tasks.append(Periodic(name=name, task=str(conf["task"]), every=every))
    return tasks


def period_start(*, every: int, now: dt.datetime) -> dt.datetime:
    """The start of the period of ``every`` minutes that ``now`` falls in, counted from local midnight."""
    local = timezone.localtime(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    minutes = (local.hour * 60 + local.minute) // every * every
    return midnight + dt.timedelta(minutes=minutes)


def _enqueue(task_path: str, run_id: int) -> None:
    task = import_string(task_path)
    if not isinstance(task, Task):
        raise TypeError(f"{task_path} is not a task")
    result = task.enqueue()
    ScheduledRun.objects.filter(pk=run_id).update(task_result_id=str(result.id))


def scheduler_tick(*, now: dt.datetime | None = None) -> list[str]:
    """Queue every periodic task that is due and not yet queued for its current period; returns the
    names queued by this call."""
    now = now or timezone.now()
    queued = []
    for periodic in periodic_tasks():
        start = period_start(every=periodic.every, now=now)
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=periodic.name, period_start=start)
                transaction.on_commit(partial(_enqueue, periodic.task, run.pk))
        except IntegrityError:
            continue  # queued for this period already, by this or another scheduler
        logger.info("Queued %s for the period from %s", periodic.name, start.isoformat())
        queued.append(periodic.name)
    ScheduledRun.objects.filter(period_start__lt=now - KEEP_ROWS).delete()
    return queued
