from modeltranslation.translator import TranslationOptions, register

from .models import PointProfile, Service, ServiceOffering


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "keywords")


@register(ServiceOffering)
class ServiceOfferingTranslation(TranslationOptions):
    fields = ("notes",)


@register(PointProfile)
class PointProfileTranslation(TranslationOptions):
    fields = ("name", "description")
