"""Sending a referral: Safe Home refers Айгуль to a shelter. The consent gate holds (missing,
refused or withdrawn consent blocks); a supervisor may override a missing consent only in an
emergency, in the same country, with a reason, sharing only the minimum, and it is audited; a
referral across the border needs cross-border consent and an agreement in force."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nrm.accounts.models import Notification
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import Agreement, ServiceType
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.services import response_deadlines_set
from nrm.registry.services import consent_withdraw
from tests.conftest import register
from tests.referrals.conftest import consent, refer


def _errors(raised: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(raised.value.messages)


def test_case_worker_refers_a_consenting_woman_to_a_shelter(referral, aigul_case, ak_jol,
                                                            shelter_worker, case_worker):
    assert referral.status == ReferralStatus.SENT
    assert referral.case == aigul_case
    assert (referral.from_organisation, referral.to_organisation) == (
        case_worker.membership.organisation, ak_jol)
    assert referral.services_requested == ["shelter", "medical"]
    assert not referral.is_cross_border and referral.agreement is None
    # Urgent: 48 hours by default, and three more days before it expires unanswered.
    assert referral.due_at - referral.sent_at == dt.timedelta(hours=48)
    assert referral.expires_at - referral.due_at == dt.timedelta(hours=72)
    assert [step.status for step in referral.history.all()] == [ReferralStatus.SENT]
    assert (referral.sex, referral.age_band) == ("Feminine", "30--38")
    sent = AuditEntry.objects.get(action=AuditAction.REFERRAL_SENT)
    assert sent.person_code == aigul_case.person.code
    assert set(sent.fields) == {"person_code", "sex", "age_band", "languages", "names", "phones"}
    told = Notification.objects.get(user=shelter_worker.user)
    assert referral.display_code in told.text and "Safe Home Bishkek" in told.text
    assert "Айгуль" not in told.text


def test_the_snapshot_holds_exactly_the_fields_chosen(referral, aigul_case):
    assert referral.shared == {
        "person_code": aigul_case.person.code, "sex": "Feminine", "age_band": "30--38",
        "languages": ["ky", "ru"],
        "names": {"given_name": "Айгуль", "patronymic": "", "family_name": "Мамытова",
                  "latin_name": "Aygul Mamytova"},
        "phones": ["+996 555 000 111"],
    }
    # Reading the identity to share it is itself recorded.
    assert AuditEntry.objects.filter(action=AuditAction.IDENTITY_READ,
                                     purpose="referral").count() == 1


def test_a_case_without_consent_cannot_be_referred(case_worker, aigul_case, ak_jol):
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, ak_jol)
    assert "must consent to sharing with Ak-Jol Shelter" in _errors(raised)
    assert not Referral.objects.exists()


def test_consent_to_another_organisation_does_not_count(case_worker, aigul_case, ak_jol,
                                                        tendesh):
    consent(case_worker, aigul_case, "share_organisation", tendesh)
    with pytest.raises(ValidationError):
        refer(case_worker, aigul_case, ak_jol)


@pytest.mark.parametrize("answer", ["refused", "withdrawn"])
def test_a_refusal_or_withdrawal_blocks_even_a_supervisor(case_worker, supervisor, aigul_case,
                                                          ak_jol, answer):
    given = consent(case_worker, aigul_case, "share_organisation", ak_jol,
                    given=answer != "refused")
    if answer == "withdrawn":
        consent_withdraw(viewer=case_worker, consent=given)
    with pytest.raises(ValidationError) as raised:
        refer(supervisor, aigul_case, ak_jol, urgency="emergency",
              shared_fields=["sex", "age_band"], override_reason="She is in danger tonight.")
    assert "cannot be overridden" in _errors(raised)
    assert not Referral.objects.exists()


def test_a_child_needs_the_guardians_consent_too(case_worker, ak_jol):
    child_case = register(case_worker, given="Нурай",
                          birth_date=f"{timezone.localdate().year - 15}")
    consent(case_worker, child_case, "share_organisation", ak_jol)  # no guardian recorded
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, child_case, ak_jol)
    assert "guardian has not consented" in _errors(raised)


def test_supervisor_overrides_a_missing_consent_in_an_emergency(supervisor, aigul_case, ak_jol,
                                                                 shelter_worker):
    referral = refer(supervisor, aigul_case, ak_jol, urgency="emergency",
                     shared_fields=["sex", "age_band", "languages"],
                     override_reason="She called from the bus station; nowhere to sleep.")
    assert referral.consent_overridden
    assert referral.override_reason == "She called from the bus station; nowhere to sleep."
    assert set(referral.shared) == {"person_code", "sex", "age_band", "languages"}
    overridden = AuditEntry.objects.get(action=AuditAction.CONSENT_OVERRIDDEN)
    assert overridden.actor == supervisor.user
    assert overridden.person_code == aigul_case.person.code
    assert "emergency" in overridden.purpose
    # Due in 4 hours: an emergency.
    assert referral.due_at - referral.sent_at == dt.timedelta(hours=4)


@pytest.mark.parametrize(("who", "urgency", "fields", "reason", "refusal"), [
    ("case_worker", "emergency", ["sex"], "Danger", PermissionDenied),
    ("supervisor", "urgent", ["sex"], "Danger", ValidationError),
    ("supervisor", "emergency", ["sex", "names"], "Danger", ValidationError),
    ("supervisor", "emergency", ["sex"], "", ValidationError),
])
def test_the_override_is_for_supervisors_in_emergencies_sharing_only_the_minimum(
        request, aigul_case, ak_jol, who, urgency, fields, reason, refusal):
    viewer = request.getfixturevalue(who)
    with pytest.raises(refusal):
        refer(viewer, aigul_case, ak_jol, urgency=urgency, shared_fields=fields,
              override_reason=reason)
    assert not Referral.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.CONSENT_OVERRIDDEN).exists()


def test_no_override_across_a_border(supervisor, aigul_case, komek, kg_kz_agreement):
    with pytest.raises(ValidationError) as raised:
        refer(supervisor, aigul_case, komek, urgency="emergency", shared_fields=["sex"],
              override_reason="Danger")
    assert "No one may override this" in _errors(raised)
    assert not Referral.objects.exists()


def test_across_the_border_consent_to_share_is_not_enough(case_worker, aigul_case, komek,
                                                          kg_kz_agreement):
    consent(case_worker, aigul_case, "share_organisation", komek)
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, komek)
    assert "sharing across borders" in _errors(raised)


def test_a_cross_border_referral_goes_under_an_agreement_in_force(
        case_worker, aigul_case, komek, kg_kz_agreement, aigul_consents_to_komek, komek_worker):
    referral = refer(case_worker, aigul_case, komek)
    assert referral.is_cross_border
    assert referral.agreement == kg_kz_agreement
    assert (referral.from_country, referral.to_country) == ("KG", "KZ")
    assert Notification.objects.filter(user=komek_worker.user).count() == 1


def test_without_an_agreement_no_referral_crosses_the_border(case_worker, aigul_case, komek,
                                                             aigul_consents_to_komek):
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, komek)
    assert "needs an agreement in force" in _errors(raised)


def test_an_agreement_that_ended_does_not_count(case_worker, aigul_case, komek, kg_kz_agreement,
                                                aigul_consents_to_komek):
    Agreement.objects.filter(pk=kg_kz_agreement.pk).update(
        valid_until=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        refer(case_worker, aigul_case, komek)


def test_an_agreement_without_data_sharing_lets_only_the_minimum_cross(
        case_worker, aigul_case, komek, kg_kz_agreement, aigul_consents_to_komek):
    Agreement.objects.filter(pk=kg_kz_agreement.pk).update(covers_data_sharing=False)
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, komek)
    assert "does not cover sharing personal data" in _errors(raised)
    referral = refer(case_worker, aigul_case, komek, shared_fields=["sex", "age_band"])
    assert referral.agreement == kg_kz_agreement


def test_an_agreement_limited_to_some_services_covers_only_those(
        case_worker, aigul_case, komek, kg_kz_agreement, aigul_consents_to_komek):
    kg_kz_agreement.services.set(ServiceType.objects.filter(code="shelter"))
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, komek, services=["shelter", "medical"])
    assert "does not cover every service" in _errors(raised)
    assert refer(case_worker, aigul_case, komek, services=["shelter"]).agreement


def test_only_services_the_receiver_offers_may_be_asked_for(case_worker, aigul_case, ak_jol,
                                                            aigul_consents_to_ak_jol):
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, ak_jol, services=["shelter", "legal_representation"])
    assert "does not offer: Legal representation" in _errors(raised)


def test_a_case_is_not_referred_twice_to_the_same_organisation(referral, case_worker,
                                                               aigul_case, ak_jol):
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, ak_jol)
    assert "already has an open referral" in _errors(raised)


def test_an_outsider_cannot_refer_another_organisations_case(outsider, aigul_case, ak_jol,
                                                            aigul_consents_to_ak_jol):
    with pytest.raises(PermissionDenied):
        refer(outsider, aigul_case, ak_jol)


def test_a_coordinator_sees_cases_but_does_not_refer_them(coordinator, aigul_case, ak_jol,
                                                          aigul_consents_to_ak_jol):
    with pytest.raises(PermissionDenied):
        refer(coordinator, aigul_case, ak_jol)


def test_unknown_fields_are_refused(case_worker, aigul_case, ak_jol, aigul_consents_to_ak_jol):
    with pytest.raises(ValidationError) as raised:
        refer(case_worker, aigul_case, ak_jol, shared_fields=["sex", "password"])
    assert "is not a field that may be shared" in _errors(raised)


def test_the_receiving_countrys_deadlines_apply(case_worker, coordinator, aigul_case, ak_jol,
                                                aigul_consents_to_ak_jol):
    response_deadlines_set(viewer=coordinator, country="KG", emergency_hours=2, urgent_hours=24,
                           routine_hours=120, expiry_hours=12)
    referral = refer(case_worker, aigul_case, ak_jol, urgency="routine")
    assert referral.due_at - referral.sent_at == dt.timedelta(hours=120)
    assert referral.expires_at - referral.due_at == dt.timedelta(hours=12)


def test_only_the_countrys_coordinator_sets_its_deadlines(coordinator, supervisor):
    with pytest.raises(PermissionDenied):
        response_deadlines_set(viewer=supervisor, country="KG", emergency_hours=2,
                               urgent_hours=24, routine_hours=120, expiry_hours=12)
    with pytest.raises(PermissionDenied):
        response_deadlines_set(viewer=coordinator, country="KZ", emergency_hours=2,
                               urgent_hours=24, routine_hours=120, expiry_hours=12)
    with pytest.raises(ValidationError):
        response_deadlines_set(viewer=coordinator, country="KG", emergency_hours=48,
                               urgent_hours=24, routine_hours=120, expiry_hours=12)
    rules = response_deadlines_set(viewer=coordinator, country="KG", emergency_hours=2,
                                   urgent_hours=24, routine_hours=120, expiry_hours=12)
    assert AuditEntry.objects.get(action=AuditAction.COUNTRY_RULES_CHANGED).object_id == str(
        rules.pk)
