"""The statements page's filter: a month (YYYY-MM) and an agency."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> dt.date:
    """The first day of the month written ``YYYY-MM``; ValidationError (translated) when it is not one
    or lies in the future."""
    found = MONTH.match(value.strip())
    if not found or not 1 <= int(found[2]) <= 12 or int(found[1]) < 2000:
        raise forms.ValidationError(_("Give the month as year and month, such as 2026-03."), code="month")
    month = dt.date(int(found[1]), int(found[2]), 1)
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
