"""Stories of criminal proceedings as law enforcement records them: who may write, what is kept,
and what is refused with nothing written."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.justice import services
from nrm.justice.access import LAW_ENFORCEMENT_KINDS, works_on
from nrm.justice.choices import Stage
from nrm.justice.models import (
    CaseLink,
    Compensation,
    CriminalCase,
    Hearing,
    LegalAssistanceRequest,
    Offender,
    Participant,
    Qualification,
    StageChange,
)
from nrm.justice.selectors import current_qualification
from nrm.registry.inputs import ConsentInput
from nrm.registry.services import consent_record, consent_withdraw
from tests.conftest import _member, register


def audited(action: AuditAction) -> int:
    return AuditEntry.objects.filter(action=action).count()


def link_aigul(investigator, kz_case, aigul_case, **fields) -> Participant:
    return services.participant_link(viewer=investigator, criminal_case=kz_case,
                                     case_code=aigul_case.code, role="victim", **fields)


# Opening a case


def test_investigator_opens_a_case_with_its_first_qualification_and_stage(kz_case,
                                                                          kz_trafficking):
    assert kz_case.stage == Stage.PRELIMINARY_CHECK
    assert kz_case.stage_since == dt.date(2026, 2, 1)
    qualification = current_qualification(kz_case)
    assert qualification is not None
    assert list(qualification.articles.all()) == [kz_trafficking]
    assert list(kz_case.stage_changes.values_list("stage", "on")) == [
        (Stage.PRELIMINARY_CHECK, dt.date(2026, 2, 1))]
    assert audited(AuditAction.CRIMINAL_CASE_RECORDED) == 1


def test_articles_of_another_country_are_refused_with_nothing_written(investigator,
                                                                      kg_trafficking):
    with pytest.raises(ValidationError) as refused:
        services.criminal_case_open(
            viewer=investigator, country="KZ", number="2026-002",
            investigating_agency=investigator.membership.organisation,
            opened_on=dt.date(2026, 2, 1), article_ids=[kg_trafficking.pk])
    assert "article_ids" in refused.value.message_dict
    assert CriminalCase.objects.count() == Qualification.objects.count() == 0
    assert AuditEntry.objects.count() == 0


@pytest.mark.parametrize("who", ["case_worker", "outsider", "coordinator", "analyst"])
def test_only_law_enforcement_may_open_a_case(request, who, almaty_police, kz_trafficking):
    viewer = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        services.criminal_case_open(
            viewer=viewer, country="KZ", number="2026-003", investigating_agency=almaty_police,
            opened_on=dt.date(2026, 2, 1), article_ids=[kz_trafficking.pk])
    assert CriminalCase.objects.count() == 0


def test_a_police_officer_cannot_open_a_case_for_another_agency(kg_investigator, almaty_police,
                                                                kz_trafficking):
    with pytest.raises(PermissionDenied):
        services.criminal_case_open(
            viewer=kg_investigator, country="KZ", number="2026-004",
            investigating_agency=almaty_police, opened_on=dt.date(2026, 2, 1),
            article_ids=[kz_trafficking.pk])


def test_the_same_number_twice_in_one_country_is_refused(kz_case, investigator, kz_trafficking):
    with pytest.raises(ValidationError) as refused:
        services.criminal_case_open(
            viewer=investigator, country="KZ", number="2026-001",
            investigating_agency=investigator.membership.organisation,
            opened_on=dt.date(2026, 2, 2), article_ids=[kz_trafficking.pk])
    assert "number" in refused.value.message_dict
    assert CriminalCase.objects.count() == 1


def test_law_enforcement_kinds_are_the_directory_kinds():
    assert {str(kind) for kind in LAW_ENFORCEMENT_KINDS} == {
        "police", "prosecutor", "court", "border_service", "migration_service",
        "labour_inspectorate"}


# Who works on a case


def test_investigator_and_prosecutor_work_on_the_case(kz_case, investigator, prosecutor):
    assert works_on(investigator, kz_case)
    assert works_on(prosecutor, kz_case)


@pytest.mark.parametrize("who", ["case_worker", "outsider", "coordinator", "analyst",
                                 "kg_investigator"])
def test_no_one_else_may_write_to_the_case(request, who, kz_case):
    viewer = request.getfixturevalue(who)
    assert not works_on(viewer, kz_case)
    with pytest.raises(PermissionDenied):
        services.hearing_add(viewer=viewer, criminal_case=kz_case, on=dt.date(2026, 5, 1))
    with pytest.raises(PermissionDenied):
        services.stage_change(viewer=viewer, criminal_case=kz_case, stage=Stage.INVESTIGATION,
                              on=dt.date(2026, 2, 10))
    assert Hearing.objects.count() == 0
    assert StageChange.objects.count() == 1


# Qualification history


def test_requalification_keeps_every_version_with_its_articles(kz_case, investigator,
                                                               kz_trafficking, kz_related):
    first = current_qualification(kz_case)
    second = services.qualification_change(
        viewer=investigator, criminal_case=kz_case,
        article_ids=[kz_trafficking.pk, kz_related.pk], valid_from=dt.date(2026, 3, 1),
        reason="Evidence of confinement")
    versions = list(kz_case.qualifications.order_by("valid_from"))
    assert versions == [first, second]
    assert [set(v.articles.all()) for v in versions] == [{kz_trafficking},
                                                          {kz_trafficking, kz_related}]
    assert current_qualification(kz_case) == second
    assert second.reason == "Evidence of confinement"
    assert audited(AuditAction.QUALIFICATION_CHANGED) == 1


@pytest.mark.parametrize("valid_from, reason", [
    (dt.date(2026, 1, 15), "before the case was opened"),
    (dt.date.today() + dt.timedelta(days=3), "in the future"),
    (dt.date(2026, 3, 1), ""),
])
def test_requalification_refuses_bad_dates_and_missing_reasons(kz_case, investigator,
                                                               kz_related, valid_from, reason):
    with pytest.raises(ValidationError):
        services.qualification_change(viewer=investigator, criminal_case=kz_case,
                                      article_ids=[kz_related.pk], valid_from=valid_from,
                                      reason=reason)
    assert Qualification.objects.count() == 1
    assert audited(AuditAction.QUALIFICATION_CHANGED) == 0


# Stages


def test_stages_keep_their_dates_and_suspension_needs_a_reason(kz_case, prosecutor):
    services.stage_change(viewer=prosecutor, criminal_case=kz_case, stage=Stage.INVESTIGATION,
                          on=dt.date(2026, 2, 10))
    with pytest.raises(ValidationError) as refused:
        services.stage_change(viewer=prosecutor, criminal_case=kz_case, stage=Stage.SUSPENDED,
                              on=dt.date(2026, 3, 1))
    assert "reason" in refused.value.message_dict
    services.stage_change(viewer=prosecutor, criminal_case=kz_case, stage=Stage.SUSPENDED,
                          on=dt.date(2026, 3, 1), reason="Accused abroad")
    kz_case.refresh_from_db()
    assert (kz_case.stage, kz_case.stage_since) == (Stage.SUSPENDED, dt.date(2026, 3, 1))
    assert list(kz_case.stage_changes.values_list("stage", "on", "reason")) == [
        (Stage.PRELIMINARY_CHECK, dt.date(2026, 2, 1), ""),
        (Stage.INVESTIGATION, dt.date(2026, 2, 10), ""),
        (Stage.SUSPENDED, dt.date(2026, 3, 1), "Accused abroad"),
    ]
    assert audited(AuditAction.CRIMINAL_CASE_CHANGED) == 2


def test_closing_needs_a_reason_and_a_date_not_before_the_last_stage(kz_case, investigator):
    services.stage_change(viewer=investigator, criminal_case=kz_case, stage=Stage.INVESTIGATION,
                          on=dt.date(2026, 2, 10))
    with pytest.raises(ValidationError) as refused:
        services.stage_change(viewer=investigator, criminal_case=kz_case, stage=Stage.CLOSED,
                              on=dt.date(2026, 3, 1), reason="  ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.stage_change(viewer=investigator, criminal_case=kz_case, stage=Stage.CLOSED,
                              on=dt.date(2026, 2, 5), reason="No crime")
    assert "on" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.stage_change(viewer=investigator, criminal_case=kz_case, stage="finished",
                              on=dt.date(2026, 3, 1))
    kz_case.refresh_from_db()
    assert kz_case.stage == Stage.INVESTIGATION
    assert StageChange.objects.count() == 2


# Victims and witnesses


def test_linking_a_victim_of_an_ngo_needs_a_law_enforcement_consent(kz_case, investigator,
                                                                    aigul_case):
    with pytest.raises(ValidationError) as refused:
        link_aigul(investigator, kz_case, aigul_case)
    assert "consent" in refused.value.message_dict["case_code"][0]
    assert Participant.objects.count() == 0
    assert audited(AuditAction.PARTICIPANT_CHANGED) == 0


def test_linking_succeeds_with_the_consent_in_force(kz_case, investigator, aigul_case,
                                                    law_enforcement_consent):
    participant = link_aigul(investigator, kz_case, aigul_case, cooperation="cooperating",
                             legal_representative="Lawyer A.", interpreter=True)
    assert participant.case == aigul_case
    assert participant.legal_representative == "Lawyer A."
    entry = AuditEntry.objects.get(action=AuditAction.PARTICIPANT_CHANGED)
    assert entry.person_code == aigul_case.person.code


def test_a_withdrawn_or_refused_consent_does_not_allow_linking(kz_case, investigator, aigul_case,
                                                               case_worker,
                                                               law_enforcement_consent):
    consent_withdraw(viewer=case_worker, consent=law_enforcement_consent)
    with pytest.raises(ValidationError):
        link_aigul(investigator, kz_case, aigul_case)
    consent_record(viewer=case_worker, person=aigul_case.person,
                   consent=ConsentInput(purpose="law_enforcement", given=False, method="oral"))
    with pytest.raises(ValidationError):
        link_aigul(investigator, kz_case, aigul_case)
    assert Participant.objects.count() == 0


def test_the_police_may_link_a_person_their_own_organisation_registered(kz_case, investigator):
    own_case = register(investigator, given="Дина", family="Сарсенова")
    participant = services.participant_link(viewer=investigator, criminal_case=kz_case,
                                            case_code=own_case.code, role="witness")
    assert participant.role == "witness"


def test_unknown_code_bad_role_and_twice_linked_are_refused(kz_case, investigator, aigul_case,
                                                            law_enforcement_consent):
    with pytest.raises(ValidationError):
        services.participant_link(viewer=investigator, criminal_case=kz_case,
                                  case_code="AAAA-AAAA-A", role="victim")
    with pytest.raises(ValidationError):
        link_aigul(investigator, kz_case, aigul_case, cooperation="maybe")
    link_aigul(investigator, kz_case, aigul_case)
    with pytest.raises(ValidationError):
        link_aigul(investigator, kz_case, aigul_case)
    assert Participant.objects.count() == 1
    assert audited(AuditAction.PARTICIPANT_CHANGED) == 1


def test_participant_update_records_declining_with_a_reason(kz_case, investigator, aigul_case,
                                                            law_enforcement_consent):
    participant = link_aigul(investigator, kz_case, aigul_case)
    with pytest.raises(ValidationError):
        services.participant_update(viewer=investigator, participant=participant,
                                    declined_reason="Afraid")
    services.participant_update(viewer=investigator, participant=participant,
                                cooperation="declined", declined_reason="Afraid of reprisal",
                                psychologist=True)
    participant.refresh_from_db()
    assert (participant.cooperation, participant.declined_reason, participant.psychologist) == (
        "declined", "Afraid of reprisal", True)
    entry = AuditEntry.objects.filter(action=AuditAction.PARTICIPANT_CHANGED).latest("pk")
    assert set(entry.fields) == {"cooperation", "declined_reason", "psychologist"}


def test_the_ngo_case_worker_cannot_change_the_participation(kz_case, investigator, aigul_case,
                                                             case_worker,
                                                             law_enforcement_consent):
    participant = link_aigul(investigator, kz_case, aigul_case)
    with pytest.raises(PermissionDenied):
        services.participant_update(viewer=case_worker, participant=participant,
                                    cooperation="declined")


def test_unregistered_victims_are_counted_never_negative(kz_case, investigator):
    services.unregistered_victims_set(viewer=investigator, criminal_case=kz_case, count=3)
    with pytest.raises(ValidationError):
        services.unregistered_victims_set(viewer=investigator, criminal_case=kz_case, count=-1)
    kz_case.refresh_from_db()
    assert kz_case.unregistered_victims == 3


# Offenders


def test_offenders_are_recorded_pseudonymously_with_charges_and_outcome(kz_case, investigator,
                                                                        kz_trafficking):
    offender = services.offender_add(viewer=investigator, criminal_case=kz_case, label="O-1",
                                     sex="Masculine", birth_year=1980, citizenship="KZ",
                                     roles=["recruiter"], article_ids=[kz_trafficking.pk])
    assert [c.article for c in offender.charges.all()] == [kz_trafficking]
    services.offender_outcome(viewer=investigator, offender=offender, outcome="convicted",
                              outcome_on=dt.date(2026, 6, 1), sentence_months=96,
                              assets_confiscated="1500000", assets_currency="kzt")
    offender.refresh_from_db()
    assert (offender.outcome, offender.sentence_months, offender.assets_currency) == (
        "convicted", 96, "KZT")
    assert audited(AuditAction.OFFENDER_CHANGED) == 2


def test_bad_offenders_are_refused_with_nothing_written(kz_case, investigator, kg_trafficking):
    services.offender_add(viewer=investigator, criminal_case=kz_case, label="O-1",
                          roles=["exploiter"])
    bad = [
        {"label": "O-1", "roles": ["exploiter"]},
        {"label": "", "roles": ["exploiter"]},
        {"label": "O-2", "roles": []},
        {"label": "O-2", "roles": ["boss"]},
        {"label": "O-2", "roles": ["exploiter"], "citizenship": "XX"},
        {"label": "O-2", "roles": ["exploiter"], "article_ids": [kg_trafficking.pk]},
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            services.offender_add(viewer=investigator, criminal_case=kz_case, **fields)
    assert Offender.objects.count() == 1
    assert audited(AuditAction.OFFENDER_CHANGED) == 1


def test_an_acquitted_offender_has_no_sentence(kz_case, investigator):
    offender = services.offender_add(viewer=investigator, criminal_case=kz_case, label="O-1",
                                     roles=["exploiter"])
    with pytest.raises(ValidationError):
        services.offender_outcome(viewer=investigator, offender=offender, outcome="acquitted",
                                  outcome_on=dt.date(2026, 6, 1), sentence_months=12)
    with pytest.raises(ValidationError):
        services.offender_outcome(viewer=investigator, offender=offender, outcome="convicted",
                                  outcome_on=None)
    offender.refresh_from_db()
    assert offender.outcome == "pending"


# Links across borders and legal assistance


def test_cases_in_two_countries_are_linked_by_number(kz_case, kg_case, investigator):
    link = services.case_link(viewer=investigator, from_case=kz_case, to_country="KG",
                              to_number="2026-KG-7", note="Same recruiter")
    assert link.to_case == kg_case
    with pytest.raises(ValidationError):
        services.case_link(viewer=investigator, from_case=kz_case, to_case=kg_case)
    with pytest.raises(ValidationError):
        services.case_link(viewer=investigator, from_case=kz_case, to_country="KG",
                           to_number="nope")
    assert CaseLink.objects.count() == 1


def test_a_link_from_a_case_one_does_not_work_on_is_refused(kz_case, kg_case, investigator):
    with pytest.raises(PermissionDenied):
        services.case_link(viewer=investigator, from_case=kg_case, to_case=kz_case)


def test_legal_assistance_is_recorded_and_answered(kz_case, investigator):
    mla = services.legal_assistance_record(
        viewer=investigator, criminal_case=kz_case, requesting_country="KZ",
        requested_country="KG", subject="Interview of a witness", sent_on=dt.date(2026, 3, 1),
        answer_due_on=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError):
        services.legal_assistance_answer(viewer=investigator, request=mla,
                                         answered_on=dt.date(2026, 2, 1), outcome="executed")
    services.legal_assistance_answer(viewer=investigator, request=mla,
                                     answered_on=dt.date(2026, 3, 20), outcome="executed")
    mla.refresh_from_db()
    assert (mla.answered_on, mla.outcome) == (dt.date(2026, 3, 20), "executed")
    assert audited(AuditAction.LEGAL_ASSISTANCE_CHANGED) == 2


@pytest.mark.parametrize("fields", [
    {"requesting_country": "KZ", "requested_country": "KZ"},
    {"requesting_country": "TR", "requested_country": "AE"},
    {"requesting_country": "KZ", "requested_country": "QQ"},
    {"requesting_country": "KZ", "requested_country": "KG", "subject": ""},
    {"requesting_country": "KZ", "requested_country": "KG",
     "answer_due_on": dt.date(2026, 2, 1)},
])
def test_bad_legal_assistance_requests_are_refused(kz_case, investigator, fields):
    values = {"subject": "Bank records", "sent_on": dt.date(2026, 3, 1), **fields}
    with pytest.raises(ValidationError):
        services.legal_assistance_record(viewer=investigator, criminal_case=kz_case, **values)
    assert LegalAssistanceRequest.objects.count() == 0


# Compensation


@pytest.fixture
def aigul_participant(kz_case, investigator, aigul_case, law_enforcement_consent) -> Participant:
    return link_aigul(investigator, kz_case, aigul_case)


def test_compensation_is_recorded_by_the_victims_own_case_worker(aigul_participant,
                                                                 case_worker):
    compensation = services.compensation_record(
        viewer=case_worker, participant=aigul_participant, route="civil", currency="KZT",
        claimed=Decimal("500000"), claimed_on=dt.date(2026, 4, 1))
    services.compensation_update(viewer=case_worker, compensation=compensation, route="civil",
                                 currency="KZT", claimed=500000, claimed_on=dt.date(2026, 4, 1),
                                 awarded=300000, awarded_on=dt.date(2026, 6, 1), paid=100000)
    compensation.refresh_from_db()
    assert (compensation.awarded, compensation.paid) == (Decimal("300000"), Decimal("100000"))
    entries = AuditEntry.objects.filter(action=AuditAction.COMPENSATION_CHANGED)
    assert entries.count() == 2
    assert {e.person_code for e in entries} == {aigul_participant.case.person.code}


def test_compensation_by_the_investigator_and_refused_to_others(aigul_participant, investigator,
                                                                outsider, kg_investigator):
    services.compensation_record(viewer=investigator, participant=aigul_participant,
                                 route="criminal", currency="KZT", awarded=1000)
    for viewer in (outsider, kg_investigator):
        with pytest.raises(PermissionDenied):
            services.compensation_record(viewer=viewer, participant=aigul_participant,
                                         route="criminal", currency="KZT", awarded=1000)
    assert Compensation.objects.count() == 1


@pytest.mark.parametrize("fields, field", [
    ({"awarded": 100, "paid": 150}, "paid"),
    ({"claimed": -5}, "claimed"),
    ({"awarded": "a lot"}, "awarded"),
    ({"currency": "XYZ"}, "currency"),
    ({"currency": "tenge"}, "currency"),
    ({"route": "lottery"}, "route"),
    ({"paid": 10, "paid_on": dt.date.today() + dt.timedelta(days=2)}, "paid_on"),
])
def test_bad_compensation_is_refused_with_nothing_written(aigul_participant, case_worker,
                                                          fields, field):
    values = {"route": "civil", "currency": "KZT", **fields}
    with pytest.raises(ValidationError) as refused:
        services.compensation_record(viewer=case_worker, participant=aigul_participant, **values)
    assert field in refused.value.message_dict
    assert Compensation.objects.count() == 0
    assert audited(AuditAction.COMPENSATION_CHANGED) == 0


def test_a_supervisor_of_another_ngo_in_the_same_org_kind_is_refused(aigul_participant,
                                                                     almaty_ngo):
    stranger = _member("erlan", almaty_ngo, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.compensation_record(viewer=stranger, participant=aigul_participant,
                                     route="civil", currency="KZT")


# Every write leaves one audit entry


def test_every_write_leaves_one_audit_entry_of_its_kind(aigul_participant, kz_case, kg_case,
                                                        investigator, kz_related):
    offender = services.offender_add(viewer=investigator, criminal_case=kz_case, label="O-9",
                                     roles=["exploiter"])
    mla = services.legal_assistance_record(
        viewer=investigator, criminal_case=kz_case, requesting_country="KZ",
        requested_country="KG", subject="Records", sent_on=dt.date(2026, 3, 1))
    compensation = services.compensation_record(viewer=investigator,
                                                participant=aigul_participant,
                                                route="criminal", currency="KZT")
    writes = [
        (AuditAction.QUALIFICATION_CHANGED, lambda: services.qualification_change(
            viewer=investigator, criminal_case=kz_case, article_ids=[kz_related.pk],
            valid_from=dt.date(2026, 3, 1), reason="Reclassified")),
        (AuditAction.CRIMINAL_CASE_CHANGED, lambda: services.stage_change(
            viewer=investigator, criminal_case=kz_case, stage=Stage.INVESTIGATION,
            on=dt.date(2026, 3, 2))),
        (AuditAction.CRIMINAL_CASE_CHANGED, lambda: services.hearing_add(
            viewer=investigator, criminal_case=kz_case, on=dt.date(2026, 7, 1))),
        (AuditAction.CRIMINAL_CASE_CHANGED, lambda: services.unregistered_victims_set(
            viewer=investigator, criminal_case=kz_case, count=2)),
        (AuditAction.CRIMINAL_CASE_CHANGED, lambda: services.case_link(
            viewer=investigator, from_case=kz_case, to_case=kg_case)),
        (AuditAction.PARTICIPANT_CHANGED, lambda: services.participant_update(
            viewer=investigator, participant=aigul_participant, interpreter=True)),
        (AuditAction.OFFENDER_CHANGED, lambda: services.offender_outcome(
            viewer=investigator, offender=offender, outcome="at_large",
            outcome_on=dt.date(2026, 4, 1))),
        (AuditAction.LEGAL_ASSISTANCE_CHANGED, lambda: services.legal_assistance_answer(
            viewer=investigator, request=mla, answered_on=dt.date(2026, 4, 1),
            outcome="refused")),
        (AuditAction.COMPENSATION_CHANGED, lambda: services.compensation_update(
            viewer=investigator, compensation=compensation, route="criminal", currency="KZT",
            claimed=100)),
    ]
    for action, write in writes:
        before = AuditEntry.objects.count()
        write()
        latest = AuditEntry.objects.latest("pk")
        assert AuditEntry.objects.count() == before + 1, action
        assert (latest.action, latest.actor, latest.organisation_id) == (
            action, investigator.user, investigator.organisation_id)
