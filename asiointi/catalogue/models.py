"""The service catalogue: what each agency offers, and where and through which channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, PublicPagesData, ServicePoint


class Channel(models.TextChoices):
    ADVISOR_GUIDANCE = "advisor_guidance", _("guidance by the service advisor")
    REMOTE_MEETING = "remote_meeting", _("remote meeting with an expert")
    VISITING_OFFICIAL = "visiting_official", _("visiting official")
    CALLBACK = "callback", _("callback request")


class Service(PublicPagesData):
    """A service of an agency, PTV-like: names, descriptions and keywords in fi/sv/en."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        name_fi: str
        name_sv: str
        name_en: str
        description_fi: str
        description_sv: str
        description_en: str
        keywords_fi: str
        keywords_sv: str
        keywords_en: str

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("agency")
    )
    code = models.SlugField(_("code"), max_length=80)
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Separated by commas."),
        validators=[single_line_text],
    )
    typical_duration_minutes = models.PositiveSmallIntegerField(
        _("typical duration (minutes)"), default=20, validators=[MinValueValidator(1), MaxValueValidator(480)]
    )
    requires_identification = models.BooleanField(_("customer must prove identity"), default=False)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["agency", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"],
                name="service_code_unique_per_agency",
                violation_error_message=_("This agency already has a service with this code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ServiceOffering(PublicPagesData):
    """A service offered at a point through one channel."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        notes_fi: str
        notes_sv: str
        notes_en: str

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("service point")
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="offerings", verbose_name=_("service")
    )
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    notes = models.CharField(_("notes"), max_length=300, blank=True, validators=[single_line_text])

    class Meta:
        ordering = ["point", "service", "channel"]
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        constraints = [
            models.UniqueConstraint(
                fields=["point", "service", "channel"],
                name="offering_unique_per_point_service_channel",
                violation_error_message=_(
                    "This service is already offered at this point through this channel."
                ),
            ),
        ]
        indexes = [models.Index(fields=["service", "channel"], name="offering_service_channel_idx")]

    def __str__(self) -> str:
        return f"{self.service} – {self.get_channel_display()}"


class ServiceSearchEntry(models.Model):
    """The service finder's index row of one service (:mod:`asiointi.catalogue.finder`): its words in
    each language and, in ``terms``, every word normalised (lower case, Finnish base forms and compound
    parts from Voikko, hyphenated words split and joined). Written only by the catalogue's services
    (:func:`asiointi.catalogue.services.service_search_index_update`); on SQLite an FTS5 table and on
    PostgreSQL a ``tsvector`` column with trigram indexes are kept beside it (docs/finder.md)."""

    service = models.OneToOneField(
        Service,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
        verbose_name=_("service"),
    )
    text_fi = models.TextField(_("text in Finnish"), blank=True)
    text_sv = models.TextField(_("text in Swedish"), blank=True)
    text_en = models.TextField(_("text in English"), blank=True)
    names = models.TextField(_("normalised words of the names"), blank=True)
    keywords = models.TextField(_("normalised keywords"), blank=True)
    terms = models.TextField(_("all normalised words"), blank=True)

    class Meta:
        verbose_name = _("search index entry of a service")
        verbose_name_plural = _("search index entries of services")

    def __str__(self) -> str:
        return str(self.service)
