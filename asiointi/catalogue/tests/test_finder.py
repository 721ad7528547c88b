import datetime as dt
import logging
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from asiointi.catalogue import analysis
from asiointi.catalogue.finder import ActionKind, service_search
from asiointi.catalogue.models import Channel, Service, ServiceSearchEntry
from asiointi.catalogue.services import service_search_index_update
from asiointi.catalogue.tests.catalogue_data import real_catalogue_create
from asiointi.catalogue.tests.finder_queries import QUERIES
from asiointi.factories import (
    MunicipalityFactory,
    ServiceOfferingFactory,
    VisitingScheduleFactory,
    point_with_hours,
)
from asiointi.network.models import Agency, Weekday


def _rates() -> tuple[float, float, list[str]]:
    top1 = top3 = 0
    misses = []
    for query, language, code in QUERIES:
        codes = [r.service.code for r in service_search(query=query, language=language, limit=3)]
        top1 += codes[:1] == [code]
        top3 += code in codes
        if codes[:1] != [code]:
            misses.append(f"{query!r} ({language}): expected {code}, got {codes}")
    return top1 / len(QUERIES), top3 / len(QUERIES), misses


@pytest.fixture
def catalogue(db):
    return real_catalogue_create()


@pytest.fixture
def without_voikko(monkeypatch):
    monkeypatch.setattr(analysis, "_voikko", lambda: None)
    analysis.finnish_forms.cache_clear()
    yield
    analysis.finnish_forms.cache_clear()


def test_query_list__covers_three_languages__at_least_forty_queries():
    assert len(QUERIES) >= 40
    assert {language for _q, language, _c in QUERIES} == {"fi", "sv", "en"}


def test_service_search__real_world_queries__right_service_first_for_ninety_percent(catalogue):
    top1, top3, misses = _rates()
    assert top1 >= 0.9, "\n".join(misses)
    assert top3 >= top1


def test_service_search__without_voikko__still_right_first_for_most(catalogue, without_voikko):
    top1, _top3, misses = _rates()
    assert top1 >= 0.85, "\n".join(misses)


@pytest.mark.skipif(not analysis.voikko_available(), reason="Voikko (libvoikko1, voikko-fi) is not installed")
def test_word_forms__finnish_compound__base_form_and_parts():
    whole, parts = analysis.word_forms("työttömyyskorvausta")
    assert "työttömyyskorvaus" in whole
    assert {"työttömyys", "korvaus"} <= set(parts)


def test_voikko__missing__logged_once_and_finder_keeps_working(catalogue, monkeypatch, caplog):
    def broken(name):
        raise OSError("libvoikko.so.1: cannot open shared object file")

    analysis._voikko.cache_clear()
    analysis.finnish_forms.cache_clear()
    monkeypatch.setattr(analysis, "_voikko_missing_logged", False)
    monkeypatch.setitem(__import__("sys").modules, "libvoikko", type("M", (), {"Voikko": broken}))
    try:
        with caplog.at_level(logging.WARNING, logger="asiointi.catalogue.analysis"):
            first = service_search(query="ajokorttia", language="fi")
            service_search(query="passia", language="fi")
        assert first[0].service.code == "ajokortti"
        assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
        assert "Voikko is not available" in caplog.records[0].message
    finally:
        analysis._voikko.cache_clear()
        analysis.finnish_forms.cache_clear()


def test_service_search__typo__corrected_to_the_service(catalogue):
    assert service_search(query="ajokorti", language="fi")[0].service.code == "ajokortti"


def test_service_search__synonym__names_the_service(catalogue):
    assert service_search(query="sossu", language="fi")[0].service.code == "perustoimeentulotuki"


def test_service_search__filler_words_only_or_blank__no_results(catalogue):
    assert service_search(query="   ", language="fi") == []
    assert service_search(query="zzqxv", language="en") == []


def test_service_search__municipal_service__given_once(catalogue):
    results = service_search(query="kirjastokortti", language="fi")
    assert [r.service.code for r in results].count("kirjastokortti") == 1


def test_service_search__point_given__the_points_municipality_first(catalogue):
    point = point_with_hours(slug="pargas")
    pargas_library = Service.objects.get(agency__code="parainen", code="kirjastokortti")
    ServiceOfferingFactory.create(point=point, service=pargas_library, channel=Channel.ADVISOR_GUIDANCE)
    result = service_search(query="bibliotekskort", language="sv", point=point)[0]
    assert result.agency.code == "parainen"


def test_service_search__offerings_and_visits__give_the_actions(catalogue):
    point = point_with_hours(slug="karstula", municipality=MunicipalityFactory.create(code="250"))
    passport = Service.objects.get(code="passi")
    tax_card = Service.objects.get(code="verokortti")
    ServiceOfferingFactory.create(point=point, service=passport, channel=Channel.VISITING_OFFICIAL)
    ServiceOfferingFactory.create(point=point, service=passport, channel=Channel.REMOTE_MEETING)
    ServiceOfferingFactory.create(point=point, service=tax_card, channel=Channel.ADVISOR_GUIDANCE)
    ServiceOfferingFactory.create(point=point, service=tax_card, channel=Channel.CALLBACK)
    VisitingScheduleFactory.create(
        point=point, agency=passport.agency, weekday=Weekday.TUESDAY, valid_from=dt.date(2020, 1, 1)
    )

    passport_result = service_search(query="passi", language="fi", point=point)[0]
    tax_result = service_search(query="verokortti", language="fi", point=point)[0]

    kinds = [a.kind for a in passport_result.actions]
    assert kinds == [ActionKind.REMOTE_MEETING, ActionKind.VISITING_DAY]
    visit = passport_result.actions[1]
    assert visit.day is not None and visit.day.weekday() == 1 and visit.point == point
    assert [a.kind for a in tax_result.actions] == [ActionKind.ESERVICE_GUIDANCE, ActionKind.CALLBACK]
    assert tax_result.actions[0].url == tax_card.agency.website


def test_service_search__hot_path__fixed_number_of_queries(catalogue):
    service_search(query="passi", language="fi")  # the word list is read once per index version
    with CaptureQueriesContext(connection) as first:
        service_search(query="passin uusiminen", language="fi")
    with CaptureQueriesContext(connection) as second:
        service_search(query="lost my tax card", language="en", limit=10)
    assert len(first) == len(second) <= 3


def test_service_search__same_need_again__answered_without_a_query(catalogue):
    first = service_search(query="passin uusiminen", language="fi")
    with CaptureQueriesContext(connection) as again:
        second = service_search(query="passin uusiminen", language="fi")
    assert len(again) == 0
    assert [(r.service.code, r.score) for r in second] == [(r.service.code, r.score) for r in first]


def test_service_search__offering_added__the_next_answer_has_its_action(
    catalogue, django_capture_on_commit_callbacks
):
    point = point_with_hours(slug="karstula", municipality=MunicipalityFactory.create(code="250"))
    tax_card = Service.objects.get(code="verokortti")
    assert service_search(query="verokortti", language="fi", point=point)[0].actions == []

    with django_capture_on_commit_callbacks(execute=True):
        ServiceOfferingFactory.create(point=point, service=tax_card, channel=Channel.CALLBACK)

    actions = service_search(query="verokortti", language="fi", point=point)[0].actions
    assert [a.kind for a in actions] == [ActionKind.CALLBACK]


def test_index_update__renamed_service__found_by_its_new_name_and_not_the_old(catalogue):
    service = Service.objects.get(code="lahjavero")
    service.name_fi = "Lahjaverotus ja lahjailmoitus"
    service.keywords_fi = "lahjoitus"
    service.save(update_fields=["name_fi", "keywords_fi"])
    service_search_index_update(service_ids=[service.pk])
    assert service_search(query="lahjailmoitus", language="fi")[0].service == service


def test_agency_renamed__finder_finds_it_by_the_new_name_and_not_the_old(
    catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        agency = Agency.objects.create(code="zorblax", name_fi="Zorblaxin virasto", short_name_fi="Zorblax")
        service = Service.objects.create(agency=agency, code="erikoislupa", name_fi="Erikoislupa")
    assert [r.service for r in service_search(query="zorblax", language="fi")] == [service]

    with django_capture_on_commit_callbacks(execute=True):
        agency.name_fi = "Quintavexin virasto"
        agency.short_name_fi = "Quintavex"
        agency.save(update_fields=["name_fi", "short_name_fi"])

    assert [r.service for r in service_search(query="quintavex", language="fi")] == [service]
    assert service not in [r.service for r in service_search(query="zorblax", language="fi")]


def test_agency_saved_without_its_names__index_left_alone(catalogue, django_capture_on_commit_callbacks):
    agency = Agency.objects.get(code="vero")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        agency.website = "https://www.vero.fi/en/"
        agency.save(update_fields=["website"])
    assert not [c for c in callbacks if c.__class__.__name__ == "_Pending"]


def test_service_renamed_and_saved__index_follows_at_commit_without_a_rebuild(
    catalogue, django_capture_on_commit_callbacks
):
    service = Service.objects.get(code="lahjavero")
    with django_capture_on_commit_callbacks(execute=True):
        service.name_fi = "Lahjailmoitus"
        service.keywords_fi = "lahjoitus"
        service.save()
    assert service_search(query="lahjailmoitus", language="fi")[0].service == service


def test_service_deleted__leaves_the_finder(catalogue, django_capture_on_commit_callbacks):
    service = Service.objects.get(code="ajokortti")
    service.offerings.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        service.delete()
    assert "ajokortti" not in [r.service.code for r in service_search(query="ajokortti", language="fi")]


def test_index_update__inactive_service__leaves_the_finder(catalogue):
    service = Service.objects.get(code="ajokortti")
    service.is_active = False
    service.save(update_fields=["is_active"])
    service_search_index_update(service_ids=[service.pk])
    assert not ServiceSearchEntry.objects.filter(service=service).exists()
    assert "ajokortti" not in [r.service.code for r in service_search(query="ajokortti", language="fi")]


def test_finder_rebuild__command__indexes_every_active_service(catalogue):
    ServiceSearchEntry.objects.all().delete()
    out = StringIO()
    call_command("finder_rebuild", stdout=out)
    assert ServiceSearchEntry.objects.count() == Service.objects.filter(is_active=True).count()
    assert service_search(query="skattekort", language="sv")[0].service.code == "verokortti"
    assert "index has" in out.getvalue()
