"""Compensation agreements and monthly statements: arithmetic on hand-computed examples, the lock of
an approved statement, corrections as adjustment lines, exports, scope and bad input."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.db import transaction as db_transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel
from asiointi.factories import TransactionFactory
from asiointi.ledger.exports import statement_csv, statement_xlsx
from asiointi.ledger.models import (
    Agreement,
    AgreementPrice,
    LineKind,
    Statement,
    StatementStatus,
    Transaction,
)
from asiointi.ledger.selectors import statement_figures
from asiointi.ledger.services import (
    PriceData,
    agreement_create,
    statement_approve,
    statement_draft,
    statement_draft_month,
    statement_send,
    transaction_reverse,
)
from asiointi.network.models import Agency, ServicePoint

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
MARCH = dt.date(2025, 3, 1)
BASE = {
    "base_rent": Decimal("12000.00"),
    "base_telecommunications": Decimal("1800.00"),
    "base_equipment": Decimal("3600.00"),
    "base_electricity": Decimal("1250.00"),
    "base_training": Decimal("1500.00"),
}  # 20,150.00 a year
PRICES = [
    PriceData("OnsiteGuidance", Decimal("12.50")),
    PriceData("RemoteGuidance", Decimal("8.00")),
    PriceData("RemoteGuidance", Decimal("10.00"), channel=Channel.REMOTE_MEETING),
]


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=HELSINKI)


def _record(
    point: ServicePoint,
    agency: Agency,
    when: dt.datetime,
    asti_type: str = "OnsiteGuidance",
    channel: str = Channel.ADVISOR_GUIDANCE,
    times: int = 1,
) -> list[Transaction]:
    return [
        TransactionFactory.create(
            point=point, agency=agency, occurred_at=when, asti_type=asti_type, channel=channel
        )
        for _ in range(times)
    ]


def _amounts(statement: Statement) -> list[tuple[str, str, str, int, Decimal, Decimal]]:
    return [
        (
            line.kind,
            line.asti_type,
            line.channel,
            line.quantity if line.kind != "base" else line.days or 0,
            line.unit_price.normalize() if line.kind != "base" else Decimal(0),
            line.amount,
        )
        for line in statement.lines.order_by("position")
    ]


def _previous_month() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


@pytest.fixture
def agreement(point_a: ServicePoint, kela: Agency) -> Agreement:
    return agreement_create(
        point=point_a,
        agency=kela,
        valid_from=dt.date(2020, 1, 1),
        agency_share=Decimal("0.25"),
        prices=PRICES,
        **BASE,
    )


# --- arithmetic -------------------------------------------------------------------------------------


def test_statement_draft__a_month__counts_by_type_and_channel_times_price_plus_base_share(
    point_a: ServicePoint, point_b: ServicePoint, kela: Agency, agreement: Agreement
) -> None:
    _record(point_a, kela, _at(dt.date(2025, 3, 3)), times=3)
    _record(point_a, kela, _at(dt.date(2025, 3, 4)), channel=Channel.VISITING_OFFICIAL)
    _record(point_a, kela, _at(dt.date(2025, 3, 5)), "RemoteGuidance", Channel.REMOTE_MEETING, times=2)
    _record(point_a, kela, _at(dt.date(2025, 3, 31), 23, 59), "RemoteGuidance", Channel.CALLBACK)
    _record(point_a, kela, _at(dt.date(2025, 3, 6)), "DocumentReceived")  # no price: 0.00
    _record(point_a, kela, _at(dt.date(2025, 2, 28), 23, 59))  # February
    _record(point_a, kela, _at(dt.date(2025, 4, 1), 0, 0))  # April
    _record(point_b, kela, _at(dt.date(2025, 3, 3)))  # another point

    statement = statement_draft(point=point_a, agency=kela, month=dt.date(2025, 3, 17))

    # Base: 20,150.00 x 0.25 x 31 / 365 = 427.8424... -> 427.84
    assert _amounts(statement) == [
        ("base", "", "", 31, Decimal(0), Decimal("427.84")),
        ("transactions", "DocumentReceived", "", 1, Decimal(0), Decimal("0.00")),
        ("transactions", "OnsiteGuidance", "", 4, Decimal("12.5"), Decimal("50.00")),
        ("transactions", "RemoteGuidance", "", 1, Decimal("8"), Decimal("8.00")),
        ("transactions", "RemoteGuidance", "remote_meeting", 2, Decimal("10"), Decimal("20.00")),
    ]
    assert statement.total == Decimal("505.84")
    assert statement.month == MARCH and statement.status == StatementStatus.DRAFT


def test_statement_draft__agreement_changes_mid_month__splits_base_and_prices_by_days(
    point_a: ServicePoint, kela: Agency
) -> None:
    agreement_create(
        point=point_a,
        agency=kela,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 3, 15),
        agency_share=Decimal("0.25"),
        prices=[PriceData("OnsiteGuidance", Decimal("12.50"))],
        **BASE,
    )
    agreement_create(
        point=point_a,
        agency=kela,
        valid_from=dt.date(2025, 3, 16),
        agency_share=Decimal("0.30"),
        prices=[PriceData("OnsiteGuidance", Decimal("15.00"))],
        **{**BASE, "base_rent": Decimal("18000.00")},
    )
    _record(point_a, kela, _at(dt.date(2025, 3, 15), 23, 30), times=2)
    _record(point_a, kela, _at(dt.date(2025, 3, 16), 0, 30), times=3)

    statement = statement_draft(point=point_a, agency=kela, month=MARCH)

    # 20,150 x 0.25 x 15/365 = 207.0205... ; 26,150 x 0.30 x 16/365 = 343.8904...
    assert _amounts(statement) == [
        ("base", "", "", 15, Decimal(0), Decimal("207.02")),
        ("base", "", "", 16, Decimal(0), Decimal("343.89")),
        ("transactions", "OnsiteGuidance", "", 2, Decimal("12.5"), Decimal("25.00")),
        ("transactions", "OnsiteGuidance", "", 3, Decimal("15"), Decimal("45.00")),
    ]
    assert statement.total == Decimal("620.91")


def test_statement_draft__again__same_figures_and_no_duplicates(
    point_a: ServicePoint, kela: Agency, agreement: Agreement
) -> None:
    _record(point_a, kela, _at(dt.date(2025, 3, 3)), times=2)
    first = statement_draft(point=point_a, agency=kela, month=MARCH)
    figures = _amounts(first)

    again = statement_draft(point=point_a, agency=kela, month=MARCH)
    statement_draft_month(month=MARCH)

    assert again.pk == first.pk
    assert Statement.objects.count() == 1
    assert _amounts(Statement.objects.get()) == figures
    assert Statement.objects.get().total == first.total == Decimal("427.84") + Decimal("25.00")


def test_statement_figures__every_statement_of_a_month__a_fixed_number_of_grouped_queries(
    point_a: ServicePoint, point_b: ServicePoint, kela: Agency, vero: Agency, django_assert_num_queries: Any
) -> None:
    for point in (point_a, point_b):
        for agency in (kela, vero):
            agreement_create(
                point=point,
                agency=agency,
                valid_from=dt.date(2025, 1, 1),
                agency_share=Decimal("0.1"),
                prices=PRICES,
                **BASE,
            )
            _record(point, agency, _at(dt.date(2025, 3, 3)), times=3)

    # Agreements, the month's counts priced and grouped (the prices joined in the database), the
    # adjustments grouped.
    with django_assert_num_queries(3):
        figures = statement_figures(month=MARCH)
    assert len(figures) == 4
    with django_assert_num_queries(3):
        one = statement_figures(month=MARCH, pairs=[(point_a.pk, kela.pk)])
    assert [line.quantity for line in one[(point_a.pk, kela.pk)] if line.kind == LineKind.TRANSACTIONS] == [3]


# --- approval, the lock and corrections ---------------------------------------------------------------


def test_statement_approve__then_correction__locked_month_unchanged_and_adjustment_next_month(
    point_a: ServicePoint, kela: Agency, agreement: Agreement, staff_user: Any
) -> None:
    manager = staff_user(Role.POINT_MANAGER, point=point_a)
    previous = _previous_month()
    entries = _record(point_a, kela, _at(previous + dt.timedelta(days=2)), times=4)
    statement = statement_draft(point=point_a, agency=kela, month=previous)
    approved = statement_approve(statement=statement, approved_by=manager)
    figures = _amounts(approved)

    reversal = transaction_reverse(transaction=entries[0])

    assert reversal.count == -1 and reversal.reverses_id == entries[0].pk
    assert Transaction.objects.count() == 5  # append-only: nothing deleted or changed
    with pytest.raises(ValidationError):
        statement_draft(point=point_a, agency=kela, month=previous)
    assert _amounts(Statement.objects.get(pk=statement.pk)) == figures
    current = statement_draft(point=point_a, agency=kela, month=timezone.localdate())
    adjustments = [line for line in current.lines.all() if line.kind == LineKind.ADJUSTMENT]
    assert [(a.month_of, a.asti_type, a.quantity, a.amount) for a in adjustments] == [
        (previous, "OnsiteGuidance", -1, Decimal("-12.50"))
    ]


def test_transaction_reverse__twice__refused_and_one_reversal(point_a: ServicePoint, kela: Agency) -> None:
    entry = _record(point_a, kela, timezone.now() - dt.timedelta(hours=1))[0]
    reversal = transaction_reverse(transaction=entry)

    with translation.override("fi"), pytest.raises(ValidationError) as again:
        transaction_reverse(transaction=entry)
    with pytest.raises(ValidationError):
        transaction_reverse(transaction=reversal)
    assert "peruttu" in str(again.value.messages[0]).lower() or again.value.messages
    assert Transaction.objects.count() == 2


def test_statement_approve__second_time__refused_with_translated_error_and_nothing_changed(
    point_a: ServicePoint, kela: Agency, agreement: Agreement, staff_user: Any
) -> None:
    manager = staff_user(Role.POINT_MANAGER, point=point_a)
    other = staff_user(Role.POINT_MANAGER, point=point_a)
    statement = statement_draft(point=point_a, agency=kela, month=_previous_month())
    first = statement_approve(statement=statement, approved_by=manager)

    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        statement_approve(statement=statement, approved_by=other)
    assert refused.value.messages == ["Redovisningen har redan godkänts."]
    again = Statement.objects.get(pk=statement.pk)
    assert (again.approved_by_id, again.approved_at) == (manager.pk, first.approved_at)


def test_statement_approve__current_month__refused(
    point_a: ServicePoint, kela: Agency, agreement: Agreement, staff_user: Any
) -> None:
    statement = statement_draft(point=point_a, agency=kela, month=timezone.localdate())
    with pytest.raises(ValidationError):
        statement_approve(statement=statement, approved_by=staff_user(Role.POINT_MANAGER, point=point_a))
    assert Statement.objects.get().status == StatementStatus.DRAFT


def test_statement_draft__month_in_the_future__translated_error_and_nothing_written(
    point_a: ServicePoint, kela: Agency, agreement: Agreement
) -> None:
    next_month = (timezone.localdate().replace(day=28) + dt.timedelta(days=5)).replace(day=1)
    with translation.override("fi"), pytest.raises(ValidationError) as refused:
        statement_draft(point=point_a, agency=kela, month=next_month)
    with translation.override("fi"):
        assert refused.value.message_dict["month"] == ["Tilitystä ei voi tehdä tulevalle kuukaudelle."]
    assert not Statement.objects.exists()


# --- agreements: bad input ---------------------------------------------------------------------------


def test_agreement_create__overlapping__translated_error_and_nothing_written(
    point_a: ServicePoint, kela: Agency, agreement: Agreement
) -> None:
    with translation.override("sv"), pytest.raises(ValidationError) as refused:
        agreement_create(
            point=point_a,
            agency=kela,
            valid_from=dt.date(2026, 1, 1),
            valid_to=dt.date(2026, 6, 30),
            agency_share=Decimal("0.2"),
            prices=PRICES,
        )
    with translation.override("sv"):
        assert refused.value.message_dict["valid_from"] == [
            "Servicestället har redan ett avtal med den här myndigheten för en del av den här perioden."
        ]
    assert Agreement.objects.count() == 1 and AgreementPrice.objects.count() == len(PRICES)


def test_agreement_create__adjacent_periods__both_kept(point_a: ServicePoint, kela: Agency) -> None:
    agreement_create(
        point=point_a,
        agency=kela,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 6, 30),
        agency_share=Decimal("0.2"),
    )
    agreement_create(point=point_a, agency=kela, valid_from=dt.date(2025, 7, 1), agency_share=Decimal("0.2"))
    assert Agreement.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the exclusion constraint is PostgreSQL's")
def test_agreement__overlap_past_the_service__refused_by_the_database(
    point_a: ServicePoint, kela: Agency, agreement: Agreement
) -> None:
    with pytest.raises(IntegrityError, match="agreement_no_overlap"), db_transaction.atomic():
        Agreement.objects.create(
            point=point_a, agency=kela, valid_from=dt.date(2026, 1, 1), agency_share=Decimal(0)
        )
    assert Agreement.objects.count() == 1


def test_agreement_create__negative_price_or_amount__translated_error_and_nothing_written(
    point_a: ServicePoint, kela: Agency
) -> None:
    with translation.override("fi"), pytest.raises(ValidationError) as refused:
        agreement_create(
            point=point_a,
            agency=kela,
            valid_from=dt.date(2025, 1, 1),
            agency_share=Decimal("0.2"),
            base_rent=Decimal("-1"),
            prices=[PriceData("OnsiteGuidance", Decimal("-0.01"))],
        )
    with translation.override("fi"):
        errors = refused.value.message_dict
        assert errors["prices"] == ["Hinta ei voi olla negatiivinen."]
        assert errors["base_rent"] == ["Summa ei voi olla negatiivinen."]
    assert not Agreement.objects.exists() and not AgreementPrice.objects.exists()


# --- pages, downloads and the API by role -------------------------------------------------------------


@pytest.fixture
def statements(
    point_a: ServicePoint, point_b: ServicePoint, kela: Agency, vero: Agency
) -> dict[str, Statement]:
    made = {}
    for point in (point_a, point_b):
        for agency in (kela, vero):
            agreement_create(
                point=point,
                agency=agency,
                valid_from=dt.date(2020, 1, 1),
                agency_share=Decimal("0.25"),
                prices=PRICES,
                **BASE,
            )
            _record(point, agency, _at(dt.date(2025, 3, 3)), times=2)
            made[f"{point.slug}-{agency.code}"] = statement_draft(point=point, agency=agency, month=MARCH)
    return made


def _client(staff_client: Any, role: str, **scope: Any) -> Client:
    return staff_client(role, **scope)


def test_statement_pages__each_role__sees_only_its_scope(
    statements: dict[str, Statement], staff_client: Any, point_a: ServicePoint, kela: Agency
) -> None:
    own = statements["karstula-kela"]
    other_point = statements["kivijarvi-vero"]
    manager = staff_client(Role.POINT_MANAGER, point=point_a)
    coordinator = staff_client(Role.AGENCY_COORDINATOR, agency=kela)
    advisor = staff_client(Role.ADVISOR, point=point_a)
    planner = staff_client(Role.NETWORK_PLANNER)

    listed = manager.get(reverse("ledger:statements"))
    assert listed.status_code == 200
    assert {s.pk for s in listed.context["statements"]} == {own.pk, statements["karstula-vero"].pk}
    assert {s.pk for s in coordinator.get(reverse("ledger:statements")).context["statements"]} == {
        own.pk,
        statements["kivijarvi-kela"].pk,
    }
    assert len(planner.get(reverse("ledger:statements")).context["statements"]) == 4
    for name in (
        "ledger:statement",
        "ledger:statement_csv",
        "ledger:statement_xlsx",
        "ledger:statement_print",
    ):
        assert manager.get(reverse(name, args=[own.pk])).status_code == 200
        assert coordinator.get(reverse(name, args=[own.pk])).status_code == 200
        assert manager.get(reverse(name, args=[other_point.pk])).status_code == 404
        assert coordinator.get(reverse(name, args=[other_point.pk])).status_code == 404
        assert advisor.get(reverse(name, args=[own.pk])).status_code == 403
    assert advisor.get(reverse("ledger:statements")).status_code == 403
    # The coordinator reads but does not approve.
    assert coordinator.post(reverse("ledger:statement_approve", args=[own.pk])).status_code == 403
    assert Statement.objects.get(pk=own.pk).status == StatementStatus.DRAFT


def test_statement_list__future_month__translated_error(
    statements: dict[str, Statement], staff_client: Any, point_a: ServicePoint
) -> None:
    manager = staff_client(Role.POINT_MANAGER, point=point_a)
    future = (timezone.localdate().replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    response = manager.get(reverse("ledger:statements"), {"month": future}, HTTP_ACCEPT_LANGUAGE="fi")
    assert response.status_code == 400
    assert "Tulevalta kuukaudelta ei ole tilityksiä." in response.content.decode()


def test_statement_page__manager_approves_and_sends__coordinators_get_csv_and_xlsx(
    point_a: ServicePoint,
    kela: Agency,
    agreement: Agreement,
    staff_client: Any,
    staff_user: Any,
    mailoutbox: Any,
    django_capture_on_commit_callbacks: Any,
    task_worker: Any,
) -> None:
    coordinator = staff_user(Role.AGENCY_COORDINATOR, agency=kela)
    _record(point_a, kela, _at(_previous_month() + dt.timedelta(days=1)), times=2)
    statement = statement_draft(point=point_a, agency=kela, month=_previous_month())
    manager = staff_client(Role.POINT_MANAGER, point=point_a)

    approved = manager.post(reverse("ledger:statement_approve", args=[statement.pk]))
    again = manager.post(reverse("ledger:statement_approve", args=[statement.pk]), follow=True)
    with django_capture_on_commit_callbacks(execute=True):
        sent = manager.post(reverse("ledger:statement_send", args=[statement.pk]))
    task_worker(queue_name="default")

    assert approved.status_code == 302 and sent.status_code == 302
    assert "Tilitys on jo hyväksytty." in again.content.decode()
    statement.refresh_from_db()
    assert statement.status == StatementStatus.SENT and statement.sent_at is not None
    assert [m.to for m in mailoutbox] == [[coordinator.email]]
    names = sorted(name for name, _content, _type in mailoutbox[0].attachments)
    assert names[0].endswith(".csv") and names[1].endswith(".xlsx")


def test_statement_xlsx__read_back__equals_the_page(
    statements: dict[str, Statement], staff_client: Any, point_a: ServicePoint
) -> None:
    statement = statements["karstula-kela"]
    manager = staff_client(Role.POINT_MANAGER, point=point_a)
    page = manager.get(reverse("ledger:statement", args=[statement.pk]))
    download = manager.get(reverse("ledger:statement_xlsx", args=[statement.pk]))

    sheet = load_workbook(io.BytesIO(download.content)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    page_rows = [(row["description"], row["line"].amount) for row in page.context["lines"]]
    assert [(r[0], Decimal(str(r[3])).quantize(Decimal("0.01"))) for r in rows[:-1]] == page_rows
    assert Decimal(str(rows[-1][3])) == statement.total
    assert str(statement.total).replace(".", ",") in page.content.decode()
    assert f"{statement.total}" in statement_csv(statement)
    assert statement_xlsx(statement)[:2] == b"PK"


def test_statements_api__scoped_by_role_and_read_only(
    statements: dict[str, Statement], staff_client: Any, point_a: ServicePoint, kela: Agency, staff_user: Any
) -> None:
    manager = staff_client(Role.POINT_MANAGER, point=point_a)
    coordinator = staff_client(Role.AGENCY_COORDINATOR, agency=kela)
    advisor = staff_client(Role.ADVISOR, point=point_a)
    url = "/api/v1/statements"

    mine = manager.get(url, {"month": "2025-03"}).json()
    theirs = coordinator.get(url, {"point": point_a.pk}).json()

    assert {(s["point"], s["agency"]) for s in mine["items"]} == {("karstula", "kela"), ("karstula", "vero")}
    assert {(s["point"], s["agency"]) for s in theirs["items"]} == {("karstula", "kela")}
    assert mine["items"][0]["lines"][0]["kind"] == "base"
    assert advisor.get(url).status_code == 403
    assert manager.get(url, {"month": "2025-13"}).json()["code"] == "month_invalid"
    future = (timezone.localdate().replace(day=28) + dt.timedelta(days=5)).strftime("%Y-%m")
    assert manager.get(url, {"month": future}).json()["code"] == "month_in_future"
    before = Statement.objects.get(pk=statements["karstula-kela"].pk)
    assert manager.post(url, {}).status_code in (403, 405)
    assert manager.delete(url).status_code in (403, 405)
    assert Statement.objects.get(pk=before.pk).total == before.total


def test_statement_send__draft__refused(point_a: ServicePoint, kela: Agency, agreement: Agreement) -> None:
    statement = statement_draft(point=point_a, agency=kela, month=MARCH)
    with pytest.raises(ValidationError):
        statement_send(statement=statement)
    assert Statement.objects.get().sent_at is None


def test_statements_draft_previous_month_task__drafts_each_agreement_once(
    point_a: ServicePoint, kela: Agency, agreement: Agreement
) -> None:
    from asiointi.ledger.tasks import statements_draft_previous_month_task

    statements_draft_previous_month_task.call()
    statements_draft_previous_month_task.call()

    assert list(Statement.objects.values_list("point_id", "agency_id", "month")) == [
        (point_a.pk, kela.pk, _previous_month())
    ]
