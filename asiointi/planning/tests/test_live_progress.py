"""The planner's scenario page follows the run live over a WebSocket: only planners and
administrators who passed the second factor may open the socket; the worker's progress reaches it as
it happens; a scenario whose worker died is marked failed and stops counting against the limit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import Client
from django.utils import timezone

from asiointi.accounts.models import AGENCY_ROLES, POINT_ROLES, Role
from asiointi.accounts.sockets import websocket_token_issue
from asiointi.accounts.testing import login_booth_device
from asiointi.core.sockets import CLOSE_FORBIDDEN, CLOSE_NOT_FOUND, CLOSE_UNAUTHENTICATED
from asiointi.factories import BoothFactory, ScenarioFactory
from asiointi.planning import services
from asiointi.planning.models import Scenario, ScenarioFailure, ScenarioStatus, ScenarioStep
from asiointi.planning.routing import scenario_progress_path
from asiointi.websocket_testing import socket_communicator, socket_outcome

pytestmark = pytest.mark.django_db


@pytest.fixture
def scenario(db: None) -> Scenario:
    return ScenarioFactory.create(name="Keski-Suomi 90/40", mode="minimise", share=0.9)


def outcome(path: str, **kwargs: Any) -> tuple[bool, int | None]:
    return async_to_sync(socket_outcome)(path, **kwargs)


def test_progress_socket__anonymous__refused_before_accept(scenario, channel_layer):
    assert outcome(scenario_progress_path(scenario.pk), client=Client()) == (False, CLOSE_UNAUTHENTICATED)


def test_progress_socket__planner_without_second_factor__refused(scenario, staff_user, channel_layer):
    client = Client()
    client.force_login(staff_user(Role.NETWORK_PLANNER))  # the password only

    assert outcome(scenario_progress_path(scenario.pk), client=client) == (False, CLOSE_UNAUTHENTICATED)


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.POINT_MANAGER, Role.AGENCY_COORDINATOR])
def test_progress_socket__staff_who_do_not_plan__forbidden(
    scenario, staff_client, channel_layer, point_a, kela, role
):
    scope = {"point": point_a} if role in POINT_ROLES else {"agency": kela} if role in AGENCY_ROLES else {}
    client = staff_client(role, **scope)

    assert outcome(scenario_progress_path(scenario.pk), client=client) == (False, CLOSE_FORBIDDEN)


def test_progress_socket__booth_screen__forbidden(scenario, point_a, channel_layer):
    client = Client()
    login_booth_device(client, BoothFactory.create(point=point_a))

    assert outcome(scenario_progress_path(scenario.pk), client=client) == (False, CLOSE_FORBIDDEN)


def test_progress_socket__scenario_that_does_not_exist__not_found(staff_client, channel_layer):
    planner = staff_client(Role.NETWORK_PLANNER)

    assert outcome(scenario_progress_path(987654), client=planner) == (False, CLOSE_NOT_FOUND)


def test_progress_socket__unknown_path__refused(staff_client, channel_layer):
    assert outcome("/ws/nothing-here/", client=staff_client(Role.NETWORK_PLANNER)) == (False, CLOSE_NOT_FOUND)


def test_progress_socket__signed_token__accepted_and_a_forged_or_old_one_refused(
    scenario, staff_user, channel_layer, settings
):
    planner = staff_user(Role.NETWORK_PLANNER)
    token = websocket_token_issue(user=planner)
    path = scenario_progress_path(scenario.pk)

    assert outcome(path, query=f"token={token}") == (True, None)
    assert outcome(path, query=f"token={token[:-2]}xx") == (False, CLOSE_UNAUTHENTICATED)
    settings.WEBSOCKET_TOKEN_SECONDS = -1  # every token is older than that
    assert outcome(path, query=f"token={token}") == (False, CLOSE_UNAUTHENTICATED)


def test_progress_socket__token_of_a_user_who_does_not_plan__forbidden(
    scenario, staff_user, channel_layer, point_a
):
    token = websocket_token_issue(user=staff_user(Role.ADVISOR, point=point_a))

    assert outcome(scenario_progress_path(scenario.pk), query=f"token={token}") == (False, CLOSE_FORBIDDEN)


@pytest.mark.django_db(
    transaction=True
)  # the consumer's database calls close the connection, as in production
def test_progress_socket__planner__receives_the_runs_progress_live(
    scenario, staff_client, channel_layer, django_capture_on_commit_callbacks
):
    planner = staff_client(Role.NETWORK_PLANNER)

    @sync_to_async
    def worker(write: Any, *args: Any) -> None:
        """A write of the worker, committed (the test's own transaction never commits)."""
        with django_capture_on_commit_callbacks(execute=True):
            write(*args)

    async def follow() -> list[dict[str, Any]]:
        communicator = socket_communicator(
            scenario_progress_path(scenario.pk), client=planner, query="lang=sv"
        )
        connected, _code = await communicator.connect(timeout=5)
        assert connected
        received = [await communicator.receive_json_from(timeout=5)]
        # the worker claims the run, and the solver reports its figures
        await worker(services._claim, scenario.pk)
        received.append(await communicator.receive_json_from(timeout=5))
        progress = services._Progress(scenario.pk)
        await worker(progress.step, ScenarioStep.OPTIMAL)
        received.append(await communicator.receive_json_from(timeout=5))
        progress.written = 0.0
        await worker(progress.solver, {"incumbent": 94.0, "gap": 0.125, "bound": 82.0})
        received.append(await communicator.receive_json_from(timeout=5))
        await communicator.disconnect()
        return received

    received = async_to_sync(follow)()

    assert [m["status"] for m in received] == ["queued", "running", "running", "running"]
    assert received[0]["text"] == "Väntar på att en bakgrundsprocess ska starta körningen."
    assert received[2]["step"] == "optimal"
    assert "94" in received[3]["text"] and "12,5" in received[3]["text"]
    assert received[3]["finished"] is False


def test_progress_socket__administrator__follows_any_scenario(scenario, staff_client, channel_layer):
    assert outcome(scenario_progress_path(scenario.pk), client=staff_client(Role.ADMINISTRATOR)) == (
        True,
        None,
    )


def test_scenario_page__shared_channel_layer__offers_the_socket_with_polling_kept(
    scenario, staff_client, settings, channel_layer
):
    from channels.layers import channel_layers

    planner = staff_client(Role.NETWORK_PLANNER)
    page = planner.get(f"/fi/planning/{scenario.pk}/").content.decode()
    assert "data-socket-path" not in page  # in memory: the worker's events cannot reach this process
    assert "data-status-url" in page and "progress.js" in page

    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://redis.invalid:6379/0"]},
        }
    }
    channel_layers.backends.clear()
    try:
        page = planner.get(f"/fi/planning/{scenario.pk}/").content.decode()
    finally:
        channel_layers.backends.clear()
    assert f'data-socket-path="/ws/planning/{scenario.pk}/"' in page
    assert "data-status-url" in page


# -- a worker that died -------------------------------------------------------------------------


def _running(created_by: Any, *, heartbeat_age: dt.timedelta) -> Scenario:
    beat = timezone.now() - heartbeat_age
    return ScenarioFactory.create(
        running=True,
        name="Kesken",
        mode="minimise",
        share=0.9,
        started_at=beat,
        heartbeat_at=beat,
        created_by=created_by,
    )


def test_scenario_fail_abandoned__heartbeat_stopped__marked_failed_and_announced(
    staff_user, channel_layer, settings, django_capture_on_commit_callbacks
):
    settings.PLANNING_HEARTBEAT_TIMEOUT_SECONDS = 300
    lost = _running(staff_user(Role.NETWORK_PLANNER), heartbeat_age=dt.timedelta(minutes=6))
    alive = _running(lost.created_by, heartbeat_age=dt.timedelta(seconds=20))

    @sync_to_async
    def fail_abandoned() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return services.scenario_fail_abandoned()

    async def watch() -> dict[str, Any]:
        await channel_layer.group_add(services.scenario_group(lost.pk), "watcher")
        assert await fail_abandoned() == 1
        return await channel_layer.receive("watcher")

    event = async_to_sync(watch)()

    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == ScenarioStatus.FAILED and lost.failure == ScenarioFailure.WORKER_LOST
    assert lost.finished_at is not None
    assert alive.status == ScenarioStatus.RUNNING
    assert event["payload"]["status"] == "failed"
    assert services.scenario_fail_abandoned() == 0  # idempotent


def test_planning_page__worker_died__run_shown_failed_and_not_counted_against_the_limit(
    staff_user, settings, django_capture_on_commit_callbacks
):
    from asiointi.accounts.testing import login_staff

    settings.PLANNING_MAX_UNFINISHED = 1
    user = staff_user(Role.NETWORK_PLANNER)
    client = Client()
    login_staff(client, user)
    lost = _running(user, heartbeat_age=dt.timedelta(hours=1))

    page = client.get("/fi/planning/").content.decode()
    lost.refresh_from_db()
    assert lost.status == ScenarioStatus.FAILED
    assert lost.failure == ScenarioFailure.WORKER_LOST
    detail = client.get(f"/fi/planning/{lost.pk}/").content.decode()
    assert "Skenaariota suorittanut taustaprosessi pysähtyi." in detail
    assert page

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/fi/planning/",
            {
                "name": "Uusi",
                "mode": "minimise",
                "radius_km": "40",
                "share": "90",
                "circuity": "1,3",
                "time_limit": "60",
            },
        )
    assert response.status_code == 302  # the dead run no longer fills the planner's one place
    assert Scenario.objects.filter(status=ScenarioStatus.QUEUED).count() == 1


def test_planning_page__other_staff__refused_and_nothing_changed(staff_user, staff_client, point_a):
    lost = _running(staff_user(Role.NETWORK_PLANNER), heartbeat_age=dt.timedelta(hours=1))

    assert staff_client(Role.ADVISOR, point=point_a).get("/fi/planning/").status_code == 403
    lost.refresh_from_db()
    assert lost.status == ScenarioStatus.RUNNING


def test_scenario_execute__claims_with_a_heartbeat(scenario):
    assert services._claim(scenario.pk)
    scenario.refresh_from_db()
    assert scenario.heartbeat_at is not None
