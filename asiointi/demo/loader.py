"""Writes the demo's agencies, services, points and staff, matching rows by their natural keys.

Every function here is idempotent: running it again updates the same rows and creates no
duplicates. The ledger's transactions are made in :mod:`asiointi.demo.transactions`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models

from asiointi.accounts.models import Membership, Role, User
from asiointi.catalogue.models import Channel, Service, ServiceOffering
from asiointi.network.models import (
    Agency,
    AgencyKind,
    AgencyOffice,
    Booth,
    Municipality,
    OpeningHoursException,
    OpeningHoursRule,
    ScheduleFrequency,
    ServicePoint,
    VisitingSchedule,
)
from asiointi.planning.models import Scenario, ScenarioStatus
from asiointi.planning.services import ScenarioInput, scenario_execute

from .agencies import OFFICES, STATE_AGENCIES
from .catalogue import MUNICIPAL, SERVICES_BY_AGENCY, ServiceData
from .points import POINTS, PointData, VisitData, opening_exceptions
from .texts import Text, translated

DEMO_PASSWORD = "asiointi-demo-2026"  # noqa: S105 (the published password of the demo accounts)  # nosec B105
DEMO_EMAIL_DOMAIN = "demo.asiointi.fi"

# Services that the Tax Administration offers by remote service; the rest are guidance only.
VERO_REMOTE = (
    "verokortti",
    "esitaytetty-veroilmoitus",
    "perintovero",
    "lahjavero",
    "kotitalousvahennys",
    "maksujarjestely",
    "muutto-suomeen-verotus",
)
# Matters that need the police in person: the applicant is identified, fingerprints taken.
POLICE_IN_PERSON = (
    "passi",
    "henkilokortti",
    "ajokortti",
    "tilapainen-passi",
    "ajokorttilupa",
    "aselupa",
    "eurooppalainen-ampuma-asepassi",
    "muukalaispassi",
    "jarjestyksenvalvojakortti",
    "vartijakortti",
)
BY_APPOINTMENT = Text("Ajanvarauksella", "Med tidsbokning", "By appointment")

ServiceKey = tuple[str, str]  # (agency code, service code)


class Tally:
    """Counts of rows created and updated, by model."""

    def __init__(self) -> None:
        self.created: Counter[str] = Counter()
        self.updated: Counter[str] = Counter()
        self.deleted: Counter[str] = Counter()

    def add(self, model: type[models.Model], created: bool, count: int = 1) -> None:
        (self.created if created else self.updated)[model.__name__] += count


def _upsert[M: models.Model](
    tally: Tally, model: type[M], lookup: dict[str, Any], values: dict[str, Any]
) -> M:
    obj, created = model._default_manager.update_or_create(defaults=values, **lookup)
    tally.add(model, created)
    return obj


def municipal_agency_code(point: PointData) -> str:
    return point.agency.code


def services_for(agency_code: str) -> tuple[ServiceData, ...]:
    return SERVICES_BY_AGENCY.get(agency_code, MUNICIPAL)


# --- agencies and services -----------------------------------------------------------------------


def load_agencies(tally: Tally, municipalities: dict[str, Municipality]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for data in STATE_AGENCIES:
        agencies[data.code] = _upsert(
            tally,
            Agency,
            {"code": data.code},
            {
                **translated("name", data.name),
                **translated("short_name", data.short_name),
                **translated("description", data.description),
                "kind": data.kind,
                "website": data.website,
                "phone": data.phone,
                "municipality": None,
            },
        )
    for point in POINTS:
        municipality = municipalities[point.municipality]
        name = point.agency.name
        short = Text(municipality.name_fi or "", municipality.name_sv or "", municipality.name_en or "")
        agencies[point.agency.code] = _upsert(
            tally,
            Agency,
            {"code": point.agency.code},
            {
                **translated("name", name),
                **translated("short_name", short),
                **translated(
                    "description",
                    Text(
                        f"{name.fi}: kirjasto, varhaiskasvatus, rakentaminen, asuminen ja liikunta.",
                        f"{name.sv}: bibliotek, småbarnspedagogik, byggande, boende och idrott.",
                        f"{name.en}: library, early childhood education, building, housing and sports.",
                    ),
                ),
                "kind": AgencyKind.MUNICIPAL,
                "website": point.agency.website,
                # The municipality's customer service answers at its service point's number.
                "phone": point.phone,
                "municipality": municipality,
            },
        )
    for office in OFFICES:
        municipality = municipalities[office.municipality]
        _upsert(
            tally,
            AgencyOffice,
            {"agency": agencies[office.agency], "name_fi": office.name.fi},
            {
                **translated("name", office.name),
                **translated("hours", office.hours),
                "municipality": municipality,
                "street_address": office.street_address,
                "postal_code": office.postal_code,
                "lat": round(municipality.centre_lat + office.offset[0], 5),
                "lon": round(municipality.centre_lon + office.offset[1], 5),
            },
        )
    return agencies


def load_services(tally: Tally, agencies: dict[str, Agency]) -> dict[ServiceKey, Service]:
    services: dict[ServiceKey, Service] = {}
    for code, agency in agencies.items():
        for data in services_for(code):
            services[(code, data.code)] = _upsert(
                tally,
                Service,
                {"agency": agency, "code": data.code},
                {
                    **translated("name", data.name),
                    **translated("description", data.description),
                    **translated("keywords", data.keywords),
                    "typical_duration_minutes": data.minutes,
                    "requires_identification": data.requires_identification,
                    "is_active": True,
                },
            )
    # The service finder's index follows these saves by itself, when the load commits (catalogue.signals).
    return services


# --- points ---------------------------------------------------------------------------------------


def load_points(
    tally: Tally,
    municipalities: dict[str, Municipality],
    agencies: dict[str, Agency],
    services: dict[ServiceKey, Service],
    last_month: dt.date,
) -> dict[str, ServicePoint]:
    points: dict[str, ServicePoint] = {}
    for data in POINTS:
        municipality = municipalities[data.municipality]
        lat, lon = data.coordinates or (municipality.centre_lat, municipality.centre_lon)
        post_office = data.post_office or Text(
            municipality.name_fi or "", municipality.name_sv or "", municipality.name_fi or ""
        )
        description = data.description or Text(
            f"{municipality.name_fi}: Kelan, Verohallinnon, työllisyyspalveluiden, Digi- ja "
            "väestötietoviraston ja poliisin palveluja sekä kunnan omia palveluja yhdestä paikasta.",
            f"{municipality.name_sv}: tjänster från FPA, Skatteförvaltningen, sysselsättningstjänsterna, "
            "Myndigheten för digitalisering och befolkningsdata, polisen och kommunen på ett ställe.",
            f"{municipality.name_en}: services of Kela, the Tax Administration, the employment services, the "
            "Digital and Population Data Services Agency, the police and the municipality in one place.",
        )
        point = _upsert(
            tally,
            ServicePoint,
            {"slug": data.slug},
            {
                **translated("name", data.name),
                **translated("description", description),
                **translated("post_office", post_office),
                "kind": data.kind,
                "municipality": municipality,
                "street_address": data.street_address,
                "postal_code": data.postal_code,
                "lat": round(lat + data.offset[0], 5),
                "lon": round(lon + data.offset[1], 5),
                "phone": data.phone,
                "email": data.email,
                "languages": list(data.languages),
                "active_from": data.active_from,
                "active_to": None,
            },
        )
        points[data.slug] = point
        _load_booths(tally, point, data)
        _load_hours(tally, point, data)
        _load_visits(tally, point, data, agencies)
        _load_offerings(tally, point, data, services)
    for exception in opening_exceptions(last_month):
        _upsert(
            tally,
            OpeningHoursException,
            {"point": points[exception.point], "date": exception.date},
            {
                **translated("reason", exception.reason),
                "is_closed": exception.opens is None,
                "opens": exception.opens,
                "closes": exception.closes,
            },
        )
    return points


def _load_booths(tally: Tally, point: ServicePoint, data: PointData) -> None:
    for booth in data.booths:
        _upsert(
            tally,
            Booth,
            {"point": point, "name": booth.name},
            {
                "has_document_camera": booth.document_camera,
                "has_printer": booth.printer,
                "has_scanner": booth.scanner,
                "has_second_screen": booth.second_screen,
                "step_free_access": booth.step_free,
                "is_active": True,
            },
        )


def _load_hours(tally: Tally, point: ServicePoint, data: PointData) -> None:
    wanted = {(day, rule.opens, rule.closes) for rule in data.hours for day in rule.weekdays}
    kept: set[tuple[int, dt.time, dt.time]] = set()
    stale = []
    for rule in OpeningHoursRule.objects.filter(point=point):
        key = (rule.weekday, rule.opens, rule.closes)
        if key in wanted and key not in kept and rule.valid_from is None and rule.valid_to is None:
            kept.add(key)
        else:
            stale.append(rule.pk)
    if stale:
        tally.deleted["OpeningHoursRule"] += OpeningHoursRule.objects.filter(pk__in=stale).delete()[0]
    missing = [
        OpeningHoursRule(point=point, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in sorted(wanted - kept)
    ]
    OpeningHoursRule.objects.bulk_create(missing)
    tally.add(OpeningHoursRule, True, len(missing))
    tally.add(OpeningHoursRule, False, len(kept))


def _load_visits(tally: Tally, point: ServicePoint, data: PointData, agencies: dict[str, Agency]) -> None:
    keep = []
    for visit in data.visits:
        schedule = _upsert(
            tally,
            VisitingSchedule,
            {
                "point": point,
                "agency": agencies[visit.agency],
                "weekday": visit.weekday,
                "starts": visit.starts,
            },
            {
                **translated("title", visit.title),
                "frequency": ScheduleFrequency.MONTHLY if visit.weeks_of_month else ScheduleFrequency.WEEKLY,
                "interval": visit.interval,
                "weeks_of_month": list(visit.weeks_of_month),
                "ends": visit.ends,
                "valid_from": data.active_from,
                "valid_to": None,
                "by_appointment": visit.by_appointment,
            },
        )
        keep.append(schedule.pk)
    deleted = VisitingSchedule.objects.filter(point=point).exclude(pk__in=keep).delete()[0]
    tally.deleted["VisitingSchedule"] += deleted


def visit_services(visit: VisitData) -> tuple[str, ...]:
    """The services an agency's visiting staff handle at the point."""
    if visit.agency == "poliisi":
        return POLICE_IN_PERSON
    return tuple(s.code for s in services_for(visit.agency))


def point_offerings(data: PointData) -> dict[tuple[ServiceKey, str], Text | None]:
    """Which services the point offers through which channel, with a note for the customer."""
    offerings: dict[tuple[ServiceKey, str], Text | None] = {}
    guided = ["kela", "vero", "tyollisyys", "dvv", data.agency.code]
    if data.police_guidance:
        guided.append("poliisi")
    for agency in guided:
        for service in services_for(agency):
            offerings[((agency, service.code), Channel.ADVISOR_GUIDANCE)] = None
    for agency in data.remote:
        for service in services_for(agency):
            if agency != "vero" or service.code in VERO_REMOTE:
                offerings[((agency, service.code), Channel.REMOTE_MEETING)] = BY_APPOINTMENT
    for agency in data.callback:
        for service in services_for(agency):
            offerings[((agency, service.code), Channel.CALLBACK)] = None
    for visit in data.visits:
        for code in visit_services(visit):
            offerings[((visit.agency, code), Channel.VISITING_OFFICIAL)] = visit.title
    return offerings


def _load_offerings(
    tally: Tally, point: ServicePoint, data: PointData, services: dict[ServiceKey, Service]
) -> None:
    wanted = {
        (services[key].pk, channel): note or Text("", "", "")
        for (key, channel), note in point_offerings(data).items()
    }
    existing = {(o.service_id, o.channel): o for o in ServiceOffering.objects.filter(point=point)}
    stale = [o.pk for key, o in existing.items() if key not in wanted]
    if stale:
        tally.deleted["ServiceOffering"] += ServiceOffering.objects.filter(pk__in=stale).delete()[0]
    missing = [
        ServiceOffering(point=point, service_id=service_id, channel=channel, **translated("notes", note))
        for (service_id, channel), note in wanted.items()
        if (service_id, channel) not in existing
    ]
    ServiceOffering.objects.bulk_create(missing)
    tally.add(ServiceOffering, True, len(missing))
    changed = []
    for key, offering in existing.items():
        note = wanted.get(key)
        if note is not None and (offering.notes_fi, offering.notes_sv, offering.notes_en) != tuple(note):
            offering.notes_fi, offering.notes_sv, offering.notes_en = note
            changed.append(offering)
    ServiceOffering.objects.bulk_update(changed, ["notes_fi", "notes_sv", "notes_en"])
    tally.add(ServiceOffering, False, len(existing) - len(stale))


# --- staff ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffData:
    email: str
    full_name: str
    role: str
    point: str | None = None
    agency: str | None = None
    language: str = "fi"


STAFF: tuple[StaffData, ...] = (
    StaffData("neuvoja.karstula", "Sanna Mäkinen", Role.ADVISOR, point="karstula"),
    StaffData("esihenkilo.karstula", "Jukka Lahtinen", Role.POINT_MANAGER, point="karstula"),
    StaffData("radgivare.parainen", "Anna Lindqvist", Role.ADVISOR, point="parainen", language="sv"),
    StaffData("asiantuntija.kela", "Tiina Korhonen", Role.EXPERT, agency="kela"),
    StaffData("koordinaattori.kela", "Marko Nieminen", Role.AGENCY_COORDINATOR, agency="kela"),
    StaffData("asiantuntija.vero", "Mikko Laine", Role.EXPERT, agency="vero"),
    StaffData("tulkki", "Aino Virtanen", Role.INTERPRETER),
    StaffData("verkostosuunnittelija", "Pekka Heikkinen", Role.NETWORK_PLANNER),
    StaffData("yllapitaja", "Leena Salonen", Role.ADMINISTRATOR),
)


def staff_email(data: StaffData) -> str:
    return f"{data.email}@{DEMO_EMAIL_DOMAIN}"


def load_staff(tally: Tally, points: dict[str, ServicePoint], agencies: dict[str, Agency]) -> list[StaffData]:
    """One account for every role, all with :data:`DEMO_PASSWORD` (hashed once: hashing is slow
    on purpose, and the demo accounts share their password anyway)."""
    hashed = make_password(DEMO_PASSWORD)
    for data in STAFF:
        user = _upsert(
            tally,
            User,
            {"email": staff_email(data)},
            {
                "full_name": data.full_name,
                "language": data.language,
                "is_staff": True,
                "is_superuser": data.role == Role.ADMINISTRATOR,
                "is_active": True,
                # Only these accounts may skip the second factor (SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS).
                "is_demo_account": True,
            },
        )
        user.password = hashed
        user.save(update_fields=["password"])
        _, created = Membership.objects.get_or_create(
            user=user,
            role=data.role,
            point=points[data.point] if data.point else None,
            agency=agencies[data.agency] if data.agency else None,
        )
        tally.add(Membership, created)
    return list(STAFF)


# --- planning ----------------------------------------------------------------------------------------

#: The saved scenarios a demo planner finds, run once when the demo is loaded (matched by name).
PLANNING_SCENARIOS: tuple[ScenarioInput, ...] = (
    ScenarioInput(name="Nykyinen verkosto, 40 km", mode="evaluate"),
    ScenarioInput(name="Vähiten toimipisteitä: 90 % asukkaista 40 km:n päässä", mode="minimise", share=0.9),
)


def load_planning(tally: Tally) -> None:
    """The demo planner's saved scenarios, run in this process (the demo's worker may not be up yet).
    A scenario that has a result already is left as it is."""
    planner = User.objects.filter(memberships__role=Role.NETWORK_PLANNER, is_demo_account=True).first()
    for data in PLANNING_SCENARIOS:
        existing = Scenario.objects.filter(name=data.name, status=ScenarioStatus.DONE).first()
        if existing is not None:
            tally.add(Scenario, False)
            continue
        Scenario.objects.filter(name=data.name).delete()
        scenario = Scenario.objects.create(
            name=data.name, mode=data.mode, share=data.share, created_by=planner
        )
        scenario_execute(scenario_id=scenario.pk)
        tally.add(Scenario, True)


# --- compensation agreements and statements ----------------------------------------------------------

#: Each state agency's share of a point's base part (the municipality carries the rest).
AGENCY_SHARES = {
    "kela": Decimal("0.2500"),
    "vero": Decimal("0.1500"),
    "tyollisyys": Decimal("0.1500"),
    "dvv": Decimal("0.1000"),
    "poliisi": Decimal("0.1000"),
    "oikeusapu": Decimal("0.0500"),
}
#: Euros per transaction by ASTI type; remote guidance in a remote meeting is dearer.
DEMO_PRICES: tuple[tuple[str, str, Decimal], ...] = (
    ("DocumentReceived", "", Decimal("4.50")),
    ("GuidanceToOnlineSelfService", "", Decimal("9.00")),
    ("LostAndFound", "", Decimal("2.00")),
    ("OnlineSelfServicePoint", "", Decimal("3.00")),
    ("OnsiteGuidance", "", Decimal("12.50")),
    ("OnsiteGuidanceByServiceAuthor", "", Decimal("6.00")),
    ("RemoteGuidance", "", Decimal("8.00")),
    ("RemoteGuidance", "remote_meeting", Decimal("10.00")),
)
AGREEMENTS_FROM = dt.date(2020, 1, 1)


def load_agreements(tally: Tally, points: dict[str, ServicePoint], agencies: dict[str, Agency]) -> None:
    """An open-ended agreement from 2020 for every demo point and state agency, its yearly base part
    scaled by the point's size (matched by point, agency and start: idempotent)."""
    from asiointi.ledger.models import Agreement, AgreementPrice

    for data in POINTS:
        point = points[data.slug]
        rent = Decimal(14_400) if data.slug == "karstula" else Decimal(12_000 + 600 * (len(data.slug) % 10))
        for code, share in AGENCY_SHARES.items():
            if code not in agencies:
                continue
            agreement = _upsert(
                tally,
                Agreement,
                {"point": point, "agency": agencies[code], "valid_from": AGREEMENTS_FROM},
                {
                    "valid_to": None,
                    "base_rent": rent,
                    "base_telecommunications": Decimal("1800.00"),
                    "base_equipment": Decimal("3600.00"),
                    "base_electricity": Decimal("1250.00"),
                    "base_training": Decimal("1500.00"),
                    "agency_share": share,
                },
            )
            for asti_type, channel, price in DEMO_PRICES:
                _upsert(
                    tally,
                    AgreementPrice,
                    {"agreement": agreement, "asti_type": asti_type, "channel": channel},
                    {"price": price},
                )


def load_statements(tally: Tally, months: list[dt.date]) -> None:
    """Draft the statements of ``months`` (approved ones stay as they are)."""
    from asiointi.ledger.models import Statement
    from asiointi.ledger.services import statement_draft_month

    for month in months:
        tally.add(Statement, False, statement_draft_month(month=month))
