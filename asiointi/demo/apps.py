from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "asiointi.demo"
    label = "demo"
    verbose_name = _("Demo data")

    def ready(self) -> None:
        from asiointi.planning.scenarios import NetworkSource, network_source_register

        from .network import demo_office_municipalities, demo_sites

        network_source_register(
            name="demo",
            source=NetworkSource(sites=demo_sites, office_municipalities=demo_office_municipalities),
        )
