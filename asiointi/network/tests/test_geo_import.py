from django.core.management import call_command
from django.db.models import Sum

from asiointi.network.models import Municipality, MunicipalityLanguage, Region


def test_import_geo__twice__imports_all_308_municipalities_without_duplicates(db):
    call_command("import_geo")
    call_command("import_geo")

    assert Municipality.objects.count() == 308
    assert Municipality.objects.values("code").distinct().count() == 308
    assert Municipality.objects.aggregate(total=Sum("population"))["total"] == 5_563_970
    assert Region.objects.count() == 19


def test_import_geo__keeps_codes_with_leading_zeros_and_both_official_names(db):
    call_command("import_geo")

    alajarvi = Municipality.objects.get(code="005")
    assert alajarvi.name_fi == "Alajärvi"
    parainen = Municipality.objects.get(name_fi="Parainen")
    assert parainen.name_sv == "Pargas"
    assert parainen.language == MunicipalityLanguage.BILINGUAL_SWEDISH_MAJORITY
    assert parainen.region.name_sv == "Egentliga Finland"
    assert parainen.region.name_en == "Southwest Finland"


def test_import_geo__second_run__reports_nothing_changed(db, capsys):
    call_command("import_geo")
    capsys.readouterr()
    call_command("import_geo")

    assert "0 created, 0 updated, 308 in all, population 5563970" in capsys.readouterr().out


def test_import_geo__changed_population__updates_the_row_in_place(db):
    call_command("import_geo")
    karstula = Municipality.objects.get(name_fi="Karstula")
    Municipality.objects.filter(pk=karstula.pk).update(population=1)

    call_command("import_geo")

    karstula.refresh_from_db()
    assert karstula.population > 1000
    assert Municipality.objects.filter(name_fi="Karstula").count() == 1
