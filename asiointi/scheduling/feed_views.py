"""The private calendar feed of an expert or an interpreter, and the staff page that manages it.

``GET /calendar/<secret>.ics`` answers the person's active appointments (booked or confirmed, from
``FEED_PAST_DAYS`` ago to ``SCHEDULING_HORIZON_DAYS`` ahead) as an iCalendar file that a calendar app
subscribes to. The secret in the address is the only key (a calendar app cannot sign in), so it is long
and random, kept only as its SHA-256 (``Resource.feed_token_hash``), and the person can replace it (the
old address stops working at once) or switch the feed off; an unknown or revoked address answers 404.
The feed tells what the person needs for their day, and no more of the customer than the first name:
no surname, email address, phone number or confirmation code, since a calendar service fetching the
feed keeps a copy of it.

The staff page (``staff:calendar_feed``) is for experts and interpreters, each for their own feed (one
per expert profile and one as an interpreter); other staff get 403."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from asiointi.accounts.models import User
from asiointi.catalogue.models import Service
from asiointi.core.scope import Role, user_scope

from . import services
from .ical import PUBLISH, EventData, calendar_build
from .models import ACTIVE_STATES, Expert, Interpreter, Reservation, ReservationRole, Resource
from .notifications import staff_event

#: How far back the feed reaches.
FEED_PAST_DAYS = 30
#: The session key under which a new address waits to be shown once.
NEW_ADDRESS_KEY = "scheduling_feed_new"
FEED_ROLES = (Role.EXPERT.value, Role.INTERPRETER.value)


def _now() -> dt.datetime:
    return timezone.now()


def _resource_by_token(token: str) -> Resource | None:
    if not token or len(token) > 100:
        return None
    # A digest is never "", the hash of a feed that is off.
    digest = hashlib.sha256(token.encode()).hexdigest()
    return (
        Resource.objects.filter(feed_token_hash=digest)
        .select_related("expert__user", "interpreter__user")
        .first()
    )


def _feed_events(resource: Resource, *, now: dt.datetime) -> list[EventData]:
    """The resource's active appointments from FEED_PAST_DAYS ago to the horizon, as VEVENTs."""
    held = list(
        Reservation.objects.filter(
            resource=resource,
            active=True,
            appointment__state__in=ACTIVE_STATES,
            starts__gte=now - dt.timedelta(days=FEED_PAST_DAYS),
            starts__lte=now + dt.timedelta(days=settings.SCHEDULING_HORIZON_DAYS),
        )
        .select_related("appointment__point")
        .prefetch_related(
            Prefetch("appointment__services", queryset=Service.objects.select_related("agency")),
            Prefetch(
                "appointment__reservations",
                queryset=Reservation.objects.filter(active=True, role=ReservationRole.BOOTH).select_related(
                    "resource__booth"
                ),
                to_attr="booth_reservations",
            ),
        )
        .order_by("starts")
    )
    events = []
    for reservation in held:
        appointment = reservation.appointment
        booths = getattr(appointment, "booth_reservations", [])
        booth = booths[0].resource.booth if booths else None
        events.append(
            staff_event(
                appointment,
                starts=reservation.starts,
                ends=reservation.ends,
                attendee=None,
                booth_name=booth.name if booth else "",
            )
        )
    return events


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's calendar file for whoever holds the secret address; 404 for any other address."""
    resource = _resource_by_token(token)
    if resource is None:
        raise Http404
    user = getattr(resource, "expert", None) or getattr(resource, "interpreter", None)
    language = (user.user.language if user else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        name = _("Asiointi: my appointments")
        body = calendar_build(events=_feed_events(resource, now=_now()), method=PUBLISH, name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="asiointi.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _own_resources(user: User) -> list[tuple[str, Resource]]:
    """The viewer's bookable profiles, each with the label the page shows."""
    found: list[tuple[str, Resource]] = []
    for expert in Expert.objects.filter(user=user).select_related("agency", "resource").order_by("pk"):
        found.append((_("Expert at %(agency)s") % {"agency": expert.agency.name}, expert.resource))
    for interpreter in Interpreter.objects.filter(user=user).select_related("resource"):
        found.append((_("Interpreter"), interpreter.resource))
    return found


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """Experts and interpreters, for themselves: the address of their calendar feed, a new address
    (the old one stops working), or the feed switched off."""
    scope = user_scope(user=request.user)
    if not scope.roles.intersection(FEED_ROLES):
        raise PermissionDenied
    own = _own_resources(request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        by_id = {str(resource.pk): resource for _label, resource in own}
        resource = by_id.get(request.POST.get("resource", ""))
        action = request.POST.get("action", "")
        if resource is None or action not in ("issue", "revoke"):
            messages.error(request, _("Choose one of your own calendar feeds and what to do with it."))
            return redirect("staff:calendar_feed")
        if action == "issue":
            token = services.feed_token_issue(resource=resource)
            request.session[NEW_ADDRESS_KEY] = {"resource": resource.pk, "token": token}
            messages.success(
                request,
                _("Your calendar feed has a new address. The old address no longer works."),
            )
        else:
            services.feed_token_revoke(resource=resource)
            request.session.pop(NEW_ADDRESS_KEY, None)
            messages.success(request, _("Your calendar feed is switched off. Its address no longer works."))
        return redirect("staff:calendar_feed")
    new = request.session.pop(NEW_ADDRESS_KEY, None) or {}
    feeds = []
    for label, resource in own:
        address = ""
        if new.get("resource") == resource.pk and resource.feed_token_hash:
            address = request.build_absolute_uri(reverse("calendar:feed", kwargs={"token": new["token"]}))
        feeds.append(
            {"label": label, "resource": resource, "on": bool(resource.feed_token_hash), "address": address}
        )
    return render(request, "scheduling/feed_settings.html", {"feeds": feeds, "past_days": FEED_PAST_DAYS})
