"""What the administration shows in English that no catalogue can translate: the names of
permissions (Django stores them in English when it creates them) in the group form, and the names
that django-axes gives its rows. Both are shown here in the user's language instead; the messages
that the packages' catalogues lack are in asiointi/web/admin_messages.py."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.models import Group, Permission
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from asiointi.core.forms import BoundedModelMultipleChoiceField

#: Models whose name their package does not mark for translation.
MODEL_NAMES = {
    "otp_static.staticdevice": gettext_lazy("recovery codes"),
    "otp_static.statictoken": gettext_lazy("recovery code"),
    "otp_totp.totpdevice": gettext_lazy("authenticator app"),
}


def permission_label(permission: Permission) -> str:
    """A permission as "<model>: <action>" in the active language, for the four permissions that
    Django makes for every model; any other permission by its own name."""
    content_type = permission.content_type
    key = f"{content_type.app_label}.{content_type.model}"
    model = content_type.model_class()
    name = str(
        MODEL_NAMES.get(key) or (model._meta.verbose_name if model is not None else content_type.model)
    )
    action = permission.codename.split("_", 1)[0]
    labels = {
        "add": _("%(model)s: add"),
        "change": _("%(model)s: change"),
        "delete": _("%(model)s: delete"),
        "view": _("%(model)s: view"),
    }
    if action not in labels:
        return permission.name
    return labels[action] % {"model": name}


class PermissionChoiceField(BoundedModelMultipleChoiceField):
    """The permissions in the user's language; keys that are no keys are refused, as in every
    many-to-many field of the administration."""

    def label_from_instance(self, obj: Any) -> str:
        return permission_label(obj)


class GroupAdmin(DjangoGroupAdmin):
    """Django's group admin with the permissions named in the user's language."""

    def formfield_for_manytomany(self, db_field: Any, request: Any = None, **kwargs: Any) -> Any:
        if db_field.name == "permissions":
            kwargs["form_class"] = PermissionChoiceField
        return super().formfield_for_manytomany(db_field, request, **kwargs)


def _when(moment: Any) -> str:
    return formats.date_format(moment, "SHORT_DATETIME_FORMAT") if moment else ""


def _access_log_name(self: AccessLog) -> str:
    return _("Sign-in of %(username)s at %(time)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
    }


def _access_attempt_name(self: AccessAttempt) -> str:
    return _("Failed sign-ins of %(username)s, last at %(time)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
    }


def _access_failure_name(self: AccessFailureLog) -> str:
    return _("Failed sign-in of %(username)s at %(time)s") % {
        "username": self.username,
        "time": _when(self.attempt_time),
    }


def install() -> None:
    """Register the group admin and name django-axes' rows in the user's language."""
    if admin.site.is_registered(Group):
        admin.site.unregister(Group)
    admin.site.register(Group, GroupAdmin)
    AccessLog.__str__ = _access_log_name  # type: ignore[method-assign,assignment]
    AccessAttempt.__str__ = _access_attempt_name  # type: ignore[method-assign,assignment]
    AccessFailureLog.__str__ = _access_failure_name  # type: ignore[method-assign,assignment]
