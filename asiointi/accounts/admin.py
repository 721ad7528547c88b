"""Admin of users and memberships (administrators only), and the admin site's titles."""

from __future__ import annotations

import csv
from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from asiointi.core.admin_scope import ADD, CHANGE, READ_ONLY, VIEW, Grant, ScopedAdminMixin, ScopedInlineMixin

from . import admin_language, services
from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import ApiToken, AuditAction, AuditEvent, BoothDevice, Membership, Role, User
from .services import audit_record

# The secrets of the second factor are nobody's to read or set in the administration: django-otp's
# own device admins go. An administrator removes a user's second factor with an action on users.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)

admin.site.site_header = _("Asiointi administration")
admin.site.site_title = _("Asiointi administration")
admin.site.index_title = _("Administration of the service network")


class AuditedAdminMixin:
    """Writes every addition, change and deletion made in this admin into the audit log too,
    with Django's own description of what changed (field names and inline rows, no values)."""

    audit_actions: ClassVar[tuple[str, str, str]]

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        entry = super().log_addition(request, obj, message)  # type: ignore[misc]
        audit_record(
            action=self.audit_actions[0], request=request, target=obj, summary=entry.get_change_message()
        )
        return entry

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> LogEntry:
        entry = super().log_change(request, obj, message)  # type: ignore[misc]
        audit_record(
            action=self.audit_actions[1], request=request, target=obj, summary=entry.get_change_message()
        )
        return entry

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            audit_record(action=self.audit_actions[2], request=request, target=obj, summary=str(obj))
        return super().log_deletions(request, queryset)  # type: ignore[misc]


class MembershipInline(ScopedInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    """Administrators only: no grants for any other role."""

    model = Membership
    fields = ("role", "point", "agency", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("point",)
    extra = 0


@admin.register(User)
class UserAdmin(AuditedAdminMixin, ScopedAdminMixin, DjangoUserAdmin):  # type: ignore[type-arg]
    audit_actions = (AuditAction.USER_ADDED, AuditAction.USER_CHANGED, AuditAction.USER_DELETED)
    form = UserAdminChangeForm
    add_form = UserAdminCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal details"), {"fields": ("full_name", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "is_demo_account")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "full_name", "language", "usable_password", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ("last_login", "date_joined", "is_demo_account")
    list_display = ("email", "full_name", "language", "is_staff", "is_active", "roles", "second_factor")
    list_filter = ("is_staff", "is_superuser", "is_active", "memberships__role")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ()
    inlines = (MembershipInline,)
    actions = ("remove_second_factor",)

    def get_inlines(self, request: HttpRequest, obj: User | None) -> Any:
        """Memberships are given after the user exists, as Django adds a user in two steps."""
        return self.inlines if obj is not None else ()

    def get_queryset(self, request: HttpRequest) -> Any:
        apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return (
            super()
            .get_queryset(request)
            .prefetch_related("memberships")
            .annotate(has_second_factor=Exists(apps))
        )

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        labels = sorted({m.get_role_display() for m in obj.memberships.all()})
        return ", ".join(str(label) for label in labels)

    @admin.display(description=_("second factor"), boolean=True)
    def second_factor(self, obj: User) -> bool:
        return bool(getattr(obj, "has_second_factor", False))

    @admin.action(
        description=_(
            "Remove the second factor of the selected users (they set up a new one when they sign in)"
        ),
        permissions=["change"],
    )
    def remove_second_factor(self, request: HttpRequest, queryset: Any) -> None:
        count = 0
        for user in queryset:
            services.second_factor_remove(request=request, user=user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)s user was removed.",
                "The second factor of %(count)s users was removed.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    audit_actions = (
        AuditAction.MEMBERSHIP_ADDED,
        AuditAction.MEMBERSHIP_CHANGED,
        AuditAction.MEMBERSHIP_DELETED,
    )
    list_display = ("user", "role", "point", "agency", "created_at")
    list_filter = ("role", "agency")
    list_select_related = ("user", "point", "agency")
    search_fields = ("user__email", "user__full_name", "point__name_fi", "agency__name_fi")
    ordering = ("user__email", "role")
    autocomplete_fields = ("user", "point")
    readonly_fields = ("created_at",)


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators read and export the audit log; nobody adds, changes or deletes it."""

    administrator_actions = READ_ONLY
    list_display = ("occurred_at", "actor_email", "action", "target_type", "target_id", "ip_address")
    list_filter = ("action", "occurred_at")
    search_fields = ("actor_email", "target_id", "summary", "ip_address")
    date_hierarchy = "occurred_at"
    readonly_fields = tuple(f.name for f in AuditEvent._meta.fields)
    actions = ("export_csv",)

    @admin.action(description=_("Export the selected events as CSV"), permissions=["view"])
    def export_csv(self, request: HttpRequest, queryset: Any) -> HttpResponse:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y-%m-%d}.csv"'
        fields = [f.name for f in AuditEvent._meta.fields]
        writer = csv.writer(response)
        writer.writerow(fields)
        for event in queryset.order_by("occurred_at", "id"):
            writer.writerow([_csv_safe(getattr(event, name)) for name in fields])
        return response


def _csv_safe(value: object) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


class RevocableAdminMixin(ScopedAdminMixin):
    """A credential that is issued and revoked, never edited (booth screens, API tokens): the add
    form takes what the issue needs; once issued every field is read-only, and a role that may
    change rows may revoke them with the admin's ``revoke`` action."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.get_fields(request, obj)  # type: ignore[attr-defined]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Nothing of a credential is changed by hand; it is revoked with the action."""
        return False

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return self.may(request, CHANGE)


@admin.register(BoothDevice)
class BoothDeviceAdmin(RevocableAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Booth screens: adding one creates its one-time pairing code, shown once; revoking one ends
    its device session. Point managers for their own points' booths, and administrators."""

    grants = (Grant(Role.POINT_MANAGER, frozenset({VIEW, ADD, CHANGE}), "point"),)
    administrator_actions = frozenset({VIEW, ADD, CHANGE})
    point_attr = "booth.point_id"
    list_display = ("booth", "status", "created_at", "created_by")
    list_select_related = ("booth__point", "created_by")
    search_fields = ("booth__name", "booth__point__name_fi", "booth__point__name_sv")
    date_hierarchy = "created_at"
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: BoothDevice | None = None) -> Any:
        if obj is None:
            return ("booth",)
        return ("booth", "status", "created_at", "created_by", "paired_at", "revoked_at")

    @admin.display(description=_("status"))
    def status(self, obj: BoothDevice) -> str:
        if obj.revoked_at is not None:
            return gettext("revoked")
        if obj.paired_at is not None:
            return gettext("paired")
        if obj.pairing_expires_at is not None and obj.pairing_expires_at > timezone.now():
            until = formats.time_format(timezone.localtime(obj.pairing_expires_at), "TIME_FORMAT")
            return gettext("waiting for pairing until %(time)s") % {"time": until}
        return gettext("pairing code expired")

    def save_model(self, request: HttpRequest, obj: BoothDevice, form: Any, change: bool) -> None:
        code = services.booth_pairing_code_create(request=request, device=obj)
        expires_at = obj.pairing_expires_at or timezone.now()
        self.message_user(
            request,
            gettext(
                "The pairing code of the booth %(booth)s is %(code)s. Enter it on the booth's screen at "
                "%(address)s by %(time)s. The code is shown only this once and works once."
            )
            % {
                "booth": obj.booth,
                "code": code,
                "address": request.build_absolute_uri(reverse("accounts:booth_pair")),
                "time": formats.time_format(timezone.localtime(expires_at), "TIME_FORMAT"),
            },
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected booth screens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        count = sum(services.booth_device_revoke(request=request, device=device) for device in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s booth screen was revoked. It is signed out at once.",
                "%(count)s booth screens were revoked. They are signed out at once.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# The group form's permissions and django-axes' rows, named in the user's language.
admin_language.install()


@admin.register(ApiToken)
class ApiTokenAdmin(RevocableAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Personal API tokens (docs/api.md): administrators only. Adding one issues the token and
    shows it once; revoking one refuses it from its next use on. Nothing else of a token changes."""

    grants = ()
    administrator_actions = frozenset({VIEW, ADD, CHANGE})
    list_display = ("name", "prefix", "user", "status", "created_at", "last_used_at")
    list_select_related = ("user",)
    search_fields = ("name", "prefix", "user__email")
    autocomplete_fields = ("user",)
    actions = ("revoke",)

    def get_fields(self, request: HttpRequest, obj: ApiToken | None = None) -> Any:
        if obj is None:
            return ("user", "name", "expires_at")
        return (
            "user",
            "name",
            "prefix",
            "status",
            "created_at",
            "created_by",
            "expires_at",
            "last_used_at",
            "revoked_at",
        )

    @admin.display(description=_("status"))
    def status(self, obj: ApiToken) -> str:
        if obj.revoked_at is not None:
            return gettext("revoked")
        if obj.expires_at is not None and obj.expires_at <= timezone.now():
            return gettext("expired")
        return gettext("valid")

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        raw = services.api_token_issue(request=request, token=obj)
        self.message_user(
            request,
            gettext(
                "The API token %(name)s of %(user)s is %(token)s. Copy it now: it is shown only this once "
                "and cannot be read again. Give it to its holder in a safe way."
            )
            % {"name": obj.name, "user": obj.user, "token": raw},
            messages.WARNING,
        )

    @admin.action(description=_("Revoke the selected API tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        count = sum(services.api_token_revoke(request=request, token=token) for token in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)s API token was revoked. It is refused from now on.",
                "%(count)s API tokens were revoked. They are refused from now on.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
