"""Forms of the accounts app: the admin's user forms, the second factor, password reset and
booth pairing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import (
    AdminUserCreationForm,
    AuthenticationForm,
    PasswordResetForm,
    SetPasswordForm,
    UserChangeForm,
)
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.validators import MaxLengthValidator
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from .models import User


class UserAdminCreationForm(AdminUserCreationForm):
    """A new user: email address, name, language and the password twice."""

    class Meta:
        model = User
        fields = ("email", "full_name", "language")

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


class UserAdminChangeForm(UserChangeForm):  # type: ignore[type-arg]
    """An existing user; the password is shown as its hash summary with a link to change it."""

    class Meta:
        model = User
        fields = ("email", "full_name", "language", "is_active", "is_staff", "is_superuser")

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).lower()


TEXT_INPUT = "hds-text-input__input"

#: The longest password a form accepts: far beyond any passphrase or password manager, short
#: enough that hashing and the password validators stay quick.
PASSWORD_MAX_LENGTH = 4096
#: The sign-in address is the user's email address (``User.email``), at most 254 characters.
EMAIL_MAX_LENGTH = 254


def _limit_length(field: forms.Field, max_length: int) -> None:
    """Make ``field`` refuse values longer than ``max_length`` on the server, as a field declared
    with ``max_length`` does (Django's sign-in form sets the attribute but not its validator)."""
    field.max_length = max_length  # type: ignore[attr-defined]
    field.widget.attrs["maxlength"] = str(max_length)
    if not any(isinstance(v, MaxLengthValidator) for v in field.validators):
        field.validators.append(MaxLengthValidator(max_length))


class StaffAuthenticationForm(AuthenticationForm):
    """Django's sign-in form without ``autofocus`` on the address: a screen reader then starts from
    the page's heading and instructions, not in the middle of the form.

    Both fields have a maximum length that the server checks, so an address of any length is
    refused by the form before it reaches the database."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.pop("autofocus", None)
        _limit_length(self.fields["username"], EMAIL_MAX_LENGTH)
        _limit_length(self.fields["password"], PASSWORD_MAX_LENGTH)

    def refuse(self, message: str) -> None:
        """Show ``message`` as the form's error without checking the password (a try that came
        too soon after failures); the address stays as typed."""
        self.cleaned_data = {}
        self._errors = ErrorDict({NON_FIELD_ERRORS: self.error_class([message], error_class="nonfield")})


class ErrorsDescribedMixin:
    """After validation, each field with errors is described by its error text (and its help
    text), so a screen reader reads the error when the field takes focus."""

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            if name not in self.fields:  # type: ignore[attr-defined]
                continue
            bound = self[name]  # type: ignore[index]
            ids = [f"{bound.auto_id}_error"]
            if bound.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            bound.field.widget.attrs["aria-describedby"] = " ".join(ids)


class CodeForm(ErrorsDescribedMixin, forms.Form):
    """A code from the authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Verification code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": TEXT_INPUT,
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        help_text=_(
            "The six-digit code that your authenticator app shows now, or one of your recovery codes."
        ),
        error_messages={"required": _("Enter the code.")},
    )


class SetupCodeForm(CodeForm):
    """The first code of the authenticator app being set up."""

    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": TEXT_INPUT,
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
        help_text=_("The six-digit code that the app shows after you have added the account."),
        error_messages={"required": _("Enter the code.")},
    )


class StaffPasswordResetForm(ErrorsDescribedMixin, PasswordResetForm):
    """The address to send a password reset link to. Sending is the service's job."""

    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"class": TEXT_INPUT, "autocomplete": "email"}),
        error_messages={
            "required": _("Enter your email address."),
            "invalid": _("Give the email address in the form name@example.fi."),
        },
    )


class StaffSetPasswordForm(ErrorsDescribedMixin, SetPasswordForm):  # type: ignore[type-arg]
    """The new password, twice, checked by the password validators."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("new_password1", "new_password2"):
            self.fields[name].widget.attrs["class"] = TEXT_INPUT
            _limit_length(self.fields[name], PASSWORD_MAX_LENGTH)


class BoothPairingForm(ErrorsDescribedMixin, forms.Form):
    """The pairing code that staff gave for this booth's screen."""

    code = forms.CharField(
        label=_("Pairing code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": TEXT_INPUT,
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
        help_text=_(
            "Eight letters and digits, for example ABCD-EFGH. Staff create it in the administration."
        ),
        error_messages={"required": _("Enter the pairing code.")},
    )
