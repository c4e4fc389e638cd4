"""Safe Home Bishkek, in the Kyrgyz deployment, receives the consul's package from Moscow: a
preview first, then an incoming referral in its inbox; on acceptance Жылдыз is registered here
and her return journey goes on the new case, where the reception on arrival is recorded. A
package for another organisation, a second import, a referral already received, services Safe
Home does not give, or a return that cannot be recorded are refused and change nothing."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.assistance.inputs import ReceptionInput
from nrm.assistance.services import return_reception_record
from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.exchange.models import ReceivedPackage, RemoteOrganisation
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.services import (
    package_import,
    package_preview,
    package_return_record,
    package_send,
)
from nrm.referrals.choices import ReferralOrigin, ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_accept
from nrm.registry.models import Identity
from tests.conftest import _member
from tests.interchange.exchange.packages import as_deployment, payload, sealed

pytestmark = pytest.mark.django_db


def from_moscow(consul, referral) -> bytes:
    """The package the consul downloads in the Russian deployment."""
    with as_deployment("RU"):
        return package_send(viewer=consul, referral=referral).document


@pytest.fixture
def package(consul, zhyldyz_referral, zhyldyz_return, russia) -> bytes:
    """The consul's package, for a return that took place two days ago."""
    zhyldyz_return.travel_on = timezone.localdate() - dt.timedelta(days=2)
    zhyldyz_return.save()
    return from_moscow(consul, zhyldyz_referral)


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model is not AuditEntry and model._meta.managed}


def refused(viewer, document: bytes, error: type[Exception] = PackageRefusedError) -> Exception:
    before = rows()
    with pytest.raises(error) as raised:
        package_import(viewer=viewer, document=document)
    assert rows() == before
    return raised.value


def test_safe_home_imports_accepts_and_records_her_reception(case_worker, safe_home, package,
                                                             zhyldyz_referral):
    preview = package_preview(viewer=case_worker, document=package)
    assert preview.opened.organisation == safe_home
    assert preview.values["names"]["given_name"] == "Жылдыз"
    assert preview.services_requested == ["shelter", "medical", "return_repatriation"]
    assert preview.journey.ret_Escort == "Consular"
    assert not ReceivedPackage.objects.exists()
    read = AuditEntry.objects.get(action=AuditAction.REFERRAL_READ, actor=case_worker.user)
    assert read.purpose.endswith("from RU: preview") and "names" in read.fields

    referral = package_import(viewer=case_worker, document=package).referral
    assert (referral.origin, referral.status, referral.to_organisation) == (
        ReferralOrigin.PACKAGE, ReferralStatus.SENT, safe_home)
    assert (referral.sending_deployment, referral.external_code) == ("RU", zhyldyz_referral.code)
    assert referral.sender_name == "Consulate of the Kyrgyz Republic in Moscow"
    assert referral.from_country == "RU" and referral.from_organisation is None
    assert referral.note == "Flies home on Friday; needs shelter on arrival."
    # What Safe Home reads is what the consul shared, value for value.
    assert referral.shared == zhyldyz_referral.shared
    assert set(referral.shared_fields) == set(zhyldyz_referral.shared_fields)
    received = ReceivedPackage.objects.get()
    assert (received.referral, received.received_by) == (referral, case_worker.user)
    imported = AuditEntry.objects.get(action=AuditAction.PACKAGE_IMPORTED)
    assert imported.object_id == str(referral.pk) and "return_journey" in imported.fields

    referral = referral_accept(viewer=case_worker, referral=referral)
    identity = Identity.objects.get(person=referral.receiving_case.person)
    assert (identity.given_name, identity.family_name) == ("Жылдыз", "Асанова")
    assert referral.receiving_case.organisation == safe_home

    journey = package_return_record(viewer=case_worker, received=received)
    assert journey.case == referral.receiving_case
    assert (journey.from_country, journey.to_country, journey.escort) == ("RU", "KG", "consular")
    assert journey.travel_documents == [{"kind": "certificate_of_return", "status": "issued"}]
    assert journey.receiving_organisation == safe_home
    assert journey.escort_details == "Consul Бекова to Manas airport"
    return_reception_record(viewer=case_worker, journey=journey, reception=ReceptionInput(
        arrived_on=journey.travel_on, received_by="Duty social worker"))
    journey.refresh_from_db()
    assert journey.status == "arrived" and journey.reception_recorded_for == safe_home

    with pytest.raises(ValidationError, match="on the case already"):
        package_return_record(viewer=case_worker, received=received)


def test_a_consulate_marked_in_the_directory_is_the_referring_organisation(
        case_worker, package, moscow_consulate, russia, consul):
    RemoteOrganisation.objects.create(organisation=moscow_consulate, deployment=russia,
                                      remote_ref=str(moscow_consulate.pk))
    referral = package_import(viewer=case_worker, document=package).referral
    assert referral.from_organisation == moscow_consulate


def test_the_return_waits_for_the_acceptance(case_worker, package):
    package_import(viewer=case_worker, document=package)
    with pytest.raises(ValidationError, match="Accept the referral first"):
        package_return_record(viewer=case_worker, received=ReceivedPackage.objects.get())


def test_a_package_for_another_organisation_is_refused(outsider, package):
    refusal = refused(outsider, package)
    assert refusal.reason == Refusal.OTHER_ORGANISATION
    assert "Pass it on to a case worker of Safe Home Bishkek" in str(refusal)
    assert AuditEntry.objects.filter(action=AuditAction.PACKAGE_REFUSED,
                                     actor=outsider.user).exists()


def test_a_package_for_an_organisation_not_in_this_directory_is_refused(case_worker, russia):
    refusal = refused(case_worker, sealed(bishkek_ngo_ref="987654"))
    assert refusal.reason == Refusal.UNKNOWN_ORGANISATION
    assert "987654" in str(refusal)


def test_a_second_import_of_the_same_package_is_refused(case_worker, package):
    package_import(viewer=case_worker, document=package)
    refusal = refused(case_worker, package)
    assert refusal.reason == Refusal.REPLAYED
    assert "find the referral in your organisation's inbox" in str(refusal)


def test_the_same_referral_in_a_new_package_adds_nothing(case_worker, consul, package,
                                                         zhyldyz_referral):
    package_import(viewer=case_worker, document=package)
    again = from_moscow(consul, zhyldyz_referral)
    refusal = refused(case_worker, again, ValidationError)
    assert "already received" in " ".join(refusal.messages)


def test_services_safe_home_does_not_give_are_refused(case_worker, safe_home, package):
    safe_home.services.clear()
    refusal = refused(case_worker, package, ValidationError)
    assert "does not offer" in " ".join(refusal.messages)


def test_a_return_that_cannot_be_recorded_is_refused(case_worker, russia):
    now = timezone.now()
    contents = payload(package_id=uuid.uuid4(), created_at=now,
                       expires_at=now + dt.timedelta(days=14))
    contents["return_journey"]["ret_TravelDate"] = (
        timezone.localdate() + dt.timedelta(days=4 * 366)).isoformat()
    refusal = refused(case_worker, sealed(contents=contents))
    assert refusal.reason == Refusal.INVALID_RETURN
    assert "three years ahead" in str(refusal)


def test_who_may_preview_and_who_may_import(safe_home, package):
    decision_maker = _member("jyldyz_dm", safe_home, Role.DECISION_MAKER)
    assert package_preview(viewer=decision_maker, document=package).identity_shown
    refused(decision_maker, package, PermissionDenied)
    admin = _member("admin_safe_home_2", safe_home, Role.ORGANISATION_ADMIN)
    with pytest.raises(PermissionDenied):
        package_preview(viewer=admin, document=package)
    refused(admin, package, PermissionDenied)
    assert not Referral.objects.filter(origin=ReferralOrigin.PACKAGE).exists()
