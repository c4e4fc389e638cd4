"""Passwords: hashed with Argon2; a temporary password must be replaced at the first sign-in."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client, override_settings
from django.urls import reverse

from nrm import settings as project_settings
from nrm.accounts.models import User
from tests.accounts.conftest import sign_in
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a long new passphrase of her own"


def test_passwords_are_hashed_with_argon2():
    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert make_password("anything at all").startswith("argon2")


def test_user_with_a_temporary_password_must_change_it_first(client, case_worker):
    User.objects.filter(pk=case_worker.user.pk).update(must_change_password=True)
    sign_in(client, "aizada")

    held = client.get(reverse("directory:organisation_list"))
    assert held["Location"].startswith(reverse("accounts:password_change"))

    changed = client.post(reverse("accounts:password_change"), {
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD, "next": "/directory/",
    })

    assert changed.status_code == 302
    assert changed["Location"] == "/directory/"
    user = User.objects.get(pk=case_worker.user.pk)
    assert not user.must_change_password
    assert user.check_password(NEW_PASSWORD)
    assert client.get(reverse("directory:organisation_list")).status_code == 200


def test_password_change_needs_the_current_password_and_a_strong_new_one(client, case_worker):
    sign_in(client, "aizada")
    wrong_current = client.post(reverse("accounts:password_change"), {
        "current_password": "not it", "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    })
    weak = client.post(reverse("accounts:password_change"), {
        "current_password": PASSWORD, "new_password": "12345678",
        "new_password_again": "12345678",
    })
    assert wrong_current.status_code == 400
    assert weak.status_code == 400
    assert User.objects.get(pk=case_worker.user.pk).check_password(PASSWORD)


def test_changing_the_password_ends_other_sessions(client, case_worker):
    other_device = Client()
    sign_in(other_device, "aizada")
    sign_in(client, "aizada")
    client.post(reverse("accounts:password_change"), {
        "current_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD,
    })

    assert client.get(reverse("accounts:security")).status_code == 200
    assert other_device.get(reverse("accounts:security")).status_code == 302
