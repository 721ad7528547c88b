"""The public pages: finding a service point, a point's hours and services, agencies and services;
and the staff home, where staff land after signing in.

Every public view here is read-only and open to anyone; reads go through the network and catalogue
selectors.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from asiointi.accounts.models import Role
from asiointi.accounts.selectors import user_scope
from asiointi.catalogue import finder
from asiointi.catalogue import selectors as catalogue
from asiointi.catalogue.models import Service
from asiointi.core.throttle import client_key, throttle_hit
from asiointi.core.validators import search_text
from asiointi.network import selectors as network
from asiointi.network.models import Agency, Municipality, ServicePoint

from . import selectors, services
from .forms import AccessibilityFeedbackForm, GapsFilterForm
from .navigation import Section

logger = logging.getLogger(__name__)

NEAREST_POINTS = 10
# How far ?week= may move from today; beyond this the page shows the current week.
WEEK_RANGE_DAYS = 2 * 366
VISITS_DAYS = 60
#: The longest time a cached public page is served; a change of its data renews it at once.
PUBLIC_PAGE_SECONDS = 300


def _shared_page(request: HttpRequest, key: str | None, build: Callable[[], HttpResponse]) -> HttpResponse:
    """The page that ``build`` renders, kept in the cache for anonymous visitors: it is the same
    for all of them, so it is rendered once per language, day and version of the public data
    (``network.public_pages_version``). ``key`` names the page and its parameters; None renders
    without the cache, and so does a response that ``build`` marks ``shared = False`` (only a
    bounded set of pages is kept: never one per string that anyone typed). Signed-in staff and
    booth screens always get a page rendered for them."""
    if (
        key is None
        or request.method != "GET"
        or request.user.is_authenticated
        or getattr(request, "booth_device", None) is not None
    ):
        return build()
    try:
        full_key = ":".join(
            (
                "public-page",
                network.public_pages_version(),
                translation.get_language() or settings.LANGUAGE_CODE,
                timezone.localdate().isoformat(),
                # What people typed stays out of the key as text (spaces, line breaks, length).
                hashlib.blake2b(key.encode(), digest_size=16).hexdigest(),
            )
        )
        cached = cache.get(full_key)
    except Exception:  # the cache (Redis) is down: the page is drawn without it
        logger.warning("The cache did not answer; the public page is rendered without it.", exc_info=True)
        return build()
    if cached is not None:
        content, content_type = cached
        return HttpResponse(content, content_type=content_type)
    response = build()
    if (
        response.status_code == 200
        and getattr(response, "shared", True)
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not getattr(response, "streaming", False)
    ):
        try:
            cache.set(full_key, (response.content, response["Content-Type"]), PUBLIC_PAGE_SECONDS)
        except Exception:
            logger.warning("The cache did not answer; the public page was not kept.", exc_info=True)
    return response


def home(request: HttpRequest) -> HttpResponse:
    """Public: anyone. Find a service point by municipality; a map of all points. Without a
    search it is the same for every visitor, and cached."""
    return _shared_page(request, None if request.GET else "home", lambda: _home(request))


def _home(request: HttpRequest) -> HttpResponse:
    query = search_text(request.GET.get("q", ""))
    municipalities: list[Municipality] = []
    selected: Municipality | None = None
    nearest: list[catalogue.PointDistance] = []
    if query:
        municipalities = list(network.municipality_search(query=query))
        wanted = request.GET.get("m", "")
        selected = next((m for m in municipalities if m.code == wanted), None)
        if selected is None and municipalities:
            selected = municipalities[0]
    points = list(network.point_list_public())
    if selected is not None:
        nearest = catalogue.points_nearest(origin=selected, limit=NEAREST_POINTS)
    return render(
        request,
        "web/home.html",
        {
            "query": query,
            "municipalities": municipalities,
            "selected": selected,
            "nearest": nearest,
            "points": points,
        },
    )


def point_list(request: HttpRequest) -> HttpResponse:
    """Public: anyone. All active service points, grouped by region."""
    points = sorted(
        network.point_list_public(),
        key=lambda p: (p.municipality.region.code, str(p.municipality.name), str(p.name)),
    )
    regions = [
        (region, list(group)) for region, group in groupby(points, key=lambda p: p.municipality.region)
    ]
    return render(request, "web/point_list.html", {"regions": regions, "count": len(points)})


def _week_start(value: str | None, today: dt.date) -> tuple[dt.date, bool]:
    """The Monday of the week asked for by ``?week=YYYY-MM-DD``, and whether it was valid.

    Anything that is not an ISO date within about two years of today gives the current week."""
    monday = today - dt.timedelta(days=today.weekday())
    if not value:
        return monday, True
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return monday, False
    if abs((day - today).days) > WEEK_RANGE_DAYS:
        return monday, False
    return day - dt.timedelta(days=day.weekday()), True


def point_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """Public: anyone. A service point: contact details, the week's opening hours, services,
    visiting days and booths. The same for every visitor, so cached per week asked for."""
    today = timezone.localdate()
    monday, week_valid = _week_start(request.GET.get("week"), today)
    key = f"point:{slug}:{monday.isoformat()}:{int(week_valid)}"
    return _shared_page(request, key, lambda: _point_detail(request, slug, today, monday, week_valid))


def _point_detail(
    request: HttpRequest, slug: str, today: dt.date, monday: dt.date, week_valid: bool
) -> HttpResponse:
    try:
        point = network.point_get_public(slug=slug)
    except ServicePoint.DoesNotExist:
        raise Http404 from None
    week = network.point_week(point=point, start=monday)
    return render(
        request,
        "web/point_detail.html",
        {
            "point": point,
            "today": today,
            "is_active": point.is_active_on(today),
            "week": week,
            "week_valid": week_valid,
            "week_start": monday,
            "week_end": monday + dt.timedelta(days=6),
            "previous_week": monday - dt.timedelta(days=7),
            "next_week": monday + dt.timedelta(days=7),
            "is_current_week": monday <= today <= monday + dt.timedelta(days=6),
            "agency_services": catalogue.point_services(point=point),
            "visits": network.point_next_visits(point=point, start=today, days=VISITS_DAYS),
            "visits_days": VISITS_DAYS,
            "booths": list(network.point_booths_public(point=point)),
            "profile_checks": catalogue.point_gaps(point=point, on=today),
        },
    )


def agency_list(request: HttpRequest) -> HttpResponse:
    """Public: anyone. The agencies whose services the points offer."""
    return render(request, "web/agency_list.html", {"agencies": network.agency_list_public()})


def agency_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Public: anyone. An agency: its services, the points that offer them and its own offices."""
    try:
        agency = network.agency_get_public(code=code)
    except Agency.DoesNotExist:
        raise Http404 from None
    services = list(catalogue.agency_services(agency=agency))
    points = list(catalogue.agency_points_public(agency=agency))
    offices = list(network.agency_offices_public(agency=agency))
    return render(
        request,
        "web/agency_detail.html",
        {"agency": agency, "services": services, "points": points, "offices": offices},
    )


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Public: anyone. A service and, from a given municipality, the points that offer it, nearest
    first. The same for every visitor from one municipality, so cached per municipality."""
    origin_query = search_text(request.GET.get("from", ""))
    key = None if set(request.GET) - {"from"} else f"service:{pk}:{origin_query}"
    return _shared_page(request, key, lambda: _service_detail(request, pk, origin_query))


def _service_detail(request: HttpRequest, pk: int, origin_query: str) -> HttpResponse:
    try:
        service = catalogue.service_get_public(pk=pk)
    except Service.DoesNotExist:
        raise Http404 from None
    origin: Municipality | None = None
    if origin_query:
        origin = network.municipality_get(code_or_name=origin_query)
    suggestions: list[Municipality] = []
    offered: list[catalogue.PointDistance] = []
    if origin_query and origin is None:
        suggestions = list(network.municipality_search(query=origin_query))
    if origin is not None:
        offered = catalogue.points_offering_service(service=service, origin=origin)
    response = render(
        request,
        "web/service_detail.html",
        {
            "service": service,
            "origin_query": origin_query,
            "origin": origin,
            "suggestions": suggestions,
            "offered": offered,
        },
    )
    # The form shows what was typed: only the page for no municipality, or for one by its own name
    # or code, is shared (so the cache never fills with every string anyone typed).
    response.shared = not origin_query or (  # type: ignore[attr-defined]
        origin is not None and origin_query in (origin.code, str(origin.name))
    )
    return response


def service_search(request: HttpRequest) -> HttpResponse:
    """Public: anyone. The service finder: the agency services for a need typed in Finnish, Swedish or
    English, best first, with what can be done for each. Works without JavaScript. The page without
    a search is cached; a search is not (the cache never holds one page per string anyone typed)."""
    query = search_text(request.GET.get("q", ""), max_length=finder.MAX_QUERY_LENGTH)
    return _shared_page(
        request, None if request.GET else "service-search", lambda: _service_search(request, query)
    )


def _service_search(request: HttpRequest, query: str) -> HttpResponse:
    language = translation.get_language() or settings.LANGUAGE_CODE
    results = finder.service_search(query=query, language=language) if query else []
    return render(request, "web/service_search.html", {"query": query, "results": results})


# When the accessibility of the service was last assessed; update it with the statement.
ACCESSIBILITY_ASSESSED_ON = dt.date(2026, 11, 23)


@require_http_methods(["GET", "HEAD", "POST"])
def accessibility(request: HttpRequest) -> HttpResponse:
    """Public: anyone. The accessibility statement (Act 306/2019) and its feedback form, which is a
    plain POST form: it works without JavaScript and answers with a redirect (POST/redirect/GET)."""
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.is_valid() and not throttle_hit(
            scope="accessibility_feedback",
            key=client_key(request),
            limit=settings.FEEDBACK_LIMIT_PER_HOUR,
            window_seconds=3600,
        ):
            # Kept as written, so that nothing is lost; the sender can try again later.
            form.add_error(
                None,
                _(
                    "Many messages have come from your address within the last hour, so this one was not "
                    "sent yet. Please try again in an hour, or send it by email."
                ),
            )
            return _accessibility_page(request, form, status=429)
        if form.is_valid():
            data = form.cleaned_data
            language = translation.get_language() or settings.LANGUAGE_CODE
            services.accessibility_feedback_submit(
                message=data["message"],
                page=data["page"],
                name=data["name"],
                email=data["email"],
                wants_reply=data["wants_reply"],
                language=language.split("-")[0],
            )
            if data["wants_reply"]:
                messages.success(
                    request, _("Thank you for your feedback. We will answer you by email within 14 days.")
                )
            else:
                messages.success(
                    request,
                    _(
                        "Thank you for your feedback. It has been passed on to the maintainers of the service."
                    ),
                )
            return redirect(reverse("web:accessibility") + "#feedback")
    else:
        form = AccessibilityFeedbackForm(initial={"page": request.GET.get("page", "").strip()[:500]})
    return _accessibility_page(request, form)


def _accessibility_page(
    request: HttpRequest, form: AccessibilityFeedbackForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "web/accessibility.html",
        {
            "form": form,
            "assessed_on": ACCESSIBILITY_ASSESSED_ON,
            "feedback_email": getattr(settings, "ACCESSIBILITY_FEEDBACK_EMAIL", ""),
        },
        status=status,
    )


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """Every signed-in member of staff, for their own roles: where sign-in lands. The links of the
    staff navigation that the user's roles give, what is coming for them, and their account's
    second factor."""
    links = selectors.staff_navigation(viewer=request.user)
    return render(
        request,
        "web/staff_home.html",
        {
            "work": [link for link in links if link.section == Section.WORK],
            "coming": [link for link in links if link.section == Section.COMING],
            "account": [link for link in links if link.section == Section.ACCOUNT],
        },
    )


@login_required
def profile_gaps(request: HttpRequest) -> HttpResponse:
    """Point managers (their own points), network planners and administrators (every point): the
    active points that lack something their profile requires, by region; ?region= narrows to one.
    Everyone else signed in gets 403."""
    scope = user_scope(user=request.user)
    planner = scope.is_administrator or scope.has_role(Role.NETWORK_PLANNER.value)
    if not (planner or scope.points_for(Role.POINT_MANAGER.value)):
        raise PermissionDenied
    regions = [(r.code, str(r.name)) for r in network.region_list()]
    form = GapsFilterForm(request.GET or None, regions=regions)
    region_code = form.cleaned_data["region"] if form.is_valid() else None
    status = 400 if form.is_bound and not form.is_valid() else 200
    groups = [] if status == 400 else catalogue.network_gaps(region_code=region_code or None, scope=scope)
    return render(
        request,
        "web/profile_gaps.html",
        {"form": form, "groups": groups, "planner": planner, "today": timezone.localdate()},
        status=status,
    )
