from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "asiointi.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # The system checks register themselves; the receivers connect the audit log to the auth signals.
        from django.contrib import admin

        from asiointi.core.admin_scope import may_enter_admin
        from asiointi.core.scope import scope_source_register

        from . import checks, receivers  # noqa: F401
        from .selectors import user_scope

        # core reads the scope of a user (for the admin's grants) from here: core imports no app.
        scope_source_register(user_scope)
        admin.site.has_permission = may_enter_admin  # type: ignore[method-assign]
