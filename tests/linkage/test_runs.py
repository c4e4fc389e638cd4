"""Duplicate searches on the real engine. Safe Home registered Айгуль Мамытова in Cyrillic;
Tendesh registered MAMYTOVA AIGUL from her passport, born the same day. Kyrgyzstan's national
coordinator searches the country's registry in the background: the pair is proposed with its
explanation (which fields agreed, how strongly), nothing identifying is stored with it, and a
later incremental search compares only the persons registered since. A search that cannot run
says why, and keeps nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.models import Membership
from nrm.core.jobs import job_start
from nrm.core.models import AuditAction, AuditEntry, Job, JobStatus
from nrm.linkage.engine import DEFAULT_THRESHOLD
from nrm.linkage.models import CandidatePair, LinkageRun
from nrm.linkage.services import DUPLICATE_SEARCH_RUNNER, linkage_run_start
from tests.conftest import login, register
from tests.linkage.conftest import pair_of

pytestmark = pytest.mark.django_db


def search(viewer, **options) -> LinkageRun:
    """Start a search; the tests' task backend runs it at once."""
    run = linkage_run_start(viewer=viewer, **options)
    run.refresh_from_db()
    return run


def test_aigul_registered_by_two_ngos_is_proposed_with_its_explanation(
        client, coordinator, aigul_case, aigul_at_tendesh):
    run = search(coordinator)
    assert run.job.status == JobStatus.DONE, run.job.error
    assert run.finished and run.persons_compared == 2 and run.pairs_new == 1
    assert run.threshold == DEFAULT_THRESHOLD
    pair = pair_of(aigul_case, aigul_at_tendesh)
    assert pair.match_probability >= DEFAULT_THRESHOLD
    levels = {compared["field"]: compared["level"] for compared in pair.comparisons}
    assert levels["given_name"] == levels["family_name"] == levels["birth_date"] == "exact"
    stored = json.dumps(pair.comparisons, ensure_ascii=False)
    for value in ("Айгуль", "AIGUL", "MAMYTOVA", "1995"):
        assert value not in stored

    login(client, coordinator)
    job_page = client.get(reverse("core:job", args=[run.job.pk])).content.decode()
    assert reverse("linkage:run", args=[run.pk]) in job_page
    text = client.get(reverse("linkage:pair", args=[pair.pk])).content.decode()
    # The engine's own words, under the fields they are about, strongest evidence first.
    assert "Same family name after transliteration" in text
    explanation = text[text.index('id="explanation-heading"'):text.index('id="decision"')]
    assert explanation.index("Birth date") < explanation.index("Same birth date") < \
        explanation.index("Family name") < explanation.index("Father&#x27;s name")
    assert "Strongly for" in explanation and "Not known on one side" in explanation


def test_the_search_reads_identities_once_audited_with_its_count(coordinator, aigul_case,
                                                                  aigul_at_tendesh):
    run = search(coordinator)
    entries = AuditEntry.objects.filter(action=AuditAction.LINKAGE_RUN, actor=coordinator.user)
    assert [entry.purpose for entry in entries.order_by("pk")] == [
        "started: country KG",
        "duplicate search: 2 identities read for comparison"]
    assert entries.last().object_id == str(run.pk)


def test_a_supervisor_searches_only_their_organisations_persons(supervisor, aigul_case,
                                                                 aigul_at_tendesh, colleague):
    again = register(colleague, given="Aigul", family="Mamytova", birth_date="1995-03")
    run = search(supervisor)
    assert run.persons_compared == 2
    assert list(CandidatePair.objects.values_list("left_id", "right_id")) == [
        (aigul_case.person_id, again.person_id)]


def test_an_incremental_search_compares_only_the_persons_registered_since(
        coordinator, aigul_case, aigul_at_tendesh, colleague):
    first = search(coordinator)
    by_ear = register(colleague, given="Aigul", family="Mamytova", birth_date="1995-03")
    later = search(coordinator, incremental=True)
    assert later.job.status == JobStatus.DONE, later.job.error
    assert (later.incremental, later.previous, later.new_persons) == (True, first, 1)
    found = CandidatePair.objects.filter(last_run=later)
    assert found.count() == later.pairs_found == 2
    assert all(by_ear.person_id in (pair.left_id, pair.right_id) for pair in found)
    # The pair of two persons compared before was not compared again, nor withdrawn.
    assert pair_of(aigul_case, aigul_at_tendesh).last_run == first


def test_an_incremental_search_with_nobody_new_finds_nothing_and_withdraws_nothing(
        coordinator, aigul_case, aigul_at_tendesh):
    search(coordinator)
    later = search(coordinator, incremental=True)
    assert (later.new_persons, later.pairs_found) == (0, 0)
    assert CandidatePair.objects.count() == 1


def test_a_search_of_a_registry_with_one_person_finishes_with_nothing_found(coordinator,
                                                                              aigul_case):
    run = search(coordinator)
    assert run.job.status == JobStatus.DONE
    assert (run.persons_compared, run.pairs_found) == (1, 0)


def test_a_search_whose_starter_left_the_organisation_says_so_and_keeps_nothing(
        coordinator, aigul_case, aigul_at_tendesh):
    run = linkage_run_start(viewer=coordinator, in_background=False)
    Membership.objects.filter(pk=coordinator.membership.pk).update(is_active=False)
    job = job_start(created_by=coordinator.user, membership=coordinator.membership,
                    kind="linkage", runner=DUPLICATE_SEARCH_RUNNER, params={"run": run.pk})
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "no longer active" in job.error and "Something went wrong" not in job.error
    run.refresh_from_db()
    assert not run.finished and not CandidatePair.objects.exists()


def test_a_search_that_runs_out_of_memory_says_what_to_do_and_the_run_page_shows_it(
        client, settings, coordinator, aigul_case, aigul_at_tendesh):
    settings.NRM_LINKAGE_MEMORY_LIMIT = "1KB"
    run = search(coordinator)
    assert run.job.status == JobStatus.FAILED
    assert "Something went wrong" not in run.job.error
    assert "NRM_LINKAGE_MEMORY_LIMIT" in run.job.error, run.job.error
    assert not run.finished and not CandidatePair.objects.exists()
    login(client, coordinator)
    page = client.get(reverse("linkage:run", args=[run.pk])).content.decode()
    assert 'id="run-error"' in page
    # A failed search does not stop the next one.
    settings.NRM_LINKAGE_MEMORY_LIMIT = "1GB"
    assert search(coordinator).job.status == JobStatus.DONE


def test_one_search_of_the_same_persons_at_a_time_unless_the_other_was_abandoned(
        coordinator, aigul_case, aigul_at_tendesh):
    running = linkage_run_start(viewer=coordinator, in_background=False)
    running.job = Job.objects.create(
        kind="linkage", runner=DUPLICATE_SEARCH_RUNNER, created_by=coordinator.user,
        membership=coordinator.membership, organisation_id=coordinator.organisation_id,
        status=JobStatus.RUNNING, params={"run": running.pk})
    running.save(update_fields=["job"])
    with pytest.raises(ValidationError, match="already running"):
        linkage_run_start(viewer=coordinator)
    # A worker that stopped leaves its job running for ever; hours later it no longer counts.
    Job.objects.filter(pk=running.job.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=7))
    assert search(coordinator).job.status == JobStatus.DONE
