"""Forms of the ledger's pages: the customer's feedback, the period of the statistics, the
statements page's filter (a month, YYYY-MM, and an agency) and the compensation agreements."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiointi.catalogue.models import Channel
from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, ServicePoint

from .models import FEEDBACK_TEXT_MAX_LENGTH, Agreement, AstiType
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


# --- compensation agreements ---------------------------------------------------------------------

AMOUNT_ERRORS = {
    "invalid": _("Give the amount in euros, such as 1250.00."),
    "min_value": _("An amount cannot be negative."),
    "max_digits": _("The amount is too large."),
    "max_whole_digits": _("The amount is too large."),
    "max_decimal_places": _("Give the amount to the cent, with at most two decimals."),
}
PRICE_ERRORS = {
    "invalid": _("Give the price in euros, such as 12.50."),
    "min_value": _("A price cannot be negative."),
    "max_digits": _("The price is too large."),
    "max_whole_digits": _("The price is too large."),
    "max_decimal_places": _("Give the price to the cent, with at most two decimals."),
}
#: The base part's items, each with its form label.
BASE_FIELDS = (
    ("base_rent", _("Rent a year (EUR)")),
    ("base_telecommunications", _("Telecommunications a year (EUR)")),
    ("base_equipment", _("Equipment a year (EUR)")),
    ("base_electricity", _("Electricity a year (EUR)")),
    ("base_training", _("Training a year (EUR)")),
)
#: A price field's channel: "" for the type's general price.
PRICE_CHANNELS: tuple[tuple[str, Any], ...] = (
    ("", _("Price in every channel (EUR)")),
    *((value, label) for value, label in Channel.choices),
)


def price_field_name(asti_type: str, channel: str) -> str:
    return f"price_{asti_type}_{channel or 'all'}"


def _date_field(label: Any, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date", "class": TEXT_INPUT}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={
            "required": _("Give the first day of the agreement."),
            "invalid": _("Give the date as day, month and year, such as 1.3.2026."),
        },
    )


class AgreementForm(forms.Form):
    """A compensation agreement: the point and agency (fixed when editing), the period, the itemised
    yearly base part, the agency's share in per cent, and a price per ASTI type, in every channel or
    in one channel only. Empty prices are no prices. The ledger's services check again and decide
    overlaps; their errors are put beside the fields by the view."""

    point: forms.ModelChoiceField[ServicePoint] = forms.ModelChoiceField(
        label=_("Service point"),
        queryset=ServicePoint.objects.none(),
        error_messages={
            "required": _("Choose the service point."),
            "invalid_choice": _("Choose one of your service points."),
        },
    )
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        error_messages={
            "required": _("Choose the agency."),
            "invalid_choice": _("Choose one of the agencies in the list."),
        },
    )
    valid_from = _date_field(_("Valid from"), required=True)
    valid_to = _date_field(_("Valid until (optional)"), required=False)
    agency_share = forms.DecimalField(
        label=_("Agency's share of the base part (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        max_digits=6,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "decimal"}),
        help_text=_("A per cent from 0 to 100, such as 25."),
        error_messages={
            "required": _("Give the agency's share as a per cent from 0 to 100."),
            "invalid": _("Give the agency's share as a per cent from 0 to 100."),
            "min_value": _("The agency's share must be from 0 to 100 per cent."),
            "max_value": _("The agency's share must be from 0 to 100 per cent."),
            "max_digits": _("The agency's share must be from 0 to 100 per cent."),
            "max_whole_digits": _("The agency's share must be from 0 to 100 per cent."),
            "max_decimal_places": _("Give the share with at most two decimals."),
        },
    )

    def __init__(
        self,
        *args: Any,
        points: QuerySet[ServicePoint],
        agencies: QuerySet[Agency],
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["point"].queryset = points  # type: ignore[attr-defined]
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        for name in ("point", "agency"):
            self.fields[name].widget.attrs["class"] = "hds-select__input"
            self.fields[name].disabled = editing
        for name, label in BASE_FIELDS:
            self.fields[name] = forms.DecimalField(
                label=label,
                required=False,
                min_value=Decimal(0),
                max_digits=12,
                decimal_places=2,
                localize=True,
                widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "decimal"}),
                error_messages=AMOUNT_ERRORS,
            )
        for asti_type in AstiType.values:
            for channel, label in PRICE_CHANNELS:
                self.fields[price_field_name(asti_type, channel)] = forms.DecimalField(
                    label=label
                    if channel == ""
                    else _("Price in the channel “%(channel)s” (EUR)") % {"channel": label},
                    required=False,
                    min_value=Decimal(0),
                    max_digits=10,
                    decimal_places=2,
                    localize=True,
                    widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "decimal"}),
                    error_messages=PRICE_ERRORS,
                )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("An agreement cannot end before it begins."))
        return data

    def base_fields_bound(self) -> list[forms.BoundField]:
        return [self[name] for name, _label in BASE_FIELDS]

    def price_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """Per ASTI type: its label and its price fields (every channel first)."""
        return [
            (str(label), [self[price_field_name(value, channel)] for channel, _l in PRICE_CHANNELS])
            for value, label in AstiType.choices
        ]

    def terms(self) -> dict[str, Any]:
        """The cleaned terms as the ledger's services take them (the share as a fraction)."""
        from .services import PriceData

        data = self.cleaned_data
        return {
            "valid_from": data["valid_from"],
            "valid_to": data.get("valid_to"),
            "agency_share": data["agency_share"] / 100,
            **{name: data.get(name) or Decimal(0) for name, _label in BASE_FIELDS},
            "prices": [
                PriceData(asti_type, data[price_field_name(asti_type, channel)], channel)
                for asti_type in AstiType.values
                for channel, _label in PRICE_CHANNELS
                if data.get(price_field_name(asti_type, channel)) is not None
            ],
        }

    @classmethod
    def initial_of(cls, agreement: Agreement) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "point": agreement.point_id,
            "agency": agreement.agency_id,
            "valid_from": agreement.valid_from,
            "valid_to": agreement.valid_to,
            "agency_share": (agreement.agency_share * 100).normalize(),
            **{name: getattr(agreement, name) for name, _label in BASE_FIELDS},
        }
        for price in agreement.prices.all():
            initial[price_field_name(price.asti_type, price.channel)] = price.price
        return initial
