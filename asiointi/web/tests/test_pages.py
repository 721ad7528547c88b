"""The public pages as a customer uses them: finding a point, its hours, services and booths, an
agency and a service."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from asiointi.catalogue.models import Channel
from asiointi.factories import BoothFactory, ServiceFactory, ServiceOfferingFactory

from .html import parse


def test_search__swedish_name__finds_the_municipality_and_its_nearest_points(client, point, turku):
    response = client.get("/fi/", {"q": "Pargas"})

    assert response.status_code == 200
    page = parse(response.content)
    results = page.text_of("ul", class_="choice-list")[0]
    assert "Parainen" in results
    assert "Turku" not in results
    nearest = page.text_of("ol", class_="point-distances")[0]
    assert "Paraisten yhteispalvelupiste" in nearest
    assert "km" in nearest


def test_search__part_of_a_name__lists_matches_and_another_can_be_chosen(client, point, parainen, turku):
    response = client.get("/en/", {"q": "ur", "m": turku.code})

    page = parse(response.content)
    results = [a for a in page.find_all("a") if a.attrs["href"].startswith("?q=")]
    assert [a.words for a in results] == ["Turku"]  # Parainen does not contain "ur"
    chosen = [a for a in results if a.attrs.get("aria-current") == "true"]
    assert [a.words for a in chosen] == ["Turku"]
    assert "Service points nearest to Turku" in page.text_of("h2")


def test_search__no_match__says_so(client, point):
    response = client.get("/en/", {"q": "Atlantis"})

    assert response.status_code == 200
    assert "No municipality has a name that contains" in response.content.decode()


def test_map__has_a_link_per_active_point_and_stays_small(client, point, closed_point):
    response = client.get("/fi/")

    html = response.content.decode()
    svg = html[html.index("<svg") : html.index("</svg>") + len("</svg>")]
    assert len(svg.encode()) < 150_000
    page = parse(svg)
    markers = page.find_all("a", class_="fi-map__point")
    assert [m.attrs["href"] for m in markers] == ["/fi/points/parainen/"]
    assert "Paraisten yhteispalvelupiste" in markers[0].attrs["aria-label"]
    assert page.find_all("title")  # the marker's name for pointer users
    assert page.find_all("g", class_="fi-map__municipalities")[0].attrs["aria-hidden"] == "true"
    assert len(page.find_all("path")) > 300  # every municipality of Finland


def test_map__searched_municipality__is_highlighted(client, point):
    page = parse(client.get("/fi/", {"q": "Parainen"}).content)

    assert len(page.find_all("path", class_="fi-map__muni fi-map__muni--selected")) == 1


def test_map__has_a_text_alternative_listing_the_points(client, point, closed_point):
    page = parse(client.get("/fi/").content)

    listed = page.text_of("ul", class_="point-index")[0]
    assert "Paraisten yhteispalvelupiste" in listed
    assert "Vanha piste" not in listed


def test_point_list__groups_active_points_by_region(client, point, closed_point):
    page = parse(client.get("/fi/points/").content)

    assert "Varsinais-Suomi" in page.text_of("h2")
    text = page.text_of("main")[0]
    assert "Paraisten yhteispalvelupiste" in text
    assert "Vanha piste" not in text


def test_point_page__shows_contact_details_and_languages(client, point):
    page = parse(client.get("/en/points/parainen/").content)

    text = page.text_of("main")[0]
    assert "Rantatie 28" in text
    assert page.find_all("a", href="tel:021234567")
    assert page.find_all("a", href="mailto:asiointi@example.fi")
    assert "Finnish" in text and "Swedish" in text


def test_point_page__chosen_week__shows_each_day_with_hours_in_finnish_format(client, point):
    page = parse(client.get("/fi/points/parainen/", {"week": "2025-03-12"}).content)

    body = page.text_of("tbody")[0]
    assert "10.3.2025" in body and "16.3.2025" in body  # Monday to Sunday of that week
    assert body.count("9.00–16.00") == 5
    assert page.find_all("a", href="?week=2025-03-03") and page.find_all("a", href="?week=2025-03-17")


def test_point_page__public_holiday__is_named_and_closed(client, point):
    # Friday 6.12.2024 is Independence Day.
    page = parse(client.get("/en/points/parainen/", {"week": "2024-12-02"}).content)

    body = page.text_of("tbody")[0]
    assert "Independence Day" in body
    assert body.count("9.00–16.00") == 4


@pytest.mark.parametrize("week", ["not-a-date", "2025-02-30", "9999-12-31", "0001-01-01"])
def test_point_page__bad_week__shows_the_current_week(client, point, week):
    response = client.get("/fi/points/parainen/", {"week": week})

    assert response.status_code == 200
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    page = parse(response.content)
    body = page.text_of("tbody")[0]
    assert f"{monday.day}.{monday.month}.{monday.year}" in body
    assert page.find_all("div", class_="hds-notification hds-notification--small", role="status")


def test_point_page__lists_services_by_agency_with_channels(client, point, service):
    page = parse(client.get("/en/points/parainen/").content)

    assert "Social Insurance Institution" in page.text_of("h3")
    assert page.find_all("a", href=f"/en/services/{service.pk}/")
    text = page.text_of("main")[0]
    assert "Guidance by the service advisor" in text
    assert "Remote meeting with an expert" in text


def test_point_page__shows_next_visiting_days(client, point):
    page = parse(client.get("/fi/points/parainen/").content)

    text = page.text_of("main")[0]
    assert "Kelan asiantuntija paikalla" in text
    assert "10.00–12.00" in text


def test_point_page__booth_equipment_is_written_as_text(client, point):
    page = parse(client.get("/en/points/parainen/").content)

    headings = page.text_of("th")
    assert "Document camera" in headings and "Printer" in headings
    booth_row = next(r for r in page.find_all("tr") if "Etäpiste 1" in r.text)
    # Etäpiste 1, then document camera, printer, scanner, second screen, step-free access.
    assert booth_row.text.split() == ["Etäpiste", "1", "yes", "no", "no", "no", "yes"]


def test_point_page__unknown_slug__is_404(client, db):
    assert client.get("/fi/points/ei-ole/").status_code == 404


def test_agency_page__shows_services_points_and_offices(client, point, service):
    page = parse(client.get("/fi/agencies/kela/").content)

    assert page.text_of("h1") == ["Kansaneläkelaitos"]
    text = page.text_of("main")[0]
    assert "Asumistuki" in text
    assert "Paraisten yhteispalvelupiste" in text
    assert "Kela Turku" in text
    assert page.find_all("a", href="https://www.kela.fi/")


def test_agency_page__unknown_code__is_404(client, db):
    assert client.get("/fi/agencies/ei-ole/").status_code == 404


def test_service_page__from_a_municipality__lists_points_nearest_first(client, point, service, turku):
    response = client.get(f"/en/services/{service.pk}/", {"from": "Åbo"})

    page = parse(response.content)
    assert page.text_of("h1") == ["Housing allowance"]
    table = page.text_of("table")[0]
    assert "Parainen joint service point" in table
    assert "about 22 km" in table  # 16.6 km as the crow flies, times the circuity factor 1.3
    assert "Remote meeting with an expert" in table
    assert "You must prove your identity" in page.text_of("main")[0]


def test_service_page__unknown_municipality__is_marked_invalid_with_suggestions(client, service, parainen):
    page = parse(client.get(f"/en/services/{service.pk}/", {"from": "Parai"}).content)

    field = page.find_all("input", name="from")[0]
    assert field.attrs["aria-invalid"] == "true"
    assert "id_from_error" in field.attrs["aria-describedby"]
    assert page.find_all("a", href="?from=445")


def test_service_page__unknown_service__is_404(client, db):
    assert client.get("/fi/services/999999/").status_code == 404


def test_page_not_found__is_a_page_of_the_site_in_the_right_language(client, db):
    response = client.get("/sv/points/finns-inte/")

    assert response.status_code == 404
    page = parse(response.content)
    assert page.find_all("html")[0].attrs["lang"] == "sv"
    assert len(page.find_all("h1")) == 1
    assert page.find_all("a", href="/sv/")


def test_point_page__query_count_does_not_grow_with_services_or_booths(
    client, point, service, agency, django_assert_num_queries
):
    for n in range(2, 5):
        BoothFactory.create(point=point, name=f"Etäpiste {n}")
        other = ServiceFactory.create(agency=agency, code=f"palvelu-{n}", name_fi=f"Palvelu {n}")
        ServiceOfferingFactory.create(point=point, service=other, channel=Channel.CALLBACK)

    # The point; rules and exceptions of the week; offerings; visiting schedules with the rules
    # and exceptions of their period; booths; the point's profile (it has none).
    with django_assert_num_queries(9):
        response = client.get("/fi/points/parainen/")

    assert response.status_code == 200
    assert response.content.decode().count("Etäpiste") == 4


def test_front_page__search_and_map__take_few_queries(client, point, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/fi/", {"q": "Pargas"})

    assert response.status_code == 200


def test_point_page__point_no_longer_in_use__says_so(client, closed_point):
    response = client.get("/en/points/vanha-piste/")

    assert response.status_code == 200
    assert "This service point is not in use at the moment." in response.content.decode()
