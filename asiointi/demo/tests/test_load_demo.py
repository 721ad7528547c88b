"""The demo data: one month is loaded once for the module (and rolled back at its end)."""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.test import RequestFactory, override_settings
from django.utils import timezone

from asiointi.accounts.models import Membership, Role, User
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.demo.catalogue import LARGE_AGENCIES
from asiointi.demo.loader import DEMO_PASSWORD
from asiointi.demo.management.commands.load_demo import period
from asiointi.demo.points import POINTS
from asiointi.demo.transactions import monthly_volume
from asiointi.ledger.models import AstiType, Transaction
from asiointi.network.models import (
    Agency,
    AgencyOffice,
    Booth,
    Municipality,
    OpeningHoursException,
    OpeningHoursRule,
    ScheduleFrequency,
    ServicePoint,
    VisitingSchedule,
    Weekday,
)
from asiointi.network.selectors import point_hours_range

HELSINKI = ZoneInfo("Europe/Helsinki")
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_MODELS = (
    Municipality,
    Agency,
    AgencyOffice,
    Service,
    ServicePoint,
    Booth,
    OpeningHoursRule,
    OpeningHoursException,
    VisitingSchedule,
    ServiceOffering,
    User,
    Membership,
    Transaction,
)


@pytest.fixture(scope="module")
def demo_output(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """``load_demo --months 1`` once for all tests of this module, undone afterwards. Passwords are
    hashed as in the other tests (see the ``_fast_password_hasher`` fixture of asiointi/conftest.py)."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        transaction.atomic(),
    ):
        output = StringIO()
        call_command("load_demo", "--months", "1", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output: str, db: None) -> str:
    return demo_output


def loaded_month() -> tuple[dt.datetime, dt.datetime]:
    first, end = period(1, timezone.localdate())
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=HELSINKI),
        dt.datetime.combine(end, dt.time(), tzinfo=HELSINKI),
    )


def counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in DEMO_MODELS}


def test_load_demo__every_role_has_an_account_that_signs_in_with_the_demo_password(demo):
    for role in Role.values:
        membership = (
            Membership.objects.select_related("user").filter(role=role, user__is_demo_account=True).first()
        )
        assert membership is not None, role
        request = RequestFactory().post("/fi/accounts/login/")
        user = authenticate(request, email=membership.user.email, password=DEMO_PASSWORD)
        assert user == membership.user, role
        assert user.is_staff
    administrator = Membership.objects.get(role=Role.ADMINISTRATOR).user
    assert administrator.is_superuser
    assert not User.objects.filter(is_superuser=True).exclude(pk=administrator.pk).exists()


def test_load_demo__prints_the_staff_accounts_with_their_password(demo):
    assert "neuvoja.karstula@demo.asiointi.fi" in demo
    assert DEMO_PASSWORD in demo


def test_load_demo__imports_the_308_municipalities(demo):
    assert Municipality.objects.count() == 308


def test_load_demo__each_large_agency_has_15_to_25_services_named_in_finnish_swedish_and_english(demo):
    for code in LARGE_AGENCIES:
        services = Service.objects.filter(agency__code=code)
        assert 15 <= services.count() <= 25, code
        missing = services.filter(Q(name_fi="") | Q(name_sv="") | Q(name_en="") | Q(keywords_fi=""))
        assert not missing.exists(), code


def test_load_demo__every_point_municipality_is_an_agency_with_its_services(demo):
    for point in ServicePoint.objects.select_related("municipality"):
        agency = Agency.objects.get(kind="municipal", municipality=point.municipality)
        assert Service.objects.filter(agency=agency).count() >= 5
        assert ServiceOffering.objects.filter(point=point, service__agency=agency).exists()


def test_load_demo__no_agency_or_office_is_a_te_office_of_before_2025(demo):
    """The state's TE offices closed at the end of 2024; the municipal employment areas took over."""
    te = re.compile(r"\bTE[- ]|TE$|te-palvelut", re.IGNORECASE)
    names = [
        name
        for model in (Agency, AgencyOffice)
        for row in model.objects.values("name_fi", "name_sv", "name_en")
        for name in row.values()
    ]
    websites = list(Agency.objects.values_list("website", flat=True))

    assert [n for n in names if te.search(str(n))] == []
    assert not [w for w in websites if "te-palvelut" in w or "avi.fi" in w]
    employment = Agency.objects.get(code="tyollisyys")
    assert employment.kind == "municipal"
    assert "työllisyysalue" in employment.description_fi
    assert AgencyOffice.objects.filter(agency=employment, municipality__name_fi="Jyväskylä").exists()
    assert Service.objects.filter(agency=employment).count() >= 15


def test_load_demo__karstula_has_about_a_thousand_transactions_in_the_month(demo):
    start, end = loaded_month()

    karstula = Transaction.objects.filter(point__slug="karstula", occurred_at__gte=start, occurred_at__lt=end)

    assert 800 <= karstula.count() <= 1200
    by_agency = dict(karstula.values_list("agency__code").annotate(n=Count("id")))
    assert max(by_agency, key=by_agency.__getitem__) == "kela"
    assert set(by_agency) >= {"kela", "vero", "tyollisyys", "dvv", "poliisi", "karstula-kunta"}


def test_load_demo__volumes_scale_with_population_between_150_and_3000(demo):
    start, end = loaded_month()
    per_point = dict(
        Transaction.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .values_list("point__slug")
        .annotate(n=Count("id"))
    )

    assert set(per_point) == {p.slug for p in POINTS}
    assert min(per_point.values()) >= 0.8 * 150
    assert max(per_point.values()) <= 1.2 * 3000
    assert monthly_volume(700, 3665) == 191
    assert monthly_volume(200_000, 3665) == 3000
    assert monthly_volume(100, 3665) == 150


def test_load_demo__no_transaction_falls_outside_the_points_opening_hours(demo):
    start, end = loaded_month()
    for point in ServicePoint.objects.all():
        hours = {
            h.day: h.intervals for h in point_hours_range(point=point, start=start.date(), end=end.date())
        }
        rows = Transaction.objects.filter(point=point, occurred_at__gte=start, occurred_at__lt=end)
        for occurred_at, seconds in rows.values_list("occurred_at", "duration_seconds"):
            local = occurred_at.astimezone(HELSINKI)
            begins, ends = local.time(), (local + dt.timedelta(seconds=seconds)).time()
            assert any(o <= begins and ends <= c for o, c in hours[local.date()]), (point.slug, local)


def test_load_demo__channels_sources_and_types_fit_together(demo):
    rows = Transaction.objects.all()

    assert (
        not rows.filter(asti_type=AstiType.REMOTE_GUIDANCE).exclude(channel=Channel.REMOTE_MEETING).exists()
    )
    assert not rows.filter(channel=Channel.REMOTE_MEETING).exclude(source="meeting").exists()
    assert (
        not rows.filter(asti_type=AstiType.ONSITE_GUIDANCE_BY_SERVICE_AUTHOR)
        .exclude(channel=Channel.VISITING_OFFICIAL)
        .exists()
    )
    remote = rows.filter(channel=Channel.REMOTE_MEETING)
    assert remote.exists()
    assert not remote.filter(Q(duration_seconds__lt=12 * 60) | Q(duration_seconds__gt=45 * 60)).exists()
    assert rows.filter(asti_type=AstiType.LOST_AND_FOUND, service__code="loytotavarat").exists()
    assert rows.filter(with_interpreter=True).exists()
    parainen = dict(rows.filter(point__slug="parainen").values_list("language").annotate(n=Count("id")))
    assert parainen["sv"] > parainen["fi"]


def test_load_demo__police_visit_karstula_on_the_first_and_third_tuesday(demo):
    schedule = VisitingSchedule.objects.get(point__slug="karstula", agency__code="poliisi")
    assert (schedule.weekday, schedule.frequency, schedule.weeks_of_month) == (
        Weekday.TUESDAY,
        ScheduleFrequency.MONTHLY,
        [1, 3],
    )
    assert (schedule.starts, schedule.ends) == (dt.time(10), dt.time(14))

    visits = Transaction.objects.filter(
        point__slug="karstula", agency__code="poliisi", channel=Channel.VISITING_OFFICIAL
    ).values_list("occurred_at", flat=True)

    assert visits
    for occurred_at in visits:
        local = occurred_at.astimezone(HELSINKI)
        assert local.weekday() == Weekday.TUESDAY
        assert (local.day - 1) // 7 + 1 in (1, 3)
        assert dt.time(10) <= local.time() < dt.time(14)


def test_load_demo__visiting_schedules_fall_within_the_weekly_opening_hours(demo):
    for schedule in VisitingSchedule.objects.all():
        assert OpeningHoursRule.objects.filter(
            point=schedule.point,
            weekday=schedule.weekday,
            opens__lte=schedule.starts,
            closes__gte=schedule.ends,
        ).exists(), schedule


def test_load_demo__run_twice__leaves_the_same_rows(demo):
    before = counts()
    fingerprint = Transaction.objects.aggregate(seconds=Sum("duration_seconds"), n=Count("id"))

    call_command("load_demo", "--months", "1", stdout=StringIO())

    assert counts() == before
    assert Transaction.objects.aggregate(seconds=Sum("duration_seconds"), n=Count("id")) == fingerprint


def test_demo_points__postal_codes_belong_to_the_points_municipality():
    path = Path(settings.GEO_DATA_DIR) / "fi_postal_areas_pop2022.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        municipality_of = {row["postal_code"]: row["municipality_code"] for row in csv.DictReader(handle)}

    for point in POINTS:
        assert municipality_of.get(point.postal_code) == point.municipality, point.slug


def test_demo_languages__are_service_languages_of_the_one_list():
    from asiointi.demo.transactions import FINNISH_LANGUAGES, SWEDISH_LANGUAGES
    from asiointi.ledger.services import LANGUAGE_CODES
    from asiointi.network.models import ServiceLanguage

    assert {code for p in POINTS for code in p.languages} <= set(ServiceLanguage.values)
    assert {code for code, _weight in FINNISH_LANGUAGES + SWEDISH_LANGUAGES} <= LANGUAGE_CODES


def test_load_demo__three_profiles_every_point_has_one_and_a_few_have_gaps(demo):
    from asiointi.catalogue.models import PointProfile, PointProfileAssignment
    from asiointi.catalogue.selectors import network_gaps

    assert list(PointProfile.objects.order_by("level").values_list("code", flat=True)) == [
        "digital",
        "mobile",
        "full",
    ]
    assert PointProfileAssignment.objects.count() == ServicePoint.objects.count() == len(POINTS)
    with_gaps = {p.point.slug: p for region in network_gaps() for p in region.points}
    assert sorted(with_gaps) == [
        "joutsa",
        "karijoki",
        "kiiminki",
        "luhanka",
        "mikkeli",
        "pelkosenniemi",
        "saarijarvi",
        "teuva",
    ]
    # the mobile point has no visiting schedule: every month counted is short of its two days
    assert [m.days for m in with_gaps["luhanka"].short_months] == [0, 0, 0]


def test_load_demo__agencies_have_valid_phone_numbers_for_call_by_phone(demo):
    from asiointi.network.models import phone_number

    agencies = list(Agency.objects.all())
    assert agencies and all(agency.phone for agency in agencies)
    for agency in agencies:
        phone_number(agency.phone)  # raises for a number that is not one


def test_load_demo__todays_remote_appointments_at_booths_have_their_meeting_rooms(demo):
    from asiointi.meetings.models import ParticipantKind, Room
    from asiointi.scheduling.models import ACTIVE_STATES, Appointment, Reservation, ReservationRole

    start = dt.datetime.combine(timezone.localdate(), dt.time(), tzinfo=ZoneInfo("Europe/Helsinki"))
    today = Appointment.objects.filter(
        channel=Channel.REMOTE_MEETING,
        state__in=ACTIVE_STATES,
        starts__gte=start,
        starts__lt=start + dt.timedelta(days=1),
        pk__in=Reservation.objects.filter(active=True, role=ReservationRole.BOOTH).values("appointment_id"),
    )
    rooms = Room.objects.filter(appointment__in=today)
    assert rooms.count() == today.count()
    assert all(room.participants.filter(kind=ParticipantKind.BOOTH).exists() for room in rooms)
