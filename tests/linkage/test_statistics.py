"""Statistics count unique persons: Айгуль, registered by Safe Home in Bishkek and again by
Tendesh in Osh, identified under both records, is two persons until a reviewer decides the two
records are one person, and one person after; undoing the decision makes her two again."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.identification.choices import VictimStatus
from nrm.identification.figures import identification_figures
from nrm.identification.models import StatusDecision
from nrm.justice.choices import Cooperation, ParticipantRole
from nrm.justice.services import criminal_case_open, participant_link
from nrm.linkage.models import Verdict
from nrm.linkage.services import pair_decide, pair_decision_undo
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case
from nrm.registry.services import consent_record
from nrm.statistics.one_count import LINKED, NOT_LINKED, PERSONS, REGISTERED, one_count
from tests.identification.conftest import commission, decision_maker  # noqa: F401
from tests.justice.conftest import bishkek_police, kg_investigator, kg_trafficking  # noqa: F401
from tests.linkage.conftest import finished_run, found, pair_of

pytestmark = pytest.mark.django_db


def _identify(case: Case, authority, maker, status: str = VictimStatus.PRESUMED,
              days: int = 10) -> StatusDecision:
    # Written straight to the table, as the figures' own tests do: the figures read it.
    return StatusDecision.objects.create(
        case=case, competent_authority=authority, decided_by=maker.user, status=status,
        decided_on=case.opened_on + dt.timedelta(days=days), reasons="synthetic",
        legal_basis="Law on combating trafficking, art. 12")


@pytest.fixture
def identified_twice(coordinator, commission, decision_maker, aigul_case,  # noqa: F811
                     aigul_at_tendesh):
    """Both of Айгуль's records identified: presumed at Safe Home, identified at Tendesh."""
    _identify(aigul_case, commission, decision_maker, VictimStatus.PRESUMED)
    _identify(aigul_at_tendesh, commission, decision_maker, VictimStatus.IDENTIFIED, days=20)
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    return pair_of(aigul_case, aigul_at_tendesh)


def _identified(analyst) -> int | None:
    report = one_count(viewer=analyst, country="KG", since=None, until=None, threshold=1)
    return report.identified_persons.total


def test_two_records_of_one_person_count_twice_until_linked_then_once(
        identified_twice, coordinator, analyst):
    assert _identified(analyst) == 2
    pair_decide(viewer=coordinator, pair=identified_twice, verdict=Verdict.SAME)
    assert _identified(analyst) == 1
    report = one_count(viewer=analyst, country="KG", since=None, until=None, threshold=1)
    # Once, by the highest status either record reached.
    assert report.identified_persons.value(VictimStatus.IDENTIFIED, PERSONS) == 1
    pair_decision_undo(viewer=coordinator, pair=identified_twice)
    assert _identified(analyst) == 2


def test_records_decided_different_stay_two_persons(identified_twice, coordinator, analyst):
    pair_decide(viewer=coordinator, pair=identified_twice, verdict=Verdict.DIFFERENT)
    assert _identified(analyst) == 2


def test_a_person_in_a_criminal_case_under_one_record_is_linked_under_both(
        identified_twice, coordinator, analyst, aigul_case, aigul_at_tendesh, case_worker,
        kg_investigator, kg_trafficking):  # noqa: F811
    consent_record(viewer=case_worker, person=aigul_case.person,
                   consent=ConsentInput(purpose="law_enforcement", given=True, method="written"))
    criminal_case = criminal_case_open(
        viewer=kg_investigator, country="KG", number="KG-77",
        investigating_agency=kg_investigator.membership.organisation,
        opened_on=dt.date(2026, 3, 1), article_ids=[kg_trafficking.pk])
    participant_link(viewer=kg_investigator, criminal_case=criminal_case,
                     case_code=aigul_case.code, role=ParticipantRole.VICTIM,
                     cooperation=Cooperation.COOPERATING)
    before = one_count(viewer=analyst, country="KG", since=None, until=None, threshold=1)
    assert before.identified_linked.value(LINKED, PERSONS) == 1
    assert before.identified_linked.value(NOT_LINKED, PERSONS) == 1
    pair_decide(viewer=coordinator, pair=identified_twice, verdict=Verdict.SAME)
    after = one_count(viewer=analyst, country="KG", since=None, until=None, threshold=1)
    assert after.identified_linked.value(LINKED, PERSONS) == 1
    assert after.identified_linked.value(NOT_LINKED, PERSONS) == 0


def test_two_records_in_criminal_cases_are_one_registered_person_once_linked(
        coordinator, analyst, case_worker, outsider, aigul_case, aigul_at_tendesh,
        kg_investigator, kg_trafficking):  # noqa: F811
    for viewer, case in ((case_worker, aigul_case), (outsider, aigul_at_tendesh)):
        consent_record(viewer=viewer, person=case.person,
                       consent=ConsentInput(purpose="law_enforcement", given=True,
                                            method="written"))
    criminal_case = criminal_case_open(
        viewer=kg_investigator, country="KG", number="KG-78",
        investigating_agency=kg_investigator.membership.organisation,
        opened_on=dt.date(2026, 3, 1), article_ids=[kg_trafficking.pk])
    for case in (aigul_case, aigul_at_tendesh):
        participant_link(viewer=kg_investigator, criminal_case=criminal_case,
                         case_code=case.code, role=ParticipantRole.VICTIM,
                         cooperation=Cooperation.COOPERATING)

    def registered() -> int | None:
        report = one_count(viewer=analyst, country="KG", since=None, until=None, threshold=1)
        return report.persons_in_criminal_cases.value(REGISTERED, PERSONS)

    assert registered() == 2
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    pair_decide(viewer=coordinator, pair=pair_of(aigul_case, aigul_at_tendesh),
                verdict=Verdict.SAME)
    assert registered() == 1


def test_identification_figures_count_a_linked_person_once(identified_twice, coordinator,
                                                           analyst):
    def persons_decided() -> int | None:
        figures = identification_figures(viewer=analyst, threshold=1)
        return figures.days_to_first_decision["sex"].counts.total

    assert persons_decided() == 2
    pair_decide(viewer=coordinator, pair=identified_twice, verdict=Verdict.SAME)
    assert persons_decided() == 1
    # Her first decision is the earlier one, taken under the Safe Home record.
    figures = identification_figures(viewer=analyst, threshold=1)
    assert figures.days_to_first_decision["sex"].median == 10.0
