"""The resident's booking pages on the public site: no account, fully usable without JavaScript.

The flow is plain links and forms: choose what to book and a week (a GET form, so that the page of
free times can be linked), a time (a link), the contact (a POST form that answers with a redirect:
Post/Redirect/Get), and the confirmation with the code. "Manage my appointment" takes the code and the
contact; the proof is then kept in the session for that code only. None of these pages is kept in the
public page cache: every answer is drawn for its visitor (``never_cache``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from itertools import groupby
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from asiointi.core import throttle
from asiointi.core.htmx import htmx_render

from .forms import CodeForm, ContactForm, MoveForm, SlotQueryForm, add_core_errors
from .models import Appointment
from .selectors import (
    HELSINKI,
    Slot,
    SlotRequest,
    appointment_get_by_code,
    appointment_is_active,
    earliest_start,
    slot_request_build,
    slot_search,
)
from .services import SlotTaken, appointment_book, appointment_cancel, appointment_reschedule

#: The most free times one week's page lists.
WEEK_SLOTS = 120
#: The session key of the codes proven in this session: {code: {"email": ..., "phone": ...}}.
PROOFS = "appointment_proofs"
CODE_SCOPE = "appointment_code"
#: Wrong codes or contacts from one address that are forgiven before the waits begin.
CODE_FREE_FAILURES = 5
CODE_WINDOW_SECONDS = 3600
CODE_MAX_WAIT_SECONDS = 900
QUERY_KEYS = ("point", "channel", "services", "language", "interpreter")


def code_display(code: str) -> str:
    """The code in two groups of four, as it is read aloud: KX7M-PQ3A."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def _week_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=HELSINKI)


def group_by_day(slots: Iterable[Slot]) -> list[tuple[dt.date, list[Slot]]]:
    return [
        (day, list(items))
        for day, items in groupby(slots, key=lambda s: timezone.localtime(s.start, HELSINKI).date())
    ]


def _query(request: SlotRequest, **extra: str) -> str:
    """The query string of a booking request (and ``extra``), for links between the steps."""
    pairs: list[tuple[str, str]] = [("point", request.point.slug), ("channel", request.channel)]
    pairs += [("services", str(s.pk)) for s in request.services]
    pairs += [("language", request.language), ("interpreter", request.interpreter_language)]
    pairs += list(extra.items())
    return urlencode(pairs)


def _search_allowed(request: HttpRequest) -> bool:
    limit = settings.SLOT_SEARCH_LIMIT_PER_MINUTE
    return not limit or throttle.throttle_hit(
        scope="slot_search", key=throttle.client_key(request), limit=limit, window_seconds=60
    )


def _booking_allowed(request: HttpRequest) -> bool:
    limit = settings.BOOKING_LIMIT_PER_HOUR
    return not limit or throttle.throttle_hit(
        scope="booking", key=throttle.client_key(request), limit=limit, window_seconds=3600
    )


def _week_slots(
    http_request: HttpRequest, slot_request: SlotRequest, monday: dt.date, ignore: int | None = None
) -> list[Slot]:
    return slot_search(
        viewer=None,
        request=slot_request,
        start=_day_start(monday),
        end=_day_start(monday + dt.timedelta(days=7)),
        limit=WEEK_SLOTS,
        ignore_appointment_id=ignore,
    )


def _week_context(monday: dt.date, today: dt.date, query: QueryDict) -> dict[str, Any]:
    def link(day: dt.date) -> str:
        q = query.copy()
        q["week"] = day.isoformat()
        return "?" + q.urlencode()

    return {
        "week_start": monday,
        "week_end": monday + dt.timedelta(days=6),
        "previous_week_url": link(monday - dt.timedelta(days=7)) if monday > _week_of(today) else "",
        "next_week_url": link(monday + dt.timedelta(days=7)),
    }


@never_cache
@require_http_methods(["GET", "HEAD"])
def book(request: HttpRequest) -> HttpResponse:
    """Public: anyone. Step 1 and 2: what to book and the week, then that week's free times."""
    return _book_page(request)


def _book_page(request: HttpRequest, *, no_time: bool = False) -> HttpResponse:
    """The booking form (and the week's free times when asked). ``no_time``: the contact step was
    opened without a chosen time, so the page asks for one first."""
    asked = any(key in request.GET for key in ("channel", "services", "language"))
    context: dict[str, Any] = {"no_time": no_time}
    status = 200
    if asked:
        form = SlotQueryForm(request.GET)
        if form.is_valid() and form.slot_request is not None:
            today = timezone.localdate()
            first = timezone.localtime(earliest_start(viewer=None), HELSINKI).date()
            monday = form.cleaned_data.get("week") or _week_of(first)
            monday = max(monday, _week_of(today))
            context |= _week_context(monday, today, request.GET)
            if _search_allowed(request):
                slots = _week_slots(request, form.slot_request, monday)
                context |= {
                    "days": group_by_day(slots),
                    "contact_query": _query(form.slot_request),
                    "slot_request": form.slot_request,
                    "searched": True,
                }
            else:
                status = 429
                context["limited"] = _(
                    "Many searches have come from your address within the last minute. "
                    "Please wait a minute and try again."
                )
    else:
        initial: dict[str, Any] = {"language": (request.LANGUAGE_CODE or "fi")[:2]}
        if request.GET.get("point"):
            initial["point"] = request.GET["point"][:80]
        if request.GET.get("service"):
            initial["services"] = [s for s in request.GET.getlist("service")[:4] if s.isdigit()]
        form = SlotQueryForm(initial=initial)
    return htmx_render(
        request, "scheduling/public_book.html", {"form": form, **context}, partial="times", status=status
    )


def _slot_request_from(query: QueryDict) -> SlotRequest | None:
    form = SlotQueryForm(query)
    return form.slot_request if form.is_valid() else None


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def book_contact(request: HttpRequest) -> HttpResponse:
    """Public: anyone. Step 3: the chosen time and the contact; POST books it and redirects to the
    confirmation (a lost race shows the next free times instead)."""
    slot_request = _slot_request_from(request.GET)
    if slot_request is None:
        return _book_page(request, no_time=True)
    next_slots: list[Slot] = []
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_valid():
            if not _booking_allowed(request):
                form.add_error(
                    None,
                    _(
                        "Many appointments have been booked from your address within the last hour, so this "
                        "one was not booked. Please try again later or call the service point."
                    ),
                )
                status = 429
            else:
                try:
                    appointment = appointment_book(
                        request=slot_request, start=form.cleaned_data["start"], customer=form.customer()
                    )
                except SlotTaken as taken:
                    form.add_error("start", taken.message)
                    next_slots = taken.next_slots
                    status = 409
                except ValidationError as error:
                    add_core_errors(form, error, fallback="start")
                else:
                    _remember(request, appointment.code, form.customer().email, form.customer().phone)
                    return redirect("appointments:booked", code=appointment.code)
        if status == 200:
            status = 400 if form.errors else 200
    else:
        form = ContactForm(initial={"start": request.GET.get("start", "")[:40]})
    start = _start_of(form)
    return render(
        request,
        "scheduling/public_contact.html",
        {
            "form": form,
            "slot_request": slot_request,
            "start": start,
            "end": start + slot_request.duration if start else None,
            "next_slots": next_slots,
            "contact_query": _query(slot_request),
            "back_query": _query(slot_request, week=_week_of(start.date()).isoformat() if start else ""),
            "retention_days": settings.RETENTION_DAYS["appointment_contact"],
        },
        status=status,
    )


def _start_of(form: ContactForm | MoveForm) -> dt.datetime | None:
    raw = form.data.get("start") if form.is_bound else form.initial.get("start")
    try:
        start = form.fields["start"].to_python(raw)
    except ValidationError:
        return None
    return timezone.localtime(start, HELSINKI) if start else None


# --- the proof of a booking -----------------------------------------------------------------


def _remember(request: HttpRequest, code: str, email: str, phone: str) -> None:
    proofs = dict(request.session.get(PROOFS) or {})
    proofs[code] = {"email": email, "phone": phone}
    request.session[PROOFS] = dict(list(proofs.items())[-5:])


def _proven(request: HttpRequest, code: str) -> Appointment | None:
    proof = (request.session.get(PROOFS) or {}).get(code)
    if not isinstance(proof, dict):
        return None
    try:
        return appointment_get_by_code(code=code, email=proof.get("email", ""), phone=proof.get("phone", ""))
    except ValidationError:
        return None


def _appointment_context(appointment: Appointment) -> dict[str, Any]:
    services = list(appointment.services.all())
    return {
        "appointment": appointment,
        "code": code_display(appointment.code),
        "services": services,
        "identification": any(s.requires_identification for s in services),
        "is_active": appointment_is_active(appointment),
        "retention_days": settings.RETENTION_DAYS["appointment_contact"],
    }


def _code_page(request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
    return render(request, "scheduling/public_manage.html", {"form": form}, status=status)


def _prove_first(code: str) -> HttpResponse:
    """An appointment's page without the proof in this session: to "Manage my appointment" with the
    code filled in, so that the address says which page the visitor is on."""
    return redirect(f"{reverse('appointments:manage')}?{urlencode({'code': code_display(code[:8])})}")


@never_cache
@require_http_methods(["GET", "HEAD"])
def booked(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the customer who booked (in this session). The confirmation: the code, the time, the
    place and what to bring. Without the proof in the session, the form asks for the contact."""
    appointment = _proven(request, code)
    if appointment is None:
        return _prove_first(code)
    return render(request, "scheduling/public_booked.html", _appointment_context(appointment))


def _wait_message(seconds: float) -> str:
    minutes = max(1, int(seconds + 59) // 60)
    return ngettext(
        "Too many codes or contacts that do not match have been tried from your address. "
        "Please try again in %(minutes)s minute.",
        "Too many codes or contacts that do not match have been tried from your address. "
        "Please try again in %(minutes)s minutes.",
        minutes,
    ) % {"minutes": minutes}


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: HttpRequest) -> HttpResponse:
    """Public: anyone. "Manage my appointment": the code and the contact. An unknown code and a wrong
    contact get the same answer; wrong tries from one address make the next ones wait."""
    if request.method != "POST":
        return _code_page(request, CodeForm(initial={"code": request.GET.get("code", "")[:20]}))
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, form, status=400)
    key = throttle.client_key(request)
    wait = throttle.backoff_wait(scope=CODE_SCOPE, key=key)
    if wait > 0:
        form.add_error(None, _wait_message(wait))
        return _code_page(request, form, status=429)
    try:
        appointment = appointment_get_by_code(code=form.cleaned_data["code"], **form.proof())
    except ValidationError as error:
        form.add_error("code", error)
        appointment = None
    if appointment is None:
        failures = throttle.backoff_failure(scope=CODE_SCOPE, key=key, window_seconds=CODE_WINDOW_SECONDS)
        if failures >= CODE_FREE_FAILURES:
            seconds = min(CODE_MAX_WAIT_SECONDS, 2 ** (failures - CODE_FREE_FAILURES + 2))
            throttle.backoff_wait_until(
                scope=CODE_SCOPE, key=key, seconds=seconds, window_seconds=CODE_WINDOW_SECONDS
            )
        if not form.errors:
            form.add_error(
                None,
                _(
                    "We found no appointment with that code and contact. Check the code and give the email "
                    "address or phone number that you booked with."
                ),
            )
        return _code_page(request, form, status=400)
    proof = form.proof()
    _remember(request, appointment.code, proof.get("email", ""), proof.get("phone", ""))
    return redirect("appointments:manage_detail", code=appointment.code)


@never_cache
@require_http_methods(["GET", "HEAD"])
def manage_detail(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the customer, with the code and the contact proven in this session. The appointment,
    with links to move or cancel it."""
    appointment = _proven(request, code)
    if appointment is None:
        return _prove_first(code)
    return render(request, "scheduling/public_detail.html", _appointment_context(appointment))


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the customer (proven). GET asks to confirm; POST cancels and redirects."""
    appointment = _proven(request, code)
    if appointment is None:
        return _prove_first(code)
    if request.method == "POST" and appointment_is_active(appointment):
        try:
            appointment_cancel(appointment=appointment)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your appointment has been cancelled."))
        return redirect("appointments:manage_detail", code=appointment.code)
    return render(request, "scheduling/public_cancel.html", _appointment_context(appointment))


def _appointment_request(appointment: Appointment) -> SlotRequest:
    return slot_request_build(
        point=appointment.point,
        service_ids=[s.pk for s in appointment.services.all()],
        channel=appointment.channel,
        language=appointment.language,
        interpreter_language=appointment.interpreter_language,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def manage_move(request: HttpRequest, code: str) -> HttpResponse:
    """Public: the customer (proven). A week's free times for the same services; POST moves the
    appointment there and redirects."""
    appointment = _proven(request, code)
    if appointment is None:
        return _prove_first(code)
    context = _appointment_context(appointment)
    if not appointment_is_active(appointment):
        return render(request, "scheduling/public_detail.html", context)
    form = MoveForm(request.POST or None)
    status = 200
    next_slots: list[Slot] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                appointment_reschedule(appointment=appointment, start=form.cleaned_data["start"])
            except SlotTaken as taken:
                form.add_error("start", taken.message)
                next_slots = taken.next_slots
                status = 409
            except ValidationError as error:
                add_core_errors(form, error, fallback="start")
                status = 400
            else:
                messages.success(
                    request, _("Your appointment has been moved. A new confirmation is on its way.")
                )
                return redirect("appointments:manage_detail", code=appointment.code)
        else:
            status = 400
    today = timezone.localdate()
    week_form = SlotQueryForm(QueryDict(mutable=True))
    week = week_form.fields["week"]
    try:
        monday = week.clean(request.GET.get("week", "")[:20]) or _week_of(today)
    except ValidationError:
        monday = _week_of(today)
    monday = max(monday, _week_of(today))
    slots: list[Slot] = []
    limited = ""
    try:
        slot_request = _appointment_request(appointment)
    except ValidationError:
        slot_request = None
    if slot_request is not None and _search_allowed(request):
        slots = _week_slots(request, slot_request, monday, ignore=appointment.pk)
    elif slot_request is not None:
        limited = _(
            "Many searches have come from your address within the last minute. Please wait a minute and try again."
        )
    context |= _week_context(monday, today, request.GET)
    context |= {"form": form, "days": group_by_day(slots), "next_slots": next_slots, "limited": limited}
    return render(request, "scheduling/public_move.html", context, status=status)
