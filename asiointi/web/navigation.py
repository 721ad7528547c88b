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

from asiointi.accounts.access import ADMIN_ENTRY, PLANNING_ROLES
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
        None,
        _("The desk"),
        _("Recording customer transactions, booking experts and filing callback requests will be here."),
        (Role.ADVISOR.value,),
        Section.COMING,
    ),
    StaffLink(
        None,
        _("Calendar and callback requests"),
        _("Your availability, your remote meetings and your agency's callback requests will be here."),
        (Role.EXPERT.value,),
        Section.COMING,
    ),
    StaffLink(
        None,
        _("Your meetings"),
        _("The meetings you are booked to interpret, and joining them, will be here."),
        (Role.INTERPRETER.value,),
        Section.COMING,
    ),
    StaffLink(
        None,
        _("Load and statements"),
        _("Your agency's load, callback requests, feedback and monthly statements will be here."),
        (Role.AGENCY_COORDINATOR.value,),
        Section.COMING,
    ),
    StaffLink(
        None,
        _("Monthly statements"),
        _("Your point's monthly statements and statistics will be here."),
        (Role.POINT_MANAGER.value,),
        Section.COMING,
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
