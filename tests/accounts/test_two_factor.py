"""Two-factor: everyone whose role sees personal data proves a phone after the password; the
analyst, who never sees a person, is not held back; a code works once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.models import User
from nrm.accounts.services import CodeCheck, two_factor_enrol, two_factor_verify
from nrm.core.models import AuditAction, AuditEntry
from tests.accounts.conftest import Phone, enrolled_phone, sign_in

pytestmark = pytest.mark.django_db

ENROL = reverse("accounts:two_factor_enrol")
VERIFY = reverse("accounts:two_factor_verify")


def _secret_on_enrol_page(client) -> str:
    page = client.get(ENROL)
    assert page.status_code == 200
    return User.objects.get(username=page.wsgi_request.user.get_username()).totp_secret


def test_case_worker_must_enrol_before_seeing_anything(client, case_worker, two_factor_required):
    response = sign_in(client, "aizada", next_url="/accounts/security/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENROL)

    for page in ("/accounts/security/", reverse("directory:organisation_list"), "/admin/"):
        held = client.get(page)
        assert held.status_code == 302, page
        assert held["Location"].startswith(ENROL), page


def test_case_worker_with_a_phone_is_asked_for_the_code(client, case_worker,
                                                         two_factor_required):
    phone = enrolled_phone(case_worker.user)
    response = sign_in(client, "aizada", next_url="/directory/")
    assert response["Location"].startswith(VERIFY)
    assert client.get("/directory/")["Location"].startswith(VERIFY)

    passed = client.post(VERIFY, {"code": phone.code(), "next": "/directory/"})

    assert passed.status_code == 302
    assert passed["Location"] == "/directory/"
    assert client.get("/directory/").status_code == 200


def test_analyst_is_not_asked_for_a_second_factor(client, analyst, two_factor_required):
    response = sign_in(client, "asel", next_url="/accounts/security/")
    assert response["Location"] == "/accounts/security/"
    assert client.get("/accounts/security/").status_code == 200


def test_second_factor_can_be_relaxed_for_the_demo(client, case_worker, settings):
    settings.NRM_REQUIRE_2FA = False
    sign_in(client, "aizada")
    assert client.get("/accounts/security/").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_key_to_type(client, case_worker,
                                                        two_factor_required):
    sign_in(client, "aizada")
    page = client.get(ENROL)
    secret = User.objects.get(pk=case_worker.user.pk).totp_secret
    body = page.content.decode()
    assert "<svg" in body
    assert secret[:4] in body
    # Reloading the page keeps the same key, so a half-scanned code stays valid.
    client.get(ENROL)
    assert User.objects.get(pk=case_worker.user.pk).totp_secret == secret


def test_enrolment_requires_a_correct_code(client, case_worker, two_factor_required):
    sign_in(client, "aizada")
    phone = Phone(_secret_on_enrol_page(client))

    wrong = client.post(ENROL, {"code": "000000" if phone.code() != "000000" else "111111"})
    assert wrong.status_code == 400
    assert not User.objects.get(pk=case_worker.user.pk).has_two_factor
    assert client.get("/accounts/security/")["Location"].startswith(ENROL)

    right = client.post(ENROL, {"code": phone.code(), "next": "/accounts/security/"})
    assert right.status_code == 302
    assert User.objects.get(pk=case_worker.user.pk).has_two_factor
    assert client.get("/accounts/security/").status_code == 200
    assert AuditEntry.objects.filter(action=AuditAction.TWO_FACTOR_ENROLLED,
                                     actor=case_worker.user).exists()


def test_enrolment_cannot_replace_a_confirmed_device(case_worker):
    phone = enrolled_phone(case_worker.user)
    with pytest.raises(ValidationError):
        two_factor_enrol(user=case_worker.user, code=phone.code())


def test_the_secret_is_stored_encrypted(case_worker):
    phone = enrolled_phone(case_worker.user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT totp_secret FROM accounts_user WHERE id = %s",
                       [case_worker.user.pk])
        stored = cursor.fetchone()[0]
    assert phone.secret not in stored
    assert User.objects.get(pk=case_worker.user.pk).totp_secret == phone.secret


def test_a_replayed_code_is_refused(client, case_worker, two_factor_required):
    phone = enrolled_phone(case_worker.user)
    code = phone.code()
    sign_in(client, "aizada")
    assert client.post(VERIFY, {"code": code}).status_code == 302
    client.post(reverse("accounts:logout"))

    sign_in(client, "aizada")
    replay = client.post(VERIFY, {"code": code})

    assert replay.status_code == 400
    assert client.get("/accounts/security/")["Location"].startswith(VERIFY)


def test_codes_one_step_either_side_are_accepted_but_not_two(case_worker):
    phone = enrolled_phone(case_worker.user)
    now = timezone.now()
    too_old = phone.code(now - dt.timedelta(seconds=90))
    if too_old not in {phone.code(now + dt.timedelta(seconds=30 * k)) for k in (-1, 0, 1)}:
        assert two_factor_verify(user=case_worker.user, code=too_old) is CodeCheck.REFUSED
    late = phone.code(now + dt.timedelta(seconds=30))
    assert two_factor_verify(user=case_worker.user, code=late) is CodeCheck.ACCEPTED


def test_wrong_codes_count_toward_lockout(client, case_worker, two_factor_required, settings):
    settings.NRM_LOCKOUT_ATTEMPTS = 3
    phone = enrolled_phone(case_worker.user)
    wrong = "123456" if phone.code() != "123456" else "654321"
    sign_in(client, "aizada", "one typo")
    sign_in(client, "aizada")
    client.post(VERIFY, {"code": wrong})
    locked = client.post(VERIFY, {"code": wrong})

    assert locked.status_code == 302
    assert locked["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert User.objects.get(pk=case_worker.user.pk).is_locked()
    assert AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT,
                                     purpose="two-factor").exists()


def test_password_alone_does_not_reset_the_count_when_a_code_follows(
    client, case_worker, two_factor_required
):
    enrolled_phone(case_worker.user)
    sign_in(client, "aizada", "one typo")
    sign_in(client, "aizada")
    assert User.objects.get(pk=case_worker.user.pk).failed_logins == 1


def test_signing_in_again_asks_for_the_code_again(client, case_worker, two_factor_required):
    phone = enrolled_phone(case_worker.user)
    sign_in(client, "aizada")
    client.post(VERIFY, {"code": phone.code()})
    assert client.get("/accounts/security/").status_code == 200

    sign_in(client, "aizada")

    assert client.get("/accounts/security/")["Location"].startswith(VERIFY)


def test_api_and_language_switch_are_not_held_back(client, case_worker, two_factor_required):
    sign_in(client, "aizada")
    assert client.post("/i18n/setlang/", {"language": "ru"}).status_code == 302
    api = client.get("/api/v1/openapi.json")
    assert api.status_code != 302
