"""Video rooms: one per remote appointment (or per on-demand call of the desk), and the people and the
booth screen taking part in each.

A room's whole state lives here, in the database, never in one process's memory: every web worker
that holds a participant's WebSocket reads it from here, so the participants of one meeting may be
connected to different processes (with Redis carrying the signalling between them)."""

from __future__ import annotations

import os
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, Booth, ServicePoint
from asiointi.scheduling.models import Appointment


class RoomState(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    OPEN = "open", _("open")
    ENDED = "ended", _("ended")


class VideoRoute(models.TextChoices):
    """How a room's media travels: not decided yet (the room's first page decides), through the Janus
    room, or browser to browser, either as planned (no ``JANUS_URL``) or because Janus failed."""

    UNDECIDED = "", _("not decided")
    JANUS = "janus", _("through the video server")
    MESH = "mesh", _("browser to browser")
    FALLBACK = "fallback", _("browser to browser, the video server failed")


class Room(models.Model):
    """The video room of one appointment (``appointment`` empty for an on-demand call). It opens when
    an expert first admits the customer's booth (``started_at``) and ends once (``ended_at``); a room
    that ended without ever opening is a no-show."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="room",
        verbose_name=_("appointment"),
    )
    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="+", verbose_name=_("service point")
    )
    starts = models.DateTimeField(_("starts"))
    ends = models.DateTimeField(_("ends"))
    state = models.CharField(
        _("state"), max_length=20, choices=RoomState.choices, default=RoomState.SCHEDULED
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The room's Janus videoroom while it exists (docs/video.md): its id, the secret that manages it
    # (never shown to a browser) and the pin that joins it (shown only to this room's participants).
    # Emptied once Janus has destroyed it.
    video_route = models.CharField(
        _("video route"), max_length=20, choices=VideoRoute.choices, default=VideoRoute.UNDECIDED, blank=True
    )
    janus_room_id = models.BigIntegerField(_("Janus room"), null=True, blank=True)
    janus_secret = models.CharField(_("Janus room secret"), max_length=64, blank=True)
    janus_pin = models.CharField(_("Janus room pin"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("video room")
        verbose_name_plural = _("video rooms")
        constraints = [
            models.CheckConstraint(condition=Q(ends__gt=models.F("starts")), name="room_ends_after_start"),
        ]
        indexes = [models.Index(fields=["state", "ends"], name="room_state_end_idx")]

    def __str__(self) -> str:
        return f"{self.point} {self.starts:%Y-%m-%d %H:%M}"

    @property
    def never_started(self) -> bool:
        return self.started_at is None

    @property
    def through_janus(self) -> bool:
        return self.video_route == VideoRoute.JANUS and self.janus_room_id is not None


class ParticipantKind(models.TextChoices):
    BOOTH = "booth", _("booth")
    EXPERT = "expert", _("expert")
    INTERPRETER = "interpreter", _("interpreter")
    ADVISOR = "advisor", _("service advisor")


class ParticipantState(models.TextChoices):
    INVITED = "invited", _("invited")
    WAITING = "waiting", _("waiting")
    ADMITTED = "admitted", _("admitted")
    REMOVED = "removed", _("removed")
    LEFT = "left", _("left")


#: The kinds that are in the meeting as soon as they join; the others wait until an expert admits them.
ADMITTED_ON_JOIN = (ParticipantKind.EXPERT, ParticipantKind.INTERPRETER)


class Participant(models.Model):
    """One person (a user) or the booth's screen (its booth's device) in a room, with a personal join
    link. A removed participant's link no longer works."""

    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="participants", verbose_name=_("room")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ParticipantKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    booth = models.ForeignKey(
        Booth, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("booth")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    display_name = models.CharField(_("name shown"), max_length=200, validators=[single_line_text])
    state = models.CharField(
        _("state"), max_length=20, choices=ParticipantState.choices, default=ParticipantState.INVITED
    )
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    admitted_at = models.DateTimeField(_("admitted at"), null=True, blank=True)
    left_at = models.DateTimeField(_("left at"), null=True, blank=True)

    class Meta:
        ordering = ["room", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=ParticipantKind.BOOTH) & Q(booth__isnull=False, user__isnull=True))
                | (~Q(kind=ParticipantKind.BOOTH) & Q(booth__isnull=True, user__isnull=False)),
                name="participant_booth_or_user",
            ),
            models.CheckConstraint(
                condition=~Q(kind=ParticipantKind.EXPERT) | Q(agency__isnull=False),
                name="participant_expert_has_agency",
            ),
            models.UniqueConstraint(
                fields=["room", "user"], condition=Q(user__isnull=False), name="participant_unique_user"
            ),
            models.UniqueConstraint(
                fields=["room", "booth"], condition=Q(booth__isnull=False), name="participant_unique_booth"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_admitted(self) -> bool:
        return self.state == ParticipantState.ADMITTED


# --- documents sent in a meeting (asiointi/meetings/documents.py) --------------------------------------


class PrivateDocumentStorage(FileSystemStorage):
    """The folder of the meetings' documents (``MEETING_DOCUMENT_DIR``), read from the settings each
    time. It has no URL: a document is opened only through the view that checks its reader."""

    def __init__(self) -> None:
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.MEETING_DOCUMENT_DIR)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Meeting documents have no public address.")


_document_storage = PrivateDocumentStorage()


def document_storage() -> PrivateDocumentStorage:
    return _document_storage


def _document_path(instance: MeetingDocument, filename: str) -> str:
    # Never the sender's file name on disk: a random name, in a folder of the room.
    return f"{instance.room.key.hex}/{instance.key.hex}"


class DocumentType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    JPEG = "image/jpeg", "JPEG"
    PNG = "image/png", "PNG"


class MeetingDocument(models.Model):
    """A file that a participant sent to the others in a meeting: a PDF for the customer to print at
    the booth, or a scanned document or a photo for the expert. Its type is the one its content shows.
    Kept for ``RETENTION_DAYS["meeting_documents"]`` days, then the file and the row are removed."""

    key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="documents", verbose_name=_("room"))
    sender = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="+", verbose_name=_("sent by")
    )
    #: The agency that received it (a scan or a photo for its expert); empty for the expert's own.
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    name = models.CharField(_("file name"), max_length=120, validators=[single_line_text])
    content_type = models.CharField(_("type"), max_length=40, choices=DocumentType.choices)
    size = models.PositiveIntegerField(_("size in bytes"))
    file = models.FileField(_("file"), storage=document_storage, upload_to=_document_path, max_length=200)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["room", "created_at", "pk"]
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")

    def __str__(self) -> str:
        return self.name

    @property
    def is_pdf(self) -> bool:
        return self.content_type == DocumentType.PDF
