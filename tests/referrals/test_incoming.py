"""A referral from another deployment: the Kyrgyz consulate in Moscow runs its own nrm and
sends Safe Home a referral of a man returning home. Once the interchange app has verified the
package, `referral_receive` puts it in Safe Home's inbox with no case here; receiving the same
package again adds nothing; on acceptance Safe Home registers the person from what was shared."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nrm.accounts.models import Notification
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import ServiceType
from nrm.referrals.choices import ReferralOrigin, ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_accept, referral_receive
from nrm.registry.models import Identity
from tests.conftest import login

SHARED = {
    "person_code": "K7QM4TXRU", "sex": "Masculine", "age_band": "30--38", "languages": ["ky"],
    "names": {"given_name": "Бакыт", "patronymic": "", "family_name": "Осмонов",
              "latin_name": "Bakyt Osmonov"},
    "birth_date": {"value": "1990-05-01", "precision": "month"},
    "documents": [{"kind": "travel_document", "number": "TD-2026-001", "country": "KG"}],
    "exploitation": {"exploitation_types": ["ForcedLabour"], "labour_industry": "F_Construction",
                     "sexual_exploitation_types": []},
    "events": [{"stage": "Exploitation", "country": "RU", "region": "", "city": "Moscow",
                "date": "2025-11-01", "date_precision": "month"}],
}


@pytest.fixture
def safe_home_offers_return_help(safe_home):
    safe_home.services.set(ServiceType.objects.filter(
        code__in=["return_repatriation", "psycho_social"]))
    return safe_home


def receive(viewer, **overrides) -> Referral:
    arguments = {
        "sending_deployment": "nrm.consulate-moscow.example", "external_code": "R-MOW-0042",
        "sender_name": "Consulate of Kyrgyzstan in Moscow", "from_country": "RU",
        "services": ["return_repatriation"], "urgency": "urgent", "shared": SHARED,
        "note": "Arrives at Manas airport on Friday.",
    }
    arguments.update(overrides)
    return referral_receive(viewer=viewer, **arguments)


def test_a_package_referral_arrives_in_the_inbox(case_worker, colleague,
                                                 safe_home_offers_return_help):
    referral = receive(case_worker)
    assert referral.origin == ReferralOrigin.PACKAGE and referral.case is None
    assert referral.status == ReferralStatus.SENT
    assert (referral.from_country, referral.to_country) == ("RU", "KG")
    assert referral.shared_fields == ["sex", "age_band", "languages", "names", "birth_date",
                                      "documents", "exploitation", "events"]
    assert (referral.sex, referral.age_band) == ("Masculine", "30--38")
    assert AuditEntry.objects.get(action=AuditAction.REFERRAL_SENT).purpose == (
        "received from nrm.consulate-moscow.example")
    assert Notification.objects.filter(user=colleague.user).exists()


def test_the_same_package_twice_adds_nothing(case_worker, safe_home_offers_return_help):
    receive(case_worker)
    with pytest.raises(ValidationError) as raised:
        receive(case_worker)
    assert "already received" in " ".join(raised.value.messages)
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(("overrides", "field"), [
    ({"shared": {**SHARED, "password": "x"}}, "shared"),
    ({"shared": {"sex": "Masculine"}}, "shared"),
    ({"services": ["legal_representation"]}, "services"),
    ({"from_country": "XX"}, "from_country"),
    ({"urgency": "someday"}, "urgency"),
])
def test_a_package_with_wrong_content_is_refused(case_worker, safe_home_offers_return_help,
                                                 overrides, field):
    with pytest.raises(ValidationError) as raised:
        receive(case_worker, **overrides)
    assert field in raised.value.message_dict
    assert not Referral.objects.exists()


def test_only_case_workers_receive(org_admin, safe_home_offers_return_help):
    with pytest.raises(PermissionDenied):
        receive(org_admin)


def test_accepting_registers_the_person_from_what_was_shared(client, case_worker,
                                                             safe_home_offers_return_help):
    referral = receive(case_worker)
    accepted = referral_accept(viewer=case_worker, referral=referral)
    case = accepted.receiving_case
    assert case is not None and case.organisation == safe_home_offers_return_help
    person = case.person
    assert (person.sex, person.languages) == ("Masculine", ["ky"])
    identity = Identity.objects.get(person=person)
    assert (identity.given_name, identity.family_name) == ("Бакыт", "Осмонов")
    assert identity.birth_date == "1990-05-01" and identity.birth_date_precision == "month"
    assert identity.documents[0]["number"] == "TD-2026-001"
    assert case.exploitation_types == ["ForcedLabour"]
    assert case.events.get().city == "Moscow"
    assert AuditEntry.objects.filter(action=AuditAction.PERSON_REGISTERED,
                                     person_code=person.code).exists()
    page = login(client, case_worker).get(reverse("referrals:referral",
                                                  args=[referral.display_code]))
    assert reverse("registry:case_detail", args=[case.display_code]) in page.content.decode()
    assert "received in an exchange package" in page.content.decode()


def test_without_a_shared_name_the_senders_code_is_the_alias(case_worker,
                                                             safe_home_offers_return_help):
    shared = {"person_code": "K7QM4TXRU", "sex": "Masculine", "age_band": "30--38"}
    accepted = referral_accept(viewer=case_worker,
                               referral=receive(case_worker, shared=shared))
    identity = Identity.objects.get(person=accepted.receiving_case.person)
    assert identity.aliases == ["K7QM-4TXR-U"]
    assert accepted.receiving_case.person.age_band == "30--38"
