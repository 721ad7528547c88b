"""The forms of the meetings' pages: sending a document in a meeting."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from asiointi.network.models import Agency

from .documents import document_agencies

#: What the file chooser offers (the server checks the content all the same).
ACCEPT = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


class DocumentForm(forms.Form):
    """A document to send to the others in the meeting; in a meeting of several agencies, the booth
    and the advisor also choose the agency that receives it."""

    file = forms.FileField(
        label=_("Document"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Choose a document to send."),
            "empty": _("The file is empty. Choose the document again."),
        },
    )

    def __init__(self, *args: Any, room_id: int, ask_agency: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("A PDF document or a JPEG or PNG picture, at most %(limit)s.") % {
            "limit": filesizeformat(settings.MEETING_DOCUMENT_MAX_BYTES)
        }
        agencies = document_agencies(room_id=room_id) if ask_agency else []
        if len(agencies) > 1:
            self.fields["agency"] = forms.ModelChoiceField(
                queryset=Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name"),
                label=_("For the agency"),
                error_messages={
                    "required": _("Choose the agency that receives the document."),
                    "invalid_choice": _("Choose an agency that takes part in this meeting."),
                },
            )
