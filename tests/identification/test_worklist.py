"""What is due: screenings in progress, decisions overdue, recovery periods ending within a
week and appeals pending, each for the people who must act, at a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nrm.identification import services
from nrm.identification.choices import VictimStatus
from nrm.identification.models import DecisionRequest, StatusDecision
from nrm.identification.selectors import worklist_for_viewer
from tests.conftest import register

TODAY = timezone.localdate


def _refer(case_worker, commission, case, *, days_ago: int):
    request = services.decision_request(viewer=case_worker, case=case,
                                        competent_authority=commission)
    DecisionRequest.objects.filter(pk=request.pk).update(
        requested_on=TODAY() - dt.timedelta(days=days_ago + 30),
        due_on=TODAY() - dt.timedelta(days=days_ago))
    return request


def _decide(decision_maker, case, status=VictimStatus.PRESUMED):
    return services.status_decide(viewer=decision_maker, case=case, status=status,
                                  decided_on=TODAY() - dt.timedelta(days=2), reasons="r",
                                  legal_basis="l")


@pytest.fixture
def busy_week(case_worker, decision_maker, commission, catalogue):
    """Five cases of Safe Home, each at a different point of identification."""
    screened = register(case_worker, given="Айгуль", family="Мамытова")
    screening = services.screening_start(viewer=case_worker, case=screened)

    overdue = register(case_worker, given="Бермет", family="Исакова")
    _refer(case_worker, commission, overdue, days_ago=3)
    not_yet_due = register(case_worker, given="Чолпон", family="Кадырова")
    _refer(case_worker, commission, not_yet_due, days_ago=-4)

    ending = register(case_worker, given="Динара", family="Жумабаева")
    _refer(case_worker, commission, ending, days_ago=0)
    ending_decision = _decide(decision_maker, ending)
    StatusDecision.objects.filter(pk=ending_decision.pk).update(
        recovery_period_ends=TODAY() + dt.timedelta(days=3))
    far = register(case_worker, given="Мээрим", family="Абдыкадырова")
    _refer(case_worker, commission, far, days_ago=0)
    _decide(decision_maker, far)  # 30 days away: not news yet

    appealed = register(case_worker, given="Асель", family="Бекова")
    _refer(case_worker, commission, appealed, days_ago=0)
    refused = _decide(decision_maker, appealed, status=VictimStatus.NOT_A_VICTIM)
    appeal = services.appeal_lodge(viewer=case_worker, decision=refused, lodged_on=TODAY(),
                                   body="Court", grounds="g")
    return {"screening": screening, "overdue": overdue, "ending": ending_decision,
            "appeal": appeal}


def test_case_worker_sees_what_is_due_on_their_cases(case_worker, busy_week):
    worklist = worklist_for_viewer(viewer=case_worker)
    assert worklist.screenings_in_progress == [busy_week["screening"]]
    assert [request.case for request in worklist.decisions_overdue] == [busy_week["overdue"]]
    assert worklist.recovery_ending_soon == [busy_week["ending"]]
    assert worklist.appeals_pending == [busy_week["appeal"]]


def test_decision_maker_sees_overdue_decisions_ending_periods_and_appeals(decision_maker,
                                                                         busy_week):
    worklist = worklist_for_viewer(viewer=decision_maker)
    assert worklist.screenings_in_progress == []
    assert [request.case for request in worklist.decisions_overdue] == [busy_week["overdue"]]
    assert worklist.recovery_ending_soon == [busy_week["ending"]]
    assert worklist.appeals_pending == [busy_week["appeal"]]


def test_a_colleague_sees_only_their_own_screenings_and_a_supervisor_all(colleague, supervisor,
                                                                        busy_week):
    assert worklist_for_viewer(viewer=colleague).screenings_in_progress == []
    assert worklist_for_viewer(viewer=supervisor).screenings_in_progress == [
        busy_week["screening"]]


def test_a_replaced_decisions_recovery_period_is_not_listed(case_worker, decision_maker,
                                                            busy_week):
    ending = busy_week["ending"]
    services.status_decide(viewer=decision_maker, case=ending.case,
                           status=VictimStatus.NOT_A_VICTIM, decided_on=TODAY(), reasons="r",
                           legal_basis="l")
    assert worklist_for_viewer(viewer=case_worker).recovery_ending_soon == []


@pytest.mark.parametrize("who", ["outsider", "coordinator", "analyst", "foreign_case_worker"])
def test_others_see_nothing_of_it(request, who, busy_week):
    assert worklist_for_viewer(viewer=request.getfixturevalue(who)).is_empty


def test_the_worklist_costs_four_queries_however_long(case_worker, decision_maker, commission,
                                                      busy_week):
    def shown(viewer) -> int:
        with CaptureQueriesContext(connection) as queries:
            worklist = worklist_for_viewer(viewer=viewer)
            lines = [(s.case.person.code, s.screener.username)
                     for s in worklist.screenings_in_progress]
            lines += [(r.case.person.code, r.competent_authority.name)
                      for r in worklist.decisions_overdue]
            lines += [(d.case.person.code, d.competent_authority.name)
                      for d in worklist.recovery_ending_soon]
            lines += [(a.decision.case.person.code, a.decision.competent_authority.name)
                      for a in worklist.appeals_pending]
        assert lines
        return len(queries)

    before = shown(case_worker)
    for number in range(3):
        case = register(case_worker, given=f"Тест{number}", family="Тестова")
        services.screening_start(viewer=case_worker, case=case)
        _refer(case_worker, commission, case, days_ago=1)
    assert shown(case_worker) == before == 4
    assert shown(decision_maker) == 4
