"""The "call now" queue: an advisor puts a walk-in customer into an agency's queue for a free booth of
their point; the agency's experts (only theirs) see it ring and the first to accept opens the meeting
room at the booth; position and estimated wait; cancel; expiry; bad input changes nothing."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.exceptions import ValidationError
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from asiointi.accounts.models import BoothDevice, Role, User
from asiointi.catalogue.models import Channel, Service
from asiointi.core.events import EVENT_TYPE
from asiointi.core.sockets import CLOSE_FORBIDDEN
from asiointi.desk import selectors, services
from asiointi.desk.models import CallNowRequest, CallNowStatus
from asiointi.desk.routing import callnow_socket_path
from asiointi.desk.services import CallNowData, callnow_group
from asiointi.factories import (
    BoothFactory,
    MembershipFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    UserFactory,
    expert_create,
    remote_service_point,
)
from asiointi.ledger.models import AstiType, Transaction, TransactionSource
from asiointi.meetings import services as meeting_services
from asiointi.meetings.models import Participant, ParticipantKind, RoomState
from asiointi.meetings.selectors import booth_next_meeting
from asiointi.network.models import Agency, Booth, ServicePoint
from asiointi.network.selectors import HELSINKI
from asiointi.scheduling.models import Absence
from asiointi.scheduling.selectors import slot_request_build
from asiointi.scheduling.services import CustomerContact, appointment_book
from asiointi.websocket_testing import socket_communicator, socket_outcome

pytestmark = pytest.mark.django_db

#: A Monday morning in Helsinki, when the points are open.
MONDAY = dt.datetime(2027, 1, 4, 10, 0, tzinfo=HELSINKI)


def _remote(point: ServicePoint, agency: Agency, name: str) -> Service:
    service = ServiceFactory.create(agency=agency, name_fi=name, name_en=name)
    ServiceOfferingFactory.create(point=point, service=service, channel=Channel.REMOTE_MEETING)
    return service


@pytest.fixture
def kela_remote(point_a: ServicePoint, kela: Agency) -> Service:
    return _remote(point_a, kela, "Asumistuki etänä")


@pytest.fixture
def vero_remote(point_a: ServicePoint, vero: Agency) -> Service:
    return _remote(point_a, vero, "Verokortti etänä")


@pytest.fixture
def booth(point_a: ServicePoint) -> Booth:
    return BoothFactory.create(point=point_a, name="Koppi 1")


@pytest.fixture
def queue(
    point_a: ServicePoint, booth: Booth, kela: Agency, kela_remote: Service
) -> Callable[..., CallNowRequest]:
    def make(**changes: Any) -> CallNowRequest:
        now = changes.pop("now", None)
        fields: dict[str, Any] = {"point": point_a, "booth": booth, "agency": kela, "language": "fi"}
        fields.update(changes)
        return services.callnow_queue(data=CallNowData(**fields), by=None, now=now)

    return make


def _expert(staff_user: Callable[..., User], agency: Agency) -> User:
    return staff_user(Role.EXPERT, agency=agency)


def _post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")


def _nothing_changed() -> None:
    assert CallNowRequest.objects.count() == 0
    assert Absence.objects.count() == 0


# --- queueing -----------------------------------------------------------------------------------------


def test_callnow_queue__free_booth__waits_first_and_holds_the_booth_for_bookings(queue, booth, kela):
    call = queue()

    assert call.status == CallNowStatus.WAITING
    hold = Absence.objects.get()
    assert hold.resource.booth_id == booth.pk and hold.starts <= timezone.now() < hold.ends
    assert [(q.request.pk, q.position) for q in selectors.callnow_point_queue(point=call.point)] == [
        (call.pk, 1)
    ]


def test_callnow_queue__booth_taken_by_another_call__refused_and_nothing_more_written(
    queue, vero, vero_remote
):
    queue()

    with pytest.raises(ValidationError) as refused:
        queue(agency=vero)

    assert "booth" in refused.value.message_dict
    assert CallNowRequest.objects.count() == 1 and Absence.objects.count() == 1


def test_callnow_queue__booth_booked_for_a_meeting_now__refused_until_free():
    point, (booth,), (service,) = remote_service_point(booths=1, agencies=1)
    expert_create(agency=service.agency, services=[service])
    request = slot_request_build(
        point=point, service_ids=[service.pk], channel=Channel.REMOTE_MEETING, language="fi"
    )
    start = MONDAY.replace(hour=12)
    appointment_book(
        request=request,
        start=start,
        customer=CustomerContact(name="Asiakas", email="asiakas@example.fi"),
        now=start - dt.timedelta(days=1),
    )
    data = CallNowData(point=point, booth=booth, agency=service.agency, language="fi")

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.callnow_queue(data=data, by=None, now=start + dt.timedelta(minutes=5))
    assert refused.value.message_dict["booth"][0].startswith("The booth is taken now")
    assert CallNowRequest.objects.count() == 0 and Absence.objects.count() == 0

    # Early enough in the morning, the call and its meeting end before the booked one begins.
    early = services.callnow_queue(data=data, by=None, now=start - dt.timedelta(hours=2))
    assert early.status == CallNowStatus.WAITING


def test_callnow_queue__booth_of_another_point__refused(queue, point_b):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        queue(booth=BoothFactory.create(point=point_b))

    assert refused.value.message_dict == {"booth": ["Choose a booth of this service point."]}
    _nothing_changed()


def test_callnow_queue__service_of_another_agency__refused(queue, vero_remote):
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        queue(service=vero_remote)

    assert refused.value.message_dict == {"service": ["The service belongs to another agency."]}
    _nothing_changed()


def test_callnow_queue__agency_without_remote_service_at_the_point__refused(queue, vero):
    with pytest.raises(ValidationError) as refused:
        queue(agency=vero)

    assert "agency" in refused.value.message_dict
    _nothing_changed()


def test_callnow_page__advisor_queues_from_the_desk__and_bad_input_is_translated(
    staff_client, point_a, booth, kela, kela_remote, vero_remote, point_b
):
    advisor = staff_client(Role.ADVISOR, point=point_a)
    path = reverse("desk:callnow_new", kwargs={"slug": point_a.slug})
    other_booth = BoothFactory.create(point=point_b)

    wrong = advisor.post(
        path,
        {
            "callnow-agency": kela.pk,
            "callnow-service": vero_remote.pk,
            "callnow-booth": other_booth.pk,
            "callnow-language": "fi",
        },
    )
    assert wrong.status_code == 400
    assert "Valitse tämän asiointipisteen koppi." in wrong.content.decode()
    _nothing_changed()

    made = advisor.post(
        path,
        {
            "callnow-agency": kela.pk,
            "callnow-service": kela_remote.pk,
            "callnow-booth": booth.pk,
            "callnow-language": "sv",
        },
    )
    assert made.status_code == 302
    call = CallNowRequest.objects.get()
    assert (call.agency, call.service, call.booth, call.language) == (kela, kela_remote, booth, "sv")
    with translation.override("en"):
        desk = advisor.get(reverse("desk:desk", kwargs={"slug": point_a.slug}))
    assert "number 1 in the queue" in desk.content.decode()


def test_callnow_api__advisor_of_another_point__404_and_booth_of_another_point_422(
    staff_client, point_a, point_b, booth, kela, kela_remote
):
    other_advisor = staff_client(Role.ADVISOR, point=point_b)
    advisor = staff_client(Role.ADVISOR, point=point_a)
    other_booth = BoothFactory.create(point=point_b)

    foreign = _post(
        other_advisor, f"/desk/points/{point_a.pk}/callnow", {"agency": kela.pk, "booth": booth.pk}
    )
    wrong_booth = _post(
        advisor, f"/desk/points/{point_a.pk}/callnow?lang=en", {"agency": kela.pk, "booth": other_booth.pk}
    )

    assert foreign.status_code == 404 and foreign.json()["code"] == "point_not_found"
    assert wrong_booth.status_code == 422 and wrong_booth.json()["code"] == "invalid_callnow"
    assert wrong_booth.json()["errors"][0]["field"] == "booth"
    _nothing_changed()

    made = _post(advisor, f"/desk/points/{point_a.pk}/callnow", {"agency": kela.pk, "booth": booth.pk})
    assert made.status_code == 201 and made.json()["position"] == 1 and made.json()["status"] == "waiting"


# --- agency isolation -------------------------------------------------------------------------------


def test_callnow__kela_expert_never_sees_a_tax_call__page_api_accept(
    queue, staff_client, point_a, vero, vero_remote
):
    tax_call = queue(agency=vero, service=vero_remote)
    kela_expert = staff_client(Role.EXPERT, agency=Agency.objects.get(code="kela"))
    tax_expert = staff_client(Role.EXPERT, agency=vero)

    page = kela_expert.get(reverse("callbacks:now"))
    listed = kela_expert.get("/api/v1/callnow")
    accept_page = kela_expert.post(reverse("callbacks:now_accept", kwargs={"pk": tax_call.pk}))
    accept_api = _post(kela_expert, f"/callnow/{tax_call.pk}/accept", {})

    assert page.status_code == 200 and f'data-call="{tax_call.pk}"' not in page.content.decode()
    assert listed.json()["items"] == []
    assert accept_page.status_code == 404 and accept_api.status_code == 404
    tax_call.refresh_from_db()
    assert tax_call.status == CallNowStatus.WAITING
    # The Tax expert sees it.
    assert [i["id"] for i in tax_expert.get("/api/v1/callnow").json()["items"]] == [tax_call.pk]
    assert f'data-call="{tax_call.pk}"' in tax_expert.get(reverse("callbacks:now")).content.decode()


def test_callnow_socket__tax_call__reaches_the_tax_expert_never_the_kela_expert(
    staff_client, kela, vero, channel_layer
):
    kela_expert = staff_client(Role.EXPERT, agency=kela)
    tax_expert = staff_client(Role.EXPERT, agency=vero)
    assert async_to_sync(socket_outcome)(callnow_socket_path(vero.pk), client=kela_expert) == (
        False,
        CLOSE_FORBIDDEN,
    )

    async def follow() -> tuple[dict[str, Any], bool]:
        kela_socket = socket_communicator(callnow_socket_path(kela.pk), client=kela_expert)
        tax_socket = socket_communicator(callnow_socket_path(vero.pk), client=tax_expert)
        assert (await kela_socket.connect(timeout=5))[0]
        assert (await tax_socket.connect(timeout=5))[0]
        await channel_layer.group_send(
            callnow_group(vero.pk), {"type": EVENT_TYPE, "payload": {"kind": "callnow", "id": 3}}
        )
        heard = await tax_socket.receive_json_from(timeout=5)
        kela_heard = not await kela_socket.receive_nothing(timeout=0.5)
        await kela_socket.disconnect()
        await tax_socket.disconnect()
        return heard, kela_heard

    heard, kela_heard = async_to_sync(follow)()
    assert heard["kind"] == "callnow" and kela_heard is False


def test_callnow_queue__publishes_to_the_agency_and_the_point_after_commit(
    queue, kela, point_a, django_capture_on_commit_callbacks, monkeypatch
):
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr("asiointi.core.events._send", lambda group, payload: sent.append((group, payload)))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        call = queue()
    assert sent == []
    for callback in callbacks:
        callback()

    payload = {"kind": "callnow", "id": call.pk, "status": "waiting"}
    assert sorted(sent) == sorted(
        [(callnow_group(kela.pk), payload), (services.desk_group(point_a.pk), payload)]
    )


# --- accepting ------------------------------------------------------------------------------------------


def test_callnow_accept__first_expert__opens_the_room_at_the_booth_and_the_second_is_told(
    queue, staff_client, staff_user, kela, booth
):
    call = queue()
    first = staff_client(Role.EXPERT, agency=kela)
    second = staff_client(Role.EXPERT, agency=kela)

    taken = first.post(reverse("callbacks:now_accept", kwargs={"pk": call.pk}))
    with translation.override("en"):
        late = second.post(reverse("callbacks:now_accept", kwargs={"pk": call.pk}), follow=True)

    assert taken.status_code == 302 and "/meetings/join/" in taken["Location"]
    call.refresh_from_db()
    assert call.status == CallNowStatus.ACCEPTED and call.room is not None
    kinds = sorted(call.room.participants.values_list("kind", flat=True))
    assert kinds == [ParticipantKind.BOOTH, ParticipantKind.EXPERT]
    assert "Another expert took this call a moment ago." in late.content.decode()
    assert Participant.objects.filter(kind=ParticipantKind.EXPERT).count() == 1
    # The booth's kiosk finds the room (its next meeting) and joins it.
    device = BoothDevice.objects.create(booth=booth)
    found = booth_next_meeting(booth_device=device)
    assert found is not None and found.room == call.room


def test_callnow_accept_api__second_accept__422_not_waiting_translated(queue, staff_client, kela):
    call = queue()
    first = staff_client(Role.EXPERT, agency=kela)
    second = staff_client(Role.EXPERT, agency=kela)

    won = _post(first, f"/callnow/{call.pk}/accept", {})
    lost = second.post(f"/api/v1/callnow/{call.pk}/accept?lang=fi", "{}", content_type="application/json")

    assert won.status_code == 200 and "/meetings/join/" in won.json()["meeting_url"]
    assert lost.status_code == 422 and lost.json()["errors"][0]["code"] == "not_waiting"
    assert lost.json()["message"] == "Toinen asiantuntija otti tämän puhelun juuri."


@pytest.mark.django_db(transaction=True)
def test_callnow_accept__two_experts_at_once__exactly_one_room():
    point, (booth,), (service,) = remote_service_point(booths=1, agencies=1)
    agency = service.agency
    call = services.callnow_queue(
        data=CallNowData(point=point, booth=booth, agency=agency, language="fi"), by=None
    )
    experts = []
    for _n in range(2):
        user = UserFactory.create()
        MembershipFactory.create(user=user, role=Role.EXPERT, agency=agency)
        experts.append(user)
    barrier = threading.Barrier(2, timeout=30)
    results: list[Any] = []
    lock = threading.Lock()

    def accept(user: User) -> None:
        try:
            barrier.wait()
            outcome: Any = services.callnow_accept(request=call, by=user)
        except ValidationError as error:
            outcome = error
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=accept, args=(u,)) for u in experts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    won = [r for r in results if isinstance(r, services.CallNowAccepted)]
    lost = [r for r in results if isinstance(r, ValidationError)]
    assert len(won) == 1 and len(lost) == 1, results
    call.refresh_from_db()
    assert call.accepted_by == won[0].participant.user
    assert Participant.objects.filter(kind=ParticipantKind.EXPERT).count() == 1
    assert call.room is not None and call.room.participants.count() == 2
    from asiointi.meetings.models import Room

    assert Room.objects.count() == 1


def test_callnow_meeting_end__records_one_remote_guidance_transaction_of_the_agency(
    queue, staff_user, kela, booth
):
    call = queue()
    expert = _expert(staff_user, kela)
    accepted = services.callnow_accept(request=call, by=expert)
    room = accepted.request.room
    assert room is not None
    meeting_services.participant_join(participant=accepted.participant)
    booth_seat = room.participants.get(kind=ParticipantKind.BOOTH)
    meeting_services.participant_join(participant=booth_seat)
    meeting_services.participant_admit(participant=booth_seat, by=accepted.participant)

    recorded = meeting_services.meeting_end(room=room, by=accepted.participant)

    assert [(t.agency, t.asti_type, t.source) for t in recorded] == [
        (kela, AstiType.REMOTE_GUIDANCE, TransactionSource.MEETING)
    ]
    assert Transaction.objects.count() == 1
    # The sweep then closes the call and frees the booth from the meeting's end.
    assert services.callnow_sweep() == {"expired": 0, "done": 1}
    call.refresh_from_db()
    assert call.status == CallNowStatus.DONE
    assert Absence.objects.get().ends <= timezone.now()


# --- position, estimate, cancel, expiry -------------------------------------------------------------


def test_callnow_position_and_estimate__from_the_agency_recent_accepts(
    point_a, kela, kela_remote, staff_user
):
    expert = _expert(staff_user, kela)
    now = timezone.now()
    # Two calls accepted lately, after 2 and 4 minutes: the mean wait is 3 minutes.
    for waited in (2, 4):
        past = services.callnow_queue(
            data=CallNowData(
                point=point_a, booth=BoothFactory.create(point=point_a), agency=kela, language="fi"
            ),
            by=None,
            now=now - dt.timedelta(minutes=30),
        )
        CallNowRequest.objects.filter(pk=past.pk).update(
            status=CallNowStatus.DONE,
            accepted_by=expert,
            accepted_at=past.created_at + dt.timedelta(minutes=waited),
        )
    first = services.callnow_queue(
        data=CallNowData(point=point_a, booth=BoothFactory.create(point=point_a), agency=kela, language="fi"),
        by=None,
        now=now - dt.timedelta(minutes=1),
    )
    second = services.callnow_queue(
        data=CallNowData(point=point_a, booth=BoothFactory.create(point=point_a), agency=kela, language="fi"),
        by=None,
        now=now,
    )

    queued = {q.request.pk: q for q in selectors.callnow_point_queue(point=point_a, now=now)}

    assert (queued[first.pk].position, queued[second.pk].position) == (1, 2)
    # 3 minutes × position, less the time waited.
    assert queued[first.pk].estimate == dt.timedelta(minutes=2)
    assert queued[second.pk].estimate == dt.timedelta(minutes=6)
    assert queued[second.pk].estimate_minutes == 6


def test_callnow_estimate__no_recent_accepts__none(queue, point_a):
    queue()

    (item,) = selectors.callnow_point_queue(point=point_a)

    assert item.position == 1 and item.estimate is None and item.estimate_minutes is None


def test_callnow_cancel__advisor__frees_the_booth_and_a_taken_call_cannot_be_cancelled(
    queue, staff_client, staff_user, point_a, kela
):
    advisor = staff_client(Role.ADVISOR, point=point_a)
    call = queue()

    response = advisor.post(reverse("desk:callnow_cancel", kwargs={"slug": point_a.slug, "pk": call.pk}))

    assert response.status_code == 302
    call.refresh_from_db()
    assert call.status == CallNowStatus.CANCELLED and Absence.objects.count() == 0
    again = queue()  # the booth is free
    services.callnow_accept(request=again, by=_expert(staff_user, kela))
    with pytest.raises(ValidationError):
        services.callnow_cancel(request=again)
    again.refresh_from_db()
    assert again.status == CallNowStatus.ACCEPTED


def test_callnow_cancel__another_points_advisor__404_nothing_changes(queue, staff_client, point_a, point_b):
    call = queue()
    other = staff_client(Role.ADVISOR, point=point_b)

    page = other.post(reverse("desk:callnow_cancel", kwargs={"slug": point_b.slug, "pk": call.pk}))
    api = _post(other, f"/desk/points/{point_b.pk}/callnow/{call.pk}/cancel", {})

    assert page.status_code == 404 and api.status_code == 404
    call.refresh_from_db()
    assert call.status == CallNowStatus.WAITING


def test_callnow_sweep__waiting_too_long__expires_and_frees_the_booth(queue, settings):
    settings.CALL_NOW_EXPIRE_MINUTES = 15
    start = timezone.now()
    old = queue(now=start)

    assert services.callnow_sweep(now=start + dt.timedelta(minutes=14)) == {"expired": 0, "done": 0}
    assert services.callnow_sweep(now=start + dt.timedelta(minutes=16)) == {"expired": 1, "done": 0}
    assert services.callnow_sweep(now=start + dt.timedelta(minutes=17)) == {"expired": 0, "done": 0}

    old.refresh_from_db()
    assert old.status == CallNowStatus.EXPIRED
    assert Absence.objects.count() == 0  # the booth is free again
    with pytest.raises(ValidationError) as late, translation.override("en"):
        services.callnow_accept(request=old, by=UserFactory.create())
    assert late.value.message_dict["status"] == ["This call waited too long and was removed from the queue."]


def test_callnow_room__ended_by_the_meetings_clean_up__call_done(queue, staff_user, kela):
    call = queue()
    accepted = services.callnow_accept(request=call, by=_expert(staff_user, kela))
    assert accepted.request.room is not None

    meeting_services.rooms_close_overdue(now=accepted.request.room.ends + dt.timedelta(minutes=1))

    assert accepted.request.room.__class__.objects.get().state == RoomState.ENDED
    assert services.callnow_sweep()["done"] == 1


# --- the finder box on the desk ---------------------------------------------------------------------


def test_desk_page__chosen_finder_result__preselects_the_service_without_javascript(
    staff_client, point_a, kela_service
):
    advisor = staff_client(Role.ADVISOR, point=point_a)

    page = advisor.get(reverse("desk:desk", kwargs={"slug": point_a.slug}), {"service": kela_service.pk})

    assert page.status_code == 200
    assert f'value="{kela_service.pk}" id="id_service_' in page.content.decode()
    assert page.context["form"].initial["service"] == str(kela_service.pk)


def test_desk_finder__need_typed__results_with_choose_links_for_the_points_services(
    staff_client, point_a, kela_service, monkeypatch
):
    from asiointi.catalogue.finder import FinderResult

    seen: dict[str, Any] = {}

    def search(
        *, query: str, language: str, point: ServicePoint | None = None, limit: int = 10
    ) -> list[FinderResult]:
        seen.update(query=query, point=point)
        return [FinderResult(service=kela_service, agency=kela_service.agency, score=1.0)]

    monkeypatch.setattr("asiointi.catalogue.finder.service_search", search)
    advisor = staff_client(Role.ADVISOR, point=point_a)

    partial = advisor.get(reverse("desk:finder", kwargs={"slug": point_a.slug}), {"q": " asumistuki "})
    full = advisor.get(reverse("desk:desk", kwargs={"slug": point_a.slug}), {"q": "asumistuki"})

    assert seen == {"query": "asumistuki", "point": point_a}
    for response in (partial, full):
        assert f'data-choose-service="{kela_service.pk}"' in response.content.decode()
