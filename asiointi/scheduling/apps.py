from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "asiointi.scheduling"
    label = "scheduling"
    verbose_name = _("Scheduling")

    def ready(self) -> None:
        from asiointi.accounts.retention import RetentionRule, retention_rule_register

        from .services import appointment_anonymise_expired

        retention_rule_register(
            RetentionRule(
                kind="appointment_contact",
                description=_("Appointments: the customer's name, email address and phone number"),
                anonymise=lambda before: appointment_anonymise_expired(ended_before=before),
            )
        )
