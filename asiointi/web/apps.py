from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "asiointi.web"
    label = "web"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from asiointi.accounts.retention import RetentionRule, retention_rule_register

        from .services import accessibility_feedback_anonymise_expired

        retention_rule_register(
            RetentionRule(
                kind="accessibility_feedback",
                description=_("Accessibility feedback: the sender's name, email address and message"),
                anonymise=lambda before: accessibility_feedback_anonymise_expired(received_before=before),
            )
        )
