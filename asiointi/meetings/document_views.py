"""The documents of a meeting and "call me by phone instead", by the participant's personal join link
(the same link as the meeting page; the booth's screen uses the link of its kiosk).

Who (asiointi/accounts/access.py): the participant the link was made for, a person signed in as
themself or the booth's paired screen. Another person's link is 403 (a booth's screen is sent back to
its screen), a forged link 404, an expired one 410; a document of another room is 404. Every opening of
a document is written to the personal-data audit log."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from asiointi.accounts.models import AuditAction
from asiointi.accounts.services import audit_record
from asiointi.core.htmx import htmx_render, htmx_wants_fragment

from . import documents, selectors
from .forms import DocumentForm
from .models import Participant, ParticipantKind
from .routing import meeting_socket_path
from .tokens import JoinRefused, join_token_participant


class _Refused(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _participant(request: HttpRequest, token: str) -> Participant:
    """The participant of ``token`` when the viewer is them; otherwise raises (see the module)."""
    device = getattr(request, "booth_device", None)
    if device is None and not request.user.is_authenticated:
        raise _Refused(redirect_to_login(request.get_full_path()))
    try:
        participant = join_token_participant(token=token)
    except JoinRefused as refused:
        if refused.reason == "invalid":
            raise Http404 from None
        message = _("The time of this meeting is over. Its documents can no longer be opened.")
        raise _Refused(render(request, "meetings/refused.html", {"message": message}, status=410)) from None
    if not selectors.participant_is_viewer(participant=participant, user=request.user, booth_device=device):
        if device is not None:
            raise _Refused(redirect("accounts:booth_screen"))
        raise PermissionDenied
    return participant


def _form(participant: Participant, request: HttpRequest | None = None) -> DocumentForm:
    ask_agency = participant.kind in documents.RECEIVED_FROM
    if request is None:
        return DocumentForm(room_id=participant.room_id, ask_agency=ask_agency)
    return DocumentForm(request.POST, request.FILES, room_id=participant.room_id, ask_agency=ask_agency)


def meeting_page(participant: Participant, token: str) -> str:
    """The meeting's own page of the participant: the booth's kiosk, or the person's meeting page."""
    if participant.kind == ParticipantKind.BOOTH:
        return reverse("meetings:kiosk")
    return reverse("meetings:room", kwargs={"token": token})


def documents_panel(*, participant: Participant, token: str, form: DocumentForm | None = None) -> dict:
    """What the documents panel (meetings/includes/documents.html) shows to ``participant``. An expert
    sends documents to print at the booth: without a printer there, the panel says so instead of
    offering the form (unless it shows a refused form's error); the booth's screen offers to print a
    PDF only when it has a printer."""
    has_printer = documents.room_has_printer(room_id=participant.room_id)
    is_expert = participant.kind == ParticipantKind.EXPERT
    refused = form is not None and bool(form.errors)
    return {
        "participant": participant,
        "token": token,
        "documents": list(documents.documents_of_room(participant=participant)),
        "form": form or _form(participant),
        "can_send": participant.kind in documents.SENDERS and (has_printer or not is_expert or refused),
        "no_printer": is_expert and not has_printer,
        "booth_prints": participant.kind == ParticipantKind.BOOTH and has_printer,
        "is_booth": participant.kind == ParticipantKind.BOOTH,
        "phones": documents.agency_phones(room_id=participant.room_id),
        "config": {
            "socket": meeting_socket_path(participant.room_id),
            "token": token,
            "me": participant.pk,
            "list": reverse("meetings:documents", kwargs={"token": token}),
            "strings": {
                "new": _("A new document has arrived: %(name)s"),
                "sent": _("The document was sent."),
                "sending": _("Sending the document…"),
                "failed": _("The document could not be sent. Check the connection and try again."),
                "phone": _("The customer chose to call by phone instead: %(name)s."),
                "phoneShown": _("Call this number. The expert has been told that you will call."),
            },
        },
        "meeting_page": meeting_page(participant, token),
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_documents(request: HttpRequest, token: str) -> HttpResponse:
    """The meeting's documents (the list, or only the list when the panel's script asks) and sending
    one (a normal form POST; the panel's script sends the same form)."""
    try:
        participant = _participant(request, token)
    except _Refused as refused:
        return refused.response
    form = None
    status = 200
    if request.method == "POST":
        if participant.kind not in documents.SENDERS:
            raise PermissionDenied
        form = _form(participant, request)
        if form.is_valid():
            try:
                documents.document_send(
                    participant=participant,
                    upload=form.cleaned_data["file"],
                    agency_id=form.cleaned_data["agency"].pk if form.cleaned_data.get("agency") else None,
                )
            except ValidationError as error:
                form.add_error("agency" if error.code == "agency" else "file", error)
        if form.is_valid():
            if not htmx_wants_fragment(request):
                return redirect(f"{reverse('meetings:documents', kwargs={'token': token})}?sent=1")
            form = None
        else:
            status = 400
    panel = documents_panel(participant=participant, token=token, form=form)
    panel["sent"] = request.GET.get("sent") == "1"
    return htmx_render(
        request, "meetings/documents.html", {"panel": panel}, partial="documents-panel", status=status
    )


#: A document's own policy: nothing but the file itself, which the browser's PDF viewer (a plugin, which
#: the site's ``object-src 'none'`` would refuse) may show.
DOCUMENT_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "object-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}


@never_cache
@require_GET
@csp_override(DOCUMENT_CSP)
def meeting_document(request: HttpRequest, token: str, key: str) -> HttpResponseBase:
    """One document of the participant's room, opened in the browser (a PDF to print, a picture), or
    saved with ``?download=1``. Each opening is written to the audit log."""
    try:
        participant = _participant(request, token)
    except _Refused as refused:
        return refused.response
    document = documents.document_access(participant=participant, key=str(key))
    if document is None:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    audit_record(
        action=AuditAction.PERSONAL_DATA_VIEWED,
        request=request,
        target=document,
        summary=f"Meeting document opened by participant {participant.pk} ({participant.kind}) "
        f"of room {participant.room_id}",
    )
    response = FileResponse(
        handle,
        as_attachment=request.GET.get("download") == "1",
        filename=document.name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_POST
def meeting_phone(request: HttpRequest, token: str) -> HttpResponse:
    """ "Call me by phone instead": the others in the meeting are told; back to the meeting's page,
    which then shows the agencies' numbers."""
    try:
        participant = _participant(request, token)
    except _Refused as refused:
        return refused.response
    documents.phone_choose(participant=participant)
    return redirect(f"{meeting_page(participant, token)}?phone=1#meeting-phone")
