"""The one-count report: a person is counted once however many criminal cases they are in, the
cases by their current qualification, and nobody who works with persons reads it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from nrm.justice.choices import Cooperation, ParticipantRole
from nrm.justice.services import criminal_case_open, participant_link, qualification_change
from nrm.statistics.one_count import (
    NOT_QUALIFIED,
    NOT_REGISTERED,
    PERSONS,
    REGISTERED,
    RELATED_ONLY,
    TRAFFICKING,
    one_count,
    sentence_band,
)


@pytest.fixture
def aigul_in_two_countries(aigul_case, law_enforcement_consent, investigator, kg_investigator,
                           articles):
    """Айгуль, registered by Safe Home, a victim in a Kazakh and a Kyrgyz criminal case."""
    kz = criminal_case_open(viewer=investigator, country="KZ", number="KZ-1",
                            investigating_agency=investigator.membership.organisation,
                            opened_on=dt.date(2026, 2, 1),
                            article_ids=[articles["kz_related"].pk], unregistered_victims=3)
    kg = criminal_case_open(viewer=kg_investigator, country="KG", number="KG-1",
                            investigating_agency=kg_investigator.membership.organisation,
                            opened_on=dt.date(2026, 3, 1),
                            article_ids=[articles["kg_trafficking"].pk])
    for viewer, criminal_case in ((investigator, kz), (kg_investigator, kg)):
        participant_link(viewer=viewer, criminal_case=criminal_case, case_code=aigul_case.code,
                         role=ParticipantRole.VICTIM, cooperation=Cooperation.COOPERATING)
    return kz, kg


def test_a_victim_in_two_countries_cases_is_one_person_and_two_participations(
    aigul_in_two_countries, analyst,
):
    report = one_count(viewer=analyst, country=None, since=None, until=None, threshold=1)

    assert report.persons_in_criminal_cases.unit == "persons"
    assert report.persons_in_criminal_cases.value(REGISTERED, PERSONS) == 1
    # The investigators know of three more victims whom no one registered: shown apart.
    assert report.persons_in_criminal_cases.value(NOT_REGISTERED, PERSONS) == 3
    assert report.participations.unit == "case participations"
    assert report.participations.total == 2


def test_cases_are_counted_by_their_current_qualification(aigul_in_two_countries, analyst,
                                                          investigator, articles):
    kz, _kg = aigul_in_two_countries
    before = one_count(viewer=analyst, country="KZ", since=None, until=None, threshold=1)
    assert before.criminal_cases.value(RELATED_ONLY, "not_linked") == 1

    qualification_change(viewer=investigator, criminal_case=kz,
                         article_ids=[articles["kz_trafficking"].pk],
                         valid_from=dt.date(2026, 4, 1), reason="Exploitation established.")
    after = one_count(viewer=analyst, country="KZ", since=None, until=None, threshold=1)

    assert after.criminal_cases.value(TRAFFICKING, "not_linked") == 1
    assert after.criminal_cases.value(RELATED_ONLY, "not_linked") == 0
    assert after.criminal_cases.value(NOT_QUALIFIED, "not_linked") == 0


def test_small_cells_are_suppressed(aigul_in_two_countries, analyst):
    report = one_count(viewer=analyst, country=None, since=None, until=None)

    assert report.persons_in_criminal_cases.value(REGISTERED, PERSONS) is None
    assert report.persons_in_criminal_cases.value(NOT_REGISTERED, PERSONS) is None
    assert report.participations.total is None
    assert report.criminal_cases.total is None


def test_those_who_work_with_persons_cannot_read_the_report(case_worker, investigator):
    for viewer in (case_worker, investigator):
        with pytest.raises(PermissionDenied):
            one_count(viewer=viewer, country=None, since=None, until=None)


def test_a_coordinator_cannot_count_another_country(coordinator):
    with pytest.raises(PermissionDenied):
        one_count(viewer=coordinator, country="KZ", since=None, until=None)
    assert one_count(viewer=coordinator, country="KG", since=None,
                     until=None).countries == ("KG",)


def test_sentences_fall_into_bands():
    assert sentence_band(6, False) == "under_1_year"
    assert sentence_band(12, False) == "1_to_3_years"
    assert sentence_band(119, False) == "5_to_10_years"
    assert sentence_band(240, False) == "10_years_or_more"
    assert sentence_band(48, True) == "suspended"
    assert sentence_band(None, False) == "not_recorded"
