"""Forms of the staff's profile pages: a profile with its requirements (one form and a formset of
requirements), and the profile of a service point. They check the shape of the input; the rules
(an unknown channel, the same requirement twice, a profile for another kind of point) are the
services' and the models' (:mod:`asiointi.catalogue.services`), whose refusals the views put beside
the fields."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, PointKind

from .models import Channel, PointProfile

TEXT_INPUT = "hds-text-input__input"
CHECKBOX = "hds-checkbox__input"
#: The languages of a profile's texts, with the labels of its name and description in each.
LANGUAGES = (
    ("fi", _("Name in Finnish"), _("Description in Finnish")),
    ("sv", _("Name in Swedish"), _("Description in Swedish")),
    ("en", _("Name in English"), _("Description in English")),
)


class ErrorsDescribed:
    """After validation, each field with errors is described by its error text (and its help
    text), so a screen reader reads the error when the field takes focus (the ids that
    web/includes/field.html gives them)."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.describe_errors()

    def describe_errors(self) -> None:
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            bound.field.widget.attrs["aria-describedby"] = " ".join(ids)


class ChannelsField(forms.MultipleChoiceField):
    """The channels of a requirement as checkboxes. A value that is not a channel is left for the
    model to refuse, with its own message naming the channel and the channels there are."""

    def validate(self, value: Any) -> None:
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class ProfileForm(ErrorsDescribed, forms.Form):
    """A profile's code (given once), names and descriptions in fi/sv/en, level, kinds of point and
    visiting days a month."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("A short name for addresses and files, for example full; it cannot be changed later."),
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off"}),
        error_messages={
            "required": _("Give the profile a code."),
            "invalid": _("Write the code with lower-case letters, digits and hyphens, for example full."),
        },
    )
    level = forms.IntegerField(
        label=_("Level"),
        min_value=1,
        max_value=99,
        help_text=_("The fuller the profile, the higher its level; the fullest is the full service point."),
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "numeric"}),
        error_messages={
            "required": _("Give the profile a level between 1 and 99."),
            "invalid": _("Give the profile a level between 1 and 99."),
            "min_value": _("Give the profile a level between 1 and 99."),
            "max_value": _("Give the profile a level between 1 and 99."),
        },
    )
    point_kinds = forms.MultipleChoiceField(
        label=_("Kinds of point"),
        choices=PointKind.choices,
        required=False,
        help_text=_("The kinds of service point that may have this profile; none chosen for every kind."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
    )
    min_visiting_days_per_month = forms.IntegerField(
        label=_("Visiting days a month at least"),
        min_value=0,
        max_value=31,
        initial=0,
        required=False,
        help_text=_("For a point that visits (a mobile point): 0 when the profile asks for none."),
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "inputmode": "numeric"}),
        error_messages={
            "invalid": _("Give the visiting days a month as a number between 0 and 31."),
            "min_value": _("Give the visiting days a month as a number between 0 and 31."),
            "max_value": _("Give the visiting days a month as a number between 0 and 31."),
        },
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name_label, _description_label in LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=name_label,
                max_length=200,
                required=code == "fi",
                validators=[single_line_text],
                widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off"}),
                error_messages={"required": _("Give the profile a name in Finnish.")},
            )
        for code, _name_label, description_label in LANGUAGES:
            self.fields[f"description_{code}"] = forms.CharField(
                label=description_label,
                max_length=2000,
                required=False,
                widget=forms.Textarea(attrs={"class": TEXT_INPUT, "rows": 3}),
            )
        self.order_fields(
            [
                *(f"{field}_{code}" for field in ("name", "description") for code, *_labels in LANGUAGES),
                "code",
                "level",
                "point_kinds",
                "min_visiting_days_per_month",
            ]
        )
        if editing:
            del self.fields["code"]

    @staticmethod
    def initial_of(profile: PointProfile) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "level": profile.level,
            "point_kinds": list(profile.point_kinds),
            "min_visiting_days_per_month": profile.min_visiting_days_per_month,
        }
        for code, *_labels in LANGUAGES:
            initial[f"name_{code}"] = getattr(profile, f"name_{code}") or ""
            initial[f"description_{code}"] = getattr(profile, f"description_{code}") or ""
        return initial

    def name_fields(self) -> list[forms.BoundField]:
        return [self[f"name_{code}"] for code, *_labels in LANGUAGES]

    def description_fields(self) -> list[forms.BoundField]:
        return [self[f"description_{code}"] for code, *_labels in LANGUAGES]

    def terms(self) -> dict[str, Any]:
        """The service's keyword arguments (without the code and the requirements)."""
        data = self.cleaned_data
        return {
            "level": data["level"],
            "names": {code: data[f"name_{code}"] for code, *_labels in LANGUAGES if data[f"name_{code}"]},
            "descriptions": {
                code: data[f"description_{code}"]
                for code, *_labels in LANGUAGES
                if data[f"description_{code}"]
            },
            "point_kinds": list(data["point_kinds"]),
            "min_visiting_days_per_month": data["min_visiting_days_per_month"] or 0,
        }


class RequirementForm(ErrorsDescribed, forms.Form):
    """One requirement: an agency, and the channels of which any one meets it. A row left empty is
    no requirement; a row marked for removal is removed when the profile is saved."""

    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("(no requirement)"),
        widget=forms.Select(attrs={"class": TEXT_INPUT}),
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )
    channels = ChannelsField(
        label=_("Channels (any one of them meets the requirement)"),
        choices=Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": CHECKBOX}),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        removed = cleaned.get("DELETE")
        if (
            not removed
            and cleaned.get("agency") is None
            and cleaned.get("channels")
            and "agency" not in self.errors
        ):
            self.add_error(
                "agency", forms.ValidationError(_("Choose the agency of the requirement."), code="required")
            )
        if not removed and cleaned.get("agency") is not None and not cleaned.get("channels"):
            self.add_error(
                "channels", forms.ValidationError(_("Choose at least one channel."), code="required")
            )
        return cleaned

    @property
    def requirement(self) -> tuple[Agency, list[str]] | None:
        """The requirement this row asks for, or None for an empty or removed row."""
        data = getattr(self, "cleaned_data", {})
        if data.get("DELETE") or data.get("agency") is None:
            return None
        return data["agency"], list(data.get("channels") or [])


class BaseRequirementFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def __init__(self, *args: Any, agencies: QuerySet[Agency] | None = None, **kwargs: Any) -> None:
        self.agencies = agencies if agencies is not None else Agency.objects.order_by("name")
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Every row is checked, an unchanged one too (an empty row asks for nothing): a row as it was
        # shown is a requirement to keep.
        return {**super().get_form_kwargs(index), "agencies": self.agencies, "empty_permitted": False}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this requirement")
            form.fields["DELETE"].widget.attrs["class"] = CHECKBOX

    def requirements(self) -> list[tuple[int, tuple[Agency, list[str]]]]:
        """The requirements asked for, each with the index of its row."""
        return [(i, form.requirement) for i, form in enumerate(self.forms) if form.requirement is not None]


RequirementFormSet = cast(
    type[BaseRequirementFormSet],
    forms.formset_factory(
        RequirementForm,
        formset=BaseRequirementFormSet,
        extra=2,
        can_delete=True,
        max_num=40,
        validate_max=True,
    ),
)


class PointProfileForm(ErrorsDescribed, forms.Form):
    """The profile of a service point (none takes its profile away)."""

    profile: forms.ModelChoiceField[PointProfile] = forms.ModelChoiceField(
        label=_("Profile"),
        queryset=PointProfile.objects.all(),
        required=False,
        empty_label=_("(no profile)"),
        widget=forms.Select(attrs={"class": TEXT_INPUT}),
        error_messages={"invalid_choice": _("Choose the profile from the list.")},
    )
