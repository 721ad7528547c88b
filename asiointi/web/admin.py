"""Admin of accessibility feedback: administrators only, read-only apart from when it was handled."""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from asiointi.accounts.admin_personal import PersonalDataAdminMixin
from asiointi.core.admin_scope import EDIT, Grant, ScopedAdminMixin

from . import services
from .models import AccessibilityFeedback


@admin.register(AccessibilityFeedback)
class AccessibilityFeedbackAdmin(PersonalDataAdminMixin, ScopedAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators only (no grants for any other role): the feedback is read as it was sent;
    only ``handled_at`` is edited. ``name``, ``email`` and the message are personal data: opening a
    row is recorded in the audit log, and the retention task clears them."""

    personal_data_fields = ("name", "email", "message")

    grants: ClassVar[tuple[Grant, ...]] = ()
    administrator_actions = EDIT
    list_display = ("created_at", "summary", "page", "language", "wants_reply", "handled_at")
    list_filter = ("handled_at", "wants_reply", "language")
    search_fields = ("message", "page")
    date_hierarchy = "created_at"
    fields = (
        "created_at",
        "language",
        "page",
        "message",
        "wants_reply",
        "name",
        "email",
        "handled_at",
        "anonymised_at",
    )
    readonly_fields = tuple(name for name in fields if name != "handled_at")
    actions = ("mark_handled",)

    @admin.display(description=_("feedback"))
    def summary(self, obj: AccessibilityFeedback) -> str:
        return obj.message if len(obj.message) <= 80 else obj.message[:79] + "…"

    @admin.action(description=_("Mark the chosen feedback handled"), permissions=["change"])
    def mark_handled(self, request: HttpRequest, queryset: QuerySet[AccessibilityFeedback]) -> None:
        count = services.accessibility_feedback_mark_handled(
            feedback_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext(
                "%(count)d message was marked handled.", "%(count)d messages were marked handled.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )
