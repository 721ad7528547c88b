import pytest
from django.test import Client

from asiointi.catalogue.models import Channel, Service
from asiointi.catalogue.tests.catalogue_data import real_catalogue_create
from asiointi.factories import ServiceOfferingFactory, point_with_hours

URL = "/api/v1/services/search"


@pytest.fixture
def catalogue(db):
    return real_catalogue_create()


def test_service_search_api__swedish_need__right_service_first_with_names_and_actions(catalogue):
    point = point_with_hours(slug="karstula")
    moving = Service.objects.get(code="muuttoilmoitus")
    ServiceOfferingFactory.create(point=point, service=moving, channel=Channel.ADVISOR_GUIDANCE)

    response = Client().get(URL, {"q": "flyttanmälan", "lang": "sv"})

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert first["service"]["code"] == "muuttoilmoitus"
    assert first["service"]["name"] == {
        "fi": "Muuttoilmoitus",
        "sv": "Flyttningsanmälan",
        "en": "Notice of move",
    }
    assert first["agency"]["code"] == "dvv"
    assert set(first["agency"]["name"]) == {"fi", "sv", "en"}
    assert first["actions"][0]["kind"] == "eservice_guidance"
    assert first["actions"][0]["label"] == "Handledning i att använda e-tjänsten på ett serviceställe."
    scores = [r["score"] for r in response.json()["results"]]
    assert scores == sorted(scores, reverse=True)


def test_service_search_api__english__lost_tax_card_first(catalogue):
    response = Client().get(URL, {"q": "lost my tax card", "lang": "en"})
    assert response.json()["results"][0]["service"]["code"] == "verokortti"


def test_service_search_api__empty_query__translated_specific_error(catalogue):
    response = Client().get(URL, {"q": " \u0000 ", "lang": "fi"})
    assert response.status_code == 422
    assert response.json() == {
        "code": "search_query_missing",
        "message": "Kirjoita tarpeesi parametriin q, esimerkiksi ”passi” tai ”verokortti”.",
    }


def test_service_search_api__too_long_query__refused_in_swedish(catalogue):
    response = Client().get(URL, {"q": "pass " * 30, "lang": "sv"})
    assert response.status_code == 422
    assert response.json()["code"] == "search_query_too_long"
    assert response.json()["message"] == "Söktexten får ha högst 100 tecken. Skriv en kortare sökning."


def test_service_search_api__unknown_language__invalid_request(catalogue):
    response = Client().get(URL, {"q": "passi", "lang": "de"})
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_request"


def test_service_search_api__past_the_public_limit__429(catalogue, settings):
    settings.API_PUBLIC_LIMIT_PER_MINUTE = 2
    client = Client()
    assert [client.get(URL, {"q": "passi"}).status_code for _ in range(3)] == [200, 200, 429]
