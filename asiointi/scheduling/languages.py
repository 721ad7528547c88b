"""The languages of appointments: the customer's (the meeting is held in Finnish, Swedish or English)
and an interpreter's (spoken languages by their ISO 639-1 code, the sign languages by ISO 639-3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingLanguage(models.TextChoices):
    """The language a meeting is held in, and the customer's mail."""

    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class InterpreterLanguage(models.TextChoices):
    """The languages interpreters are booked for: the sign languages of Finland and the spoken languages
    most asked for at the joint service points."""

    FINNISH_SIGN = "fse", _("Finnish Sign Language")
    FINLAND_SWEDISH_SIGN = "fss", _("Finland-Swedish Sign Language")
    ARABIC = "ar", _("Arabic")
    DARI = "prs", _("Dari")
    ENGLISH = "en", _("English")
    ESTONIAN = "et", _("Estonian")
    FARSI = "fa", _("Persian")
    FINNISH = "fi", _("Finnish")
    KURDISH_SORANI = "ckb", _("Kurdish (Sorani)")
    NORTHERN_SAMI = "se", _("Northern Sami")
    RUSSIAN = "ru", _("Russian")
    SOMALI = "so", _("Somali")
    SWEDISH = "sv", _("Swedish")
    THAI = "th", _("Thai")
    TIGRINYA = "ti", _("Tigrinya")
    UKRAINIAN = "uk", _("Ukrainian")
    VIETNAMESE = "vi", _("Vietnamese")
