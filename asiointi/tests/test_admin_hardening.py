"""The administration answers nonsense in its query strings and forms with a refusal (a 4xx, or
the form again with its errors), never a server error; the fixes live in the admin site
(config/admin.py), so they hold for every model admin."""

from __future__ import annotations

import pytest

from asiointi.accounts.models import Role
from asiointi.factories import AgencyFactory, ServicePointFactory
from asiointi.network.models import AgencyOffice, Booth

pytestmark = pytest.mark.django_db

REVERSE_RELATIONS = [
    ("network", "region", "municipalities"),
    ("network", "servicepoint", "booths"),
    ("network", "agency", "services"),
    ("accounts", "user", "memberships"),
]


@pytest.mark.parametrize(("app_label", "model_name", "field_name"), REVERSE_RELATIONS)
def test_autocomplete__reverse_relation__refused(superuser_client, app_label, model_name, field_name):
    response = superuser_client.get(
        "/fi/admin/autocomplete/",
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": "a"},
    )

    assert response.status_code == 403


@pytest.mark.parametrize("role", [Role.POINT_MANAGER, Role.NETWORK_PLANNER])
def test_autocomplete__reverse_relation__refused_for_any_role(staff_client, point_a, role):
    scope = {"point": point_a} if role == Role.POINT_MANAGER else {}
    client = staff_client(role, **scope)

    response = client.get(
        "/fi/admin/autocomplete/",
        {"app_label": "network", "model_name": "servicepoint", "field_name": "booths"},
    )

    assert response.status_code == 403


def test_autocomplete__forward_relation__still_answers(superuser_client, point_a):
    response = superuser_client.get(
        "/fi/admin/autocomplete/",
        {"app_label": "network", "model_name": "booth", "field_name": "point", "term": "Karstula"},
    )

    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [str(point_a)]


@pytest.mark.parametrize(
    "query",
    [
        "occurred_at__year=99999999999999999999",
        "occurred_at__year=2026&occurred_at__month=99999999999999999999",
        "occurred_at__year=2026&occurred_at__month=1&occurred_at__day=99999999999999999999",
        "occurred_at__year=9999&occurred_at__month=12",
        "occurred_at__year=9999",
        "occurred_at__year=-1",
    ],
)
def test_date_hierarchy__absurd_date__shows_the_list_with_an_error_note(superuser_client, query):
    response = superuser_client.get(f"/fi/admin/ledger/transaction/?{query}")

    # The admin's own answer to a filter it cannot apply: back to the unfiltered list (?e=1),
    # which says that the filter was wrong.
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_autocomplete_foreign_key__not_a_number__form_shows_its_error(superuser_client):
    response = superuser_client.post("/fi/admin/network/booth/add/", {"point": "abc", "name": "Koppi 1"})

    assert response.status_code == 200
    assert "Valitse oikea vaihtoehto" in response.text
    assert not Booth.objects.exists()


def test_autocomplete_foreign_key__huge_number__form_shows_its_error(superuser_client):
    response = superuser_client.post(
        "/fi/admin/network/booth/add/", {"point": "99999999999999999999999", "name": "Koppi 1"}
    )

    assert response.status_code == 200
    assert "Valitse oikea vaihtoehto" in response.text
    assert not Booth.objects.exists()


def test_autocomplete_foreign_key__not_a_number_on_an_opening_hours_rule__form_shows_its_error(
    superuser_client,
):
    response = superuser_client.post(
        "/fi/admin/network/openinghoursrule/add/",
        {"point": "abc", "weekday": "1", "opens": "09:00", "closes": "15:00"},
    )

    assert response.status_code == 200
    assert "Valitse oikea vaihtoehto" in response.text


def test_autocomplete_foreign_key__not_a_number_on_an_agency_office__form_shows_its_error(superuser_client):
    agency = AgencyFactory.create()

    response = superuser_client.post(
        "/fi/admin/network/agencyoffice/add/",
        {"agency": agency.pk, "name_fi": "Toimisto", "municipality": "x"},
    )

    assert response.status_code == 200
    assert "Valitse oikea vaihtoehto" in response.text
    assert not AgencyOffice.objects.exists()


def test_autocomplete_foreign_key__not_a_number_in_an_inline__form_shows_its_error(
    superuser_client, admin_form_data
):
    agency = AgencyFactory.create()
    ServicePointFactory.create()
    url = f"/fi/admin/network/agency/{agency.pk}/change/"
    data = admin_form_data(superuser_client.get(url))
    data["offices-TOTAL_FORMS"] = ["1"]
    data["offices-0-name_fi"] = ["Toimisto"]
    data["offices-0-municipality"] = ["x"]

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "Valitse oikea vaihtoehto" in response.text
    assert not AgencyOffice.objects.exists()
