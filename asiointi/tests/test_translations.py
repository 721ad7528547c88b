"""Every message of the project has a Finnish and a Swedish translation.

`make lint` also extracts the messages from the code first (GNU gettext), so a new message that is
missing from the catalogues fails there; this test guards the catalogues themselves and runs anywhere."""

from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_message_catalogue__every_message_is_translated_and_none_is_fuzzy(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    active = [e for e in catalogue if not e.obsolete]

    missing = [e.msgid for e in active if not e.translated() or "fuzzy" in e.flags]

    assert len(active) > 100
    assert missing == []


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_message_catalogue__placeholders_survive_translation(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    broken = [
        e.msgid
        for e in catalogue
        if not e.obsolete
        and e.msgstr
        and sorted(placeholder.findall(e.msgid)) != sorted(placeholder.findall(e.msgstr))
    ]

    assert broken == []


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "Tuntematon asiointityyppi"), ("sv", "Okänd ärendetyp")],
)
def test_compiled_catalogue__service_messages_speak_the_users_language(language, expected):
    from asiointi.ledger.models import Transaction

    with translation.override(language):
        message = str(Transaction._meta.constraints[0].violation_error_message)

    assert message.startswith(expected)
