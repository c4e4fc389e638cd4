"""Stories of identification's writes: who may screen, refer, decide and appeal; what the
deadlines and recovery period become; and that bad input leaves nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification import logic, services
from nrm.identification.choices import (
    AppealOutcome,
    DecisionRequestStatus,
    Element,
    ScreeningResult,
    ScreeningStatus,
    VictimStatus,
)
from nrm.identification.models import (
    Appeal,
    CountryRules,
    DecisionRequest,
    Screening,
    ScreeningAnswer,
    StatusDecision,
)
from nrm.registry.models import Case
from tests.conftest import _member, register

TODAY = timezone.localdate


def _audited(action: AuditAction) -> int:
    return AuditEntry.objects.filter(action=action).count()


@pytest.fixture
def referred_case(aigul_case, case_worker, commission) -> Case:
    services.decision_request(viewer=case_worker, case=aigul_case, competent_authority=commission)
    # Referred a month ago, so that decisions may be dated in the past days.
    DecisionRequest.objects.update(requested_on=TODAY() - dt.timedelta(days=30))
    return aigul_case


def _decide(viewer, case, status=VictimStatus.PRESUMED, decided_on=None, **extra):
    return services.status_decide(
        viewer=viewer, case=case, status=status, decided_on=decided_on or TODAY(),
        reasons="Passport withheld, debt bondage on a building site.",
        legal_basis="Law of the Kyrgyz Republic on combating trafficking, art. 20", **extra)


# --- screening ----------------------------------------------------------------------------------

def test_case_worker_of_a_first_responder_starts_a_screening_with_the_current_catalogue(
        case_worker, aigul_case, catalogue):
    screening = services.screening_start(viewer=case_worker, case=aigul_case, language="ky",
                                         indicator_set="adult_labour", age_at_recruitment=24)
    assert screening.catalogue == catalogue
    assert screening.status == ScreeningStatus.IN_PROGRESS
    assert screening.organisation_id == case_worker.organisation_id
    assert AuditEntry.objects.filter(action=AuditAction.SCREENING_STARTED,
                                     person_code=aigul_case.person.code).count() == 1


@pytest.mark.parametrize("who", ["outsider", "coordinator", "org_admin", "decision_maker"])
def test_only_the_case_organisations_case_workers_may_screen(request, who, aigul_case,
                                                             catalogue):
    with pytest.raises(PermissionDenied):
        services.screening_start(viewer=request.getfixturevalue(who), case=aigul_case)
    assert not Screening.objects.exists()


def test_an_organisation_that_is_not_a_first_responder_cannot_screen(foreign_case_worker,
                                                                     catalogue):
    case = register(foreign_case_worker)
    with pytest.raises(PermissionDenied):
        services.screening_start(viewer=foreign_case_worker, case=case)


def test_answers_are_recorded_and_can_be_changed_while_in_progress(case_worker, aigul_case,
                                                                   catalogue):
    screening = services.screening_start(viewer=case_worker, case=aigul_case,
                                         indicator_set="adult_labour")
    services.screening_answer(viewer=case_worker, screening=screening, answers={
        "test.act.recruited": ("yes", "Recruited through a cousin"),
        "test.ilo.confiscated_documents": ("unknown", ""),
    })
    services.screening_answer(viewer=case_worker, screening=screening, answers={
        "test.ilo.confiscated_documents": ("yes", "Employer keeps the passport"),
    })
    answers = {row.indicator.code: (row.answer, row.note)
               for row in ScreeningAnswer.objects.filter(screening=screening)
               .select_related("indicator")}
    assert answers == {
        "test.act.recruited": ("yes", "Recruited through a cousin"),
        "test.ilo.confiscated_documents": ("yes", "Employer keeps the passport"),
    }
    assert _audited(AuditAction.SCREENING_ANSWERED) == 2


@pytest.mark.parametrize("answers", [
    {"test.nothing.like.this": ("yes", "")},
    {"test.kz.only": ("yes", "")},  # another country's question
    {"test.ilo.child_begging": ("yes", "")},  # another ILO/EC set's question
    {"test.act.recruited": ("maybe", "")},
])
def test_unknown_indicators_and_answers_are_refused_and_nothing_is_written(
        case_worker, aigul_case, catalogue, answers):
    screening = services.screening_start(viewer=case_worker, case=aigul_case,
                                         indicator_set="adult_labour")
    with pytest.raises(ValidationError) as refused:
        services.screening_answer(viewer=case_worker, screening=screening,
                                  answers={"test.means.debt": ("yes", ""), **answers})
    assert "answers" in refused.value.message_dict
    assert not ScreeningAnswer.objects.exists()
    assert _audited(AuditAction.SCREENING_ANSWERED) == 0


def test_outsider_cannot_answer_another_organisations_screening(case_worker, outsider,
                                                                aigul_case, catalogue):
    screening = services.screening_start(viewer=case_worker, case=aigul_case)
    with pytest.raises(PermissionDenied):
        services.screening_answer(viewer=outsider, screening=screening,
                                  answers={"test.act.recruited": ("yes", "")})


def test_bad_screening_input_is_refused(case_worker, aigul_case, catalogue):
    for bad in ({"indicator_set": "adult_everything"}, {"age_at_recruitment": 200},
                {"language": "zz-not"}):
        with pytest.raises(ValidationError):
            services.screening_start(viewer=case_worker, case=aigul_case, **bad)
    assert not Screening.objects.exists()


# --- referral ------------------------------------------------------------------------------------

def test_referral_is_due_after_the_authoritys_countrys_working_days(case_worker, aigul_case,
                                                                    commission):
    CountryRules.objects.create(country="KG", decision_deadline_days=3,
                                deadline_in_working_days=False, weekend=[6, 7], holidays=[],
                                recovery_period_days=30)
    request = services.decision_request(viewer=case_worker, case=aigul_case,
                                        competent_authority=commission, note="Urgent")
    assert request.requested_on == TODAY()
    assert request.due_on == TODAY() + dt.timedelta(days=3)
    assert request.requested_for_id == aigul_case.organisation_id
    assert _audited(AuditAction.DECISION_REQUESTED) == 1


def test_referral_only_to_a_competent_authority_and_only_once_at_a_time(case_worker, aigul_case,
                                                                        commission, tendesh):
    with pytest.raises(ValidationError):
        services.decision_request(viewer=case_worker, case=aigul_case, competent_authority=tendesh)
    services.decision_request(viewer=case_worker, case=aigul_case, competent_authority=commission)
    with pytest.raises(ValidationError):
        services.decision_request(viewer=case_worker, case=aigul_case,
                                  competent_authority=commission)
    assert DecisionRequest.objects.count() == 1


def test_outsider_cannot_refer_another_organisations_case(outsider, aigul_case, commission):
    with pytest.raises(PermissionDenied):
        services.decision_request(viewer=outsider, case=aigul_case, competent_authority=commission)


# --- decisions ----------------------------------------------------------------------------------

def test_decision_maker_of_the_authority_decides_without_any_criminal_case(
        decision_maker, referred_case):
    # The case has no trafficking events, no prosecution, nothing but the referral.
    decision = _decide(decision_maker, referred_case)
    assert decision.status == VictimStatus.PRESUMED
    assert decision.competent_authority_id == decision_maker.organisation_id
    assert decision.request.status == DecisionRequestStatus.DECIDED
    assert _audited(AuditAction.STATUS_DECIDED) == 1


@pytest.mark.parametrize("who", ["case_worker", "supervisor", "commission_case_worker",
                                 "coordinator", "ngo_decision_maker", "outsider"])
def test_only_a_decision_maker_of_a_competent_authority_may_decide(request, who, referred_case):
    with pytest.raises(PermissionDenied):
        _decide(request.getfixturevalue(who), referred_case)
    assert not StatusDecision.objects.exists()
    assert _audited(AuditAction.STATUS_DECIDED) == 0


def test_another_authority_cannot_decide_a_case_not_referred_to_it(referred_case):
    other = Organisation.objects.create(name="Other commission", kind=OrganisationKind.OTHER,
                                        country="KG", is_competent_authority=True)
    with pytest.raises(PermissionDenied):
        _decide(_member("other_dm", other, Role.DECISION_MAKER), referred_case)


def test_positive_reasonable_grounds_decision_starts_the_countrys_recovery_period(
        decision_maker, referred_case):
    CountryRules.objects.create(country="KG", weekend=[6, 7], holidays=[],
                                recovery_period_days=45)
    decided_on = TODAY() - dt.timedelta(days=2)
    decision = _decide(decision_maker, referred_case, decided_on=decided_on)
    assert decision.recovery_period_ends == decided_on + dt.timedelta(days=45)


def test_recovery_period_is_at_least_thirty_days_even_if_a_country_set_less(
        decision_maker, referred_case):
    CountryRules.objects.create(country="KG", weekend=[6, 7], holidays=[],
                                recovery_period_days=10)
    decision = _decide(decision_maker, referred_case)
    assert decision.recovery_period_ends == TODAY() + dt.timedelta(days=30)


def test_conclusive_decision_keeps_the_recovery_period_already_running(
        decision_maker, referred_case):
    presumed = _decide(decision_maker, referred_case, decided_on=TODAY() - dt.timedelta(days=5))
    identified = _decide(decision_maker, referred_case, status=VictimStatus.IDENTIFIED)
    assert identified.recovery_period_ends == presumed.recovery_period_ends


def test_negative_decision_has_no_recovery_period(decision_maker, referred_case):
    decision = _decide(decision_maker, referred_case, status=VictimStatus.NOT_A_VICTIM)
    assert decision.recovery_period_ends is None


def test_decision_relies_only_on_completed_screenings_of_the_case(
        case_worker, decision_maker, referred_case, catalogue):
    screening = services.screening_start(viewer=case_worker, case=referred_case)
    with pytest.raises(ValidationError) as refused:
        _decide(decision_maker, referred_case, screening_ids=[screening.pk])
    assert "screening_ids" in refused.value.message_dict


@pytest.mark.parametrize("bad, field", [
    ({"decided_on": dt.date(2099, 1, 1)}, "decided_on"),
    ({"status": "victim_perhaps"}, "status"),
])
def test_bad_decision_is_refused_in_the_readers_language_and_nothing_written(
        decision_maker, referred_case, bad, field):
    with translation.override("ru"), pytest.raises(ValidationError) as refused:
        _decide(decision_maker, referred_case, **bad)
    message = " ".join(refused.value.message_dict[field])
    assert any(word in message for word in ("будущем", "Неизвестное"))
    assert not StatusDecision.objects.exists()
    assert DecisionRequest.objects.get().status == DecisionRequestStatus.PENDING
    assert _audited(AuditAction.STATUS_DECIDED) == 0


def test_a_decision_needs_reasons_and_a_legal_basis(decision_maker, referred_case):
    with pytest.raises(ValidationError) as refused:
        services.status_decide(viewer=decision_maker, case=referred_case,
                               status=VictimStatus.PRESUMED, decided_on=TODAY(), reasons=" ",
                               legal_basis="")
    assert "reasons" in refused.value.message_dict
    assert not StatusDecision.objects.exists()


# --- appeals -------------------------------------------------------------------------------------

def _lodge(viewer, decision):
    return services.appeal_lodge(viewer=viewer, decision=decision, lodged_on=TODAY(),
                                 body="Pervomaisky District Court", grounds="Debt not considered",
                                 representative="Legal clinic Adilet")


def test_appeal_overturning_a_negative_decision_keeps_both_in_the_history(
        case_worker, decision_maker, referred_case):
    refused = _decide(decision_maker, referred_case, status=VictimStatus.NOT_A_VICTIM,
                      decided_on=TODAY() - dt.timedelta(days=10))
    appeal = _lodge(case_worker, refused)
    appeal = services.appeal_decide(
        viewer=decision_maker, appeal=appeal, outcome=AppealOutcome.OVERTURNED,
        outcome_on=TODAY(), new_status=VictimStatus.PRESUMED, reasons="Court found debt bondage",
        legal_basis="Court ruling 12/2026")
    new = appeal.new_decision
    assert new is not None and new.replaces == refused
    assert new.from_appeal == appeal
    assert new.recovery_period_ends == TODAY() + dt.timedelta(days=30)
    assert list(StatusDecision.objects.filter(case=referred_case).order_by("decided_on")) == [
        refused, new]
    assert _audited(AuditAction.APPEAL_LODGED) == 1
    assert _audited(AuditAction.APPEAL_DECIDED) == 1


def test_appeal_upheld_leaves_the_decision_standing(case_worker, decision_maker, referred_case):
    refused = _decide(decision_maker, referred_case, status=VictimStatus.NOT_A_VICTIM)
    appeal = services.appeal_decide(viewer=decision_maker, appeal=_lodge(case_worker, refused),
                                    outcome=AppealOutcome.UPHELD, outcome_on=TODAY())
    assert appeal.new_decision is None
    assert StatusDecision.objects.count() == 1


def test_only_a_negative_decision_can_be_appealed(case_worker, decision_maker, referred_case):
    presumed = _decide(decision_maker, referred_case)
    with pytest.raises(ValidationError):
        _lodge(case_worker, presumed)
    assert not Appeal.objects.exists()


def test_outsider_cannot_lodge_or_decide_an_appeal(case_worker, outsider, ngo_decision_maker,
                                                   decision_maker, referred_case):
    refused = _decide(decision_maker, referred_case, status=VictimStatus.NOT_A_VICTIM)
    with pytest.raises(PermissionDenied):
        _lodge(outsider, refused)
    appeal = _lodge(case_worker, refused)
    for who in (outsider, case_worker, ngo_decision_maker):
        with pytest.raises(PermissionDenied):
            services.appeal_decide(viewer=who, appeal=appeal, outcome=AppealOutcome.UPHELD,
                                   outcome_on=TODAY())
    assert Appeal.objects.get().outcome == AppealOutcome.PENDING


def test_overturning_needs_a_positive_new_status(case_worker, decision_maker, referred_case):
    refused = _decide(decision_maker, referred_case, status=VictimStatus.NOT_A_VICTIM)
    appeal = _lodge(case_worker, refused)
    with pytest.raises(ValidationError):
        services.appeal_decide(viewer=decision_maker, appeal=appeal,
                               outcome=AppealOutcome.OVERTURNED, outcome_on=TODAY(),
                               new_status=VictimStatus.NOT_A_VICTIM, reasons="x",
                               legal_basis="y")
    assert StatusDecision.objects.count() == 1
    assert Appeal.objects.get().outcome == AppealOutcome.PENDING


# --- country rules ------------------------------------------------------------------------------

def _set_rules(viewer, country="KG", **changes):
    values = {"decision_deadline_days": 5, "deadline_in_working_days": True, "weekend": [6, 7],
              "holidays": ["2026-03-23", "03-21"], "recovery_period_days": 60, **changes}
    return services.country_rules_set(viewer=viewer, country=country, **values)


def test_national_coordinator_sets_the_countrys_rules(coordinator):
    rules = _set_rules(coordinator)
    assert (rules.country, rules.recovery_period_days) == ("KG", 60)
    assert rules.holidays == ["03-21", "2026-03-23"]
    assert _audited(AuditAction.COUNTRY_RULES_CHANGED) == 1


@pytest.mark.parametrize("who", ["case_worker", "org_admin", "decision_maker", "outsider"])
def test_only_the_countrys_coordinator_sets_its_rules(request, who):
    with pytest.raises(PermissionDenied):
        _set_rules(request.getfixturevalue(who))


def test_coordinator_cannot_set_another_countrys_rules(coordinator):
    with pytest.raises(PermissionDenied):
        _set_rules(coordinator, country="KZ")


@pytest.mark.parametrize("bad, field", [
    ({"recovery_period_days": 29}, "recovery_period_days"),
    ({"weekend": [1, 2, 3, 4, 5, 6, 7]}, "weekend"),
    ({"weekend": [8]}, "weekend"),
    ({"holidays": ["21 March"]}, "holidays"),
    ({"decision_deadline_days": 0}, "decision_deadline_days"),
])
def test_bad_rules_are_refused_and_nothing_written(coordinator, bad, field):
    with pytest.raises(ValidationError) as refused:
        _set_rules(coordinator, **bad)
    assert field in refused.value.message_dict
    assert not CountryRules.objects.exists()
    assert _audited(AuditAction.COUNTRY_RULES_CHANGED) == 0


# --- completing a screening (the logic itself is tested in test_logic.py) -----------------------

def _screen(viewer, case, answers, *, judgement, note="", **start):
    screening = services.screening_start(viewer=viewer, case=case, **start)
    services.screening_answer(viewer=viewer, screening=screening,
                              answers={code: (answer, "") for code, answer in answers.items()})
    return services.screening_complete(viewer=viewer, screening=screening, judgement=judgement,
                                       judgement_note=note)


ACT_MEANS_PURPOSE = {"test.act.recruited": "yes", "test.means.debt": "yes",
                     "test.purpose.forced_labour": "yes"}


def test_completing_keeps_the_computed_result_its_explanation_and_the_judgement(
        police_officer, catalogue):
    case = register(police_officer, given="Бакыт", family="Осмонов")
    screening = _screen(police_officer, case, ACT_MEANS_PURPOSE,
                        judgement=ScreeningResult.REASONABLE_GROUNDS)
    assert screening.status == ScreeningStatus.COMPLETED
    assert screening.computed_result == ScreeningResult.REASONABLE_GROUNDS
    assert screening.judgement == ScreeningResult.REASONABLE_GROUNDS
    explanation = logic.Assessment.from_json(screening.explanation)
    assert explanation.elements[Element.MEANS].yes == ["test.means.debt"]
    assert _audited(AuditAction.SCREENING_COMPLETED) == 1


def test_unanswered_questions_count_as_unknown_not_as_no(case_worker, aigul_case, catalogue):
    # Only one Means question is answered no; the other is unanswered, so Means is not known.
    screening = _screen(case_worker, aigul_case,
                        {**ACT_MEANS_PURPOSE, "test.means.debt": "no"},
                        judgement=ScreeningResult.MORE_INFORMATION)
    assert screening.computed_result == ScreeningResult.MORE_INFORMATION


def test_a_child_needs_no_means_and_a_disputed_age_counts_as_a_child(case_worker, aigul_case,
                                                                     catalogue):
    act_purpose = {"test.act.recruited": "yes", "test.purpose.forced_labour": "yes",
                   "test.means.debt": "no", "test.means.deception": "no"}
    adult = _screen(case_worker, aigul_case, act_purpose, judgement=ScreeningResult.INSUFFICIENT,
                    age_at_recruitment=25)
    child = _screen(case_worker, aigul_case, act_purpose,
                    judgement=ScreeningResult.REASONABLE_GROUNDS, age_at_recruitment=16)
    disputed = _screen(case_worker, aigul_case, act_purpose,
                       judgement=ScreeningResult.REASONABLE_GROUNDS, age_disputed=True)
    assert adult.computed_result == ScreeningResult.INSUFFICIENT
    assert child.computed_result == ScreeningResult.REASONABLE_GROUNDS
    assert disputed.computed_result == ScreeningResult.REASONABLE_GROUNDS


def test_a_judgement_is_required_and_one_that_differs_needs_its_reasons(case_worker, aigul_case,
                                                                         catalogue):
    screening = services.screening_start(viewer=case_worker, case=aigul_case)
    for judgement, note, field in (("", "", "judgement"), ("probably", "", "judgement"),
                                   (ScreeningResult.REASONABLE_GROUNDS, "", "judgement_note")):
        with pytest.raises(ValidationError) as refused:
            services.screening_complete(viewer=case_worker, screening=screening,
                                        judgement=judgement, judgement_note=note)
        assert field in refused.value.message_dict
    screening.refresh_from_db()
    assert screening.status == ScreeningStatus.IN_PROGRESS and not screening.computed_result
    services.screening_complete(viewer=case_worker, screening=screening,
                                judgement=ScreeningResult.REASONABLE_GROUNDS,
                                judgement_note="She described the debt in detail afterwards.")
    screening.refresh_from_db()
    assert screening.computed_result == ScreeningResult.MORE_INFORMATION
    assert screening.judgement == ScreeningResult.REASONABLE_GROUNDS


def test_a_completed_screening_can_no_longer_change(case_worker, aigul_case, catalogue):
    screening = _screen(case_worker, aigul_case, ACT_MEANS_PURPOSE,
                        judgement=ScreeningResult.REASONABLE_GROUNDS)
    with pytest.raises(ValidationError):
        services.screening_answer(viewer=case_worker, screening=screening,
                                  answers={"test.means.debt": ("no", "")})
    with pytest.raises(ValidationError):
        services.screening_complete(viewer=case_worker, screening=screening,
                                    judgement=ScreeningResult.INSUFFICIENT, judgement_note="x")


def test_outsider_cannot_complete_another_organisations_screening(case_worker, outsider,
                                                                  aigul_case, catalogue):
    screening = services.screening_start(viewer=case_worker, case=aigul_case)
    with pytest.raises(PermissionDenied):
        services.screening_complete(viewer=outsider, screening=screening,
                                    judgement=ScreeningResult.MORE_INFORMATION,
                                    judgement_note="")
