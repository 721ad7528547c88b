"""Long work and short work have queues of their own: a solver run waiting on the `planning` queue
never delays a short task on `default`, whose worker does not take planning work."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from asiointi.accounts.tasks import retention_apply_task
from asiointi.core.mail import mail_send_task
from asiointi.factories import ScenarioFactory, UserFactory
from asiointi.planning.models import ScenarioStatus
from asiointi.planning.tasks import scenario_run_task

pytestmark = pytest.mark.django_db


def test_queues__solver_and_mail_task_both_queued__mail_is_sent_without_waiting(task_worker, smtp_server):
    scenario = ScenarioFactory.create(name="Koko Suomi", mode="minimise", share=0.9)
    solver = scenario_run_task.enqueue(scenario.pk)  # queued first: a FIFO single queue would run it first
    user = UserFactory.create(email="neuvoja@example.fi", language="fi", password="pitkä-salasana-123")
    short = mail_send_task.enqueue(
        builder="asiointi.accounts.services.password_reset_mails",
        params={"email": user.email, "scheme": "https", "host": "asiointi.example.fi"},
    )

    task_worker(queue_name="default")  # the worker of short work, as `make demo` starts it

    assert DBTaskResult.objects.get(id=short.id).status == "SUCCESSFUL"
    assert [m["To"] for m in smtp_server.received] == ["neuvoja@example.fi"]
    assert DBTaskResult.objects.get(id=solver.id).status == "READY"  # left to the planning worker
    scenario.refresh_from_db()
    assert scenario.status == ScenarioStatus.QUEUED

    task_worker(queue_name="planning")

    assert DBTaskResult.objects.get(id=solver.id).status == "SUCCESSFUL"


def test_queues__tasks_land_on_their_queues():
    assert scenario_run_task.queue_name == "planning"
    assert retention_apply_task.queue_name == "default"
    assert mail_send_task.queue_name == "default"


def test_task_results_prune_task__old_finished_results__deleted_and_recent_kept(task_worker):
    import datetime as dt

    from django.utils import timezone

    from asiointi.core.tasks import task_results_prune_task

    old = retention_apply_task.enqueue()
    recent = retention_apply_task.enqueue()
    task_worker(queue_name="default")
    DBTaskResult.objects.filter(id=old.id).update(finished_at=timezone.now() - dt.timedelta(days=20))

    task_results_prune_task.enqueue()
    task_worker(queue_name="default")

    assert not DBTaskResult.objects.filter(id=old.id).exists()
    assert DBTaskResult.objects.get(id=recent.id).status == "SUCCESSFUL"
