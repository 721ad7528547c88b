"""Every named route of the URL configuration, and how the sweep opens it.

:func:`named_routes` walks the resolver. :func:`plan` turns each route into the pages the sweep visits:
which keyword arguments fill the URL (from the demo database), which roles open it, and whether it is
one of the product's own pages or a page of Django's admin. A route that is neither covered here nor
skipped with a reason in :data:`SKIPPED` raises :class:`UncoveredRoutes` naming it, so a new page
cannot be left out of the sweep by accident.

The admin's model views (changelist, add, change, history, delete) are covered for every model
registered in the admin site, so a new model admin is swept without touching this file; its objects
must exist in the demo data, or the sweep fails naming the route.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import FieldError
from django.db import models
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from asiointi.accounts.models import Role, User
from asiointi.catalogue.models import Service
from asiointi.network.models import Agency, ServicePoint

ANONYMOUS = "anonymous"
ADMINISTRATOR: str = Role.ADMINISTRATOR.value
POINT_MANAGER: str = Role.POINT_MANAGER.value
ROLES: tuple[str, ...] = (ANONYMOUS, ADMINISTRATOR, POINT_MANAGER)
LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")

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
    "accounts:booth_screen": "opens only in a booth screen's device session (after pairing), a role the sweep "
    "does not sign in as; without one it redirects to accounts:booth_pair (swept as that page)",
}


@dataclass(frozen=True)
class Route:
    """A named route as the resolver knows it."""

    name: str
    pattern: str


@dataclass(frozen=True)
class RouteSpec:
    """How the sweep opens a route: its keyword arguments, the roles that open it, and whether
    it is a page of Django's admin (judged by the looser admin goal) or one of the product's own."""

    kwargs: KwargsProvider | None = None
    roles: tuple[str, ...] = (ANONYMOUS,)
    admin: bool = False
    #: For the admin's model views: the model and the permission ("add", "delete") the view needs.
    model: type[models.Model] | None = None
    permission: str = ""


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
    return list(seen.values())


# Parameter providers: each reads the demo database when the sweep builds its pages.


def _point_slug() -> Kwargs:
    return {"slug": ServicePoint.objects.get(slug=DEMO_POINT).slug}


def _agency_code() -> Kwargs:
    return {"code": Agency.objects.get(code="kela").code}


def _service_pk() -> Kwargs:
    service = Service.objects.filter(offerings__point__slug=DEMO_POINT).order_by("pk").first()
    if service is None:
        raise LookupError(f"The demo point {DEMO_POINT!r} offers no service.")
    return {"pk": str(service.pk)}


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


def _booth_device() -> None:
    from asiointi.accounts.models import BoothDevice
    from asiointi.network.models import Booth

    BoothDevice.objects.create(booth=Booth.objects.filter(point__slug=DEMO_POINT).order_by("pk")[0])


#: Rows that the demo data does not have but the admin's pages need, made before the sweep.
SAMPLE_MAKERS: dict[str, Callable[[], None]] = {
    "auth.Group": lambda: Group.objects.get_or_create(name="Accessibility sweep") and None,
    "axes.AccessAttempt": _axes_row("axes.AccessAttempt"),
    "axes.AccessLog": _axes_row("axes.AccessLog"),
    "axes.AccessFailureLog": _axes_row("axes.AccessFailureLog"),
    "web.AccessibilityFeedback": _feedback,
    "accounts.BoothDevice": _booth_device,
}


def make_samples() -> None:
    """Make the rows of :data:`SAMPLE_MAKERS` whose models are registered and have no row yet."""
    registered = {model._meta.label: model for model in admin.site._registry}
    for label, make in SAMPLE_MAKERS.items():
        model = registered.get(label)
        if model is not None and not model._default_manager.exists():
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
    "web:accessibility": RouteSpec(),
    "accounts:login": RouteSpec(),
    # The second factor: the sweep's roles have passed it, and these pages open for them too (to
    # confirm a code again, to replace the authenticator app, to see and renew the recovery codes).
    "accounts:second_factor": RouteSpec(roles=(ADMINISTRATOR,)),
    "accounts:second_factor_setup": RouteSpec(roles=(ADMINISTRATOR,)),
    "accounts:recovery_codes": RouteSpec(roles=(ADMINISTRATOR,)),
    "accounts:password_reset": RouteSpec(),
    "accounts:password_reset_done": RouteSpec(),
    # A link that is not valid shows its own page: the one that a used or old link opens.
    "accounts:password_reset_confirm": RouteSpec(_static({"uidb64": "MQ", "token": "used-or-old-link"})),  # nosec B105
    "accounts:password_reset_complete": RouteSpec(),
    "accounts:booth_pair": RouteSpec(),
    "admin:index": RouteSpec(roles=(ADMINISTRATOR, POINT_MANAGER), admin=True),
    "admin:app_list": RouteSpec(_static({"app_label": "network"}), roles=(ADMINISTRATOR,), admin=True),
    "admin:password_change": RouteSpec(roles=(ADMINISTRATOR,), admin=True),
    "admin:password_change_done": RouteSpec(roles=(ADMINISTRATOR,), admin=True),
    "admin:auth_user_password_change": RouteSpec(_user_id, roles=(ADMINISTRATOR,), admin=True),
}

#: The representative admin pages that the point manager of the demo point also opens.
POINT_MANAGER_ADMIN_PAGES: frozenset[str] = frozenset(
    {
        "admin:index",
        "admin:network_servicepoint_changelist",
        "admin:network_servicepoint_change",
        "admin:network_openinghoursrule_add",
        "admin:network_booth_changelist",
        "admin:ledger_transaction_changelist",
    }
)

_MODEL_VIEW = re.compile(
    r"^admin:(?P<app>[a-z0-9_]+?)_(?P<model>[a-z0-9]+)_(?P<view>changelist|add|change|history|delete)$"
)


def _admin_model_specs() -> dict[str, RouteSpec]:
    """Specs for the model views of every model registered in the admin site."""
    specs: dict[str, RouteSpec] = {}
    for model in admin.site._registry:
        opts = model._meta
        for view in ("changelist", "add", "change", "history", "delete"):
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            roles = (ADMINISTRATOR, POINT_MANAGER) if name in POINT_MANAGER_ADMIN_PAGES else (ADMINISTRATOR,)
            kwargs = (
                _object_of(model, for_delete=view == "delete")
                if view in ("change", "history", "delete")
                else None
            )
            permission = view if view in ("add", "delete") else ""
            specs[name] = RouteSpec(kwargs, roles=roles, admin=True, model=model, permission=permission)
    return specs


def registry() -> dict[str, RouteSpec]:
    """The explicit registry and the admin's model views together."""
    return {**_admin_model_specs(), **REGISTRY}


def covered_routes(urlconf: str | None = None) -> dict[str, RouteSpec]:
    """The spec of every named route that the sweep checks; raises :class:`UncoveredRoutes` for
    a route that is neither covered nor skipped."""
    specs = registry()
    routes = named_routes(urlconf)
    uncovered = sorted(r.name for r in routes if r.name not in specs and r.name not in SKIPPED)
    if uncovered:
        raise UncoveredRoutes(uncovered)
    return {r.name: specs[r.name] for r in routes if r.name not in SKIPPED}


@dataclass(frozen=True)
class FormState:
    """A form brought into its state with validation errors before the check."""

    route: str
    role: str
    state: str
    #: CSS selector and value of each field to fill ("" leaves it empty).
    fill: tuple[tuple[str, str], ...]
    submit: str


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
        "accounts:booth_pair",
        ANONYMOUS,
        "errors: wrong code",
        (("#id_code", "AAAA-AAAA"),),
        "main form button[type=submit]",
    ),
    FormState("web:home", ANONYMOUS, "no match", (("#id_q", "Atlantis"),), "form[role=search] button"),
    FormState(
        "web:service_detail",
        ANONYMOUS,
        "errors: unknown municipality",
        (("#id_from", "Atlantis"),),
        "main form button[type=submit]",
    ),
    FormState("admin:network_booth_add", ADMINISTRATOR, "errors: empty", (), "[name=_save]"),
    FormState("web:accessibility", ANONYMOUS, "errors: empty", (), "#feedback form button[type=submit]"),
)


def role_user(role: str) -> User | None:
    """The demo user who plays ``role``: the administrator (a superuser) or the point manager of
    the demo point."""
    users = User.objects.filter(is_active=True).order_by("pk")
    if role == ADMINISTRATOR:
        return users.filter(is_superuser=True).first()
    if role == POINT_MANAGER:
        return users.filter(memberships__role=POINT_MANAGER, memberships__point__slug=DEMO_POINT).first()
    return None


def _allowed(spec: RouteSpec, role: str) -> bool:
    """Whether the model admin lets ``role`` open a view that needs a permission (the ledger and
    the sign-in log refuse "add" to everyone, for example)."""
    if not spec.permission or spec.model is None:
        return True
    request = RequestFactory().get("/")
    request.user = role_user(role) or AnonymousUser()
    model_admin = admin.site._registry[spec.model]
    if spec.permission == "add":
        return bool(model_admin.has_add_permission(request))
    return bool(model_admin.has_delete_permission(request))


@dataclass
class Plan:
    pages: list[Page]
    #: Routes that no role may open (the model admin refuses the view), with the reason.
    refused: dict[str, str]


def plan(urlconf: str | None = None) -> Plan:
    """Every page the sweep checks: each covered route in each language as each role that opens
    it, and then the forms in their error states."""
    make_samples()
    pages: list[Page] = []
    refused: dict[str, str] = {}
    specs: dict[str, RouteSpec] = {}
    for name, spec in covered_routes(urlconf).items():
        roles = tuple(role for role in spec.roles if _allowed(spec, role))
        if not roles:
            refused[name] = f"the model admin refuses {spec.permission!r} to every role"
            continue
        specs[name] = RouteSpec(spec.kwargs, roles, spec.admin, spec.model, spec.permission)
    kwargs_of: dict[str, Kwargs] = {}
    for name, spec in specs.items():
        try:
            kwargs_of[name] = spec.kwargs() if spec.kwargs else {}
        except LookupError as error:
            raise LookupError(f"{name}: {error}") from error
    states: dict[str, list[FormState]] = {}
    for form_state in FORM_STATES:
        states.setdefault(form_state.route, []).append(form_state)
    for language in LANGUAGES:
        with translation.override(language):
            for name, spec in specs.items():
                path = reverse(name, kwargs=kwargs_of[name] or None, urlconf=urlconf)
                for role in spec.roles:
                    pages.append(Page(name, language, role, path, spec.admin))
                for form_state in states.get(name, ()):
                    pages.append(Page(name, language, form_state.role, path, spec.admin, form_state.state))
    return Plan(pages, refused)


def form_state(page: Page) -> FormState | None:
    for candidate in FORM_STATES:
        if (candidate.route, candidate.role, candidate.state) == (page.route, page.role, page.state):
            return candidate
    return None
