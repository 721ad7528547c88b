"""Admin of the service catalogue, scoped by role (see :mod:`asiointi.accounts.admin_scope`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from modeltranslation.admin import TranslationAdmin

from asiointi.core.admin_scope import MANAGE, READ_ONLY, Grant, ScopedAdminMixin, ScopedInlineMixin
from asiointi.core.scope import Role

from .models import PointProfile, PointProfileAssignment, ProfileRequirement, Service, ServiceOffering
from .services import service_search_index_update


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

    # The service finder's index follows every change made here (asiointi/catalogue/services.py).
    def save_model(self, request: HttpRequest, obj: Service, form: ModelForm[Service], change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            service_search_index_update(service_ids=[obj.pk])

    def delete_model(self, request: HttpRequest, obj: Service) -> None:
        pk = obj.pk
        with transaction.atomic():
            super().delete_model(request, obj)
            service_search_index_update(service_ids=[pk])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Service, Any]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            service_search_index_update(service_ids=ids)


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
