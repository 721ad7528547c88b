"""Views of staff sign-in (password, then the second factor), password reset and the sign-in of
booth screens. They validate, call a service or selector, and render."""

from __future__ import annotations

import math
from base64 import b32encode
from typing import Any, cast
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors, services
from .forms import (
    BoothPairingForm,
    CodeForm,
    SetupCodeForm,
    StaffAuthenticationForm,
    StaffPasswordResetForm,
    StaffSetPasswordForm,
)
from .models import User


def locked_out(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """Anyone whose sign-in django-axes refused: how long the lockout lasts, in their language.
    Shows nothing about the account (not even whether it exists)."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def _next_url(request: HttpRequest) -> str:
    """Where to go after this step: the ``next`` parameter if it is a page of this site, else the
    front page."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(route: str, next_url: str) -> str:
    return f"{reverse(route)}?{urlencode({'next': next_url})}"


def _seconds_until(moment: Any) -> int:
    return max(1, math.ceil((moment - timezone.now()).total_seconds()))


def _refusal_message(refused: services.SecondFactorRefused) -> str:
    if refused.retry_at is not None:
        seconds = _seconds_until(refused.retry_at)
        return ngettext(
            "Too many wrong codes were entered. Wait %(seconds)s second and try again.",
            "Too many wrong codes were entered. Wait %(seconds)s seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    return _("The code is wrong or has expired. Enter the code that your authenticator app shows now.")


# -- sign-in -----------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    """Email address and password; then, unless the account is an exempt demo account, the second
    factor (or setting it up), and then the page the user was going to.

    After failed sign-ins, a try that comes before the growing wait is over is refused (429)
    without checking the password, the address kept in the form; django-axes' lockout follows at
    the failure limit."""

    template_name = "accounts/login.html"
    authentication_form = StaffAuthenticationForm
    attempt: services.SignInAttempt

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            self.attempt = services.sign_in_attempt_begin(
                request=request, email=str(request.POST.get("username", ""))
            )
        except services.SignInTooSoon as too_soon:
            form = cast(StaffAuthenticationForm, self.get_form())
            form.refuse(
                ngettext(
                    "Too many sign-in attempts in a short time. Wait %(seconds)s second and try again.",
                    "Too many sign-in attempts in a short time. Wait %(seconds)s seconds and try again.",
                    too_soon.seconds,
                )
                % {"seconds": too_soon.seconds}
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(too_soon.seconds)
            return response
        try:
            return super().post(request, *args, **kwargs)
        finally:
            services.sign_in_attempt_end(attempt=self.attempt)

    def form_invalid(self, form: Any) -> HttpResponse:
        # A wrong password or an unknown account (not a lockout, whose page django-axes shows).
        if form.has_error(NON_FIELD_ERRORS, "invalid_login") and not getattr(
            self.request, "axes_locked_out", False
        ):
            services.sign_in_attempt_failed(attempt=self.attempt)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        services.sign_in_attempt_succeeded(attempt=self.attempt)
        # A new sign-in with the password always asks for the second factor again, and a booth's
        # device session in this browser ends.
        self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
        services.booth_session_end(request=self.request)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if selectors.second_factor_exempt(user=user):
            return url
        route = (
            "accounts:second_factor"
            if selectors.second_factor_device(user=user)
            else "accounts:second_factor_setup"
        )
        return _with_next(route, url)


def admin_sign_in(request: HttpRequest) -> HttpResponseRedirect:
    """The administration signs in through the same page, second factor included."""
    return redirect(_with_next("accounts:login", request.GET.get("next") or reverse("admin:index")))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    next_url = _next_url(request)
    if selectors.second_factor_device(user=request.user) is None:
        return redirect(_with_next("accounts:second_factor_setup", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(request=request, code=form.cleaned_data["code"])
        except services.SecondFactorRefused as refused:
            form.add_error("code", _refusal_message(refused))
        else:
            if isinstance(device, StaticDevice):
                user: User = request.user  # type: ignore[assignment]
                left = selectors.recovery_codes_left(user=user)
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code. You have %(count)s recovery code left; "
                        "create new ones on the recovery codes page.",
                        "You signed in with a recovery code. You have %(count)s recovery codes left; "
                        "create new ones on the recovery codes page.",
                        left,
                    )
                    % {"count": left},
                )
            return redirect(next_url)
    return render(request, "accounts/second_factor.html", {"form": form, "next": next_url})


def _qr_code(device: TOTPDevice) -> str:
    """The account for an authenticator app as a QR code, an SVG image in a data: URI."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4))


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def second_factor_setup(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: scan the QR code (or type the key), then confirm with the
    first code. A user who already has an app must pass the second factor before replacing it."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next_url(request)
    current = selectors.second_factor_device(user=user)
    if current is not None and selectors.second_factor_pending(user=user):
        return redirect(_with_next("accounts:second_factor", next_url))
    device = services.second_factor_setup_start(user=user)
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.second_factor_setup_confirm(request=request, code=form.cleaned_data["code"])
        except services.SecondFactorRefused as refused:
            form.add_error("code", _refusal_message(refused))
        else:
            return redirect(_with_next("accounts:recovery_codes", next_url))
    context = {
        "form": form,
        "next": next_url,
        "replacing": current is not None,
        "qr_code": _qr_code(device),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "account": user.email,
    }
    return render(request, "accounts/second_factor_setup.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes: shown once right after they are made; later, how many are left and a
    button to make new ones."""
    user: User = request.user  # type: ignore[assignment]
    next_url = _next_url(request)
    has_app = selectors.second_factor_device(user=user) is not None
    if request.method == "POST":
        if not has_app:
            return redirect(_with_next("accounts:second_factor_setup", next_url))
        services.recovery_codes_create(request=request)
        return redirect(_with_next("accounts:recovery_codes", next_url))
    codes = services.recovery_codes_take(request=request)
    context = {
        "codes": [f"{code[:4]}-{code[4:]}" for code in codes],
        "left": selectors.recovery_codes_left(user=user),
        "has_app": has_app,
        "next": next_url,
    }
    return render(request, "accounts/recovery_codes.html", context)


# -- password reset ----------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a link to set a new password. The answer is the same whether the address has an
    account or not."""

    template_name = "accounts/password_reset.html"
    form_class = StaffPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            services.password_reset_request(request=self.request, email=form.cleaned_data["email"])
        except services.PasswordResetLimited:
            # The same answer whether or not the address has an account; the address stays typed.
            form.add_error(
                None,
                _(
                    "Many password reset links have been asked for from your address or for this email "
                    "address within the last hour, so no link was sent now. Try again in an hour."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """The link from the mail: a new password, twice. The second factor stays as it was."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = StaffSetPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        services.password_reset_complete(
            request=self.request, user=form.user, password=form.cleaned_data["new_password1"]
        )
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


# -- booth screens -----------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def booth_pair(request: HttpRequest) -> HttpResponse:
    """The booth's screen enters the pairing code that staff created for the booth."""
    if getattr(request, "booth_device", None) is not None:
        return redirect("accounts:booth_screen")
    form = BoothPairingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.booth_pair(request=request, code=form.cleaned_data["code"])
        except services.BoothPairingRefused as refused:
            if refused.retry_at is not None:
                minutes = max(1, math.ceil(_seconds_until(refused.retry_at) / 60))
                message = ngettext(
                    "Too many wrong pairing codes were entered from this device. Try again in %(minutes)s minute.",
                    "Too many wrong pairing codes were entered from this device. Try again in %(minutes)s minutes.",
                    minutes,
                ) % {"minutes": minutes}
            else:
                message = _(
                    "The pairing code is wrong, already used or no longer valid. Ask the staff of the "
                    "service point for a new code."
                )
            form.add_error("code", message)
        else:
            return redirect("accounts:booth_screen")
    return render(request, "accounts/booth_pair.html", {"form": form})


@never_cache
def booth_screen(request: HttpRequest) -> HttpResponse:
    """What the booth's screen shows between meetings."""
    device = getattr(request, "booth_device", None)
    if device is None:
        return redirect("accounts:booth_pair")
    return render(request, "accounts/booth_screen.html", {"booth": device.booth, "point": device.booth.point})
