from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agency,
    AgencyOffice,
    Municipality,
    OpeningHoursException,
    Region,
    ServicePoint,
    VisitingSchedule,
)


@register(Region)
class RegionTranslation(TranslationOptions):
    fields = ("name",)


@register(Municipality)
class MunicipalityTranslation(TranslationOptions):
    fields = ("name",)


@register(Agency)
class AgencyTranslation(TranslationOptions):
    fields = ("name", "short_name", "description")


@register(AgencyOffice)
class AgencyOfficeTranslation(TranslationOptions):
    fields = ("name", "hours")


@register(ServicePoint)
class ServicePointTranslation(TranslationOptions):
    fields = ("name", "description", "post_office")


@register(OpeningHoursException)
class OpeningHoursExceptionTranslation(TranslationOptions):
    fields = ("reason",)


@register(VisitingSchedule)
class VisitingScheduleTranslation(TranslationOptions):
    fields = ("title",)
