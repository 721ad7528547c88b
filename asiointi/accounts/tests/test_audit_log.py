import csv
import io

import pytest
from django.db import DatabaseError, transaction

from asiointi.accounts.models import AuditAction, AuditEvent, Membership, Role
from asiointi.accounts.services import audit_record
from asiointi.accounts.testing import login_staff
from asiointi.factories import MembershipFactory, TOTPDeviceFactory, UserFactory

from .helpers import authenticator_code

PASSWORD = "oikea salasana 2026"


@pytest.fixture
def administrator(db):
    return UserFactory.create(
        email="yllapito@example.fi", password=PASSWORD, full_name="Ylläpitäjä", superuser=True
    )


def test_sign_in__is_recorded_with_who_and_from_where(client, administrator):
    device = TOTPDeviceFactory.create(user=administrator)
    where = {"REMOTE_ADDR": "192.0.2.10", "HTTP_USER_AGENT": "Testiselain/1.0"}
    client.post("/fi/accounts/login/", {"username": administrator.email, "password": PASSWORD}, **where)
    assert AuditEvent.objects.filter(action=AuditAction.PASSWORD_ACCEPTED).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()

    client.post("/fi/accounts/second-factor/", {"code": authenticator_code(device)}, **where)

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN)
    assert (event.actor_id, event.actor_email) == (administrator.pk, administrator.email)
    assert event.ip_address == "192.0.2.10"
    assert event.user_agent == "Testiselain/1.0"


def test_failed_sign_in__is_recorded_without_the_password(client, administrator):
    client.post("/fi/accounts/login/", {"username": "arvaus@example.fi", "password": "salainen-arvaus"})

    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.actor_email == "arvaus@example.fi"
    assert event.actor_id is None
    assert "salainen-arvaus" not in f"{event.summary} {event.actor_email} {event.user_agent}"


def test_sign_out__is_recorded(client, administrator):
    login_staff(client, administrator)

    client.post("/fi/accounts/logout/")

    assert AuditEvent.objects.filter(action=AuditAction.SIGN_OUT, actor_id=administrator.pk).exists()


def test_membership_added_in_the_admin__is_recorded(client, administrator):
    planner = UserFactory.create(
        email="suunnittelija@example.fi", password=PASSWORD, full_name="Suunnittelija"
    )
    login_staff(client, administrator)

    response = client.post(
        "/fi/admin/accounts/membership/add/",
        {"user": planner.pk, "role": Role.NETWORK_PLANNER, "point": "", "agency": ""},
    )

    assert response.status_code == 302
    membership = Membership.objects.get(user=planner)
    event = AuditEvent.objects.get(action=AuditAction.MEMBERSHIP_ADDED)
    assert event.actor_id == administrator.pk
    assert (event.target_type, event.target_id) == ("accounts.Membership", str(membership.pk))


def test_superuser_status_changed_in_the_admin__is_recorded_with_the_changed_field(client, administrator):
    other = UserFactory.create(email="toinen@example.fi", password=PASSWORD, full_name="Toinen")
    login_staff(client, administrator)
    page = client.get(f"/en/admin/accounts/user/{other.pk}/change/")
    assert page.status_code == 200

    client.post(
        f"/en/admin/accounts/user/{other.pk}/change/",
        {
            "email": other.email,
            "full_name": other.full_name,
            "language": "fi",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )

    other.refresh_from_db()
    assert other.is_superuser
    event = AuditEvent.objects.get(action=AuditAction.USER_CHANGED)
    assert "superuser" in event.summary.lower()


def test_audit_event__cannot_be_changed_even_past_the_application(db):
    event = audit_record(
        action=AuditAction.PERSONAL_DATA_VIEWED, actor_email="x@example.fi", summary="callback 1"
    )

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="nothing happened")

    event.refresh_from_db()
    assert event.summary == "callback 1"


def test_audit_log_admin__administrator_reads_but_cannot_add_change_or_delete(client, administrator):
    event = audit_record(
        action=AuditAction.PERSONAL_DATA_VIEWED, actor_email="x@example.fi", summary="callback 1"
    )
    login_staff(client, administrator)

    assert client.get("/fi/admin/accounts/auditevent/").status_code == 200
    assert client.get("/fi/admin/accounts/auditevent/add/").status_code == 403
    assert (
        client.post(f"/fi/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    client.post(f"/fi/admin/accounts/auditevent/{event.pk}/change/", {"summary": "muutettu"})
    event.refresh_from_db()
    assert event.summary == "callback 1"
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_log_admin__exports_csv_with_formulas_neutralised(client, administrator):
    audit_record(action=AuditAction.PERSONAL_DATA_VIEWED, actor_email="x@example.fi", summary="=HYPERLINK(1)")
    login_staff(client, administrator)
    ids = list(AuditEvent.objects.values_list("pk", flat=True))

    response = client.post(
        "/fi/admin/accounts/auditevent/", {"action": "export_csv", "_selected_action": [str(i) for i in ids]}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["summary"] for r in rows if r["action"] == "personal_data_viewed"] == ["'=HYPERLINK(1)"]


def test_audit_log_admin__other_staff_cannot_open_it(client, db):
    manager = UserFactory.create(email="esihenkilo@example.fi", password=PASSWORD, full_name="Esi")
    MembershipFactory.create(user=manager, role=Role.NETWORK_PLANNER)
    login_staff(client, manager)

    assert client.get("/fi/admin/accounts/auditevent/").status_code == 403
