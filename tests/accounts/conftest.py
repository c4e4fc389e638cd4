"""Helpers of the accounts stories: signing in through the real form, and a phone with an
authenticator app (the same RFC 6238 codes the app would show)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nrm.accounts import totp
from nrm.accounts.models import User
from nrm.accounts.services import two_factor_enrol, two_factor_enrolment_begin
from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow on purpose; these stories sign in many times. test_passwords checks that
    # the project itself hashes with Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def two_factor_required(settings):
    settings.NRM_REQUIRE_2FA = True


def sign_in(client: Client, username: str, password: str = PASSWORD, next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data)


class Phone:
    """An authenticator app holding one secret."""

    def __init__(self, secret: str) -> None:
        self.secret = secret

    def code(self, when: dt.datetime | None = None) -> str:
        return totp.code_at(self.secret, when or timezone.now())


def enrolled_phone(user: User) -> Phone:
    """Enrol a device for ``user`` with the code of the previous time step, so that the code of
    the current step is still unused for the story that follows."""
    phone = Phone(two_factor_enrolment_begin(user=user))
    two_factor_enrol(user=user, code=phone.code(timezone.now() - dt.timedelta(seconds=30)))
    user.refresh_from_db()
    return phone
