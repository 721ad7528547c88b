"""Admin of the service network, scoped by role (see :mod:`asiointi.accounts.admin_scope`)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from asiointi.core.admin_scope import (
    EDIT,
    MANAGE,
    READ_ONLY,
    Grant,
    ScopedAdminMixin,
    ScopedInlineMixin,
    view_for_everyone,
)
from asiointi.core.scope import Role

from .forms import (
    OpeningHoursExceptionFormSet,
    OpeningHoursRuleFormSet,
    ServicePointAdminForm,
    VisitingScheduleAdminForm,
)
from .models import (
    Agency,
    AgencyOffice,
    Booth,
    Municipality,
    OpeningHoursException,
    OpeningHoursRule,
    Region,
    ServicePoint,
    VisitingSchedule,
)

# Rows that belong to a point: its manager manages them, its advisors read them, planners read all.
POINT_ROW_GRANTS = (
    Grant(Role.POINT_MANAGER, MANAGE, "point"),
    Grant(Role.ADVISOR, READ_ONLY, "point"),
    Grant(Role.NETWORK_PLANNER, READ_ONLY),
)
# Rows that belong to an agency: its coordinator manages them, planners read all.
AGENCY_ROW_GRANTS = (
    Grant(Role.AGENCY_COORDINATOR, MANAGE, "agency"),
    Grant(Role.NETWORK_PLANNER, READ_ONLY),
)


# -- reference data: administrators edit, everyone with admin access reads ---------------------


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = view_for_everyone()
    list_display = ("code", "name")
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    ordering = ("code",)


@admin.register(Municipality)
class MunicipalityAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = view_for_everyone()
    list_display = ("name", "code", "region", "population", "language")
    list_filter = ("region", "language")
    list_select_related = ("region",)
    search_fields = ("code", "name_fi", "name_sv", "name_en")
    ordering = ("name_fi",)
    fieldsets = (
        (None, {"fields": ("code", "name", "region", "language", "population", "population_2020")}),
        (
            _("Location"),
            {"fields": ("lat", "lon", "centre_lat", "centre_lon", "area_km2", "urban_rural_class")},
        ),
        (
            _("Areas"),
            {
                "fields": (
                    "subregion_code",
                    "subregion_name",
                    "wellbeing_county_code",
                    "wellbeing_county_name",
                    "employment_area_code",
                    "employment_area_name",
                )
            },
        ),
    )


# -- agencies ---------------------------------------------------------------------------------


class AgencyOfficeInline(ScopedInlineMixin, TranslationStackedInline):  # type: ignore[type-arg]
    model = AgencyOffice
    grants = AGENCY_ROW_GRANTS
    agency_attr = "agency_id"
    parent_reach = "agency"
    extra = 0
    autocomplete_fields = ("municipality",)


@admin.register(Agency)
class AgencyAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = (
        Grant(Role.AGENCY_COORDINATOR, EDIT, "agency"),
        Grant(Role.NETWORK_PLANNER, READ_ONLY),
    )
    agency_attr = "pk"
    list_display = ("name", "short_name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "name_fi", "name_sv", "name_en", "short_name_fi", "short_name_sv")
    ordering = ("name_fi",)
    autocomplete_fields = ("municipality",)
    inlines = (AgencyOfficeInline,)


@admin.register(AgencyOffice)
class AgencyOfficeAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = AGENCY_ROW_GRANTS
    agency_attr = "agency_id"
    list_display = ("name", "agency", "municipality", "street_address")
    list_filter = ("agency",)
    list_select_related = ("agency", "municipality")
    search_fields = ("name_fi", "name_sv", "name_en", "street_address", "municipality__name_fi")
    ordering = ("agency__name_fi", "name_fi")
    autocomplete_fields = ("municipality",)


# -- service points and what belongs to them ----------------------------------------------------


class BoothInline(ScopedInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = Booth
    grants = POINT_ROW_GRANTS
    point_attr = "point_id"
    extra = 0


class OpeningHoursRuleInline(ScopedInlineMixin, admin.TabularInline):  # type: ignore[type-arg]
    model = OpeningHoursRule
    formset = OpeningHoursRuleFormSet
    grants = POINT_ROW_GRANTS
    point_attr = "point_id"
    extra = 0


class OpeningHoursExceptionInline(ScopedInlineMixin, TranslationTabularInline):  # type: ignore[type-arg]
    model = OpeningHoursException
    formset = OpeningHoursExceptionFormSet
    grants = POINT_ROW_GRANTS
    point_attr = "point_id"
    extra = 0


class VisitingScheduleInline(ScopedInlineMixin, TranslationStackedInline):  # type: ignore[type-arg]
    model = VisitingSchedule
    form = VisitingScheduleAdminForm
    grants = (*POINT_ROW_GRANTS, Grant(Role.AGENCY_COORDINATOR, READ_ONLY, "agency"))
    point_attr = "point_id"
    agency_attr = "agency_id"
    extra = 0


@admin.register(ServicePoint)
class ServicePointAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    form = ServicePointAdminForm
    grants = (
        Grant(Role.POINT_MANAGER, EDIT, "point"),
        Grant(Role.ADVISOR, READ_ONLY, "point"),
        Grant(Role.NETWORK_PLANNER, READ_ONLY),
    )
    point_attr = "pk"
    list_display = ("name", "municipality", "kind", "active_from", "active_to")
    list_filter = ("kind", "municipality__region")
    list_select_related = ("municipality",)
    search_fields = ("slug", "name_fi", "name_sv", "name_en", "municipality__name_fi", "post_office_fi")
    ordering = ("name_fi",)
    autocomplete_fields = ("municipality",)
    prepopulated_fields = {"slug": ("name_fi",)}
    fieldsets = (
        (None, {"fields": ("name", "slug", "kind", "description", "languages")}),
        (
            _("Address and contact"),
            {
                "fields": (
                    "municipality",
                    "street_address",
                    "postal_code",
                    "post_office",
                    "lat",
                    "lon",
                    "phone",
                    "email",
                )
            },
        ),
        (_("Active period"), {"fields": ("active_from", "active_to")}),
    )
    inlines = (BoothInline, OpeningHoursRuleInline, OpeningHoursExceptionInline, VisitingScheduleInline)


@admin.register(Booth)
class BoothAdmin(ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    grants = POINT_ROW_GRANTS
    point_attr = "point_id"
    list_display = ("name", "point", "is_active", *Booth.EQUIPMENT_FIELDS)
    list_filter = ("is_active", "point")
    list_select_related = ("point",)
    search_fields = ("name", "point__name_fi")
    ordering = ("point__name_fi", "name")
    autocomplete_fields = ("point",)


@admin.register(OpeningHoursRule)
class OpeningHoursRuleAdmin(ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    grants = POINT_ROW_GRANTS
    point_attr = "point_id"
    list_display = ("point", "weekday", "opens", "closes", "valid_from", "valid_to")
    list_filter = ("weekday", "point")
    list_select_related = ("point",)
    search_fields = ("point__name_fi", "point__name_sv")
    ordering = ("point__name_fi", "weekday", "opens")
    autocomplete_fields = ("point",)


@admin.register(OpeningHoursException)
class OpeningHoursExceptionAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    grants = POINT_ROW_GRANTS
    point_attr = "point_id"
    list_display = ("point", "date", "is_closed", "opens", "closes", "reason")
    list_filter = ("is_closed", "point")
    list_select_related = ("point",)
    search_fields = ("point__name_fi", "point__name_sv", "reason_fi", "reason_sv")
    date_hierarchy = "date"
    ordering = ("-date", "point__name_fi")
    autocomplete_fields = ("point",)


@admin.register(VisitingSchedule)
class VisitingScheduleAdmin(ScopedAdminMixin, TranslationAdmin):  # type: ignore[type-arg]
    form = VisitingScheduleAdminForm
    grants = (*POINT_ROW_GRANTS, Grant(Role.AGENCY_COORDINATOR, READ_ONLY, "agency"))
    point_attr = "point_id"
    agency_attr = "agency_id"
    list_display = (
        "point",
        "agency",
        "title",
        "weekday",
        "frequency",
        "starts",
        "ends",
        "valid_from",
        "valid_to",
    )
    list_filter = ("agency", "frequency", "weekday", "point")
    list_select_related = ("point", "agency")
    search_fields = ("point__name_fi", "agency__name_fi", "title_fi", "title_sv")
    ordering = ("point__name_fi", "agency__name_fi", "weekday")
    autocomplete_fields = ("point",)
