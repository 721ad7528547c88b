import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from asiointi.catalogue.models import Channel
from asiointi.factories import AgencyFactory, ServiceFactory, point_with_hours
from asiointi.ledger.models import AstiType, Transaction, TransactionSource
from asiointi.ledger.services import TransactionData, transaction_record, transaction_record_many

HELSINKI = dt.timezone(dt.timedelta(hours=2))


def record(**overrides):
    values = {
        "point": overrides.pop("point", None) or point_with_hours(),
        "agency": overrides.pop("agency", None) or AgencyFactory.create(code="kela", name_fi="Kela"),
        "asti_type": AstiType.ONSITE_GUIDANCE,
        "channel": Channel.ADVISOR_GUIDANCE,
        "occurred_at": dt.datetime(2026, 11, 2, 10, 15, tzinfo=HELSINKI),
        "duration_seconds": 420,
        "language": "fi",
        "source": TransactionSource.DESK,
    }
    values.update(overrides)
    return transaction_record(**values)


def test_transaction_record__valid__writes_one_anonymous_row(db):
    row = record()

    stored = Transaction.objects.get()
    assert stored.pk == row.pk
    assert stored.asti_type == "OnsiteGuidance"
    assert stored.duration_seconds == 420
    assert stored.occurred_at == dt.datetime(2026, 11, 2, 8, 15, tzinfo=dt.UTC)


def test_transaction_record__unknown_asti_type__is_refused_and_writes_nothing(db):
    with pytest.raises(ValidationError) as error:
        record(asti_type="PhoneGuidance")

    assert "asti_type" in error.value.message_dict
    assert not Transaction.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("channel", "fax"),
        ("source", "web"),
        ("language", "xx"),
        ("duration_seconds", 13 * 3600),
        ("occurred_at", dt.datetime(2026, 11, 2, 10, 15)),  # naive
    ],
)
def test_transaction_record__bad_field__is_refused_with_the_field_named(db, field, value):
    with pytest.raises(ValidationError) as error:
        record(**{field: value})

    assert field in error.value.message_dict
    assert not Transaction.objects.exists()


def test_transaction_record__in_the_future__is_refused(db):
    with pytest.raises(ValidationError):
        record(occurred_at=timezone.now() + dt.timedelta(days=1))


def test_transaction_record__service_of_another_agency__is_refused(db):
    kela = AgencyFactory.create(code="kela", name_fi="Kela")
    vero = AgencyFactory.create(code="vero", name_fi="Verohallinto")
    tax_card = ServiceFactory.create(agency=vero, code="verokortti", name_fi="Verokortti")

    with pytest.raises(ValidationError) as error:
        record(agency=kela, service=tax_card)

    assert "service" in error.value.message_dict


def test_transaction_table__unknown_asti_type_written_past_the_service__is_refused_by_the_database(db):
    point, agency = point_with_hours(), AgencyFactory.create()

    with pytest.raises(IntegrityError), transaction.atomic():
        Transaction.objects.create(
            point=point,
            agency=agency,
            asti_type="Bogus",
            channel=Channel.ADVISOR_GUIDANCE,
            occurred_at=timezone.now(),
            duration_seconds=1,
            language="fi",
            source=TransactionSource.DESK,
        )


def test_transaction_record_many__one_bad_row__writes_none(db):
    point, agency = point_with_hours(), AgencyFactory.create()
    good = TransactionData(
        point=point,
        agency=agency,
        asti_type=AstiType.REMOTE_GUIDANCE,
        channel=Channel.REMOTE_MEETING,
        occurred_at=dt.datetime(2026, 11, 2, 10, tzinfo=HELSINKI),
        duration_seconds=1800,
        language="sv",
        source=TransactionSource.MEETING,
    )
    bad = TransactionData(**{**good.__dict__, "asti_type": "Nope"})

    with pytest.raises(ValidationError):
        transaction_record_many(rows=[good, good, bad])
    assert not Transaction.objects.exists()

    assert transaction_record_many(rows=[good, good]) == 2
    assert Transaction.objects.count() == 2


def test_transaction_record_many__bulk_columns__are_every_column_of_the_table():
    from asiointi.ledger.services import BULK_COLUMNS

    columns = {f.column for f in Transaction._meta.concrete_fields if not f.primary_key}

    assert set(BULK_COLUMNS) == columns
    assert len(BULK_COLUMNS) == len(columns)


def test_transaction_record_many__stores_the_same_values_as_a_single_record(db):
    point, agency = point_with_hours(), AgencyFactory.create()
    service = ServiceFactory.create(agency=agency, code="passi", name_fi="Passi")
    data = TransactionData(
        point=point,
        agency=agency,
        service=service,
        asti_type=AstiType.ONSITE_GUIDANCE_BY_SERVICE_AUTHOR,
        channel=Channel.VISITING_OFFICIAL,
        occurred_at=dt.datetime(2026, 3, 31, 23, 45, tzinfo=HELSINKI),
        duration_seconds=900,
        language="sv",
        source=TransactionSource.DESK,
        with_interpreter=True,
    )

    transaction_record_many(rows=[data])

    stored = Transaction.objects.get()
    assert (stored.point, stored.agency, stored.service) == (point, agency, service)
    assert stored.occurred_at == dt.datetime(2026, 3, 31, 21, 45, tzinfo=dt.UTC)
    assert (stored.asti_type, stored.channel, stored.language) == (
        "OnsiteGuidanceByServiceAuthor",
        "visiting_official",
        "sv",
    )
    assert stored.with_interpreter is True
    assert stored.duration_seconds == 900
    assert stored.recorded_at is not None


def test_transaction_record__retried_with_the_same_origin__counts_once(db):
    point, agency = point_with_hours(), AgencyFactory.create()

    first = record(point=point, agency=agency, origin="meeting:5f0c6d1e-8a55-4c0e-9a8e-0d5e2f6b7a10")
    again = record(point=point, agency=agency, origin="meeting:5f0c6d1e-8a55-4c0e-9a8e-0d5e2f6b7a10")

    assert again.pk == first.pk
    assert Transaction.objects.count() == 1


def test_transaction_record__different_origins__count_twice(db):
    point, agency = point_with_hours(), AgencyFactory.create()

    record(point=point, agency=agency, origin="callback:41")
    record(point=point, agency=agency, origin="callback:42")
    record(point=point, agency=agency)
    record(point=point, agency=agency, origin="")  # no origin, like None

    assert Transaction.objects.count() == 4
    assert Transaction.objects.filter(origin__isnull=True).count() == 2


def test_transaction_record__origin_recorded_by_a_racing_caller__returns_theirs_and_keeps_the_callers_work(
    db, monkeypatch
):
    from django.db.models import QuerySet

    point, agency = point_with_hours(), AgencyFactory.create()
    theirs = record(point=point, agency=agency, origin="meeting:race")
    # The other caller's row appears between the look-up and the insert: the look-up misses it.
    monkeypatch.setattr(QuerySet, "first", lambda self: None)

    with transaction.atomic():
        mine = record(point=point, agency=agency, origin="meeting:race")
        record(point=point, agency=agency, origin="meeting:after")  # the caller's transaction still works

    assert mine.pk == theirs.pk
    assert set(Transaction.objects.values_list("origin", flat=True)) == {"meeting:after", "meeting:race"}


def test_transaction_record__origin_too_long__is_refused_with_the_field_named(db):
    with pytest.raises(ValidationError) as error:
        record(origin="meeting:" + "x" * 100)

    assert "origin" in error.value.message_dict
    assert not Transaction.objects.exists()


def test_transaction_table__two_rows_of_one_origin__are_refused_by_the_database(db):
    point, agency = point_with_hours(), AgencyFactory.create()
    data = TransactionData(
        point=point,
        agency=agency,
        asti_type=AstiType.REMOTE_GUIDANCE,
        channel=Channel.REMOTE_MEETING,
        occurred_at=dt.datetime(2026, 11, 2, 10, tzinfo=HELSINKI),
        duration_seconds=1800,
        language="fi",
        source=TransactionSource.MEETING,
        origin="meeting:bulk",
    )

    with pytest.raises(IntegrityError):
        transaction_record_many(rows=[data, data])
    assert not Transaction.objects.exists()


def test_transaction_languages__are_the_service_languages_and_other():
    from asiointi.ledger.services import LANGUAGE_CODES
    from asiointi.network.models import ServiceLanguage

    assert set(ServiceLanguage.values) | {"other"} == LANGUAGE_CODES
    assert {"fi", "sv", "en", "se", "ru", "fse"} <= LANGUAGE_CODES  # the product's languages are among them


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="needs a database that serves two connections at once",
)
@pytest.mark.django_db(transaction=True)
def test_transaction_record__two_callers_race_with_one_origin__one_row_and_both_get_it():
    """Two connections pass the look-up at once; the unique constraint lets one insert win and the
    other returns the winner's row. PostgreSQL only: SQLite's test database is one connection."""
    import threading

    from django.db import connections
    from django.db.models import QuerySet

    point, agency = point_with_hours(), AgencyFactory.create()
    both_looked = threading.Barrier(2, timeout=10)
    original_first = QuerySet.first

    def first_after_both(self):
        found = original_first(self)
        both_looked.wait()  # neither has inserted yet: both go on to insert
        return found

    results, errors = [], []

    def caller():
        try:
            results.append(record(point=point, agency=agency, origin="meeting:raced").pk)
        except Exception as error:  # pragma: no cover - shown by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QuerySet, "first", first_after_both)
        threads = [threading.Thread(target=caller) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert Transaction.objects.filter(origin="meeting:raced").count() == 1


@pytest.mark.django_db(transaction=True)
def test_transaction_record__outside_a_transaction__same_row_and_rollup_as_inside_one():
    """The desk records outside any transaction: on PostgreSQL the row and its rollup are then one
    statement. It must store what the general path stores, count in the rollup, and give back a row
    that the ledger can reverse."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from asiointi.ledger.models import MonthlyRollup
    from asiointi.ledger.services import transaction_reverse

    point, agency = point_with_hours(), AgencyFactory.create()
    service = ServiceFactory.create(agency=agency, code="passi", name_fi="Passi")
    values = {
        "point": point,
        "agency": agency,
        "service": service,
        "asti_type": AstiType.ONSITE_GUIDANCE_BY_SERVICE_AUTHOR,
        "channel": Channel.VISITING_OFFICIAL,
        "occurred_at": dt.datetime(2026, 3, 31, 23, 45, tzinfo=HELSINKI),
        "duration_seconds": 900,
        "language": "sv",
        "with_interpreter": True,
    }
    with CaptureQueriesContext(connection) as queries:
        alone = record(**values)
    with transaction.atomic():
        inside = record(**values)

    if connection.vendor == "postgresql":
        assert len(queries.captured_queries) == 1
    columns = [f.attname for f in Transaction._meta.concrete_fields if f.attname not in ("id", "recorded_at")]
    stored = {row["id"]: row for row in Transaction.objects.values("id", "recorded_at", *columns)}
    assert {k: v for k, v in stored[alone.pk].items() if k in columns} == {
        k: v for k, v in stored[inside.pk].items() if k in columns
    }
    assert stored[alone.pk]["recorded_at"] == alone.recorded_at
    rollup = MonthlyRollup.objects.get(point=point, agency=agency, month=dt.date(2026, 4, 1))
    assert rollup.count == 2

    transaction_reverse(transaction=alone)

    rollup.refresh_from_db()
    assert rollup.count == 1
