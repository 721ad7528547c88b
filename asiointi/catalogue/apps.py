from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "asiointi.catalogue"
    label = "catalogue"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        # The finder's index follows the services and the agencies' names (network knows nothing of it).
        from . import signals

        signals.connect()
