"""Coordinates and short texts typed in the network admin: an agency's office lies in Finland as a
service point does, and names, addresses and phone numbers are one line of plain text."""

from __future__ import annotations

import pytest

from asiointi.factories import AgencyFactory, MunicipalityFactory
from asiointi.network.models import AgencyOffice

pytestmark = pytest.mark.django_db

SINGLE_LINE_FI = "Kirjoita tämä yhdelle riville ilman rivinvaihtoja"


def _office(**changes):
    data = {
        "agency": AgencyFactory.create().pk,
        "name_fi": "Kelan toimisto",
        "municipality": MunicipalityFactory.create().pk,
        "street_address": "Torikatu 1",
        "lat": "62.5",
        "lon": "24.8",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(("field", "value"), [("lat", "-1"), ("lat", "1e26"), ("lon", "-1"), ("lon", "1e26")])
def test_agency_office_add__coordinates_outside_finland__refused(superuser_client, field, value):
    response = superuser_client.post("/fi/admin/network/agencyoffice/add/", _office(**{field: value}))

    assert response.status_code == 200
    # Django's own range messages, the same as for a service point.
    assert (
        "Tämän luvun on oltava vähintään" in response.text
        or "Tämän arvon on oltava enintään" in response.text
    )
    assert not AgencyOffice.objects.exists()


def test_agency_office_add__coordinates_in_finland__saved(superuser_client):
    response = superuser_client.post("/fi/admin/network/agencyoffice/add/", _office())

    assert response.status_code == 302
    assert AgencyOffice.objects.get().lat == 62.5


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name_fi", "Kela\u202eexe.txt"),
        ("street_address", "Torikatu 1\r\nSet-Cookie: x=1"),
        ("hours_fi", "ma\x00"),
    ],
)
def test_agency_office_add__control_characters__refused_with_a_message(superuser_client, field, value):
    response = superuser_client.post("/fi/admin/network/agencyoffice/add/", _office(**{field: value}))

    assert response.status_code == 200
    assert SINGLE_LINE_FI in response.text or "Tyhjiä merkkejä (null) ei sallita." in response.text
    assert not AgencyOffice.objects.exists()


def test_service_point_change__phone_with_a_line_break__refused_with_a_message(
    superuser_client, point_a, admin_form_data
):
    url = f"/fi/admin/network/servicepoint/{point_a.pk}/change/"
    data = admin_form_data(superuser_client.get(url))
    data["phone"] = ["040 123\r\n4567"]
    data["name_fi"] = ["Karstula\u202e"]

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert response.text.count(SINGLE_LINE_FI) == 2
    point_a.refresh_from_db()
    assert point_a.phone != "040 123\r\n4567"
