"""Admin forms of users who sign in with their email address."""

from __future__ import annotations

from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

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
