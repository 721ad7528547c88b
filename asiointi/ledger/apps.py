from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LedgerConfig(AppConfig):
    name = "asiointi.ledger"
    label = "ledger"
    verbose_name = _("Transaction ledger")

    def ready(self) -> None:
        from asiointi.accounts.retention import RetentionRule, retention_rule_register

        from .services import feedback_text_remove_expired

        retention_rule_register(
            RetentionRule(
                kind="feedback_text",
                description=_("Customer feedback: the free text (the rating stays for statistics)"),
                anonymise=lambda before: feedback_text_remove_expired(received_before=before),
            )
        )
