"""The planner's scenario form. Validation happens on the server, in the visitor's language, before
anything is saved or queued: a scenario that reaches the worker asks for something it can compute."""

from __future__ import annotations

import re
from functools import cache, cached_property
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from asiointi.accounts.forms import ErrorsDescribedMixin
from asiointi.core.validators import single_line_text

from .data import load_municipalities
from .models import ScenarioMode
from .selectors import existing_network_sites, profile_levels
from .services import ScenarioInput

TEXT_INPUT = "hds-text-input__input"
NUMBER = {"class": TEXT_INPUT, "inputmode": "decimal"}
COORDINATES = re.compile(r"^\s*(-?\d+(?:[.]\d+)?)\s*[,;]\s*(-?\d+(?:[.]\d+)?)\s*$")
MAX_SITES = 500


@cache
def municipality_codes() -> frozenset[str]:
    return frozenset(load_municipalities())


def _errors(message: Any, *codes: str) -> dict[str, Any]:
    """The same message for every way a number can be wrong."""
    return dict.fromkeys(codes or ("required", "invalid", "min_value", "max_value"), message)


def _percent(label: Any, help_text: Any, required: bool = False) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=required,
        min_value=1,
        max_value=100,
        localize=True,
        help_text=help_text,
        widget=forms.TextInput(attrs=NUMBER),
        error_messages=_errors(_("Give a percentage between 1 and 100, for example 90.")),
    )


class ScenarioForm(ErrorsDescribedMixin, forms.Form):
    name = forms.CharField(
        label=_("Name of the scenario"),
        max_length=200,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off"}),
        error_messages={"required": _("Give the scenario a name.")},
    )
    mode = forms.ChoiceField(
        label=_("Question"),
        choices=ScenarioMode.choices,
        initial=ScenarioMode.MINIMISE,
        widget=forms.RadioSelect(attrs={"class": "hds-radio-button__input"}),
        help_text=_(
            "The fewest new full points: today's points are kept, and the planner adds as few new full "
            "joint service points as it can so that at least the share of residents you give lives within "
            "the distance of a full point (a point whose profile is the fullest). Give the distance and the "
            "share, for example 40 km and 80 per cent."
        ),
        error_messages={"required": _("Choose what the scenario asks.")},
    )
    radius_km = forms.FloatField(
        label=_("Distance by road (km)"),
        initial=40,
        min_value=1,
        max_value=500,
        localize=True,
        widget=forms.TextInput(attrs=NUMBER),
        help_text=_("The 2014 plan: 40 km."),
        error_messages={
            **_errors(_("Give the distance in kilometres, for example 40."), "required", "invalid"),
            **_errors(_("Give a distance between 1 and 500 km."), "min_value", "max_value"),
        },
    )
    share = _percent(
        _("Residents within the distance (%)"),
        _("The fewest sites: at least this share of residents within the distance, for example 90."),
    )
    per_region = forms.BooleanField(
        label=_("The share in every region, not only nationally"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "hds-checkbox__input"}),
    )
    catchment_share = _percent(
        _("Within the distance in every catchment (%)"),
        _(
            "Optional: in the catchment of every point (the residents whose nearest point it is), at least "
            "this share within the distance. The 2014 plan: 90."
        ),
    )
    count = forms.IntegerField(
        label=_("Number of sites"),
        required=False,
        min_value=1,
        max_value=MAX_SITES,
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "numeric"}),
        help_text=_("The best network of a given size: how many sites, for example 144."),
        error_messages={
            "invalid": _("Give the number of sites as a whole number, for example 144."),
            **_errors(_("Give a number of sites between 1 and 500."), "min_value", "max_value"),
        },
    )
    keep_existing = forms.BooleanField(
        label=_("Keep today's service points open"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "hds-checkbox__input"}),
    )
    exclude_offices = forms.BooleanField(
        label=_("No new site in a municipality where an agency has its own office"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "hds-checkbox__input"}),
    )
    sites = forms.CharField(
        label=_("Sites to add or keep"),
        required=False,
        widget=forms.Textarea(attrs={"class": TEXT_INPUT, "rows": 4, "autocomplete": "off"}),
        help_text=_(
            "One a line: a municipality code (its administrative centre, for example 226), the address "
            "name of a service point (for example karstula), or coordinates as latitude, longitude (for "
            "example 62.78, 24.80). Evaluated with today's points, or kept open when optimising."
        ),
    )
    circuity = forms.FloatField(
        label=_("Circuity factor"),
        initial=lambda: settings.ROAD_CIRCUITY_FACTOR,
        min_value=1,
        max_value=3,
        localize=True,
        widget=forms.TextInput(attrs=NUMBER),
        help_text=_("Road distance is the straight-line distance times this factor (1.3 by default)."),
        error_messages=_errors(_("Give a circuity factor between 1 and 3, for example 1.3.")),
    )
    time_limit = forms.IntegerField(
        label=_("Time limit (seconds)"),
        initial=120,
        min_value=1,
        max_value=3600,
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "numeric"}),
        help_text=_("The solver stops here and reports the best network found and its gap."),
        error_messages=_errors(_("Give a time limit between 1 and 3,600 seconds.")),
    )

    @cached_property
    def existing_ids(self) -> tuple[str, ...]:
        """Today's service points, read once per form (the checks below all need them)."""
        return existing_network_sites().ids

    def clean_sites(self) -> tuple[str, ...]:
        lines = [line.strip() for line in self.cleaned_data["sites"].splitlines() if line.strip()]
        if len(lines) > MAX_SITES:
            raise forms.ValidationError(_("Give at most 500 sites."), code="too_many")
        points = set(self.existing_ids)
        known = municipality_codes()
        sites: list[str] = []
        unknown: list[str] = []
        for line in lines:
            match = COORDINATES.match(line.replace(" ", ""))
            if match:
                lat, lon = float(match.group(1)), float(match.group(2))
                if not (59.0 <= lat <= 70.5 and 19.0 <= lon <= 32.0):
                    unknown.append(line)
                    continue
                sites.append(f"{lat:g},{lon:g}")
            elif line.zfill(3) in known and line.isdigit():
                sites.append(line.zfill(3))
            elif line.lower() in points:
                sites.append(line.lower())
            else:
                unknown.append(line)
        if unknown:
            raise forms.ValidationError(
                _(
                    "These lines are not a municipality code, a service point or coordinates in Finland: "
                    "%(lines)s."
                ),
                code="unknown",
                params={"lines": ", ".join(unknown[:10])},
            )
        return tuple(dict.fromkeys(sites))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        mode = cleaned.get("mode")
        if mode == ScenarioMode.MINIMISE:
            if (
                cleaned.get("share") is None
                and cleaned.get("catchment_share") is None
                and not ({"share", "catchment_share"} & set(self.errors))
            ):
                self.add_error(
                    "share",
                    forms.ValidationError(
                        _("Give the share of residents to reach, the share in every catchment, or both."),
                        code="required",
                    ),
                )
            if cleaned.get("per_region") and cleaned.get("share") is None and "share" not in self.errors:
                self.add_error(
                    "share",
                    forms.ValidationError(
                        _("Give the share of residents that every region must reach."), code="required"
                    ),
                )
        if mode == ScenarioMode.FULL:
            if cleaned.get("share") is None and "share" not in self.errors:
                self.add_error(
                    "share",
                    forms.ValidationError(
                        _("Give the share of residents to reach within the distance of a full point."),
                        code="required",
                    ),
                )
            if not profile_levels() and not self.errors:
                self.add_error(
                    "mode",
                    forms.ValidationError(
                        _("No service point has a profile yet: give the points their profiles first."),
                        code="no_profiles",
                    ),
                )
        if mode == ScenarioMode.BEST and cleaned.get("count") is None and "count" not in self.errors:
            self.add_error(
                "count",
                forms.ValidationError(_("Give the number of sites of the network."), code="required"),
            )
        if (
            mode == ScenarioMode.BEST
            and cleaned.get("count") is not None
            and cleaned.get("keep_existing")
            and cleaned["count"] < len(self.existing_ids)
        ):
            self.add_error(
                "count",
                forms.ValidationError(
                    _("The network must have at least as many sites as today's points that it keeps."),
                    code="too_few",
                ),
            )
        if (
            mode == ScenarioMode.EVALUATE
            and not cleaned.get("sites")
            and "sites" not in self.errors
            and not self.existing_ids
        ):
            self.add_error(
                "sites",
                forms.ValidationError(
                    _("There are no service points today: give the sites of the network to evaluate."),
                    code="required",
                ),
            )
        return cleaned

    def scenario_input(self) -> ScenarioInput:
        data = self.cleaned_data
        mode = data["mode"]
        minimise, best = mode == ScenarioMode.MINIMISE, mode == ScenarioMode.BEST
        full = mode == ScenarioMode.FULL

        def percent(value: float | None) -> float | None:
            return None if value is None else value / 100

        return ScenarioInput(
            name=data["name"],
            mode=mode,
            radius_km=data["radius_km"],
            share=percent(data["share"]) if (minimise or full) else None,
            per_region=bool(data["per_region"]) and (minimise or full),
            catchment_share=percent(data["catchment_share"]) if (minimise or best) else None,
            count=data["count"] if best else None,
            keep_existing=(bool(data["keep_existing"]) and mode != ScenarioMode.EVALUATE) or full,
            exclude_offices=bool(data["exclude_offices"]) and mode != ScenarioMode.EVALUATE,
            sites=data["sites"],
            circuity=data["circuity"],
            time_limit=data["time_limit"],
        )
