"""Dates, times and numbers as Finnish, Swedish and English are written in Finland."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format, time_format

from .html import parse


def test_settings__use_the_project_format_modules():
    assert "asiointi.formats" in settings.FORMAT_MODULE_PATH


@pytest.mark.parametrize(
    ("language", "expected"),
    [("fi", "24.12.2026 klo 10.00"), ("sv", "24.12.2026 kl. 10.00"), ("en", "24.12.2026 at 10.00")],
)
def test_datetime_format__in_each_language__is_day_month_year_and_time_with_a_full_stop(language, expected):
    with translation.override(language):
        assert date_format(dt.datetime(2026, 12, 24, 10, 0), "DATETIME_FORMAT") == expected


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_date_and_time_formats__have_no_zero_padding_in_dates(language):
    with translation.override(language):
        assert date_format(dt.date(2026, 2, 1)) == "1.2.2026"
        assert date_format(dt.date(2026, 2, 1), "SHORT_DATE_FORMAT") == "1.2.2026"
        assert time_format(dt.time(9, 5)) == "09.05"


@pytest.mark.parametrize(
    ("language", "expected"), [("fi", "1\xa0234,5"), ("sv", "1\xa0234,5"), ("en", "1,234.5")]
)
def test_number_format__with_grouping__uses_the_language_s_separators(language, expected):
    with translation.override(language):
        assert number_format(1234.5, 1, force_grouping=True) == expected


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_date_input__finnish_style_and_iso__are_both_accepted(language):
    from django import forms

    field = forms.DateField()
    with translation.override(language):
        assert field.clean("1.2.2026") == dt.date(2026, 2, 1)
        assert field.clean("2026-02-01") == dt.date(2026, 2, 1)
        assert forms.TimeField().clean("10.30") == dt.time(10, 30)


def test_point_page__shows_dates_as_day_month_year_without_zero_padding(client, point):
    today = timezone.localdate()
    thursday = today - dt.timedelta(days=today.weekday()) + dt.timedelta(days=3)

    response = client.get("/fi/points/parainen/")

    page = parse(response.content)
    days = page.text_of("time", datetime=thursday.isoformat())
    assert days
    assert f"{thursday.day}.{thursday.month}.{thursday.year}" in days[0]
    assert not re.search(r"\b0\d\.\d+\.\d{4}\b|\b\d+\.0\d\.\d{4}\b", days[0])
