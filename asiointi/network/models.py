"""The service network: regions, municipalities, agencies and their offices, service points,
booths, opening hours and visiting schedules."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.formats import time_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text


def _periods_overlap(a_from, a_to, b_from, b_to) -> bool:  # type: ignore[no-untyped-def]
    """Whether two date periods overlap; None is an open end."""
    return (a_to is None or b_from is None or b_from <= a_to) and (
        b_to is None or a_from is None or a_from <= b_to
    )


class PublicPagesData(models.Model):
    """A model whose rows the public pages show: saving or deleting a row renews the cached public
    pages (after commit; :func:`asiointi.network.services.public_pages_changed`). Bulk updates and
    deletes that bypass ``save()``/``delete()`` call that service themselves, or wait for the cache's
    time limit."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        from .services import public_pages_changed

        public_pages_changed()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        from .services import public_pages_changed

        public_pages_changed()
        return deleted


#: Finland's bounds: the coordinates of a service point or an agency's office must lie within them.
FINLAND_LATITUDE = [MinValueValidator(59.0), MaxValueValidator(70.5)]
FINLAND_LONGITUDE = [MinValueValidator(19.0), MaxValueValidator(32.0)]


class Region(models.Model):
    """A region (maakunta)."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        name_fi: str
        name_sv: str
        name_en: str

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text])

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class MunicipalityLanguage(models.TextChoices):
    FINNISH = "fi", _("Finnish-speaking")
    SWEDISH = "sv", _("Swedish-speaking")
    BILINGUAL_FINNISH_MAJORITY = "fi-sv", _("bilingual, Finnish-speaking majority")
    BILINGUAL_SWEDISH_MAJORITY = "sv-fi", _("bilingual, Swedish-speaking majority")


class Municipality(PublicPagesData):
    """A municipality in force from 1.1.2025, imported from the shipped open data."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        name_fi: str
        name_sv: str
        name_en: str

    code = models.CharField(_("code"), max_length=3, unique=True, validators=[RegexValidator(r"^\d{3}$")])
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text])
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    population = models.PositiveIntegerField(_("population"))
    population_2020 = models.PositiveIntegerField(_("population in 2020"), null=True, blank=True)
    lat = models.FloatField(_("latitude of the area centroid"))
    lon = models.FloatField(_("longitude of the area centroid"))
    centre_lat = models.FloatField(_("latitude of the administrative centre"))
    centre_lon = models.FloatField(_("longitude of the administrative centre"))
    area_km2 = models.FloatField(_("area (km²)"))
    language = models.CharField(_("official language"), max_length=5, choices=MunicipalityLanguage.choices)
    subregion_code = models.CharField(_("sub-region code"), max_length=3, blank=True)
    subregion_name = models.CharField(
        _("sub-region"), max_length=100, blank=True, validators=[single_line_text]
    )
    wellbeing_county_code = models.CharField(_("wellbeing services county code"), max_length=3, blank=True)
    wellbeing_county_name = models.CharField(
        _("wellbeing services county"), max_length=100, blank=True, validators=[single_line_text]
    )
    employment_area_code = models.CharField(_("employment area code"), max_length=3, blank=True)
    employment_area_name = models.CharField(
        _("employment area"), max_length=100, blank=True, validators=[single_line_text]
    )
    urban_rural_class = models.CharField(
        _("urban-rural class"), max_length=100, blank=True, validators=[single_line_text]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    STATE = "state", _("state agency")
    MUNICIPAL = "municipal", _("municipality")
    OTHER = "other", _("other organisation")


#: A phone number as people write it: Finnish (029 497 000, 040 123 4567) or international (+358 29 497
#: 000): 5 to 15 digits (E.164's most), with single spaces or hyphens between them.
phone_number = RegexValidator(
    r"^\+?\d(?:[ -]?\d){4,14}$",
    _("Enter a phone number, for example 029 497 000 or +358 29 497 000."),
    code="phone",
)


class Agency(PublicPagesData):
    """An authority whose services are offered at the points (Kela, the Tax Administration, ...)."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        name_fi: str
        name_sv: str
        name_en: str
        short_name_fi: str
        short_name_sv: str
        short_name_en: str
        description_fi: str
        description_sv: str
        description_en: str

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    short_name = models.CharField(_("short name"), max_length=60, blank=True, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.STATE)
    website = models.URLField(_("website"), blank=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("municipality"),
        help_text=_("For a municipality's own services: which municipality."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=30,
        blank=True,
        validators=[phone_number],
        help_text=_("The customer service number that a remote meeting's customer can call instead."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.short_name or self.name


class AgencyOffice(models.Model):
    """An agency's own customer service office (not a joint service point)."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        name_fi: str
        name_sv: str
        name_en: str
        hours_fi: str
        hours_sv: str
        hours_en: str

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="offices", verbose_name=_("agency")
    )
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="agency_offices", verbose_name=_("municipality")
    )
    street_address = models.CharField(
        _("street address"), max_length=200, blank=True, validators=[single_line_text]
    )
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[RegexValidator(r"^\d{5}$")]
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True, validators=FINLAND_LATITUDE)
    lon = models.FloatField(_("longitude"), null=True, blank=True, validators=FINLAND_LONGITUDE)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True, validators=[single_line_text])

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("agency office")
        verbose_name_plural = _("agency offices")

    def __str__(self) -> str:
        return self.name


class PointKind(models.TextChoices):
    FIXED = "fixed", _("fixed service point")
    MOBILE = "mobile", _("mobile service point")
    LIBRARY = "library", _("service point in a library")
    SHOP = "shop", _("service point in a shop")
    OTHER = "other", _("other service point")


class ServiceLanguage(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")
    SAMI = "se", _("Northern Sami")
    RUSSIAN = "ru", _("Russian")
    FINNISH_SIGN = "fse", _("Finnish Sign Language")


class ServicePoint(PublicPagesData):
    """A joint service point (yhteispalvelupiste) and where it is."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        name_fi: str
        name_sv: str
        name_en: str
        description_fi: str
        description_sv: str
        description_en: str
        post_office_fi: str
        post_office_sv: str
        post_office_en: str

    slug = models.SlugField(_("address name"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PointKind.choices, default=PointKind.FIXED)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="service_points", verbose_name=_("municipality")
    )
    street_address = models.CharField(_("street address"), max_length=200, validators=[single_line_text])
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[RegexValidator(r"^\d{5}$")])
    post_office = models.CharField(_("post office"), max_length=100, validators=[single_line_text])
    lat = models.FloatField(_("latitude"), validators=FINLAND_LATITUDE)
    lon = models.FloatField(_("longitude"), validators=FINLAND_LONGITUDE)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[single_line_text])
    email = models.EmailField(_("email"), blank=True)
    languages = models.JSONField(_("languages served"), default=list, blank=True)
    active_from = models.DateField(_("active from"))
    active_to = models.DateField(_("active until"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
                name="servicepoint_active_period_ordered",
                violation_error_message=_("The end of the active period cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_on(self, day: dt.date) -> bool:
        return self.active_from <= day and (self.active_to is None or self.active_to >= day)


class Booth(PublicPagesData):
    """A remote service booth (etäpalvelupiste) at a point, with its equipment."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="booths", verbose_name=_("service point")
    )
    name = models.CharField(_("name"), max_length=100, validators=[single_line_text])
    has_document_camera = models.BooleanField(_("document camera"), default=False)
    has_printer = models.BooleanField(_("printer"), default=False)
    has_scanner = models.BooleanField(_("scanner"), default=False)
    has_second_screen = models.BooleanField(_("second screen"), default=False)
    step_free_access = models.BooleanField(_("step-free access"), default=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["point", "name"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "name"],
                name="booth_name_unique_per_point",
                violation_error_message=_("This service point already has a booth of this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} – {self.name}"

    EQUIPMENT_FIELDS = (
        "has_document_camera",
        "has_printer",
        "has_scanner",
        "has_second_screen",
        "step_free_access",
    )


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class OpeningHoursRule(PublicPagesData):
    """A weekly rule: the point is open on this weekday from ``opens`` to ``closes``,
    within an optional validity period. Finnish public holidays close the point unless an
    exception opens it."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="opening_rules", verbose_name=_("service point")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["point", "weekday", "opens"]
        verbose_name = _("opening hours rule")
        verbose_name_plural = _("opening hours rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")),
                name="openinghoursrule_opens_before_closes",
                violation_error_message=_("The opening time must be before the closing time."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="openinghoursrule_valid_period_ordered",
                violation_error_message=_("The end of the validity period cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"

    def clean(self) -> None:
        """Refuse a rule that overlaps another rule of the same point on the same weekday."""
        if self.point_id is None or self.opens is None or self.closes is None or self.weekday is None:
            return
        others = OpeningHoursRule.objects.filter(
            point_id=self.point_id, weekday=self.weekday, opens__lt=self.closes, closes__gt=self.opens
        ).exclude(pk=self.pk)
        for other in others:
            if _periods_overlap(self.valid_from, self.valid_to, other.valid_from, other.valid_to):
                raise ValidationError(
                    gettext(
                        "These hours overlap the opening hours %(other)s of the same service point. "
                        "Change the times or the validity period."
                    )
                    % {"other": other},
                    code="overlap",
                )


class OpeningHoursException(PublicPagesData):
    """A dated exception: the point is closed all day, or open at the given hours
    (which replace the weekly rules of that day, and open it on a public holiday)."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        reason_fi: str
        reason_sv: str
        reason_en: str

    point = models.ForeignKey(
        ServicePoint,
        on_delete=models.CASCADE,
        related_name="opening_exceptions",
        verbose_name=_("service point"),
    )
    date = models.DateField(_("date"))
    is_closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True, validators=[single_line_text])

    class Meta:
        ordering = ["point", "date", "opens"]
        verbose_name = _("opening hours exception")
        verbose_name_plural = _("opening hours exceptions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(is_closed=True, opens__isnull=True, closes__isnull=True))
                | Q(is_closed=False, opens__isnull=False, closes__isnull=False, opens__lt=F("closes")),
                name="openinghoursexception_closed_or_hours",
                violation_error_message=_(
                    "An exception either closes the point all day or gives an opening time before a closing time."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} {self.date:%d.%m.%Y}"

    def clean(self) -> None:
        """Refuse an exception that contradicts or overlaps another of the same day."""
        if self.point_id is None or self.date is None:
            return
        others = OpeningHoursException.objects.filter(point_id=self.point_id, date=self.date).exclude(
            pk=self.pk
        )
        if not others.exists():
            return
        if self.is_closed or others.filter(is_closed=True).exists():
            raise ValidationError(
                gettext("This day already has an exception. A day is either closed or open at given hours."),
                code="overlap",
            )
        if (
            self.opens
            and self.closes
            and others.filter(opens__lt=self.closes, closes__gt=self.opens).exists()
        ):
            raise ValidationError(
                gettext("These hours overlap another exception of the same day."), code="overlap"
            )


class ScheduleFrequency(models.TextChoices):
    WEEKLY = "weekly", _("every week or every few weeks")
    MONTHLY = "monthly", _("on given weeks of each month")


class VisitingSchedule(PublicPagesData):
    """An agency's own staff at a point on recurring days, e.g. police permit services on the
    first and third Tuesday of each month from 10 to 14."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        title_fi: str
        title_sv: str
        title_en: str

    point = models.ForeignKey(
        ServicePoint,
        on_delete=models.CASCADE,
        related_name="visiting_schedules",
        verbose_name=_("service point"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="visiting_schedules", verbose_name=_("agency")
    )
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[single_line_text])
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    frequency = models.CharField(
        _("repeats"), max_length=10, choices=ScheduleFrequency.choices, default=ScheduleFrequency.WEEKLY
    )
    interval = models.PositiveSmallIntegerField(
        _("every how many weeks"), default=1, validators=[MinValueValidator(1), MaxValueValidator(8)]
    )
    weeks_of_month = models.JSONField(
        _("weeks of the month"),
        default=list,
        blank=True,
        help_text=_(
            "For monthly schedules: 1 to 4 for the first to the fourth such weekday, -1 for the last."
        ),
    )
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    by_appointment = models.BooleanField(_("by appointment only"), default=False)

    class Meta:
        ordering = ["point", "agency", "weekday"]
        verbose_name = _("visiting schedule")
        verbose_name_plural = _("visiting schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")),
                name="visitingschedule_starts_before_ends",
                violation_error_message=_("The visit must start before it ends."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="visitingschedule_valid_period_ordered",
                violation_error_message=_("The end of the validity period cannot be before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} @ {self.point}"

    def clean(self) -> None:
        """Refuse a schedule that falls on days or hours when the point is closed, and a monthly
        schedule without valid weeks."""
        if self.frequency == ScheduleFrequency.MONTHLY:
            weeks = self.weeks_of_month
            if (
                not isinstance(weeks, list)
                or not weeks
                or any(
                    not isinstance(w, int) or isinstance(w, bool) or w not in (1, 2, 3, 4, -1) for w in weeks
                )
            ):
                raise ValidationError(
                    {
                        "weeks_of_month": gettext(
                            "Give the weeks of the month as a list of 1, 2, 3, 4 or -1, e.g. [1, 3]."
                        )
                    }
                )
        if self.point_id is None or self.weekday is None or self.starts is None or self.ends is None:
            return
        rules = OpeningHoursRule.objects.filter(
            point_id=self.point_id, weekday=self.weekday, opens__lte=self.starts, closes__gte=self.ends
        )
        if not any(_periods_overlap(self.valid_from, self.valid_to, r.valid_from, r.valid_to) for r in rules):
            raise ValidationError(
                gettext(
                    "The service point is not open on %(weekday)s from %(starts)s to %(ends)s. "
                    "Add opening hours for that time first, or choose a time when the point is open."
                )
                % {
                    "weekday": Weekday(self.weekday).label,
                    "starts": time_format(self.starts, "H.i"),
                    "ends": time_format(self.ends, "H.i"),
                },
                code="point_closed",
            )
