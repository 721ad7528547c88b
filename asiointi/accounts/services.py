"""Writes of the accounts app: the audit log, the second factor, password reset and the devices
of booths."""

from __future__ import annotations

import datetime as dt
import math
import secrets
from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiointi.core import throttle
from asiointi.core.mail import mail_build, mail_builder, mail_queue

from . import selectors
from .models import ApiToken, AuditAction, AuditEvent, BoothDevice, User
from .recovery import recovery_code_hash, recovery_code_hashes


def _client_address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return throttle.client_address(request) or None


def login_address(request: HttpRequest) -> str:
    """The address that django-axes counts a sign-in's failures against
    (``AXES_CLIENT_IP_CALLABLE``): the client's, read as every limit reads it (``TRUSTED_PROXIES``)."""
    return throttle.client_address(request)


def audit_record(
    *,
    action: str,
    request: HttpRequest | None = None,
    actor: object | None = None,
    actor_email: str = "",
    target: models.Model | None = None,
    summary: str = "",
) -> AuditEvent:
    """Append one event to the audit log. ``actor`` defaults to the request's user; the address
    and browser come from the request. Never pass passwords or the personal data itself in
    ``summary``: say what was viewed or changed, not its value."""
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        action=action,
        actor_id=getattr(actor, "pk", None) if authenticated else None,
        actor_email=(getattr(actor, "email", "") if authenticated else "") or actor_email[:254],
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        summary=summary,
        ip_address=_client_address(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request is not None else "")[:300],
    )
    event.save(force_insert=True)
    return event


# -- the second factor -------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10
#: The session key under which freshly made recovery codes wait to be shown, once.
RECOVERY_CODES_SESSION_KEY = "asiointi_new_recovery_codes"


class SecondFactorRefused(Exception):
    """A code that was not accepted: wrong, or tried while too many wrong codes have been given
    (then ``retry_at`` says when the next try is allowed)."""

    def __init__(self, retry_at: dt.datetime | None = None) -> None:
        super().__init__(retry_at)
        self.retry_at = retry_at


def _normalise_code(code: str) -> str:
    """A code as the user may type it: spaces and hyphens dropped, letters in lower case."""
    return "".join(code.split()).replace("-", "").lower()


def _is_totp_code(code: str) -> bool:
    return code.isdigit() and len(code) in (6, 8)


#: Wrong codes in a row that cost no wait: a typo, or a code that changed while it was typed, must not
#: stop the right code that follows. From this many on, each wrong code doubles the wait (1, 2, 4 s...).
SECOND_FACTOR_FREE_FAILURES = 3
#: The longest wait between tries of a second-factor code.
SECOND_FACTOR_MAX_WAIT_SECONDS = 3600


def _second_factor_locked_until(device: Device) -> dt.datetime | None:
    """When the next code may be tried on ``device``, if that is still ahead. django-otp's own
    throttling (which refuses even the right code a second after one typo) is off in the settings;
    its failure count and time on the device are what this counts."""
    failures = getattr(device, "throttling_failure_count", 0)
    last_failure = getattr(device, "throttling_failure_timestamp", None)
    if failures < SECOND_FACTOR_FREE_FAILURES or last_failure is None:
        return None
    wait = min(2 ** (failures - SECOND_FACTOR_FREE_FAILURES), SECOND_FACTOR_MAX_WAIT_SECONDS)
    until: dt.datetime = last_failure + dt.timedelta(seconds=wait)
    return until if until > timezone.now() else None


def _check_code(device: Device, code: str) -> tuple[bool, dt.datetime | None]:
    """Verify ``code`` on ``device`` (locked for update by the caller) unless too many wrong codes
    were given just now: returns (accepted, when the next try is allowed if it must wait)."""
    locked_until = _second_factor_locked_until(device)
    if locked_until is not None:
        return False, locked_until
    if isinstance(device, StaticDevice):
        # Recovery codes are stored as keyed hashes only; the one that matches is used up.
        hashes = recovery_code_hashes(code)
        stored = device.token_set.filter(token__in=hashes).values_list("token", flat=True).first()
        code = stored or hashes[0]
    return bool(device.verify_token(code)), None


def _sign_in_verified(request: HttpRequest, device: Device) -> None:
    """Mark the session as having passed the second factor with ``device``, under a new key."""
    otp_login(request, device)
    request.session.cycle_key()
    audit_record(action=AuditAction.SIGN_IN, request=request)


def second_factor_verify(*, request: HttpRequest, code: str) -> Device:
    """Finish the sign-in of ``request.user`` with a code from their authenticator app or one of
    their recovery codes (used up by this). Raises :class:`SecondFactorRefused`; every refusal is
    in the audit log and counts towards the growing wait between tries
    (:data:`SECOND_FACTOR_FREE_FAILURES`)."""
    user = request.user
    code = _normalise_code(code)
    model: type[TOTPDevice] | type[StaticDevice] = TOTPDevice if _is_totp_code(code) else StaticDevice
    retry_at: dt.datetime | None = None
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=user, confirmed=True).order_by("-pk").first()
        accepted = False
        if device is not None and code:
            accepted, retry_at = _check_code(device, code)
    if device is None or not accepted:
        audit_record(action=AuditAction.SECOND_FACTOR_FAILED, request=request)
        raise SecondFactorRefused(retry_at=retry_at)
    _sign_in_verified(request, device)
    if isinstance(device, StaticDevice):
        audit_record(action=AuditAction.RECOVERY_CODE_USED, request=request)
    return device


def second_factor_setup_start(*, user: User) -> TOTPDevice:
    """The authenticator app being set up for ``user``: an unconfirmed TOTP device with a new
    secret, the same one until it is confirmed (so the QR code stays the same on reload)."""
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def second_factor_setup_confirm(*, request: HttpRequest, code: str) -> list[str]:
    """Confirm the authenticator app being set up for ``request.user`` with its first code. It
    replaces any earlier app, new recovery codes replace the old ones, and the session has passed
    the second factor. Returns the recovery codes (shown once). Raises :class:`SecondFactorRefused`."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    code = _normalise_code(code)
    retry_at: dt.datetime | None = None
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("-pk").first()
        )
        accepted = False
        if device is not None and _is_totp_code(code):
            accepted, retry_at = _check_code(device, code)
        if device is not None and accepted:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _replace_recovery_codes(user)
    if device is None or not accepted:
        audit_record(action=AuditAction.SECOND_FACTOR_FAILED, request=request)
        raise SecondFactorRefused(retry_at=retry_at)
    audit_record(action=AuditAction.SECOND_FACTOR_ENROLLED, request=request)
    audit_record(action=AuditAction.RECOVERY_CODES_CREATED, request=request)
    _sign_in_verified(request, device)
    request.session[RECOVERY_CODES_SESSION_KEY] = codes
    return codes


def _replace_recovery_codes(user: User) -> list[str]:
    """New recovery codes for ``user``, replacing the old ones. Only their keyed hashes are stored;
    the codes themselves are returned to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_hash(code)) for code in codes
    )
    return codes


def recovery_codes_create(*, request: HttpRequest) -> list[str]:
    """New recovery codes for ``request.user`` (who has an authenticator app); the old ones stop
    working. The codes wait in the session to be shown once."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
    audit_record(action=AuditAction.RECOVERY_CODES_CREATED, request=request)
    request.session[RECOVERY_CODES_SESSION_KEY] = codes
    return codes


def recovery_codes_take(*, request: HttpRequest) -> list[str]:
    """The recovery codes made in this session and not yet shown; showing them forgets them."""
    codes: list[str] = request.session.pop(RECOVERY_CODES_SESSION_KEY, [])
    return codes


def second_factor_remove(*, request: HttpRequest, user: User) -> None:
    """Remove ``user``'s authenticator app and recovery codes (an administrator does this when
    they are lost). The user sets up a new app at their next sign-in; their sessions that passed
    the second factor with the removed app must pass it again."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
    audit_record(action=AuditAction.SECOND_FACTOR_REMOVED, request=request, target=user)


# -- signing in: a growing wait before the lockout ---------------------------------------------

SIGN_IN_SCOPE = "sign_in"
#: How long one sign-in try may hold its claim (it is given back as soon as the try ends).
_SIGN_IN_CLAIM_SECONDS = 30


class SignInTooSoon(Exception):
    """A sign-in tried before the wait after earlier failures is over; ``seconds`` is what is left."""

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds)
        self.seconds = seconds


@dataclass(frozen=True)
class SignInAttempt:
    """One sign-in try under way: the keyed hashes of its account and address, and those whose
    one-try-at-a-time claim it holds."""

    keys: tuple[str, ...]
    claimed: tuple[str, ...]
    #: The account's email address as django-axes counts it (None for an empty one).
    username: str | None = None


def _pair_key(attempt: SignInAttempt) -> str | None:
    """The key of the address's failures at the account (when the try names one)."""
    if len(attempt.keys) < 2:
        return None
    return "pair:" + throttle.keyed_hash("|".join(attempt.keys))


def sign_in_delay(*, failures: int) -> int:
    """Seconds that the next sign-in must wait after ``failures`` failed ones within the lockout
    window: none after the first, then ``LOGIN_SLOWDOWN_SECONDS``, doubling after each further
    failure, at most ``LOGIN_SLOWDOWN_MAX_SECONDS``. At ``LOGIN_FAILURE_LIMIT`` the lockout takes
    over."""
    base: int = settings.LOGIN_SLOWDOWN_SECONDS
    if failures < 2 or base <= 0:
        return 0
    return int(min(settings.LOGIN_SLOWDOWN_MAX_SECONDS, base * 2 ** min(failures - 2, 30)))


def _sign_in_keys(*, request: HttpRequest, email: str) -> tuple[str, ...]:
    keys = [f"address:{throttle.client_key(request)}"]
    username = selectors.login_username(request, {"username": email})
    if username:
        keys.insert(0, f"account:{throttle.email_key(username)}")
    return tuple(keys)


def sign_in_attempt_begin(*, request: HttpRequest, email: str) -> SignInAttempt:
    """Let a sign-in to ``email`` from the request's address go ahead, or raise
    :class:`SignInTooSoon` while the wait after earlier failures of the account or of the address
    is not over. While the account or the address has failures, only one try at a time goes
    ahead (a claim in the shared cache), so parallel requests cannot share one opening. End the
    try with :func:`sign_in_attempt_end`."""
    keys = _sign_in_keys(request=request, email=email)
    wait = max(throttle.backoff_wait(scope=SIGN_IN_SCOPE, key=key) for key in keys)
    if wait > 0:
        raise SignInTooSoon(seconds=max(1, math.ceil(wait)))
    claimed: list[str] = []
    for key in keys:
        if key.startswith("address:") and not throttle.backoff_failures(scope=SIGN_IN_SCOPE, key=key):
            continue  # many people sign in from one office's address: no claim until it fails
        if not throttle.backoff_claim(scope=SIGN_IN_SCOPE, key=key, seconds=_SIGN_IN_CLAIM_SECONDS):
            for held in claimed:
                throttle.backoff_release(scope=SIGN_IN_SCOPE, key=held)
            raise SignInTooSoon(seconds=1)
        claimed.append(key)
    username = selectors.login_username(request, {"username": email})
    return SignInAttempt(keys=keys, claimed=tuple(claimed), username=username)


def sign_in_attempt_failed(*, attempt: SignInAttempt) -> None:
    """Count a wrong password (or unknown account) against the account and the address; their
    next try waits :func:`sign_in_delay`. Failures are forgotten ``LOGIN_LOCKOUT_MINUTES`` after
    the last one, as django-axes forgets them."""
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    for key in attempt.keys:
        failures = throttle.backoff_failure(scope=SIGN_IN_SCOPE, key=key, window_seconds=window)
        throttle.backoff_wait_until(
            scope=SIGN_IN_SCOPE, key=key, seconds=sign_in_delay(failures=failures), window_seconds=window
        )
    pair = _pair_key(attempt)
    if pair is not None:  # the address's failures at this account, forgiven by its success
        throttle.backoff_failure(scope=SIGN_IN_SCOPE, key=pair, window_seconds=window)


def sign_in_attempt_succeeded(*, attempt: SignInAttempt) -> None:
    """A right password: the account's own failures are forgotten, from every address (for
    django-axes too), and so are the address's failures at this account; its failures at other
    accounts still count, so one account's success cannot hide trying other accounts' passwords
    from the same address (password spraying)."""
    window = int(settings.AXES_COOLOFF_TIME.total_seconds())
    for key in attempt.keys:
        if key.startswith("account:"):
            throttle.backoff_clear(scope=SIGN_IN_SCOPE, key=key)
    pair = _pair_key(attempt)
    if pair is not None:
        own = throttle.backoff_failures(scope=SIGN_IN_SCOPE, key=pair)
        throttle.backoff_clear(scope=SIGN_IN_SCOPE, key=pair)
        for key in attempt.keys:
            if key.startswith("address:"):
                left = throttle.backoff_forgive(scope=SIGN_IN_SCOPE, key=key, failures=own)
                throttle.backoff_wait_until(
                    scope=SIGN_IN_SCOPE, key=key, seconds=sign_in_delay(failures=left), window_seconds=window
                )
    if attempt.username:
        axes_reset(username=attempt.username)


def sign_in_attempt_end(*, attempt: SignInAttempt) -> None:
    for key in attempt.claimed:
        throttle.backoff_release(scope=SIGN_IN_SCOPE, key=key)


# -- password reset ----------------------------------------------------------------------------


class PasswordResetLimited(Exception):
    """Too many password reset requests from this address or for this email address in an hour."""


def password_reset_request(*, request: HttpRequest, email: str) -> None:
    """Mail a one-time link for setting a new password to the account of ``email``, in the
    account's language, from the background worker (:func:`password_reset_mails`). Nothing tells the
    asker whether an account exists: the request neither looks the account up nor sends anything, so
    it takes the same path and the same time for an address with an account and one without.

    At most ``PASSWORD_RESET_LIMIT_PER_HOUR`` requests from one address and
    ``PASSWORD_RESET_LIMIT_PER_EMAIL_PER_HOUR`` for one email address are taken in an hour,
    counted alike whether or not the address has an account; the one over either raises
    :class:`PasswordResetLimited` and sends nothing."""
    within_address = throttle.throttle_hit(
        scope="password_reset_address",
        key=throttle.client_key(request),
        limit=settings.PASSWORD_RESET_LIMIT_PER_HOUR,
        window_seconds=3600,
    )
    within_email = throttle.throttle_hit(
        scope="password_reset_email",
        key=throttle.email_key(email),
        limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL_PER_HOUR,
        window_seconds=3600,
    )
    if not (within_address and within_email):
        raise PasswordResetLimited
    with transaction.atomic():
        mail_queue(
            builder=password_reset_mails,
            email=email.strip(),
            scheme=request.scheme or "https",
            host=request.get_host(),
        )
        audit_record(action=AuditAction.PASSWORD_RESET_REQUESTED, request=request, actor_email=email.strip())


@mail_builder
def password_reset_mails(*, email: str, scheme: str, host: str) -> list[EmailMessage]:
    """The password reset mails for ``email`` (none when no active account with a password has it),
    each in its account's language with a fresh one-time link. Called by the mail task's worker."""
    messages = []
    for user in selectors.password_reset_users(email=email):
        with translation.override(user.language):
            path = reverse(
                "accounts:password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
        messages.append(
            mail_build(
                to=[user.email],
                language=user.language,
                subject_template="accounts/password_reset_subject.txt",
                body_template="accounts/password_reset_email.txt",
                context={
                    "user": user,
                    "link": f"{scheme}://{host}{path}",
                    "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
                },
            )
        )
    return messages


def password_reset_complete(*, request: HttpRequest, user: User, password: str) -> None:
    """Set ``user``'s new password from a reset link. Their other sessions end (Django ties a
    session to the password); the second factor stays as it was."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
    audit_record(action=AuditAction.PASSWORD_RESET, request=request, actor=user)


# -- booth screens -----------------------------------------------------------------------------

#: The session key that makes a session the device session of a booth screen.
BOOTH_DEVICE_SESSION_KEY = "asiointi_booth_device"
#: Pairing codes: eight characters without look-alikes (0/O, 1/I/L), 40 bits.
PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_CODE_LENGTH = 8


class BoothPairingRefused(Exception):
    """A pairing code that was not accepted; ``retry_at`` is set when this address is locked."""

    def __init__(self, retry_at: dt.datetime | None = None) -> None:
        super().__init__(retry_at)
        self.retry_at = retry_at


def _pairing_code_hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return salted_hmac("asiointi.accounts.booth_pairing", normalised, algorithm="sha256").hexdigest()


def booth_pairing_code_create(*, request: HttpRequest, device: BoothDevice) -> str:
    """Save ``device`` (a new device of a booth) with a one-time pairing code, valid for
    ``BOOTH_PAIRING_MINUTES``, and return the code as the staff member reads it out
    ("ABCD-EFGH"). Only its keyed hash is stored."""
    code = "".join(secrets.choice(PAIRING_ALPHABET) for _ in range(PAIRING_CODE_LENGTH))
    device.pairing_code_hash = _pairing_code_hash(code)
    device.pairing_expires_at = timezone.now() + dt.timedelta(minutes=settings.BOOTH_PAIRING_MINUTES)
    actor = request.user
    device.created_by = actor if isinstance(actor, User) else None
    with transaction.atomic():
        device.save(force_insert=True)
        audit_record(action=AuditAction.BOOTH_PAIRING_CODE_CREATED, request=request, target=device)
    half = PAIRING_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def booth_pair(*, request: HttpRequest, code: str) -> BoothDevice:
    """Turn this browser into the device session of the booth whose pairing code ``code`` is.
    The code works once and only in time; whoever was signed in here is signed out. Too many
    wrong codes from one address lock it as failed sign-ins do. Raises :class:`BoothPairingRefused`."""
    address = _client_address(request)
    locked_until = selectors.booth_pairing_locked_until(address=address)
    if locked_until is not None:
        audit_record(action=AuditAction.BOOTH_PAIRING_FAILED, request=request)
        raise BoothPairingRefused(retry_at=locked_until)
    now = timezone.now()
    with transaction.atomic():
        device = (
            BoothDevice.objects.select_for_update()
            .filter(
                pairing_code_hash=_pairing_code_hash(code),
                pairing_expires_at__gt=now,
                paired_at__isnull=True,
                revoked_at__isnull=True,
                booth__is_active=True,
            )
            .first()
        )
        if device is not None:
            device.paired_at = now
            device.pairing_code_hash = ""
            device.save(update_fields=["paired_at", "pairing_code_hash"])
    if device is None:
        audit_record(action=AuditAction.BOOTH_PAIRING_FAILED, request=request)
        raise BoothPairingRefused(retry_at=selectors.booth_pairing_locked_until(address=address))
    if request.user.is_authenticated:
        logout(request)
    else:
        request.session.flush()
    request.session[BOOTH_DEVICE_SESSION_KEY] = device.pk
    # In seconds, so that every request starts the count again (a date would be a fixed end).
    request.session.set_expiry(settings.BOOTH_SESSION_DAYS * 24 * 60 * 60)
    audit_record(action=AuditAction.BOOTH_PAIRED, request=request, target=device)
    return device


def booth_device_revoke(*, request: HttpRequest, device: BoothDevice) -> bool:
    """Revoke ``device``: its session ends at its next request and its pairing code stops
    working. Returns False if it was revoked already."""
    with transaction.atomic():
        changed = BoothDevice.objects.filter(pk=device.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), pairing_code_hash=""
        )
        if changed:
            audit_record(action=AuditAction.BOOTH_DEVICE_REVOKED, request=request, target=device)
    return bool(changed)


def booth_session_end(*, request: HttpRequest) -> None:
    """Make this session no longer a booth's device session (a person signs in on it)."""
    if request.session.pop(BOOTH_DEVICE_SESSION_KEY, None) is not None:
        request.session.set_expiry(None)


# -- personal API tokens -----------------------------------------------------------------------

#: Every token begins with this, so that a leaked one is easy to recognise (and to search for).
API_TOKEN_PREFIX = "asi_"  # noqa: S105 (not a secret: the visible start of every token)  # nosec B105
API_TOKEN_SHOWN_CHARACTERS = 12


def api_token_hash(raw: str) -> str:
    """The keyed hash under which a token is stored (the token itself never is)."""
    return salted_hmac("asiointi.accounts.api_token", raw, algorithm="sha256").hexdigest()


def api_token_issue(*, request: HttpRequest, token: ApiToken) -> str:
    """Save ``token`` (a new token of its user, with its name and optional expiry) and return the
    token itself, to be shown to the administrator once. Only its keyed hash is stored."""
    raw = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token.token_hash = api_token_hash(raw)
    token.prefix = raw[:API_TOKEN_SHOWN_CHARACTERS]
    actor = request.user
    token.created_by = actor if isinstance(actor, User) else None
    with transaction.atomic():
        token.save(force_insert=True)
        audit_record(
            action=AuditAction.API_TOKEN_ISSUED,
            request=request,
            target=token,
            summary=f"{token.prefix}… for {token.user.email}",
        )
    return raw


def api_token_revoke(*, request: HttpRequest, token: ApiToken) -> bool:
    """Revoke ``token``: it is refused from its next use on. Returns False if it was revoked already."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if changed:
            audit_record(
                action=AuditAction.API_TOKEN_REVOKED,
                request=request,
                target=token,
                summary=f"{token.prefix}…",
            )
    return bool(changed)


def api_token_use(*, request: HttpRequest, raw: str) -> User | None:
    """The user that the token ``raw`` acts for, recording the use (its time on the token, and an
    event in the audit log); None for a token that is unknown, revoked or expired, or whose user
    is no longer active.

    The use is recorded at most once in ``API_TOKEN_USE_RECORD_SECONDS`` (60; 0: every use) per
    token and client address: the first use from an address is always recorded, further uses from
    it within that time are not (the cache remembers the last record: shared by every process with
    ``REDIS_URL``, per process without it). The token is checked, revocation and expiry included,
    on every use."""
    if not raw.startswith(API_TOKEN_PREFIX) or len(raw) > 100:
        return None
    now = timezone.now()
    try:
        # get(), not first(): the hash is unique, and no ORDER BY to compile on every API request.
        token = (
            ApiToken.objects.select_related("user")
            .filter(token_hash=api_token_hash(raw), revoked_at__isnull=True, user__is_active=True)
            .filter(models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))
            .get()
        )
    except ApiToken.DoesNotExist:
        return None
    if _api_token_use_due(request=request, token=token):
        with transaction.atomic():
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            audit_record(
                action=AuditAction.API_TOKEN_USED,
                request=request,
                actor=token.user,
                target=token,
                summary=f"{request.method} {request.path}"[:300],
            )
    return token.user


def _api_token_use_due(*, request: HttpRequest, token: ApiToken) -> bool:
    """Whether this use of ``token`` is to be recorded: none recorded from the client's address in
    the last ``API_TOKEN_USE_RECORD_SECONDS``. Claims the record atomically (of parallel first uses,
    one records). The cache key holds the address only as a keyed hash."""
    seconds = settings.API_TOKEN_USE_RECORD_SECONDS
    if seconds <= 0:
        return True
    key = f"api_token_use:{token.pk}:{throttle.client_key(request)}"
    now = throttle.clock()
    if cache.add(key, now, timeout=seconds):
        return True
    last = cache.get(key)
    if last is not None and now - float(last) < seconds:
        return False
    cache.set(key, now, timeout=seconds)  # the record of the last window, not yet expired
    return True
