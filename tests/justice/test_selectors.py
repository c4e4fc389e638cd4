"""Who reads what of criminal proceedings: law enforcement on the case reads it all; the victim's
case worker reads only what concerns their own person."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from django.http import Http404

from nrm.core.models import AuditAction, AuditEntry
from nrm.justice import services
from nrm.justice.choices import Stage
from nrm.justice.models import Participant
from nrm.justice.selectors import (
    VictimView,
    criminal_case_for_viewer,
    criminal_cases_for_viewer,
    current_qualification,
    legal_assistance_overdue,
    victim_view_for_case,
)
from tests.conftest import register


def test_each_agency_lists_only_the_cases_it_works_on(kz_case, kg_case, investigator, prosecutor,
                                                      kg_investigator):
    assert list(criminal_cases_for_viewer(viewer=investigator)) == [kz_case]
    assert list(criminal_cases_for_viewer(viewer=prosecutor)) == [kz_case]
    assert list(criminal_cases_for_viewer(viewer=kg_investigator)) == [kg_case]


@pytest.mark.parametrize("who", ["case_worker", "outsider", "coordinator", "analyst",
                                 "kg_investigator"])
def test_others_neither_list_nor_open_the_case(request, who, kz_case):
    viewer = request.getfixturevalue(who)
    assert kz_case not in criminal_cases_for_viewer(viewer=viewer)
    with pytest.raises(Http404):
        criminal_case_for_viewer(viewer=viewer, pk=kz_case.pk)
    assert not AuditEntry.objects.filter(action=AuditAction.CRIMINAL_CASE_READ).exists()


def test_opening_a_case_is_audited_and_takes_fixed_queries(kz_case, investigator, aigul_case,
                                                           law_enforcement_consent,
                                                           django_assert_max_num_queries):
    services.participant_link(viewer=investigator, criminal_case=kz_case,
                              case_code=aigul_case.code, role="victim")
    services.participant_link(viewer=investigator, criminal_case=kz_case,
                              case_code=register(investigator, given="Дина").code, role="witness")
    for label in ("O-1", "O-2", "O-3"):
        services.offender_add(viewer=investigator, criminal_case=kz_case, label=label,
                              roles=["recruiter"], article_ids=[kz_case.qualifications.get()
                                                                .articles.get().pk])
    # One query per kind of record, however many records: not one per row.
    with django_assert_max_num_queries(12):
        opened = criminal_case_for_viewer(viewer=investigator, pk=kz_case.pk)
        qualification = current_qualification(opened)
        assert qualification is not None
        assert [a.number for a in qualification.articles.all()] == ["128"]
        assert [o.label for o in opened.offenders.all()] == ["O-1", "O-2", "O-3"]
        assert {c.article.number for o in opened.offenders.all() for c in o.charges.all()} == {
            "128"}
        assert len({p.case.person.code for p in opened.participants.all()}) == 2
    entry = AuditEntry.objects.get(action=AuditAction.CRIMINAL_CASE_READ)
    assert entry.actor == investigator.user
    assert entry.object_id == str(kz_case.pk)


def test_the_current_qualification_is_the_latest_version(kz_case, investigator, kz_related):
    services.qualification_change(viewer=investigator, criminal_case=kz_case,
                                  article_ids=[kz_related.pk], valid_from=dt.date(2026, 4, 1),
                                  reason="Trafficking not proven")
    opened = criminal_case_for_viewer(viewer=investigator, pk=kz_case.pk)
    qualification = current_qualification(opened)
    assert qualification is not None
    assert [a.number for a in qualification.articles.all()] == ["126"]
    assert opened.qualifications.count() == 2


# The victim's case worker


@pytest.fixture
def aigul_in_kz_case(kz_case, investigator, aigul_case, law_enforcement_consent) -> Participant:
    """Айгуль, a victim in the Kazakh case, cooperating, with a hearing past and one to come,
    a civil claim, beside another victim and an offender she must never learn of here."""
    participant = services.participant_link(viewer=investigator, criminal_case=kz_case,
                                            case_code=aigul_case.code, role="victim_witness",
                                            cooperation="cooperating")
    other = register(investigator, given="Дина", family="Сарсенова")
    services.participant_link(viewer=investigator, criminal_case=kz_case, case_code=other.code,
                              role="victim")
    services.offender_add(viewer=investigator, criminal_case=kz_case, label="O-1",
                          roles=["recruiter"])
    services.stage_change(viewer=investigator, criminal_case=kz_case, stage=Stage.TRIAL,
                          on=dt.date(2026, 5, 1))
    services.hearing_add(viewer=investigator, criminal_case=kz_case, on=dt.date(2026, 5, 20),
                         court="Almaly District Court")
    services.hearing_add(viewer=investigator, criminal_case=kz_case,
                         on=dt.date.today() + dt.timedelta(days=30))
    services.compensation_record(viewer=investigator, participant=participant, route="civil",
                                 currency="KZT", claimed=800000, claimed_on=dt.date(2026, 5, 2))
    return participant


def test_the_ngo_case_worker_sees_stage_hearings_and_compensation_of_their_person(
    aigul_in_kz_case, aigul_case, case_worker
):
    [view] = victim_view_for_case(viewer=case_worker, case=aigul_case)
    assert (view.country, view.stage, view.stage_since) == ("KZ", Stage.TRIAL,
                                                            dt.date(2026, 5, 1))
    assert view.past_hearings == (dt.date(2026, 5, 20),)
    assert view.upcoming_hearings == (dt.date.today() + dt.timedelta(days=30),)
    assert (view.role, view.cooperation) == ("victim_witness", "cooperating")
    [claim] = view.compensations
    assert (claim.route, claim.currency, int(claim.claimed or 0)) == ("civil", "KZT", 800000)
    entry = AuditEntry.objects.get(action=AuditAction.CRIMINAL_CASE_READ)
    assert entry.person_code == aigul_case.person.code


def test_the_victim_view_never_carries_offenders_others_or_the_qualification(
    aigul_in_kz_case, aigul_case, case_worker
):
    names = {field.name for field in dataclasses.fields(VictimView)}
    for secret in ("offenders", "participants", "qualification", "articles", "links",
                   "legal_assistance", "number", "investigating_agency", "criminal_case"):
        assert not any(secret in name for name in names), secret
    [view] = victim_view_for_case(viewer=case_worker, case=aigul_case)
    # Its own participant id is what the NGO holds; on PostgreSQL it can be 128, the article.
    shown = repr(dataclasses.replace(view, participant_id=0))
    for secret in ("O-1", "recruiter", "128", "2026-001", "Сарсенова", "Almaty"):
        assert secret not in shown


@pytest.mark.parametrize("who", ["outsider", "investigator", "coordinator", "analyst",
                                 "foreign_case_worker"])
def test_only_the_persons_own_case_workers_get_the_victim_view(request, who, aigul_in_kz_case,
                                                               aigul_case):
    viewer = request.getfixturevalue(who)
    with pytest.raises(Http404):
        victim_view_for_case(viewer=viewer, case=aigul_case)


def test_a_case_worker_sees_nothing_when_the_person_takes_no_part(aigul_case, case_worker):
    assert victim_view_for_case(viewer=case_worker, case=aigul_case) == []


@pytest.fixture
def aigul_in_two_countries(aigul_in_kz_case, kg_case, kg_investigator,
                           aigul_case) -> list[Participant]:
    """Айгуль, registered once in Bishkek, a victim in a Kazakh and a Kyrgyz criminal case."""
    in_kg = services.participant_link(viewer=kg_investigator, criminal_case=kg_case,
                                      case_code=aigul_case.code, role="victim")
    return [aigul_in_kz_case, in_kg]


def test_one_person_in_two_countries_cases_is_one_person_and_two_participations(
    aigul_in_two_countries, aigul_case, case_worker
):
    views = victim_view_for_case(viewer=case_worker, case=aigul_case)
    assert sorted(view.country for view in views) == ["KG", "KZ"]
    participations = Participant.objects.filter(case__person=aigul_case.person)
    assert participations.count() == 2
    assert participations.values("case__person").distinct().count() == 1


# Legal assistance


def test_overdue_requests_for_legal_assistance_are_listed_for_the_case_s_agencies(
    kz_case, kg_case, investigator, prosecutor, kg_investigator
):
    today = dt.date.today()

    def send(viewer, criminal_case, subject, due, to="TR"):
        return services.legal_assistance_record(
            viewer=viewer, criminal_case=criminal_case, requesting_country=criminal_case.country,
            requested_country=to, subject=subject, sent_on=dt.date(2026, 3, 2),
            answer_due_on=due)

    overdue = send(investigator, kz_case, "Bank records", today - dt.timedelta(days=1))
    answered = send(investigator, kz_case, "Hotel register", today - dt.timedelta(days=5))
    services.legal_assistance_answer(viewer=investigator, request=answered, answered_on=today,
                                     outcome="partly_executed")
    send(investigator, kz_case, "Witness interview", today + dt.timedelta(days=10))
    send(investigator, kz_case, "No deadline", None)
    send(kg_investigator, kg_case, "Phone records", today - dt.timedelta(days=3), to="KZ")
    assert list(legal_assistance_overdue(viewer=investigator)) == [overdue]
    assert list(legal_assistance_overdue(viewer=prosecutor)) == [overdue]
    assert [r.subject for r in legal_assistance_overdue(viewer=kg_investigator)] == [
        "Phone records"]
