"""Forms of the staff's scheduling pages: weekly working hours, an absence, and the filters of the
calendars and the list of appointments. Bad input gets a translated error next to its field."""

from __future__ import annotations

import datetime as dt
import re
from itertools import pairwise
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text

from .models import AppointmentState, WorkingHours
from .selectors import HELSINKI

WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)
_RANGE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$")
#: The farthest a date on these pages may be from today.
DATE_RANGE_DAYS = 3 * 366


def _time(hours: str, minutes: str) -> dt.time | None:
    h, m = int(hours), int(minutes)
    if h == 24 and m == 0:
        return dt.time(23, 59)
    if 0 <= h <= 23 and 0 <= m <= 59:
        return dt.time(h, m)
    return None


def parse_ranges(text: str) -> list[tuple[dt.time, dt.time]]:
    """``"8.00–11.30, 12.00–16.00"`` → the ranges, in order; ValidationError naming the fault."""
    ranges: list[tuple[dt.time, dt.time]] = []
    for part in re.split(r"[,;]", text):
        if not part.strip():
            continue
        match = _RANGE.match(part)
        if match is None:
            raise ValidationError(
                _("Write the hours as ranges like 8.00–16.00, several separated by commas."), code="format"
            )
        starts, ends = _time(*match.group(1, 2)), _time(*match.group(3, 4))
        if starts is None or ends is None:
            raise ValidationError(_("A time of day is from 0.00 to 24.00."), code="time")
        if starts >= ends:
            raise ValidationError(_("The working hours must end after they start."), code="order")
        ranges.append((starts, ends))
    ranges.sort()
    for (_s1, e1), (s2, _e2) in pairwise(ranges):
        if s2 < e1:
            raise ValidationError(_("Two working hours of the same day overlap."), code="overlap")
    return ranges


def format_ranges(rules: list[WorkingHours], weekday: int) -> str:
    return ", ".join(
        f"{r.starts:%H.%M}–{r.ends:%H.%M}"
        for r in rules
        if r.weekday == weekday and r.valid_from is None and r.valid_to is None
    )


class WorkingHoursForm(forms.Form):
    """A row per weekday: the day's working hours as ranges, empty for a day off."""

    def __init__(self, *args: Any, rules: list[WorkingHours] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for weekday, name in enumerate(WEEKDAYS):
            self.fields[f"day_{weekday}"] = forms.CharField(
                label=name,
                required=False,
                max_length=200,
                validators=[single_line_text],
                initial=format_ranges(rules or [], weekday),
                help_text=_("For example 8.00–11.30, 12.00–16.00. Empty for a day off."),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for weekday in range(7):
            name = f"day_{weekday}"
            if name in self.errors:
                continue
            try:
                data[name] = parse_ranges(data.get(name) or "")
            except ValidationError as error:
                self.add_error(name, error)
        return data

    def rules(self) -> list[tuple[int, dt.time, dt.time]]:
        return [(w, s, e) for w in range(7) for s, e in self.cleaned_data[f"day_{w}"]]


def _date_in_range(day: dt.date) -> None:
    today = dt.datetime.now(HELSINKI).date()
    if abs((day - today).days) > DATE_RANGE_DAYS:
        raise ValidationError(_("Choose a date within three years of today."), code="far")


class AbsenceForm(forms.Form):
    starts_date = forms.DateField(label=_("First day"), validators=[_date_in_range])
    starts_time = forms.TimeField(
        label=_("From (time)"), required=False, help_text=_("Empty for the whole day.")
    )
    ends_date = forms.DateField(label=_("Last day"), validators=[_date_in_range])
    ends_time = forms.TimeField(
        label=_("Until (time)"), required=False, help_text=_("Empty for the whole day.")
    )
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=200, validators=[single_line_text]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("starts_date", "ends_date"):
            self.fields[name].widget.input_type = "date"
        for name in ("starts_time", "ends_time"):
            self.fields[name].widget.input_type = "time"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        starts = dt.datetime.combine(data["starts_date"], data.get("starts_time") or dt.time(0), HELSINKI)
        end_time = data.get("ends_time")
        if end_time is None:
            ends = dt.datetime.combine(data["ends_date"] + dt.timedelta(days=1), dt.time(0), HELSINKI)
        else:
            ends = dt.datetime.combine(data["ends_date"], end_time, HELSINKI)
        if ends <= starts:
            self.add_error("ends_date", _("The absence must end after it starts."))
        data["starts"], data["ends"] = starts, ends
        return data


class DayForm(forms.Form):
    """The day a calendar shows (today when not given or not valid)."""

    date = forms.DateField(label=_("Date"), required=False, validators=[_date_in_range])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].widget.input_type = "date"

    def day(self) -> dt.date:
        if self.is_valid() and self.cleaned_data.get("date"):
            return self.cleaned_data["date"]
        return dt.datetime.now(HELSINKI).date()


class AppointmentFilterForm(DayForm):
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *AppointmentState.choices]
    )
