"""Forms of the ledger's pages: the customer's feedback, the period of the statistics, and the
statements page's filter (a month, YYYY-MM, and an agency)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text

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


#: A month written as year and month, YYYY-MM (the statistics' period and the statements' month).
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _month_written(value: str, *, first_year: int = 2000, last_year: int = 9999) -> dt.date | None:
    """The first day of the month ``value`` writes as YYYY-MM, or None when it writes no month of
    those years."""
    found = MONTH.match(value.strip())
    if not found or not 1 <= int(found[2]) <= 12 or not first_year <= int(found[1]) <= last_year:
        return None
    return dt.date(int(found[1]), int(found[2]), 1)


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
        start = _month_written(value, last_year=2100)
        if start is None:
            raise forms.ValidationError(_("Give the first month as year and month, for example 2026-01."))
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


# --- the statements page ---------------------------------------------------------------------


def parse_month(value: str) -> dt.date:
    """The first day of the month written ``YYYY-MM``; ValidationError (translated) when it is not one
    or lies in the future."""
    month = _month_written(value)
    if month is None:
        raise forms.ValidationError(_("Give the month as year and month, such as 2026-03."), code="month")
    if month > timezone.localdate().replace(day=1):
        raise forms.ValidationError(_("There are no statements for a month in the future."), code="future")
    return month


class StatementFilterForm(forms.Form):
    month = forms.CharField(
        label=_("Month (YYYY-MM)"), required=False, max_length=7, validators=[single_line_text]
    )
    agency = forms.TypedChoiceField(label=_("Agency"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: object, agencies: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agency"].choices = [("", _("All agencies")), *agencies]  # type: ignore[attr-defined]

    def clean_month(self) -> dt.date | None:
        value = self.cleaned_data.get("month") or ""
        return parse_month(value) if value else None
