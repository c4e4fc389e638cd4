"""The consul in Moscow sends Жылдыз's referral to Safe Home Bishkek, which works in the Kyrgyz
deployment: the package carries exactly what the consul shared and her return journey, sealed
for Kyrgyzstan; it is refused when the consent or the agreement no longer holds, when the
receiver works here after all, or when someone else asks."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.exchange.envelope import decrypt, parse
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import RemoteOrganisation, SentPackage
from nrm.interchange.exchange.selectors import package_referral_for_viewer
from nrm.interchange.exchange.services import package_send
from nrm.referrals.services import referral_cancel, referral_send
from nrm.registry.inputs import ConsentInput
from nrm.registry.services import consent_record
from tests.api.conftest import Api
from tests.conftest import _member, login
from tests.interchange.exchange.packages import as_deployment

pytestmark = pytest.mark.django_db


def contents_of(document: bytes) -> dict:
    """What Kyrgyzstan reads once it decrypts the package."""
    with as_deployment("KG"):
        return json.loads(decrypt(parse(document), deployment_identity()))


@pytest.fixture(autouse=True)
def _this_deployment_is_russia(settings):
    with as_deployment("RU"):
        yield


def test_the_package_carries_what_the_consul_shared_and_her_return(consul, zhyldyz_referral,
                                                                    zhyldyz_return, safe_home):
    made = package_send(viewer=consul, referral=zhyldyz_referral)
    envelope = json.loads(made.document)
    assert (envelope["header"]["sender"], envelope["header"]["recipient"]) == ("RU", "KG")
    assert "Жылдыз".encode() not in made.document

    contents = contents_of(made.document)
    referral, person = contents["referral"], contents["person"]
    assert referral["cas_ReferredOrganisation"]["org_Ref"] == str(safe_home.pk)
    assert referral["cas_ReferringOrganisation"]["org_Name"] == (
        "Consulate of the Kyrgyz Republic in Moscow")
    assert referral["cas_ReasonForOutgoingReferral"] == "MigrationOrChangeOfLocation"
    assert referral["ref_ServicesRequested"] == ["Shelter", "Medical", "ReturnRepatriation"]
    assert referral["ref_Agreement"]["agr_Title"] == "MoU on the return of victims of trafficking"
    assert (person["prs_FirstName"], person["prs_MiddleName"], person["prs_SecondName"]) == (
        "Жылдыз", "Маратовна", "Асанова")
    assert person["prs_Birthdate"] == "1998-07"
    assert person["prs_IdentityDocuments"] == [
        {"doc_Type": "Passport", "doc_Number": "AC1234567", "doc_Country": "KG"}]
    assert person["vic_MethodsOfControl"] == ["WithholdsDocuments", "DebtBondage"]
    assert person["hte_Events"][0]["hte_Date"] == "2025-11"
    assert person["hte_Events"][0]["hte_Description"] == ""  # descriptions were not shared
    assert person["cas_EntryPoint"] is None  # nor the entry point
    journey = contents["return_journey"]
    assert journey["ret_TravelDocuments"] == [{"doc_Type": "CertificateOfReturn",
                                               "doc_Status": "Issued"}]
    assert (journey["ret_Escort"], journey["ret_ReceivingOrganisation"]["org_Ref"]) == (
        "Consular", str(safe_home.pk))

    published = Api(Client(), None).get("/exchange/schema.json").json()
    jsonschema.Draft202012Validator(published).validate(contents)

    sent = SentPackage.objects.get()
    assert (sent.referral, sent.journey, sent.created_by) == (zhyldyz_referral, zhyldyz_return,
                                                              consul.user)
    assert str(sent.package_id)[:8] in made.filename
    entry = AuditEntry.objects.get(action=AuditAction.PACKAGE_SENT)
    assert entry.person_code == zhyldyz_referral.case.person.code
    assert "names" in entry.fields and "return_journey" in entry.fields
    assert entry.purpose == f"package {sent.package_id} to KG"


def test_only_the_minimum_travels_when_only_the_minimum_was_shared(
        consul, zhyldyz_case, safe_home_seen_from_russia, consulate_agreement,
        safe_home_offers_return_help):
    referral = referral_send(viewer=consul, case=zhyldyz_case,
                             receiver=safe_home_seen_from_russia, services=["shelter"],
                             urgency="routine", shared_fields=["sex", "languages"])
    person = contents_of(package_send(viewer=consul, referral=referral).document)["person"]
    assert {name: value for name, value in person.items() if value not in (None, "", [], False)
            } == {"prs_Code": zhyldyz_case.person.code, "prs_Gender": "Feminine",
                  "prs_PrimaryLanguage": "ky", "prs_SecondaryLanguage": "ru"}


def test_without_a_planned_return_the_package_goes_without_one(
        consul, zhyldyz_referral, zhyldyz_return):
    zhyldyz_return.status = "cancelled"
    zhyldyz_return.save()
    made = package_send(viewer=consul, referral=zhyldyz_referral)
    assert contents_of(made.document)["return_journey"] is None
    assert made.sent.journey is None


def refused(viewer, referral, error=ValidationError) -> str:
    before = (SentPackage.objects.count(), AuditEntry.objects.filter(
        action=AuditAction.PACKAGE_SENT).count())
    with pytest.raises(error) as raised:
        package_send(viewer=viewer, referral=referral)
    assert (SentPackage.objects.count(), AuditEntry.objects.filter(
        action=AuditAction.PACKAGE_SENT).count()) == before
    return " ".join(getattr(raised.value, "messages", [str(raised.value)]))


def test_a_withdrawn_consent_stops_the_package(consul, zhyldyz_referral, zhyldyz_case):
    consent_record(viewer=consul, person=zhyldyz_case.person, consent=ConsentInput(
        purpose="cross_border", given=False, method="oral"))
    assert "no longer holds" in refused(consul, zhyldyz_referral)


def test_an_ended_agreement_stops_the_package(consul, zhyldyz_referral, consulate_agreement):
    consulate_agreement.valid_until = timezone.localdate() - dt.timedelta(days=1)
    consulate_agreement.save()
    assert "no longer in force" in refused(consul, zhyldyz_referral)


def test_a_receiver_that_works_here_needs_no_package(consul, zhyldyz_referral):
    RemoteOrganisation.objects.all().delete()
    assert "works in this deployment" in refused(consul, zhyldyz_referral)


def test_an_inactive_partner_gets_no_package(consul, zhyldyz_referral, kyrgyzstan):
    kyrgyzstan.is_active = False
    kyrgyzstan.save()
    assert "not active" in refused(consul, zhyldyz_referral)


def test_a_cancelled_referral_travels_no_more(consul, zhyldyz_referral):
    referral_cancel(viewer=consul, referral=zhyldyz_referral, reason="She stays in Moscow")
    zhyldyz_referral.refresh_from_db()
    assert "waiting for an answer" in refused(consul, zhyldyz_referral)


def test_only_case_workers_of_the_consulate_send_it(consul, zhyldyz_referral, moscow_consulate,
                                                    outsider, coordinator):
    colleague = _member("osmonov", moscow_consulate, Role.CASE_WORKER)
    assert package_send(viewer=colleague, referral=zhyldyz_referral).document
    for other in (outsider, coordinator, _member("admin_consulate", moscow_consulate,
                                                     Role.ORGANISATION_ADMIN)):
        refused(other, zhyldyz_referral, PermissionDenied)


def test_the_referral_page_leads_to_the_package_and_the_package_page_downloads_it(
        client, consul, zhyldyz_referral):
    login(client, consul)
    code = zhyldyz_referral.display_code
    page = client.get(reverse("referrals:referral", args=[code]))
    url = reverse("interchange:exchange:package_send", args=[code])
    assert url in page.content.decode()
    shown = client.get(url)
    assert shown.status_code == 200
    text = shown.content.decode()
    assert "Kyrgyz NRM registry" in text and "Consul Бекова" not in text
    assert "Certificate of return" in text
    download = client.post(url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="nrm-package-')
    assert download["Cache-Control"] == "no-store"
    assert json.loads(download.content)["format"] == "nrm-exchange-envelope/1"


def test_the_package_page_says_why_no_package_can_be_made(client, consul, zhyldyz_referral,
                                                          zhyldyz_case):
    consent_record(viewer=consul, person=zhyldyz_case.person, consent=ConsentInput(
        purpose="cross_border", given=False, method="oral"))
    login(client, consul)
    response = client.post(reverse("interchange:exchange:package_send",
                                   args=[zhyldyz_referral.display_code]))
    assert response.status_code == 400
    assert "no longer holds" in response.content.decode()
    assert not SentPackage.objects.exists()


def test_outsiders_find_no_package_page(client, consul, zhyldyz_referral, outsider, safe_home,
                                        case_worker):
    url = reverse("interchange:exchange:package_send", args=[zhyldyz_referral.display_code])
    assert client.get(url)["Location"].startswith(reverse("accounts:login"))
    assert client.post(url)["Location"].startswith(reverse("accounts:login"))
    for other in (outsider, case_worker):
        login(client, other)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert not SentPackage.objects.exists()
    with pytest.raises(Http404):
        package_referral_for_viewer(viewer=outsider, code=zhyldyz_referral.display_code)
