"""Admin of users and memberships (administrators only), and the admin site's titles."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .admin_scope import ScopedAdminMixin, ScopedInlineMixin
from .forms import UserAdminChangeForm, UserAdminCreationForm
from .models import Membership, User

admin.site.site_header = _("Asiointi administration")
admin.site.site_title = _("Asiointi administration")
admin.site.index_title = _("Administration of the service network")


class MembershipInline(ScopedInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    """Administrators only: no grants for any other role."""

    model = Membership
    fields = ("role", "point", "agency", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("point",)
    extra = 0


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):  # type: ignore[type-arg]
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
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("user", "role", "point", "agency", "created_at")
    list_filter = ("role", "agency")
    list_select_related = ("user", "point", "agency")
    search_fields = ("user__email", "user__full_name", "point__name_fi", "agency__name_fi")
    ordering = ("user__email", "role")
    autocomplete_fields = ("user", "point")
    readonly_fields = ("created_at",)
