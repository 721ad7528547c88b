"""The advisor's desk: recording through the ledger, undo within five minutes as a reversing entry,
the counts per agency, the receipt with its feedback link, and an advisor who never sees another
point's desk."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from asiointi.accounts.models import Role
from asiointi.desk import selectors, services
from asiointi.factories import TransactionFactory
from asiointi.ledger.models import FeedbackToken, Transaction, TransactionSource

pytestmark = pytest.mark.django_db


def _record(point, agency, **changes):
    fields = {
        "point": point,
        "agency": agency,
        "asti_type": "OnsiteGuidance",
        "channel": "advisor_guidance",
        "duration_seconds": 300,
        "language": "fi",
    }
    fields.update(changes)
    return services.desk_transaction_record(**fields)


def _post(point, service, **changes):
    data = {
        "service": str(service.pk),
        "agency": "",
        "asti_type": "OnsiteGuidance",
        "channel": "advisor_guidance",
        "duration_minutes": "",
        "language": "fi",
        "started": (timezone.now() - dt.timedelta(minutes=4)).isoformat(),
    }
    data.update(changes)
    return data


def test_desk_page__advisor_records_with_the_timer__one_ledger_row_with_the_elapsed_time(
    staff_client, point_a, kela_service
):
    client = staff_client(Role.ADVISOR, point=point_a)
    url = reverse("desk:desk", kwargs={"slug": point_a.slug})

    response = client.post(url, _post(point_a, kela_service))

    assert response.status_code == 302
    row = Transaction.objects.get()
    assert (row.point, row.agency, row.service, row.source) == (
        point_a,
        kela_service.agency,
        kela_service,
        TransactionSource.DESK,
    )
    assert 235 <= row.duration_seconds <= 260
    page = client.get(url)
    assert "Tapahtuma kirjattiin" in page.text or "kirjattiin" in page.text


def test_desk_page__written_minutes__win_over_the_timer(staff_client, point_a, kela_service):
    client = staff_client(Role.ADVISOR, point=point_a)

    client.post(
        reverse("desk:desk", kwargs={"slug": point_a.slug}),
        _post(point_a, kela_service, duration_minutes="12"),
    )

    assert Transaction.objects.get().duration_seconds == 720


@pytest.mark.parametrize("minutes", ["-5", "100000"])
def test_desk_page__negative_or_absurd_duration__specific_error_and_nothing_recorded(
    staff_client, point_a, kela_service, minutes
):
    client = staff_client(Role.ADVISOR, point=point_a)

    response = client.post(
        reverse("desk:desk", kwargs={"slug": point_a.slug}),
        _post(point_a, kela_service, duration_minutes=minutes),
        HTTP_ACCEPT_LANGUAGE="fi",
    )

    assert response.status_code == 400
    assert 'id="id_duration_minutes_error"' in response.text
    assert not Transaction.objects.exists()


def test_desk_page__service_of_another_agency__specific_error_and_nothing_recorded(
    staff_client, point_a, kela_service, vero
):
    client = staff_client(Role.ADVISOR, point=point_a)
    # Vero must be among the point's agencies to be chosen at all.
    from asiointi.factories import ServiceFactory, ServiceOfferingFactory

    ServiceOfferingFactory.create(point=point_a, service=ServiceFactory.create(agency=vero))

    response = client.post(
        "/en" + reverse("desk:desk", kwargs={"slug": point_a.slug})[3:],
        _post(point_a, kela_service, agency=str(vero.pk)),
    )

    assert response.status_code == 400
    assert "The service belongs to another agency." in response.text
    assert not Transaction.objects.exists()


def test_desk_page__advisor_of_another_point__404_and_nothing_recorded(
    staff_client, point_a, point_b, kela_service
):
    client = staff_client(Role.ADVISOR, point=point_b)
    url = reverse("desk:desk", kwargs={"slug": point_a.slug})

    assert client.get(url).status_code == 404
    assert client.post(url, _post(point_a, kela_service)).status_code == 404
    assert not Transaction.objects.exists()


def test_desk_index__advisor_of_two_points__chooses_among_their_own(staff_user, point_a, point_b, client):
    from asiointi.accounts.testing import login_staff
    from asiointi.factories import MembershipFactory, ServicePointFactory

    other = ServicePointFactory.create()
    user = staff_user(Role.ADVISOR, point=point_a)
    login_staff(client, user)
    MembershipFactory.create(user=user, role=Role.ADVISOR, point=point_b)
    page = client.get(reverse("desk:index"))
    assert page.status_code == 200
    assert point_a.name in page.text and point_b.name in page.text
    assert f"/desk/{other.slug}/" not in page.text


@pytest.mark.parametrize("role", [Role.EXPERT, Role.NETWORK_PLANNER])
def test_desk_index__staff_without_a_desk__403(staff_client, kela, role):
    client = staff_client(role, agency=kela) if role == Role.EXPERT else staff_client(role)

    assert client.get(reverse("desk:index")).status_code == 403


def test_desk_undo__within_five_minutes__appends_a_reversal_and_the_counts_drop(point_a, kela):
    row = _record(point_a, kela)

    reversal = services.desk_transaction_undo(point=point_a, transaction_id=row.pk)

    assert reversal.reverses == row and reversal.count == -1
    assert Transaction.objects.filter(point=point_a).aggregate(n=Sum("count"))["n"] == 0
    assert Transaction.objects.count() == 2  # nothing edited or deleted
    assert [c.today for c in selectors.desk_counts(point=point_a)] == [0]


def test_desk_undo__after_the_window__refused_and_nothing_changes(point_a, kela):
    row = _record(point_a, kela)

    with pytest.raises(ValidationError) as refused:
        services.desk_transaction_undo(
            point=point_a, transaction_id=row.pk, now=timezone.now() + dt.timedelta(minutes=5, seconds=1)
        )

    assert "viiden minuutin" in str(refused.value)
    assert Transaction.objects.count() == 1


def test_desk_undo__transaction_of_another_point__refused_and_nothing_changes(point_a, point_b, kela):
    row = _record(point_b, kela)

    with pytest.raises(ValidationError) as refused:
        services.desk_transaction_undo(point=point_a, transaction_id=row.pk)

    assert "toisessa palvelupisteessä" in str(refused.value)
    assert Transaction.objects.count() == 1


def test_desk_undo__twice__second_refused(point_a, kela):
    row = _record(point_a, kela)
    services.desk_transaction_undo(point=point_a, transaction_id=row.pk)

    with pytest.raises(ValidationError):
        services.desk_transaction_undo(point=point_a, transaction_id=row.pk)

    assert Transaction.objects.count() == 2


def test_desk_undo_page__another_points_transaction__translated_error_and_nothing_changes(
    staff_client, point_a, point_b, kela
):
    row = _record(point_b, kela)
    client = staff_client(Role.ADVISOR, point=point_a)

    response = client.post(reverse("desk:undo", kwargs={"slug": point_a.slug, "pk": row.pk}), follow=True)

    assert "toisessa palvelupisteessä" in response.text
    assert Transaction.objects.count() == 1


def test_desk_counts__today_and_month_per_agency__summed_in_two_queries(point_a, point_b, kela, vero):
    now = timezone.now()
    for _ in range(3):
        _record(point_a, kela)
    _record(point_a, vero)
    _record(point_b, kela)  # another point
    TransactionFactory.create(
        point=point_a, agency=kela, occurred_at=now - dt.timedelta(days=40)
    )  # another month

    with CaptureQueriesContext(connection) as queries:
        counts = selectors.desk_counts(point=point_a, now=now)

    assert len(queries) == 2
    figures = {c.agency.code: (c.today, c.month) for c in counts}
    assert figures["kela"][0] == 3 and figures["vero"][0] == 1
    assert figures["kela"][1] >= 3


def test_desk_services__frequent_first_with_number_keys(point_a, kela_service, vero_service):
    for _ in range(2):
        _record(point_a, vero_service.agency, service=vero_service)
    _record(point_a, kela_service.agency, service=kela_service)

    found = selectors.desk_services(point=point_a)

    assert [(s.service, s.key) for s in found] == [(vero_service, "1"), (kela_service, "2")]


def test_desk_page__shortcuts_shown_and_query_count_bounded(
    staff_client, point_a, kela_service, django_assert_max_num_queries
):
    client = staff_client(Role.ADVISOR, point=point_a)
    client.get(reverse("desk:desk", kwargs={"slug": point_a.slug}))  # warm the session

    # 15 for recording and the counts, 4 for the call-now form (agencies, services, booths) and queue.
    with django_assert_max_num_queries(19):
        page = client.get(reverse("desk:desk", kwargs={"slug": point_a.slug}))

    assert f"[1] {kela_service.name}" in page.text
    assert "data-timer" in page.text


def test_desk_receipt__own_transaction__qr_code_of_a_new_feedback_link(staff_client, point_a, kela):
    row = _record(point_a, kela)
    client = staff_client(Role.ADVISOR, point=point_a)

    page = client.post(reverse("desk:receipt", kwargs={"slug": point_a.slug, "pk": row.pk}))

    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.text
    assert "/fi/palaute/" in page.text
    assert FeedbackToken.objects.filter(transaction=row).count() == 1


def test_desk_receipt__another_points_transaction__404_and_no_link(staff_client, point_a, point_b, kela):
    row = _record(point_b, kela)
    client = staff_client(Role.ADVISOR, point=point_a)

    page = client.post(reverse("desk:receipt", kwargs={"slug": point_a.slug, "pk": row.pk}))

    assert page.status_code == 404
    assert not FeedbackToken.objects.exists()


def test_desk_counts_panel__fragment_for_htmx_polling(staff_client, point_a, kela):
    _record(point_a, kela)
    client = staff_client(Role.ADVISOR, point=point_a)

    panel = client.get(reverse("desk:counts", kwargs={"slug": point_a.slug}))

    assert panel.status_code == 200
    assert 'hx-trigger="every 30s' in panel.text
    assert "<html" not in panel.text
