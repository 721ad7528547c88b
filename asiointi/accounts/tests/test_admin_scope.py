"""Who gets what in the admin: the roles decide, through the real admin pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client

from asiointi.accounts.models import Membership, Role, User
from asiointi.accounts.testing import login_staff
from asiointi.factories import MembershipFactory, TransactionFactory, UserFactory
from asiointi.ledger.models import Transaction
from asiointi.network.models import Agency, ServicePoint

pytestmark = pytest.mark.django_db


def test_interpreter__cannot_enter_the_admin_and_is_sent_to_sign_in(
    staff_client: Callable[..., Client],
) -> None:
    client = staff_client(Role.INTERPRETER)

    response = client.get("/fi/admin/", follow=True)

    assert response.redirect_chain[0][0].startswith("/fi/admin/login/?next=/fi/admin/")
    assert response.request["PATH_INFO"] == "/fi/accounts/login/"


def test_interpreter__model_pages__send_to_sign_in_and_show_nothing(
    staff_client: Callable[..., Client], point_a: ServicePoint
) -> None:
    client = staff_client(Role.INTERPRETER)

    for path in ("/fi/admin/network/servicepoint/", "/fi/admin/ledger/transaction/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/fi/admin/login/")
        assert point_a.name not in client.get(path, follow=True).text


def test_user_without_staff_status__is_sent_to_the_login_page(
    point_a: ServicePoint, staff_user: Callable[..., User]
) -> None:
    user = staff_user(Role.POINT_MANAGER, point=point_a)
    user.is_staff = False
    user.save(update_fields=["is_staff"])
    client = Client()
    login_staff(client, user)

    response = client.get("/fi/admin/network/servicepoint/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_point_manager__index_lists_network_catalogue_ledger_and_booth_screens_but_not_users(
    staff_client: Callable[..., Client], point_a: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.get("/en/admin/")

    apps = {app["app_label"]: app for app in response.context["app_list"]}
    assert set(apps) == {"network", "catalogue", "ledger", "accounts"}
    assert [m["object_name"] for m in apps["accounts"]["models"]] == ["BoothDevice"]
    assert "/admin/accounts/user/" not in response.text
    assert client.get("/en/admin/accounts/user/").status_code == 403
    assert client.get("/en/admin/accounts/membership/").status_code == 403


def test_site_header__is_the_asiointi_administration(superuser_client: Client) -> None:
    response = superuser_client.get("/en/admin/")

    assert "Asiointi administration" in response.text


# -- the ledger: read-only for everyone -------------------------------------------------------------


def test_transaction_admin__administrator_cannot_add_change_or_delete(
    superuser_client: Client, point_a: ServicePoint, kela: Agency
) -> None:
    row = TransactionFactory.create(point=point_a, agency=kela, duration_seconds=600)

    changelist = superuser_client.get("/fi/admin/ledger/transaction/")
    add = superuser_client.get("/fi/admin/ledger/transaction/add/")
    change = superuser_client.post(
        f"/fi/admin/ledger/transaction/{row.pk}/change/",
        {"duration_seconds": "1", "asti_type": "LostAndFound"},
    )
    delete = superuser_client.post(f"/fi/admin/ledger/transaction/{row.pk}/delete/", {"post": "yes"})
    bulk = superuser_client.post(
        "/fi/admin/ledger/transaction/",
        {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
    )

    assert changelist.status_code == 200
    assert "/admin/ledger/transaction/add/" not in changelist.text
    assert 'name="action"' not in changelist.text  # no bulk delete either
    assert add.status_code == 403
    assert change.status_code == 403
    assert delete.status_code == 403
    assert bulk.status_code == 200
    row.refresh_from_db()
    assert (row.duration_seconds, row.asti_type) == (600, "OnsiteGuidance")
    assert Transaction.objects.count() == 1


def test_transaction_admin__advisor_sees_only_their_points_rows(
    staff_client: Callable[..., Client], point_a: ServicePoint, point_b: ServicePoint, kela: Agency
) -> None:
    own = [TransactionFactory.create(point=point_a, agency=kela) for _ in range(3)]
    other = TransactionFactory.create(point=point_b, agency=kela)
    client = staff_client(Role.ADVISOR, point=point_a)

    response = client.get("/fi/admin/ledger/transaction/")

    assert response.status_code == 200
    shown = {row.pk for row in response.context["cl"].result_list}
    assert shown == {row.pk for row in own}
    assert f"/admin/ledger/transaction/{other.pk}/change/" not in response.text
    assert client.get(f"/fi/admin/ledger/transaction/{other.pk}/change/").status_code == 404


def test_transaction_admin__agency_coordinator_sees_only_their_agencys_rows(
    staff_client: Callable[..., Client], point_a: ServicePoint, kela: Agency, vero: Agency
) -> None:
    own = TransactionFactory.create(point=point_a, agency=kela)
    TransactionFactory.create(point=point_a, agency=vero)
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)

    response = client.get("/fi/admin/ledger/transaction/")

    assert [row.pk for row in response.context["cl"].result_list] == [own.pk]


def test_transaction_admin__expert_has_no_ledger(
    staff_client: Callable[..., Client], point_a: ServicePoint, kela: Agency
) -> None:
    TransactionFactory.create(point=point_a, agency=kela)
    client = staff_client(Role.EXPERT, agency=kela)

    assert client.get("/fi/admin/ledger/transaction/").status_code == 403


# -- users with several roles get the union, and no more ---------------------------------------------


def test_manager_at_one_point_and_advisor_at_another__cannot_delete_the_other_points_rules(
    point_a: ServicePoint, point_b: ServicePoint, staff_user: Callable[..., User]
) -> None:
    user = staff_user(Role.POINT_MANAGER, point=point_a)
    MembershipFactory.create(user=user, role=Role.ADVISOR, point=point_b)
    client = Client()
    login_staff(client, user)
    ids_b = list(point_b.opening_rules.values_list("pk", flat=True))

    changelist = client.get("/fi/admin/network/openinghoursrule/")
    bulk = client.post(
        "/fi/admin/network/openinghoursrule/",
        {"action": "delete_selected", "_selected_action": ids_b, "post": "yes"},
    )
    single = client.post(f"/fi/admin/network/openinghoursrule/{ids_b[0]}/delete/", {"post": "yes"})

    assert len(changelist.context["cl"].result_list) == 10  # both points' rules are visible
    assert bulk.status_code == 403
    assert single.status_code == 403
    assert point_b.opening_rules.count() == len(ids_b)


def test_manager_at_one_point_and_advisor_at_another__other_point_is_read_only(
    point_a: ServicePoint, point_b: ServicePoint, staff_user: Callable[..., User]
) -> None:
    user = staff_user(Role.POINT_MANAGER, point=point_a)
    MembershipFactory.create(user=user, role=Role.ADVISOR, point=point_b)
    client = Client()
    login_staff(client, user)

    own = client.get(f"/fi/admin/network/servicepoint/{point_a.pk}/change/")
    other = client.get(f"/fi/admin/network/servicepoint/{point_b.pk}/change/")

    assert 'name="_save"' in own.text
    assert other.status_code == 200
    assert 'name="_save"' not in other.text


# -- users and memberships: administrators only ----------------------------------------------------


def test_administrator_role__manages_users_without_being_superuser(
    staff_client: Callable[..., Client], point_a: ServicePoint
) -> None:
    client = staff_client(Role.ADMINISTRATOR)

    response = client.post(
        "/fi/admin/accounts/user/add/",
        {
            "email": "Neuvoja@Karstula.fi",
            "full_name": "Aino Neuvoja",
            "language": "fi",
            "usable_password": "true",
            "password1": "Pitkä-salasana-2026",
            "password2": "Pitkä-salasana-2026",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="neuvoja@karstula.fi")
    assert user.check_password("Pitkä-salasana-2026")
    page = client.get(f"/fi/admin/accounts/user/{user.pk}/change/")
    assert 'href="../password/"' in page.text  # the change form links to setting the password
    assert "Pitkä-salasana-2026" not in page.text


def test_user_add__passwords_differ__refused_in_finnish_and_nothing_saved(superuser_client: Client) -> None:
    response = superuser_client.post(
        "/fi/admin/accounts/user/add/",
        {
            "email": "neuvoja@karstula.fi",
            "full_name": "Aino Neuvoja",
            "language": "fi",
            "usable_password": "true",
            "password1": "Pitkä-salasana-2026",
            "password2": "Toinen-salasana-2026",
        },
    )

    assert response.status_code == 200
    assert "Salasanakentät eivät täsmänneet." in response.text  # Django's own Finnish message
    assert not User.objects.filter(email="neuvoja@karstula.fi").exists()


def test_user_change__membership_inline_without_point_for_advisor__refused(
    superuser_client: Client, admin_form_data: Callable[..., dict[str, list[str]]]
) -> None:
    user = UserFactory.create(email="neuvoja@karstula.fi", full_name="Aino Neuvoja")
    url = f"/en/admin/accounts/user/{user.pk}/change/"
    data = admin_form_data(superuser_client.get(url))
    data["memberships-TOTAL_FORMS"] = ["1"]
    data.update({"memberships-0-role": [Role.ADVISOR], "memberships-0-user": [str(user.pk)]})

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "Advisors and point managers need a service point" in response.text
    assert not Membership.objects.filter(user=user).exists()


def test_point_manager__cannot_give_themselves_more_roles(
    staff_client: Callable[..., Client], point_a: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    user = User.objects.get(memberships__role=Role.POINT_MANAGER)

    response = client.post(
        "/fi/admin/accounts/membership/add/", {"user": user.pk, "role": Role.ADMINISTRATOR}
    )

    assert response.status_code == 403
    assert list(user.memberships.values_list("role", flat=True)) == [Role.POINT_MANAGER]


def test_admin_pages__take_a_bounded_number_of_queries(
    staff_client: Callable[..., Client],
    point_a: ServicePoint,
    kela: Agency,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    for _ in range(20):
        TransactionFactory.create(
            point=point_a, agency=kela, occurred_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
        )
    client = staff_client(Role.ADVISOR, point=point_a)

    with django_assert_max_num_queries(15):  # type: ignore[operator]
        response = client.get("/fi/admin/ledger/transaction/")

    assert len(response.context["cl"].result_list) == 20
