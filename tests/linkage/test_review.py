"""Deciding on candidate pairs: *same* links two persons into one cluster without touching
either record, clusters merge transitively, every decision can be undone (a cluster splits
exactly as the remaining decisions say), contradictions are refused, and every decision and undo
is audited for both persons."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nrm.core.models import AuditAction, AuditEntry
from nrm.linkage.models import ClusterMember, PairDecision, Verdict
from nrm.linkage.selectors import cluster_for_viewer, cluster_keys, decisions_for_pair
from nrm.linkage.services import pair_decide, pair_decision_undo
from nrm.registry.models import Identity, Person
from tests.conftest import register
from tests.linkage.conftest import finished_run, found, pair_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(coordinator, aigul_case, aigul_at_tendesh, aigul_again):
    """Three registrations of Aigul, each pair proposed."""
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh),
                               found(aigul_case, aigul_again),
                               found(aigul_at_tendesh, aigul_again)])
    return aigul_case, aigul_at_tendesh, aigul_again


def _clusters() -> set[frozenset[int]]:
    members: dict[int, set[int]] = {}
    for person_id, cluster_id in ClusterMember.objects.values_list("person_id", "cluster_id"):
        members.setdefault(cluster_id, set()).add(person_id)
    return {frozenset(group) for group in members.values()}


def test_same_person_links_the_two_records_without_changing_either(coordinator, three):
    a, b, _c = three
    before = {row.pk: (row.sex, row.birth_year, row.organisation_id, row.updated_at)
              for row in Person.objects.all()}
    identities = {row.pk: (row.given_name, row.family_name) for row in Identity.objects.all()}
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.SAME)
    assert _clusters() == {frozenset({a.person_id, b.person_id})}
    assert {row.pk: (row.sex, row.birth_year, row.organisation_id, row.updated_at)
            for row in Person.objects.all()} == before
    assert {row.pk: (row.given_name, row.family_name)
            for row in Identity.objects.all()} == identities
    # The cluster is known by the person registered first.
    assert cluster_keys([a.person_id, b.person_id]) == {a.person_id: a.person_id,
                                                        b.person_id: a.person_id}


def test_clusters_merge_transitively(coordinator, three):
    a, b, c = three
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.SAME)
    pair_decide(viewer=coordinator, pair=pair_of(b, c), verdict=Verdict.SAME)
    assert _clusters() == {frozenset({a.person_id, b.person_id, c.person_id})}


def test_undo_splits_a_cluster_as_the_remaining_decisions_say(coordinator, three):
    a, b, c = three
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.SAME)
    pair_decide(viewer=coordinator, pair=pair_of(b, c), verdict=Verdict.SAME)
    pair_decision_undo(viewer=coordinator, pair=pair_of(a, b))
    assert _clusters() == {frozenset({b.person_id, c.person_id})}
    # B and C are now known by B, the first registered of the two.
    assert cluster_keys([b.person_id, c.person_id]) == {b.person_id: b.person_id,
                                                        c.person_id: b.person_id}
    assert pair_of(a, b).verdict == Verdict.PENDING


def test_undo_keeps_a_cluster_held_together_by_another_path(coordinator, three):
    a, b, c = three
    for left, right in ((a, b), (b, c), (a, c)):
        pair_decide(viewer=coordinator, pair=pair_of(left, right), verdict=Verdict.SAME)
    pair_decision_undo(viewer=coordinator, pair=pair_of(a, b))
    assert _clusters() == {frozenset({a.person_id, b.person_id, c.person_id})}
    pair_decision_undo(viewer=coordinator, pair=pair_of(a, c))
    assert _clusters() == {frozenset({b.person_id, c.person_id})}
    pair_decision_undo(viewer=coordinator, pair=pair_of(b, c))
    assert _clusters() == set()


def test_a_decision_is_kept_marked_undone_and_the_pair_can_be_decided_again(coordinator,
                                                                            three):
    a, b, _c = three
    pair = pair_of(a, b)
    pair_decide(viewer=coordinator, pair=pair, verdict=Verdict.DIFFERENT)
    pair_decision_undo(viewer=coordinator, pair=pair)
    pair_decide(viewer=coordinator, pair=pair, verdict=Verdict.SAME)
    history = list(decisions_for_pair(viewer=coordinator, pair=pair))
    assert [(d.verdict, d.undone_at is not None) for d in history] == [
        (Verdict.SAME, False), (Verdict.DIFFERENT, True)]
    assert history[1].undone_by == coordinator.user


def test_every_decision_and_undo_is_audited_for_both_persons(coordinator, three):
    a, b, _c = three
    pair = pair_of(a, b)
    pair_decide(viewer=coordinator, pair=pair, verdict=Verdict.SAME)
    pair_decision_undo(viewer=coordinator, pair=pair)
    for action in (AuditAction.PAIR_DECIDED, AuditAction.PAIR_DECISION_UNDONE):
        entries = AuditEntry.objects.filter(action=action)
        assert {entry.person_code for entry in entries} == {a.person.code, b.person.code}
        assert all(entry.actor == coordinator.user and entry.object_id == str(pair.pk)
                   and entry.purpose == "same" for entry in entries)


def test_a_decided_pair_must_be_undone_before_it_is_decided_again(coordinator, three):
    a, b, _c = three
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.SAME)
    with pytest.raises(ValidationError, match="Undo that decision first"):
        pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.DIFFERENT)
    assert PairDecision.objects.count() == 1


def test_there_is_nothing_to_undo_on_a_pending_pair(coordinator, three):
    a, b, _c = three
    with pytest.raises(ValidationError, match="nothing to undo"):
        pair_decision_undo(viewer=coordinator, pair=pair_of(a, b))
    assert not AuditEntry.objects.filter(action=AuditAction.PAIR_DECISION_UNDONE).exists()


def test_a_verdict_must_be_same_or_different(coordinator, three):
    a, b, _c = three
    with pytest.raises(ValidationError):
        pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict="maybe")
    assert pair_of(a, b).verdict == Verdict.PENDING


def test_two_persons_already_one_cannot_be_decided_different(coordinator, three):
    a, b, c = three
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.SAME)
    pair_decide(viewer=coordinator, pair=pair_of(b, c), verdict=Verdict.SAME)
    with pytest.raises(ValidationError, match="already linked"):
        pair_decide(viewer=coordinator, pair=pair_of(a, c), verdict=Verdict.DIFFERENT)
    assert pair_of(a, c).verdict == Verdict.PENDING


def test_same_is_refused_when_it_would_join_persons_decided_different(coordinator, three):
    a, b, c = three
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.DIFFERENT)
    pair_decide(viewer=coordinator, pair=pair_of(b, c), verdict=Verdict.SAME)
    with pytest.raises(ValidationError, match="different person"):
        pair_decide(viewer=coordinator, pair=pair_of(a, c), verdict=Verdict.SAME)
    assert _clusters() == {frozenset({b.person_id, c.person_id})}


@pytest.mark.parametrize("who", ["case_worker", "analyst", "org_admin", "outsider"])
def test_roles_that_do_not_review_may_not_decide(request, who, three):
    a, b, _c = three
    with pytest.raises(PermissionDenied):
        pair_decide(viewer=request.getfixturevalue(who), pair=pair_of(a, b),
                    verdict=Verdict.SAME)
    assert not PairDecision.objects.exists()


def test_a_supervisor_may_not_decide_on_a_pair_reaching_another_organisation(supervisor,
                                                                            three):
    a, b, c = three
    with pytest.raises(PermissionDenied):
        pair_decide(viewer=supervisor, pair=pair_of(a, b), verdict=Verdict.SAME)
    pair_decide(viewer=supervisor, pair=pair_of(a, c), verdict=Verdict.SAME)
    assert pair_of(a, c).verdict == Verdict.SAME


def test_a_coordinator_may_undo_a_supervisors_decision(supervisor, coordinator, three):
    a, _b, c = three
    pair_decide(viewer=supervisor, pair=pair_of(a, c), verdict=Verdict.SAME)
    pair_decision_undo(viewer=coordinator, pair=pair_of(a, c))
    assert _clusters() == set()


def test_a_supervisor_sees_only_the_cluster_members_of_their_organisation(
        supervisor, coordinator, three):
    a, b, c = three
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.SAME)
    pair_decide(viewer=coordinator, pair=pair_of(a, c), verdict=Verdict.SAME)
    assert cluster_for_viewer(viewer=coordinator, person=a.person) == [b.person, c.person]
    assert cluster_for_viewer(viewer=supervisor, person=a.person) == [c.person]


def test_two_separate_clusters_join_when_their_members_are_decided_same(coordinator,
                                                                        case_worker, three):
    a, b, c = three
    d = register(case_worker, given="Aigul", family="Mamytova")
    finished_run(coordinator, [found(a, b), found(c, d), found(b, c)])
    pair_decide(viewer=coordinator, pair=pair_of(a, b), verdict=Verdict.SAME)
    pair_decide(viewer=coordinator, pair=pair_of(c, d), verdict=Verdict.SAME)
    assert len(_clusters()) == 2
    pair_decide(viewer=coordinator, pair=pair_of(b, c), verdict=Verdict.SAME)
    assert _clusters() == {frozenset({a.person_id, b.person_id, c.person_id, d.person_id})}
    pair_decision_undo(viewer=coordinator, pair=pair_of(b, c))
    assert _clusters() == {frozenset({a.person_id, b.person_id}),
                           frozenset({c.person_id, d.person_id})}
