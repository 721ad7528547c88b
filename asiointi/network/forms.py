"""Admin forms of the network: JSON list fields edited as checkboxes, and overlap checks across the
rows of one inline formset (which the models' clean() cannot see before they are saved)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import ServiceLanguage, ServicePoint, VisitingSchedule

WEEK_OF_MONTH_CHOICES = [
    (1, pgettext_lazy("week of the month", "first")),
    (2, pgettext_lazy("week of the month", "second")),
    (3, pgettext_lazy("week of the month", "third")),
    (4, pgettext_lazy("week of the month", "fourth")),
    (-1, pgettext_lazy("week of the month", "last")),
]


class ServicePointAdminForm(forms.ModelForm[ServicePoint]):
    """The languages served, as checkboxes, stored as a list of codes in the order of the choices."""

    languages = forms.MultipleChoiceField(
        label=_("languages served"),
        choices=ServiceLanguage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = ServicePoint
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields.

    def clean_languages(self) -> list[str]:
        chosen = set(self.cleaned_data.get("languages") or ())
        return [code for code in ServiceLanguage.values if code in chosen]


class VisitingScheduleAdminForm(forms.ModelForm[VisitingSchedule]):
    """The weeks of a monthly schedule as checkboxes (first ... fourth, last), stored as a list of ints."""

    weeks_of_month = forms.TypedMultipleChoiceField(
        label=_("weeks of the month"),
        choices=WEEK_OF_MONTH_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For monthly schedules: on which of the month's such weekdays the visit takes place."),
    )

    class Meta:
        model = VisitingSchedule
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose the fields.

    def clean_weeks_of_month(self) -> list[int]:
        chosen = set(self.cleaned_data.get("weeks_of_month") or ())
        return [week for week, _label in WEEK_OF_MONTH_CHOICES if week in chosen]


def _rows(formset: forms.BaseInlineFormSet[Any, Any, Any]) -> list[dict[str, Any]]:
    """The cleaned data of the new and changed rows that will remain after saving. (The model's
    clean() already compares each of them with the rows saved before.)"""
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or not form.has_changed():
            continue
        rows.append(data)
    return rows


def _periods_overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    a_from, a_to, b_from, b_to = (
        a.get("valid_from"),
        a.get("valid_to"),
        b.get("valid_from"),
        b.get("valid_to"),
    )
    return (a_to is None or b_from is None or b_from <= a_to) and (
        b_to is None or a_from is None or a_from <= b_to
    )


class OpeningHoursRuleFormSet(forms.BaseInlineFormSet[Any, Any, Any]):
    """Refuse two new or changed rows of one save that overlap each other on the same weekday."""

    def clean(self) -> None:
        super().clean()
        rows = [r for r in _rows(self) if r.get("opens") and r.get("closes") and r.get("weekday") is not None]
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if (
                    a["weekday"] == b["weekday"]
                    and a["opens"] < b["closes"]
                    and b["opens"] < a["closes"]
                    and _periods_overlap(a, b)
                ):
                    raise ValidationError(
                        _(
                            "Two of the opening hours overlap on the same weekday. Change the times or the validity periods."
                        ),
                        code="overlap",
                    )


class OpeningHoursExceptionFormSet(forms.BaseInlineFormSet[Any, Any, Any]):
    """Refuse two new or changed rows of one save that contradict or overlap each other on the same day."""

    def clean(self) -> None:
        super().clean()
        rows = [r for r in _rows(self) if r.get("date")]
        for i, a in enumerate(rows):
            for b in rows[i + 1 :]:
                if a["date"] != b["date"]:
                    continue
                closed = a.get("is_closed") or b.get("is_closed")
                hours_overlap = (
                    a.get("opens")
                    and a.get("closes")
                    and b.get("opens")
                    and b.get("closes")
                    and a["opens"] < b["closes"]
                    and b["opens"] < a["closes"]
                )
                if closed or hours_overlap:
                    raise ValidationError(
                        _(
                            "Two exceptions of the same day contradict or overlap each other. A day is either closed or open at given hours."
                        ),
                        code="overlap",
                    )
