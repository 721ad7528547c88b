"""Recording staff views of customers' personal data in the administration."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse

from .models import AuditAction
from .services import audit_record


class PersonalDataAdminMixin:
    """For a model admin whose change page shows a customer's personal data: every time a member of
    staff opens such a page, the audit log records who opened which row, when and from where, and
    which fields it showed (their names, never their values). A row whose personal fields are all
    empty (anonymised, or never given) is not recorded."""

    #: The fields that hold personal data.
    personal_data_fields: ClassVar[tuple[str, ...]] = ()

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response: HttpResponse = super().change_view(  # type: ignore[misc]
            request, object_id, form_url, extra_context
        )
        if request.method == "GET" and response.status_code == 200:
            obj = getattr(response, "context_data", {}).get("original")
            shown = [name for name in self.personal_data_fields if obj is not None and getattr(obj, name)]
            if shown:
                audit_record(
                    action=AuditAction.PERSONAL_DATA_VIEWED,
                    request=request,
                    target=obj,
                    summary="Opened in the administration; fields shown: " + ", ".join(shown),
                )
        return response
