"""The Django admin: the audit log can be read and never changed; secrets never shown; registry
models are not in it at all; the admin signs in through the application."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from nrm.accounts.models import ApiToken, Membership
from nrm.accounts.roles import Role
from nrm.accounts.services import api_token_create
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import Organisation
from tests.accounts.conftest import enrolled_phone, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def audit_entry(client, case_worker) -> AuditEntry:
    sign_in(client, "aizada")
    return AuditEntry.objects.get(action=AuditAction.LOGIN)


def test_audit_entries_are_readable_but_not_changeable(admin_client, audit_entry):
    changelist = reverse("admin:core_auditentry_changelist")
    change = reverse("admin:core_auditentry_change", args=[audit_entry.pk])
    delete = reverse("admin:core_auditentry_delete", args=[audit_entry.pk])

    assert admin_client.get(changelist).status_code == 200
    assert admin_client.get(changelist, {"action__exact": AuditAction.LOGIN}).status_code == 200
    assert admin_client.get(change).status_code == 200
    assert admin_client.post(change, {"purpose": "rewritten"}).status_code == 403
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:core_auditentry_add")).status_code == 403
    bulk = admin_client.post(changelist, {"action": "delete_selected",
                                          "_selected_action": [audit_entry.pk]})
    assert bulk.status_code in (200, 302)
    assert AuditEntry.objects.filter(pk=audit_entry.pk, purpose="password").exists()


def test_no_one_holds_change_rights_on_the_audit_log(rf, admin_user):
    model_admin = admin.site._registry[AuditEntry]
    request = rf.get("/")
    request.user = admin_user
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_registry_models_are_not_in_the_admin():
    for model in apps.get_app_config("registry").get_models():
        assert not admin.site.is_registered(model), model


def test_user_admin_never_shows_the_two_factor_secret(admin_client, case_worker):
    phone = enrolled_phone(case_worker.user)
    page = admin_client.get(reverse("admin:accounts_user_change", args=[case_worker.user.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert phone.secret not in body
    assert "totp_secret" not in body
    assert "Safe Home Bishkek" in body  # the memberships inline


def test_token_admin_never_shows_the_hash(admin_client, case_worker):
    token, raw = api_token_create(viewer=case_worker, name="export")
    page = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert token.token_hash not in page.content.decode()
    assert raw not in page.content.decode()
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_admin_revokes_a_leaked_token(admin_client, case_worker):
    token, _ = api_token_create(viewer=case_worker, name="export")
    admin_client.post(reverse("admin:accounts_apitoken_changelist"),
                      {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert AuditEntry.objects.filter(action=AuditAction.API_TOKEN_REVOKED).exists()


def test_admin_unlocks_an_account_and_resets_two_factor(admin_client, case_worker, settings):
    settings.NRM_LOCKOUT_ATTEMPTS = 1
    enrolled_phone(case_worker.user)
    sign_in(admin_client.__class__(), "aizada", "wrong")
    case_worker.user.refresh_from_db()
    assert case_worker.user.is_locked()
    changelist = reverse("admin:accounts_user_changelist")
    admin_client.post(changelist, {"action": "unlock", "_selected_action": [case_worker.user.pk]})
    admin_client.post(changelist, {"action": "reset_two_factor",
                                   "_selected_action": [case_worker.user.pk]})
    case_worker.user.refresh_from_db()
    assert not case_worker.user.is_locked()
    assert not case_worker.user.has_two_factor
    assert case_worker.user.totp_secret == ""
    for action in (AuditAction.ACCOUNT_UNLOCKED, AuditAction.TWO_FACTOR_RESET):
        entry = AuditEntry.objects.get(action=action)
        assert entry.object_id == str(case_worker.user.pk)
        assert entry.actor is not None
        assert entry.actor.is_superuser


def test_membership_change_in_admin_is_audited(admin_client, colleague):
    url = reverse("admin:accounts_membership_change", args=[colleague.membership.pk])
    response = admin_client.post(url, {
        "user": colleague.user.pk, "organisation": colleague.organisation_id,
        "role": Role.SUPERVISOR.value,
    })
    assert response.status_code == 302
    assert Membership.objects.get(pk=colleague.membership.pk).role == Role.SUPERVISOR
    entry = AuditEntry.objects.get(action=AuditAction.MEMBERSHIP_CHANGED)
    assert set(entry.fields) >= {"role", "is_active"}


def test_admin_signs_in_through_the_application(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/admin/" in response["Location"]


def test_coordinator_manages_only_their_country_in_the_admin(client, coordinator, safe_home,
                                                             almaty_ngo):
    coordinator.user.is_staff = True
    coordinator.user.save()
    client.force_login(coordinator.user)
    listing = client.get(reverse("admin:directory_organisation_changelist"))
    assert listing.status_code == 200
    assert "Safe Home Bishkek" in listing.content.decode()
    assert "Sana Almaty" not in listing.content.decode()
    foreign = client.get(reverse("admin:directory_organisation_change", args=[almaty_ngo.pk]))
    assert foreign.status_code == 302  # "does not exist" for this admin

    moved = client.post(reverse("admin:directory_organisation_change", args=[safe_home.pk]), {
        "name": "Safe Home Bishkek", "kind": "ngo", "country": "KZ", "region": "",
        "languages": ["ky"], "is_active": "on",
    })
    assert moved.status_code == 200  # the form again, with the error
    assert Organisation.objects.get(pk=safe_home.pk).country == "KG"


def test_organisation_change_in_admin_is_validated_and_audited(admin_client, safe_home):
    url = reverse("admin:directory_organisation_change", args=[safe_home.pk])
    wrong_region = admin_client.post(url, {
        "name": "Safe Home Bishkek", "kind": "ngo", "country": "KG", "region": "KZ-75",
        "is_active": "on",
    })
    assert wrong_region.status_code == 200
    assert Organisation.objects.get(pk=safe_home.pk).region == "KG-GB"

    saved = admin_client.post(url, {
        "name": "Safe Home Bishkek", "kind": "ngo", "country": "KG", "region": "KG-C",
        "languages": ["ky", "ru", "en"], "is_active": "on", "is_first_responder": "on",
    })
    assert saved.status_code == 302
    safe_home.refresh_from_db()
    assert safe_home.region == "KG-C"
    assert safe_home.languages == ["ky", "ru", "en"]
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert "region" in entry.fields


def test_case_worker_sees_no_admin(client, case_worker):
    client.force_login(case_worker.user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
