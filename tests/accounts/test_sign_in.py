"""Signing in: the right password lets you in on a new session; wrong ones lock the account for
a while; the page never says whether a username exists or an account is locked."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.forms import SIGN_IN_REFUSED
from nrm.accounts.models import User
from nrm.core.models import AuditAction, AuditEntry
from tests.accounts.conftest import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_attempts(settings):
    settings.NRM_LOCKOUT_ATTEMPTS = 3
    settings.NRM_LOCKOUT_MINUTES = 15


def test_case_worker_signs_in_on_a_new_session(client, case_worker):
    session = client.session
    session["before"] = "sign-in"
    session.save()
    key_before = session.session_key

    response = sign_in(client, "aizada", next_url="/accounts/security/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/security/"
    assert client.session.session_key != key_before
    assert client.session["_auth_user_id"] == str(case_worker.user.pk)
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN)
    assert entry.actor == case_worker.user
    assert entry.organisation_id == case_worker.organisation_id


def test_next_pointing_to_another_site_is_ignored(client, case_worker):
    response = sign_in(client, "aizada", next_url="https://evil.example/steal")
    assert response["Location"] == reverse("home")


def test_refusal_reads_the_same_for_unknown_user_wrong_password_and_locked_account(
    client, case_worker, three_attempts
):
    unknown = sign_in(client, "nobody-by-this-name", "whatever it is")
    wrong = sign_in(client, "aizada", "not her password")
    sign_in(client, "aizada", "still not it")
    sign_in(client, "aizada", "third time wrong")  # now locked
    locked = sign_in(client, "aizada")  # the right password, on a locked account

    pages = [unknown, wrong, locked]
    assert all(page.status_code == 400 for page in pages)
    assert all(str(SIGN_IN_REFUSED) in page.content.decode() for page in pages)
    # Apart from the username typed back into the form and the CSRF token, nothing differs.
    bodies = {
        re.sub(r"[A-Za-z0-9]{64}", "", page.content.decode()).replace("nobody-by-this-name",
                                                                      "aizada")
        for page in pages
    }
    assert len(bodies) == 1
    assert "_auth_user_id" not in client.session


def test_account_locks_after_the_set_number_of_failures(client, case_worker, three_attempts):
    for _ in range(3):
        sign_in(client, "aizada", "wrong password")

    user = User.objects.get(pk=case_worker.user.pk)
    assert user.is_locked()
    assert user.locked_until - timezone.now() > dt.timedelta(minutes=14)
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, actor=user).count() == 3
    assert AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT, actor=user).count() == 1

    response = sign_in(client, "aizada")
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_lock_lifts_once_its_time_has_passed(client, case_worker, three_attempts):
    for _ in range(3):
        sign_in(client, "aizada", "wrong password")
    # Fifteen minutes go by.
    User.objects.filter(pk=case_worker.user.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )

    response = sign_in(client, "aizada")

    assert response.status_code == 302
    user = User.objects.get(pk=case_worker.user.pk)
    assert user.failed_logins == 0
    assert user.locked_until is None


def test_a_failure_after_the_lock_ran_out_starts_a_fresh_count(
    client, case_worker, three_attempts
):
    for _ in range(3):
        sign_in(client, "aizada", "wrong password")
    User.objects.filter(pk=case_worker.user.pk).update(
        locked_until=timezone.now() - dt.timedelta(seconds=1)
    )

    sign_in(client, "aizada", "one more typo")

    user = User.objects.get(pk=case_worker.user.pk)
    assert user.failed_logins == 1
    assert not user.is_locked()


def test_successful_sign_in_resets_the_count(client, case_worker, three_attempts):
    sign_in(client, "aizada", "wrong password")
    sign_in(client, "aizada", "wrong again")
    sign_in(client, "aizada")
    client.logout()
    sign_in(client, "aizada", "a typo next week")

    user = User.objects.get(pk=case_worker.user.pk)
    assert user.failed_logins == 1
    assert not user.is_locked()


def test_unknown_username_is_audited_without_an_actor(client, db):
    sign_in(client, "ghost", "password")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor is None
    assert "ghost" not in str(entry.__dict__)


def test_deactivated_user_cannot_sign_in(client, case_worker):
    User.objects.filter(pk=case_worker.user.pk).update(is_active=False)
    response = sign_in(client, "aizada")
    assert response.status_code == 400
    assert str(SIGN_IN_REFUSED) in response.content.decode()


def test_sign_out_ends_the_session(client, case_worker):
    sign_in(client, "aizada")
    client.post(reverse("accounts:logout"))
    response = client.get(reverse("accounts:security"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
