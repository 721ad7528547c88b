"""The advisor's desk (/fi/staff/desk/...) and the agencies' callback queues (/fi/staff/callbacks/...).

Plain forms that work without JavaScript (Post/Redirect/Get); a small script adds the running timer,
the number keys and the live updates (a WebSocket that tells the page to reload a panel, with htmx
polling of the same panel as the fallback)."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asiointi.accounts.models import AuditAction, User
from asiointi.accounts.services import audit_record
from asiointi.catalogue import finder
from asiointi.core.validators import search_text
from asiointi.ledger.services import feedback_token_issue, feedback_url
from asiointi.meetings.tokens import join_token_issue
from asiointi.network.models import ServicePoint

from . import selectors, services
from .forms import (
    CallbackActionForm,
    CallbackForm,
    CallNowForm,
    FinderForm,
    RecordForm,
    add_core_errors,
    timer_start,
)
from .models import CallbackRequest, CallbackState, CallNowRequest
from .routing import callbacks_socket_path, callnow_socket_path, desk_socket_path


def _point(request: HttpRequest, slug: str) -> ServicePoint:
    try:
        return selectors.access_desk_point(viewer=request.user, slug=slug)
    except ServicePoint.DoesNotExist:
        raise Http404 from None


@never_cache
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Advisors: their points, each a link to its desk."""
    points = selectors.desk_points(viewer=request.user)
    return render(request, "desk/index.html", {"points": points})


def _desk_context(request: HttpRequest, point: ServicePoint, form: RecordForm) -> dict[str, Any]:
    now = timezone.now()
    return {
        "point": point,
        "form": form,
        "callnow_form": _callnow_form(point),
        "callnow": selectors.callnow_point_queue(point=point, now=now),
        **_finder_context(request, point),
        "counts": selectors.desk_counts(point=point, now=now),
        "recent": selectors.desk_recent(point=point, now=now),
        "shortcuts": [s for s in form.desk_services if s.key],
        "callbacks": [c for c in selectors.callback_queue(viewer=request.user) if c.point_id == point.pk][
            :20
        ],
        "socket_path": desk_socket_path(point.pk),
        "poll_seconds": settings.DESK_POLL_SECONDS,
        "today": timezone.localdate(),
    }


def _record_form(point: ServicePoint, data: Any = None, chosen: str = "") -> RecordForm:
    services_ = selectors.desk_services(point=point)
    agencies = list(selectors.callback_agencies(point=point))
    initial: dict[str, Any] = {"started": timer_start(), "language": "fi"}
    if chosen.isdigit() and any(str(s.service.pk) == chosen for s in services_):
        initial["service"] = chosen  # a result of the service finder, chosen without JavaScript
    return RecordForm(data, services=services_, agencies=agencies, initial=initial)


def _finder_context(request: HttpRequest, point: ServicePoint) -> dict[str, Any]:
    """The desk's service finder: the results for ``?q=`` (the customer's need), the point's own
    offerings first; each result says whether it can be recorded at this desk."""
    finder_form = FinderForm(request.GET or None)
    query = ""
    if finder_form.is_valid():
        query = search_text(finder_form.cleaned_data["q"] or "", max_length=finder.MAX_QUERY_LENGTH)
    results = (
        finder.service_search(query=query, language=get_language() or "fi", point=point) if query else []
    )
    offered = {s.service.pk for s in selectors.desk_services(point=point)} if results else set()
    return {
        "finder_form": finder_form,
        "finder_query": query,
        "finder_results": [(r, r.service.pk in offered) for r in results],
    }


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def desk(request: HttpRequest, slug: str) -> HttpResponse:
    """The desk of a point: record a customer's transaction, undo it, see the day's counts."""
    point = _point(request, slug)
    form = _record_form(
        point, request.POST if request.method == "POST" else None, chosen=request.GET.get("service", "")
    )
    status = 200
    if request.method == "POST":
        agency = form.chosen_agency() if form.is_valid() else None
        if agency is not None:  # the form's clean requires a service or an agency
            try:
                row = services.desk_transaction_record(
                    point=point,
                    agency=agency,
                    service=form.cleaned_data["service_obj"],
                    asti_type=form.cleaned_data["asti_type"],
                    channel=form.cleaned_data["channel"],
                    duration_seconds=form.duration_seconds(timezone.now()),
                    language=form.cleaned_data["language"],
                    with_interpreter=form.cleaned_data["with_interpreter"],
                )
            except ValidationError as error:
                add_core_errors(form, error, fallback="service")
            else:
                messages.success(
                    request,
                    _("The transaction was recorded for %(agency)s. You can undo it within five minutes.")
                    % {"agency": row.agency.name},
                )
                return redirect("desk:desk", slug=point.slug)
        status = 400
    return render(request, "desk/desk.html", _desk_context(request, point, form), status=status)


@never_cache
@login_required
@require_POST
def undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Undo a transaction of the point's desk within five minutes (a reversing entry)."""
    point = _point(request, slug)
    try:
        services.desk_transaction_undo(point=point, transaction_id=pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The transaction was undone."))
    return redirect("desk:desk", slug=point.slug)


@never_cache
@login_required
@require_GET
def counts(request: HttpRequest, slug: str) -> HttpResponse:
    """The desk's panel of counts and recent transactions, for htmx (polling, or a live event)."""
    point = _point(request, slug)
    now = timezone.now()
    context = {
        "point": point,
        "counts": selectors.desk_counts(point=point, now=now),
        "recent": selectors.desk_recent(point=point, now=now),
        "poll_seconds": settings.DESK_POLL_SECONDS,
    }
    return render(request, "desk/includes/counts.html", context)


@never_cache
@login_required
@require_POST
def receipt(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A receipt to print for the customer, with a new single-use feedback link and its QR code."""
    point = _point(request, slug)
    try:
        row = selectors.access_desk_transaction(viewer=request.user, point=point, pk=pk)
    except selectors.Transaction.DoesNotExist:
        raise Http404 from None
    try:
        token = feedback_token_issue(transaction=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("desk:desk", slug=point.slug)
    link = request.build_absolute_uri(feedback_url(token=token, language=get_language()))
    qr = str(segno.make(link, error="m").svg_data_uri(scale=4, border=4))
    return render(request, "desk/receipt.html", {"point": point, "transaction": row, "link": link, "qr": qr})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def callback_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The advisor files a callback request for an agency, with the customer's consent."""
    point = _point(request, slug)
    form = CallbackForm(request.POST or None, agencies=selectors.callback_agencies(point=point))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                filed = services.callback_file(
                    data=services.CallbackData(
                        point=point,
                        agency=data["agency"],
                        customer_name=data["customer_name"],
                        customer_phone=data["customer_phone"],
                        language=data["language"],
                        topic=data["topic"],
                        preferred_times=data["preferred_times"],
                        consent=data["consent"],
                    ),
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                add_core_errors(form, error, fallback="consent")
            else:
                messages.success(
                    request,
                    _("The callback request was sent to %(agency)s. They call back by %(date)s.")
                    % {"agency": filed.agency.name, "date": filed.due_on.strftime("%d.%m.%Y")},
                )
                return redirect("desk:desk", slug=point.slug)
        status = 400
    return render(
        request,
        "desk/callback_new.html",
        {"point": point, "form": form, "retention_days": settings.RETENTION_DAYS["callback_contact"]},
        status=status,
    )


# --- the callback queues ---------------------------------------------------------------------------


def _queue_context(request: HttpRequest) -> dict[str, Any]:
    from asiointi.accounts.selectors import user_scope

    scope = user_scope(user=request.user)
    agencies = sorted(scope.agencies_for(*selectors.CALLBACK_AGENCY_READERS))
    points = sorted(scope.points_for(*selectors.DESK_ROLES))
    return {
        "requests": selectors.callback_queue(viewer=request.user),
        "today": timezone.localdate(),
        "socket_paths": [callbacks_socket_path(a) for a in agencies] + [desk_socket_path(p) for p in points],
        "poll_seconds": settings.DESK_POLL_SECONDS,
    }


def _may_read_queue(request: HttpRequest) -> None:
    if not selectors.callbacks_allowed(viewer=request.user):
        raise PermissionDenied


@never_cache
@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """The callback requests the viewer may see: an agency's experts and coordinators their agency's
    queue, advisors and point managers the requests filed at their points."""
    _may_read_queue(request)
    return render(request, "desk/queue.html", _queue_context(request))


@never_cache
@login_required
@require_GET
def queue_panel(request: HttpRequest) -> HttpResponse:
    """The queue's table, for htmx (polling, or a live event)."""
    _may_read_queue(request)
    return render(request, "desk/includes/queue_table.html", _queue_context(request))


def _callback(request: HttpRequest, pk: int) -> CallbackRequest:
    try:
        return selectors.access_callback(viewer=request.user, pk=pk)
    except CallbackRequest.DoesNotExist:
        raise Http404 from None


@never_cache
@login_required
@require_GET
def callback_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A callback request: its topic and deadline; for the agency's experts, the customer's contact
    (each view recorded in the personal-data audit) and the actions."""
    _may_read_queue(request)
    callback = _callback(request, pk)
    show_contact = selectors.callback_contact_visible(viewer=request.user, request=callback)
    if show_contact and callback.anonymised_at is None:
        audit_record(
            action=AuditAction.PERSONAL_DATA_VIEWED,
            request=request,
            target=callback,
            summary="Opened on the callback request's page; fields shown: customer_name, customer_phone, "
            "preferred_times",
        )
    return render(
        request,
        "desk/callback_detail.html",
        {
            "callback": callback,
            "show_contact": show_contact,
            "may_handle": selectors.callback_may_handle(viewer=request.user, request=callback)
            and callback.state != CallbackState.CLOSED,
            "attempts": list(callback.attempts.select_related("made_by")),
            "overdue": selectors.callback_overdue(callback),
            "form": CallbackActionForm(),
            "max_attempts": settings.CALLBACK_MAX_ATTEMPTS,
        },
    )


@never_cache
@login_required
@require_POST
def callback_action(request: HttpRequest, pk: int) -> HttpResponse:
    """Claim, log an attempt or close a callback request (the agency's experts); back to its page."""
    _may_read_queue(request)
    callback = _callback(request, pk)
    here = reverse("callbacks:detail", kwargs={"pk": callback.pk})
    if not selectors.callback_may_handle(viewer=request.user, request=callback):
        raise PermissionDenied
    form = CallbackActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(here)
    user: User = request.user  # type: ignore[assignment]
    action = form.cleaned_data["action"]
    try:
        if action == "claim":
            services.callback_claim(request=callback, by=user)
            messages.success(request, _("You are now handling this callback request."))
        elif action == "attempt":
            services.callback_attempt_log(request=callback, by=user, note=form.cleaned_data["note"])
            messages.success(request, _("The attempt was logged."))
        else:
            services.callback_close(request=callback, by=user, outcome=form.cleaned_data["outcome"] or "")
            messages.success(request, _("The callback request was closed and recorded as a transaction."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(here)


# --- the service finder at the desk -----------------------------------------------------------------


@never_cache
@login_required
@require_GET
def finder_results(request: HttpRequest, slug: str) -> HttpResponse:
    """The finder's results for ``?q=``, for htmx (the desk page shows the same without JavaScript)."""
    point = _point(request, slug)
    return render(
        request, "desk/includes/finder_results.html", {"point": point, **_finder_context(request, point)}
    )


# --- the call-now queue: the advisor's side -------------------------------------------------------


def _callnow_form(point: ServicePoint, data: Any = None) -> CallNowForm:
    return CallNowForm(
        data,
        agencies=selectors.callnow_agencies(point=point),
        services=selectors.callnow_services(point=point),
        booths=selectors.callnow_booths(point=point),
        prefix="callnow",  # its fields' ids differ from the recording form's on the desk page
    )


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def callnow_new(request: HttpRequest, slug: str) -> HttpResponse:
    """The advisor puts a walk-in customer into an agency's call-now queue for a free booth (the form
    is also on the desk page, which posts here)."""
    point = _point(request, slug)
    form = _callnow_form(point, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                queued = services.callnow_queue(
                    data=services.CallNowData(
                        point=point,
                        booth=data["booth"],
                        agency=data["agency"],
                        service=data["service_obj"],
                        language=data["language"],
                        interpreter_language=data["interpreter_language"] or "",
                    ),
                    by=request.user,  # type: ignore[arg-type]
                )
            except ValidationError as error:
                add_core_errors(form, error, fallback="agency")
            else:
                messages.success(
                    request,
                    _(
                        "The customer in %(booth)s is in the queue of %(agency)s. The first free expert takes the call."
                    )
                    % {"booth": queued.booth.name, "agency": queued.agency.name},
                )
                return redirect("desk:desk", slug=point.slug)
        status = 400
    return render(request, "desk/callnow_new.html", {"point": point, "callnow_form": form}, status=status)


@never_cache
@login_required
@require_GET
def callnow_panel(request: HttpRequest, slug: str) -> HttpResponse:
    """The desk's panel of waiting calls (position, estimated wait), for htmx (polling, or a live event)."""
    point = _point(request, slug)
    context = {
        "point": point,
        "callnow": selectors.callnow_point_queue(point=point),
        "poll_seconds": settings.DESK_POLL_SECONDS,
    }
    return render(request, "desk/includes/callnow_panel.html", context)


@never_cache
@login_required
@require_POST
def callnow_cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The advisor takes a waiting customer out of the call-now queue."""
    point = _point(request, slug)
    try:
        row = selectors.access_desk_callnow(viewer=request.user, point=point, pk=pk)
    except CallNowRequest.DoesNotExist:
        raise Http404 from None
    try:
        services.callnow_cancel(request=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The call was cancelled. The booth is free."))
    return redirect("desk:desk", slug=point.slug)


# --- the call-now queue: the experts' side ------------------------------------------------------------


def _callnow_queue_context(request: HttpRequest) -> dict[str, Any]:
    agencies = selectors.access_callnow_agencies(viewer=request.user)
    return {
        "calls": selectors.callnow_agency_queue(viewer=request.user),
        "socket_paths": [callnow_socket_path(a) for a in agencies],
        "poll_seconds": settings.DESK_POLL_SECONDS,
    }


@never_cache
@login_required
@require_GET
def callnow_queue(request: HttpRequest) -> HttpResponse:
    """An agency's experts: the customers waiting in booths for their agency, oldest first. The page
    rings when a new call arrives (a visual alert, an announcement, and a sound unless muted)."""
    return render(request, "desk/callnow_queue.html", _callnow_queue_context(request))


@never_cache
@login_required
@require_GET
def callnow_queue_panel(request: HttpRequest) -> HttpResponse:
    """The queue's list, for htmx (polling, or a live event)."""
    return render(request, "desk/includes/callnow_queue_list.html", _callnow_queue_context(request))


@never_cache
@login_required
@require_POST
def callnow_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """An expert takes a call: the first one wins and goes to the meeting room; the booth's screen
    joins it. A later one gets a message on the queue page."""
    try:
        row = selectors.access_callnow(viewer=request.user, pk=pk)
    except CallNowRequest.DoesNotExist:
        raise Http404 from None
    try:
        accepted = services.callnow_accept(request=row, by=request.user)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("callbacks:now")
    return redirect("meetings:room", token=join_token_issue(participant=accepted.participant))
