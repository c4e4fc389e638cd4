"""Who sees what of identification: the case's organisation sees everything; a decision maker
sees a case referred to their authority, by code only; everyone else gets 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification import selectors, services
from nrm.identification.choices import AppealOutcome, DecisionRequestStatus, VictimStatus
from nrm.identification.models import DecisionRequest, IndicatorCatalogue
from nrm.registry.models import Case
from nrm.registry.selectors import identity_for_viewer
from tests.conftest import _member, register

TODAY = timezone.localdate


@pytest.fixture
def referred_case(aigul_case, case_worker, commission) -> Case:
    services.decision_request(viewer=case_worker, case=aigul_case, competent_authority=commission)
    DecisionRequest.objects.update(requested_on=TODAY() - dt.timedelta(days=20))
    return aigul_case


@pytest.fixture
def screening(case_worker, referred_case, catalogue):
    return services.screening_start(viewer=case_worker, case=referred_case,
                                    indicator_set="adult_labour")


def test_decision_maker_sees_a_referred_case_but_not_the_persons_identity(
        decision_maker, referred_case):
    case = selectors.case_for_identification(viewer=decision_maker, code=referred_case.code)
    assert case == referred_case
    assert identity_for_viewer(viewer=decision_maker, person=case.person) is None
    assert AuditEntry.objects.filter(action=AuditAction.CASE_READ, actor=decision_maker.user,
                                     person_code=case.person.code).count() == 1


def test_decision_maker_sees_nothing_of_a_case_not_referred(decision_maker, case_worker):
    case = register(case_worker, given="Жылдыз", family="Сатыбалдиева")
    with pytest.raises(Http404):
        selectors.case_for_identification(viewer=decision_maker, code=case.code)
    with pytest.raises(Http404):
        selectors.decisions_for_case(viewer=decision_maker, case=case)
    assert not AuditEntry.objects.filter(action=AuditAction.CASE_READ,
                                         actor=decision_maker.user).exists()


def test_the_case_organisation_and_the_coordinator_see_the_case(case_worker, coordinator,
                                                                referred_case):
    for viewer in (case_worker, coordinator):
        assert selectors.case_for_identification(viewer=viewer,
                                                 code=referred_case.code) == referred_case


@pytest.fixture
def tendesh_decision_maker(tendesh):
    return _member("elmira", tendesh, Role.DECISION_MAKER)


@pytest.fixture
def other_authority_decision_maker(db):
    """A decision maker of a competent authority the case was never referred to."""
    other = Organisation.objects.create(name="Osh Commission", kind=OrganisationKind.OTHER,
                                        country="KG", is_competent_authority=True)
    return _member("almaz", other, Role.DECISION_MAKER)


@pytest.fixture
def decided_case(decision_maker, referred_case, screening) -> Case:
    services.status_decide(viewer=decision_maker, case=referred_case,
                           status=VictimStatus.PRESUMED, decided_on=TODAY(), reasons="r",
                           legal_basis="l")
    return referred_case


@pytest.mark.parametrize("who", ["outsider", "analyst", "foreign_case_worker",
                                 "tendesh_decision_maker", "other_authority_decision_maker"])
def test_outsider_gets_404_from_every_selector(request, who, decided_case, screening):
    viewer = request.getfixturevalue(who)
    referred_case = decided_case
    with pytest.raises(Http404):
        selectors.case_for_identification(viewer=viewer, code=referred_case.code)
    with pytest.raises(Http404):
        selectors.screenings_for_case(viewer=viewer, case=referred_case)
    with pytest.raises(Http404):
        selectors.screening_for_viewer(viewer=viewer, pk=screening.pk)
    with pytest.raises(Http404):
        selectors.decisions_for_case(viewer=viewer, case=referred_case)
    with pytest.raises(Http404):
        selectors.requests_for_case(viewer=viewer, case=referred_case)
    assert not selectors.requests_for_authority(viewer=viewer).exists()
    assert selectors.worklist_for_viewer(viewer=viewer).is_empty
    assert not AuditEntry.objects.filter(actor=viewer.user).exists()


def test_a_bad_code_is_404(case_worker):
    with pytest.raises(Http404):
        selectors.case_for_identification(viewer=case_worker, code="not a code")


def test_reading_a_screening_is_audited(decision_maker, screening):
    assert selectors.screening_for_viewer(viewer=decision_maker, pk=screening.pk) == screening
    assert AuditEntry.objects.filter(action=AuditAction.SCREENING_READ,
                                     object_id=str(screening.pk)).count() == 1


def test_a_screening_asks_only_its_set_and_its_countrys_questions(screening):
    codes = set(selectors.indicators_for_screening(screening=screening)
                .values_list("code", flat=True))
    assert "test.ilo.confiscated_documents" in codes
    assert "test.ilo.child_begging" not in codes
    assert "test.kz.only" not in codes
    assert "test.act.recruited" in codes


def test_decision_history_with_appeals_costs_a_fixed_number_of_queries(
        case_worker, decision_maker, referred_case):
    refused = services.status_decide(viewer=decision_maker, case=referred_case,
                                     status=VictimStatus.NOT_A_VICTIM,
                                     decided_on=TODAY() - dt.timedelta(days=5), reasons="r",
                                     legal_basis="l")
    appeal = services.appeal_lodge(viewer=case_worker, decision=refused, lodged_on=TODAY(),
                                   body="Court", grounds="g")
    services.appeal_decide(viewer=decision_maker, appeal=appeal,
                           outcome=AppealOutcome.OVERTURNED, outcome_on=TODAY(),
                           new_status=VictimStatus.PRESUMED, reasons="r2", legal_basis="l2")
    with CaptureQueriesContext(connection) as queries:
        history = list(selectors.decisions_for_case(viewer=case_worker, case=referred_case))
        shown = [(d.status, [a.outcome for a in d.appeals.all()], d.replaces,
                  getattr(d, "from_appeal", None), d.competent_authority.name,
                  list(d.screenings.all())) for d in history]
    assert [row[0] for row in shown] == [VictimStatus.NOT_A_VICTIM, VictimStatus.PRESUMED]
    assert shown[0][1] == [AppealOutcome.OVERTURNED]
    assert shown[1][2] == refused and shown[1][3] == appeal
    assert len(queries) <= 5


def test_requests_for_the_authority_list_those_awaiting_first_by_due_date(
        case_worker, decision_maker, commission, referred_case):
    later = register(case_worker, given="Нурия", family="Асанова")
    sooner = register(case_worker, given="Гульмира", family="Токтогулова")
    for case, due in ((later, 9), (sooner, 2)):
        request = services.decision_request(viewer=case_worker, case=case,
                                            competent_authority=commission)
        DecisionRequest.objects.filter(pk=request.pk).update(
            due_on=TODAY() + dt.timedelta(days=due))
    services.status_decide(viewer=decision_maker, case=referred_case,
                           status=VictimStatus.PRESUMED, decided_on=TODAY(), reasons="r",
                           legal_basis="l")
    rows = list(selectors.requests_for_authority(viewer=decision_maker))
    assert [row.case for row in rows] == [sooner, later, referred_case]
    assert rows[-1].status == DecisionRequestStatus.DECIDED
    # A case worker is not an authority: no requests to decide.
    assert not selectors.requests_for_authority(viewer=case_worker).exists()


def test_old_catalogue_versions_stay_readable(catalogue):
    old = IndicatorCatalogue.objects.create(version="test-0", title="Old",
                                            published_on=dt.date(2025, 1, 1))
    assert selectors.current_catalogue() == catalogue
    assert len(selectors.current_catalogue().indicators.all()) == 9
    assert selectors.catalogue_for_version("test-0") == old
    with pytest.raises(Http404):
        selectors.catalogue_for_version("no-such-version")
