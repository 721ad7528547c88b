"""Admin of users and memberships (administrators only), and the admin site's titles."""

from __future__ import annotations

import csv
from typing import Any, ClassVar

from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .admin_scope import READ_ONLY, ScopedAdminMixin, ScopedInlineMixin
from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import AuditAction, AuditEvent, Membership, User
from .services import audit_record

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
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
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
    readonly_fields = ("last_login", "date_joined")
    list_display = ("email", "full_name", "language", "is_staff", "is_active", "roles")
    list_filter = ("is_staff", "is_superuser", "is_active", "memberships__role")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    filter_horizontal = ()
    inlines = (MembershipInline,)

    def get_inlines(self, request: HttpRequest, obj: User | None) -> Any:
        """Memberships are given after the user exists, as Django adds a user in two steps."""
        return self.inlines if obj is not None else ()

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).prefetch_related("memberships")

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        labels = sorted({m.get_role_display() for m in obj.memberships.all()})
        return ", ".join(str(label) for label in labels)


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
