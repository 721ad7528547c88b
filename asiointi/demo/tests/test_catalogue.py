"""The demo's service catalogue is data (catalogue.toml); reading it gives the catalogue as it was."""

from __future__ import annotations

import tomllib

import pytest

from asiointi.demo.catalogue import (
    CATALOGUE_TOML,
    LARGE_AGENCIES,
    MUNICIPAL,
    SERVICES_BY_AGENCY,
    catalogue_load,
)


def test_catalogue__read_from_the_toml_file__has_every_agencys_services_in_order():
    counts = {code: len(services) for code, services in SERVICES_BY_AGENCY.items()}

    assert counts == {"kela": 22, "vero": 19, "tyollisyys": 17, "dvv": 17, "poliisi": 16, "oikeusapu": 5}
    assert len(MUNICIPAL) == 6
    assert LARGE_AGENCIES == ("kela", "tyollisyys", "vero", "dvv", "poliisi")
    assert [s.code for s in SERVICES_BY_AGENCY["kela"][:2]] == ["yleinen-asumistuki", "tyomarkkinatuki"]
    assert MUNICIPAL[0].code == "kirjastokortti"


def test_catalogue__texts_in_three_languages__read_as_written():
    housing = SERVICES_BY_AGENCY["kela"][0]
    job_seeker = SERVICES_BY_AGENCY["tyollisyys"][0]

    assert housing.name == ("Yleinen asumistuki", "Allmänt bostadsbidrag", "General housing allowance")
    assert housing.description.sv == (
        "Stöd för boendeutgifter, till exempel hyra och vederlag, för hushåll med låga inkomster."
    )
    assert housing.keywords.fi.startswith("asumistuki, asumistukea, vuokra")
    assert (housing.minutes, housing.requires_identification) == (20, True)
    assert job_seeker.name.en == "Registering as a job seeker"
    assert MUNICIPAL[-1].requires_identification is False


def test_catalogue__every_service__has_a_unique_code_and_all_three_languages():
    for key, services in {**SERVICES_BY_AGENCY, "municipal": MUNICIPAL}.items():
        codes = [s.code for s in services]
        assert len(codes) == len(set(codes)), key
        for s in services:
            assert all(s.name) and all(s.description) and all(s.keywords), s.code
            assert s.minutes > 0, s.code


def test_catalogue_load__a_service_without_a_language__is_refused(tmp_path):
    broken = tmp_path / "catalogue.toml"
    broken.write_text(
        'large_agencies = []\n[[services.kela]]\ncode = "x"\nminutes = 5\n'
        'name.fi = "X"\nname.en = "X"\ndescription = {fi = "", sv = "", en = ""}\n'
        'keywords = {fi = "", sv = "", en = ""}\n',
        encoding="utf-8",
    )

    with pytest.raises(KeyError, match="sv"):
        catalogue_load(broken)


def test_catalogue_toml__is_valid_toml_beside_the_loader():
    with CATALOGUE_TOML.open("rb") as f:
        assert set(tomllib.load(f)) == {"large_agencies", "services"}
