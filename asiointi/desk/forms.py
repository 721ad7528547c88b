"""Forms of the desk pages. Each form checks what it can read, then the desk's services (and through
them the ledger) check the rest; their errors are put beside the field they name."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from asiointi.catalogue.models import Channel, Service
from asiointi.core.forms import contact_name_field, contact_phone_field
from asiointi.core.validators import single_line_text
from asiointi.ledger.models import AstiType
from asiointi.ledger.services import MAX_DURATION_SECONDS, OTHER_LANGUAGE
from asiointi.network.models import Agency, Booth, ServiceLanguage
from asiointi.scheduling.languages import InterpreterLanguage

from .models import TOPIC_MAX_LENGTH, CallbackOutcome
from .selectors import DeskService

TEXT_INPUT = "hds-text-input__input"
SELECT = "hds-select-native"
#: The ledger's and the desk services' error fields, and the form field each is shown beside.
CORE_FIELDS = {
    "service": "service",
    "agency": "agency",
    "asti_type": "asti_type",
    "channel": "channel",
    "language": "language",
    "duration_seconds": "duration_minutes",
    "occurred_at": "duration_minutes",
    "customer_name": "customer_name",
    "customer_phone": "customer_phone",
    "topic": "topic",
    "preferred_times": "preferred_times",
    "consent": "consent",
    "outcome": "outcome",
    "note": "note",
    "booth": "booth",
    "interpreter_language": "interpreter_language",
    "status": "agency",
}


def add_core_errors(form: forms.Form, error: ValidationError, *, fallback: str | None = None) -> None:
    """Put the service's ValidationError on ``form``, each error beside the field it names."""
    if hasattr(error, "error_dict"):
        for key, errors in error.error_dict.items():
            target = CORE_FIELDS.get(key)
            target = target if target in form.fields else fallback
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(fallback, error)


def language_choices() -> list[tuple[str, Any]]:
    return [*ServiceLanguage.choices, (OTHER_LANGUAGE, _("another language"))]


def _channel_choices() -> list[tuple[str, Any]]:
    return [
        (c.value, c.label)
        for c in (Channel.ADVISOR_GUIDANCE, Channel.REMOTE_MEETING, Channel.VISITING_OFFICIAL)
    ]


class RecordForm(forms.Form):
    """One customer transaction at the desk. The duration runs from ``started`` (when the desk was
    opened or the last transaction recorded) unless the advisor writes the minutes."""

    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the services in the list.")},
    )
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        empty_label=_("The agency of the service"),
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose an agency from the list.")},
    )
    asti_type = forms.ChoiceField(
        label=_("Transaction type"),
        choices=AstiType.choices,
        initial=AstiType.ONSITE_GUIDANCE,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose a transaction type from the list.")},
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=_channel_choices,
        initial=Channel.ADVISOR_GUIDANCE,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose a channel from the list.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        required=False,
        help_text=_("Leave empty to use the running timer."),
        widget=forms.NumberInput(attrs={"class": TEXT_INPUT, "inputmode": "numeric"}),
        error_messages={"invalid": _("Write the duration as whole minutes, such as 7.")},
    )
    language = forms.ChoiceField(
        label=_("Language of service"),
        choices=language_choices,
        initial="fi",
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    with_interpreter = forms.BooleanField(label=_("With an interpreter"), required=False)
    started = forms.DateTimeField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, services: list[DeskService], agencies: list[Agency], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.desk_services = services
        self.by_pk = {str(s.service.pk): s.service for s in services}
        labels = []
        for item in services:
            name = f"{item.service.name} ({item.service.agency.short_name or item.service.agency.name})"
            labels.append((str(item.service.pk), f"[{item.key}] {name}" if item.key else name))
        self.fields["service"].choices = [("", _("No particular service")), *labels]  # type: ignore[attr-defined]
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        service = self.by_pk.get(cleaned.get("service") or "")
        cleaned["service_obj"] = service
        if not self.errors and service is None and cleaned.get("agency") is None:
            self.add_error("service", _("Choose a service, or an agency when no service fits."))
        return cleaned

    def duration_seconds(self, now: dt.datetime) -> int:
        minutes = self.cleaned_data.get("duration_minutes")
        if minutes is not None:
            return max(min(minutes, 10**6), -(10**6)) * 60
        started = self.cleaned_data.get("started")
        if started is None:
            return 0
        seconds = int((now - started).total_seconds())
        if seconds < 0 or seconds > MAX_DURATION_SECONDS:
            return 0  # a stale or tampered timer counts nothing rather than an absurd time
        return seconds

    def chosen_agency(self) -> Agency | None:
        service: Service | None = self.cleaned_data.get("service_obj")
        return self.cleaned_data.get("agency") or (service.agency if service else None)


def timer_start(now: dt.datetime | None = None) -> str:
    return (now or timezone.now()).isoformat(timespec="seconds")


class CallbackForm(forms.Form):
    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose the agency"),
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "required": _("Choose the agency that should call back."),
            "invalid_choice": _("Choose an agency from the list."),
        },
    )
    # The booking's contact fields (asiointi.core.forms), for a customer at the desk.
    customer_name = contact_name_field(
        label=_("Customer's name"), required_message=_("Give the customer's name."), autocomplete="off"
    )
    customer_phone = contact_phone_field(
        label=_("Customer's phone number"),
        help_text=_("For example 040 123 4567."),
        required_message=_("Give the customer's phone number, so that the expert can call back."),
        autocomplete="off",
    )
    language = forms.ChoiceField(
        label=_("Language of service"),
        choices=language_choices,
        initial="fi",
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    topic = forms.CharField(
        label=_("What the customer needs"),
        max_length=TOPIC_MAX_LENGTH,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off"}),
        error_messages={"required": _("Say briefly what the customer needs.")},
    )
    preferred_times = forms.CharField(
        label=_("Times that suit the customer"),
        required=False,
        max_length=200,
        validators=[single_line_text],
        help_text=_("For example: weekday mornings, not on Fridays."),
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off"}),
    )
    consent = forms.BooleanField(
        label=_("The customer agrees that their name and phone number are stored for the callback."),
        required=False,
    )

    def __init__(self, *args: Any, agencies: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]


class CallbackActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("claim", "claim"), ("attempt", "attempt"), ("close", "close")],
        error_messages={
            "required": _("Choose what to do with the request."),
            "invalid_choice": _("Choose what to do with the request."),
        },
    )
    note = forms.CharField(
        label=_("Note on the attempt"),
        required=False,
        max_length=200,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off"}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=CallbackOutcome.choices,
        widget=forms.RadioSelect,
    )


def _interpreter_choices() -> list[tuple[str, Any]]:
    return [("", _("No interpreter")), *InterpreterLanguage.choices]


class CallNowForm(forms.Form):
    """Put a walk-in customer into an agency's call-now queue for a free booth of the point."""

    agency: forms.ModelChoiceField[Agency] = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose the agency"),
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "required": _("Choose the agency whose expert should take the call."),
            "invalid_choice": _("Choose an agency that serves this point remotely."),
        },
    )
    service = forms.ChoiceField(
        label=_("Service"),
        required=False,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose a service offered for remote service at this point.")},
    )
    booth: forms.ModelChoiceField[Booth] = forms.ModelChoiceField(
        label=_("Booth"),
        queryset=Booth.objects.none(),
        empty_label=_("Choose the booth"),
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={
            "required": _("Choose the booth where the customer waits."),
            "invalid_choice": _("Choose a booth of this service point."),
        },
    )
    language = forms.ChoiceField(
        label=_("Customer's language"),
        choices=language_choices,
        initial="fi",
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose a language from the list.")},
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter"),
        required=False,
        choices=_interpreter_choices,
        widget=forms.Select(attrs={"class": SELECT}),
        error_messages={"invalid_choice": _("Choose an interpreter language from the list.")},
    )

    def __init__(
        self, *args: Any, agencies: Any, services: list[Service], booths: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        self.fields["booth"].queryset = booths  # type: ignore[attr-defined]
        self.by_pk = {str(s.pk): s for s in services}
        self.fields["service"].choices = [  # type: ignore[attr-defined]
            ("", _("No particular service")),
            *[(str(s.pk), f"{s.name} ({s.agency.short_name or s.agency.name})") for s in services],
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["service_obj"] = self.by_pk.get(cleaned.get("service") or "")
        return cleaned


class FinderForm(forms.Form):
    """The desk's service finder: the customer's need in their own words."""

    q = forms.CharField(
        label=_("What does the customer need?"),
        required=False,
        max_length=200,
        help_text=_("In Finnish, Swedish or English, for example: lost my passport."),
        widget=forms.TextInput(attrs={"class": TEXT_INPUT, "autocomplete": "off", "type": "search"}),
    )
