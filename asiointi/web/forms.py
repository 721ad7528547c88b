"""Forms of the public pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text

from .models import MESSAGE_MAX_LENGTH, PAGE_MAX_LENGTH

TEXT_INPUT = "hds-text-input__input"


class AccessibilityFeedbackForm(forms.Form):
    """Feedback on accessibility. Only the message is required; a reply needs an email address.

    Validation happens on the server and errors are listed in an error summary, so the form works
    the same without JavaScript and with the browser's own validation turned off (``novalidate``).
    """

    message = forms.CharField(
        label=_("Your feedback"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": TEXT_INPUT, "rows": 8}),
        help_text=_("Tell us what did not work and what you were trying to do. At most 5,000 characters."),
        error_messages={"required": _("Write your feedback.")},
    )
    page = forms.CharField(
        label=_("The page or part of the service concerned"),
        max_length=PAGE_MAX_LENGTH,
        required=False,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off"}),
        help_text=_("For example the address of the page, or its title."),
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        required=False,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        required=False,
        widget=forms.EmailInput(attrs={"class": TEXT_INPUT, "autocomplete": "email"}),
        help_text=_("Needed only if you would like an answer."),
        error_messages={"invalid": _("Give the email address in the form name@example.fi.")},
    )
    wants_reply = forms.BooleanField(
        label=_("I would like an answer by email"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "hds-checkbox__input"}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("wants_reply") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                forms.ValidationError(_("Give an email address so that we can answer you."), code="required"),
            )
        return cleaned


class GapsFilterForm(forms.Form):
    """The region of the staff's list of points with gaps (all regions when empty)."""

    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)  # nosec B101 - the field declared above
        field.choices = [("", _("All regions")), *regions]
