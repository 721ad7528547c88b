"""Documents in a meeting: checked by content and size (a refusal stores nothing), visible only to the
room's participants, every opening audited, a received scan recorded once in the ledger, removed after
the retention period, and announced to the others in the meeting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asiointi.accounts.models import AuditAction, AuditEvent
from asiointi.accounts.retention import retention_apply
from asiointi.accounts.testing import login_booth_device, login_staff
from asiointi.ledger.models import AstiType, Transaction
from asiointi.meetings import documents
from asiointi.meetings.models import MeetingDocument, Participant
from asiointi.meetings.routing import meeting_socket_path
from asiointi.meetings.tokens import join_token_issue
from asiointi.websocket_testing import socket_communicator

from .conftest import BOOKED_AT, STARTS, Meeting, _meeting, move_to_now

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 60
HTML = b"<!DOCTYPE html><html><script>alert(1)</script></html>"


@pytest.fixture(autouse=True)
def private_folder(settings: Any, tmp_path: Path) -> Path:
    settings.MEETING_DOCUMENT_DIR = tmp_path / "meeting-documents"
    settings.MEETING_DOCUMENT_MAX_BYTES = 1024
    return settings.MEETING_DOCUMENT_DIR


@pytest.fixture
def now_meeting(meeting: Meeting) -> Meeting:
    move_to_now(meeting)
    return meeting


def client_of(participant: Participant) -> Client:
    client = Client()
    if participant.booth_id is not None:
        login_booth_device(client, participant.booth)
    else:
        login_staff(client, participant.user)
    return client


def documents_url(participant: Participant) -> str:
    return reverse("meetings:documents", kwargs={"token": join_token_issue(participant=participant)})


def document_url(participant: Participant, document: MeetingDocument) -> str:
    token = join_token_issue(participant=participant)
    return reverse("meetings:document", kwargs={"token": token, "key": document.key})


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def send(meeting: Meeting, participant: Participant, content: bytes = PDF, **data: Any) -> Any:
    return client_of(participant).post(
        documents_url(participant), {"file": upload(data.pop("name", "scan.pdf"), content), **data}
    )


# --- the type by content, and the size ---------------------------------------------------------------


@pytest.mark.parametrize("content", [PDF, PNG, JPEG])
def test_document_type_of__accepted_files__by_their_first_bytes(content: bytes) -> None:
    assert documents.document_type_of(content) in ("application/pdf", "image/png", "image/jpeg")


@pytest.mark.parametrize(
    ("name", "content"),
    [("lomake.pdf", EXECUTABLE), ("lomake.pdf", HTML), ("kuva.png", b"GIF89a" + b"\x00" * 20)],
)
def test_document_send__wrong_type_named_as_accepted__refused_and_nothing_stored(
    now_meeting: Meeting, private_folder: Path, name: str, content: bytes
) -> None:
    response = send(now_meeting, now_meeting.kela, content, name=name)

    assert response.status_code == 400
    assert "not a PDF document or a JPEG or PNG picture" in response.content.decode() or (
        "ei ole PDF" in response.content.decode()
    )
    assert not MeetingDocument.objects.exists()
    assert stored_files(private_folder) == []


def test_document_send__over_the_size_limit__refused_with_the_limit_and_nothing_stored(
    now_meeting: Meeting, private_folder: Path
) -> None:
    response = send(now_meeting, now_meeting.kela, PDF + b"0" * 2000)

    assert response.status_code == 400
    assert "1,0" in response.content.decode()  # the limit, 1.0 KB, in Finnish
    assert not MeetingDocument.objects.exists()
    assert stored_files(private_folder) == []


def test_document_send__by_expert__stored_privately_with_clean_name_and_detected_type(
    now_meeting: Meeting, private_folder: Path
) -> None:
    response = send(now_meeting, now_meeting.kela, PDF, name="../../etc/Hakemus\x00 lomake.exe")

    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert document.name == "Hakemus_lomake.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF)
    assert [p.read_bytes() for p in stored_files(private_folder)] == [PDF]
    # The expert's own document is no document received by an agency.
    assert not Transaction.objects.filter(asti_type=AstiType.DOCUMENT_RECEIVED).exists()


def test_document_send__by_expert_when_the_booth_has_no_printer__refused_and_nothing_stored(
    db: None, private_folder: Path
) -> None:
    no_printer = _meeting(start=STARTS, booked_at=BOOKED_AT, printer=False)
    move_to_now(no_printer)

    response = send(no_printer, no_printer.kela, PDF, name="ohje.pdf")

    assert response.status_code == 400
    assert "ei ole tulostinta, joten asiakirjaa ei voi tulostaa siellä" in response.content.decode()
    assert not MeetingDocument.objects.exists()
    assert stored_files(private_folder) == []
    # The booth's scans still reach the expert.
    assert (
        send(
            no_printer, no_printer.booth, JPEG, name="passi.jpg", agency=no_printer.kela.agency_id
        ).status_code
        == 302
    )


def test_meeting_pages__booth_without_printer__expert_not_offered_print_and_kiosk_does_not_print(
    db: None,
) -> None:
    no_printer = _meeting(start=STARTS, booked_at=BOOKED_AT, printer=False)
    move_to_now(no_printer)
    token = join_token_issue(participant=no_printer.kela)
    expert_page = (
        client_of(no_printer.kela).get(reverse("meetings:room", kwargs={"token": token})).content.decode()
    )
    # A PDF in the meeting (stored before the printer was taken away): the booth opens it, is not offered to print.
    MeetingDocument.objects.create(
        room=no_printer.room, sender=no_printer.kela, name="ohje.pdf", content_type="application/pdf", size=1
    )
    kiosk = client_of(no_printer.booth).get(reverse("meetings:kiosk")).content.decode()

    assert 'id="meeting-documents-form"' not in expert_page
    assert 'id="meeting-documents-no-printer"' in expert_page
    assert "ohje.pdf" in kiosk
    assert "Tulosta ohje.pdf" not in kiosk


def test_kiosk__booth_with_printer__offers_to_print_the_experts_pdf(now_meeting: Meeting) -> None:
    documents.document_send(participant=now_meeting.kela, upload=upload("ohje.pdf", PDF))

    kiosk = client_of(now_meeting.booth).get(reverse("meetings:kiosk")).content.decode()

    assert "Tulosta ohje.pdf" in kiosk


def test_document_send__by_interpreter__refused(now_meeting: Meeting) -> None:
    response = send(now_meeting, now_meeting.interpreter, PDF)

    assert response.status_code == 403
    assert not MeetingDocument.objects.exists()


# --- DocumentReceived in the ledger ------------------------------------------------------------------


def test_document_send__scan_from_booth__records_one_document_received_for_the_chosen_agency(
    now_meeting: Meeting,
) -> None:
    response = send(now_meeting, now_meeting.booth, JPEG, name="passi.jpg", agency=now_meeting.tax.agency_id)

    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    recorded = Transaction.objects.get(asti_type=AstiType.DOCUMENT_RECEIVED)
    assert recorded.agency_id == now_meeting.tax.agency_id
    assert recorded.point_id == now_meeting.room.point_id
    assert recorded.origin == f"meeting-document:{document.key}"


def test_document_send__from_booth_in_meeting_of_two_agencies__asks_which_agency(
    now_meeting: Meeting, private_folder: Path
) -> None:
    response = send(now_meeting, now_meeting.booth, JPEG, name="passi.jpg")

    assert response.status_code == 400
    assert not MeetingDocument.objects.exists()
    assert not Transaction.objects.exists()
    assert stored_files(private_folder) == []


def test_transaction_record__retry_of_same_document__counts_once(now_meeting: Meeting) -> None:
    document = documents.document_send(
        participant=now_meeting.booth,
        upload=upload("scan.png", PNG, "image/png"),
        agency_id=now_meeting.kela.agency_id,
    )
    from asiointi.ledger.services import transaction_record

    again = transaction_record(
        point=now_meeting.room.point,
        agency=now_meeting.kela.agency,
        asti_type=AstiType.DOCUMENT_RECEIVED,
        channel="remote_meeting",
        occurred_at=document.created_at,
        duration_seconds=0,
        language="fi",
        source="meeting",
        origin=f"meeting-document:{document.key}",
    )
    assert Transaction.objects.filter(asti_type=AstiType.DOCUMENT_RECEIVED).count() == 1
    assert again.origin == f"meeting-document:{document.key}"


# --- who sees them -----------------------------------------------------------------------------------


@pytest.fixture
def sent(now_meeting: Meeting) -> MeetingDocument:
    return documents.document_send(participant=now_meeting.kela, upload=upload("ohje.pdf", PDF))


def test_document__participants_list_and_open_it__each_opening_audited(
    now_meeting: Meeting, sent: MeetingDocument
) -> None:
    for participant in (now_meeting.booth, now_meeting.tax, now_meeting.interpreter):
        client = client_of(participant)
        listing = client.get(documents_url(participant))
        assert listing.status_code == 200
        assert "ohje.pdf" in listing.content.decode()
        before = AuditEvent.objects.count()
        response = client.get(document_url(participant, sent))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert "default-src 'none'" in response["Content-Security-Policy"]
        assert response["Cache-Control"].startswith("max-age=0")
        audit = AuditEvent.objects.order_by("-pk")
        assert AuditEvent.objects.count() == before + 1
        assert audit[0].action == AuditAction.PERSONAL_DATA_VIEWED
        assert audit[0].target_id == str(sent.pk)


def test_document__participant_of_another_meeting__cannot_list_or_open_it(
    now_meeting: Meeting, sent: MeetingDocument
) -> None:
    other = _meeting(start=STARTS + dt.timedelta(days=1), booked_at=STARTS - dt.timedelta(hours=3))
    move_to_now(other)
    client = client_of(other.kela)

    listing = client.get(documents_url(other.kela))
    assert "ohje.pdf" not in listing.content.decode()
    # Their own link with this meeting's document: as if it did not exist.
    assert client.get(document_url(other.kela, sent)).status_code == 404
    # This meeting's link is not theirs.
    assert client.get(document_url(now_meeting.kela, sent)).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).exists()


def test_document__non_participant__refused(now_meeting: Meeting, sent: MeetingDocument) -> None:
    assert Client().get(document_url(now_meeting.kela, sent)).status_code == 302  # to sign in
    tampered = reverse("meetings:document", kwargs={"token": "forged:token", "key": sent.key})
    assert client_of(now_meeting.kela).get(tampered).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.PERSONAL_DATA_VIEWED).exists()


def test_document__after_the_meeting_ended__cannot_be_opened(meeting: Meeting, private_folder: Path) -> None:
    move_to_now(meeting, minutes_from_now=-60)
    document = MeetingDocument.objects.create(
        room=meeting.room, sender=meeting.kela, name="a.pdf", content_type="application/pdf", size=1
    )
    assert client_of(meeting.kela).get(document_url(meeting.kela, document)).status_code == 410


# --- retention ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_retention_apply__removes_file_and_row_after_the_period_not_before(
    settings: Any, private_folder: Path
) -> None:
    meeting = _meeting(start=STARTS, booked_at=BOOKED_AT)
    move_to_now(meeting)
    settings.RETENTION_DAYS = {**settings.RETENTION_DAYS, "meeting_documents": 2}
    sent_at = timezone.now()
    documents.document_send(participant=meeting.kela, upload=upload("ohje.pdf", PDF), now=sent_at)

    def removed(now: dt.datetime) -> int:
        return next(r.anonymised for r in retention_apply(now=now) if r.kind == "meeting_documents")

    assert removed(sent_at + dt.timedelta(days=2) - dt.timedelta(minutes=1)) == 0
    assert MeetingDocument.objects.count() == 1
    assert len(stored_files(private_folder)) == 1

    assert removed(sent_at + dt.timedelta(days=2, minutes=1)) == 1
    assert not MeetingDocument.objects.exists()
    assert stored_files(private_folder) == []
    assert removed(sent_at + dt.timedelta(days=3)) == 0


# --- "call me by phone instead" on the booth's screen -------------------------------------------------


def test_kiosk__booth_sees_each_agencys_phone_number(now_meeting: Meeting) -> None:
    for number, participant in (("029 497 000", now_meeting.tax), ("020 692 222", now_meeting.kela)):
        participant.agency.phone = number
        participant.agency.save(update_fields=["phone"])

    page = client_of(now_meeting.booth).get(reverse("meetings:kiosk")).content.decode()

    assert 'href="tel:029497000"' in page
    assert 'href="tel:020692222"' in page
    assert 'id="meeting-phone-form"' in page


def test_meeting_room__expert_page__has_documents_panel_without_phone_button(now_meeting: Meeting) -> None:
    token = join_token_issue(participant=now_meeting.kela)
    page = client_of(now_meeting.kela).get(reverse("meetings:room", kwargs={"token": token})).content.decode()

    assert 'id="meeting-documents-form"' in page
    assert 'id="meeting-documents-no-printer"' not in page
    assert 'id="meeting-phone-form"' not in page


# --- live: the others hear of it ---------------------------------------------------------------------


def _listening(participant: Participant) -> Any:
    return socket_communicator(
        meeting_socket_path(participant.room_id),
        client=client_of(participant),
        query=f"join={join_token_issue(participant=participant)}&watch=1",
    )


@pytest.mark.django_db(transaction=True)
def test_socket__document_sent_by_expert__booth_is_told_and_expert_gets_phone_choice(
    private_folder: Path,
) -> None:
    meeting = _meeting(start=STARTS, booked_at=BOOKED_AT)
    move_to_now(meeting)
    for number, participant in (("029 497 000", meeting.tax), ("020 692 222", meeting.kela)):
        participant.agency.phone = number
        participant.agency.save(update_fields=["phone"])

    booth_ws, expert_ws = _listening(meeting.booth), _listening(meeting.kela)
    booth_client = client_of(meeting.booth)
    phone_url = reverse("meetings:phone", kwargs={"token": join_token_issue(participant=meeting.booth)})

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], bool]:
        assert (await booth_ws.connect())[0]
        assert (await expert_ws.connect())[0]
        from channels.db import database_sync_to_async

        await database_sync_to_async(send)(meeting, meeting.kela, PDF)
        told = await booth_ws.receive_json_from(timeout=5)
        await expert_ws.receive_json_from(timeout=5)  # their own, which the page leaves out
        response = await database_sync_to_async(booth_client.post)(phone_url)
        assert response.status_code == 302
        phone = await expert_ws.receive_json_from(timeout=5)
        await booth_ws.receive_json_from(timeout=5)  # its own choice, which the page leaves out
        # A listening socket takes no message.
        await booth_ws.send_json_to({"type": "chat", "text": "hei"})
        refused = await booth_ws.receive_json_from(timeout=5)
        await booth_ws.disconnect()
        await expert_ws.disconnect()
        return told, phone, refused["type"] == "error"

    told, phone, refused = async_to_sync(scenario)()

    assert told == {"type": "document_added", "kind": "document_added", "sender": meeting.kela.pk}
    assert phone["type"] == "phone_chosen"
    assert phone["sender"] == meeting.booth.pk
    assert refused
    # Listening does not join the meeting: the booth is still only invited.
    meeting.booth.refresh_from_db()
    assert meeting.booth.state == "invited"
