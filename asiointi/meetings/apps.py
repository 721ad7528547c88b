from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "asiointi.meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from asiointi.accounts.retention import RetentionRule, retention_rule_register

        from .documents import documents_remove_expired

        retention_rule_register(
            RetentionRule(
                kind="meeting_documents",
                description=_("Documents sent in remote meetings: the files and their rows"),
                anonymise=lambda before: documents_remove_expired(before=before),
            )
        )
