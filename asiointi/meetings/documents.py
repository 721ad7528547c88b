"""Documents in a meeting: the expert sends a PDF for the customer to print at the booth; the booth or
the advisor sends a scanned document or a photo to the expert. The writes and reads of
:class:`~asiointi.meetings.models.MeetingDocument`, and "call me by phone instead".

* The expert's documents are for printing at the booth: refused, with nothing stored, when the meeting's
  booth has no printer (``Booth.has_printer``); the booth's screen offers to print a PDF only when it has one.
* A file is accepted only when its content (its first bytes) shows a PDF, JPEG or PNG file, whatever
  its name or the browser say, and when it is at most ``MEETING_DOCUMENT_MAX_BYTES``; a refused file
  leaves nothing behind.
* A scan or a photo received by an agency's expert records one DocumentReceived transaction in the
  ledger (its origin is the document, so a retry counts once).
* Files live in a private folder (``MEETING_DOCUMENT_DIR``), are read only by the room's participants
  through their join link, and are removed with their rows after ``RETENTION_DAYS["meeting_documents"]``
  (a retention rule, run daily by the retention task of the accounts app).
* The room's other participants hear of a new document (and of the customer's choice to call by phone)
  after commit, on the room's panel group, which their page's listening socket joins
  (:mod:`asiointi.meetings.consumers`). The event names no file: the page asks for the list.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import unicodedata
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from asiointi.catalogue.models import Channel
from asiointi.core.events import event_publish
from asiointi.ledger.models import AstiType, TransactionSource
from asiointi.ledger.services import transaction_record
from asiointi.network.models import Agency

from .models import (
    DocumentType,
    MeetingDocument,
    Participant,
    ParticipantKind,
    ParticipantState,
    RoomState,
    document_storage,
)

logger = logging.getLogger(__name__)

#: Who sends documents: the expert (a PDF to print), the booth and the advisor (scans and photos).
SENDERS = (ParticipantKind.EXPERT, ParticipantKind.BOOTH, ParticipantKind.ADVISOR)
#: Whose documents are received by an agency (the ASTI type DocumentReceived).
RECEIVED_FROM = (ParticipantKind.BOOTH, ParticipantKind.ADVISOR)
EXTENSIONS = {DocumentType.PDF: "pdf", DocumentType.JPEG: "jpg", DocumentType.PNG: "png"}
#: How many first bytes show a file's type (filetype reads at most this many).
HEAD_BYTES = 262
MAX_NAME_LENGTH = 100


def panel_group(room_id: int) -> str:
    """The channel layer group of the pages' listening sockets of a room (documents, phone)."""
    return f"meetings.panel.{int(room_id)}"


def document_type_of(head: bytes) -> str | None:
    """The accepted type (a :class:`DocumentType` value) that the file's first bytes show, or None."""
    kind = filetype.guess(head)
    if kind is None or kind.mime not in DocumentType.values:
        return None
    return str(kind.mime)


def document_name_clean(name: str, content_type: str) -> str:
    """A name to show and to offer when saving: the sender's name without folders, control characters or
    characters that do not belong in a file name, shortened, with the extension of its real type."""
    base = os.path.basename((name or "").replace("\\", "/"))
    base = "".join(c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C")
    stem = os.path.splitext(base)[0].strip(" .")
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # a name of nothing or only dots
        stem = ""
    extension = EXTENSIONS[DocumentType(content_type)]
    stem = (stem or _("document"))[: MAX_NAME_LENGTH - len(extension) - 1]
    return f"{stem}.{extension}"


def document_agencies(*, room_id: int) -> list[Agency]:
    """The agencies whose experts take part in the room, in order of name."""
    ids = (
        Participant.objects.filter(room_id=room_id, kind=ParticipantKind.EXPERT, agency__isnull=False)
        .exclude(state=ParticipantState.REMOVED)
        .values_list("agency_id", flat=True)
    )
    return list(Agency.objects.filter(pk__in=set(ids)).order_by("name"))


def room_has_printer(*, room_id: int) -> bool:
    """Whether the booth taking part in the room has a printer (a room without a booth has none)."""
    return Participant.objects.filter(
        room_id=room_id, kind=ParticipantKind.BOOTH, booth__has_printer=True
    ).exists()


def no_printer_message() -> str:
    """Why the expert cannot send a document to print, in the user's language."""
    return _(
        "The booth of this meeting has no printer, so the document cannot be printed there. "
        "Give it to the customer in another way, for example by e-mail or by post."
    )


def _check_sender(participant: Participant) -> None:
    current = Participant.objects.select_related("room").get(pk=participant.pk)
    if current.kind not in SENDERS:
        raise ValidationError(_("Only the expert, the booth and the service advisor send documents."))
    if current.state == ParticipantState.REMOVED or current.room.state == RoomState.ENDED:
        raise ValidationError(_("The meeting has ended."))
    if current.kind == ParticipantKind.EXPERT and not room_has_printer(room_id=current.room_id):
        raise ValidationError(no_printer_message(), code="no_printer")


def _check_file(upload: UploadedFile) -> str:
    """The file's type by its content; ValidationError (in the user's language) when it is refused."""
    limit = settings.MEETING_DOCUMENT_MAX_BYTES
    if not upload.size:
        raise ValidationError(_("The file is empty. Choose the document again."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s). Send a file of at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    content_type = document_type_of(head)
    if content_type is None:
        raise ValidationError(
            _("This file is not a PDF document or a JPEG or PNG picture. Send a PDF, JPEG or PNG file."),
            code="type",
        )
    return content_type


def _receiving_agency(participant: Participant, agency_id: int | None) -> Agency | None:
    if participant.kind not in RECEIVED_FROM:
        return None
    agencies = document_agencies(room_id=participant.room_id)
    if agency_id is not None:
        chosen = next((a for a in agencies if a.pk == agency_id), None)
        if chosen is None:
            raise ValidationError(_("Choose an agency that takes part in this meeting."), code="agency")
        return chosen
    if len(agencies) > 1:
        raise ValidationError(_("Choose the agency that receives the document."), code="agency")
    return agencies[0] if agencies else None


def _language(participant: Participant) -> str:
    appointment = participant.room.appointment
    return appointment.language if appointment is not None else settings.LANGUAGE_CODE


def document_send(
    *,
    participant: Participant,
    upload: UploadedFile,
    agency_id: int | None = None,
    now: dt.datetime | None = None,
) -> MeetingDocument:
    """``participant`` sends ``upload`` to the others in the meeting. Raises ValidationError, with
    nothing stored, for a sender that may not send (an expert whose meeting's booth has no printer:
    code ``no_printer``), a file of another type (by its content), an empty
    or too large file, or (from the booth or the advisor in a meeting of several agencies) no or a
    wrong receiving agency. A scan or photo received by an agency records one DocumentReceived
    transaction; the others in the room hear of the document after commit."""
    now = now or timezone.now()
    _check_sender(participant)
    content_type = _check_file(upload)
    agency = _receiving_agency(participant, agency_id)
    room = participant.room
    document = MeetingDocument(
        room=room,
        sender=participant,
        agency=agency,
        name=document_name_clean(upload.name or "", content_type),
        content_type=content_type,
        size=upload.size or 0,
        created_at=now,
    )
    try:
        with transaction.atomic():
            document.file.save("document", upload, save=False)
            document.save(force_insert=True)
            if agency is not None:
                transaction_record(
                    point=room.point,
                    agency=agency,
                    asti_type=AstiType.DOCUMENT_RECEIVED,
                    channel=Channel.REMOTE_MEETING,
                    occurred_at=now,
                    duration_seconds=0,
                    language=_language(participant),
                    source=TransactionSource.MEETING,
                    origin=f"meeting-document:{document.key}",
                )
            event_publish(
                group=panel_group(room.pk), payload={"kind": "document_added", "sender": participant.pk}
            )
    except BaseException:
        if document.file.name:
            document.file.storage.delete(document.file.name)
        raise
    return document


def phone_choose(*, participant: Participant) -> None:
    """The customer at the booth (or a participant for them) chose to go on by phone: the others in
    the meeting are told at once (nothing is stored)."""
    event_publish(
        group=panel_group(participant.room_id),
        payload={"kind": "phone_chosen", "sender": participant.pk, "name": participant.display_name},
    )


def documents_remove_expired(*, before: dt.datetime) -> int:
    """Remove the documents sent before ``before``: their rows, then (once that commits) their files;
    how many. The retention rule of ``RETENTION_DAYS["meeting_documents"]`` (registered in this app's
    config, run daily by the retention task). Idempotent."""
    expired = MeetingDocument.objects.filter(created_at__lt=before)
    names = [name for name in expired.values_list("file", flat=True) if name]
    removed = expired.delete()[0]
    storage = document_storage()

    def remove_files() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(remove_files)
    return removed


# --- reads ---------------------------------------------------------------------------------------------


def documents_of_room(*, participant: Participant) -> QuerySet[MeetingDocument]:
    """The documents of ``participant``'s room, newest first (a participant reads only their own room's)."""
    return (
        MeetingDocument.objects.filter(room_id=participant.room_id)
        .select_related("sender", "agency")
        .order_by("-created_at", "-pk")
    )


def document_access(*, participant: Participant, key: str) -> MeetingDocument | None:
    """The document ``key`` when it is of ``participant``'s room; None otherwise (as if it did not exist)."""
    return documents_of_room(participant=participant).filter(key=key).first()


@dataclass(frozen=True)
class AgencyPhone:
    name: str
    phone: str


def agency_phones(*, room_id: int) -> list[AgencyPhone]:
    """The phone numbers of the agencies taking part in the room (each agency once, with a number)."""
    return [AgencyPhone(name=str(a), phone=a.phone) for a in document_agencies(room_id=room_id) if a.phone]
