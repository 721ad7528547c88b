"""The keyed hash under which a recovery code is stored (never the code itself).

django-otp's ``StaticToken.token`` holds at most 16 characters: a marker (``$``, which a code never
contains) and 15 characters of an HMAC-SHA256 keyed with the project's secret key (90 bits). The
migration ``0004_recovery_codes_hashed`` keeps its own copy of this function, as migrations must
not change when the code does; a test keeps the two equal.
"""

from __future__ import annotations

from base64 import urlsafe_b64encode

from django.conf import settings
from django.utils.crypto import salted_hmac

HASH_MARKER = "$"


def recovery_code_hash(code: str, *, secret: str | bytes | None = None) -> str:
    """The stored form of ``code``: spaces and hyphens dropped, in lower case, then hashed with
    ``secret`` (the secret key by default)."""
    normalised = "".join(code.split()).replace("-", "").lower()
    digest = salted_hmac(
        "asiointi.accounts.recovery_code", normalised, secret=secret, algorithm="sha256"
    ).digest()
    return HASH_MARKER + urlsafe_b64encode(digest).decode()[:15]


def recovery_code_hashes(code: str) -> list[str]:
    """The stored forms ``code`` may have: under the secret key, then under each of
    ``SECRET_KEY_FALLBACKS`` (codes made before the key was rotated keep working meanwhile)."""
    return [recovery_code_hash(code)] + [
        recovery_code_hash(code, secret=old) for old in settings.SECRET_KEY_FALLBACKS
    ]
