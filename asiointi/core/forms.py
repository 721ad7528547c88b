"""Form fields every app may use."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import QuerySet
from django.forms import ModelMultipleChoiceField

from .validators import single_line_text


class BoundedModelMultipleChoiceField(ModelMultipleChoiceField):
    """Refuses keys that are no keys ("abc", a number beyond the database's integers) as invalid
    choices; Django's field sends them to the database, where SQLite and PostgreSQL fail."""

    def _check_values(self, value: Any) -> QuerySet[Any]:
        queryset: QuerySet[Any] = self.queryset  # type: ignore[assignment]
        opts = queryset.model._meta
        key_field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        if key_field is None:
            return super()._check_values(value)  # type: ignore[misc]
        ops = connections[queryset.db].ops
        internal_type = key_field.get_internal_type()
        low, high = (
            ops.integer_field_range(internal_type)
            if internal_type in ops.integer_field_ranges
            else (None, None)
        )
        for pk in value or ():
            try:
                python = key_field.to_python(pk)
            except ValidationError:
                python = None
            out_of_range = isinstance(python, int) and (
                (low is not None and python < low) or (high is not None and python > high)
            )
            if python is None or out_of_range or "\x00" in str(pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)  # type: ignore[misc]


# --- a person's contact: the same fields wherever a form asks for one -------------------------------

#: The Helsinki Design System's class of a text input.
TEXT_INPUT_CLASS = "hds-text-input__input"
#: The longest name and phone number kept (the models' own limits).
CONTACT_NAME_MAX_LENGTH = 200
CONTACT_PHONE_MAX_LENGTH = 30


def contact_name_field(*, label: Any, required_message: Any, autocomplete: str = "name") -> forms.CharField:
    """A person's name: one line of at most 200 characters (the booking's customer, the callback's).
    ``autocomplete="off"`` where staff type someone else's name."""
    return forms.CharField(
        label=label,
        max_length=CONTACT_NAME_MAX_LENGTH,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"class": TEXT_INPUT_CLASS, "autocomplete": autocomplete}),
        error_messages={"required": required_message},
    )


def contact_phone_field(
    *, label: Any, help_text: Any, required_message: Any = None, autocomplete: str = "tel"
) -> forms.CharField:
    """A phone number: one line of at most 30 characters with the phone keypad on touch screens;
    required when ``required_message`` is given (the services check its form)."""
    return forms.CharField(
        label=label,
        required=required_message is not None,
        max_length=CONTACT_PHONE_MAX_LENGTH,
        validators=[single_line_text],
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"class": TEXT_INPUT_CLASS, "autocomplete": autocomplete, "inputmode": "tel"}
        ),
        error_messages={"required": required_message} if required_message is not None else None,
    )
