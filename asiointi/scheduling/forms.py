"""Forms of the booking pages: the resident's (public) and the advisor's (staff).

Each form checks its fields, then asks the core (``slot_request_build``, ``appointment_book``) and
places each of the core's errors next to the field it names, so that the pages answer bad input in
the user's language beside the field, with an error summary at the top.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from asiointi.catalogue.models import Service
from asiointi.core.forms import BoundedModelMultipleChoiceField, contact_name_field, contact_phone_field
from asiointi.core.validators import single_line_text
from asiointi.network.models import ServicePoint

from .languages import InterpreterLanguage, MeetingLanguage
from .models import BOOKABLE_CHANNELS
from .selectors import HELSINKI, SlotRequest, slot_request_build
from .services import CustomerContact

TEXT_INPUT = "hds-text-input__input"
SELECT = "hds-select-native"
#: The core's error fields, and the form field each is shown beside.
CORE_FIELDS = {
    "services": "services",
    "channel": "channel",
    "language": "language",
    "interpreter": "interpreter",
    "name": "name",
    "email": "email",
    "phone": "phone",
}


def add_core_errors(form: forms.Form, error: ValidationError, *, fallback: str | None = None) -> None:
    """Put the core's ValidationError on ``form``: each field's error beside that field, and an error
    of a field that the form does not have on ``fallback`` (or the form as a whole)."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            target = CORE_FIELDS.get(key)
            target = target if target in form.fields else fallback
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(fallback, error)


def _channel_choices() -> list[tuple[str, Any]]:
    return [(c.value, c.label) for c in BOOKABLE_CHANNELS]


class WeekField(forms.DateField):
    """A day of the week to show; any day means its week (Monday to Sunday)."""

    def clean(self, value: Any) -> dt.date | None:  # type: ignore[override]
        day = super().clean(value)
        if day is None:
            return None
        if not 2000 <= day.year <= 2100:
            raise ValidationError(_("Choose a week within the next few months."), code="out_of_range")
        return day - dt.timedelta(days=day.weekday())


class SlotQueryForm(forms.Form):
    """What to book (the point, the services, the channel, the language, the interpreter) and the
    week whose free times to show. A GET form: the page of free times can be linked and bookmarked."""

    point: forms.ModelChoiceField[ServicePoint] = forms.ModelChoiceField(
        label=_("Service point"),
        queryset=ServicePoint.objects.none(),
        to_field_name="slug",
        empty_label=_("Choose a service point"),
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "required": _("Choose a service point."),
            "invalid_choice": _("Choose a service point from the list."),
        },
    )
    channel = forms.ChoiceField(
        label=_("How you would like to meet"),
        choices=_channel_choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a remote meeting or a visiting official's appointment."),
            "invalid_choice": _("Choose a remote meeting or a visiting official's appointment."),
        },
    )
    services = BoundedModelMultipleChoiceField(
        label=_("Services"),
        queryset=Service.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Choose up to four services. A remote meeting can bring experts of several agencies together."
        ),
        error_messages={
            "required": _("Choose at least one service."),
            "invalid_choice": _("One of the services does not exist."),
            "invalid_pk_value": _("One of the services does not exist."),
        },
    )
    language = forms.ChoiceField(
        label=_("Language of the meeting"),
        choices=MeetingLanguage.choices,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "required": _("Choose Finnish, Swedish or English as the language of the meeting."),
            "invalid_choice": _("Choose Finnish, Swedish or English as the language of the meeting."),
        },
    )
    interpreter = forms.ChoiceField(
        label=_("Interpreter"),
        required=False,
        choices=[("", _("No interpreter")), *sorted(InterpreterLanguage.choices, key=lambda c: str(c[1]))],
        widget=forms.Select(attrs={"class": SELECT}),
        help_text=_("An interpreter joins the meeting free of charge, also for sign language."),
        error_messages={
            "invalid_choice": _(
                "There are no interpreters for that language. Choose a language from the list."
            )
        },
    )
    week = WeekField(
        label=_("Week"),
        required=False,
        widget=forms.DateInput(attrs={"class": TEXT_INPUT, "type": "date"}),
        help_text=_("Any day of the week whose free times you would like to see."),
        error_messages={"invalid": _("Give the day in the form 2026-12-31.")},
    )

    def __init__(self, *args: Any, point: ServicePoint | None = None, **kwargs: Any) -> None:
        """``point`` fixes the point (the advisor's page); else the point is chosen from those that
        offer a remote meeting or a visiting official."""
        super().__init__(*args, **kwargs)
        self.fixed_point = point
        bookable = [c.value for c in BOOKABLE_CHANNELS]
        if point is not None:
            del self.fields["point"]
            del self.fields["week"]
            offered_at = Service.objects.filter(offerings__point=point)
        else:
            self.fields["point"].queryset = (  # type: ignore[attr-defined]
                ServicePoint.objects.filter(offerings__channel__in=bookable).distinct().order_by("name")
            )
            chosen = self.data.get("point") if self.is_bound else self.initial.get("point")
            chosen = str(chosen or "")
            offered_at = Service.objects.filter(
                offerings__point__slug=chosen if re.fullmatch(r"[-\w]{1,80}", chosen) else ""
            )
        self.fields["services"].queryset = (  # type: ignore[attr-defined]
            offered_at.filter(is_active=True, offerings__channel__in=bookable)
            .select_related("agency")
            .distinct()
            .order_by("agency__name", "name")
        )
        self.slot_request: SlotRequest | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        point = self.fixed_point or cleaned.get("point")
        if point is None or self.errors:
            return cleaned
        try:
            self.slot_request = slot_request_build(
                point=point,
                service_ids=[s.pk for s in cleaned.get("services", [])],
                channel=cleaned.get("channel", ""),
                language=cleaned.get("language", ""),
                interpreter_language=cleaned.get("interpreter") or "",
            )
        except ValidationError as error:
            add_core_errors(self, error)
        return cleaned


class StartField(forms.DateTimeField):
    """The chosen start time, as the page of free times gives it (ISO 8601 with its offset)."""

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        try:
            start = dt.datetime.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not 2000 <= start.year <= 2100:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        if start.tzinfo is None:
            start = start.replace(tzinfo=HELSINKI)
        return start


class ContactForm(forms.Form):
    """The customer's contact: a name, and an email address or a phone number (or both)."""

    start = StartField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose a time from the list of free times."),
            "invalid": _("Choose a time from the list of free times."),
        },
    )
    name = contact_name_field(label=_("Your name"), required_message=_("Give your name."))
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"class": TEXT_INPUT, "autocomplete": "email"}),
        help_text=_("The confirmation and a reminder are sent here."),
        error_messages={"invalid": _("Enter a valid email address.")},
    )
    phone = contact_phone_field(
        label=_("Phone number"),
        help_text=_("For example 040 123 4567. Give an email address, a phone number or both."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("email") and not cleaned.get("phone"):
            self.add_error(
                "email",
                ValidationError(
                    _("Give an email address or a phone number, so that we can tell you of changes."),
                    code="no_contact",
                ),
            )
        return cleaned

    def customer(self) -> CustomerContact:
        data = self.cleaned_data
        return CustomerContact(
            name=data["name"], email=data.get("email") or "", phone=data.get("phone") or ""
        )


class CodeForm(forms.Form):
    """The confirmation code and the contact it was booked with: the proof of a booking."""

    code = forms.CharField(
        label=_("Confirmation code"),
        max_length=20,
        validators=[single_line_text],
        widget=forms.TextInput(
            attrs={
                "class": TEXT_INPUT,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        help_text=_("Eight letters and digits, such as KX7M-PQ3A. It is in your confirmation."),
        error_messages={"required": _("Give the confirmation code.")},
    )
    contact = forms.CharField(
        label=_("Email address or phone number"),
        max_length=254,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "email"}),
        help_text=_("The email address or the phone number that you gave when you booked."),
        error_messages={"required": _("Give the email address or the phone number that you booked with.")},
    )

    def proof(self) -> dict[str, str]:
        """The contact as ``appointment_get_by_code`` takes it."""
        contact = self.cleaned_data["contact"].strip()
        return {"email": contact} if "@" in contact else {"phone": contact}


class MoveForm(forms.Form):
    """The new start time of an appointment being moved."""

    start = StartField(
        label=_("New time"),
        error_messages={
            "required": _("Choose a time from the list of free times."),
            "invalid": _("Choose a time from the list of free times."),
        },
    )
