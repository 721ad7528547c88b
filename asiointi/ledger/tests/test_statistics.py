"""Statistics of the ledger: figures on small hand-computed data, each role's scope on the pages and
downloads, travel saved on a hand-computed example, small counts hidden on the public page, and one
grouped query per figure."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from asiointi.accounts.models import Role
from asiointi.catalogue.models import Channel
from asiointi.factories import (
    AgencyFactory,
    AgencyOfficeFactory,
    MunicipalityFactory,
    RegionFactory,
    ServicePointFactory,
    TransactionFactory,
)
from asiointi.ledger.models import AstiType, TransactionSource
from asiointi.ledger.services import (
    agreement_create,
    feedback_submit,
    feedback_token_issue,
    statement_draft_month,
)
from asiointi.ledger.statistics import (
    NATIONAL,
    Period,
    StatisticsScope,
    statistics_cost_per_transaction,
    statistics_national_dashboard,
    statistics_remote_share,
    statistics_satisfaction,
    statistics_transactions_by,
    statistics_travel_saved,
    travel_saved_rows,
)

pytestmark = pytest.mark.django_db
HELSINKI = ZoneInfo("Europe/Helsinki")
SEPTEMBER, OCTOBER = dt.date(2026, 9, 1), dt.date(2026, 10, 1)
PERIOD = Period(SEPTEMBER, 2)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=HELSINKI)


def _add(
    point,
    agency,
    day,
    *,
    channel=Channel.ADVISOR_GUIDANCE,
    asti=AstiType.ONSITE_GUIDANCE,
    rating=None,
    met=True,
):
    row = TransactionFactory.create(
        point=point,
        agency=agency,
        channel=channel,
        asti_type=AstiType.REMOTE_GUIDANCE if channel == Channel.REMOTE_MEETING else asti,
        source=TransactionSource.MEETING if channel == Channel.REMOTE_MEETING else TransactionSource.DESK,
        occurred_at=day if isinstance(day, dt.datetime) else _at(day),
    )
    if rating is not None:
        feedback_submit(token=feedback_token_issue(transaction=row), rating=rating, met_need=met)
    return row


@pytest.fixture
def world():
    """Two points (Karstula at 62.0 N 25.0 E, Kivijärvi at 63.0 N 25.0 E), two agencies; Kela has
    offices at 62.5 N and 64.0 N, Vero one at 62.0 N 25.0 E (in Karstula itself)."""
    region = RegionFactory.create(code="13", name_fi="Keski-Suomi")
    karstula = ServicePointFactory.create(
        slug="karstula",
        name_fi="Karstula",
        municipality=MunicipalityFactory.create(code="256", region=region, lat=62.0, lon=25.0),
    )
    kivijarvi = ServicePointFactory.create(
        slug="kivijarvi",
        name_fi="Kivijärvi",
        municipality=MunicipalityFactory.create(code="265", region=region, lat=63.0, lon=25.0),
    )
    kela = AgencyFactory.create(code="kela", name_fi="Kela", short_name_fi="Kela")
    vero = AgencyFactory.create(code="vero", name_fi="Vero", short_name_fi="Vero")
    AgencyOfficeFactory.create(agency=kela, lat=62.5, lon=25.0)
    AgencyOfficeFactory.create(agency=kela, lat=64.0, lon=25.0)
    AgencyOfficeFactory.create(agency=vero, lat=62.0, lon=25.0)
    # September: Karstula 3 Kela (1 remote), 1 Vero; Kivijärvi 2 Kela remote. October: Karstula 1 Kela.
    _add(karstula, kela, SEPTEMBER.replace(day=2), rating=5, met=True)
    _add(karstula, kela, SEPTEMBER.replace(day=3), asti=AstiType.DOCUMENT_RECEIVED, rating=2, met=False)
    _add(karstula, kela, SEPTEMBER.replace(day=4), channel=Channel.REMOTE_MEETING, rating=4, met=True)
    _add(karstula, vero, SEPTEMBER.replace(day=5))
    _add(kivijarvi, kela, SEPTEMBER.replace(day=8), channel=Channel.REMOTE_MEETING)
    _add(kivijarvi, kela, SEPTEMBER.replace(day=9), channel=Channel.REMOTE_MEETING)
    # 1 October 00:30 in Finland is 30 September in UTC: it counts in October.
    _add(karstula, kela, dt.datetime(2026, 10, 1, 0, 30, tzinfo=HELSINKI))
    return {"karstula": karstula, "kivijarvi": kivijarvi, "kela": kela, "vero": vero}


def _rows(figure):
    return {label: values for label, values in figure.rows}


def test_transactions_by_channel_and_type__counted_per_finnish_month(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        by_channel = statistics_transactions_by(scope=NATIONAL, period=PERIOD, by="channel")
    columns = [str(c) for c in by_channel.columns]
    advisor, remote = (
        columns.index(str(Channel.ADVISOR_GUIDANCE.label)),
        columns.index(str(Channel.REMOTE_MEETING.label)),
    )
    rows = _rows(by_channel)
    assert (rows["2026-09"][advisor], rows["2026-09"][remote]) == (3, 3)
    assert (rows["2026-10"][advisor], rows["2026-10"][remote]) == (1, 0)

    by_type = _rows(statistics_transactions_by(scope=NATIONAL, period=PERIOD, by="asti_type"))
    types = list(AstiType.values)
    assert by_type["2026-09"][types.index(AstiType.DOCUMENT_RECEIVED)] == 1
    assert by_type["2026-09"][types.index(AstiType.REMOTE_GUIDANCE)] == 3


def test_transactions_by_agency__one_grouped_query_and_the_names(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        figure = statistics_transactions_by(scope=NATIONAL, period=PERIOD, by="agency")
    assert [str(c) for c in figure.columns] == ["Kela", "Vero"]
    assert _rows(figure) == {"2026-09": (5, 1), "2026-10": (1, 0)}


def test_remote_share_and_satisfaction__hand_computed(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        share = _rows(statistics_remote_share(scope=NATIONAL, period=PERIOD))
    assert share["2026-09"] == (6, 3, 50.0)
    assert share["2026-10"] == (1, 0, 0.0)

    with django_assert_num_queries(1):
        satisfaction = _rows(statistics_satisfaction(scope=NATIONAL, period=PERIOD))
    # Ratings 5, 2 and 4: mean 3.67; two of three met the need.
    assert satisfaction["2026-09"] == (3, 3.67, 66.7)
    assert satisfaction["2026-10"] == (0, None, None)


def test_scope__a_point_manager_counts_their_point_and_a_coordinator_their_agency(world):
    karstula = StatisticsScope(point_ids=frozenset({world["karstula"].pk}))
    vero = StatisticsScope(agency_ids=frozenset({world["vero"].pk}))

    assert _rows(statistics_remote_share(scope=karstula, period=PERIOD))["2026-09"] == (4, 1, 25.0)
    assert _rows(statistics_remote_share(scope=vero, period=PERIOD))["2026-09"] == (1, 0, 0.0)


def test_cost_per_transaction__the_months_compensation_divided_by_its_transactions(world):
    asked = []

    def compensation(*, year, month, point_ids, agency_ids):
        asked.append((year, month, point_ids, agency_ids))
        return Decimal("1000.00") if month == 9 else None

    figure = statistics_cost_per_transaction(scope=NATIONAL, period=PERIOD, compensation=compensation)

    assert figure.available
    assert _rows(figure) == {
        "2026-09": (Decimal("1000.00"), 6, Decimal("166.67")),
        "2026-10": (None, 1, None),
    }
    assert asked == [(2026, 9, None, None), (2026, 10, None, None)]


def test_cost_per_transaction__without_statements__says_it_is_not_available(world):
    figure = statistics_cost_per_transaction(scope=NATIONAL, period=PERIOD)

    assert not figure.available
    assert "kuukausitilitykset" in _translated(figure.note, "fi")


def _translated(text, language):
    from django.utils import translation

    with translation.override(language):
        return str(text)


def test_travel_saved__hand_computed_from_the_nearest_office_and_back(
    world, settings, django_assert_num_queries
):
    settings.ROAD_CIRCUITY_FACTOR = 1.3
    settings.TRAVEL_AVERAGE_SPEED_KMH = 70
    settings.TRAVEL_CO2_G_PER_KM = 140
    # One degree of latitude along a meridian: 6371.0088 km x pi / 180 = 111.195 km.
    degree = 6371.0088 * math.pi / 180
    # Karstula (62.0) to Kela's nearest office (62.5): half a degree, there and back, times 1.3.
    karstula_trip = 2 * 0.5 * degree * 1.3  # 144.55 km
    # Kivijärvi (63.0) to Kela's nearest office (62.5 rather than 64.0): also half a degree.
    kivijarvi_trip = 2 * 0.5 * degree * 1.3

    with django_assert_num_queries(3):
        rows = travel_saved_rows(scope=NATIONAL, period=PERIOD)
    trips = {(r.point_id, r.agency_id): (r.meetings, r.round_trip_km) for r in rows}
    assert trips[(world["karstula"].pk, world["kela"].pk)][0] == 1
    assert trips[(world["karstula"].pk, world["kela"].pk)][1] == pytest.approx(karstula_trip, rel=1e-9)
    assert trips[(world["kivijarvi"].pk, world["kela"].pk)][0] == 2

    km = karstula_trip + 2 * kivijarvi_trip  # 433.66 km
    country = _rows(statistics_travel_saved(scope=NATIONAL, period=PERIOD, by="country", rows=rows))
    assert list(country.values()) == [(3, round(km), round(km / 70), round(km * 0.140))]
    assert list(country.values()) == [(3, 434, 6, 61)]

    by_point = _rows(statistics_travel_saved(scope=NATIONAL, period=PERIOD, by="point", rows=rows))
    assert by_point["Karstula"] == (1, 145, 2, 20)
    assert by_point["Kivijärvi"] == (2, 289, 4, 40)
    with translation.override("fi"):  # region names are translated; another test may leave English on
        by_region = _rows(statistics_travel_saved(scope=NATIONAL, period=PERIOD, by="region", rows=rows))
    assert by_region == {"Keski-Suomi": (3, 434, 6, 61)}
    by_agency = _rows(statistics_travel_saved(scope=NATIONAL, period=PERIOD, by="agency", rows=rows))
    assert by_agency == {"Kela": (3, 434, 6, 61)}


def test_national_dashboard__hides_small_counts_and_takes_one_query_per_figure(
    world, settings, django_assert_num_queries
):
    settings.STATISTICS_PUBLIC_MIN_COUNT = 3
    # Travel rows, points, offices; the month's counts by agency, channel and type, which the three
    # transaction figures and the remote share sum up (+ agency names); satisfaction; the names of
    # regions, agencies for the travel figures.
    with django_assert_num_queries(8) as counted:
        dashboard = statistics_national_dashboard(period=PERIOD)
    assert "cost-per-transaction" not in dashboard.by_key
    assert "travel-saved-by-point" not in dashboard.by_key
    agencies = _rows(dashboard.by_key["transactions-by-agency"])
    assert agencies["2026-09"] == (5, None)  # Vero's one transaction is hidden
    assert dashboard.by_key["satisfaction"].rows[0][1] == (3, 3.67, 66.7)
    assert _rows(dashboard.by_key["remote-share"])["2026-10"] == (None, None, None)

    # The number of queries does not grow with the data.
    for day in (12, 13, 14, 15):
        _add(
            world["kivijarvi"],
            world["vero"],
            SEPTEMBER.replace(day=day),
            channel=Channel.REMOTE_MEETING,
            rating=3,
        )
    with django_assert_num_queries(len(counted.captured_queries)):
        statistics_national_dashboard(period=PERIOD)


def _csv_rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize(
    ("role", "scope_of", "expected_total"),
    [
        (Role.POINT_MANAGER, lambda w: {"point": w["kivijarvi"]}, "2"),
        (Role.AGENCY_COORDINATOR, lambda w: {"agency": w["vero"]}, "1"),
        (Role.NETWORK_PLANNER, lambda w: {}, "6"),
        (Role.ADMINISTRATOR, lambda w: {}, "6"),
    ],
)
def test_statistics_pages__each_role_sees_its_own_scope_on_the_page_and_in_the_download(
    world, staff_client, role, scope_of, expected_total
):
    client = staff_client(role, **scope_of(world))
    query = {"start": "2026-09", "months": "2"}

    page = client.get("/fi/staff/statistics/", query)
    assert page.status_code == 200
    assert "Etäpalvelun osuus" in page.content.decode()
    download = client.get("/fi/staff/statistics/remote-share.csv", query)
    assert download.status_code == 200
    rows = _csv_rows(download)
    assert rows[0][0] == "Kuukausi"
    assert rows[1][:2] == ["2026-09", expected_total]


@pytest.mark.parametrize("role", [Role.NETWORK_PLANNER, Role.POINT_MANAGER])
def test_statistics_page__its_query_count_does_not_grow_with_the_transactions_or_the_months(
    world, staff_client, role
):
    client = staff_client(role, **({"point": world["karstula"]} if role == Role.POINT_MANAGER else {}))
    query = {"start": "2026-05", "months": "6"}

    with CaptureQueriesContext(connection) as before:
        assert client.get("/fi/staff/statistics/", query).status_code == 200

    # More transactions (with feedback) in every month, and a drafted statement in two of them.
    for point in (world["karstula"], world["kivijarvi"]):
        agreement_create(point=point, agency=world["vero"], valid_from=dt.date(2026, 1, 1), agency_share=1)
    for month in range(5, 11):
        for day in (3, 17):
            _add(world["karstula"], world["vero"], dt.date(2026, month, day), rating=4)
            _add(world["kivijarvi"], world["vero"], dt.date(2026, month, day), channel=Channel.REMOTE_MEETING)
    for first in (SEPTEMBER, OCTOBER):
        assert statement_draft_month(month=first) == 2
    with CaptureQueriesContext(connection) as after:
        assert client.get("/fi/staff/statistics/", query).status_code == 200
    with CaptureQueriesContext(connection) as longer:
        assert client.get("/fi/staff/statistics/", {"start": "2025-11", "months": "12"}).status_code == 200

    assert len(after.captured_queries) == len(before.captured_queries)
    assert len(longer.captured_queries) == len(before.captured_queries)


@pytest.mark.parametrize("role", [Role.ADVISOR, Role.EXPERT, Role.INTERPRETER])
def test_statistics_pages__roles_without_statistics__are_refused(world, staff_client, role):
    scope = {"point": world["karstula"]} if role == Role.ADVISOR else {"agency": world["kela"]}
    client = staff_client(role, **(scope if role != Role.INTERPRETER else {}))

    assert client.get("/fi/staff/statistics/").status_code == 403
    assert client.get("/fi/staff/statistics/remote-share.csv").status_code == 403


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-13"}, "Anna ensimmäinen kuukausi vuotena ja kuukautena"),
        ({"start": "2099-01"}, "Ensimmäinen kuukausi ei voi olla tulevaisuudessa."),
        ({"months": "0"}, "Anna kuukausien määrä kokonaislukuna 1–60."),
        ({"months": "abc"}, "Anna kuukausien määrä kokonaislukuna 1–60."),
    ],
)
def test_statistics_page__bad_period__answers_with_a_translated_error(world, staff_client, query, message):
    response = staff_client(Role.NETWORK_PLANNER).get("/fi/staff/statistics/", query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_statistics_public__national_figures_for_everyone_in_each_language(world):
    client = Client()
    fi = client.get("/fi/tilastot/")
    sv = client.get("/sv/statistik/")

    assert fi.status_code == sv.status_code == 200
    assert "Palvelupisteiden tilastot" in fi.content.decode()
    assert "Serviceställenas statistik" in sv.content.decode()
    assert client.get("/fi/tilastot/satisfaction.csv").status_code == 200
    assert client.get("/fi/tilastot/cost-per-transaction.csv").status_code == 404
    assert client.get("/fi/").content.decode().count('href="/fi/tilastot/"') == 1
