"""factory_boy factories shared by the tests of every app, with Finnish and Swedish fakers.

Content fields are set per language (``name_fi``, ``name_sv``) as django-modeltranslation stores
them. Transactions are created through :func:`asiointi.ledger.services.transaction_record`, the only
writer of the ledger.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from asiointi.accounts.models import AuditAction, AuditEvent, Membership, Role, User
from asiointi.accounts.services import audit_record
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.core.models import ScheduledRun
from asiointi.ledger.models import AstiType, Transaction, TransactionSource
from asiointi.ledger.services import transaction_record
from asiointi.network.models import (
    Agency,
    AgencyOffice,
    Booth,
    Municipality,
    OpeningHoursException,
    OpeningHoursRule,
    Region,
    ServicePoint,
    VisitingSchedule,
    Weekday,
)
from asiointi.planning.models import Scenario, ScenarioMode, ScenarioStatus, ScenarioStep
from asiointi.scheduling import services as scheduling_services
from asiointi.scheduling.models import Expert, Interpreter
from asiointi.scheduling.selectors import SlotRequest, slot_request_build
from asiointi.web.models import AccessibilityFeedback

TEST_PASSWORD = "Kuusi-kissaa-ja-kolme-koiraa"  # noqa: S105 - a test password, long enough for the validators.
WEEKDAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)


class RegionFactory(DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "13"
    name_fi = "Keski-Suomi"
    name_sv = "Mellersta Finland"
    name_en = "Central Finland"


class MunicipalityFactory(DjangoModelFactory[Municipality]):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{900 + n % 100:03d}")
    name_fi = factory.Faker("city", locale="fi_FI")
    name_sv = factory.Faker("city", locale="sv_SE")
    region = factory.SubFactory(RegionFactory)
    population = 4300
    lat = 62.88
    lon = 24.80
    centre_lat = factory.SelfAttribute("lat")
    centre_lon = factory.SelfAttribute("lon")
    area_km2 = 950.0
    language = "fi"


class AgencyFactory(DjangoModelFactory[Agency]):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"virasto-{n}")
    name_fi = factory.Faker("company", locale="fi_FI")
    name_sv = factory.Faker("company", locale="sv_SE")


class AgencyOfficeFactory(DjangoModelFactory[AgencyOffice]):
    class Meta:
        model = AgencyOffice

    agency = factory.SubFactory(AgencyFactory)
    name_fi = factory.LazyAttribute(lambda o: f"{o.agency.name_fi}, {o.municipality.name_fi}")
    municipality = factory.SubFactory(MunicipalityFactory)
    street_address = factory.Faker("street_address", locale="fi_FI")


class ServicePointFactory(DjangoModelFactory[ServicePoint]):
    class Meta:
        model = ServicePoint

    slug = factory.Sequence(lambda n: f"piste-{n}")
    municipality = factory.SubFactory(MunicipalityFactory)
    name_fi = factory.LazyAttribute(lambda o: f"{o.municipality.name_fi}n yhteispalvelupiste")
    name_sv = factory.LazyAttribute(lambda o: f"Samservicekontoret i {o.municipality.name_sv}")
    street_address = factory.Faker("street_address", locale="fi_FI")
    postal_code = "43500"
    post_office_fi = factory.LazyAttribute(lambda o: o.municipality.name_fi)
    lat = factory.LazyAttribute(lambda o: o.municipality.centre_lat)
    lon = factory.LazyAttribute(lambda o: o.municipality.centre_lon)
    languages = factory.LazyFunction(lambda: ["fi"])
    active_from = dt.date(2020, 1, 1)


def point_with_hours(
    *,
    weekdays: Iterable[int] = WEEKDAYS,
    opens: dt.time = dt.time(9),
    closes: dt.time = dt.time(15),
    **fields: Any,
) -> ServicePoint:
    """A point (:class:`ServicePointFactory` with ``fields``) open on ``weekdays`` from ``opens`` to
    ``closes``: Monday to Friday 9–15 unless told otherwise."""
    point: ServicePoint = ServicePointFactory.create(**fields)
    for weekday in weekdays:
        OpeningHoursRuleFactory.create(point=point, weekday=weekday, opens=opens, closes=closes)
    return point


class BoothFactory(DjangoModelFactory[Booth]):
    class Meta:
        model = Booth

    point = factory.SubFactory(ServicePointFactory)
    name = factory.Sequence(lambda n: f"Etäpalvelupiste {n + 1}")


class OpeningHoursRuleFactory(DjangoModelFactory[OpeningHoursRule]):
    class Meta:
        model = OpeningHoursRule

    point = factory.SubFactory(ServicePointFactory)
    weekday = Weekday.MONDAY
    opens = dt.time(9)
    closes = dt.time(15)


class OpeningHoursExceptionFactory(DjangoModelFactory[OpeningHoursException]):
    class Meta:
        model = OpeningHoursException

    point = factory.SubFactory(ServicePointFactory)
    date = dt.date(2026, 12, 24)
    is_closed = True
    reason_fi = "Jouluaatto"


class VisitingScheduleFactory(DjangoModelFactory[VisitingSchedule]):
    class Meta:
        model = VisitingSchedule

    point = factory.SubFactory(ServicePointFactory)
    agency = factory.SubFactory(AgencyFactory)
    title_fi = "Lupapalvelut paikalla"
    weekday = Weekday.MONDAY
    starts = dt.time(10)
    ends = dt.time(12)
    valid_from = dt.date(2026, 1, 1)


class ServiceFactory(DjangoModelFactory[Service]):
    class Meta:
        model = Service

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"palvelu-{n}")
    name_fi = factory.Faker("catch_phrase", locale="fi_FI")
    name_sv = factory.Faker("catch_phrase", locale="sv_SE")


class ServiceOfferingFactory(DjangoModelFactory[ServiceOffering]):
    class Meta:
        model = ServiceOffering

    point = factory.SubFactory(ServicePointFactory)
    service = factory.SubFactory(ServiceFactory)
    channel = Channel.ADVISOR_GUIDANCE


class TransactionFactory(factory.Factory[Transaction]):
    """A transaction recorded through the ledger's service, as every flow records one."""

    class Meta:
        model = Transaction

    point = factory.SubFactory(ServicePointFactory)
    agency = factory.SubFactory(AgencyFactory)
    service = None
    asti_type = AstiType.ONSITE_GUIDANCE
    channel = Channel.ADVISOR_GUIDANCE
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))
    duration_seconds = 600
    language = "fi"
    source = TransactionSource.DESK
    with_interpreter = False

    @classmethod
    def _create(cls, model_class: type[Transaction], *args: Any, **kwargs: Any) -> Transaction:
        return transaction_record(**kwargs)

    @classmethod
    def _build(cls, model_class: type[Transaction], *args: Any, **kwargs: Any) -> Transaction:
        return model_class(**kwargs)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    class Params:
        superuser = factory.Trait(is_superuser=True)

    email = factory.Sequence(lambda n: f"kayttaja{n}@example.fi")
    full_name = factory.Faker("name", locale="fi_FI")
    language = "fi"
    is_staff = True
    # ``UserFactory.create(password="...")`` signs in with another password than TEST_PASSWORD.
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save_password(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            self.save(update_fields=["password"])


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.ADVISOR
    point = None
    agency = None


class TOTPDeviceFactory(DjangoModelFactory[TOTPDevice]):
    """A confirmed authenticator app: the user has set up the second factor
    (:func:`asiointi.accounts.tests.helpers.authenticator_code` gives its current code). A user has at
    most one: asked again, the factory returns the device the user already has."""

    class Meta:
        model = TOTPDevice
        django_get_or_create = ("user", "confirmed")

    user = factory.SubFactory(UserFactory)
    name = "Authenticator app"
    confirmed = True


class AuditEventFactory(factory.Factory[AuditEvent]):
    """An event appended through :func:`asiointi.accounts.services.audit_record`, the only writer of
    the audit log."""

    class Meta:
        model = AuditEvent

    action = AuditAction.SIGN_IN
    actor = None
    actor_email = "yllapito@example.fi"
    target = None
    summary = ""

    @classmethod
    def _create(cls, model_class: type[AuditEvent], *args: Any, **kwargs: Any) -> AuditEvent:
        return audit_record(**kwargs)

    @classmethod
    def _build(cls, model_class: type[AuditEvent], *args: Any, **kwargs: Any) -> AuditEvent:
        return model_class(
            action=kwargs["action"], actor_email=kwargs["actor_email"], summary=kwargs["summary"]
        )


class ScenarioFactory(DjangoModelFactory[Scenario]):
    """A planning scenario as saved from the form, waiting to run unless told otherwise."""

    class Meta:
        model = Scenario

    class Params:
        # A worker is solving it: ``started_at`` and ``heartbeat_at`` say since when and its last sign.
        running = factory.Trait(
            status=ScenarioStatus.RUNNING,
            step=ScenarioStep.OPTIMAL,
            started_at=factory.LazyFunction(timezone.now),
            heartbeat_at=factory.SelfAttribute("started_at"),
        )

    name = factory.Sequence(lambda n: f"Skenaario {n + 1}")
    mode = ScenarioMode.EVALUATE


class ScheduledRunFactory(DjangoModelFactory[ScheduledRun]):
    """The row a scheduler inserts when it queues a periodic task for one period."""

    class Meta:
        model = ScheduledRun

    name = "retention"
    period_start = factory.LazyFunction(lambda: timezone.now().replace(minute=0, second=0, microsecond=0))


class AccessibilityFeedbackFactory(DjangoModelFactory[AccessibilityFeedback]):
    """A message from the accessibility statement's feedback form, with no name or address unless
    told. ``received_days_ago=N`` dates it N days back (``created_at`` is set on saving)."""

    class Meta:
        model = AccessibilityFeedback
        skip_postgeneration_save = True

    message = "Kontrasti on liian heikko."
    language = "fi"

    @factory.post_generation
    def received_days_ago(self, create: bool, extracted: int | None, **kwargs: Any) -> None:
        if create and extracted is not None:
            self.created_at = timezone.now() - dt.timedelta(days=extracted)
            AccessibilityFeedback.objects.filter(pk=self.pk).update(created_at=self.created_at)


# --- scheduling ---------------------------------------------------------------------------------


def expert_create(
    *,
    agency: Agency,
    services: Iterable[Service],
    languages: Iterable[str] = ("fi",),
    weekdays: Iterable[int] = WEEKDAYS,
    starts: dt.time = dt.time(8),
    ends: dt.time = dt.time(16),
    **user_fields: Any,
) -> Expert:
    """A bookable expert of ``agency`` (a user with the expert's role there), for ``services``, at work
    on ``weekdays`` from ``starts`` to ``ends``, through the scheduling app's services."""
    user = UserFactory.create(**user_fields)
    MembershipFactory.create(user=user, role=Role.EXPERT, agency=agency)
    expert = scheduling_services.expert_create(
        user=user, agency_id=agency.pk, service_ids=[s.pk for s in services], languages=list(languages)
    )
    scheduling_services.working_hours_replace(
        resource=expert.resource, rules=[(w, starts, ends) for w in weekdays]
    )
    return expert


def interpreter_create(
    *,
    languages: Iterable[str] = ("fi", "ar"),
    weekdays: Iterable[int] = WEEKDAYS,
    starts: dt.time = dt.time(8),
    ends: dt.time = dt.time(16),
    **user_fields: Any,
) -> Interpreter:
    """A bookable interpreter for ``languages``, at work on ``weekdays`` from ``starts`` to ``ends``."""
    user = UserFactory.create(**user_fields)
    MembershipFactory.create(user=user, role=Role.INTERPRETER)
    interpreter = scheduling_services.interpreter_create(user=user, languages=list(languages))
    scheduling_services.working_hours_replace(
        resource=interpreter.resource, rules=[(w, starts, ends) for w in weekdays]
    )
    return interpreter


def remote_service_point(
    *, booths: int = 1, agencies: int = 1, channel: str = Channel.REMOTE_MEETING, **point_fields: Any
) -> tuple[ServicePoint, list[Booth], list[Service]]:
    """A point open Monday to Friday 9–15 with ``booths`` booths and one service of each of
    ``agencies`` agencies offered there through ``channel`` (30 minutes each)."""
    point = point_with_hours(**point_fields)
    point_booths = [BoothFactory.create(point=point) for _ in range(booths)]
    services = []
    for _ in range(agencies):
        service = ServiceFactory.create(typical_duration_minutes=30)
        ServiceOfferingFactory.create(point=point, service=service, channel=channel)
        services.append(service)
    return point, point_booths, services


def remote_meeting_request(
    point: ServicePoint, services: Iterable[Service], *, interpreter_language: str = ""
) -> SlotRequest:
    """The request of a remote meeting in Finnish at ``point`` for all of ``services`` (with an
    interpreter of ``interpreter_language`` when given)."""
    return slot_request_build(
        point=point,
        service_ids=[s.pk for s in services],
        channel=Channel.REMOTE_MEETING,
        language="fi",
        interpreter_language=interpreter_language,
    )
