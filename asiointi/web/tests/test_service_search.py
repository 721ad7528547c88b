import pytest
from django.test import Client

from asiointi.catalogue.tests.catalogue_data import real_catalogue_create


@pytest.fixture
def catalogue(db):
    return real_catalogue_create()


def test_service_search_page__finnish_need__right_service_first_in_a_list_with_headings(catalogue):
    response = Client().get("/fi/services/search/", {"q": "passi hukassa"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="hds-text-input__label" for="id_q">Mitä tarvitset?</label>' in html
    assert '<ol class="finder-results">' in html
    first = html.split('<ol class="finder-results">')[1].split("<h3>")[1]
    assert ">Passi</a>" in first


def test_service_search_page__in_english__english_names(catalogue):
    html = Client().get("/en/services/search/", {"q": "skattekort"}).content.decode()
    assert ">Tax card</a>" in html


def test_service_search_page__no_match__help_to_go_on(catalogue):
    html = Client().get("/sv/services/search/", {"q": "zzqxv"}).content.decode()
    assert "Inga tjänster motsvarar din sökning." in html
    assert 'href="/sv/agencies/"' in html


def test_service_search_page__from_the_front_page__linked(catalogue):
    assert 'href="/fi/services/search/"' in Client().get("/fi/").content.decode()


def test_service_search_page__searches__not_kept_in_the_cache(catalogue, monkeypatch):
    from django.core.cache import cache

    from asiointi.web import views

    kept: list[str] = []

    class Recording:
        def get(self, key, default=None):
            return cache.get(key, default)

        def set(self, key, *args, **kwargs):
            kept.append(key)
            return cache.set(key, *args, **kwargs)

    monkeypatch.setattr(views, "cache", Recording())
    for n in range(3):
        Client().get("/fi/services/search/", {"q": f"passi {n}"})
    assert not [key for key in kept if key.startswith("public-page")]
    Client().get("/fi/services/search/")  # the page without a search is the same for everyone
    assert [key for key in kept if key.startswith("public-page")]
