from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "asiointi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The system checks register themselves; the receivers connect the audit log to the auth signals.
        from django.contrib import admin

        from . import checks, receivers  # noqa: F401
        from .admin_scope import may_enter_admin

        admin.site.has_permission = may_enter_admin  # type: ignore[method-assign]
