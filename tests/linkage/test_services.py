"""What a duplicate search keeps: new pairs proposed, pending ones refreshed, decided ones left
alone (a pair decided different is never proposed again), and pairs it no longer finds
withdrawn; who may start a search, and over whose persons."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from nrm.core.models import AuditAction, AuditEntry
from nrm.linkage.models import CandidatePair, LinkageRun, RunScope, Verdict
from nrm.linkage.services import linkage_run_start, pair_decide
from tests.linkage.conftest import compared, finished_run, found, pair_of

pytestmark = pytest.mark.django_db


def test_a_search_proposes_the_pairs_it_found_with_their_explanation(
        coordinator, aigul_case, aigul_at_tendesh):
    run = finished_run(coordinator, [found(aigul_case, aigul_at_tendesh, 0.97)])
    pair = pair_of(aigul_case, aigul_at_tendesh)
    assert pair.verdict == Verdict.PENDING
    assert pair.match_probability == 0.97
    assert pair.first_run == run and pair.last_run == run
    family = pair.comparisons[0]
    assert family == {"field": "family_name", "level": "sound_alike",
                      "label": "Sound alike (a vowel or a letter heard differently)",
                      "match_weight": 6.1}
    assert (run.pairs_found, run.pairs_new, run.finished) == (1, 1, True)


def test_a_pair_stores_no_name_and_no_birth_date(coordinator, aigul_case, aigul_at_tendesh):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM linkage_candidatepair")
        stored = repr(cursor.fetchall())
    for secret in ("Мамытова", "MAMYTOVA", "Aigul", "1995"):
        assert secret not in stored


def test_a_pair_is_stored_once_whichever_way_round_it_was_found(
        coordinator, aigul_case, aigul_at_tendesh):
    finished_run(coordinator, [found(aigul_at_tendesh, aigul_case, 0.9),
                               found(aigul_case, aigul_at_tendesh, 0.95)])
    (pair,) = CandidatePair.objects.all()
    assert pair.left_id < pair.right_id
    assert pair.match_probability == 0.95


def test_a_later_search_refreshes_a_pending_pair(coordinator, aigul_case, aigul_at_tendesh):
    first = finished_run(coordinator, [found(aigul_case, aigul_at_tendesh, 0.9)])
    second = finished_run(coordinator, [found(aigul_case, aigul_at_tendesh, 0.93)])
    pair = pair_of(aigul_case, aigul_at_tendesh)
    assert (pair.first_run, pair.last_run, pair.match_probability) == (first, second, 0.93)
    assert second.pairs_new == 0


def test_a_pair_decided_different_is_not_proposed_again(coordinator, aigul_case, namesake):
    finished_run(coordinator, [found(aigul_case, namesake, 0.7)])
    pair_decide(viewer=coordinator, pair=pair_of(aigul_case, namesake),
                verdict=Verdict.DIFFERENT)
    later = finished_run(coordinator, [found(aigul_case, namesake, 0.75)])
    pair = pair_of(aigul_case, namesake)
    assert pair.verdict == Verdict.DIFFERENT
    assert pair.match_probability == 0.7
    assert (later.pairs_new, later.pairs_already_decided) == (0, 1)
    assert not CandidatePair.objects.pending().exists()


def test_a_full_search_withdraws_pending_pairs_it_no_longer_finds(
        coordinator, aigul_case, aigul_at_tendesh, aigul_again, namesake):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh),
                               found(aigul_case, aigul_again), found(aigul_case, namesake)])
    pair_decide(viewer=coordinator, pair=pair_of(aigul_case, namesake),
                verdict=Verdict.DIFFERENT)
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    # The decided pair stays; the pending one not found again is gone.
    assert set(CandidatePair.objects.values_list("verdict", flat=True)) == {
        Verdict.PENDING, Verdict.DIFFERENT}
    assert CandidatePair.objects.count() == 2


def test_an_incremental_search_withdraws_only_pairs_of_the_persons_it_compared(
        coordinator, aigul_case, aigul_at_tendesh, aigul_again):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh),
                               found(aigul_case, aigul_again)])
    run = finished_run(coordinator, [], incremental=True,
                       changed={aigul_again.person.code})
    assert list(CandidatePair.objects.all()) == [pair_of(aigul_case, aigul_at_tendesh)]
    assert run.new_persons == 1


def test_a_supervisors_search_stores_only_their_organisations_pairs(
        supervisor, aigul_case, aigul_at_tendesh, aigul_again):
    # Whatever the engine reports, a pair reaching outside the search's persons is not kept.
    finished_run(supervisor, [found(aigul_case, aigul_at_tendesh),
                              found(aigul_case, aigul_again)])
    assert list(CandidatePair.objects.all()) == [pair_of(aigul_case, aigul_again)]


def test_the_explanation_keeps_the_label_untranslated_for_each_reader(
        coordinator, aigul_case, aigul_at_tendesh):
    from django.utils import translation
    explained = found(aigul_case, aigul_at_tendesh, comparisons=(
        compared("sex", "exact", 0.4),))
    with translation.override("ru"):
        finished_run(coordinator, [explained])
    assert pair_of(aigul_case, aigul_at_tendesh).comparisons[0]["label"] == "Same sex"


@pytest.mark.parametrize("who", ["case_worker", "analyst", "org_admin"])
def test_roles_that_do_not_review_may_not_start_a_search(request, who):
    with pytest.raises(PermissionDenied):
        linkage_run_start(viewer=request.getfixturevalue(who))
    assert not LinkageRun.objects.exists()


def test_an_incremental_search_needs_a_finished_one_first(coordinator):
    with pytest.raises(ValidationError, match="full search first"):
        linkage_run_start(viewer=coordinator, incremental=True)
    assert not LinkageRun.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.LINKAGE_RUN).exists()


def test_the_scope_of_a_search_follows_the_role(coordinator, supervisor):
    country = finished_run(coordinator, [])
    own = finished_run(supervisor, [])
    assert (country.scope, country.country) == (RunScope.COUNTRY, "KG")
    assert (own.scope, own.organisation_id) == (RunScope.ORGANISATION, supervisor.organisation_id)
