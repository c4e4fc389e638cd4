"""A system admin registers partner deployments and marks the directory organisations that work
in them; nobody else may, and every change is audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.exchange.models import PartnerDeployment, RemoteOrganisation
from tests.conftest import login
from tests.interchange.exchange.conftest import RU_KEYS, new_keys

pytestmark = pytest.mark.django_db

PARTNERS = reverse("interchange:exchange:partners")
REGISTER = reverse("interchange:exchange:partner_register")
RUSSIA = {"deployment_id": "RU", "name": "Russian NRM registry", "country": "RU",
          "signing_key": RU_KEYS.signing_public, "encryption_key": RU_KEYS.encryption_public,
          "contact": "+7 495 000 00 00, duty officer", "is_active": "on"}


def partner_url(partner: PartnerDeployment, action: str = "partner", *args: int) -> str:
    return reverse(f"interchange:exchange:{action}", args=[partner.pk, *args])


def test_system_admin_registers_a_partner_and_sees_its_fingerprint(client, system_admin):
    response = login(client, system_admin).post(REGISTER, RUSSIA)
    partner = PartnerDeployment.objects.get(deployment_id="RU")
    assert response.status_code == 302
    assert (partner.name, partner.country, partner.is_active) == ("Russian NRM registry", "RU",
                                                                  True)
    page = client.get(response["Location"]).content.decode()
    assert partner.fingerprint in page
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_CHANGED,
                                   object_type="partnerdeployment")
    assert entry.actor == system_admin.user
    assert "signing_key" in entry.fields


def test_the_partners_page_shows_this_deployments_public_keys_never_a_private_one(
        client, system_admin, settings):
    page = login(client, system_admin).get(PARTNERS).content.decode()
    assert 'id="own-deployment-id">KG<' in page
    assert settings.NRM_EXCHANGE_SIGNING_KEY not in page
    assert settings.NRM_EXCHANGE_ENCRYPTION_KEYS not in page


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"signing_key": "not a key"}, "signing_key", "44 characters of base64"),
    ({"encryption_key": RU_KEYS.signing_public}, "encryption_key", "same as the signing key"),
    ({"deployment_id": "KG"}, "deployment_id", "this deployment's own id"),
    ({"deployment_id": "Russia registry"}, "deployment_id", "1 to 40 letters"),
])
def test_a_bad_registration_says_what_to_fix_and_saves_nothing(client, system_admin, changes,
                                                                field, says):
    response = login(client, system_admin).post(REGISTER, {**RUSSIA, **changes})
    assert response.status_code == 200
    assert says in " ".join(response.context["form"].errors[field])
    assert not PartnerDeployment.objects.exists()
    assert not AuditEntry.objects.filter(object_type="partnerdeployment").exists()


def test_a_partner_is_registered_once(client, system_admin, russia):
    response = login(client, system_admin).post(REGISTER, RUSSIA)
    assert "already registered" in " ".join(response.context["form"].errors["deployment_id"])
    assert PartnerDeployment.objects.count() == 1


def test_new_keys_of_a_partner_are_saved_and_audited(client, system_admin, russia):
    rotated = new_keys()
    response = login(client, system_admin).post(partner_url(russia), {
        **RUSSIA, "contact": "", "signing_key": rotated.signing_public,
        "encryption_key": rotated.encryption_public})
    assert response.status_code == 302
    russia.refresh_from_db()
    assert russia.signing_key == rotated.signing_public
    entry = AuditEntry.objects.get(object_type="partnerdeployment")
    assert set(entry.fields) == {"signing_key", "encryption_key"}


def test_a_partner_made_inactive_stays_on_record(client, system_admin, russia):
    login(client, system_admin).post(partner_url(russia), {**RUSSIA, "is_active": ""})
    russia.refresh_from_db()
    assert not russia.is_active


def test_an_organisation_is_marked_as_working_in_a_partner_and_unmarked(
        client, system_admin, russia, moscow_consulate):
    login(client, system_admin)
    response = client.post(partner_url(russia, "remote_organisation_mark"),
                           {"organisation": moscow_consulate.pk, "remote_ref": "17"})
    assert response.status_code == 302
    remote = RemoteOrganisation.objects.get(organisation=moscow_consulate)
    assert (remote.deployment, remote.remote_ref) == (russia, "17")
    assert "Consulate of the Kyrgyz Republic in Moscow" in client.get(
        partner_url(russia)).content.decode()

    client.post(partner_url(russia, "remote_organisation_unmark", moscow_consulate.pk))
    assert not RemoteOrganisation.objects.exists()
    purposes = set(AuditEntry.objects.filter(object_type="remoteorganisation")
                   .values_list("purpose", flat=True))
    assert purposes == {"organisation marked as working in a partner deployment",
                        "organisation no longer marked as in a partner deployment"}


def test_an_organisation_of_another_country_cannot_be_marked(client, system_admin, russia,
                                                             safe_home):
    response = login(client, system_admin).post(
        partner_url(russia, "remote_organisation_mark"),
        {"organisation": safe_home.pk, "remote_ref": "17"})
    assert response.status_code == 400
    assert not RemoteOrganisation.objects.exists()


def test_two_organisations_cannot_share_one_id_in_the_partner(client, system_admin, russia,
                                                              moscow_consulate):
    from nrm.directory.models import Organisation, OrganisationKind

    other = Organisation.objects.create(name="Safe House Moscow", kind=OrganisationKind.NGO,
                                        country="RU")
    RemoteOrganisation.objects.create(organisation=moscow_consulate, deployment=russia,
                                      remote_ref="17")
    response = login(client, system_admin).post(
        partner_url(russia, "remote_organisation_mark"),
        {"organisation": other.pk, "remote_ref": "17"})
    assert "already has this id" in response.content.decode()
    assert RemoteOrganisation.objects.count() == 1


def _every_page(russia, moscow_consulate) -> list[tuple[str, str]]:
    return [("get", PARTNERS), ("get", REGISTER), ("post", REGISTER),
            ("get", partner_url(russia)), ("post", partner_url(russia)),
            ("post", partner_url(russia, "remote_organisation_mark")),
            ("post", partner_url(russia, "remote_organisation_unmark", moscow_consulate.pk))]


@pytest.mark.parametrize("who", ["case_worker", "supervisor", "org_admin", "coordinator",
                                 "analyst", "outsider"])
def test_only_a_system_admin_reaches_the_partner_pages(client, request, who, russia,
                                                       moscow_consulate):
    viewer = request.getfixturevalue(who)
    RemoteOrganisation.objects.create(organisation=moscow_consulate, deployment=russia,
                                      remote_ref="17")
    login(client, viewer)
    for method, url in _every_page(russia, moscow_consulate):
        body = {**RUSSIA, "organisation": moscow_consulate.pk, "remote_ref": "18"}
        response = client.post(url, body) if method == "post" else client.get(url)
        assert response.status_code == 403, (method, url)
    russia.refresh_from_db()
    assert russia.contact == ""
    assert RemoteOrganisation.objects.get().remote_ref == "17"
    assert not AuditEntry.objects.filter(action=AuditAction.ORGANISATION_CHANGED).exists()


def test_anonymous_is_sent_to_sign_in(client, russia, moscow_consulate):
    for method, url in _every_page(russia, moscow_consulate):
        response = client.post(url, RUSSIA) if method == "post" else client.get(url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("accounts:login"))
    assert PartnerDeployment.objects.count() == 1


def test_an_unknown_partner_is_not_found(client, system_admin):
    assert login(client, system_admin).get(
        reverse("interchange:exchange:partner", args=[999])).status_code == 404


def test_the_menu_shows_partners_to_system_admins_only(client, system_admin, case_worker):
    directory = reverse("directory:organisation_list")
    assert PARTNERS in login(client, system_admin).get(directory).content.decode()
    client.logout()
    assert PARTNERS not in login(client, case_worker).get(directory).content.decode()
