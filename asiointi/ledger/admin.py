"""Admin of the ledger: read-only for everyone. Transactions are written only by
:func:`asiointi.ledger.services.transaction_record`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

from asiointi.core.admin_scope import READ_ONLY, Grant, ScopedAdminMixin
from asiointi.core.scope import Role

from .models import Transaction


@admin.register(Transaction)
class TransactionAdmin(ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    grants = (
        Grant(Role.POINT_MANAGER, READ_ONLY, "point"),
        Grant(Role.ADVISOR, READ_ONLY, "point"),
        Grant(Role.AGENCY_COORDINATOR, READ_ONLY, "agency"),
        Grant(Role.NETWORK_PLANNER, READ_ONLY),
    )
    administrator_actions = READ_ONLY
    point_attr = "point_id"
    agency_attr = "agency_id"
    list_display = (
        "occurred_at",
        "point",
        "agency",
        "service",
        "asti_type",
        "channel",
        "source",
        "duration_seconds",
        "language",
        "with_interpreter",
    )
    list_filter = ("asti_type", "channel", "source", "agency", "with_interpreter", "point")
    list_select_related = ("point", "agency", "service")
    date_hierarchy = "occurred_at"
    ordering = ("-occurred_at",)
    # Two million rows a year: no full count on every filtered page.
    show_full_result_count = False
    list_per_page = 50

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> Any:
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
