"""`nrm demo` registers synthetic persons more than once across organisations (Cyrillic, a
Latin passport, by ear) and twin sisters who are not one person, through the registry's
services; the reviewers' duplicate searches run on the real engine, and Kyrgyzstan's
coordinator decides two pairs, so that coordinators and supervisors have duplicates to review
and decisions to read; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from nrm.accounts.models import Membership
from nrm.accounts.viewer import Viewer
from nrm.linkage.demo import REGISTRATIONS
from nrm.linkage.selectors import pairs_for_viewer, records_for_linkage
from nrm.registry.models import Person

pytestmark = pytest.mark.django_db


def demo() -> str:
    out = io.StringIO()
    call_command("demo", persons=5, stdout=out)
    return out.getvalue()


def viewer_of(username: str) -> Viewer:
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username=username)
    return Viewer(user=membership.user, membership=membership)


def test_the_demo_registers_persons_known_more_than_once_and_a_second_run_adds_nothing():
    output = demo()
    persons = Person.objects.count()
    demo()
    assert Person.objects.count() == persons
    registrations = sum(len(person) for person in REGISTRATIONS)
    assert f"Linkage demo: {registrations} registrations" in output


def test_the_kyrgyz_coordinator_may_compare_aigul_under_her_three_spellings():
    demo()
    records = records_for_linkage(viewer=viewer_of("coordinator.kg"))
    spellings = {(record.given_name, record.family_name) for record in records}
    assert {("Айгуль", "Мамытова"), ("AIGUL", "MAMYTOVA"), ("Aigul", "Mamytova")} <= spellings
    # Kazakhstan's registrations are not the Kyrgyz coordinator's to compare.
    assert ("Айдана", "Қайратқызы") not in spellings


def test_the_demo_searches_for_duplicates_and_decides_two_pairs():
    from nrm.linkage.models import CandidatePair, ClusterMember, LinkageRun, Verdict
    output = demo()
    assert set(LinkageRun.objects.values_list("started_by__username", flat=True)) == {
        "coordinator.kg", "coordinator.kz", "supervisor.bishkek"}
    assert not LinkageRun.objects.filter(finished_at__isnull=True).exists()
    assert CandidatePair.objects.filter(verdict=Verdict.SAME).count() == 1
    assert CandidatePair.objects.filter(verdict=Verdict.DIFFERENT).count() == 1
    assert ClusterMember.objects.count() == 2
    pending = CandidatePair.objects.pending().count()
    assert pending > 0
    assert f"{pending} possible duplicates to review" in output
    # Each reviewer has pairs of their own to review.
    for username in ("coordinator.kg", "coordinator.kz", "supervisor.bishkek"):
        assert pairs_for_viewer(viewer=viewer_of(username), verdict=Verdict.PENDING).exists()
