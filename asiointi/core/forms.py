"""Form fields every app may use."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import QuerySet
from django.forms import ModelMultipleChoiceField


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
