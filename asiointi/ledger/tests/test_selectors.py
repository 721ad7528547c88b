import datetime as dt
from zoneinfo import ZoneInfo

from asiointi.catalogue.models import Channel
from asiointi.factories import AgencyFactory, MunicipalityFactory, point_with_hours
from asiointi.ledger.models import AstiType, TransactionSource
from asiointi.ledger.selectors import transaction_monthly_counts
from asiointi.ledger.services import transaction_record

HELSINKI = ZoneInfo("Europe/Helsinki")


def test_transaction_monthly_counts__counts_by_point_agency_and_type_within_the_finnish_month(
    db, django_assert_num_queries
):
    karstula = point_with_hours(slug="karstula")
    kyyjarvi = point_with_hours(
        municipality=MunicipalityFactory.create(code="265", name_fi="Kyyjärvi"), slug="kyyjarvi"
    )
    kela, vero = (
        AgencyFactory.create(code="kela", name_fi="Kela"),
        AgencyFactory.create(code="vero", name_fi="Vero"),
    )

    def add(point, agency, asti, when, seconds=600):
        transaction_record(
            point=point,
            agency=agency,
            asti_type=asti,
            channel=Channel.ADVISOR_GUIDANCE,
            occurred_at=when,
            duration_seconds=seconds,
            language="fi",
            source=TransactionSource.DESK,
        )

    # 1 October 00:30 Finnish time is still 30 September in UTC: it belongs to October.
    add(karstula, kela, AstiType.ONSITE_GUIDANCE, dt.datetime(2026, 10, 1, 0, 30, tzinfo=HELSINKI))
    add(karstula, kela, AstiType.ONSITE_GUIDANCE, dt.datetime(2026, 10, 15, 10, tzinfo=HELSINKI), 300)
    add(karstula, vero, AstiType.DOCUMENT_RECEIVED, dt.datetime(2026, 10, 31, 23, 30, tzinfo=HELSINKI))
    add(kyyjarvi, kela, AstiType.ONSITE_GUIDANCE, dt.datetime(2026, 10, 2, 10, tzinfo=HELSINKI))
    add(karstula, kela, AstiType.ONSITE_GUIDANCE, dt.datetime(2026, 11, 1, 0, 10, tzinfo=HELSINKI))

    with django_assert_num_queries(1):
        counts = transaction_monthly_counts(year=2026, month=10, point_ids=[karstula.pk])

    assert [(c.agency_id, c.asti_type, c.transactions, c.duration_seconds) for c in counts] == [
        (kela.pk, "OnsiteGuidance", 2, 900),
        (vero.pk, "DocumentReceived", 1, 600),
    ]
    assert sum(c.transactions for c in transaction_monthly_counts(year=2026, month=10)) == 4
