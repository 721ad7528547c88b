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
from factory.django import DjangoModelFactory

from asiointi.accounts.models import Membership, Role, User
from asiointi.catalogue.models import Channel, Service, ServiceOffering
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

    email = factory.Sequence(lambda n: f"kayttaja{n}@example.fi")
    full_name = factory.Faker("name", locale="fi_FI")
    language = "fi"
    is_staff = True
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
