"""The meetings' pages: the expert's, interpreter's or advisor's meeting page (by their personal join
link), their meetings of the day, and the booth's kiosk screen with its feedback after a meeting.

Who may use them (asiointi/accounts/access.py): the meeting page, the person the link was made for
(another person's link is 403, a forged one 404); the day's meetings, experts, interpreters and
advisors (their own); the kiosk and its feedback, a paired booth screen (its own booth's meetings).
Only these pages may use the camera and the microphone (Permissions-Policy)."""

from __future__ import annotations

import contextlib
import urllib.parse
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from asiointi.accounts.selectors import user_scope
from asiointi.core.headers import permissions_policy
from asiointi.core.scope import Role
from asiointi.ledger.forms import FeedbackForm
from asiointi.ledger.models import Transaction
from asiointi.ledger.services import FeedbackRefused, feedback_submit, feedback_token_issue

from . import selectors, services
from .document_views import documents_panel
from .janus import janus_browser_url
from .models import Participant, ParticipantKind, Room, VideoRoute
from .routing import meeting_socket_path
from .tokens import JoinRefused, join_token_participant
from .turn import ice_servers

MEETING_ROLES = (Role.EXPERT.value, Role.INTERPRETER.value, Role.ADVISOR.value)
#: The browser features of a meeting: camera, microphone, and sharing the screen (the expert's form).
MEDIA = {"camera": ["self"], "microphone": ["self"], "display_capture": ["self"]}


def _refusal_message(reason: str) -> str:
    return {
        "early": _("The meeting has not opened yet. Open the link again shortly before it begins."),
        "expired": _("The time of this meeting is over. The link no longer works."),
        "ended": _("This meeting has ended. The link no longer works."),
        "removed": _("You have been removed from this meeting. The link no longer works."),
    }.get(reason, _("This meeting link is not valid."))


def _script_strings() -> dict[str, str]:
    """The page script's messages in the page's language, by their English text."""
    return {
        "%(name)s: %(state)s": _("%(name)s: %(state)s"),
        "Camera off": _("Camera off"),
        "Camera on": _("Camera on"),
        "Connecting to the meeting…": _("Connecting to the meeting…"),
        "Connection: fair": _("Connection: fair"),
        "Connection: good": _("Connection: good"),
        "Connection: poor": _("Connection: poor"),
        "End the meeting for everyone?": _("End the meeting for everyone?"),
        "Let %(name)s in": _("Let %(name)s in"),
        "Microphone off": _("Microphone off"),
        "Microphone on": _("Microphone on"),
        "Please wait: the expert will let you in to the meeting soon.": _(
            "Please wait: the expert will let you in to the meeting soon."
        ),
        "Remove %(name)s": _("Remove %(name)s"),
        "Share screen": _("Share screen"),
        "Stop sharing the screen": _("Stop sharing the screen"),
        "You are sharing your screen: the others see it in place of your camera.": _(
            "You are sharing your screen: the others see it in place of your camera."
        ),
        "Screen sharing ended: the others see your camera again.": _(
            "Screen sharing ended: the others see your camera again."
        ),
        "The camera or the microphone cannot be used. Check the browser's permissions.": _(
            "The camera or the microphone cannot be used. Check the browser's permissions."
        ),
        "The connection to the meeting was lost. Trying again…": _(
            "The connection to the meeting was lost. Trying again…"
        ),
        "The meeting has ended.": _("The meeting has ended."),
        "This browser cannot share the screen.": _("This browser cannot share the screen."),
        "You are in the meeting.": _("You are in the meeting."),
        "The video server cannot be reached: the video goes directly between the browsers.": _(
            "The video server cannot be reached: the video goes directly between the browsers."
        ),
        "Document camera of %(name)s": _("Document camera of %(name)s"),
        "Enlarge the document camera": _("Enlarge the document camera"),
        "Camera %(number)s": _("Camera %(number)s"),
        "You have been removed from the meeting.": _("You have been removed from the meeting."),
        "in the meeting": _("in the meeting"),
        "left": _("left the meeting"),
        "not joined": _("not joined"),
        "removed": _("removed"),
        "waiting to be let in": _("waiting to be let in"),
    }


def _video_config(room: Room) -> dict[str, object]:
    """How the page's media travels: through the room's Janus (its browser address, the room's id and
    its pin: never the secret or the admin key), or browser to browser (``fallback`` when Janus failed)."""
    if room.through_janus:
        return {
            "route": "janus",
            "server": janus_browser_url(),
            "room": room.janus_room_id,
            "pin": room.janus_pin,
            "module": static("meetings/janus-media.js"),
        }
    return {"route": "mesh", "fallback": room.video_route == VideoRoute.FALLBACK}


def _client_config(participant: Participant, room: Room | None = None) -> dict[str, object]:
    """What the page's script needs: its socket, its ICE servers, its own role, its messages, and how
    its media travels."""
    room = room or participant.room
    return {
        "strings": _script_strings(),
        "socket": meeting_socket_path(participant.room_id),
        "iceServers": ice_servers(label=str(participant.pk)),
        "kind": participant.kind,
        "id": participant.pk,
        "video": _video_config(room),
    }


def _origin(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _meeting_csp(response: HttpResponse) -> HttpResponse:
    """The strict CSP, whose connect-src on a meeting page names our own origin (its WebSocket) and
    the Janus that browsers use (``JANUS_PUBLIC_URL``), and nothing else; other pages name only ours."""
    janus_origin = _origin(janus_browser_url()) if settings.JANUS_URL else ""
    if janus_origin:
        policy: dict[str, Any] = dict(settings.SECURE_CSP)
        connect: list[str] = list(policy.get("connect-src") or [CSP.SELF])
        policy["connect-src"] = [*connect, janus_origin]
        response._csp_config = policy  # type: ignore[attr-defined]  # read by Django's CSP middleware
    return response


@never_cache
@login_required
@require_GET
@permissions_policy(**MEDIA)
def meeting_room(request: HttpRequest, token: str) -> HttpResponse:
    """The meeting page of the person the join link was made for: who waits, admitting and removing
    (experts), ending (experts), the camera, the microphone, sharing the screen, chat and the
    connection's quality."""
    try:
        participant = join_token_participant(token=token)
    except JoinRefused as refused:
        if refused.reason == "invalid":
            raise Http404 from None
        return render(
            request, "meetings/refused.html", {"message": _refusal_message(refused.reason)}, status=410
        )
    if not selectors.participant_is_viewer(participant=participant, user=request.user, booth_device=None):
        raise PermissionDenied
    room = services.room_video_open(room=participant.room)
    return _meeting_csp(
        render(
            request,
            "meetings/room.html",
            {
                "room": room,
                "participant": participant,
                "is_expert": participant.kind == ParticipantKind.EXPERT,
                "token": token,
                "config": _client_config(participant, room),
                "video_fallback": room.video_route == VideoRoute.FALLBACK
                and participant.kind == ParticipantKind.EXPERT,
                "point_phone": room.point.phone,
                "documents_panel": documents_panel(participant=participant, token=token),
            },
        )
    )


@never_cache
@login_required
@require_GET
def meetings_today(request: HttpRequest) -> HttpResponse:
    """The signed-in expert's, interpreter's or advisor's meetings of today, with their join links."""
    if not user_scope(user=request.user).roles.intersection(MEETING_ROLES):
        raise PermissionDenied
    services.rooms_prepare(day=timezone.localdate(), user_id=request.user.pk)
    links = selectors.meetings_of_day(viewer=request.user)
    return render(request, "meetings/today.html", {"links": links})


def _booth_device(request: HttpRequest):  # type: ignore[no-untyped-def]
    return getattr(request, "booth_device", None)


@never_cache
@require_GET
@permissions_policy(**MEDIA)
def kiosk(request: HttpRequest) -> HttpResponse:
    """The booth's screen for meetings: the next meeting of today, joined by itself at its start; idle
    when there is none, looking again every MEETING_KIOSK_LOOK_AGAIN_SECONDS (a call now that an expert
    took, or a meeting booked meanwhile, opens within that time)."""
    device = _booth_device(request)
    if device is None:
        return redirect("accounts:booth_pair")
    services.rooms_prepare(day=timezone.localdate(), booth_id=device.booth_id)
    link = selectors.booth_next_meeting(booth_device=device)
    context: dict[str, object] = {
        "booth": device.booth,
        "point": device.booth.point,
        "link": link,
        "look_again_seconds": settings.MEETING_KIOSK_LOOK_AGAIN_SECONDS,
    }
    if link is not None:
        room = services.room_video_open(room=link.room)
        context["config"] = {
            **_client_config(link.participant, room),
            "token": link.token,
            "startsAt": link.room.starts.isoformat(),
            "feedback": reverse("meetings:kiosk_feedback", kwargs={"key": link.room.key}),
        }
        context["documents_panel"] = documents_panel(participant=link.participant, token=link.token)
    context["thanks"] = request.GET.get("thanks") == "1"
    return _meeting_csp(render(request, "meetings/kiosk.html", context))


def _meeting_transaction(room_key: str, device) -> Transaction | None:  # type: ignore[no-untyped-def]
    room = selectors.booth_room_access(booth_device=device, room_key=room_key)
    if room is None:
        raise Http404
    return Transaction.objects.filter(origin__startswith=f"meeting:{room.key}:").order_by("pk").first()


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk_feedback(request: HttpRequest, key: str) -> HttpResponse:
    """After a meeting, the booth asks the customer two questions (1–5, and whether it met the need)
    and stores the answer as the ledger's feedback of the meeting's transaction; then back to idle."""
    device = _booth_device(request)
    if device is None:
        return redirect("accounts:booth_pair")
    recorded = _meeting_transaction(key, device)
    if recorded is None:
        return redirect("meetings:kiosk")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Given already (pressed twice): thank them all the same.
        with contextlib.suppress(FeedbackRefused, ValidationError):
            feedback_submit(
                token=feedback_token_issue(transaction=recorded),
                rating=form.cleaned_data["rating"],
                met_need=form.cleaned_data["met_need"],
            )
        return redirect(f"{reverse('meetings:kiosk')}?thanks=1")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "meetings/kiosk_feedback.html",
        {"form": form, "idle_seconds": settings.MEETING_FEEDBACK_IDLE_SECONDS},
        status=status,
    )
