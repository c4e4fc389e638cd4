"""Signing in: password (with lockout), then the second factor, and changing a password."""

from __future__ import annotations

from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from nrm.accounts import totp
from nrm.accounts.forms import SIGN_IN_REFUSED, CodeForm, PasswordChangeForm, SignInForm
from nrm.accounts.middleware import ENROL, SESSION_TWO_FACTOR, VERIFY
from nrm.accounts.models import User
from nrm.accounts.selectors import two_factor_required
from nrm.accounts.services import (
    CodeCheck,
    password_change,
    password_check,
    two_factor_enrol,
    two_factor_enrolment_begin,
    two_factor_verify,
)
from nrm.accounts.views import form_errors_from

# Set while a device is being enrolled, so that reloading the page keeps the same QR code.
SESSION_ENROLMENT = "nrm_two_factor_enrolment"
_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _step_url(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _signed_in_user(request: HttpRequest) -> User:
    # login_required has already turned anonymous visitors away.
    return cast(User, request.user)


def _second_factor_passed(request: HttpRequest) -> None:
    # A new session key once the session gains the second factor, as on any change of privilege.
    request.session.cycle_key()
    request.session[SESSION_TWO_FACTOR] = True
    request.session.pop(SESSION_ENROLMENT, None)


@sensitive_post_parameters("password")
@never_cache
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        user = password_check(
            username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(None, SIGN_IN_REFUSED)
        else:
            login(request, user, backend=_BACKEND)  # rotates the session key
            # Signing in again never inherits the second factor of an earlier sign-in.
            request.session.pop(SESSION_TWO_FACTOR, None)
            next_url = _next_url(request)
            if two_factor_required(user):
                return HttpResponseRedirect(
                    _step_url(VERIFY if user.has_two_factor else ENROL, next_url)
                )
            return HttpResponseRedirect(next_url)
    next_field = request.POST.get("next") or request.GET.get("next") or ""
    status = 400 if form.is_bound else 200
    return render(request, "accounts/login.html", {"form": form, "next": next_field},
                  status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_enrol_view(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    next_url = _next_url(request)
    if user.has_two_factor:
        if request.session.get(SESSION_TWO_FACTOR):
            messages.info(request, _("Two-factor authentication is already set up."))
            return HttpResponseRedirect(reverse("accounts:security"))
        return HttpResponseRedirect(_step_url(VERIFY, next_url))
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            two_factor_enrol(user=user, code=form.cleaned_data["code"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            _second_factor_passed(request)
            messages.success(request, _("Two-factor authentication is set up."))
            return HttpResponseRedirect(next_url)
    keep_secret = request.method == "POST" or request.session.get(SESSION_ENROLMENT)
    secret = user.totp_secret if keep_secret else ""
    if not secret:
        secret = two_factor_enrolment_begin(user=user)
        request.session[SESSION_ENROLMENT] = True
    uri = totp.provisioning_uri(secret=secret, account=user.get_username())
    return render(request, "accounts/two_factor_enrol.html", {
        "form": form, "next": next_url, "qr_svg": totp.qr_svg(uri),
        "secret": totp.grouped(secret), "uri": uri,
    }, status=400 if form.is_bound else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_verify_view(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    next_url = _next_url(request)
    if not user.has_two_factor:
        return HttpResponseRedirect(_step_url(ENROL, next_url))
    if request.session.get(SESSION_TWO_FACTOR):
        return HttpResponseRedirect(next_url)
    form = CodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        outcome = two_factor_verify(user=user, code=form.cleaned_data["code"])
        if outcome is CodeCheck.ACCEPTED:
            _second_factor_passed(request)
            return HttpResponseRedirect(next_url)
        if outcome is CodeCheck.LOCKED:
            logout(request)
            messages.error(request, SIGN_IN_REFUSED)
            return HttpResponseRedirect(reverse("accounts:login"))
        form.add_error("code", _(
            "That code is not right, or it was already used. Enter the code your app shows now."
        ))
    return render(request, "accounts/two_factor_verify.html",
                  {"form": form, "next": next_url}, status=400 if form.is_bound else 200)


@sensitive_post_parameters()
@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def password_change_view(request: HttpRequest) -> HttpResponse:
    user = _signed_in_user(request)
    form = PasswordChangeForm(request.POST if request.method == "POST" else None, user=user)
    if form.is_valid():
        try:
            changed = password_change(user=user, password=form.cleaned_data["new_password"])
        except ValidationError as error:
            form.add_error("new_password", error)
        else:
            # Keeps this session signed in; every other session of the user ends.
            update_session_auth_hash(request, changed)
            messages.success(request, _("Your password is changed."))
            if request.POST.get("next") or request.GET.get("next"):
                return HttpResponseRedirect(_next_url(request))
            return HttpResponseRedirect(reverse("accounts:security"))
    return render(request, "accounts/password_change.html", {
        "form": form, "next": request.POST.get("next") or request.GET.get("next") or "",
        "must_change": user.must_change_password,
    }, status=400 if form.is_bound else 200)
