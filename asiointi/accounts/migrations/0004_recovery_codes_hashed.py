"""Recovery codes kept only as keyed hashes: hash the ones stored in clear text before.

Safe to run again: a stored hash starts with "$", which a code never contains, and is left as it
is. The hash is the one of ``asiointi.accounts.recovery.recovery_code_hash``, copied here so that
this migration does not change when that code does (a test keeps the two equal).
"""

from base64 import urlsafe_b64encode

from django.db import migrations
from django.utils.crypto import salted_hmac

HASH_MARKER = "$"


def recovery_code_hash(code):
    normalised = "".join(code.split()).replace("-", "").lower()
    digest = salted_hmac("asiointi.accounts.recovery_code", normalised, algorithm="sha256").digest()
    return HASH_MARKER + urlsafe_b64encode(digest).decode()[:15]


def hash_clear_recovery_codes(apps, schema_editor):
    StaticToken = apps.get_model("otp_static", "StaticToken")
    clear = StaticToken.objects.using(schema_editor.connection.alias).exclude(token__startswith=HASH_MARKER)
    for token in clear.iterator():
        token.token = recovery_code_hash(token.token)
        token.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_second_factor_demo_accounts_booth_devices"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.RunPython(hash_clear_recovery_codes, migrations.RunPython.noop, elidable=True),
    ]
