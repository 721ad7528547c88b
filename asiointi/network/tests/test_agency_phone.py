"""An agency's customer service number, shown on the booth's screen for "call me by phone instead"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from asiointi.network.models import phone_number


@pytest.mark.parametrize(
    "number", ["029 497 000", "020 692 222", "+358 29 497 000", "0295-536-000", "09 310 01"]
)
def test_phone_number__finnish_and_international_numbers__accepted(number: str) -> None:
    phone_number(number)


@pytest.mark.parametrize(
    "number", ["", "1234", "029  497 000", "puhelin 029 497 000", "+358 29 497 000 ext 5", "1" * 16]
)
def test_phone_number__not_a_number__refused_with_an_example(number: str) -> None:
    with pytest.raises(ValidationError) as refused:
        phone_number(number)
    assert refused.value.code == "phone"
