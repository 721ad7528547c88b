"""The periodic scheduler queues each task once per period, however often it runs or restarts and
however many schedulers run at once."""

from __future__ import annotations

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from asiointi.core.models import ScheduledRun
from asiointi.core.scheduler import period_start, scheduler_tick
from asiointi.factories import ScheduledRunFactory

pytestmark = pytest.mark.django_db

HELSINKI = ZoneInfo("Europe/Helsinki")
PERIODIC = {
    "retention": {"task": "asiointi.accounts.tasks.retention_apply_task", "every": 1440},
    "hourly-retention": {"task": "asiointi.accounts.tasks.retention_apply_task", "every": 60},
}


@pytest.fixture(autouse=True)
def _tasks(settings):
    settings.PERIODIC_TASKS = PERIODIC


def queued() -> list[str]:
    return list(
        DBTaskResult.objects.filter(task_path="asiointi.accounts.tasks.retention_apply_task").values_list(
            "queue_name", flat=True
        )
    )


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=HELSINKI)


def test_period_start__daily_and_hourly__counted_from_local_midnight():
    now = at(3, 0, 30).astimezone(dt.UTC)  # 22.30 UTC on the 2nd

    assert period_start(every=1440, now=now) == at(3, 0)
    assert period_start(every=60, now=at(3, 14, 59)) == at(3, 14)
    assert period_start(every=5, now=at(3, 14, 59)) == at(3, 14, 55)


def test_scheduler_tick__due_tasks__each_queued_once_per_period(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = scheduler_tick(now=at(3, 9, 1))
        again = scheduler_tick(now=at(3, 9, 40))  # the same day and hour
        next_hour = scheduler_tick(now=at(3, 10, 0))
        next_day = scheduler_tick(now=at(4, 0, 0))

    assert first == ["retention", "hourly-retention"]
    assert again == []
    assert next_hour == ["hourly-retention"]
    assert next_day == ["retention", "hourly-retention"]
    assert queued() == ["default"] * 5
    run = ScheduledRun.objects.get(name="retention", period_start=at(3, 0))
    assert run.task_result_id == str(DBTaskResult.objects.order_by("enqueued_at").first().id)


def test_scheduler_tick__another_scheduler_queued_it__not_queued_again(django_capture_on_commit_callbacks):
    ScheduledRunFactory.create(name="retention", period_start=at(3, 0))  # the other scheduler's row

    with django_capture_on_commit_callbacks(execute=True):
        assert scheduler_tick(now=at(3, 9)) == ["hourly-retention"]

    assert len(queued()) == 1


def test_scheduler_command__restarted__queues_nothing_twice(django_capture_on_commit_callbacks):
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("scheduler", "--once", stdout=out)
        call_command("scheduler", "--once", stdout=out)  # a restart within the same hour

    assert out.getvalue().count("queued retention\n") == 1
    assert ScheduledRun.objects.filter(name="retention").count() == 1
    assert len(queued()) in (2, 3)  # daily once, hourly once (twice if the hour turned in between)


def test_scheduler_tick__old_rows__pruned(django_capture_on_commit_callbacks):
    ScheduledRunFactory.create(name="retention", period_start=at(1, 0) - dt.timedelta(days=30))

    with django_capture_on_commit_callbacks(execute=True):
        scheduler_tick(now=at(3, 9))

    assert not ScheduledRun.objects.filter(period_start__lt=at(1, 0)).exists()


def test_scheduler_tick__every_not_a_divisor_of_a_day__refused(settings):
    settings.PERIODIC_TASKS = {"odd": {"task": "asiointi.accounts.tasks.retention_apply_task", "every": 7}}

    with pytest.raises(ValueError, match="divisor of 1440"):
        scheduler_tick(now=at(3, 9))
    assert not ScheduledRun.objects.exists()


def test_periodic_tasks_setting__the_products_tasks__all_importable_and_queued(
    settings, django_capture_on_commit_callbacks
):
    from config import settings as product_settings

    settings.PERIODIC_TASKS = product_settings.PERIODIC_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        names = scheduler_tick(now=at(3, 9))

    assert names == list(product_settings.PERIODIC_TASKS)
    assert "retention" in names
    assert DBTaskResult.objects.count() == len(names)
