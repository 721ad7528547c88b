"""The public search boxes take whatever is typed or pasted: control characters and text direction
marks are dropped before the search (PostgreSQL refuses a NUL), never a server error."""

import pytest

from asiointi.factories import ServiceOfferingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("typed", ["Karstula\x00", "\x00", "Kar\u202estula", "Karstula\r\n", "x" * 60_000])
def test_home_search__control_characters_or_a_huge_query__answers_the_page(client, point_a, typed):
    response = client.get("/fi/", {"q": typed})

    assert response.status_code == 200


def test_home_search__nul_in_a_name__finds_the_municipality_without_it(client, point_a):
    response = client.get("/fi/", {"q": "Kars\x00tula"})

    assert response.status_code == 200
    assert response.context["query"] == "Karstula"
    assert response.context["selected"].name_fi == "Karstula"


@pytest.mark.parametrize("typed", ["Karstula\x00", "\x00", "\u202e", "x" * 60_000])
def test_service_search__control_characters_or_a_huge_origin__answers_the_page(client, point_a, typed):
    offering = ServiceOfferingFactory.create(point=point_a)

    response = client.get(f"/fi/services/{offering.service.pk}/", {"from": typed})

    assert response.status_code == 200
