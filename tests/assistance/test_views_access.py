"""Who may not use the assistance screens: anonymous visitors are sent to sign in; a case
worker of another NGO or country and an analyst get 404 for every page of a case's assistance;
the national coordinator and the organisation's admin, who know the case, get 403 (coordinators
get figures, never records); only case workers have a follow-up worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nrm.assistance import services
from nrm.assistance.inputs import (
    FollowUpPlanInput,
    ReturnJourneyInput,
    ServiceInput,
    SupportPlanInput,
)
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from tests.conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(case_worker, opened_case, shelter, follow_up_consent, today) -> dict[str, str]:
    """Айгуль's assistance with one of everything, and the URL of every page on it."""
    plan = services.support_plan_create(viewer=case_worker, case=opened_case,
                                        plan=SupportPlanInput(plan_type="Health",
                                                              objectives="Treatment"))
    record = services.service_record(viewer=case_worker, case=opened_case, service=ServiceInput(
        service_type="medical", provider_id=shelter.pk, started_on=today))
    journey = services.return_journey_record(viewer=case_worker, case=opened_case,
                                             journey=ReturnJourneyInput(
                                                 from_country="RU", to_country="KG",
                                                 travel_on=today))
    follow_up = services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                            plan=FollowUpPlanInput(planned_on=today))
    code = opened_case.display_code

    def url(name: str, *args: int) -> str:
        return reverse(f"assistance:{name}", args=[code, *args])

    return {
        "case": url("case"), "plan_add": url("plan_add"),
        "plan_edit": url("plan_edit", plan.pk), "service_add": url("service_add"),
        "service_edit": url("service_edit", record.pk), "return_add": url("return_add"),
        "return_edit": url("return_edit", journey.pk),
        "return_cancel": url("return_cancel", journey.pk),
        "reception": url("reception", journey.pk), "follow_up_add": url("follow_up_add"),
        "contact_add": url("contact_add"),
        "follow_up_reschedule": url("follow_up_reschedule", follow_up.pk),
        "follow_up_contact": url("follow_up_contact", follow_up.pk),
        "follow_up_cancel": url("follow_up_cancel", follow_up.pk),
    }


PAGES = ["case", "plan_add", "plan_edit", "service_add", "service_edit", "return_add",
         "return_edit", "return_cancel", "reception", "follow_up_add", "contact_add",
         "follow_up_reschedule", "follow_up_contact", "follow_up_cancel"]
# Enough for every form to be valid, so that a refusal is the access check's and nothing else's.
EVERYTHING = {
    "plan_type": "Legal", "objectives": "x", "started_on": dt.date.today(),
    "service_type": "medical", "outcome": "in_progress", "from_country": "RU",
    "to_country": "KG", "travel_on": dt.date.today(), "escort": "none",
    "arrived_on": dt.date.today(), "reason": "x", "planned_on": dt.date.today(),
    "mode": "phone", "done_on": dt.date.today(), "reached": "no",
    "next_contact_on": dt.date.today(),
}


def _nothing_changed() -> tuple[int, int, int, int, str]:
    journey = ReturnJourney.objects.get()
    return (SupportPlan.objects.count(), ServiceRecord.objects.count(),
            FollowUp.objects.count(), ReturnJourney.objects.count(), journey.status)


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in(client, story, page):
    for response in (client.get(story[page]), client.post(story[page], EVERYTHING)):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["outsider", "foreign_case_worker", "analyst"])
@pytest.mark.parametrize("page", PAGES)
def test_anyone_outside_the_case_gets_404(client, story, request, who, page):
    before = _nothing_changed()
    login(client, request.getfixturevalue(who))
    if page != "follow_up_cancel":
        assert client.get(story[page]).status_code == 404
    if page != "case":
        assert client.post(story[page], EVERYTHING).status_code == 404
    assert _nothing_changed() == before


@pytest.mark.parametrize("who", ["coordinator", "org_admin"])
@pytest.mark.parametrize("page", PAGES)
def test_who_knows_the_case_but_works_no_cases_gets_403(client, story, request, who, page):
    """The national coordinator sees the case in the registry but gets figures, never
    assistance records; the organisation's admin manages members, not cases."""
    before = _nothing_changed()
    login(client, request.getfixturevalue(who))
    if page != "follow_up_cancel":
        assert client.get(story[page]).status_code == 403
    if page != "case":
        assert client.post(story[page], EVERYTHING).status_code == 403
    assert _nothing_changed() == before


@pytest.mark.parametrize("page", PAGES)
def test_colleagues_of_the_case_organisation_reach_every_page(client, story, colleague, page):
    login(client, colleague)
    if page != "follow_up_cancel":
        assert client.get(story[page]).status_code == 200


def test_anonymous_is_sent_to_sign_in_from_the_worklist(client, db):
    response = client.get(reverse("assistance:follow_ups_due"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["coordinator", "analyst", "org_admin"])
def test_only_case_workers_have_a_follow_up_worklist(client, request, who):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("assistance:follow_ups_due")).status_code == 403


def test_the_outsiders_worklist_does_not_show_the_case(client, story, outsider, opened_case):
    login(client, outsider)
    page = client.get(reverse("assistance:follow_ups_due"))
    assert page.status_code == 200
    assert opened_case.display_code not in page.content.decode()


def test_a_malformed_or_unknown_code_is_404(client, case_worker, db):
    login(client, case_worker)
    for code in ("nonsense", "2345-6789-A"):
        assert client.get(reverse("assistance:case", args=[code])).status_code == 404
