"""The single-line text validator: what people type in names, titles, addresses and phone numbers."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from asiointi.core.validators import SingleLineTextValidator, search_text, single_line_text


@pytest.mark.parametrize(
    "text",
    [
        "Åsa Ääkkönen-Öberg",
        "O'Brien, Jr.",
        "Torikatu 1 A 2",
        "+358 40 123 4567",
        "Kela – Karstula",
        "Zoë 🙂",
        "",
    ],
)
def test_single_line_text__ordinary_text__accepted(text):
    single_line_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "rivi\r\nrivi",
        "rivi\nrivi",
        "sarake\tsarake",
        "nolla\x00",
        "kello\x07",
        "\x1b[31mpunainen",
        "del\x7f",
        "\u202eexe.txt",
        "\u2066eristetty\u2069",
        "\u200fmerkki",
        "c1\x85",
    ],
)
def test_single_line_text__control_characters_and_direction_marks__refused_with_a_translated_message(text):
    with pytest.raises(ValidationError) as refused:
        single_line_text(text)

    assert refused.value.code == "single_line"
    # The message is translated when it is shown, in the language of the page that shows it.
    with translation.override("fi"):
        assert refused.value.messages == [
            "Kirjoita tämä yhdelle riville ilman rivinvaihtoja, sarkaimia, muita ohjausmerkkejä tai "
            "tekstin suunnan merkkejä."
        ]
    with translation.override("sv"):
        assert "en rad" in refused.value.messages[0]


#: Short text fields that no person types (codes have their own formats; the rest are written by
#: the product itself).
NOT_TYPED = {
    "accounts.User.password",
    "accounts.AuditEvent.actor_email",
    "accounts.AuditEvent.target_type",
    "accounts.AuditEvent.target_id",
    "accounts.AuditEvent.user_agent",
    "accounts.BoothDevice.pairing_code_hash",
    "ledger.Transaction.language",
    "planning.ScenarioMap.language",
    "core.ScheduledRun.name",
    "core.ScheduledRun.task_result_id",
    "ledger.Transaction.origin",
    "meetings.Room.janus_secret",
    "meetings.Room.janus_pin",
}


def test_every_short_text_field_people_type__refuses_control_characters():
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("asiointi."):
            continue
        for field in model._meta.get_fields():
            if not isinstance(field, models.CharField) or field.choices or not field.editable:
                continue
            label = f"{model._meta.label}.{field.name}"
            own_format = isinstance(field, models.EmailField | models.URLField | models.SlugField) or any(
                type(v).__name__ == "RegexValidator" for v in field.validators
            )
            if label in NOT_TYPED or own_format or field.name.endswith("code"):
                continue
            if not any(isinstance(v, SingleLineTextValidator) for v in field.validators):
                missing.append(label)

    assert missing == [], missing


def test_search_text__control_characters_and_direction_marks__dropped_and_cut():
    assert search_text("  Kars\x00tu\u202ela\r\n ") == "Karstula"
    assert search_text("x" * 500) == "x" * 100
    assert search_text("Åsa  Öberg") == "Åsa  Öberg"
