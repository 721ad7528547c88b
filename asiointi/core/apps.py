from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "asiointi.core"
    label = "core"
    verbose_name = "Core"
