"""The service catalogue: what each agency offers, and where and through which channel."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from asiointi.core.validators import single_line_text
from asiointi.network.models import Agency, PointKind, PublicPagesData, ServicePoint


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


class PointProfile(PublicPagesData):
    """What a service point of one kind must offer (e.g. a full joint service point, a digital
    support point, a mobile point): the agencies and channels of its requirements and, for a point
    that visits, the fewest visiting days a month. ``level`` orders the profiles from the least to
    the fullest: a point of a fuller profile also serves where a lesser one is asked for (the
    planner's coverage by profile)."""

    if TYPE_CHECKING:  # columns added by django-modeltranslation
        name_fi: str
        name_sv: str
        name_en: str
        description_fi: str
        description_sv: str
        description_en: str

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200, validators=[single_line_text])
    description = models.TextField(_("description"), blank=True)
    level = models.PositiveSmallIntegerField(
        _("level"),
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
        help_text=_("The fuller the profile, the higher its level; the fullest is the full service point."),
    )
    point_kinds = models.JSONField(
        _("kinds of point"),
        default=list,
        blank=True,
        help_text=_("The kinds of service point that may have this profile; empty for every kind."),
    )
    min_visiting_days_per_month = models.PositiveSmallIntegerField(
        _("visiting days a month at least"), default=0, validators=[MaxValueValidator(31)]
    )

    class Meta:
        ordering = ["-level"]
        verbose_name = _("point profile")
        verbose_name_plural = _("point profiles")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Refuse kinds of point that do not exist."""
        kinds = self.point_kinds
        if not isinstance(kinds, list) or any(not isinstance(k, str) for k in kinds):
            raise ValidationError(
                {"point_kinds": gettext('Give the kinds of point as a list, for example ["mobile"].')},
                code="invalid_kinds",
            )
        for kind in kinds:
            if kind not in PointKind.values:
                raise ValidationError(
                    {
                        "point_kinds": gettext(
                            "“%(kind)s” is not a kind of service point. The kinds are: %(kinds)s."
                        )
                        % {"kind": kind, "kinds": ", ".join(PointKind.values)}
                    },
                    code="unknown_kind",
                )

    def allows_kind(self, kind: str) -> bool:
        return not self.point_kinds or kind in self.point_kinds


class ProfileRequirement(PublicPagesData):
    """One offering that a point of the profile must have: the agency's services through one of
    ``channels`` (alternatives: "by remote meeting or visiting official")."""

    profile = models.ForeignKey(
        PointProfile, on_delete=models.CASCADE, related_name="requirements", verbose_name=_("profile")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="profile_requirements", verbose_name=_("agency")
    )
    channels = models.JSONField(
        _("channels"),
        help_text=_("One or more channels; any one of them meets the requirement."),
    )

    class Meta:
        ordering = ["profile", "agency", "id"]
        verbose_name = _("profile requirement")
        verbose_name_plural = _("profile requirements")

    def __str__(self) -> str:
        return f"{self.profile} – {self.agency}"

    def clean(self) -> None:
        """Refuse a requirement without channels or with a channel that does not exist."""
        channels = self.channels
        if not isinstance(channels, list) or not channels or any(not isinstance(c, str) for c in channels):
            raise ValidationError(
                {
                    "channels": gettext(
                        'Give at least one channel as a list, for example ["remote_meeting", "visiting_official"].'
                    )
                },
                code="no_channels",
            )
        for channel in channels:
            if channel not in Channel.values:
                raise ValidationError(
                    {
                        "channels": gettext("“%(channel)s” is not a channel. The channels are: %(channels)s.")
                        % {"channel": channel, "channels": ", ".join(Channel.values)}
                    },
                    code="unknown_channel",
                )


class PointProfileAssignment(PublicPagesData):
    """The profile of a service point (at most one)."""

    point = models.OneToOneField(
        ServicePoint,
        on_delete=models.CASCADE,
        related_name="profile_assignment",
        verbose_name=_("service point"),
    )
    profile = models.ForeignKey(
        PointProfile, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("profile")
    )

    class Meta:
        ordering = ["point"]
        verbose_name = _("profile of a service point")
        verbose_name_plural = _("profiles of service points")

    def __str__(self) -> str:
        return f"{self.point} – {self.profile}"

    def clean(self) -> None:
        """Refuse a profile that is not for the point's kind (a mobile profile on a fixed point)."""
        if self.point_id is None or self.profile_id is None:
            return
        if not self.profile.allows_kind(self.point.kind):
            raise ValidationError(
                {
                    "profile": gettext(
                        "The profile “%(profile)s” is not for this kind of service point (%(kind)s)."
                    )
                    % {"profile": self.profile, "kind": PointKind(self.point.kind).label}
                },
                code="wrong_kind",
            )
