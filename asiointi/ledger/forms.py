"""Forms of the ledger's pages: the customer's feedback, and the period of the statistics."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import FEEDBACK_TEXT_MAX_LENGTH
from .statistics import DEFAULT_MONTHS, MAX_MONTHS, Period

TEXT_INPUT = "hds-text-input__input"
RATING_CHOICES = [
    ("5", _("5 – very good")),
    ("4", _("4 – good")),
    ("3", _("3 – fair")),
    ("2", _("2 – poor")),
    ("1", _("1 – very poor")),
]
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class FeedbackForm(forms.Form):
    """A rating from 1 to 5, whether the service met the need, and an optional free text. Plain
    radio buttons and a text area: usable without JavaScript and with the keyboard only."""

    rating = forms.TypedChoiceField(
        label=_("How would you rate the service you got?"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "hds-radio-button__input"}),
        error_messages={
            "required": _("Choose a rating from 1 to 5."),
            "invalid_choice": _("Choose a rating from 1 to 5."),
        },
    )
    met_need = forms.TypedChoiceField(
        label=_("Did the service meet your need?"),
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect(attrs={"class": "hds-radio-button__input"}),
        error_messages={
            "required": _("Answer yes or no."),
            "invalid_choice": _("Answer yes or no."),
        },
    )
    text = forms.CharField(
        label=_("Anything else you would like to tell us? (optional)"),
        required=False,
        max_length=FEEDBACK_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": TEXT_INPUT, "rows": 5}),
        help_text=_(
            "Do not write your name or contact details: the feedback is anonymous. Email addresses and "
            "phone numbers are removed. At most 2,000 characters."
        ),
        error_messages={"max_length": _("Write at most 2,000 characters.")},
    )

    def clean_text(self) -> str:
        text: str = self.cleaned_data.get("text", "")
        if "\x00" in text:
            raise forms.ValidationError(_("The text contains characters that cannot be saved."))
        return text


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class PeriodForm(forms.Form):
    """The months the statistics show: a first month (YYYY-MM) and how many months from it."""

    start = forms.CharField(
        label=_("First month"),
        required=False,
        max_length=7,
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "numeric", "placeholder": "2026-01"}),
        help_text=_("As year and month, for example 2026-01."),
    )
    months = forms.IntegerField(
        label=_("Number of months"),
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        widget=forms.NumberInput(attrs={"class": TEXT_INPUT}),
        error_messages={
            "invalid": _("Give the number of months as a whole number from 1 to 60."),
            "min_value": _("Give the number of months as a whole number from 1 to 60."),
            "max_value": _("Give the number of months as a whole number from 1 to 60."),
        },
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_start(self) -> dt.date | None:
        value = (self.cleaned_data.get("start") or "").strip()
        if not value:
            return None
        match = _MONTH.match(value)
        if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
            raise forms.ValidationError(_("Give the first month as year and month, for example 2026-01."))
        start = dt.date(int(match.group(1)), int(match.group(2)), 1)
        if start > self.today.replace(day=1):
            raise forms.ValidationError(_("The first month cannot be in the future."))
        return start

    def period(self) -> Period:
        """The chosen period; the last full months when nothing (valid) was chosen."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        months = data.get("months") or DEFAULT_MONTHS
        start = data.get("start")
        if start is None:
            return Period.last_full_months(months, self.today)
        return Period(start, months)
