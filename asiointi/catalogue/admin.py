"""Admin of the service catalogue, scoped by role (see :mod:`asiointi.accounts.admin_scope`)."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from asiointi.core.admin_scope import MANAGE, READ_ONLY, Grant, ScopedAdminMixin, ScopedInlineMixin
from asiointi.core.scope import Role

from .models import PointProfile, PointProfileAssignment, ProfileRequirement, Service, ServiceOffering


@admin.register(Service)
class ServiceAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = (
        Grant(Role.AGENCY_COORDINATOR, MANAGE, "agency"),
        Grant(Role.EXPERT, READ_ONLY, "agency"),
        Grant(Role.NETWORK_PLANNER, READ_ONLY),
        # Point staff choose services when they offer them at their point; the catalogue is public.
        Grant(Role.POINT_MANAGER, READ_ONLY),
        Grant(Role.ADVISOR, READ_ONLY),
    )
    agency_attr = "agency_id"
    list_display = (
        "name",
        "agency",
        "code",
        "typical_duration_minutes",
        "requires_identification",
        "is_active",
    )
    list_filter = ("agency", "is_active", "requires_identification")
    list_select_related = ("agency",)
    search_fields = ("code", "name_fi", "name_sv", "name_en", "keywords_fi", "keywords_sv", "keywords_en")
    ordering = ("agency__name_fi", "name_fi")
    # The service finder's index follows every change made here through the catalogue's signals
    # (asiointi/catalogue/signals.py): saving or deleting a service renews its row at commit.


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = (
        Grant(Role.POINT_MANAGER, MANAGE, "point"),
        Grant(Role.ADVISOR, READ_ONLY, "point"),
        Grant(Role.AGENCY_COORDINATOR, READ_ONLY, "agency"),
        Grant(Role.NETWORK_PLANNER, READ_ONLY),
    )
    point_attr = "point_id"
    agency_attr = "service.agency_id"
    list_display = ("service", "point", "channel", "agency")
    list_filter = ("channel", "service__agency", "point")
    list_select_related = ("service__agency", "point")
    search_fields = ("service__name_fi", "service__name_sv", "point__name_fi", "point__name_sv")
    ordering = ("point__name_fi", "service__name_fi", "channel")
    autocomplete_fields = ("point", "service")

    @admin.display(description=Service._meta.get_field("agency").verbose_name, ordering="service__agency")
    def agency(self, obj: ServiceOffering) -> str:
        return str(obj.service.agency)


# -- point profiles: the network planners keep them; point staff read them ----------------------

PROFILE_GRANTS = (
    Grant(Role.NETWORK_PLANNER, MANAGE),
    Grant(Role.POINT_MANAGER, READ_ONLY),
    Grant(Role.ADVISOR, READ_ONLY),
    Grant(Role.AGENCY_COORDINATOR, READ_ONLY),
)


class ProfileRequirementInline(ScopedInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = ProfileRequirement
    grants = PROFILE_GRANTS
    parent_reach = "all"
    extra = 0


@admin.register(PointProfile)
class PointProfileAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = PROFILE_GRANTS
    list_display = ("name", "code", "level", "min_visiting_days_per_month")
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    ordering = ("-level",)
    inlines = (ProfileRequirementInline,)


@admin.register(PointProfileAssignment)
class PointProfileAssignmentAdmin(ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    grants = (
        Grant(Role.NETWORK_PLANNER, MANAGE),
        Grant(Role.POINT_MANAGER, READ_ONLY, "point"),
        Grant(Role.ADVISOR, READ_ONLY, "point"),
    )
    point_attr = "point_id"
    list_display = ("point", "profile")
    list_filter = ("profile",)
    list_select_related = ("point", "profile")
    search_fields = ("point__name_fi", "point__name_sv")
    ordering = ("point__name_fi",)
    autocomplete_fields = ("point",)
