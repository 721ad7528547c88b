from modeltranslation.translator import TranslationOptions, register

from .models import Service, ServiceOffering


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "keywords")


@register(ServiceOffering)
class ServiceOfferingTranslation(TranslationOptions):
    fields = ("notes",)
