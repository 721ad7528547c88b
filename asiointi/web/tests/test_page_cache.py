"""The public pages that are the same for every visitor (the front page, a point's page, a service
page) are rendered once per language, day and version of their data, and served from the cache
after that; a change of the data renews them at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.utils import timezone

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel, ServiceOffering
from asiointi.factories import OpeningHoursExceptionFactory, ServiceOfferingFactory

pytestmark = pytest.mark.django_db


def test_point_page__second_visit__is_served_from_the_cache_without_queries(
    client, point, service, django_assert_num_queries
):
    with django_assert_num_queries(9):
        first = client.get("/fi/points/parainen/")
    with django_assert_num_queries(0):
        second = client.get("/fi/points/parainen/")

    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_point_page__cached__is_kept_per_language(client, point, service):
    client.get("/fi/points/parainen/")

    swedish = client.get("/sv/points/parainen/")

    assert '<html lang="sv"' in swedish.text
    assert "Pargas samservicekontor" in swedish.text


def test_point_page__after_the_point_is_closed_for_a_day__shows_it_at_once(
    client, point, service, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    assert "Suljettu vuoden ensimmäisenä" not in client.get("/fi/points/parainen/").text

    with django_capture_on_commit_callbacks(execute=True):
        OpeningHoursExceptionFactory.create(
            point=point, date=today, is_closed=True, reason_fi="Suljettu vuoden ensimmäisenä"
        )

    assert "Suljettu vuoden ensimmäisenä" in client.get("/fi/points/parainen/").text


def test_point_page__after_a_service_is_renamed_or_offered_no_more__shows_it_at_once(
    client, point, service, django_capture_on_commit_callbacks
):
    client.get("/fi/points/parainen/")
    with django_capture_on_commit_callbacks(execute=True):
        service.name_fi = "Asumistuki ja eläkkeensaajan asumistuki"
        service.save(update_fields=["name_fi"])

    assert "Asumistuki ja eläkkeensaajan asumistuki" in client.get("/fi/points/parainen/").text

    with django_capture_on_commit_callbacks(execute=True):
        for offering in ServiceOffering.objects.filter(point=point):
            offering.delete()

    assert "Asumistuki ja eläkkeensaajan asumistuki" not in client.get("/fi/points/parainen/").text


def test_point_page__a_change_not_yet_committed__leaves_the_cached_page(client, point, service):
    before = client.get("/fi/points/parainen/")  # tests run inside a transaction never committed

    ServiceOfferingFactory.create(point=point, service=service, channel=Channel.CALLBACK)

    assert client.get("/fi/points/parainen/").content == before.content


def test_point_page__another_week__is_its_own_page(client, point):
    next_monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())

    this_week = client.get("/fi/points/parainen/")
    next_week = client.get("/fi/points/parainen/", {"week": next_monday.isoformat()})

    assert next_monday.strftime("%-d.%-m.%Y") in next_week.text
    assert this_week.content != next_week.content


def test_point_page__signed_in_staff__get_their_own_page_not_the_cached_one(client, point, staff_client):
    client.get("/fi/points/parainen/")

    response = staff_client(Role.POINT_MANAGER, point=point).get("/fi/points/parainen/")

    assert "Kirjautuneena" in response.text


def test_service_page__typed_text__is_not_kept_but_a_municipalitys_name_is(
    client, service, parainen, django_assert_max_num_queries
):
    client.get(f"/fi/services/{service.pk}/", {"from": "Parainen"})
    with django_assert_max_num_queries(0):
        assert client.get(f"/fi/services/{service.pk}/", {"from": "Parainen"}).status_code == 200

    typed = client.get(f"/fi/services/{service.pk}/", {"from": "PARAINEN"})
    assert 'value="PARAINEN"' in typed.text
    again = client.get(f"/fi/services/{service.pk}/", {"from": "parainen"})
    assert 'value="parainen"' in again.text


def test_unknown_point__is_404_and_not_kept(client, db):
    assert client.get("/fi/points/ei-ole/").status_code == 404
    assert client.get("/fi/points/ei-ole/").status_code == 404


def test_point_page__cache_does_not_answer__is_rendered_without_it(client, point, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(LocMemCache, "get", down)

    response = client.get("/fi/points/parainen/")

    assert response.status_code == 200
    assert "Paraisten yhteispalvelupiste" in response.text
