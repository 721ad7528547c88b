"""The staff workspace's navigation, declared once: each line is a page (by its URL name), its label,
what it is for, and the roles that see it. A later issue that builds a page for a role adds its line
here; the staff home and the main navigation read this list, and nothing here imports the app that
owns the page.

A line without a URL name is work that is coming for those roles: the staff home says so, where the
role has little else to do yet. Roles are matched as they are held; an administrator (or a superuser)
sees the lines that list the administrator role, not every role's."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from asiointi.accounts.access import ADMIN_ENTRY, PLANNING_ROLES, STATEMENT_ROLES
from asiointi.accounts.models import Role


class Section(StrEnum):
    WORK = "work"
    COMING = "coming"
    ACCOUNT = "account"


#: The roles of a line that every signed-in person sees, whatever their roles.
EVERYONE: tuple[str, ...] = ()


@dataclass(frozen=True)
class StaffLink:
    """A line of the staff navigation. ``url_name`` is None for work that is coming; ``roles`` is
    :data:`EVERYONE` for a line that every signed-in person sees."""

    url_name: str | None
    label: Promise
    description: Promise
    roles: tuple[str, ...]
    section: Section = Section.WORK


STAFF_NAVIGATION: tuple[StaffLink, ...] = (
    StaffLink(
        "planning:index",
        _("Network planning"),
        _("Evaluate the network of service points and find the smallest network that meets the rule."),
        PLANNING_ROLES,
    ),
    StaffLink(
        "staff:profile_gaps",
        _("Gaps against the profiles"),
        _("The service points that lack something their profile requires, by region."),
        (Role.POINT_MANAGER.value, Role.NETWORK_PLANNER.value, Role.ADMINISTRATOR.value),
    ),
    StaffLink(
        "staff:profile_list",
        _("Point profiles"),
        _("What each kind of service point must offer: make, change and delete the profiles."),
        PLANNING_ROLES,
    ),
    StaffLink(
        "staff:point_profiles",
        _("Profiles of the service points"),
        _("Each service point's profile and its gaps; planners give the points their profiles."),
        (Role.POINT_MANAGER.value, *PLANNING_ROLES),
    ),
    StaffLink(
        "schedule:my_calendar",
        _("My calendar"),
        _("Your appointments by day and by week, with your working hours and absences."),
        (Role.EXPERT.value, Role.INTERPRETER.value),
    ),
    StaffLink(
        "meetings:today",
        _("My meetings today"),
        _("Join today's remote meetings by video with your personal links."),
        (Role.EXPERT.value, Role.INTERPRETER.value, Role.ADVISOR.value),
    ),
    StaffLink(
        "schedule:availability",
        _("Availability"),
        _("Weekly working hours and absences: your own, or those of the people you manage."),
        (Role.EXPERT.value, Role.INTERPRETER.value, Role.AGENCY_COORDINATOR.value, Role.ADMINISTRATOR.value),
    ),
    StaffLink(
        "schedule:point_day",
        _("Booths by day"),
        _("The point's booths and visiting officials' appointments for a day."),
        (Role.ADVISOR.value, Role.POINT_MANAGER.value, Role.ADMINISTRATOR.value),
    ),
    StaffLink(
        "schedule:appointment_list",
        _("Appointments"),
        _("The appointments you may see, by day and state: confirm, move or cancel them."),
        (
            Role.ADVISOR.value,
            Role.POINT_MANAGER.value,
            Role.EXPERT.value,
            Role.INTERPRETER.value,
            Role.AGENCY_COORDINATOR.value,
            Role.ADMINISTRATOR.value,
        ),
    ),
    StaffLink(
        "staff:calendar_feed",
        _("Calendar feed"),
        _("Subscribe to your booked appointments in your own calendar app, or switch the feed off."),
        (Role.EXPERT.value, Role.INTERPRETER.value),
    ),
    StaffLink(
        "statistics:index",
        _("Statistics"),
        _(
            "How the service points are used, how satisfied customers are, what a transaction costs "
            "and how much travel remote service saved, as charts and downloadable tables."
        ),
        (
            Role.POINT_MANAGER.value,
            Role.AGENCY_COORDINATOR.value,
            Role.NETWORK_PLANNER.value,
            Role.ADMINISTRATOR.value,
        ),
    ),
    StaffLink(
        "feedback:texts",
        _("Written feedback"),
        _("What customers wrote in their feedback on your agency's services."),
        (Role.AGENCY_COORDINATOR.value, Role.ADMINISTRATOR.value),
    ),
    StaffLink(
        "ledger:statements",
        _("Monthly statements"),
        _(
            "What each agency owes the municipality of a service point, month by month: read, approve, send and download."
        ),
        STATEMENT_ROLES,
    ),
    StaffLink(
        "ledger:agreements",
        _("Compensation agreements"),
        _(
            "The base part, the agency's share and the prices per transaction that the monthly "
            "statements are made from: read, make and change."
        ),
        (Role.POINT_MANAGER.value, Role.AGENCY_COORDINATOR.value, Role.ADMINISTRATOR.value),
    ),
    StaffLink(
        "admin:index",
        _("Administration"),
        _("Maintain the service points, agencies, services and accounts that your role covers."),
        ADMIN_ENTRY,
    ),
    StaffLink(
        "booking:index",
        _("Book an appointment for a customer"),
        _("Book a remote meeting or a visiting official for a customer at the desk."),
        (Role.ADVISOR.value, Role.POINT_MANAGER.value),
    ),
    StaffLink(
        "desk:index",
        _("The desk"),
        _(
            "Record each customer's transaction in seconds, undo a mistake, print a receipt, and file callback requests."
        ),
        (Role.ADVISOR.value,),
    ),
    StaffLink(
        "callbacks:queue",
        _("Callback requests"),
        _("The callback requests of your agency or of your points, by deadline: overdue ones stand out."),
        (
            Role.ADVISOR.value,
            Role.POINT_MANAGER.value,
            Role.EXPERT.value,
            Role.AGENCY_COORDINATOR.value,
            Role.ADMINISTRATOR.value,
        ),
    ),
    StaffLink(
        "callbacks:now",
        _("Customers waiting now"),
        _(
            "Walk-in customers waiting in a booth for your agency's expert: take a call, and the page rings for new ones."
        ),
        (Role.EXPERT.value,),
    ),
    StaffLink(
        "accounts:second_factor_setup",
        _("Authenticator app"),
        _("Replace the authenticator app that gives your sign-in codes, for example on a new phone."),
        EVERYONE,
        Section.ACCOUNT,
    ),
    StaffLink(
        "accounts:recovery_codes",
        _("Recovery codes"),
        _("See how many recovery codes you have left, or create new ones."),
        EVERYONE,
        Section.ACCOUNT,
    ),
)
