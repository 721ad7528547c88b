"""Every named route of the URL configuration, and how the sweep opens it.

:func:`named_routes` walks the resolver. :func:`plan` turns each route into the pages the sweep visits:
which keyword arguments fill the URL (from the demo database), which roles open it, and whether it is
one of the product's own pages or a page of Django's admin. A route that is neither covered here nor
skipped with a reason in :data:`SKIPPED` raises :class:`UncoveredRoutes` naming it, so a new page
cannot be left out of the sweep by accident.

The roles that open a route are not listed here: they are the roles that the access matrix
(:mod:`asiointi.accounts.access`) allows on it, each signed in as its demo account. A route that the
matrix does not know fails the plan, naming it.

The admin's model views (changelist, add, change, history, delete) are covered for every model
registered in the admin site, so a new model admin is swept without touching this file; its objects
must exist in the demo data, or the sweep fails naming the route. A view of one row opens, for each
role, a row that the role may see (the demo point's own where the model has one).

Languages (see :func:`languages_for`): every page is checked in fi, sv and en as every role that may
open it (docs/accessibility.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import FieldError
from django.db import models
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from asiointi.accounts import access
from asiointi.accounts.models import Membership, Role, User
from asiointi.catalogue.models import PointProfile, Service
from asiointi.network.models import Agency, Booth, ServicePoint

ANONYMOUS: str = access.ANONYMOUS
ADMINISTRATOR: str = Role.ADMINISTRATOR.value
POINT_MANAGER: str = Role.POINT_MANAGER.value
#: A booth's screen, signed in as a device of its booth (not a person).
BOOTH_DEVICE: str = access.BOOTH_DEVICE
#: Every role the sweep may open a page as: anonymous, each role of staff and a booth's screen
#: (the access matrix's).
ROLES: tuple[str, ...] = access.MATRIX_ROLES
LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
#: The languages of the admin's pages as a role other than the administrator: all three, as the
#: issue asks (each page in fi, sv and en as each role that may open it). Narrowing this to ("fi",)
#: would check each role once and each language once (as the administrator), for a faster sweep.
ADMIN_LANGUAGES_OF_OTHER_ROLES: tuple[str, ...] = LANGUAGES

#: The demo point whose pages and whose point manager the sweep uses.
DEMO_POINT = "karstula"

type Kwargs = dict[str, str]
type KwargsProvider = Callable[[], Kwargs]

#: Named routes that are not pages a person reads, each with the reason.
SKIPPED: dict[str, str] = {
    "set_language": "POST only: switches the language and redirects",
    "javascript-catalog": "JavaScript translation catalogue, not a page",
    "accounts:logout": "POST only: signs out and redirects",
    "admin:logout": "POST only: signs out of the admin",
    "admin:jsi18n": "JavaScript translation catalogue of the admin, not a page",
    "admin:autocomplete": "JSON for the admin's autocomplete widgets, not a page",
    "admin:view_on_site": "redirects to the object's public page (swept as that page)",
    "admin:login": "redirects to accounts:login, the one sign-in with the second factor (swept as that page)",
    "planning:scenario_status": "JSON of a scenario's run for its page's script, not a page",
    "planning:scenario_csv": "a download (CSV of the sites), not a page",
    "planning:scenario_png": "the map image that the scenario's page shows (checked there through its alt text)",
    "planning:scenario_html": "a download (a self-contained map file opened outside the site), not a page",
    "planning:scenario_delete": "POST only: deletes a scenario and redirects to the planning page",
    "ledger:statement_approve": "POST only: approves a statement and redirects to its page",
    "ledger:statement_send": "POST only: sends a statement and redirects to its page",
    "ledger:statement_csv": "a download (CSV of the statement), not a page",
    "ledger:statement_xlsx": "a download (Excel workbook of the statement), not a page",
    "schedule:appointment_action": "POST only: changes an appointment and redirects to its page",
    "api:openapi-json": "the API's schema (JSON), which the docs page shows",
    "calendar:feed": "a calendar file (ICS) for calendar apps, not a page",
    "statistics:csv": "a download (CSV of one figure), not a page",
    "statistics:public_csv": "a download (CSV of one figure), not a page",
    "api:api-root": "the API's root, which answers 404 with the error body (the docs are api:docs)",
    "desk:counts": "a fragment of the desk page (its counts panel) that htmx reloads, swept as part of the desk",
    "desk:undo": "POST only: undoes a transaction and redirects to the desk",
    "desk:receipt": "POST only: issues a single-use feedback link and shows the receipt to print",
    "callbacks:panel": "a fragment of the callback queue (its table) that htmx reloads, swept as part of the queue",
    "callbacks:action": "POST only: claims, logs an attempt on or closes a callback request and redirects to it",
    "meetings:document": "a document sent in a meeting (PDF, JPEG, PNG), not a page",
    "meetings:phone": "POST only: tells the meeting that the customer calls by phone and redirects to it",
    "desk:finder": "a fragment of the desk page (the finder's results) that htmx loads, swept as part of the desk",
    "desk:callnow_panel": "a fragment of the desk page (the waiting calls) that htmx reloads, swept as part of the desk",
    "desk:callnow_cancel": "POST only: cancels a waiting call and redirects to the desk",
    "callbacks:now_panel": "a fragment of the call-now queue (its list) that htmx reloads, swept as part of the queue",
    "callbacks:now_accept": "POST only: takes a call and redirects to the meeting room (or back with a message)",
}


@dataclass(frozen=True)
class Route:
    """A named route as the resolver knows it."""

    name: str
    pattern: str


@dataclass(frozen=True)
class RouteSpec:
    """How the sweep opens a route: its keyword arguments, and whether it is a page of Django's
    admin (judged by the looser admin goal) or one of the product's own. The roles that open it
    are those that the access matrix allows."""

    kwargs: KwargsProvider | None = None
    admin: bool = False
    #: A page outside the language prefixes (the API's docs), opened in a language by ``?lang=``.
    language_query: bool = False
    #: A query string for the page (without "?"), e.g. a search, so the sweep sees its results.
    query: str = ""
    #: For the admin's model views: the model and the view ("changelist", "add", "change", ...).
    model: type[models.Model] | None = None
    view: str = ""

    @property
    def row(self) -> bool:
        """Whether the route shows one row, which each role opens among the rows it may see."""
        return self.model is not None and self.view in ROW_VIEWS


@dataclass(frozen=True)
class Page:
    """One URL to check, in one language, as one role."""

    route: str
    language: str
    role: str
    path: str
    admin: bool
    #: The form state to bring about before the check ("" for the page as it opens).
    state: str = ""


class UnknownAccess(Exception):
    """Routes that the sweep covers but the access matrix does not list: nobody has said which
    roles may open them."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            "Routes without a row in the access matrix (say in asiointi/accounts/access.py which "
            "roles may open them): " + ", ".join(names)
        )


class UncoveredRoutes(Exception):
    """Named routes that the sweep neither checks nor skips with a reason."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        super().__init__(
            "Routes not covered by the accessibility sweep (add them to a11y/routes.py REGISTRY, "
            "or to SKIPPED with a reason): " + ", ".join(names)
        )


def named_routes(urlconf: str | None = None) -> list[Route]:
    """Every named route, namespaces joined with ':'."""

    def walk(resolver: URLResolver, namespaces: tuple[str, ...], prefix: str) -> Iterator[Route]:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
                yield from walk(entry, inner, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern) and entry.name:
                yield Route(":".join((*namespaces, entry.name)), prefix + str(entry.pattern))

    seen: dict[str, Route] = {}
    for route in walk(get_resolver(urlconf), (), ""):
        seen.setdefault(route.name, route)
    # The API's operations, each under its own name (two methods on one path are two operations).
    from asiointi.api.main import operations

    for operation in operations():
        seen.setdefault(operation.name, Route(operation.name, operation.path))
    return list(seen.values())


#: Why the sweep leaves the API's operations to the access matrix and the schemathesis run.
API_OPERATION_SKIPPED = "an operation of the API (JSON): the access matrix and the schemathesis run check it"


def skipped_routes() -> dict[str, str]:
    """The routes that the sweep does not open, with the reason: :data:`SKIPPED` and the API's
    operations."""
    from asiointi.api.main import operations

    return {**SKIPPED, **dict.fromkeys((operation.name for operation in operations()), API_OPERATION_SKIPPED)}


# Parameter providers: each reads the demo database when the sweep builds its pages.


def _point_slug() -> Kwargs:
    return {"slug": ServicePoint.objects.get(slug=DEMO_POINT).slug}


def _demo_profile() -> PointProfile:
    """The demo point's profile."""
    return PointProfile.objects.get(assignments__point__slug=DEMO_POINT)


def _agency_code() -> Kwargs:
    return {"code": Agency.objects.get(code="kela").code}


def _service_pk() -> Kwargs:
    service = Service.objects.filter(offerings__point__slug=DEMO_POINT).order_by("pk").first()
    if service is None:
        raise LookupError(f"The demo point {DEMO_POINT!r} offers no service.")
    return {"pk": str(service.pk)}


def _appointment_code() -> Kwargs:
    from asiointi.scheduling.models import Appointment

    appointment = Appointment.objects.filter(point__slug=DEMO_POINT).order_by("pk").first()
    # Without appointments (the fuzz test's smallest data), a code that no appointment has: the
    # public pages then ask for the code and the contact.
    return {"code": appointment.code if appointment is not None else "ACDEFHJK"}


def _point_appointment() -> Kwargs:
    return {**_point_slug(), **_appointment_code()}


def scenario_id() -> Kwargs:
    from asiointi.planning.models import Scenario, ScenarioStatus

    scenario = Scenario.objects.filter(status=ScenarioStatus.DONE).order_by("pk").first()
    if scenario is None:
        raise LookupError("The demo data has no planning scenario with a result.")
    return {"scenario_id": str(scenario.pk)}


def agreement_id() -> Kwargs:
    """The demo point's agreement with Kela (its manager and Kela's coordinator both keep it)."""
    from asiointi.ledger.models import Agreement

    agreement = (
        Agreement.objects.filter(point__slug=DEMO_POINT, agency__code="kela").order_by("-valid_from").first()
    )
    if agreement is None:
        raise LookupError(f"The demo data has no agreement of {DEMO_POINT!r} with Kela.")
    return {"agreement_id": str(agreement.pk)}


def statement_id() -> Kwargs:
    """The demo point's statement to Kela (its manager and Kela's coordinator both read it)."""
    from asiointi.ledger.models import Statement

    statement = (
        Statement.objects.filter(point__slug=DEMO_POINT, agency__code="kela").order_by("-month").first()
    )
    if statement is None:
        raise LookupError(f"The demo data has no statement of {DEMO_POINT!r} to Kela.")
    return {"statement_id": str(statement.pk)}


#: The code of the appointment that the sweep makes when the demo data has none that every role
#: that reads appointments may open.
SAMPLE_APPOINTMENT_CODE = "AAAAAAAA"


def appointment_pk() -> Kwargs:
    """An appointment at the demo point with a Kela service that the demo expert and the demo
    interpreter are booked in, so that every role that reads appointments may open it (the point's
    staff, Kela's coordinator, the expert and the interpreter, the administrator). The demo data's
    own where it has one; else one is made far in the future (the fuzz test's small data)."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from asiointi.scheduling.models import (
        Appointment,
        Expert,
        Interpreter,
        Reservation,
        Resource,
        ResourceKind,
    )

    def people(role: str) -> list[User]:
        memberships = Membership.objects.filter(role=role, user__is_active=True)
        preferred = memberships.filter(point__slug=DEMO_POINT) | memberships.filter(agency__code="kela")
        first = preferred.order_by("pk").first() or memberships.order_by("pk").first()
        return [u for u in {first.user if first else None, role_user(role)} if u is not None]

    experts, interpreters = people(Role.EXPERT.value), people(Role.INTERPRETER.value)
    candidates = Appointment.objects.filter(point__slug=DEMO_POINT, services__agency__code="kela")
    for user in experts:
        candidates = candidates.filter(reservations__resource__expert__user=user, reservations__active=True)
    for user in interpreters:
        candidates = candidates.filter(reservations__resource__interpreter__user=user)
    found = (
        Appointment.objects.filter(code=SAMPLE_APPOINTMENT_CODE).first() or candidates.order_by("pk").first()
    )
    if found is not None:
        return {"pk": str(found.pk)}
    point = ServicePoint.objects.get(slug=DEMO_POINT)
    kela = Agency.objects.get(code="kela")
    service = (
        Service.objects.filter(agency=kela, offerings__point=point).order_by("pk").first()
        or Service.objects.filter(agency=kela).order_by("pk").first()
    )
    if service is None:
        raise LookupError("The demo data has no Kela service for an appointment.")
    day = timezone.localdate() + dt.timedelta(days=400)
    starts = dt.datetime.combine(day, dt.time(3), ZoneInfo("Europe/Helsinki"))
    ends = starts + dt.timedelta(minutes=30)
    appointment = Appointment.objects.create(
        code=SAMPLE_APPOINTMENT_CODE,
        point=point,
        channel="remote_meeting",
        language="fi",
        starts=starts,
        ends=ends,
        customer_name="Saavutettavuus Testi",
        customer_email="testi@example.fi",
        booked_by_kind="staff",
    )
    appointment.services.add(service)
    for user in experts:
        expert = Expert.objects.filter(user=user).first()
        if expert is None:
            expert = Expert.objects.create(
                resource=Resource.objects.create(kind=ResourceKind.EXPERT), user=user, agency=kela
            )
        Reservation.objects.create(
            appointment=appointment,
            resource=expert.resource,
            role="expert",
            starts=starts,
            ends=ends,
            holds_until=ends,
        )
    for user in interpreters:
        interpreter = Interpreter.objects.filter(user=user).first()
        if interpreter is None:
            interpreter = Interpreter.objects.create(
                resource=Resource.objects.create(kind=ResourceKind.INTERPRETER), user=user
            )
        Reservation.objects.create(
            appointment=appointment,
            resource=interpreter.resource,
            role="interpreter",
            starts=starts,
            ends=ends,
            holds_until=ends,
        )
    return {"pk": str(appointment.pk)}


def _user_id() -> Kwargs:
    user = User.objects.filter(memberships__point__slug=DEMO_POINT).order_by("pk").first()
    if user is None:
        raise LookupError(f"The demo point {DEMO_POINT!r} has no staff.")
    return {"id": str(user.pk)}


#: Lookups tried in order to find an object of a model that the point manager of the demo point
#: may also see; the first that the model has and that finds a row wins.
_SAMPLE_LOOKUPS: tuple[dict[str, str], ...] = (
    {"slug": DEMO_POINT},
    {"point__slug": DEMO_POINT},
    {"memberships__point__slug": DEMO_POINT},
    {"points__slug": DEMO_POINT},
    {"service_points__slug": DEMO_POINT},
)


def _axes_row(model_label: str) -> Callable[[], None]:
    def make() -> None:
        from django.apps import apps

        fields: dict[str, object] = {
            "user_agent": "Accessibility sweep",
            "ip_address": "192.0.2.1",
            "username": "nobody@example.fi",
            "http_accept": "text/html",
            "path_info": "/fi/accounts/login/",
        }
        if model_label == "axes.AccessAttempt":
            fields |= {"get_data": "", "post_data": "username=nobody@example.fi", "failures_since_start": 1}
        apps.get_model(model_label)._default_manager.create(**fields)

    return make


def _feedback() -> None:
    from asiointi.web.services import accessibility_feedback_submit

    accessibility_feedback_submit(
        message="Kartan kuntien nimet ovat liian pieniä.",
        page="/fi/",
        name="",
        email="",
        wants_reply=False,
        language="fi",
    )


def _feedback_token() -> Kwargs:
    """A fresh feedback link of a demo transaction without feedback (opening the page does not use it)."""
    from asiointi.ledger.models import Transaction
    from asiointi.ledger.services import feedback_token_issue

    transaction = (
        Transaction.objects.filter(point__slug=DEMO_POINT, feedback__isnull=True).order_by("pk").first()
    )
    if transaction is None:
        # Data without demo transactions (the fuzz test's): record one at the demo point.
        import datetime as dt

        from django.utils import timezone

        from asiointi.ledger.services import transaction_record

        transaction = transaction_record(
            point=ServicePoint.objects.get(slug=DEMO_POINT),
            agency=Agency.objects.order_by("pk")[0],
            asti_type="OnsiteGuidance",
            channel="advisor_guidance",
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            duration_seconds=600,
            language="fi",
            source="desk",
        )
    return {"token": feedback_token_issue(transaction=transaction)}


def callback_pk(*, fresh: bool = False) -> int:
    """An open callback request for Kela filed at the demo point (the demo data's own, or a new one
    when ``fresh`` or when the data has none), which the point's staff and Kela's experts and
    coordinator may all open."""
    from asiointi.desk.models import CallbackRequest, CallbackState
    from asiointi.desk.services import CallbackData, callback_file

    if not fresh:
        found = (
            CallbackRequest.objects.filter(
                point__slug=DEMO_POINT, agency__code="kela", state=CallbackState.OPEN
            )
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found.pk
    filed = callback_file(
        data=CallbackData(
            point=ServicePoint.objects.get(slug=DEMO_POINT),
            agency=Agency.objects.get(code="kela"),
            customer_name="Saavutettavuus Testi",
            customer_phone="040 000 0000",
            language="fi",
            topic="Asumistuen hakeminen",
            consent=True,
        ),
        by=None,
    )
    return filed.pk


def callnow_pk() -> int:
    """A new call-now request waiting at the demo point for Kela (or the first agency served remotely
    there), in a booth made for it so that it is free whatever the demo data holds."""
    from asiointi.desk.selectors import callnow_agencies
    from asiointi.desk.services import CallNowData, callnow_queue

    point = ServicePoint.objects.get(slug=DEMO_POINT)
    agencies = callnow_agencies(point=point)
    agency = agencies.filter(code="kela").first() or agencies.first()
    if agency is None:
        raise LookupError("The demo point offers no service remotely.")
    booth = Booth.objects.create(point=point, name=f"Testikoppi {Booth.objects.count() + 1}")
    return callnow_queue(data=CallNowData(point=point, booth=booth, agency=agency, language="fi"), by=None).pk


def desk_transaction_pk() -> int:
    """A new transaction recorded at the demo point's desk now (to undo, or to print a receipt of)."""
    from asiointi.desk.services import desk_transaction_record

    return desk_transaction_record(
        point=ServicePoint.objects.get(slug=DEMO_POINT),
        agency=Agency.objects.get(code="kela"),
        asti_type="OnsiteGuidance",
        channel="advisor_guidance",
        duration_seconds=300,
        language="fi",
    ).pk


def _demo_meeting_expert() -> tuple[User, int]:
    """The demo expert (the sweep's) and the agency they take part for."""
    user = role_user(Role.EXPERT.value)
    if user is None:
        raise LookupError("The demo data has no expert.")
    membership = Membership.objects.filter(user=user, role=Role.EXPERT).order_by("pk").first()
    return user, membership.agency_id if membership and membership.agency_id else Agency.objects.order_by(
        "pk"
    )[0].pk


def _demo_meeting_room() -> Kwargs:
    """The demo expert's personal join link to a room of now at the demo point, with the demo booth in
    it (the booth screen's kiosk shows the same meeting); made once, for the day."""
    import datetime as dt

    from django.utils import timezone

    from asiointi.meetings import services
    from asiointi.meetings.models import ParticipantKind, Room, RoomState
    from asiointi.meetings.tokens import join_token_issue

    now = timezone.now()
    user, agency_id = _demo_meeting_expert()
    room = (
        Room.objects.filter(
            point__slug=DEMO_POINT,
            appointment__isnull=True,
            state=RoomState.SCHEDULED,
            starts__lte=now,
            ends__gte=now + dt.timedelta(hours=1),
            participants__booth=demo_booth(),
        )
        .order_by("pk")
        .first()
    )
    if room is None:
        room = services.room_create(
            point_id=demo_booth().point_id,
            starts=now - dt.timedelta(minutes=5),
            ends=now + dt.timedelta(hours=8),
            booth=demo_booth(),
        )
    participant = services.participant_add(
        room=room, kind=ParticipantKind.EXPERT, user=user, agency_id=agency_id
    )
    return {"token": join_token_issue(participant=participant)}


def demo_meeting_document() -> Kwargs:
    """A document that the demo booth sent in the demo expert's meeting of now, with the expert's link."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from asiointi.meetings.documents import document_send
    from asiointi.meetings.models import MeetingDocument, ParticipantKind
    from asiointi.meetings.tokens import join_token_participant

    kwargs = _demo_meeting_room()
    expert = join_token_participant(token=kwargs["token"])
    document = MeetingDocument.objects.filter(room_id=expert.room_id).order_by("pk").first()
    if document is None:
        booth = expert.room.participants.get(kind=ParticipantKind.BOOTH)
        pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
        document = document_send(
            participant=booth,
            upload=SimpleUploadedFile("hakemus.pdf", pdf, content_type="application/pdf"),
            agency_id=expert.agency_id,
        )
    return {**kwargs, "key": str(document.key)}


def _demo_meeting_feedback() -> Kwargs:
    """A meeting of the demo booth that has ended, recorded in the ledger without feedback yet."""
    import datetime as dt

    from django.utils import timezone

    from asiointi.ledger.models import Transaction
    from asiointi.meetings import services
    from asiointi.meetings.models import ParticipantKind, Room, RoomState

    for room in Room.objects.filter(
        point__slug=DEMO_POINT, state=RoomState.ENDED, participants__booth=demo_booth()
    ):
        if Transaction.objects.filter(
            origin__startswith=f"meeting:{room.key}:", feedback__isnull=True
        ).exists():
            return {"key": str(room.key)}
    starts = timezone.now() - dt.timedelta(hours=1)
    user, agency_id = _demo_meeting_expert()
    room = services.room_create(
        point_id=demo_booth().point_id,
        starts=starts,
        ends=starts + dt.timedelta(minutes=30),
        booth=demo_booth(),
    )
    expert = services.participant_add(room=room, kind=ParticipantKind.EXPERT, user=user, agency_id=agency_id)
    booth = room.participants.get(kind=ParticipantKind.BOOTH)
    services.participant_join(participant=expert, now=starts)
    services.participant_join(participant=booth, now=starts)
    services.participant_admit(participant=booth, by=expert, now=starts + dt.timedelta(minutes=1))
    services.meeting_end(room=room, by=expert, now=starts + dt.timedelta(minutes=20))
    return {"key": str(room.key)}


def _booth_device() -> None:
    from asiointi.accounts.models import BoothDevice
    from asiointi.network.models import Booth

    BoothDevice.objects.create(booth=Booth.objects.filter(point__slug=DEMO_POINT).order_by("pk")[0])


def _api_token() -> None:
    import secrets

    from asiointi.accounts.models import ApiToken
    from asiointi.accounts.services import api_token_hash

    user = User.objects.filter(memberships__role=Role.NETWORK_PLANNER).order_by("pk").first()
    user = user or User.objects.order_by("pk")[0]
    raw = "asi_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name="Saavutettavuus", prefix=raw[:12], token_hash=api_token_hash(raw))


#: Rows that the demo data does not have but the admin's pages need, made before the sweep.
SAMPLE_MAKERS: dict[str, Callable[[], None]] = {
    "auth.Group": lambda: Group.objects.get_or_create(name="Accessibility sweep") and None,
    "axes.AccessAttempt": _axes_row("axes.AccessAttempt"),
    "axes.AccessLog": _axes_row("axes.AccessLog"),
    "axes.AccessFailureLog": _axes_row("axes.AccessFailureLog"),
    "web.AccessibilityFeedback": _feedback,
    "accounts.BoothDevice": _booth_device,
    "accounts.ApiToken": _api_token,
}


def _opening_hours_exception() -> None:
    import datetime as dt

    from django.utils import timezone

    from asiointi.network.models import OpeningHoursException

    point = ServicePoint.objects.get(slug=DEMO_POINT)
    christmas_eve = dt.date(timezone.localdate().year + 1, 12, 24)
    OpeningHoursException.objects.get_or_create(
        point=point,
        date=christmas_eve,
        defaults={
            "is_closed": True,
            "reason_fi": "Jouluaatto",
            "reason_sv": "Julafton",
            "reason_en": "Christmas Eve",
        },
    )


#: Rows of the demo point that the demo data does not have, but which its staff open in the admin
#: (each role opens a row of its own point).
def _point_profile_assignment() -> None:
    """The demo point with a profile (the demo gives it one; the smallest data has the profiles of
    the catalogue's data or makes one)."""
    from django.db import transaction

    from asiointi.catalogue.services import point_profile_create, point_profile_set

    point = ServicePoint.objects.get(slug=DEMO_POINT)
    with transaction.atomic():
        profile = PointProfile.objects.order_by("level", "pk").first() or point_profile_create(
            code="sample", level=1, names={"fi": "Näyte", "sv": "Prov", "en": "Sample"}
        )
        point_profile_set(point=point, profile=profile)


DEMO_POINT_SAMPLE_MAKERS: dict[str, Callable[[], None]] = {
    "network.OpeningHoursException": _opening_hours_exception,
    "catalogue.PointProfileAssignment": _point_profile_assignment,
}


def make_samples() -> None:
    """Make the rows of :data:`SAMPLE_MAKERS` whose models are registered and have no row yet,
    and those of :data:`DEMO_POINT_SAMPLE_MAKERS` that the demo point has not."""
    registered = {model._meta.label: model for model in admin.site._registry}
    for label, make in SAMPLE_MAKERS.items():
        model = registered.get(label)
        if model is not None and not model._default_manager.exists():
            make()
    for label, make in DEMO_POINT_SAMPLE_MAKERS.items():
        model = registered.get(label)
        if model is not None and not model._default_manager.filter(point__slug=DEMO_POINT).exists():
            make()


def sample_object(model: type[models.Model]) -> models.Model:
    """An object of ``model`` for its change, history and delete pages: one of the demo point's
    own where the model has such a relation, else the first one."""
    manager = model._default_manager
    for lookup in _SAMPLE_LOOKUPS:
        try:
            found = manager.filter(**lookup).order_by("pk").first()
        except FieldError:
            continue
        if found is not None:
            return found
    found = manager.order_by("pk").first()
    if found is None:
        raise LookupError(f"The demo data has no {model._meta.label} to open in the admin.")
    return found


def _object_of(model: type[models.Model], *, for_delete: bool = False) -> KwargsProvider:
    def provide() -> Kwargs:
        if for_delete:
            # The confirmation page lists every row the deletion would take along; the newest
            # row (the fewest relations in the demo) keeps that list short and the sweep fast.
            newest = model._default_manager.order_by("-pk").first()
            if newest is not None:
                return {"object_id": str(newest.pk)}
        return {"object_id": str(sample_object(model).pk)}

    return provide


def _static(kwargs: Kwargs) -> KwargsProvider:
    def provide() -> Kwargs:
        return dict(kwargs)

    return provide


#: The product's own pages and the admin site's own pages.
REGISTRY: dict[str, RouteSpec] = {
    "web:home": RouteSpec(),
    "web:point_list": RouteSpec(),
    "web:point_detail": RouteSpec(_point_slug),
    "web:agency_list": RouteSpec(),
    "web:agency_detail": RouteSpec(_agency_code),
    "web:service_detail": RouteSpec(_service_pk),
    "web:service_search": RouteSpec(query="q=passi+hukassa"),
    "web:accessibility": RouteSpec(),
    "accounts:login": RouteSpec(),
    # The second factor: the sweep's roles have passed it, and these pages open for them too (to
    # confirm a code again, to replace the authenticator app, to see and renew the recovery codes).
    # The browser tests (a11y/tests) open them also before the second factor is passed.
    "accounts:second_factor": RouteSpec(),
    "accounts:second_factor_setup": RouteSpec(),
    "accounts:recovery_codes": RouteSpec(),
    "accounts:password_reset": RouteSpec(),
    "accounts:password_reset_done": RouteSpec(),
    # A link that is not valid shows its own page: the one that a used or old link opens. The form
    # of a valid link is checked in its error state (FORM_STATES).
    "accounts:password_reset_confirm": RouteSpec(_static({"uidb64": "MQ", "token": "used-or-old-link"})),  # nosec B105
    "accounts:password_reset_complete": RouteSpec(),
    "accounts:booth_pair": RouteSpec(),
    # Opens in a booth screen's device session (the role booth_device), for its own booth.
    "accounts:booth_screen": RouteSpec(),
    # The staff home: every role lands there after sign-in and sees its own navigation.
    "staff:home": RouteSpec(),
    # Experts and interpreters: their private calendar feed's address.
    "staff:calendar_feed": RouteSpec(),
    # Point managers (their points), planners and administrators: the points with gaps.
    "staff:profile_gaps": RouteSpec(),
    # Point profiles: the profiles and their form (planners, administrators), asking before deleting
    # one, and the points' profiles (a point manager their own, to read).
    "staff:profile_list": RouteSpec(),
    "staff:profile_create": RouteSpec(),
    "staff:profile_edit": RouteSpec(lambda: {"profile_id": str(_demo_profile().pk)}),
    "staff:profile_delete": RouteSpec(lambda: {"profile_id": str(_demo_profile().pk)}),
    "staff:point_profiles": RouteSpec(),
    "staff:point_profile": RouteSpec(_point_slug),
    "planning:index": RouteSpec(),
    # Customer feedback and statistics (ledger): the feedback page by a fresh single-use link.
    "feedback:form": RouteSpec(_feedback_token),
    "feedback:thanks": RouteSpec(),
    "meetings:today": RouteSpec(),
    "meetings:room": RouteSpec(_demo_meeting_room),
    "meetings:kiosk": RouteSpec(),
    "meetings:kiosk_feedback": RouteSpec(_demo_meeting_feedback),
    "meetings:documents": RouteSpec(_demo_meeting_room),
    "feedback:texts": RouteSpec(),
    "statistics:index": RouteSpec(),
    "statistics:public": RouteSpec(),
    # The resident's booking: the form, the contact step for a free time, and an appointment's
    # pages (without the proof in the session they ask for the code and the contact).
    "appointments:book": RouteSpec(),
    "appointments:book_contact": RouteSpec(),
    "appointments:booked": RouteSpec(_appointment_code),
    "appointments:manage": RouteSpec(),
    "appointments:manage_detail": RouteSpec(_appointment_code),
    "appointments:manage_cancel": RouteSpec(_appointment_code),
    "appointments:manage_move": RouteSpec(_appointment_code),
    # The advisor's booking at the demo point, and an appointment booked there.
    "booking:index": RouteSpec(),
    "booking:book": RouteSpec(_point_slug),
    "booking:booked": RouteSpec(_point_appointment),
    "planning:scenario": RouteSpec(scenario_id),
    "ledger:statements": RouteSpec(),
    "ledger:statement": RouteSpec(statement_id),
    "ledger:statement_print": RouteSpec(statement_id),
    "ledger:agreements": RouteSpec(),
    "ledger:agreement_create": RouteSpec(),
    "ledger:agreement_edit": RouteSpec(agreement_id),
    # The staff's scheduling pages: the calendar, availability, a point's day and appointments.
    "schedule:my_calendar": RouteSpec(),
    "schedule:availability": RouteSpec(),
    "schedule:point_day": RouteSpec(),
    "schedule:appointment_list": RouteSpec(),
    "schedule:appointment_detail": RouteSpec(appointment_pk),
    # The advisor's desk at the demo point, filing a callback request, and the callback queues.
    "desk:index": RouteSpec(),
    "desk:desk": RouteSpec(_point_slug),
    "desk:callback_new": RouteSpec(_point_slug),
    "callbacks:queue": RouteSpec(),
    "callbacks:detail": RouteSpec(lambda: {"pk": str(callback_pk())}),
    # The call-now queue: the advisor's form, and the experts' queue with a call waiting in it.
    "desk:callnow_new": RouteSpec(_point_slug),
    "callbacks:now": RouteSpec(),
    # The API's interactive documentation (Swagger UI), one address for every language.
    "api:docs": RouteSpec(language_query=True),
    "admin:index": RouteSpec(admin=True),
    "admin:app_list": RouteSpec(_static({"app_label": "network"}), admin=True),
    "admin:password_change": RouteSpec(admin=True),
    "admin:password_change_done": RouteSpec(admin=True),
    "admin:auth_user_password_change": RouteSpec(_user_id, admin=True),
}

#: The admin's model views, and those of them that show one row.
MODEL_VIEWS: tuple[str, ...] = ("changelist", "add", "change", "history", "delete")
ROW_VIEWS: frozenset[str] = frozenset({"change", "history", "delete"})


def _admin_model_specs() -> dict[str, RouteSpec]:
    """Specs for the model views of every model registered in the admin site."""
    specs: dict[str, RouteSpec] = {}
    for model in admin.site._registry:
        opts = model._meta
        for view in MODEL_VIEWS:
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            kwargs = _object_of(model, for_delete=view == "delete") if view in ROW_VIEWS else None
            specs[name] = RouteSpec(kwargs, admin=True, model=model, view=view)
    return specs


def registry() -> dict[str, RouteSpec]:
    """The explicit registry and the admin's model views together."""
    return {**_admin_model_specs(), **REGISTRY}


def covered_routes(urlconf: str | None = None) -> dict[str, RouteSpec]:
    """The spec of every named route that the sweep checks; raises :class:`UncoveredRoutes` for
    a route that is neither covered nor skipped."""
    specs = registry()
    routes = named_routes(urlconf)
    skipped = set(skipped_routes()) - set(specs)
    uncovered = sorted(r.name for r in routes if r.name not in specs and r.name not in skipped)
    if uncovered:
        raise UncoveredRoutes(uncovered)
    return {r.name: specs[r.name] for r in routes if r.name not in skipped}


@dataclass(frozen=True)
class FormState:
    """A form brought into its state with validation errors before the check."""

    route: str
    role: str
    state: str
    #: CSS selector and value of each field to fill ("" leaves it empty).
    fill: tuple[tuple[str, str], ...]
    submit: str
    #: The keyword arguments of the form's own URL, where it is not the route's page as swept.
    kwargs: KwargsProvider | None = None
    #: The status of the page with the errors (the planner's form answers 400 Bad Request).
    status: int = 200


def password_reset_link() -> Kwargs:
    """A valid link for setting a new password, for a demo account that the sweep does not sign in
    (a sign-in would change the account and end the link)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    signed_in = [user.pk for role in ROLES if (user := role_user(role)) is not None]
    user = User.objects.filter(is_active=True, is_staff=True).exclude(pk__in=signed_in).order_by("pk").first()
    if user is None:
        raise LookupError("The demo data has no member of staff to make a password reset link for.")
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


#: Forms in their state with validation errors shown.
FORM_STATES: tuple[FormState, ...] = (
    FormState("accounts:login", ANONYMOUS, "errors: empty", (), "main form button[type=submit]"),
    FormState(
        "accounts:login",
        ANONYMOUS,
        "errors: wrong password",
        (("#id_username", "nobody@example.fi"), ("#id_password", "not the password")),
        "main form button[type=submit]",
    ),
    FormState(
        "accounts:second_factor",
        ADMINISTRATOR,
        "errors: wrong code",
        (("#id_code", "000000"),),
        "main form.stacked-form button[type=submit]",
    ),
    FormState(
        "accounts:second_factor_setup",
        ADMINISTRATOR,
        "errors: empty",
        (),
        "main form.stacked-form button[type=submit]",
    ),
    FormState(
        "accounts:password_reset",
        ANONYMOUS,
        "errors: invalid email",
        (("#id_email", "not an address"),),
        "main form button[type=submit]",
    ),
    FormState(
        "accounts:password_reset_confirm",
        ANONYMOUS,
        "errors: passwords differ",
        (("#id_new_password1", "Kuusi kuikkaa"), ("#id_new_password2", "Seitsemän kuikkaa")),
        "main form button[type=submit]",
        kwargs=password_reset_link,
    ),
    FormState(
        "accounts:booth_pair",
        ANONYMOUS,
        "errors: wrong code",
        (("#id_code", "AAAA-AAAA"),),
        "main form button[type=submit]",
    ),
    FormState("web:home", ANONYMOUS, "no match", (("#id_q", "Atlantis"),), "form[role=search] button"),
    FormState(
        "web:service_search", ANONYMOUS, "no results", (("#id_q", "zzqxv"),), "form[role=search] button"
    ),
    FormState(
        "web:service_detail",
        ANONYMOUS,
        "errors: unknown municipality",
        (("#id_from", "Atlantis"),),
        "main form button[type=submit]",
    ),
    FormState("admin:network_booth_add", ADMINISTRATOR, "errors: empty", (), "[name=_save]"),
    FormState("web:accessibility", ANONYMOUS, "errors: empty", (), "#feedback form button[type=submit]"),
    FormState(
        "feedback:form",
        ANONYMOUS,
        "errors: no answers",
        (),
        "main form.stacked-form button[type=submit]",
        status=400,
    ),
    FormState(
        "ledger:agreement_create",
        POINT_MANAGER,
        "errors: share over 100 %, negative price, end before start",
        (
            ("#id_valid_from", "2026-03-01"),
            ("#id_valid_to", "2026-02-01"),
            ("#id_agency_share", "120"),
            ("#id_price_OnsiteGuidance_all", "-1"),
        ),
        "main form.stacked-form button[type=submit]",
        status=400,
    ),
    FormState(
        "statistics:index",
        ADMINISTRATOR,
        "errors: month in the future",
        (("#id_start", "2099-01"),),
        "main form.search-form button[type=submit]",
        status=400,
    ),
    FormState(
        "staff:profile_create",
        ADMINISTRATOR,
        "errors: no name, code not a code, level over 99",
        (("#id_code", "Ei kelpaa!"), ("#id_level", "120")),
        "main form.profile-form button[type=submit]",
        status=400,
    ),
    FormState(
        "planning:index",
        ADMINISTRATOR,
        "errors: no rule, unknown site",
        (("#id_name", "Saavutettavuus"), ("#id_sites", "Atlantis")),
        "main form.stacked-form button[type=submit]",
        status=400,
    ),
    # The desk's call-now form without an agency and a booth.
    FormState(
        "desk:callnow_new",
        Role.ADVISOR.value,
        "errors: no agency, no booth",
        (),
        "#callnow_form button[type=submit]",
        status=400,
    ),
)


def role_user(role: str) -> User | None:
    """The demo account that plays ``role`` (None for an anonymous visitor and a booth's screen,
    which are no one's account): its holder at the demo point or at Kela where the role has a
    place, else the first active one."""
    if role in (ANONYMOUS, BOOTH_DEVICE):
        return None
    memberships = Membership.objects.filter(role=role, user__is_active=True).select_related("user")
    # The demo's own accounts (the others, such as the bookable colleagues of the demo expert, have no
    # password), when there are any.
    if memberships.filter(user__is_demo_account=True).exists():
        memberships = memberships.filter(user__is_demo_account=True)
    preferred = memberships.filter(point__slug=DEMO_POINT) | memberships.filter(agency__code="kela")
    found = preferred.order_by("pk").first() or memberships.order_by("pk").first()
    return found.user if found is not None else None


def demo_booth() -> Booth:
    """The booth whose screen the sweep signs in as the role booth_device: the demo point's first."""
    booth = Booth.objects.filter(point__slug=DEMO_POINT, is_active=True).order_by("pk").first()
    if booth is None:
        raise LookupError(f"The demo point {DEMO_POINT!r} has no booth.")
    return booth


def allowed_roles(name: str, table: Mapping[str, access.Access] | None = None) -> tuple[str, ...]:
    """The roles that the access matrix lets open the route ``name``, anonymous first."""
    entry = (table if table is not None else access.matrix()).get(name)
    if entry is None:
        raise UnknownAccess([name])
    return tuple(role for role in ROLES if entry.answer(role) == access.Answer.ALLOWED)


def languages_for(spec: RouteSpec, role: str, roles: tuple[str, ...]) -> tuple[str, ...]:
    """The languages in which ``role`` opens a route that ``roles`` may open: all of them on the
    product's pages; on the admin's, all as the administrator (or, where the administrator may not
    open the page, as the first role that may) and :data:`ADMIN_LANGUAGES_OF_OTHER_ROLES` as the
    other roles."""
    if not spec.admin:
        return LANGUAGES
    every_language = ADMINISTRATOR if ADMINISTRATOR in roles else roles[0]
    return LANGUAGES if role == every_language else ADMIN_LANGUAGES_OF_OTHER_ROLES


def role_row(model: type[models.Model], role: str, *, view: str) -> models.Model:
    """A row of ``model`` that ``role`` may open in the admin's ``view``: among the rows that its
    model admin shows the role's demo account, the demo point's own where the model has one; for
    the delete view the newest that the role may delete (the confirmation page lists every row the
    deletion would take along, and the newest has the fewest relations in the demo)."""
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = role_user(role) or AnonymousUser()
    rows = model_admin.get_queryset(request)
    if view == "delete":
        for candidate in rows.order_by("-pk")[:20]:
            if model_admin.has_delete_permission(request, candidate):
                return candidate
        raise LookupError(f"The demo data has no {model._meta.label} that {role} may delete.")
    for lookup in _SAMPLE_LOOKUPS:
        try:
            found = rows.filter(**lookup).order_by("pk").first()
        except FieldError:
            continue
        if found is not None:
            return found
    found = rows.order_by("pk").first()
    if found is None:
        raise LookupError(f"The demo data has no {model._meta.label} that {role} may open in the admin.")
    return found


@dataclass
class Plan:
    pages: list[Page]
    #: Routes that no role may open (the access matrix allows none), with the reason.
    refused: dict[str, str]
    #: The roles that the access matrix allows on each route that is swept.
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)


def plan(urlconf: str | None = None) -> Plan:
    """Every page the sweep checks: each covered route as each role that the access matrix allows
    on it, in the languages of :func:`languages_for`, and then the forms in their error states."""
    make_samples()
    table = access.matrix()
    covered = covered_routes(urlconf)
    unknown = sorted(name for name in covered if name not in table)
    if unknown:
        raise UnknownAccess(unknown)
    refused: dict[str, str] = {}
    roles_of: dict[str, tuple[str, ...]] = {}
    for name in covered:
        roles = allowed_roles(name, table)
        if roles:
            roles_of[name] = roles
        else:
            refused[name] = "the access matrix lets no role open it"
    kwargs_of: dict[tuple[str, str], Kwargs] = {}
    for name, roles in roles_of.items():
        spec = covered[name]
        for role in roles:
            try:
                if spec.row and spec.model is not None:
                    kwargs_of[name, role] = {"object_id": str(role_row(spec.model, role, view=spec.view).pk)}
                else:
                    kwargs_of[name, role] = spec.kwargs() if spec.kwargs else {}
            except LookupError as error:
                raise LookupError(f"{name}: {error}") from error
    states: dict[str, list[tuple[FormState, Kwargs | None]]] = {}
    for form_state in FORM_STATES:
        if form_state.route in roles_of:
            if form_state.role not in roles_of[form_state.route]:
                raise ValueError(
                    f"{form_state.route} ({form_state.state}): the access matrix does not let "
                    f"{form_state.role} open it."
                )
            own = form_state.kwargs() if form_state.kwargs else None
            states.setdefault(form_state.route, []).append((form_state, own))
    pages: list[Page] = []
    for language in LANGUAGES:
        with translation.override(language):
            for name, roles in roles_of.items():
                spec = covered[name]
                for role in roles:
                    if language in languages_for(spec, role, roles):
                        path = reverse(name, kwargs=kwargs_of[name, role] or None, urlconf=urlconf)
                        if spec.language_query:
                            path += f"?lang={language}"
                        elif spec.query:
                            path += f"?{spec.query}"
                        pages.append(Page(name, language, role, path, spec.admin))
                for form_state, own in states.get(name, ()):
                    kwargs = own if own is not None else kwargs_of[name, form_state.role]
                    path = reverse(name, kwargs=kwargs or None, urlconf=urlconf)
                    pages.append(Page(name, language, form_state.role, path, spec.admin, form_state.state))
    return Plan(pages, refused, roles_of)


def form_state(page: Page) -> FormState | None:
    for candidate in FORM_STATES:
        if (candidate.route, candidate.role, candidate.state) == (page.route, page.role, page.state):
            return candidate
    return None
