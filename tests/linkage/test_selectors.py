"""Who compares whom: identities are read for comparison only for the persons a reviewer
reviews (a coordinator their country's, a supervisor their organisation's), decrypting only the
compared fields, and every read is audited; pairs and identities are shown by the same rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from nrm.core.models import AuditAction, AuditEntry
from nrm.linkage.selectors import (
    LinkageUse,
    cluster_keys,
    pair_for_viewer,
    pair_identities,
    pairs_for_viewer,
    records_for_linkage,
    runs_for_viewer,
)
from nrm.registry.services import identity_update
from tests.conftest import register
from tests.linkage.conftest import finished_run, found, pair_of

pytestmark = pytest.mark.django_db


def test_a_coordinator_compares_every_person_of_their_country(coordinator, aigul_case,
                                                              aigul_at_tendesh):
    records = records_for_linkage(viewer=coordinator)
    assert {record.record_id for record in records} == {aigul_case.person.code,
                                                        aigul_at_tendesh.person.code}


def test_a_supervisor_compares_only_their_organisations_persons(supervisor, aigul_case,
                                                                aigul_at_tendesh):
    records = records_for_linkage(viewer=supervisor)
    assert [record.record_id for record in records] == [aigul_case.person.code]


def test_the_record_carries_the_compared_fields_and_nothing_else(supervisor, case_worker):
    case = register(case_worker, given="Айгуль", family="Мамытова", birth_date="1995-03")
    (record,) = records_for_linkage(viewer=supervisor)
    assert record.record_id == case.person.code
    assert (record.given_name, record.family_name) == ("Айгуль", "Мамытова")
    assert record.birth_date == "1995-03"
    assert record.other_names == ("Aygul Mamytova",)  # nrm's transliteration, kept as Latin
    assert (record.sex, record.citizenship) == ("Feminine", "KG")
    assert "+996" not in repr(record)  # phones are never read for comparison


@pytest.mark.parametrize("who", ["case_worker", "analyst", "org_admin", "outsider"])
def test_roles_that_do_not_review_read_nothing_for_a_search(request, who, aigul_case):
    with pytest.raises(PermissionDenied):
        records_for_linkage(viewer=request.getfixturevalue(who))


def test_the_read_for_comparison_is_audited_with_its_count(coordinator, aigul_case,
                                                           aigul_at_tendesh):
    records_for_linkage(viewer=coordinator)
    entry = AuditEntry.objects.get(action=AuditAction.LINKAGE_RUN)
    assert entry.actor == coordinator.user
    assert "2 identities" in entry.purpose
    assert "given_name" in entry.fields and "birth_date" in entry.fields
    assert "phones" not in entry.fields


def test_a_spreadsheet_is_checked_against_the_persons_whose_identity_the_user_sees(
        case_worker, aigul_case, aigul_at_tendesh):
    records = records_for_linkage(viewer=case_worker, use=LinkageUse.SPREADSHEET_CHECK)
    assert [record.record_id for record in records] == [aigul_case.person.code]
    assert AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED).count() == 1


def test_a_coordinator_may_not_match_a_spreadsheet_against_the_registry(coordinator,
                                                                        aigul_case):
    # A name in a file matched to a code would tell them who the code is.
    with pytest.raises(PermissionDenied):
        records_for_linkage(viewer=coordinator, use=LinkageUse.SPREADSHEET_CHECK)


def test_the_coordinator_sees_pairs_across_organisations_the_supervisor_does_not(
        coordinator, supervisor, aigul_case, aigul_at_tendesh, aigul_again):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh),
                               found(aigul_case, aigul_again, 0.9)])
    assert pairs_for_viewer(viewer=coordinator).count() == 2
    (own,) = pairs_for_viewer(viewer=supervisor)
    assert own == pair_of(aigul_case, aigul_again)


def test_others_see_no_pair(request, coordinator, aigul_case, aigul_at_tendesh, aigul_again):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh),
                               found(aigul_case, aigul_again)])
    for who in ("case_worker", "outsider", "analyst", "tendesh_supervisor", "kz_coordinator"):
        assert not pairs_for_viewer(viewer=request.getfixturevalue(who)).exists(), who


def test_pairs_come_most_likely_first_and_filter(coordinator, aigul_case, aigul_at_tendesh,
                                                 aigul_again, namesake):
    finished_run(coordinator, [found(aigul_case, aigul_again, 0.81),
                               found(aigul_case, aigul_at_tendesh, 0.99),
                               found(aigul_case, namesake, 0.55)])
    probabilities = [pair.match_probability
                     for pair in pairs_for_viewer(viewer=coordinator)]
    assert probabilities == [0.99, 0.81, 0.55]
    assert pairs_for_viewer(viewer=coordinator, min_probability=0.8).count() == 2
    (across,) = pairs_for_viewer(viewer=coordinator, across_organisations=True)
    assert across == pair_of(aigul_case, aigul_at_tendesh)
    assert pairs_for_viewer(viewer=coordinator,
                            organisation_id=aigul_at_tendesh.organisation_id).count() == 1


def test_reading_a_pair_is_audited_for_both_persons(coordinator, aigul_case, aigul_at_tendesh):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    pair = pair_of(aigul_case, aigul_at_tendesh)
    pair_for_viewer(viewer=coordinator, pair_id=pair.pk)
    reads = AuditEntry.objects.filter(action=AuditAction.CANDIDATE_PAIR_READ)
    assert {entry.person_code for entry in reads} == {aigul_case.person.code,
                                                      aigul_at_tendesh.person.code}


def test_a_pair_not_yours_is_not_found(supervisor, coordinator, aigul_case, aigul_at_tendesh):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    with pytest.raises(Http404):
        pair_for_viewer(viewer=supervisor, pair_id=pair_of(aigul_case, aigul_at_tendesh).pk)


def test_a_coordinator_never_sees_identity_side_by_side(coordinator, aigul_case,
                                                        aigul_at_tendesh):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    pair = pair_of(aigul_case, aigul_at_tendesh)
    assert pair_identities(viewer=coordinator, pair=pair) is None
    assert not AuditEntry.objects.filter(action=AuditAction.IDENTITY_READ).exists()


def test_a_supervisor_sees_both_identities_of_their_organisations_pair(supervisor, aigul_case,
                                                                       aigul_again):
    finished_run(supervisor, [found(aigul_case, aigul_again)])
    left, right = pair_identities(viewer=supervisor, pair=pair_of(aigul_case, aigul_again))
    assert {left.family_name, right.family_name} == {"Мамытова", "Мамытава"}
    assert AuditEntry.objects.filter(action=AuditAction.IDENTITY_READ).count() == 2


def test_runs_are_listed_for_their_own_scope(coordinator, supervisor, tendesh_supervisor,
                                             aigul_case):
    country = finished_run(coordinator, [])
    own = finished_run(supervisor, [])
    assert list(runs_for_viewer(viewer=coordinator)) == [country]
    assert list(runs_for_viewer(viewer=supervisor)) == [own]
    assert not runs_for_viewer(viewer=tendesh_supervisor).exists()


def test_a_person_not_in_a_cluster_is_their_own_key(aigul_case):
    assert cluster_keys([aigul_case.person_id]) == {aigul_case.person_id: aigul_case.person_id}


def test_an_edited_identity_is_compared_with_its_new_name(supervisor, case_worker, aigul_case):
    from nrm.registry.inputs import IdentityInput
    identity_update(viewer=case_worker, person=aigul_case.person,
                    identity=IdentityInput(given_name="Айгуль", family_name="Асанова",
                                           birth_date="1995-03-14"))
    (record,) = records_for_linkage(viewer=supervisor)
    assert record.family_name == "Асанова"
