"""Point profiles: the gaps of a point against its profile, and bad profiles refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from asiointi.catalogue.models import Channel, PointProfile, PointProfileAssignment, ProfileRequirement
from asiointi.catalogue.selectors import network_gaps, point_gaps, point_profile_levels
from asiointi.catalogue.services import (
    point_profile_create,
    point_profile_requirement_add,
    point_profile_set,
)
from asiointi.factories import (
    AgencyFactory,
    MunicipalityFactory,
    RegionFactory,
    ServiceFactory,
    ServiceOfferingFactory,
    VisitingScheduleFactory,
    point_with_hours,
)
from asiointi.network.models import PointKind, ScheduleFrequency, Weekday

ON = dt.date(2027, 3, 10)  # March, April and May 2027 are the months counted

REMOTE_OR_VISITING = [Channel.REMOTE_MEETING.value, Channel.VISITING_OFFICIAL.value]
GUIDANCE = [Channel.ADVISOR_GUIDANCE.value]


@pytest.fixture
def agencies(db):
    return {
        "kela": AgencyFactory.create(code="kela", name_fi="Kela"),
        "vero": AgencyFactory.create(code="vero", name_fi="Verohallinto"),
    }


@pytest.fixture
def profiles(agencies):
    kela, vero = agencies["kela"], agencies["vero"]
    full = point_profile_create(
        code="full",
        level=3,
        names={"fi": "Täysi yhteispalvelupiste", "sv": "Fullständigt", "en": "Full joint service point"},
        point_kinds=[PointKind.FIXED, PointKind.LIBRARY],
        requirements=[
            (kela, REMOTE_OR_VISITING),
            (vero, REMOTE_OR_VISITING),
            (kela, GUIDANCE),
            (vero, GUIDANCE),
        ],
    )
    digital = point_profile_create(
        code="digital",
        level=1,
        names={"fi": "Digitukipiste", "sv": "Digistöd", "en": "Digital support point"},
        requirements=[(kela, GUIDANCE), (vero, GUIDANCE)],
    )
    mobile = point_profile_create(
        code="mobile",
        level=2,
        names={"fi": "Liikkuva piste", "sv": "Mobil", "en": "Mobile point"},
        point_kinds=[PointKind.MOBILE],
        min_visiting_days_per_month=2,
        requirements=[(kela, GUIDANCE)],
    )
    return {"full": full, "digital": digital, "mobile": mobile}


def _offer(point, agency, channel):
    ServiceOfferingFactory.create(point=point, service=ServiceFactory.create(agency=agency), channel=channel)


def _gaps(point):
    return [(c.requirement.agency.code, tuple(c.channels)) for c in point_gaps(point=point, on=ON).missing]


def test_point_gaps__missing_one_agency_channel__shows_exactly_that_gap(agencies, profiles):
    kela, vero = agencies["kela"], agencies["vero"]
    point = point_with_hours(slug="karstula")
    point_profile_set(point=point, profile=profiles["full"])
    _offer(point, kela, Channel.REMOTE_MEETING)
    _offer(point, kela, Channel.ADVISOR_GUIDANCE)
    _offer(point, vero, Channel.ADVISOR_GUIDANCE)
    _offer(point, vero, Channel.CALLBACK)  # not a channel the profile accepts

    assert _gaps(point) == [("vero", tuple(REMOTE_OR_VISITING))]

    VisitingScheduleFactory.create(point=point, agency=vero, weekday=Weekday.TUESDAY, valid_from=ON)
    checked = point_gaps(point=point, on=ON)
    assert not checked.has_gaps
    assert next(c.offered for c in checked.checks if c.requirement.agency == vero) == ("visiting_official",)


def test_point_gaps__profile_changed__gaps_follow_the_new_profile(agencies, profiles):
    kela, vero = agencies["kela"], agencies["vero"]
    point = point_with_hours(slug="karstula")
    _offer(point, kela, Channel.ADVISOR_GUIDANCE)
    _offer(point, vero, Channel.ADVISOR_GUIDANCE)
    point_profile_set(point=point, profile=profiles["full"])
    assert _gaps(point) == [("kela", tuple(REMOTE_OR_VISITING)), ("vero", tuple(REMOTE_OR_VISITING))]

    point_profile_set(point=point, profile=profiles["digital"])

    assert _gaps(point) == []
    assert PointProfileAssignment.objects.get(point=point).profile == profiles["digital"]


def test_point_gaps__no_profile__no_gaps(agencies, profiles):
    point = point_with_hours(slug="karstula")
    checked = point_gaps(point=point, on=ON)
    assert checked.profile is None
    assert not checked.has_gaps


def test_point_gaps__inactive_service__does_not_meet_the_requirement(agencies, profiles):
    point = point_with_hours(slug="karstula")
    point_profile_set(point=point, profile=profiles["digital"])
    ServiceOfferingFactory.create(
        point=point,
        service=ServiceFactory.create(agency=agencies["kela"], is_active=False),
        channel=Channel.ADVISOR_GUIDANCE,
    )
    _offer(point, agencies["vero"], Channel.ADVISOR_GUIDANCE)
    assert _gaps(point) == [("kela", tuple(GUIDANCE))]


def _mobile_point(agencies, profiles):
    point = point_with_hours(slug="auto", kind=PointKind.MOBILE)
    point_profile_set(point=point, profile=profiles["mobile"])
    _offer(point, agencies["kela"], Channel.ADVISOR_GUIDANCE)
    return point


def test_point_gaps__mobile_point_with_one_visiting_day_a_month__has_a_gap(agencies, profiles):
    point = _mobile_point(agencies, profiles)
    VisitingScheduleFactory.create(
        point=point,
        agency=agencies["kela"],
        weekday=Weekday.WEDNESDAY,
        frequency=ScheduleFrequency.MONTHLY,
        weeks_of_month=[1],
        valid_from=dt.date(2027, 1, 1),
    )

    checked = point_gaps(point=point, on=ON)

    assert checked.missing == []
    assert [(m.month, m.days) for m in checked.short_months] == [
        (dt.date(2027, 3, 1), 1),
        (dt.date(2027, 4, 1), 1),
        (dt.date(2027, 5, 1), 1),
    ]
    assert checked.has_gaps


def test_point_gaps__mobile_point_visiting_twice_a_month__has_no_gap(agencies, profiles):
    point = _mobile_point(agencies, profiles)
    VisitingScheduleFactory.create(
        point=point,
        agency=agencies["kela"],
        weekday=Weekday.WEDNESDAY,
        frequency=ScheduleFrequency.MONTHLY,
        weeks_of_month=[1, 3],
        valid_from=dt.date(2027, 1, 1),
    )
    checked = point_gaps(point=point, on=ON)
    assert [m.days for m in checked.months] == [2, 2, 2]
    assert not checked.has_gaps


def test_point_gaps__mobile_visit_on_a_public_holiday__does_not_count(agencies, profiles):
    point = _mobile_point(agencies, profiles)
    # The first and third Thursday: in May 2027 the first (6 May) is Ascension Day, so May has one day.
    VisitingScheduleFactory.create(
        point=point,
        agency=agencies["kela"],
        weekday=Weekday.THURSDAY,
        frequency=ScheduleFrequency.MONTHLY,
        weeks_of_month=[1, 3],
        valid_from=dt.date(2027, 1, 1),
    )
    checked = point_gaps(point=point, on=ON)
    assert [(m.month.month, m.days) for m in checked.short_months] == [(5, 1)]


def test_network_gaps__by_region__only_points_with_gaps(agencies, profiles):
    north = RegionFactory.create(code="17", name_fi="Pohjois-Pohjanmaa")
    central = RegionFactory.create(code="13", name_fi="Keski-Suomi")
    oulu = MunicipalityFactory.create(code="564", name_fi="Oulu", region=north)
    karstula = MunicipalityFactory.create(code="250", name_fi="Karstula", region=central)
    lacking = point_with_hours(slug="oulu", municipality=oulu)
    whole = point_with_hours(slug="karstula", municipality=karstula)
    point_with_hours(slug="none", municipality=karstula)  # no profile: not listed
    for point in (lacking, whole):
        point_profile_set(point=point, profile=profiles["digital"])
    _offer(whole, agencies["kela"], Channel.ADVISOR_GUIDANCE)
    _offer(whole, agencies["vero"], Channel.ADVISOR_GUIDANCE)
    _offer(lacking, agencies["kela"], Channel.ADVISOR_GUIDANCE)

    groups = network_gaps(on=ON)

    assert [(g.region.code, [p.point.slug for p in g.points]) for g in groups] == [("17", ["oulu"])]
    assert network_gaps(on=ON, region_code="13") == []
    assert point_profile_levels(on=ON) == {"oulu": (1, "digital"), "karstula": (1, "digital")}


def test_network_gaps__query_count_does_not_grow_with_points(
    agencies, profiles, django_assert_max_num_queries
):
    for n in range(6):
        point = point_with_hours(slug=f"p{n}")
        point_profile_set(point=point, profile=profiles["digital"])
    with django_assert_max_num_queries(6):
        groups = network_gaps(on=ON)
    assert sum(len(g.points) for g in groups) == 6


def test_point_profile_requirement__unknown_channel__refused_in_finnish_nothing_saved(agencies, profiles):
    before = ProfileRequirement.objects.count()
    with translation.override("fi"), pytest.raises(ValidationError) as error:
        point_profile_requirement_add(profile=profiles["digital"], agency=agencies["kela"], channels=["fax"])
    assert error.value.message_dict["channels"] == [
        "”fax” ei ole asiointikanava. Kanavat ovat: advisor_guidance, remote_meeting, visiting_official, callback."
    ]
    assert ProfileRequirement.objects.count() == before


def test_point_profile_create__unknown_channel_in_a_requirement__nothing_saved(agencies):
    with pytest.raises(ValidationError) as error:
        point_profile_create(
            code="bad",
            level=5,
            names={"fi": "Huono"},
            requirements=[(agencies["kela"], GUIDANCE), (agencies["vero"], ["telepathy"])],
        )
    assert "telepathy" in error.value.message_dict["channels"][0]
    assert not PointProfile.objects.filter(code="bad").exists()
    assert not ProfileRequirement.objects.filter(agency=agencies["kela"]).exists()


def test_point_profile_create__unknown_point_kind__refused(agencies):
    with translation.override("sv"), pytest.raises(ValidationError) as error:
        point_profile_create(code="bad", level=5, names={"fi": "Huono"}, point_kinds=["boat"])
    assert error.value.message_dict["point_kinds"][0].startswith("”boat” är inte")
    assert not PointProfile.objects.filter(code="bad").exists()


def test_point_profile_set__mobile_profile_on_a_fixed_point__refused_profile_kept(agencies, profiles):
    point = point_with_hours(slug="karstula", kind=PointKind.FIXED)
    point_profile_set(point=point, profile=profiles["full"])
    with translation.override("en"), pytest.raises(ValidationError) as error:
        point_profile_set(point=point, profile=profiles["mobile"])
    assert error.value.message_dict["profile"] == [
        "The profile “Mobile point” is not for this kind of service point (fixed service point)."
    ]
    assert PointProfileAssignment.objects.get(point=point).profile == profiles["full"]


def test_point_profile_set__none__takes_the_profile_away(agencies, profiles):
    point = point_with_hours(slug="karstula")
    point_profile_set(point=point, profile=profiles["digital"])
    point_profile_set(point=point, profile=None)
    assert not PointProfileAssignment.objects.filter(point=point).exists()
