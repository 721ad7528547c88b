"""Settings of Asiointi, read from environment variables only.

Every variable has an embedded default that runs on a fresh machine with nothing else installed
(SQLite under ``var/``). The README lists them all.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Generic Django classes (ModelForm[Model], QuerySet[Model]) subscriptable at run time, for type hints.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ASIOINTI_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from SECRET_KEY, or one generated once and kept in var/ for the embedded setup."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if not path.exists():
        # Written whole under another name, then linked into place: processes that start at once
        # (the test workers of a fresh checkout) all read the same complete key.
        draft = VAR_DIR / f"secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


def database_settings(
    url: str, *, conn_max_age: int = 0, pool: int = 0, pool_timeout: float = 30
) -> dict[str, Any]:
    """Django's settings of the database at ``url``. ``pool`` > 0 (PostgreSQL only) keeps up to that
    many connections per process open in psycopg's pool, a request waiting at most ``pool_timeout``
    seconds for one, instead of opening a connection for every request."""
    database: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    if pool <= 0:
        return database
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "DB_POOL: a connection pool needs PostgreSQL (DATABASE_URL=postgres://...)."
        )
    if conn_max_age:
        raise ImproperlyConfigured(
            "DB_POOL and DB_CONN_MAX_AGE exclude each other: the pool keeps the connections (DB_CONN_MAX_AGE=0)."
        )
    if pool_timeout <= 0:
        raise ImproperlyConfigured("DB_POOL_TIMEOUT: give the seconds to wait for a connection, more than 0.")
    # Two connections open from the first use on; more, up to ``pool``, while requests wait.
    database.setdefault("OPTIONS", {})["pool"] = {
        "min_size": min(2, pool),
        "max_size": pool,
        "timeout": pool_timeout,
    }
    return database


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The reverse proxies in front of the server (addresses or networks, e.g. 10.0.0.5,10.1.0.0/24):
# only from them are X-Forwarded-For and X-Forwarded-Proto believed. None by default: the client's
# address is the connection's (docs/security.md).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES: {_proxy!r} is not an address or a network (e.g. 10.0.0.5 or 10.1.0.0/24, a network by its first address)."
        ) from None

INSTALLED_APPS = [
    "modeltranslation",
    # Django's admin with a site hardened against nonsense in query strings and forms.
    "config.admin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    # The second factor: TOTP authenticator apps and single-use recovery codes. Before the accounts
    # app, whose admin replaces the device admins that these register.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Background tasks (Django's Tasks framework) kept in the database, run by `manage.py db_worker`.
    "django_tasks_db",
    "asiointi.core",
    "asiointi.accounts",
    "asiointi.network",
    "asiointi.catalogue",
    "asiointi.scheduling",
    "asiointi.meetings",
    "asiointi.ledger",
    "asiointi.planning",
    "asiointi.desk",
    "asiointi.web",
    "asiointi.api",
    "asiointi.demo",
]

MIDDLEWARE = [
    # First: X-Forwarded-For and X-Forwarded-Proto count only from TRUSTED_PROXIES.
    "asiointi.web.middleware.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before the static files and the language redirect (/ -> /fi/), so that those responses carry
    # the same security headers as every page.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "asiointi.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The API's ?lang= and its error bodies for what Django answers outside its operations.
    "asiointi.api.middleware.ApiMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session has passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the security headers, so that the redirects these two answer with carry them too.
    # request.booth_device: the booth screen signed in as a device of its point (no staff user).
    "asiointi.accounts.middleware.BoothDeviceMiddleware",
    # A signed-in user who has not passed the second factor reaches only its pages.
    "asiointi.accounts.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's overrides of Django admin templates come before the admin's own.
        "DIRS": [BASE_DIR / "asiointi" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "asiointi.web.context_processors.site",
            ],
        },
    },
]

# Database: SQLite file under var/ by default; PostgreSQL through DATABASE_URL in production and CI,
# optionally with a pool of connections per process (DB_POOL).
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'asiointi.sqlite3'}"
DATABASES = {
    "default": database_settings(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
        pool=int(os.environ.get("DB_POOL", "0") or "0"),
        pool_timeout=float(os.environ.get("DB_POOL_TIMEOUT", "30") or "30"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Write transactions take the write lock at BEGIN, so two writers never deadlock
            # half-way and concurrent bookings serialise.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    )
    # Tests use a file, not memory: threads of a concurrency test then each open a connection of
    # their own and contend for the write lock as web processes do (pytest-xdist adds a suffix).
    DATABASES["default"].setdefault("TEST", {}).setdefault("NAME", str(VAR_DIR / "test_asiointi.sqlite3"))
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("TEST", {})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Argon2id for new passwords; older hashes are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # Refuses sign-ins of locked-out accounts and addresses before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Repeated failed sign-ins lock the account, and the address they come from, for a while.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success forgets only the account's own failures, not the address's at other accounts
# (asiointi.accounts.services.sign_in_attempt_succeeded does it, against password spraying).
AXES_RESET_ON_SUCCESS = False
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "asiointi.accounts.selectors.login_username"
# The address of a failed sign-in is the client's, as every limit reads it (TRUSTED_PROXIES).
AXES_CLIENT_IP_CALLABLE = "asiointi.accounts.services.login_address"
AXES_LOCKOUT_CALLABLE = "asiointi.accounts.views.locked_out"
# Before the lockout, failures slow signing in down: after the second failed sign-in to an account
# or from an address (within LOGIN_LOCKOUT_MINUTES), its next try must wait LOGIN_SLOWDOWN_SECONDS,
# doubling after each further failure, at most LOGIN_SLOWDOWN_MAX_SECONDS; a try that comes sooner
# is refused with 429. Counted in the cache (shared by every process with REDIS_URL).
LOGIN_SLOWDOWN_SECONDS = int(os.environ.get("LOGIN_SLOWDOWN_SECONDS", "2"))
LOGIN_SLOWDOWN_MAX_SECONDS = int(os.environ.get("LOGIN_SLOWDOWN_MAX_SECONDS", "60"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "staff:home"
LOGOUT_REDIRECT_URL = "web:home"

# Every staff role signs in with a second factor: a TOTP authenticator app, or a single-use recovery
# code. Only for trying the product out (`make demo`): this switches the second factor off for the
# accounts that load_demo created, and for no other account.
SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS = env_bool("SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS", False)
# The name that authenticator apps show beside the account.
OTP_TOTP_ISSUER = "Asiointi"
# django-otp's own wait after a wrong code is off: the accounts app counts wrong codes itself and
# lets the right code through at once after a typo (accounts/services.py, SECOND_FACTOR_FREE_FAILURES).
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
# A link in a password reset mail works this long, and once.
PASSWORD_RESET_TIMEOUT = 60 * int(os.environ.get("PASSWORD_RESET_MINUTES", "60"))
# Password reset requests taken in an hour from one address, and for one email address (whether or
# not it has an account); more get a clear answer (429) that keeps the address in the form.
PASSWORD_RESET_LIMIT_PER_HOUR = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_HOUR", "10"))
PASSWORD_RESET_LIMIT_PER_EMAIL_PER_HOUR = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_EMAIL_PER_HOUR", "3"))
# A booth's screen signs in with a one-time pairing code, valid this long; its device session then
# lasts this many days without use (it is not a staff session: no idle limit of 30 minutes).
BOOTH_PAIRING_MINUTES = int(os.environ.get("BOOTH_PAIRING_MINUTES", "15"))
BOOTH_SESSION_DAYS = int(os.environ.get("BOOTH_SESSION_DAYS", "30"))

# Languages: Finnish is the default; Swedish and English beside it.
LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Helsinki"
LANGUAGE_COOKIE_NAME = "asiointi_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Content fields (names, descriptions) in fi/sv/en. A missing translation falls back to Finnish,
# then to English (Swedish to Finnish first: every bilingual service is written in Finnish).
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_LANGUAGES = ("fi", "sv", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "en", "sv")}

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# A strict Content-Security-Policy on every response: scripts, styles and everything else from the
# project's own files only; no inline scripts or styles, no eval, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # The design system's CSS draws its icons as data: SVG masks.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    # 'self' also allows WebSockets (ws:, wss:) to the page's own host and port (CSP Level 3).
    "connect-src": [CSP.SELF],
    "media-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Powerful browser features are off everywhere; a view that needs the camera and microphone turns
# them on for itself with asiointi.web.middleware.permissions_policy.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "display-capture": [],
    "payment": [],
    "usb": [],
    "interest-cohort": [],
}

# Staff sessions end after this many minutes without activity; every request starts the count again.
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# A form refused for its CSRF token gets the product's own page, in the user's language.
CSRF_FAILURE_VIEW = "asiointi.web.errors.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_SECURE = HTTPS
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Mail: written as .eml files under var/mail by default; SMTP when EMAIL_HOST is given.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                # The worker gives up on a mail server that does not answer, and tries again later.
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
del EMAIL_HOST
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "asiointi@localhost")
# Mail is sent by the task worker (asiointi/core/mail.py). A temporary failure of the mail server is
# tried again after MAIL_RETRY_SECONDS, doubled at every try, up to MAIL_MAX_ATTEMPTS tries in all.
MAIL_RETRY_SECONDS = int(os.environ.get("MAIL_RETRY_SECONDS", "60"))
MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "5"))

# Dates, times and numbers as each language writes them (24.12.2026 klo 10.00, decimal comma).
FORMAT_MODULE_PATH = ["asiointi.formats"]

# Where accessibility feedback goes besides the administrators' own addresses.
ACCESSIBILITY_FEEDBACK_EMAIL = os.environ.get("ACCESSIBILITY_FEEDBACK_EMAIL", "")
# Feedback messages accepted from one address in an hour; more get a clear answer (429) that keeps
# the message in the form.
FEEDBACK_LIMIT_PER_HOUR = int(os.environ.get("FEEDBACK_LIMIT_PER_HOUR", "5"))

# The cache: in memory per process on the embedded defaults; Redis, shared by every process, when
# REDIS_URL is set (rate limits then hold across web workers).
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "asiointi",
        }
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Live events to browsers (WebSockets, Channels): sent to groups by asiointi.core.events.event_publish.
# In memory within one process by default; through Redis, between every web and worker process, when
# REDIS_URL is set (without it, a worker's events do not reach the web process and pages poll instead).
CHANNEL_LAYERS = {
    "default": (
        {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
        if REDIS_URL
        else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
    )
}
# A signed token that lets a WebSocket connect for a signed-in user without the session cookie is
# accepted this many seconds after it was issued.
WEBSOCKET_TOKEN_SECONDS = int(os.environ.get("WEBSOCKET_TOKEN_SECONDS", "60"))

# Retention of customers' personal data, in days per kind (docs/security.md); `manage.py
# apply_retention`, run daily, anonymises what is older.
RETENTION_DAYS: dict[str, int] = {
    # Accessibility feedback: long enough to answer (the law asks for two weeks) and to follow up.
    "accessibility_feedback": int(os.environ.get("RETENTION_ACCESSIBILITY_FEEDBACK_DAYS", "180")),
    # A customer's name and contact on an appointment, counted from the appointment's end.
    "appointment_contact": int(os.environ.get("RETENTION_APPOINTMENT_CONTACT_DAYS", "90")),
    # Customers' free text in transaction feedback (ratings stay): long enough for a year's review.
    "feedback_text": int(os.environ.get("RETENTION_FEEDBACK_TEXT_DAYS", "365")),
    # A callback request's name, phone and preferred times, counted from its closure (or its filing).
    "callback_contact": int(os.environ.get("RETENTION_CALLBACK_CONTACT_DAYS", "30")),
    # Documents sent in a remote meeting (scans, photos, PDFs to print), counted from their sending.
    "meeting_documents": int(os.environ.get("RETENTION_MEETING_DOCUMENTS_DAYS", "2")),
}

# Callback requests filed at the desk (docs/desk.md): the deadline in working days (weekends and
# Finnish public holidays skipped), by agency code with a default, and the attempts to make before a
# request may be closed as "not reached".
CALLBACK_DEADLINE_WORKING_DAYS: dict[str, int] = {
    "default": int(os.environ.get("CALLBACK_DEADLINE_WORKING_DAYS", "2")),
}
CALLBACK_MAX_ATTEMPTS = int(os.environ.get("CALLBACK_MAX_ATTEMPTS", "3"))
# How often the desk's counts and the callback queues poll when no live event arrives (seconds).
DESK_POLL_SECONDS = int(os.environ.get("DESK_POLL_SECONDS", "30"))
# The "call now" queue (docs/desk.md): a request left waiting this many minutes expires (the periodic
# task "callnow-sweep"); the meeting room of an accepted call is opened for this many minutes; the
# estimated wait is computed from the agency's last CALL_NOW_ESTIMATE_SAMPLES accepted calls of the
# last CALL_NOW_ESTIMATE_DAYS days.
CALL_NOW_EXPIRE_MINUTES = int(os.environ.get("CALL_NOW_EXPIRE_MINUTES", "15"))
CALL_NOW_MEETING_MINUTES = int(os.environ.get("CALL_NOW_MEETING_MINUTES", "45"))
CALL_NOW_ESTIMATE_SAMPLES = int(os.environ.get("CALL_NOW_ESTIMATE_SAMPLES", "10"))
CALL_NOW_ESTIMATE_DAYS = int(os.environ.get("CALL_NOW_ESTIMATE_DAYS", "7"))

# Customer feedback and statistics (docs/statistics.md).
# How long a feedback link (booth screen, desk receipt) can be used.
FEEDBACK_LINK_DAYS = int(os.environ.get("FEEDBACK_LINK_DAYS", "14"))
# Travel saved by remote service (docs/statistics.md): the average speed of the trip to the agency's
# office (km/h), and the CO2 of a passenger car per km: 140 g/km is VTT LIPASTO's average of Finnish
# passenger cars in rural road driving ("maantieajo", CO2 column), the kind of trip from a rural point
# to a town: http://lipasto.vtt.fi/yksikkopaastot/henkiloliikenne/tieliikenne/henkiloautot/hayht.htm
TRAVEL_AVERAGE_SPEED_KMH = float(os.environ.get("TRAVEL_AVERAGE_SPEED_KMH", "70"))
TRAVEL_CO2_G_PER_KM = float(os.environ.get("TRAVEL_CO2_G_PER_KM", "140"))
# The public statistics hide a figure counted from fewer than this many transactions or answers.
STATISTICS_PUBLIC_MIN_COUNT = int(os.environ.get("STATISTICS_PUBLIC_MIN_COUNT", "10"))

# Remote meetings (asiointi/meetings). A participant's personal join link works from this many minutes
# before the appointment's start until its end (and while the meeting is still going on).
MEETING_JOIN_EARLY_MINUTES = int(os.environ.get("MEETING_JOIN_EARLY_MINUTES", "10"))
# A meeting still open this many minutes after its planned end is ended by the periodic task.
MEETING_OVERRUN_MINUTES = int(os.environ.get("MEETING_OVERRUN_MINUTES", "120"))
# The booth's feedback questions after a meeting go back to the idle screen after this many seconds.
MEETING_FEEDBACK_IDLE_SECONDS = int(os.environ.get("MEETING_FEEDBACK_IDLE_SECONDS", "120"))
# The idle booth screen looks again for a meeting (a call now taken, a meeting booked meanwhile) this often.
MEETING_KIOSK_LOOK_AGAIN_SECONDS = int(os.environ.get("MEETING_KIOSK_LOOK_AGAIN_SECONDS", "15"))
# Documents sent in a meeting (docs/video.md): the largest file accepted, and the private folder that
# keeps them (outside every public URL: only the meeting's participants open them, through a view).
MEETING_DOCUMENT_MAX_BYTES = int(os.environ.get("MEETING_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))
MEETING_DOCUMENT_DIR = Path(os.environ.get("MEETING_DOCUMENT_DIR", VAR_DIR / "private" / "meeting-documents"))
# TURN relays for WebRTC (coturn with use-auth-secret): space-separated turn:/turns: URLs and the shared
# secret; the backend makes each participant a credential valid for TURN_CREDENTIAL_SECONDS.
TURN_URLS = os.environ.get("TURN_URLS", "").split()
TURN_SECRET = os.environ.get("TURN_SECRET", "")
TURN_CREDENTIAL_SECONDS = int(os.environ.get("TURN_CREDENTIAL_SECONDS", "43200"))

# Background work (planning scenarios, retention, mail) goes through Django's Tasks framework into the
# database; `manage.py db_worker --queue-name NAME` runs one queue (`make demo` and `make serve` start
# a worker for each). Two queues, so that long work never delays short work: `planning` for the
# planner's solver runs (minutes), `default` for everything short (mail, reminders, retention).
# TASKS_BACKEND=immediate runs each task at once inside the request instead (for a single process).
TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("TASKS_BACKEND") == "immediate"
        else "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "planning"],
    }
}

# Periodic work: `manage.py scheduler` queues each of these tasks once per period (a day or an hour,
# counted in TIME_ZONE), however many schedulers run and however often they restart. "every" is the
# period in minutes (1440: daily at midnight; 60: hourly on the hour; a divisor of 1440).
PERIODIC_TASKS: dict[str, dict[str, object]] = {
    "retention": {"task": "asiointi.accounts.tasks.retention_apply_task", "every": 1440},
    "planning-abandoned": {"task": "asiointi.planning.tasks.scenario_fail_abandoned_task", "every": 5},
    "task-results-prune": {"task": "asiointi.core.tasks.task_results_prune_task", "every": 1440},
    "appointment-reminders": {"task": "asiointi.scheduling.tasks.appointment_reminders_task", "every": 15},
    # Drafts the previous month's statements (idempotent: approved ones stay as they are).
    "statements-draft": {"task": "asiointi.ledger.tasks.statements_draft_previous_month_task", "every": 1440},
    # Meetings past their end: never started gives a no-show, an overrun meeting is ended and recorded.
    "meetings-close-overdue": {"task": "asiointi.meetings.tasks.rooms_close_overdue_task", "every": 15},
    # The desk's call-now queue: requests waiting too long expire, calls whose meeting ended are done.
    "callnow-sweep": {"task": "asiointi.desk.tasks.callnow_sweep_task", "every": 1},
    # Janus rooms of ended meetings that Janus did not destroy at the end (it was down).
    "meetings-janus-cleanup": {"task": "asiointi.meetings.tasks.rooms_janus_cleanup_task", "every": 15},
}
# How often the scheduler looks for due tasks.
SCHEDULER_INTERVAL_SECONDS = int(os.environ.get("SCHEDULER_INTERVAL_SECONDS", "30"))

# Requests to the API's public operations taken from one address in a minute; more get 429 with
# Retry-After (docs/api.md).
API_PUBLIC_LIMIT_PER_MINUTE = int(os.environ.get("API_PUBLIC_LIMIT_PER_MINUTE", "120"))
# A personal API token's use (its last_used_at and an audit event) is recorded at most once in this
# many seconds per token and client address; the first use from an address always is (docs/security.md).
# 0 records every use.
API_TOKEN_USE_RECORD_SECONDS = int(os.environ.get("API_TOKEN_USE_RECORD_SECONDS", "60"))

# Scheduling (docs/scheduling.md). Slot searches and bookings taken from one address (per minute, per
# hour) on the public site and the API; 0 turns a limit off.
SLOT_SEARCH_LIMIT_PER_MINUTE = int(os.environ.get("SLOT_SEARCH_LIMIT_PER_MINUTE", "60"))
BOOKING_LIMIT_PER_HOUR = int(os.environ.get("BOOKING_LIMIT_PER_HOUR", "20"))
# Minutes a booth, an expert and an interpreter are kept free after each meeting.
SCHEDULING_BUFFER_MINUTES = int(os.environ.get("SCHEDULING_BUFFER_MINUTES", "10"))
# How long before its start an appointment can be booked, moved or cancelled by the customer.
SCHEDULING_MIN_NOTICE_MINUTES = int(os.environ.get("SCHEDULING_MIN_NOTICE_MINUTES", "120"))
# Start times are offered on this grid (minutes past the hour).
SCHEDULING_SLOT_STEP_MINUTES = int(os.environ.get("SCHEDULING_SLOT_STEP_MINUTES", "15"))
# How far ahead appointments can be booked.
SCHEDULING_HORIZON_DAYS = int(os.environ.get("SCHEDULING_HORIZON_DAYS", "120"))
# The reminder goes this many hours before the start.
APPOINTMENT_REMINDER_HOURS = int(os.environ.get("APPOINTMENT_REMINDER_HOURS", "24"))
# Text messages to customers who gave no email address go through this class (dotted path), which has
# send(*, to, text, language); the default writes them to the log (docs/operations.md).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "asiointi.scheduling.sms.LogSmsSender")

# Video meetings through a Janus server (docs/video.md). Unset JANUS_URL: browser to browser only. The
# backend's address of Janus's HTTP API, e.g. http://127.0.0.1:8088/janus; the address browsers use when
# it differs (a proxied wss://.../janus-ws); the videoroom plugin's admin key (only the backend creates
# rooms) and Janus's Admin API secret (both written into Janus's configuration by `manage.py
# video_config`); how long the backend waits for Janus before a meeting falls back to browser to browser.
JANUS_URL = os.environ.get("JANUS_URL", "")
JANUS_PUBLIC_URL = os.environ.get("JANUS_PUBLIC_URL", "")
JANUS_ADMIN_KEY = os.environ.get("JANUS_ADMIN_KEY", "")
JANUS_ADMIN_SECRET = os.environ.get("JANUS_ADMIN_SECRET", "")
JANUS_TIMEOUT_SECONDS = float(os.environ.get("JANUS_TIMEOUT_SECONDS", "2"))

# How many planning scenarios one planner may have waiting or running at once.
PLANNING_MAX_UNFINISHED = int(os.environ.get("PLANNING_MAX_UNFINISHED", "3"))
# A running scenario's worker writes a heartbeat at least this often; a scenario whose heartbeat is
# older than PLANNING_HEARTBEAT_TIMEOUT_SECONDS has lost its worker and is marked failed.
PLANNING_HEARTBEAT_SECONDS = int(os.environ.get("PLANNING_HEARTBEAT_SECONDS", "30"))
PLANNING_HEARTBEAT_TIMEOUT_SECONDS = int(os.environ.get("PLANNING_HEARTBEAT_TIMEOUT_SECONDS", "300"))

# Road distance is estimated as great-circle distance times this circuity factor (see docs/planning.md).
ROAD_CIRCUITY_FACTOR = float(os.environ.get("ROAD_CIRCUITY_FACTOR", "1.3"))

# The shipped open data (municipalities, boundaries, postal areas).
GEO_DATA_DIR = BASE_DIR / "data" / "geo"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) is one line in the log, without a traceback.
    "filters": {"forbidden_one_line": {"()": "asiointi.web.errors.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["forbidden_one_line"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
