"""The access matrix: for every route, which roles may use it and how far their access reaches.

This one table is what a reviewer reads to know who can open what. The product's own routes are
listed in :data:`ROUTES`; the administration's model views (list, add, change, history, delete) follow
from each model admin's grants (:class:`asiointi.core.admin_scope.Grant`), which are the table's
rows for those models, and the model admins without grants are listed in :data:`ADMINISTRATOR_ONLY`.
A test (``asiointi/accounts/tests/test_access_matrix.py``) walks the URL configuration with the same
route registry as the accessibility sweep and asks every route as every role (anonymous included) for
the answer this table promises; a route that the table does not cover fails it.

What someone outside a route's roles gets:

* an anonymous visitor: a redirect to sign-in;
* a signed-in member of staff: 403, or 404 for a row outside their scope (the row does not exist
  for them, so its existence is not revealed);
* in the administration, a signed-in user with no role there (an interpreter): Django's admin sends
  them to its sign-in page, which says that the account has no access;
* a booth's screen (a device of its booth, not a person; :data:`BOOTH_DEVICE`): a redirect back to
  its booth screen. It reaches only the public pages, the language switch and its own booth screen,
  no staff page, no administration and no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from django.contrib import admin

from asiointi.core.admin_scope import ADD, ADMIN_ROLES, CHANGE, DELETE, VIEW, ScopedAdminMixin

from .models import Role

ANONYMOUS = "anonymous"
#: Every role of a person, anonymous first (the roles that the accessibility sweep signs in as).
ROLES: tuple[str, ...] = (ANONYMOUS, *Role.values)
STAFF_ROLES: tuple[str, ...] = tuple(Role.values)
PLANNING_ROLES: tuple[str, ...] = (Role.NETWORK_PLANNER.value, Role.ADMINISTRATOR.value)
#: A booth's screen signed in as a device of its booth (``request.booth_device``), not a person.
BOOTH_DEVICE = "booth_device"
#: Every role the matrix speaks of: the roles of people, then the booth's device.
MATRIX_ROLES: tuple[str, ...] = (*ROLES, BOOTH_DEVICE)


class Reach(StrEnum):
    """How far a role's access to a route reaches."""

    PUBLIC = "public information"
    OWN_ACCOUNT = "own account"
    OWN_BOOTH = "own booth"
    OWN_POINT = "own point"
    OWN_AGENCY = "own agency"
    EVERYTHING = "everything"


class Answer(StrEnum):
    ALLOWED = "allowed"
    FORBIDDEN = "403"
    NOT_FOUND = "404 (outside the scope)"
    SIGN_IN = "redirect to sign-in"
    BOOTH_SCREEN = "redirect to the booth screen"


@dataclass(frozen=True)
class Access:
    """Who may use a route: ``roles`` maps each allowed role to its reach. ``method`` is how the
    route is used (a POST-only route answers GET with 405); ``status`` is the answer of an allowed
    use (200, or 302 for a route that acts and redirects)."""

    roles: Mapping[str, Reach]
    method: str = "GET"
    status: int = 200
    #: The answer to a signed-in role that is not allowed (403, or a redirect to sign-in).
    refused_staff: Answer = Answer.FORBIDDEN
    #: For a route on one row: the roles that can see the row. A refused role among them gets 403;
    #: a refused role that cannot see the row gets 404, as for a row that does not exist.
    visible_to: frozenset[str] | None = None
    #: A route of the administration, which a role without a place there cannot enter at all.
    admin: bool = False
    #: An operation of the API: whoever is not staff there (anonymous, a booth's screen) gets 401
    #: with the error body, which the table calls a sign-in, never a redirect.
    api: bool = False
    note: str = ""

    def answer(self, role: str) -> Answer:
        if role in self.roles:
            return Answer.ALLOWED
        if role == BOOTH_DEVICE and not self.api:
            return Answer.BOOTH_SCREEN
        if role in (ANONYMOUS, BOOTH_DEVICE):
            return Answer.SIGN_IN
        if self.admin and role not in ADMIN_ENTRY:
            return Answer.SIGN_IN
        if self.visible_to is not None and role not in self.visible_to:
            return Answer.NOT_FOUND
        return self.refused_staff


def _public(method: str = "GET", status: int = 200, note: str = "") -> Access:
    """Public information, the same for every person and for a booth's screen."""
    return Access(MappingProxyType(dict.fromkeys(MATRIX_ROLES, Reach.PUBLIC)), method, status, note=note)


def _everyone(method: str = "GET", status: int = 200, note: str = "") -> Access:
    """Open to every person (signing in and out, password reset); a booth's screen is sent back to
    its booth screen."""
    return Access(MappingProxyType(dict.fromkeys(ROLES, Reach.PUBLIC)), method, status, note=note)


def _admin(
    roles: Iterable[str], reach: Reach, *, method: str = "GET", status: int = 200, note: str = ""
) -> Access:
    """A route of the administration for ``roles``; other signed-in users get 403."""
    return Access(MappingProxyType(dict.fromkeys(roles, reach)), method, status, admin=True, note=note)


#: Roles that enter the administration (interpreters have nothing there).
ADMIN_ENTRY: tuple[str, ...] = ADMIN_ROLES

#: How far each role's work reaches where a page shows what the role may see.
ROLE_REACH: Mapping[str, Reach] = MappingProxyType(
    {
        Role.ADVISOR.value: Reach.OWN_POINT,
        Role.POINT_MANAGER.value: Reach.OWN_POINT,
        Role.EXPERT.value: Reach.OWN_AGENCY,
        Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
        Role.NETWORK_PLANNER.value: Reach.EVERYTHING,
        Role.ADMINISTRATOR.value: Reach.EVERYTHING,
    }
)


#: Who keeps the point profiles and gives them to points (the whole network).
PROFILE_KEEPERS: Mapping[str, Reach] = MappingProxyType(dict.fromkeys(PLANNING_ROLES, Reach.EVERYTHING))


#: Who keeps the compensation agreements (asiointi/ledger/selectors.py): a point manager their
#: points', a coordinator their agency's, an administrator every one.
AGREEMENT_REACH: Mapping[str, Reach] = MappingProxyType(
    {
        Role.POINT_MANAGER.value: Reach.OWN_POINT,
        Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
        Role.ADMINISTRATOR.value: Reach.EVERYTHING,
    }
)

#: Who reads the monthly statements (asiointi/ledger/selectors.py): a point manager their points',
#: a coordinator their agency's, a network planner and an administrator every one (read-only).
STATEMENT_REACH: Mapping[str, Reach] = MappingProxyType(
    {
        Role.POINT_MANAGER.value: Reach.OWN_POINT,
        Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
        Role.NETWORK_PLANNER.value: Reach.EVERYTHING,
        Role.ADMINISTRATOR.value: Reach.EVERYTHING,
    }
)
STATEMENT_ROLES: tuple[str, ...] = tuple(STATEMENT_REACH)


def _admin_scoped(note: str = "") -> Access:
    """A page of the administration that shows each admin role what its reach covers."""
    return Access(MappingProxyType({r: ROLE_REACH[r] for r in ADMIN_ENTRY}), admin=True, note=note)


#: The people with a calendar of their own (bookable experts and interpreters).
SCHEDULE_PEOPLE: tuple[str, ...] = (Role.EXPERT.value, Role.INTERPRETER.value)
#: Who sees appointments on the staff pages, and how far.
APPOINTMENT_READERS: Mapping[str, Reach] = MappingProxyType(
    {
        Role.ADVISOR.value: Reach.OWN_POINT,
        Role.POINT_MANAGER.value: Reach.OWN_POINT,
        Role.EXPERT.value: Reach.OWN_ACCOUNT,
        Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
        Role.INTERPRETER.value: Reach.OWN_ACCOUNT,
        Role.ADMINISTRATOR.value: Reach.EVERYTHING,
    }
)


#: Who works at a point's desk (asiointi/desk/).
DESK_REACH: Mapping[str, Reach] = MappingProxyType({Role.ADVISOR.value: Reach.OWN_POINT})
#: Who reads callback requests, and how far.
CALLBACK_READERS: Mapping[str, Reach] = MappingProxyType(
    {
        Role.ADVISOR.value: Reach.OWN_POINT,
        Role.POINT_MANAGER.value: Reach.OWN_POINT,
        Role.EXPERT.value: Reach.OWN_AGENCY,
        Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
        Role.ADMINISTRATOR.value: Reach.EVERYTHING,
    }
)
#: Who claims, tries and closes an agency's callback requests.
CALLBACK_HANDLERS: Mapping[str, Reach] = MappingProxyType({Role.EXPERT.value: Reach.OWN_AGENCY})
#: Who takes calls from an agency's call-now queue (asiointi/desk/).
CALL_NOW_EXPERTS: Mapping[str, Reach] = MappingProxyType({Role.EXPERT.value: Reach.OWN_AGENCY})


#: The product's own routes, and the administration's routes that are not model views.
ROUTES: Mapping[str, Access] = MappingProxyType(
    {
        # Public pages: no personal data, the same for everyone, a booth's screen included.
        "web:home": _public(),
        "web:point_list": _public(),
        "web:point_detail": _public(),
        "web:agency_list": _public(),
        "web:agency_detail": _public(),
        "web:service_detail": _public(),
        "web:service_search": _public(note="the service finder; a search is never cached"),
        "web:accessibility": _public(note="the feedback form is open to everyone"),
        # The resident's booking (asiointi/scheduling/public_views.py): open to every person without
        # an account (a booth's screen stays on its booth screen); an appointment's pages need its
        # code and the contact it was booked with.
        "appointments:book": _everyone(note="rate-limited per address (slot searches)"),
        "appointments:book_contact": _everyone(note="rate-limited per address (bookings)"),
        "appointments:booked": _everyone(
            status=302,
            note='the booking\'s own session; others are sent to "Manage my appointment" with the code filled in',
        ),
        "appointments:manage": _everyone(
            note="wrong codes or contacts from one address make the next tries wait"
        ),
        **dict.fromkeys(
            ("appointments:manage_detail", "appointments:manage_cancel", "appointments:manage_move"),
            _everyone(
                status=302,
                note='with code and contact proven in the session; else sent to "Manage my appointment" '
                "with the code filled in",
            ),
        ),
        "javascript-catalog": _public(),
        "set_language": _public("POST", 302),
        # Sign-in and sign-out: people only; a booth's screen stays on its booth screen.
        "accounts:login": _everyone(),
        "accounts:logout": _everyone("POST", 302),
        "accounts:password_reset": _everyone(),
        "accounts:password_reset_done": _everyone(),
        "accounts:password_reset_confirm": _everyone(note="a used or old link says so"),
        "accounts:password_reset_complete": _everyone(),
        "accounts:booth_pair": _everyone(
            note="a booth screen enters its pairing code; once paired, it is sent to its booth screen"
        ),
        "accounts:booth_screen": Access(
            MappingProxyType({BOOTH_DEVICE: Reach.OWN_BOOTH}),
            refused_staff=Answer.SIGN_IN,
            note="only a paired booth screen's device session, for its own booth; everyone else is "
            "sent to pairing",
        ),
        # The second factor: every signed-in member of staff, for their own account.
        "accounts:second_factor": Access(MappingProxyType(dict.fromkeys(STAFF_ROLES, Reach.OWN_ACCOUNT))),
        "accounts:second_factor_setup": Access(
            MappingProxyType(dict.fromkeys(STAFF_ROLES, Reach.OWN_ACCOUNT))
        ),
        "accounts:recovery_codes": Access(MappingProxyType(dict.fromkeys(STAFF_ROLES, Reach.OWN_ACCOUNT))),
        # The staff home: where every member of staff lands after signing in; the links of their
        # own roles (asiointi/web/navigation.py) and their own account's second factor.
        "staff:home": Access(
            MappingProxyType(dict.fromkeys(STAFF_ROLES, Reach.OWN_ACCOUNT)),
            note="each role sees the staff navigation of its own roles",
        ),
        # Experts and interpreters: the address of their own private calendar feed (a new one, or
        # switched off). A POST acts on one of their own feeds and redirects back.
        # Gaps against the point profiles: point managers see their own points, planners and
        # administrators every point, by region.
        "staff:profile_gaps": Access(
            MappingProxyType(
                {
                    Role.POINT_MANAGER.value: Reach.OWN_POINT,
                    Role.NETWORK_PLANNER.value: Reach.EVERYTHING,
                    Role.ADMINISTRATOR.value: Reach.EVERYTHING,
                }
            ),
            note="the points with gaps; a point manager's own points only",
        ),
        # Point profiles (asiointi/catalogue/views.py): planners and administrators keep the profiles
        # and give them to points; a point manager reads their own points' profiles and gaps (another
        # point 404, a change 403). Bad input is a translated error beside its field and changes nothing.
        **dict.fromkeys(
            ("staff:profile_list", "staff:profile_create", "staff:profile_edit"),
            Access(PROFILE_KEEPERS, note="a form's refusal is 400 and changes nothing"),
        ),
        "staff:profile_delete": Access(
            PROFILE_KEEPERS, note="asks first; a profile that a point has is not deleted, and says so"
        ),
        **dict.fromkeys(
            ("staff:point_profiles", "staff:point_profile"),
            Access(
                MappingProxyType({**PROFILE_KEEPERS, Role.POINT_MANAGER.value: Reach.OWN_POINT}),
                note="a point manager reads their own points' profiles and gaps; planners change them",
            ),
        ),
        "staff:calendar_feed": Access(
            MappingProxyType(dict.fromkeys((Role.EXPERT.value, Role.INTERPRETER.value), Reach.OWN_ACCOUNT)),
            note="each expert and interpreter for their own feeds",
        ),
        # A private calendar feed: the secret in its address is the key (a calendar app cannot sign
        # in); an unknown or revoked address answers 404 to everyone.
        "calendar:feed": _everyone(
            status=404, note="the calendar of whoever holds its secret address; any other address is 404"
        ),
        # The advisor's booking page: advisors and point managers at their own points (another
        # point is 404 for them); other staff 403.
        **dict.fromkeys(
            ("booking:index", "booking:book", "booking:booked"),
            Access(
                MappingProxyType(
                    {Role.ADVISOR.value: Reach.OWN_POINT, Role.POINT_MANAGER.value: Reach.OWN_POINT}
                ),
                note="advisors and point managers, at their own points only",
            ),
        ),
        # The network planner: planners and administrators plan the whole (national) network, so they
        # see every saved scenario; scenarios hold no personal data.
        **dict.fromkeys(
            (
                "planning:index",
                "planning:scenario",
                "planning:scenario_status",
                "planning:scenario_csv",
                "planning:scenario_png",
                "planning:scenario_html",
            ),
            Access(MappingProxyType(dict.fromkeys(PLANNING_ROLES, Reach.EVERYTHING))),
        ),
        "planning:scenario_delete": Access(
            MappingProxyType(dict.fromkeys(PLANNING_ROLES, Reach.EVERYTHING)), "POST", 302
        ),
        # The staff's scheduling pages (asiointi/scheduling/calendar_views.py): an expert's or an
        # interpreter's own calendar; availability (their own, a coordinator's agency's experts,
        # an administrator's everyone); a point's booths by day; the appointments each role may see
        # (appointments_visible), whose customer contact only the point's staff and the people
        # booked see, each view recorded in the personal-data audit.
        "schedule:my_calendar": Access(MappingProxyType(dict.fromkeys(SCHEDULE_PEOPLE, Reach.OWN_ACCOUNT))),
        "schedule:availability": Access(
            MappingProxyType(
                {
                    **dict.fromkeys(SCHEDULE_PEOPLE, Reach.OWN_ACCOUNT),
                    Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
                    Role.ADMINISTRATOR.value: Reach.EVERYTHING,
                }
            ),
            note="their own; a coordinator their agency's experts; an administrator everyone's",
        ),
        "schedule:point_day": Access(
            MappingProxyType(
                {
                    Role.ADVISOR.value: Reach.OWN_POINT,
                    Role.POINT_MANAGER.value: Reach.OWN_POINT,
                    Role.ADMINISTRATOR.value: Reach.EVERYTHING,
                }
            ),
            note="another point's day is 403",
        ),
        "schedule:appointment_list": Access(APPOINTMENT_READERS, note="paginated; what each may see"),
        "schedule:appointment_detail": Access(
            APPOINTMENT_READERS,
            visible_to=frozenset(APPOINTMENT_READERS),
            note="the customer's contact only for the point's staff and those booked; each view audited",
        ),
        "schedule:appointment_action": Access(
            APPOINTMENT_READERS,
            "POST",
            302,
            visible_to=frozenset(APPOINTMENT_READERS),
            note="confirm, done, no-show, cancel, move; bad input changes nothing",
        ),
        # Remote meetings (asiointi/meetings/views.py): the day's meetings of the people who take part;
        # a meeting's page only by the person's own personal join link; the booth's kiosk and its
        # feedback after a meeting only on a paired booth screen, for its own booth's meetings.
        "meetings:today": Access(
            MappingProxyType(
                dict.fromkeys(
                    (Role.EXPERT.value, Role.INTERPRETER.value, Role.ADVISOR.value), Reach.OWN_ACCOUNT
                )
            ),
            note="their own meetings of today, with their personal join links",
        ),
        "meetings:room": Access(
            MappingProxyType({Role.EXPERT.value: Reach.OWN_ACCOUNT}),
            note="by the participant's own join link (the sample is an expert's): another person's link 403, "
            "a forged one 404, an expired one 410",
        ),
        # A meeting's documents and "call me by phone instead" (asiointi/meetings/document_views.py): by
        # the participant's own join link, like the meeting page; the booth's screen with its own link (a
        # screen with another's link goes back to its screen). Every opening of a document is audited.
        "meetings:documents": Access(
            MappingProxyType({Role.EXPERT.value: Reach.OWN_ACCOUNT}),
            note="the room's documents and sending one, by the participant's own join link (the sample is "
            "an expert's); another person's link 403, a forged one 404, an expired one 410",
        ),
        "meetings:document": Access(
            MappingProxyType({Role.EXPERT.value: Reach.OWN_ACCOUNT}),
            note="one document of the participant's own room (another room's 404); each opening audited",
        ),
        "meetings:phone": Access(
            MappingProxyType({Role.EXPERT.value: Reach.OWN_ACCOUNT}),
            method="POST",
            status=302,
            note="tells the others in the meeting that the customer calls by phone; stores nothing",
        ),
        "meetings:kiosk": Access(
            MappingProxyType({BOOTH_DEVICE: Reach.OWN_BOOTH}),
            refused_staff=Answer.SIGN_IN,
            note="the booth screen's next meeting; everyone else is sent to pairing",
        ),
        "meetings:kiosk_feedback": Access(
            MappingProxyType({BOOTH_DEVICE: Reach.OWN_BOOTH}),
            refused_staff=Answer.SIGN_IN,
            note="after a meeting of its own booth (another booth's 404); stored as the ledger's feedback",
        ),
        # Customer feedback (ledger): the public page of a single-use link, and the free text that only
        # the coordinators of the transaction's agency (and administrators) read.
        "feedback:form": _public(
            note="by the single-use link of one transaction: an unknown link 404, a used or expired one 410"
        ),
        "feedback:thanks": _public(),
        "feedback:texts": Access(
            MappingProxyType(
                {Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY, Role.ADMINISTRATOR.value: Reach.EVERYTHING}
            ),
            note="the customers' free text: email addresses and phone numbers masked",
        ),
        # Statistics (ledger): staff see their scope; the public page shows national anonymous figures
        # with small counts hidden.
        **dict.fromkeys(
            ("statistics:index", "statistics:csv"),
            Access(
                MappingProxyType(
                    {
                        Role.POINT_MANAGER.value: Reach.OWN_POINT,
                        Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
                        Role.NETWORK_PLANNER.value: Reach.EVERYTHING,
                        Role.ADMINISTRATOR.value: Reach.EVERYTHING,
                    }
                ),
                note="the figures of the role's points or agencies; planners the whole country",
            ),
        ),
        "statistics:public": _public(note="national figures; a count below the threshold is hidden"),
        "statistics:public_csv": _public(note="national figures; a count below the threshold is hidden"),
        # Monthly statements: point managers read their points' and approve and send them;
        # coordinators read their agency's; planners and administrators read every one. Other roles
        # 403, a statement outside the scope 404.
        **dict.fromkeys(
            (
                "ledger:statements",
                "ledger:statement",
                "ledger:statement_print",
                "ledger:statement_csv",
                "ledger:statement_xlsx",
            ),
            Access(STATEMENT_REACH),
        ),
        **dict.fromkeys(
            ("ledger:statement_approve", "ledger:statement_send"),
            Access(
                MappingProxyType({Role.POINT_MANAGER.value: Reach.OWN_POINT}),
                "POST",
                302,
                note="the point's manager only; a refusal (approved already, not approved yet) is a "
                "message on the statement's page",
            ),
        ),
        # Compensation agreements: point managers keep their points' agreements, coordinators their
        # agency's, administrators every one; other roles 403, an agreement outside the scope 404.
        **dict.fromkeys(
            ("ledger:agreements", "ledger:agreement_create", "ledger:agreement_edit"),
            Access(
                AGREEMENT_REACH,
                note="the form's bad input is a translated error beside its field (400) and changes "
                "nothing; an agreement a statement used is ended and new terms start as a new one",
            ),
        ),
        # The API (docs/api.md): its schema and docs, and its operations. Public operations are
        # rate-limited per address; staff operations take a personal API token or the staff session.
        "api:openapi-json": _public(),
        "api:docs": _public(),
        "api:api-root": _public(status=404, note="the API's root answers 404 with the error body"),
        "api:point_list": _public(note="paginated; rate-limited per address"),
        "api:point_detail": _public(note="rate-limited per address"),
        "api:agency_list": _public(note="paginated; rate-limited per address"),
        "api:agency_detail": _public(note="rate-limited per address"),
        "api:point_services": _public(note="paginated, by channel; rate-limited per address"),
        "api:service_search": _public(note="the service finder, best first; rate-limited per address"),
        "api:point_gaps": _public(note="a point against its profile; rate-limited per address"),
        "api:gap_list": _public(note="paginated, by region; rate-limited per address"),
        # Scheduling: free times and booking are public (staff callers are recorded as the booker);
        # a customer's own appointment opens with its code and the contact given at booking.
        "api:slot_list": _public(note="rate-limited per address (SLOT_SEARCH_LIMIT_PER_MINUTE)"),
        "api:appointment_book": _public(
            "POST",
            201,
            note="rate-limited per address (BOOKING_LIMIT_PER_HOUR) unless staff; staff are the booker",
        ),
        "api:appointment_detail": _public(
            note="with the code and the contact; a wrong contact answers as an unknown code; guessing slows down"
        ),
        "api:appointment_reschedule": _public("PATCH", note="with the code and the contact, as above"),
        "api:appointment_cancel": _public("DELETE", note="with the code and the contact, as above"),
        "api:appointment_list": Access(
            MappingProxyType(
                {
                    Role.ADVISOR.value: Reach.OWN_POINT,
                    Role.POINT_MANAGER.value: Reach.OWN_POINT,
                    Role.EXPERT.value: Reach.OWN_ACCOUNT,
                    Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY,
                    Role.INTERPRETER.value: Reach.OWN_ACCOUNT,
                    Role.ADMINISTRATOR.value: Reach.EVERYTHING,
                }
            ),
            api=True,
            note="paginated; an expert or interpreter the appointments they are booked in; the customer's "
            "contact only for the point's advisors and managers and the expert booked, each read audited",
        ),
        "api:me": Access(
            MappingProxyType(dict.fromkeys(STAFF_ROLES, Reach.OWN_ACCOUNT)),
            api=True,
            note="by token or by session past the second factor; others get 401",
        ),
        "api:statement_list": Access(
            STATEMENT_REACH,
            api=True,
            note="read-only; scoped as the statements' pages; paginated, by point and month",
        ),
        # The advisor's desk (asiointi/desk/): the advisors of a point, at their own points only
        # (another point's desk is 404 for them); other staff 403. Undo and the receipt act on the
        # point's own transactions; a refusal is a message on the desk.
        **dict.fromkeys(
            ("desk:index", "desk:desk", "desk:counts", "desk:callback_new"),
            Access(DESK_REACH, note="advisors, at their own points only"),
        ),
        "desk:undo": Access(
            DESK_REACH,
            "POST",
            302,
            note="within five minutes, the point's own transactions; a refusal is a message, nothing changes",
        ),
        "desk:receipt": Access(
            DESK_REACH, "POST", 200, note="a new single-use feedback link of the point's own transaction"
        ),
        # Callback requests: an agency's experts and coordinators see their agency's queue, advisors
        # and point managers the requests filed at their points (without the contact); only the
        # agency's experts see the contact (each view audited) and claim, try and close.
        **dict.fromkeys(
            ("callbacks:queue", "callbacks:panel", "callbacks:detail"),
            Access(CALLBACK_READERS, note="each role its own agency's or points' requests; another's is 404"),
        ),
        "callbacks:action": Access(
            MappingProxyType({Role.EXPERT.value: Reach.OWN_AGENCY}),
            "POST",
            302,
            note="claim, log an attempt, close; a refusal is a message on the request's page",
        ),
        "api:desk_transaction_record": Access(DESK_REACH, "POST", 201, api=True, note="bad input 422"),
        "api:desk_transaction_undo": Access(
            DESK_REACH, "POST", api=True, note="within five minutes, the point's own; else 422"
        ),
        "api:desk_counts": Access(DESK_REACH, api=True),
        "api:callback_list": Access(
            CALLBACK_READERS,
            api=True,
            note="paginated; the contact for the agency's experts, each read audited",
        ),
        "api:callback_create": Access(DESK_REACH, "POST", 201, api=True, note="consent and phone required"),
        "api:callback_claim": Access(CALLBACK_HANDLERS, "POST", api=True),
        "api:callback_attempt": Access(CALLBACK_HANDLERS, "POST", 201, api=True),
        "api:callback_close": Access(CALLBACK_HANDLERS, "POST", api=True, note="records a transaction"),
        # The call-now queue: the point's advisors queue a walk-in customer for a free booth and cancel;
        # the agency's experts see their agency's waiting calls only and take one (the first wins).
        **dict.fromkeys(
            ("desk:callnow_new", "desk:callnow_panel", "desk:finder"),
            Access(DESK_REACH, note="advisors, at their own points only"),
        ),
        "desk:callnow_cancel": Access(
            DESK_REACH, "POST", 302, note="the point's own waiting calls; a refusal is a message on the desk"
        ),
        **dict.fromkeys(
            ("callbacks:now", "callbacks:now_panel"),
            Access(CALL_NOW_EXPERTS, note="the waiting calls of the expert's own agency only"),
        ),
        "callbacks:now_accept": Access(
            CALL_NOW_EXPERTS,
            "POST",
            302,
            note="the first expert wins and goes to the meeting room; later ones get a message; "
            "another agency's call is 404",
        ),
        "api:callnow_create": Access(
            DESK_REACH, "POST", 201, api=True, note="a free booth of the point; bad input 422"
        ),
        "api:callnow_list": Access(CALL_NOW_EXPERTS, api=True, note="paginated; the own agency's only"),
        "api:callnow_accept": Access(
            CALL_NOW_EXPERTS, "POST", api=True, note="the first wins; later 422 not_waiting"
        ),
        "api:callnow_cancel": Access(DESK_REACH, "POST", api=True, note="waiting calls only; else 422"),
        # The administration outside the model views.
        "admin:login": Access(
            MappingProxyType({}),
            refused_staff=Answer.SIGN_IN,
            note="the administration signs in through the staff sign-in, with the second factor",
        ),
        "admin:index": _admin_scoped(note="lists what the role may open"),
        "admin:app_list": _admin_scoped(note="the network app: every admin role reads some of it"),
        "admin:logout": _everyone("POST", 302, note="the staff sign-out: ends the session and goes home"),
        "admin:password_change": _admin(ADMIN_ENTRY, Reach.OWN_ACCOUNT),
        "admin:password_change_done": _admin(ADMIN_ENTRY, Reach.OWN_ACCOUNT),
        "admin:jsi18n": _admin(ADMIN_ENTRY, Reach.PUBLIC),
        "admin:autocomplete": _admin(
            ADMIN_ENTRY, Reach.EVERYTHING, note="municipalities, as every admin role reads them"
        ),
        "admin:view_on_site": Access(
            MappingProxyType({}),
            admin=True,
            visible_to=frozenset(),
            note="no model links to a public page yet, so every object is 404",
        ),
        "admin:auth_user_password_change": Access(
            MappingProxyType({Role.ADMINISTRATOR.value: Reach.EVERYTHING}),
            visible_to=frozenset({Role.ADMINISTRATOR.value}),
            admin=True,
            note="another user's password: administrators only",
        ),
    }
)


class SocketAnswer(StrEnum):
    """What a WebSocket route answers: accepted, or refused before accept with a close code
    (:mod:`asiointi.core.sockets`)."""

    ALLOWED = "allowed"
    UNAUTHENTICATED = "4401 (not signed in, or no second factor)"
    FORBIDDEN = "4403"


@dataclass(frozen=True)
class SocketAccess:
    """Who may open a WebSocket route (``config/asgi.py``): the same roles and reach as for a page.
    Everyone else is refused before the socket is accepted: an anonymous visitor, an invalid token
    or a user without the second factor with 4401, other staff and a booth's screen with 4403; a row
    that does not exist gives 4404 to everyone."""

    roles: Mapping[str, Reach]
    path: str
    note: str = ""

    def answer(self, role: str) -> SocketAnswer:
        if role in self.roles:
            return SocketAnswer.ALLOWED
        if role == ANONYMOUS:
            return SocketAnswer.UNAUTHENTICATED
        return SocketAnswer.FORBIDDEN


#: The WebSocket routes, by name (a test asks each of them as every role, and fails on a socket
#: route that is not listed here).
SOCKETS: Mapping[str, SocketAccess] = MappingProxyType(
    {
        "planning:scenario_progress": SocketAccess(
            MappingProxyType(dict.fromkeys(PLANNING_ROLES, Reach.EVERYTHING)),
            "/ws/planning/<scenario_id>/",
            note="a scenario's run as it progresses, for those who may open the scenario's page",
        ),
        "desk:live": SocketAccess(
            DESK_REACH, "/ws/desk/<point_id>/", note="a point's desk: tells its page to reload the counts"
        ),
        "callbacks:live": SocketAccess(
            MappingProxyType(
                {Role.EXPERT.value: Reach.OWN_AGENCY, Role.AGENCY_COORDINATOR.value: Reach.OWN_AGENCY}
            ),
            "/ws/callbacks/<agency_id>/",
            note="an agency's callback queue: tells its page to reload; no personal data in the messages",
        ),
        "callnow:live": SocketAccess(
            CALL_NOW_EXPERTS,
            "/ws/callnow/<agency_id>/",
            note="an agency's call-now queue: rings its experts' page; another agency's is 4403",
        ),
        "schedule:point_day_live": SocketAccess(
            MappingProxyType(
                {
                    Role.ADVISOR.value: Reach.OWN_POINT,
                    Role.POINT_MANAGER.value: Reach.OWN_POINT,
                    Role.ADMINISTRATOR.value: Reach.EVERYTHING,
                }
            ),
            "/ws/scheduling/points/<point_id>/day/",
            note="a point's bookings, moves and cancellations as they happen; another point's is 4403",
        ),
        "meetings:signal": SocketAccess(
            MappingProxyType(
                {
                    **dict.fromkeys(
                        (Role.EXPERT.value, Role.INTERPRETER.value, Role.ADVISOR.value), Reach.OWN_ACCOUNT
                    ),
                    BOOTH_DEVICE: Reach.OWN_BOOTH,
                }
            ),
            "/ws/meetings/<room_id>/?join=<token>",
            note="a participant with their own personal join link, in its time window, for its room only; "
            "each message authorised against the room's state",
        ),
    }
)

#: Model admins without grants (Django's and django-axes' own): only administrators open them,
#: for these actions; other staff get 403 (these admins do not hide rows by scope).
ADMINISTRATOR_ONLY: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "auth.Group": frozenset({VIEW, ADD, CHANGE, DELETE}),
        "axes.AccessAttempt": frozenset({VIEW, DELETE}),
        "axes.AccessFailureLog": frozenset({VIEW, DELETE}),
        "axes.AccessLog": frozenset({VIEW, DELETE}),
    }
)

_VIEW_ACTION = {"changelist": VIEW, "add": ADD, "change": VIEW, "history": VIEW, "delete": DELETE}
_REACH = {"all": Reach.EVERYTHING, "point": Reach.OWN_POINT, "agency": Reach.OWN_AGENCY}


@dataclass(frozen=True)
class ModelView:
    route: str
    model_label: str
    view: str
    access: Access = field(compare=False)


def admin_model_views() -> list[ModelView]:
    """The administration's model views with the access their model admin's grants give.

    A role may open a view when one of its grants allows the view's action (change and history are
    reading a row; the change page is read-only for a role that may only view). Administrators may
    do what ``administrator_actions`` allows. A model admin that has no grants must be in
    :data:`ADMINISTRATOR_ONLY`."""
    views: list[ModelView] = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        label = opts.label
        for view, action in _VIEW_ACTION.items():
            roles: dict[str, Reach] = {}
            readers = {Role.ADMINISTRATOR.value}
            if isinstance(model_admin, ScopedAdminMixin):
                readers |= {g.role for g in model_admin.grants if {VIEW, CHANGE} & g.actions}
                for grant in model_admin.grants:
                    if action in grant.actions or (action == VIEW and CHANGE in grant.actions):
                        roles.setdefault(grant.role, _REACH[grant.reach])
                if action in model_admin.administrator_actions or (
                    action == VIEW and CHANGE in model_admin.administrator_actions
                ):
                    roles[Role.ADMINISTRATOR.value] = Reach.EVERYTHING
            elif label in ADMINISTRATOR_ONLY:
                if action in ADMINISTRATOR_ONLY[label]:
                    roles[Role.ADMINISTRATOR.value] = Reach.EVERYTHING
                readers = set(ROLES)  # refused with 403, not hidden (a booth's screen never gets there)
            else:
                raise UncoveredModelAdmin(label)
            route = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            views.append(
                ModelView(
                    route,
                    label,
                    view,
                    Access(
                        MappingProxyType(roles),
                        admin=True,
                        visible_to=frozenset(readers) if view in ("change", "history", "delete") else None,
                    ),
                )
            )
    return views


class UncoveredModelAdmin(Exception):
    def __init__(self, label: str) -> None:
        super().__init__(
            f"The model admin of {label} has no grants and is not in ADMINISTRATOR_ONLY "
            "(asiointi/accounts/access.py): say who may open it."
        )


def matrix() -> dict[str, Access]:
    """Every route of the table: the product's own and the administration's model views."""
    return {**{v.route: v.access for v in admin_model_views()}, **ROUTES}
