from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    name = "asiointi.desk"
    label = "desk"
    verbose_name = _("Service desk")

    def ready(self) -> None:
        from asiointi.accounts.retention import RetentionRule, retention_rule_register

        from .services import callback_anonymise_expired

        retention_rule_register(
            RetentionRule(
                kind="callback_contact",
                description=_("Callback requests: the customer's name, phone number and preferred times"),
                anonymise=lambda before: callback_anonymise_expired(before=before),
            )
        )
