"""Users (login by email) and the memberships that give them roles."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiointi.core.scope import Role
from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, Booth, ServicePoint


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> User:
        """Sign-in by email address, whatever its letter case."""
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A staff user. Customers have no account."""

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, validators=[single_line_text])
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=[("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))],
        default="fi",
    )
    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Whether the user may sign in to the administration.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    is_demo_account = models.BooleanField(
        _("demo account"),
        default=False,
        editable=False,
        help_text=_(
            "Created by the demo data. Only such accounts may sign in without a second factor, and only "
            "when the setting SECOND_FACTOR_EXEMPT_DEMO_ACCOUNTS is on."
        ),
    )

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


POINT_ROLES = (Role.ADVISOR, Role.POINT_MANAGER)
AGENCY_ROLES = (Role.EXPERT, Role.AGENCY_COORDINATOR)
GLOBAL_ROLES = (Role.INTERPRETER, Role.NETWORK_PLANNER, Role.ADMINISTRATOR)


class Membership(models.Model):
    """A role of a user: at a point (advisor, point manager), at an agency (expert, agency
    coordinator), or without either (interpreter, network planner, administrator)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    point = models.ForeignKey(
        ServicePoint,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("service point"),
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("agency"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=POINT_ROLES, point__isnull=False, agency__isnull=True))
                | Q(role__in=AGENCY_ROLES, agency__isnull=False, point__isnull=True)
                | Q(role__in=GLOBAL_ROLES, point__isnull=True, agency__isnull=True),
                name="membership_scope_fits_role",
                violation_error_message=_(
                    "Advisors and point managers need a service point, experts and agency coordinators an agency, "
                    "and the other roles neither."
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "point"],
                condition=Q(point__isnull=False),
                name="membership_unique_point_role",
                violation_error_message=_("The user already has this role at this service point."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "agency"],
                condition=Q(agency__isnull=False),
                name="membership_unique_agency_role",
                violation_error_message=_("The user already has this role at this agency."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(point__isnull=True, agency__isnull=True),
                name="membership_unique_global_role",
                violation_error_message=_("The user already has this role."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.point or self.agency
        return f"{self.user} – {self.get_role_display()}" + (f" ({scope})" if scope else "")


class AuditAction(models.TextChoices):
    PASSWORD_ACCEPTED = "password_accepted", _("password accepted, second factor pending")
    SIGN_IN = "sign_in", _("signed in")
    SIGN_IN_WITHOUT_SECOND_FACTOR = (
        "sign_in_without_second_factor",
        _("signed in without a second factor (demo account)"),
    )
    SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
    SECOND_FACTOR_FAILED = "second_factor_failed", _("second factor failed")
    SECOND_FACTOR_ENROLLED = "second_factor_enrolled", _("set up the second factor")
    SECOND_FACTOR_REMOVED = "second_factor_removed", _("removed the second factor")
    RECOVERY_CODE_USED = "recovery_code_used", _("used a recovery code")
    RECOVERY_CODES_CREATED = "recovery_codes_created", _("created new recovery codes")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("asked for a password reset")
    PASSWORD_RESET = "password_reset", _("reset the password")
    BOOTH_PAIRING_CODE_CREATED = "booth_pairing_code_created", _("created a booth pairing code")
    BOOTH_PAIRED = "booth_paired", _("paired a booth screen")
    BOOTH_PAIRING_FAILED = "booth_pairing_failed", _("booth pairing failed")
    BOOTH_DEVICE_REVOKED = "booth_device_revoked", _("revoked a booth screen")
    SIGN_OUT = "sign_out", _("signed out")
    PERSONAL_DATA_VIEWED = "personal_data_viewed", _("viewed personal data")
    PERSONAL_DATA_CHANGED = "personal_data_changed", _("changed personal data")
    USER_ADDED = "user_added", _("added a user")
    USER_CHANGED = "user_changed", _("changed a user")
    USER_DELETED = "user_deleted", _("deleted a user")
    MEMBERSHIP_ADDED = "membership_added", _("added a role")
    MEMBERSHIP_CHANGED = "membership_changed", _("changed a role")
    MEMBERSHIP_DELETED = "membership_deleted", _("removed a role")
    API_TOKEN_ISSUED = "api_token_issued", _("issued an API token")
    API_TOKEN_REVOKED = "api_token_revoked", _("revoked an API token")
    API_TOKEN_USED = "api_token_used", _("used an API token")


class AuditEvent(models.Model):
    """An append-only record of who did what, when and from where: sign-ins and failures, staff
    views and changes of customers' personal data, and changes to users, roles and memberships.

    The database refuses to update or delete these rows (triggers in the migration). The actor is
    kept as an id and an email address, not a foreign key, so the record outlives the account."""

    occurred_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("user id"), null=True, blank=True, db_index=True)
    actor_email = models.CharField(_("user"), max_length=254, blank=True)
    action = models.CharField(_("action"), max_length=40, choices=AuditAction.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_email} {self.action}"


class BoothDevice(models.Model):
    """The screen (kiosk) of a booth, signed in as a device of its point, never as a person.

    Staff create one in the administration and get a one-time pairing code, valid for
    ``BOOTH_PAIRING_MINUTES``; the booth's screen enters it on the pairing page and keeps a device
    session for ``BOOTH_SESSION_DAYS`` without use. Only a keyed hash of the code is stored. A device
    session reaches the booth's own pages and the public pages, never a staff page, the
    administration or personal data. Revoking the device ends its session at the next request."""

    booth = models.ForeignKey(
        Booth, on_delete=models.CASCADE, related_name="devices", verbose_name=_("booth")
    )
    pairing_code_hash = models.CharField(max_length=64, blank=True, editable=False)
    pairing_expires_at = models.DateTimeField(
        _("pairing code valid until"), null=True, blank=True, editable=False
    )
    paired_at = models.DateTimeField(_("paired at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("booth screen")
        verbose_name_plural = _("booth screens")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing_code_hash"],
                condition=~Q(pairing_code_hash=""),
                name="booth_device_unique_pairing_code",
            ),
        ]

    def __str__(self) -> str:
        return str(self.booth)


class ApiToken(models.Model):
    """A personal API token of a member of staff, which an administrator issues and revokes in the
    administration. The token is shown once, when it is issued; only its keyed hash is stored, with
    its first characters (``prefix``) so that people can tell their tokens apart. A token acts as
    its user, with the user's roles; a revoked or expired one is refused (401). Every issue,
    revocation and use is written to the audit log."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("user")
    )
    name = models.CharField(
        _("name"),
        max_length=100,
        help_text=_("What the token is for, such as a report."),
        validators=[single_line_text],
    )
    prefix = models.CharField(_("beginning of the token"), max_length=12, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("issued by"),
    )
    expires_at = models.DateTimeField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty for a token that does not expire.")
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
