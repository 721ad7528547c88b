"""The staff's scheduling pages (other than booking): an expert's or interpreter's own calendar, the
availability editor, a point's day of booths, the list of appointments and an appointment's page.

Who may use them (asiointi/accounts/access.py): the calendar, experts and interpreters (their own);
availability, the person themself, an agency coordinator for their agency's experts and an
administrator for anyone; a point's day, its advisors and point manager and administrators; the
appointments, whoever :func:`selectors.appointments_visible` lets see them. Every read goes through
the scheduling selectors, scoped by the viewer; every write through the services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asiointi.accounts.models import AuditAction
from asiointi.accounts.selectors import user_scope
from asiointi.accounts.services import audit_record
from asiointi.core.htmx import htmx_render
from asiointi.core.scope import Role
from asiointi.network.models import ServicePoint

from . import selectors, services
from .forms_availability import AbsenceForm, AppointmentFilterForm, DayForm, WorkingHoursForm
from .models import Absence, Appointment, AppointmentState, Reservation
from .routing import point_day_live_path
from .selectors import HELSINKI

CALENDAR_ROLES = (Role.EXPERT.value, Role.INTERPRETER.value)
APPOINTMENTS_PER_PAGE = 50
#: How far ahead the page looks for free times when an appointment is moved.
MOVE_SEARCH_DAYS = 30
MOVE_SLOTS = 20


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


# --- my calendar ---------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    day: dt.date
    is_today: bool
    hours: list[str] = field(default_factory=list)
    absences: list[Absence] = field(default_factory=list)
    reservations: list[Reservation] = field(default_factory=list)


@never_cache
@login_required
@require_GET
def my_calendar(request: HttpRequest) -> HttpResponse:
    """An expert's or interpreter's own appointments by day or week, with their working hours and
    absences."""
    scope = user_scope(user=request.user)
    if not scope.roles.intersection(CALENDAR_ROLES):
        raise PermissionDenied
    form = DayForm(request.GET)
    day = form.day()
    week = request.GET.get("view") == "week"
    first = day - dt.timedelta(days=day.weekday()) if week else day
    days = [first + dt.timedelta(days=n) for n in range(7 if week else 1)]
    start, _end = selectors.day_bounds(days[0])
    _start, end = selectors.day_bounds(days[-1])
    resources = selectors.own_resources(viewer=request.user)
    rules = [rule for resource in resources for rule in selectors.working_hours_of(resource=resource)]
    absences = [a for r in resources for a in selectors.absences_of(resource=r, start=start, end=end)]
    reservations = selectors.calendar_reservations(
        viewer=request.user, resources=resources, start=start, end=end
    )
    today = timezone.localdate(timezone=HELSINKI)
    calendar: list[CalendarDay] = []
    for d in days:
        d_start, d_end = selectors.day_bounds(d)
        calendar.append(
            CalendarDay(
                d,
                d == today,
                [f"{r.starts:%H.%M}–{r.ends:%H.%M}" for r in selectors.working_hours_on(rules, d)],
                [a for a in absences if a.starts < d_end and a.ends > d_start],
                [r for r in reservations if d_start <= r.starts < d_end],
            )
        )
    step = dt.timedelta(days=7 if week else 1)
    return htmx_render(
        request,
        "scheduling/calendar_my.html",
        {
            "form": form,
            "week": week,
            "view": "week" if week else "day",
            "days": calendar,
            "first": days[0],
            "last": days[-1],
            "previous": (first - step).isoformat(),
            "next": (first + step).isoformat(),
            "today": today.isoformat(),
            "has_calendar": bool(resources),
        },
        partial="calendar",
    )


# --- availability --------------------------------------------------------------------------------


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def availability(request: HttpRequest) -> HttpResponse:
    """Working hours and absences of one person (``?person=`` the resource), or the list of people
    the viewer may edit when there is more than one and none is chosen."""
    scope = user_scope(user=request.user)
    if not (scope.is_administrator or scope.roles.intersection((*CALENDAR_ROLES, Role.AGENCY_COORDINATOR))):
        raise PermissionDenied
    people = selectors.availability_people(viewer=request.user)
    person_id = request.GET.get("person")
    if person_id is not None:
        pk = _int(person_id)
        if pk is None:
            raise Http404
        try:
            resource = selectors.availability_resource(viewer=request.user, resource_id=pk)
        except selectors.Resource.DoesNotExist:
            raise Http404 from None
    else:
        own = selectors.own_resources(viewer=request.user)
        if len(own) != 1:
            return render(
                request,
                "scheduling/availability_people.html",
                {"people": [(p, selectors.resource_label(p)) for p in people[:500]]},
            )
        resource = own[0]
    here = f"{reverse('schedule:availability')}?person={resource.pk}"
    rules = selectors.working_hours_of(resource=resource)
    hours_form = WorkingHoursForm(rules=rules)
    absence_form = AbsenceForm()
    clashes: list[Appointment] | None = None
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "hours":
            hours_form = WorkingHoursForm(request.POST, rules=rules)
            if hours_form.is_valid():
                try:
                    services.working_hours_replace(resource=resource, rules=hours_form.rules())
                except ValidationError as error:
                    hours_form.add_error(None, error)
                else:
                    messages.success(request, _("The working hours were saved."))
                    return redirect(here)
            status = 400
        elif action == "absence_add":
            absence_form = AbsenceForm(request.POST)
            if absence_form.is_valid():
                data = absence_form.cleaned_data
                try:
                    _absence, clashes = services.absence_add(
                        resource=resource, starts=data["starts"], ends=data["ends"], reason=data["reason"]
                    )
                except ValidationError as error:
                    absence_form.add_error(None, error)
                    status = 400
                else:
                    absence_form = AbsenceForm()
                    messages.success(request, _("The absence was added."))
            else:
                status = 400
        elif action == "absence_delete":
            absence = next(
                (
                    a
                    for a in selectors.absences_of(resource=resource)
                    if a.pk == _int(request.POST.get("absence"))
                ),
                None,
            )
            if absence is None:
                messages.error(request, _("That absence no longer exists."))
            else:
                services.absence_delete(absence=absence)
                messages.success(request, _("The absence was removed."))
            return redirect(here)
        else:
            messages.error(request, _("Choose what to save."))
            return redirect(here)
    now = timezone.now()
    absences = [
        (a, selectors.absence_clashes(absence=a))
        for a in selectors.absences_of(resource=resource, start=now - dt.timedelta(days=1))
    ]
    return render(
        request,
        "scheduling/availability_edit.html",
        {
            "resource": resource,
            "label": selectors.resource_label(resource),
            "hours_form": hours_form,
            "absence_form": absence_form,
            "absences": absences,
            "clashes": clashes,
            "here": here,
            "choose_other": people.count() > 1,
        },
        status=status,
    )


# --- a point's day -------------------------------------------------------------------------------


@dataclass
class BoothCell:
    reservation: Reservation | None = None
    starts_here: bool = False


@never_cache
@login_required
@require_GET
def point_day(request: HttpRequest) -> HttpResponse:
    """The booths of a point (``?point=`` its slug, else the viewer's first) for a day: a column per
    booth, a row per time step; and the day's visiting-official appointments."""
    points = selectors.point_day_points(viewer=request.user)
    scope = user_scope(user=request.user)
    if not (scope.is_administrator or scope.roles.intersection((Role.ADVISOR, Role.POINT_MANAGER))):
        raise PermissionDenied
    slug = request.GET.get("point", "")
    point = points.filter(slug=slug[:100]).first() if slug else points.first()
    if point is None:
        if slug and ServicePoint.objects.filter(slug=slug[:100]).exists():
            raise PermissionDenied
        if slug:
            raise Http404
    form = DayForm(request.GET)
    day = form.day()
    start, end = selectors.day_bounds(day)
    booths = list(selectors.booths_of_point(point=point)) if point else []
    reservations = (
        selectors.point_day_reservations(viewer=request.user, point=point, start=start, end=end)
        if point
        else []
    )
    visits = (
        selectors.point_day_visits(viewer=request.user, point=point, start=start, end=end) if point else []
    )
    step = dt.timedelta(minutes=settings.SCHEDULING_SLOT_STEP_MINUTES * 2)
    first = dt.datetime.combine(day, dt.time(8), HELSINKI)
    last = dt.datetime.combine(day, dt.time(17), HELSINKI)
    for r in reservations:
        first = min(first, max(start, r.starts))
        last = max(last, min(end, r.ends))
    first = first.astimezone(HELSINKI).replace(minute=first.astimezone(HELSINKI).minute // 30 * 30)
    rows: list[tuple[dt.datetime, list[BoothCell]]] = []
    at = first
    while at < last and len(rows) < 100:
        row_end = at + step
        cells = []
        for booth in booths:
            found = next(
                (
                    r
                    for r in reservations
                    if r.resource.booth_id == booth.pk and r.starts < row_end and r.ends > at
                ),
                None,
            )
            cells.append(BoothCell(found, found is not None and found.starts >= at))
        rows.append((at, cells))
        at = row_end
    return htmx_render(
        request,
        "scheduling/calendar_point_day.html",
        {
            "refresh": request.GET.get("refresh") == "1",
            "live_socket": point_day_live_path(point.pk) if point else "",
            "form": form,
            "point": point,
            "points": points if scope.is_administrator or points.count() > 1 else None,
            "day": day,
            "booths": booths,
            "rows": rows,
            "visits": visits,
            "previous": (day - dt.timedelta(days=1)).isoformat(),
            "next": (day + dt.timedelta(days=1)).isoformat(),
            "today": timezone.localdate(timezone=HELSINKI).isoformat(),
        },
        partial="day",
    )


# --- appointments --------------------------------------------------------------------------------


@never_cache
@login_required
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    """The appointments the viewer may see, by day and state, a page at a time."""
    scope = user_scope(user=request.user)
    if not (scope.is_administrator or scope.roles - {Role.NETWORK_PLANNER.value}):
        raise PermissionDenied
    form = AppointmentFilterForm(request.GET)
    rows = selectors.appointments_visible(viewer=request.user)
    filtered = form.is_valid()
    if filtered and form.cleaned_data.get("date"):
        start, end = selectors.day_bounds(form.cleaned_data["date"])
        rows = rows.filter(starts__gte=start, starts__lt=end)
    if filtered and form.cleaned_data.get("state"):
        rows = rows.filter(state=form.cleaned_data["state"])
    rows = rows.select_related("point").prefetch_related("services").order_by("-starts", "-pk")
    page = Paginator(rows, APPOINTMENTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "scheduling/appointment_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def _appointment_or_404(request: HttpRequest, pk: int) -> Appointment:
    try:
        return selectors.appointment_access(viewer=request.user, pk=pk)
    except Appointment.DoesNotExist:
        raise Http404 from None


@never_cache
@login_required
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An appointment for staff: what, where, when, who; the customer's contact for those who need
    it (each view is recorded in the personal-data audit); the actions of its state; its history;
    and, with ``?move=1``, the free times it can move to."""
    appointment = _appointment_or_404(request, pk)
    show_contact = selectors.appointment_contact_visible(viewer=request.user, appointment=appointment)
    if show_contact and appointment.anonymised_at is None and appointment.customer_name:
        audit_record(
            action=AuditAction.PERSONAL_DATA_VIEWED,
            request=request,
            target=appointment,
            summary="Opened on the staff appointment page; fields shown: customer_name, customer_email, "
            "customer_phone",
        )
    now = timezone.now()
    slots = None
    if request.GET.get("move") and appointment.is_active:
        request_ = selectors.SlotRequest(
            point=appointment.point,
            services=tuple(appointment.services.all()),
            channel=appointment.channel,
            language=appointment.language,
            interpreter_language=appointment.interpreter_language,
        )
        slots = [
            s
            for s in selectors.slot_search(
                viewer=request.user,
                request=request_,
                start=now,
                end=now + dt.timedelta(days=MOVE_SEARCH_DAYS),
                limit=MOVE_SLOTS,
                now=now,
            )
            if s.start != appointment.starts
        ]
    return render(
        request,
        "scheduling/appointment_detail.html",
        {
            "appointment": appointment,
            "show_contact": show_contact,
            "resources": selectors.appointment_resources(appointment=appointment),
            "history": selectors.appointment_history(appointment=appointment),
            "begun": appointment.starts <= now,
            "slots": slots,
        },
    )


@never_cache
@login_required
@require_POST
def appointment_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, mark done or missed, cancel or move an appointment; back to its page with the
    outcome."""
    appointment = _appointment_or_404(request, pk)
    action = request.POST.get("action", "")
    here = reverse("schedule:appointment_detail", kwargs={"pk": appointment.pk})
    try:
        if action in (AppointmentState.CONFIRMED, AppointmentState.DONE, AppointmentState.NO_SHOW):
            services.appointment_state_set(appointment=appointment, state=action, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The appointment's state was changed."))
        elif action == "cancel":
            services.appointment_cancel(appointment=appointment, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The appointment was cancelled. The customer is told by email."))
        elif action == "move":
            try:
                start = dt.datetime.fromisoformat(request.POST.get("start", "")[:40])
            except ValueError:
                start = None
            if start is None or timezone.is_naive(start):
                messages.error(request, _("Choose one of the free times."))
                return redirect(f"{here}?move=1")
            services.appointment_reschedule(appointment=appointment, start=start, by=request.user)  # type: ignore[arg-type]
            messages.success(request, _("The appointment was moved. The customer is told by email."))
        else:
            messages.error(request, _("Choose what to do with the appointment."))
    except services.SlotTaken:
        messages.error(request, _("That time was taken meanwhile. Choose another free time."))
        return redirect(f"{here}?move=1")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(here)
