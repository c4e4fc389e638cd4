"""`nrm demo` assists the demo's cases through the assistance services: plans, services of every
type with costs in KGS, KZT and USD, a return from Russia received in Bishkek and one planned to
Uzbekistan, follow-up contacts made, due and overdue; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from nrm.accounts.models import Membership
from nrm.accounts.viewer import Viewer
from nrm.assistance.choices import ASSISTANCE_SERVICE_TYPES
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from nrm.assistance.selectors import follow_ups_due_for_viewer

pytestmark = pytest.mark.django_db


def demo(persons: int = 150) -> str:
    out = io.StringIO()
    call_command("demo", persons=persons, stdout=out)
    return out.getvalue()


def counts() -> tuple[int, ...]:
    return (SupportPlan.objects.count(), ServiceRecord.objects.count(),
            ReturnJourney.objects.count(), FollowUp.objects.count())


def test_the_demo_assists_cases_with_every_service_and_adds_nothing_the_second_time():
    output = demo()
    assert "Assistance demo:" in output
    loaded = counts()
    assert all(loaded)
    demo()
    assert counts() == loaded
    assert set(ServiceRecord.objects.values_list("service_type", flat=True)) == set(
        ASSISTANCE_SERVICE_TYPES)
    assert {"KGS", "KZT", "USD"} <= set(ServiceRecord.objects.exclude(currency="")
                                        .values_list("currency", flat=True))
    assert ServiceRecord.objects.filter(service_type="shelter", nights__gt=0).exists()


def test_the_demo_has_a_return_received_and_one_planned():
    demo()
    statuses = dict(ReturnJourney.objects.values_list("to_country", "status"))
    assert statuses == {"KG": "arrived", "UZ": "planned"}


def test_the_bishkek_case_worker_has_follow_ups_done_due_and_overdue():
    demo()
    assert FollowUp.objects.filter(done_on__isnull=False).exists()
    membership = Membership.objects.select_related("user", "organisation").get(
        user__username="caseworker.bishkek")
    worklist = follow_ups_due_for_viewer(viewer=Viewer(user=membership.user,
                                                       membership=membership))
    assert worklist.overdue and worklist.due_soon


def test_the_shelter_records_its_services_on_the_cases_referred_to_it():
    demo(persons=300)  # enough for the referrals demo's eight women of Umut
    by_referral = ServiceRecord.objects.filter(referral__isnull=False).select_related(
        "referral", "recorded_for")
    assert by_referral.exists()
    assert {record.referral.to_organisation_id for record in by_referral} == {
        record.provider_id for record in by_referral}
    working = [record for record in by_referral if record.referral.status == "in_progress"]
    assert working and all(r.recorded_for_id == r.referral.to_organisation_id for r in working)
