"""The staff's pages of point profiles: a planner makes and changes profiles and gives them to points
in the product's own pages, and sees the gaps that follow; bad input is refused in the user's
language and changes nothing; a point manager reads their own point's profile and nothing more."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel, PointProfile, PointProfileAssignment, ProfileRequirement
from asiointi.catalogue.services import point_profile_create, point_profile_set
from asiointi.factories import (
    AgencyFactory,
    MunicipalityFactory,
    RegionFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    point_with_hours,
)
from asiointi.network.models import PointKind

pytestmark = pytest.mark.django_db

GUIDANCE = Channel.ADVISOR_GUIDANCE.value
REMOTE = Channel.REMOTE_MEETING.value
VISITING = Channel.VISITING_OFFICIAL.value


@pytest.fixture
def network(db: None) -> dict[str, Any]:
    cache.clear()
    kela = AgencyFactory.create(code="kela", name_fi="Kela", name_sv="FPA", name_en="Kela")
    vero = AgencyFactory.create(code="vero", name_fi="Verohallinto", name_sv="Skatteförvaltningen")
    region = RegionFactory.create(code="13", name_fi="Keski-Suomi")
    karstula = point_with_hours(
        slug="karstula",
        name_fi="Karstulan piste",
        kind=PointKind.FIXED,
        municipality=MunicipalityFactory.create(code="226", region=region),
    )
    other = point_with_hours(
        slug="saarijarvi",
        name_fi="Saarijärven piste",
        municipality=MunicipalityFactory.create(code="729", region=region),
    )
    # Karstula offers Kela's guidance, nothing of the Tax Administration.
    ServiceOfferingFactory.create(
        point=karstula, service=ServiceFactory.create(agency=kela), channel=GUIDANCE
    )
    mobile = point_profile_create(
        code="mobile",
        level=2,
        names={"fi": "Liikkuva palvelupiste", "sv": "Mobilt serviceställe", "en": "Mobile service point"},
        point_kinds=[PointKind.MOBILE],
        min_visiting_days_per_month=2,
        requirements=[(kela, [GUIDANCE])],
    )
    return {"kela": kela, "vero": vero, "karstula": karstula, "other": other, "mobile": mobile}


def _profile_data(
    requirements: list[tuple[Any, list[str]]], *, code: str = "full", level: int = 3, **fields: Any
) -> dict[str, Any]:
    """The POST of the profile form as a browser sends it: the profile, then one row per
    requirement and an empty row."""
    data: dict[str, Any] = {
        "code": code,
        "level": str(level),
        "name_fi": "Täyden palvelun piste",
        "name_sv": "Fullständigt samservicekontor",
        "name_en": "Full joint service point",
        "description_fi": "Kela ja Verohallinto.",
        "min_visiting_days_per_month": "0",
        "requirements-TOTAL_FORMS": str(len(requirements) + 1),
        "requirements-INITIAL_FORMS": "0",
        "requirements-MIN_NUM_FORMS": "0",
        "requirements-MAX_NUM_FORMS": "40",
        **fields,
    }
    for i, (agency, channels) in enumerate(requirements):
        data[f"requirements-{i}-agency"] = str(agency.pk)
        data[f"requirements-{i}-channels"] = channels
    data[f"requirements-{len(requirements)}-agency"] = ""
    return data


def _gaps_page(client: Any, slug: str = "karstula") -> str:
    return client.get(f"/fi/staff/point-profiles/{slug}/").content.decode()


def test_profile_create__planner_two_requirements__assigned_point_shows_exactly_the_missing_offering(
    staff_client, network
):
    planner = staff_client(Role.NETWORK_PLANNER)
    kela, vero = network["kela"], network["vero"]

    response = planner.post(
        "/fi/staff/profiles/new/", _profile_data([(kela, [GUIDANCE]), (vero, [REMOTE, VISITING])])
    )

    assert response.status_code == 302
    profile = PointProfile.objects.get(code="full")
    assert profile.name_sv == "Fullständigt samservicekontor"
    assert sorted((r.agency.code, sorted(r.channels)) for r in profile.requirements.all()) == [
        ("kela", [GUIDANCE]),
        ("vero", [REMOTE, VISITING]),
    ]
    listing = planner.get("/fi/staff/profiles/").content.decode()
    assert "Profiili ”Täyden palvelun piste” tallennettiin." in listing

    saved = planner.post(
        "/fi/staff/point-profiles/karstula/", {"profile": profile.pk, "save": "1"}, follow=True
    )
    page = saved.content.decode()
    assert "Palvelupisteelle annettiin profiili ”Täyden palvelun piste”: 1 puute." in page
    assert "Profiili ”Täyden palvelun piste”: 1 puute." in page
    assert "Verohallinto ei ole tarjolla millään vaaditulla kanavalla." in page
    assert "Kela ei ole tarjolla" not in page


def test_point_profile__planner_changes_the_profile__the_gaps_on_the_page_change(staff_client, network):
    planner = staff_client(Role.NETWORK_PLANNER)
    kela, vero = network["kela"], network["vero"]
    guidance = point_profile_create(
        code="guidance", level=1, names={"fi": "Neuvontapiste"}, requirements=[(kela, [GUIDANCE])]
    )
    full = point_profile_create(
        code="full",
        level=3,
        names={"fi": "Täysi piste"},
        requirements=[(kela, [GUIDANCE]), (vero, [GUIDANCE])],
    )
    point_profile_set(point=network["karstula"], profile=guidance)
    assert "Palvelupiste tarjoaa kaiken, mitä sen profiili edellyttää." in _gaps_page(planner)

    # "Show the gaps" shows what the change would give, without saving.
    preview = planner.post("/fi/staff/point-profiles/karstula/", {"profile": full.pk, "preview": "1"})
    assert (
        "Profiililla ”Täysi piste” palvelupisteellä olisi 1 puute (ei tallennettu)."
        in preview.content.decode()
    )
    assert PointProfileAssignment.objects.get(point=network["karstula"]).profile == guidance

    planner.post("/fi/staff/point-profiles/karstula/", {"profile": full.pk, "save": "1"})
    page = _gaps_page(planner)
    assert "Profiili ”Täysi piste”: 1 puute." in page
    assert "Verohallinto ei ole tarjolla millään vaaditulla kanavalla." in page


def test_profile_create__unknown_channel__refused_in_finnish_nothing_saved(staff_client, network):
    planner = staff_client(Role.NETWORK_PLANNER)
    before = (PointProfile.objects.count(), ProfileRequirement.objects.count())

    response = planner.post(
        "/fi/staff/profiles/new/", _profile_data([(network["kela"], [GUIDANCE]), (network["vero"], ["fax"])])
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "”fax” ei ole asiointikanava." in page
    assert "Vaatimus 2" in page
    assert (PointProfile.objects.count(), ProfileRequirement.objects.count()) == before


def test_profile_create__same_requirement_twice__refused_nothing_saved(staff_client, network):
    planner = staff_client(Role.NETWORK_PLANNER)
    kela = network["kela"]

    response = planner.post(
        "/sv/staff/profiles/new/", _profile_data([(kela, [REMOTE, VISITING]), (kela, [VISITING, REMOTE])])
    )

    assert response.status_code == 400
    assert "Profilen kräver redan FPA genom dessa kanaler." in response.content.decode()
    assert not PointProfile.objects.filter(code="full").exists()


def test_profile_edit__requirement_removed_and_kinds_changed__saved_in_one_go(staff_client, network):
    planner = staff_client(Role.NETWORK_PLANNER)
    kela, vero = network["kela"], network["vero"]
    profile = point_profile_create(
        code="full", level=3, names={"fi": "Täysi"}, requirements=[(kela, [GUIDANCE]), (vero, [GUIDANCE])]
    )
    data = _profile_data([(kela, [GUIDANCE]), (vero, [GUIDANCE])], name_fi="Täysi piste")
    data["requirements-1-DELETE"] = "on"

    response = planner.post(f"/fi/staff/profiles/{profile.pk}/", data)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.name_fi == "Täysi piste"
    assert [r.agency.code for r in profile.requirements.all()] == ["kela"]


def test_profile_edit__kinds_leave_out_a_point_that_has_it__refused_nothing_changed(staff_client, network):
    planner = staff_client(Role.NETWORK_PLANNER)
    profile = point_profile_create(
        code="full", level=3, names={"fi": "Täysi"}, requirements=[(network["kela"], [GUIDANCE])]
    )
    point_profile_set(point=network["karstula"], profile=profile)

    response = planner.post(
        f"/fi/staff/profiles/{profile.pk}/",
        _profile_data([(network["kela"], [REMOTE])], point_kinds=[PointKind.MOBILE]),
    )

    assert response.status_code == 400
    assert "Karstulan piste" in response.content.decode()
    profile.refresh_from_db()
    assert profile.point_kinds == []
    assert [r.channels for r in profile.requirements.all()] == [[GUIDANCE]]


def test_point_profile__mobile_profile_on_a_fixed_point__refused_in_finnish_nothing_changed(
    staff_client, network
):
    planner = staff_client(Role.NETWORK_PLANNER)

    response = planner.post(
        "/fi/staff/point-profiles/karstula/", {"profile": network["mobile"].pk, "save": "1"}
    )

    assert response.status_code == 400
    assert (
        "Profiili ”Liikkuva palvelupiste” ei sovi tämän lajin palvelupisteelle (kiinteä palvelupiste)."
        in response.content.decode()
    )
    assert not PointProfileAssignment.objects.filter(point=network["karstula"]).exists()


def test_profile_delete__in_use__refused_and_kept__unused_deleted(staff_client, network):
    planner = staff_client(Role.NETWORK_PLANNER)
    used = point_profile_create(code="full", level=3, names={"fi": "Täysi"})
    point_profile_set(point=network["karstula"], profile=used)

    asked = planner.get(f"/fi/staff/profiles/{used.pk}/delete/").content.decode()
    assert "sitä ei voi poistaa" in asked and "Poista profiili</button>" not in asked
    refused = planner.post(f"/fi/staff/profiles/{used.pk}/delete/")
    assert refused.status_code == 400
    assert (
        "Profiili ”Täysi” on annettu 1 palvelupisteelle, joten sitä ei voi poistaa."
        in refused.content.decode()
    )
    assert PointProfile.objects.filter(pk=used.pk).exists()

    unused = network["mobile"]
    assert planner.post(f"/fi/staff/profiles/{unused.pk}/delete/").status_code == 302
    assert not PointProfile.objects.filter(pk=unused.pk).exists()
    assert not ProfileRequirement.objects.filter(profile_id=unused.pk).exists()


def test_point_manager__reads_own_point_profile__cannot_change_profiles(staff_client, network):
    profile = point_profile_create(
        code="full", level=3, names={"fi": "Täysi piste"}, requirements=[(network["vero"], [GUIDANCE])]
    )
    point_profile_set(point=network["karstula"], profile=profile)
    manager = staff_client(Role.POINT_MANAGER, point=network["karstula"])

    page = _gaps_page(manager)
    assert "Profiili ”Täysi piste”: 1 puute." in page
    assert 'name="save"' not in page
    listing = manager.get("/fi/staff/point-profiles/").content.decode()
    assert "Karstulan piste" in listing and "Saarijärven piste" not in listing

    assert manager.get("/fi/staff/profiles/").status_code == 403
    assert manager.get("/fi/staff/profiles/new/").status_code == 403
    edit = manager.post(f"/fi/staff/profiles/{profile.pk}/", _profile_data([], name_fi="Muutettu"))
    assert edit.status_code == 403
    assert manager.post(f"/fi/staff/profiles/{profile.pk}/delete/").status_code == 403
    change = manager.post("/fi/staff/point-profiles/karstula/", {"profile": "", "save": "1"})
    assert change.status_code == 403
    profile.refresh_from_db()
    assert profile.name_fi == "Täysi piste"
    assert PointProfile.objects.filter(pk=profile.pk).exists()
    assert PointProfileAssignment.objects.get(point=network["karstula"]).profile == profile
    # Another point does not exist for them.
    assert manager.get("/fi/staff/point-profiles/saarijarvi/").status_code == 404


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.AGENCY_COORDINATOR, Role.INTERPRETER])
def test_profile_pages__other_roles__403(staff_client, network, role):
    if role == Role.ADVISOR:
        client = staff_client(role, point=network["karstula"])
    elif role == Role.INTERPRETER:
        client = staff_client(role)
    else:
        client = staff_client(role, agency=network["kela"])
    for path in (
        "/fi/staff/profiles/",
        "/fi/staff/profiles/new/",
        f"/fi/staff/profiles/{network['mobile'].pk}/",
        "/fi/staff/point-profiles/",
        "/fi/staff/point-profiles/karstula/",
    ):
        assert client.get(path).status_code == 403, path


def test_profile_pages__anonymous__sent_to_sign_in(client, network):
    response = client.get("/fi/staff/profiles/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_profile_edit__unknown_profile__404(staff_client, network):
    assert staff_client(Role.ADMINISTRATOR).get("/fi/staff/profiles/999999/").status_code == 404


def test_gaps_page__links_each_point_to_its_profile_page(staff_client, network):
    profile = point_profile_create(
        code="full", level=3, names={"fi": "Täysi piste"}, requirements=[(network["vero"], [GUIDANCE])]
    )
    point_profile_set(point=network["karstula"], profile=profile)
    page = staff_client(Role.NETWORK_PLANNER).get("/fi/staff/gaps/").content.decode()
    assert (
        '<a href="/fi/staff/point-profiles/karstula/">Palvelupisteen Karstulan piste profiili ja puutteet</a>'
        in page
    )
