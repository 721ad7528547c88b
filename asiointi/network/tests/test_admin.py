"""The network admin, used through the real admin pages as a point manager or an administrator uses
them: what is refused shows an error and leaves the database as it was; what is outside a user's
scope is not shown and cannot be changed.

Messages of our own are asserted under /en/admin/ (the fi/sv catalogues are being written); under
/fi/ and /sv/ the tests assert Django's own messages and the admin's error note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from asiointi.accounts.models import Role
from asiointi.factories import OpeningHoursRuleFactory, VisitingScheduleFactory
from asiointi.network.models import (
    Agency,
    OpeningHoursRule,
    ServicePoint,
    VisitingSchedule,
    Weekday,
)

pytestmark = pytest.mark.django_db

FormData = Callable[[Any], dict[str, list[str]]]


def _rules(point: ServicePoint) -> list[tuple[int, dt.time, dt.time]]:
    return list(point.opening_rules.order_by("weekday", "opens").values_list("weekday", "opens", "closes"))


def _add_inline_row(data: dict[str, list[str]], prefix: str, **fields: str) -> None:
    """Add a row to an inline formset as the "Add another" button does."""
    index = int(data[f"{prefix}-TOTAL_FORMS"][0])
    data[f"{prefix}-TOTAL_FORMS"] = [str(index + 1)]
    for name, value in fields.items():
        data[f"{prefix}-{index}-{name}"] = [value]


def _schedule_post(point: ServicePoint, agency: Agency, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "point": point.pk,
        "agency": agency.pk,
        "title_fi": "Poliisin lupapalvelut",
        "weekday": Weekday.TUESDAY,
        "frequency": "weekly",
        "interval": 1,
        "starts": "10:00",
        "ends": "12:00",
        "valid_from": "2026-01-01",
    }
    data.update(changes)
    return data


# -- validation through the admin forms -----------------------------------------------------------


def test_opening_hours_rule_add__overlapping_same_weekday__refused_with_message_and_nothing_saved(
    staff_client: Callable[..., Client], point_a: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    before = _rules(point_a)

    response = client.post(
        "/en/admin/network/openinghoursrule/add/",
        {"point": point_a.pk, "weekday": Weekday.MONDAY, "opens": "14:00", "closes": "17:00"},
    )

    assert response.status_code == 200
    assert "errornote" in response.text
    assert (
        "These hours overlap the opening hours Monday 09.00–15.00 of the same service point." in response.text
    )
    assert _rules(point_a) == before


def test_servicepoint_change__new_inline_rule_overlapping__refused_in_finnish_and_nothing_saved(
    staff_client: Callable[..., Client], point_a: ServicePoint, admin_form_data: FormData
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    url = f"/fi/admin/network/servicepoint/{point_a.pk}/change/"
    data = admin_form_data(client.get(url))
    _add_inline_row(
        data,
        "opening_rules",
        point=str(point_a.pk),
        weekday=str(Weekday.MONDAY),
        opens="12:00",
        closes="16:00",
    )
    before = _rules(point_a)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Korjaa alla oleva virhe." in response.text  # Django's own Finnish message
    assert "ovat päällekkäin saman palvelupisteen aukioloaikojen" in response.text
    assert 'class="errorlist nonfield"' in response.text
    assert _rules(point_a) == before


def test_servicepoint_change__two_new_rules_overlapping_each_other__refused_and_nothing_saved(
    staff_client: Callable[..., Client], point_a: ServicePoint, admin_form_data: FormData
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    url = f"/en/admin/network/servicepoint/{point_a.pk}/change/"
    data = admin_form_data(client.get(url))
    for opens, closes in (("10:00", "13:00"), ("12:00", "14:00")):
        _add_inline_row(
            data,
            "opening_rules",
            point=str(point_a.pk),
            weekday=str(Weekday.SATURDAY),
            opens=opens,
            closes=closes,
        )
    before = _rules(point_a)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Two of the opening hours overlap on the same weekday." in response.text
    assert _rules(point_a) == before


def test_servicepoint_change__new_rule_on_free_day__saved(
    staff_client: Callable[..., Client], point_a: ServicePoint, admin_form_data: FormData
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    url = f"/fi/admin/network/servicepoint/{point_a.pk}/change/"
    data = admin_form_data(client.get(url))
    _add_inline_row(
        data,
        "opening_rules",
        point=str(point_a.pk),
        weekday=str(Weekday.SATURDAY),
        opens="10:00",
        closes="13:00",
    )

    response = client.post(url, data)

    assert response.status_code == 302
    assert (Weekday.SATURDAY, dt.time(10), dt.time(13)) in _rules(point_a)


@pytest.mark.parametrize(
    ("language", "required_message"),
    [("fi", "Tämä kenttä vaaditaan."), ("sv", "Detta fält måste fyllas i.")],
)
def test_servicepoint_add__without_municipality__refused_and_nothing_saved(
    superuser_client: Client, admin_form_data: FormData, language: str, required_message: str
) -> None:
    url = f"/{language}/admin/network/servicepoint/add/"
    data = admin_form_data(superuser_client.get(url))
    data.update(
        {
            "name_fi": ["Saarijärven yhteispalvelupiste"],
            "slug": ["saarijarvi"],
            "kind": ["fixed"],
            "street_address": ["Asematie 1"],
            "postal_code": ["43100"],
            "post_office_fi": ["Saarijärvi"],
            "lat": ["62.70"],
            "lon": ["25.25"],
            "active_from": ["2026-01-01"],
            "municipality": [""],
        }
    )
    count = ServicePoint.objects.count()

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "errornote" in response.text
    assert required_message in response.text
    assert ServicePoint.objects.count() == count
    assert not ServicePoint.objects.filter(slug="saarijarvi").exists()


def test_visiting_schedule_add__on_a_day_the_point_is_closed__refused_with_message_and_nothing_saved(
    staff_client: Callable[..., Client], point_a: ServicePoint, kela: Agency
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.post(
        "/en/admin/network/visitingschedule/add/", _schedule_post(point_a, kela, weekday=Weekday.SUNDAY)
    )

    assert response.status_code == 200
    assert "The service point is not open on Sunday from 10.00 to 12.00." in response.text
    assert not VisitingSchedule.objects.exists()


def test_visiting_schedule_add__after_closing_time__refused_in_finnish_and_nothing_saved(
    staff_client: Callable[..., Client], point_a: ServicePoint, kela: Agency
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.post(
        "/fi/admin/network/visitingschedule/add/", _schedule_post(point_a, kela, starts="14:00", ends="16:00")
    )

    assert response.status_code == 200
    assert "Korjaa alla oleva virhe." in response.text
    assert "Palvelupiste ei ole avoinna (tiistai klo 14.00–16.00)" in response.text
    assert 'class="errorlist nonfield"' in response.text
    assert not VisitingSchedule.objects.exists()


def test_visiting_schedule_add__monthly_weeks_as_checkboxes__saved_as_list_of_ints(
    staff_client: Callable[..., Client], point_a: ServicePoint, kela: Agency
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.post(
        "/fi/admin/network/visitingschedule/add/",
        _schedule_post(point_a, kela, frequency="monthly", weeks_of_month=["-1", "1"]),
    )

    assert response.status_code == 302
    schedule = VisitingSchedule.objects.get()
    assert schedule.weeks_of_month == [1, -1]
    page = client.get(f"/fi/admin/network/visitingschedule/{schedule.pk}/change/").text
    assert 'type="checkbox" name="weeks_of_month" value="1"' in page
    assert 'value="-1"' in page


def test_visiting_schedule_add__monthly_without_weeks__refused(
    staff_client: Callable[..., Client], point_a: ServicePoint, kela: Agency
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.post(
        "/en/admin/network/visitingschedule/add/", _schedule_post(point_a, kela, frequency="monthly")
    )

    assert response.status_code == 200
    assert "Give the weeks of the month" in response.text
    assert not VisitingSchedule.objects.exists()


def test_servicepoint_change__languages_as_checkboxes__saved_in_choice_order(
    staff_client: Callable[..., Client], point_a: ServicePoint, admin_form_data: FormData
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    url = f"/fi/admin/network/servicepoint/{point_a.pk}/change/"
    data = admin_form_data(client.get(url))
    data["languages"] = ["fse", "sv", "fi"]

    response = client.post(url, data)

    assert response.status_code == 302
    point_a.refresh_from_db()
    assert point_a.languages == ["fi", "sv", "fse"]


# -- scope by role ------------------------------------------------------------------------------


def test_point_manager__sees_own_opening_rules_but_not_another_points(
    staff_client: Callable[..., Client], point_a: ServicePoint, point_b: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    rule_a = point_a.opening_rules.first()
    rule_b = point_b.opening_rules.first()
    assert rule_a is not None and rule_b is not None

    changelist = client.get("/fi/admin/network/openinghoursrule/")

    assert changelist.status_code == 200
    assert f"/admin/network/openinghoursrule/{rule_a.pk}/change/" in changelist.text
    assert f"/admin/network/openinghoursrule/{rule_b.pk}/change/" not in changelist.text
    assert client.get(f"/fi/admin/network/openinghoursrule/{rule_b.pk}/change/").status_code == 404
    assert client.get(f"/fi/admin/network/servicepoint/{point_b.pk}/change/").status_code == 404


def test_point_manager__post_to_another_points_rule__refused_and_rule_unchanged(
    staff_client: Callable[..., Client], point_a: ServicePoint, point_b: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    rule_b = point_b.opening_rules.get(weekday=Weekday.MONDAY)

    change = client.post(
        f"/fi/admin/network/openinghoursrule/{rule_b.pk}/change/",
        {"point": point_b.pk, "weekday": Weekday.MONDAY, "opens": "06:00", "closes": "07:00"},
    )
    delete = client.post(f"/fi/admin/network/openinghoursrule/{rule_b.pk}/delete/", {"post": "yes"})

    assert change.status_code == 404
    assert delete.status_code == 404
    rule_b.refresh_from_db()
    assert (rule_b.opens, rule_b.closes) == (dt.time(9), dt.time(15))


def test_point_manager__bulk_delete_of_another_points_rules__refused_and_rules_kept(
    staff_client: Callable[..., Client], point_a: ServicePoint, point_b: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    ids_b = list(point_b.opening_rules.values_list("pk", flat=True))

    client.post(
        "/fi/admin/network/openinghoursrule/",
        {"action": "delete_selected", "_selected_action": ids_b, "post": "yes"},
    )

    assert point_b.opening_rules.count() == len(ids_b)


def test_point_manager__adding_a_rule_for_another_point__refused_and_nothing_saved(
    staff_client: Callable[..., Client], point_a: ServicePoint, point_b: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    before = _rules(point_b)

    response = client.post(
        "/fi/admin/network/openinghoursrule/add/",
        {"point": point_b.pk, "weekday": Weekday.SATURDAY, "opens": "10:00", "closes": "12:00"},
    )

    assert response.status_code == 200
    assert "errornote" in response.text
    assert _rules(point_b) == before


def test_point_manager__cannot_add_or_delete_service_points(
    staff_client: Callable[..., Client], point_a: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    assert client.get("/fi/admin/network/servicepoint/add/").status_code == 403
    assert (
        client.post(f"/fi/admin/network/servicepoint/{point_a.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert ServicePoint.objects.filter(pk=point_a.pk).exists()


def test_advisor__sees_own_point_read_only_and_a_post_changes_nothing(
    staff_client: Callable[..., Client], point_a: ServicePoint, admin_form_data: FormData
) -> None:
    client = staff_client(Role.ADVISOR, point=point_a)
    rule = OpeningHoursRuleFactory.create(
        point=point_a, weekday=Weekday.SATURDAY, opens=dt.time(10), closes=dt.time(12)
    )
    url = f"/fi/admin/network/servicepoint/{point_a.pk}/change/"

    page = client.get(url)
    response = client.post(
        f"/fi/admin/network/openinghoursrule/{rule.pk}/change/",
        {"point": point_a.pk, "weekday": Weekday.SATURDAY, "opens": "06:00", "closes": "07:00"},
    )
    point_post = client.post(url, {"name_fi": "Muutettu nimi"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert "Karstula yhteispalvelupiste" in page.text
    assert response.status_code == 403
    assert point_post.status_code == 403
    rule.refresh_from_db()
    point_a.refresh_from_db()
    assert (rule.opens, rule.closes) == (dt.time(10), dt.time(12))
    assert point_a.name_fi == "Karstula yhteispalvelupiste"


def test_agency_coordinator__sees_own_agencys_visiting_schedules_read_only(
    staff_client: Callable[..., Client], point_a: ServicePoint, kela: Agency, vero: Agency
) -> None:
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)
    own = VisitingScheduleFactory.create(point=point_a, agency=kela, title_fi="Kelan asiantuntija")
    other = VisitingScheduleFactory.create(point=point_a, agency=vero, title_fi="Verotoimiston asiantuntija")

    changelist = client.get("/fi/admin/network/visitingschedule/")
    other_page = client.get(f"/fi/admin/network/visitingschedule/{other.pk}/change/")
    post = client.post(
        f"/fi/admin/network/visitingschedule/{own.pk}/change/", _schedule_post(point_a, kela, starts="09:00")
    )

    assert "Kelan asiantuntija" in changelist.text
    assert "Verotoimiston asiantuntija" not in changelist.text
    assert other_page.status_code == 404
    assert post.status_code == 403
    own.refresh_from_db()
    assert own.starts == dt.time(10)


def test_agency_coordinator__changes_own_agency_but_not_another(
    staff_client: Callable[..., Client], kela: Agency, vero: Agency, admin_form_data: FormData
) -> None:
    client = staff_client(Role.AGENCY_COORDINATOR, agency=kela)
    url = f"/fi/admin/network/agency/{kela.pk}/change/"
    data = admin_form_data(client.get(url))
    data["website"] = ["https://www.kela.fi/"]

    saved = client.post(url, data)
    other = client.post(f"/fi/admin/network/agency/{vero.pk}/change/", {**data, "code": "vero"})

    assert saved.status_code == 302
    assert other.status_code == 404
    kela.refresh_from_db()
    vero.refresh_from_db()
    assert kela.website == "https://www.kela.fi/"
    assert vero.website == ""


def test_network_planner__views_every_point_but_changes_nothing(
    staff_client: Callable[..., Client], point_a: ServicePoint, point_b: ServicePoint
) -> None:
    client = staff_client(Role.NETWORK_PLANNER)

    changelist = client.get("/fi/admin/network/servicepoint/")
    post = client.post(f"/fi/admin/network/servicepoint/{point_b.pk}/change/", {"name_fi": "Muutettu"})

    assert "Karstula yhteispalvelupiste" in changelist.text
    assert "Kivijärvi yhteispalvelupiste" in changelist.text
    assert post.status_code == 403
    point_b.refresh_from_db()
    assert point_b.name_fi == "Kivijärvi yhteispalvelupiste"


def test_municipalities__viewed_by_point_manager_but_edited_only_by_administrators(
    staff_client: Callable[..., Client], superuser_client: Client, point_a: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    municipality = point_a.municipality

    page = client.get(f"/fi/admin/network/municipality/{municipality.pk}/change/")
    post = client.post(f"/fi/admin/network/municipality/{municipality.pk}/change/", {"population": "1"})

    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    assert post.status_code == 403
    municipality.refresh_from_db()
    assert municipality.population == 4300
    admin_page = superuser_client.get(f"/fi/admin/network/municipality/{municipality.pk}/change/")
    assert 'name="_save"' in admin_page.text


def test_opening_hours_rule_form__point_choices_are_the_managers_own(
    staff_client: Callable[..., Client], point_a: ServicePoint, point_b: ServicePoint
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)

    response = client.get(
        "/fi/admin/autocomplete/?app_label=network&model_name=openinghoursrule&field_name=point&term="
    )

    assert response.status_code == 200
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Karstula yhteispalvelupiste"]
    assert OpeningHoursRule.objects.filter(point=point_b).count() == 5


def test_servicepoint_change__two_exceptions_closing_and_opening_the_same_day__refused_and_nothing_saved(
    staff_client: Callable[..., Client], point_a: ServicePoint, admin_form_data: FormData
) -> None:
    client = staff_client(Role.POINT_MANAGER, point=point_a)
    url = f"/en/admin/network/servicepoint/{point_a.pk}/change/"
    data = admin_form_data(client.get(url))
    _add_inline_row(data, "opening_exceptions", point=str(point_a.pk), date="2026-12-24", is_closed="on")
    _add_inline_row(
        data, "opening_exceptions", point=str(point_a.pk), date="2026-12-24", opens="10:00", closes="12:00"
    )

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Two exceptions of the same day contradict or overlap each other." in response.text
    assert not point_a.opening_exceptions.exists()
