"""My account: see whether two-factor is on, hold API tokens (shown once, stored as a hash),
revoke them, and choose the organisation to act for."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from nrm.accounts.models import ApiToken, Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.tokens import viewer_for_token
from nrm.core.models import AuditAction, AuditEntry
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _create_token(client, name: str = "monthly export") -> tuple[ApiToken, str]:
    response = client.post(reverse("accounts:api_token_create"), {"name": name, "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(name=name)
    raw = response.context["raw_token"]
    return token, raw


def test_security_page_shows_two_factor_status(client, case_worker):
    page = login(client, case_worker).get(reverse("accounts:security"))
    assert page.status_code == 200
    assert reverse("accounts:two_factor_enrol") in page.content.decode()


def test_new_token_is_shown_once_and_stored_only_as_a_hash(client, case_worker):
    login(client, case_worker)
    token, raw = _create_token(client)

    assert raw.startswith("nrm_")
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        stored = cursor.fetchall()
    assert raw not in str(stored)
    assert token.hint == raw[:8]
    assert viewer_for_token(raw).membership == case_worker.membership

    later = client.get(reverse("accounts:security")).content.decode()
    assert raw not in later
    assert token.hint in later
    assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN_CREATED).exists()


def test_token_needs_a_name(client, case_worker):
    response = login(client, case_worker).post(reverse("accounts:api_token_create"),
                                               {"name": " ", "days": "30"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_revoked_token_no_longer_opens_the_api(client, case_worker):
    login(client, case_worker)
    token, raw = _create_token(client)

    response = client.post(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert viewer_for_token(raw) is None
    assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN_REVOKED).exists()


def test_outsider_cannot_revoke_someone_elses_token(client, case_worker, outsider):
    login(client, case_worker)
    token, raw = _create_token(client)
    client.logout()

    response = login(client, outsider).post(reverse("accounts:api_token_revoke", args=[token.pk]))

    assert response.status_code == 404
    assert viewer_for_token(raw) is not None


def test_user_without_membership_cannot_create_tokens(client, db):
    loner = User.objects.create_user(username="loner", password="x" * 12)
    client.force_login(loner)
    assert client.get(reverse("accounts:security")).status_code == 200
    assert client.post(reverse("accounts:api_token_create"),
                       {"name": "x", "days": "3"}).status_code == 403


def test_member_of_two_organisations_chooses_whom_to_act_for(client, case_worker, tendesh):
    second = Membership.objects.create(user=case_worker.user, organisation=tendesh,
                                       role=Role.SUPERVISOR)
    login(client, case_worker)
    page = client.get(reverse("accounts:membership_choose"))
    assert page.status_code == 200
    assert "Tendesh Osh" in page.content.decode()
    assert reverse("accounts:membership_choose") in client.get(
        reverse("accounts:security")).content.decode()

    client.post(reverse("accounts:membership_choose"), {"membership": second.pk})

    viewer = client.get(reverse("accounts:security")).wsgi_request.viewer
    assert viewer.membership == second
    client.post(reverse("accounts:membership_choose"), {"membership": case_worker.membership.pk})
    viewer = client.get(reverse("accounts:security")).wsgi_request.viewer
    assert viewer.membership == case_worker.membership


def test_nobody_can_act_for_a_membership_not_theirs(client, case_worker, outsider):
    login(client, case_worker)
    response = client.post(reverse("accounts:membership_choose"),
                           {"membership": outsider.membership.pk})
    assert response.status_code == 404
    viewer = client.get(reverse("accounts:security")).wsgi_request.viewer
    assert viewer.membership == case_worker.membership


def test_ended_membership_cannot_be_chosen(client, case_worker, tendesh):
    ended = Membership.objects.create(user=case_worker.user, organisation=tendesh,
                                      role=Role.SUPERVISOR, is_active=False)
    login(client, case_worker)
    assert client.post(reverse("accounts:membership_choose"),
                       {"membership": ended.pk}).status_code == 404
