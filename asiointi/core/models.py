"""The one table of core: which periodic task was queued for which period (the scheduler's memory)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduledRun(models.Model):
    """A periodic task queued once for one period. The unique constraint is what makes the scheduler
    idempotent: however many schedulers run, and however often they restart, only the first to insert
    a task's row for a period queues it."""

    name = models.CharField(_("task"), max_length=100)
    period_start = models.DateTimeField(_("period start"))
    queued_at = models.DateTimeField(_("queued"), auto_now_add=True)
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        constraints = [
            models.UniqueConstraint(
                fields=["name", "period_start"], name="core_scheduled_run_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.period_start:%Y-%m-%d %H:%M}"
