"""The advisor's booking page: at the desk, for a customer, keyboard only, in under a minute.

One page: the services (type-ahead filter), the channel, the language and the interpreter (a GET
form), then the next free times as buttons in one POST form with the customer's name and contact;
a time's button books it (Post/Redirect/Get) and the confirmation shows the code with a summary to
print for the customer. Advisors and point managers use it at their own points only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from asiointi.accounts.models import Role, User
from asiointi.accounts.selectors import user_scope
from asiointi.core.htmx import htmx_render, htmx_wants_fragment
from asiointi.network.models import ServicePoint

from .forms import ContactForm, SlotQueryForm, add_core_errors
from .public_views import code_display, group_by_day
from .selectors import Slot, appointments_visible, slot_search
from .services import SlotTaken, appointment_book

BOOKING_ROLES = (Role.ADVISOR.value, Role.POINT_MANAGER.value)
#: How many of the next free times the page offers, and how far ahead it looks.
NEXT_SLOTS = 12
SEARCH_DAYS = 30


def _points(user: User) -> list[ServicePoint]:
    """The points where ``user`` books for customers; PermissionDenied for anyone else."""
    point_ids = user_scope(user=user).points_for(*BOOKING_ROLES)
    if not point_ids:  # no advisor's or point manager's place at any point (an administrator too)
        raise PermissionDenied
    return list(ServicePoint.objects.filter(pk__in=point_ids).order_by("name"))


def _point(user: User, slug: str) -> ServicePoint:
    """The point ``slug`` if ``user`` books there; 404 for another point (it does not exist for them)."""
    for point in _points(user):
        if point.slug == slug:
            return point
    raise Http404


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def index(request: HttpRequest) -> HttpResponse:
    """Advisors and point managers: their own points, each a link to its booking page."""
    return render(request, "scheduling/booking_index.html", {"points": _points(request.user)})  # type: ignore[arg-type]


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def book(request: HttpRequest, slug: str) -> HttpResponse:
    """Advisors and point managers of the point: book for a customer at the desk."""
    point = _point(request.user, slug)  # type: ignore[arg-type]
    asked = any(key in request.GET for key in ("services", "channel"))
    query = SlotQueryForm(
        request.GET if asked else None, point=point, initial={"language": "fi", "channel": "remote_meeting"}
    )
    contact = ContactForm(request.POST or None)
    for name in ("name", "phone", "email"):
        # What the advisor has typed stays when htmx shows the times for other choices.
        contact.fields[name].widget.attrs["hx-preserve"] = "true"
    slots: list[Slot] = []
    status = 200
    if query.is_bound and query.is_valid() and query.slot_request is not None:
        slot_request = query.slot_request
        if request.method == "POST":
            if contact.is_valid():
                try:
                    appointment = appointment_book(
                        request=slot_request,
                        start=contact.cleaned_data["start"],
                        customer=contact.customer(),
                        booked_by=request.user,  # type: ignore[arg-type]
                    )
                except SlotTaken as taken:
                    contact.add_error("start", taken.message)
                    slots = taken.next_slots
                    status = 409
                except ValidationError as error:
                    add_core_errors(contact, error, fallback="start")
                else:
                    return redirect("booking:booked", slug=point.slug, code=appointment.code)
            if status == 200:
                status = 400
        if not slots:
            now = timezone.now()
            slots = slot_search(
                viewer=request.user,
                request=slot_request,
                start=now,
                end=now + dt.timedelta(days=SEARCH_DAYS),
                limit=NEXT_SLOTS,
                now=now,
            )
    context: dict[str, Any] = {
        "point": point,
        "query": query,
        "contact": contact,
        "days": group_by_day(slots),
        "searched": query.is_bound and query.is_valid(),
        "search_days": SEARCH_DAYS,
    }
    if htmx_wants_fragment(request) and query.is_bound and not query.is_valid():
        # The query form's errors are shown beside its fields, outside the part htmx replaces.
        redirect_whole = HttpResponse(status=204)
        redirect_whole["HX-Redirect"] = request.get_full_path()
        return redirect_whole
    return htmx_render(request, "scheduling/booking_book.html", context, partial="book", status=status)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def booked(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Advisors and point managers of the point: the booking's code and a summary to print."""
    point = _point(request.user, slug)  # type: ignore[arg-type]
    appointment = (
        appointments_visible(viewer=request.user)
        .filter(point=point, code=code.upper()[:8])
        .select_related("point", "point__municipality")
        .prefetch_related("services__agency")
        .first()
    )
    if appointment is None:
        raise Http404
    services = list(appointment.services.all())
    return render(
        request,
        "scheduling/booking_booked.html",
        {
            "point": point,
            "appointment": appointment,
            "code": code_display(appointment.code),
            "services": services,
            "identification": any(s.requires_identification for s in services),
            "retention_days": settings.RETENTION_DAYS["appointment_contact"],
        },
    )
