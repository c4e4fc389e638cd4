"""Assistance over the API, with the permissions of the pages: Safe Home's case worker plans
Айгуль's support, records services with their cost, plans and receives her return and follows
her up; a case worker of another NGO gets 404 for every operation, anonymous callers 401, and
those who know the case but work no cases (the national coordinator, the organisation's admin)
403."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from nrm.accounts.services import api_token_create
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from nrm.core.models import AuditAction, AuditEntry
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def api(viewer=None, language: str = "en") -> Api:
    token = api_token_create(viewer=viewer, name="tests")[1] if viewer else None
    return Api(Client(), token, language)


def iso(day: dt.date) -> str:
    return day.isoformat()


@pytest.fixture
def story(case_worker, opened_case, shelter, follow_up_consent, today) -> dict[str, Any]:
    """Айгуль's assistance recorded through the API, step by step."""
    aizada = api(case_worker)
    base = f"/assistance/cases/{opened_case.code}"
    plan = aizada.post(f"{base}/support-plans", {
        "plan_type": "LabourExploitationRehabilitation", "objectives": "Recovery and income",
        "started_on": iso(today - 20 * DAY), "planned_end_on": iso(today + 100 * DAY)})
    assert plan.status_code == 201, plan.json()
    shelter_stay = aizada.post(f"{base}/services", {
        "service_type": "shelter", "provider_id": shelter.pk, "support_plan_id": plan.json()["id"],
        "started_on": iso(today - 20 * DAY), "ended_on": iso(today - 5 * DAY),
        "outcome": "provided", "nights": 15, "cost": "45000", "currency": "KGS"})
    assert shelter_stay.status_code == 201, shelter_stay.json()
    grant = aizada.post(f"{base}/services", {
        "service_type": "economic_support", "provider_id": shelter.pk,
        "started_on": iso(today - 4 * DAY), "amount": "250", "cost": "260", "currency": "USD"})
    assert grant.status_code == 201, grant.json()
    journey = aizada.post(f"{base}/returns", {
        "from_country": "RU", "to_country": "KG", "travel_on": iso(today - 25 * DAY),
        "travel_documents": [{"kind": "certificate_of_return", "status": "handed_over"}],
        "escort": "consular"})
    assert journey.status_code == 201, journey.json()
    follow_up = aizada.post(f"{base}/follow-ups", {"planned_on": iso(today + 7 * DAY),
                                                   "mode": "home_visit"})
    assert follow_up.status_code == 201, follow_up.json()
    return {"base": base, "plan": plan.json()["id"], "service": shelter_stay.json()["id"],
            "journey": journey.json()["id"], "follow_up": follow_up.json()["id"],
            "code": opened_case.code}


def test_the_case_worker_reads_the_assistance_with_its_totals(story, case_worker, today):
    aizada = api(case_worker)
    journey = aizada.post(f"{story['base']}/returns/{story['journey']}/reception", {
        "arrived_on": iso(today - 24 * DAY), "received_by": "Duty officer, Manas airport"})
    assert journey.status_code == 200, journey.json()
    assert journey.json()["status"] == "arrived"
    body = aizada.get(story["base"]).json()
    assert body["own_case"] is True and body["follow_up_consent"] is True
    assert body["totals"]["nights"] == 15
    assert {(m["currency"], m["total"]) for m in body["totals"]["cost"]} == {
        ("KGS", "45000.00"), ("USD", "260.00")}
    assert body["totals"]["amount_given"] == [{"currency": "USD", "total": "250.00"}]
    assert body["support_plans"][0]["plan_type"] == "LabourExploitationRehabilitation"
    assert body["return_journeys"][0]["reception"]["received_by"].startswith("Duty officer")
    assert [f["planned_on"] for f in body["follow_ups"]] == [iso(today + 7 * DAY)]
    assert AuditEntry.objects.filter(action=AuditAction.ASSISTANCE_READ,
                                     purpose="API assistance").exists()


def test_patches_change_only_what_is_sent(story, case_worker, today):
    aizada = api(case_worker)
    ended = aizada.patch(f"{story['base']}/support-plans/{story['plan']}",
                         {"actual_end_on": iso(today)})
    assert ended.status_code == 200, ended.json()
    assert ended.json()["objectives"] == "Recovery and income"
    assert ended.json()["actual_end_on"] == iso(today)
    changed = aizada.patch(f"{story['base']}/services/{story['service']}", {"cost": "47000.50"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["cost"] == "47000.50" and changed.json()["nights"] == 15


def test_a_contact_is_recorded_and_the_worklist_lists_the_next(story, case_worker, today):
    aizada = api(case_worker)
    contact = aizada.post(f"{story['base']}/contacts", {
        "done_on": iso(today), "mode": "phone", "reached": False})
    assert contact.status_code == 422
    assert "next_contact_on" in contact.json()["errors"]
    contact = aizada.post(f"{story['base']}/contacts", {
        "done_on": iso(today), "mode": "phone", "reached": False,
        "next_contact_on": iso(today + DAY)})
    assert contact.status_code == 201, contact.json()
    due = aizada.get("/assistance/follow-ups/due").json()
    assert [row["planned_on"] for row in due["due_soon"]] == [iso(today + DAY),
                                                             iso(today + 7 * DAY)]
    assert due["due_soon"][0]["last_reached"] is False
    done = aizada.post(f"{story['base']}/follow-ups/{story['follow_up']}/contact", {
        "done_on": iso(today), "mode": "home_visit", "reached": True, "well_being": 4,
        "risk": 1, "notes": "Back at school."})
    assert done.status_code == 200, done.json()
    assert done.json()["risk"] == 1


def test_bad_input_is_refused_with_a_message_per_field(story, case_worker, shelter, today):
    aizada = api(case_worker)
    response = aizada.post(f"{story['base']}/services", {
        "service_type": "shelter", "provider_id": shelter.pk, "started_on": iso(today - DAY),
        "ended_on": iso(today - 3 * DAY), "outcome": "provided", "nights": 2})
    assert response.status_code == 422
    assert "cannot end before it starts" in response.json()["errors"]["ended_on"][0]
    response = aizada.post(f"{story['base']}/services", {
        "service_type": "medical", "provider_id": shelter.pk, "started_on": iso(today),
        "cost": "-1", "currency": "KGS"})
    assert response.status_code == 422 and "cost" in response.json()["errors"]
    response = aizada.post(f"{story['base']}/services", {
        "service_type": "medical", "provider_id": shelter.pk, "started_on": iso(today),
        "cost": "10", "currency": "ABC"})
    assert response.status_code == 422
    assert "ISO 4217" in response.json()["errors"]["currency"][0]
    assert ServiceRecord.objects.count() == 2


def test_cancelling_a_planned_contact(story, case_worker):
    aizada = api(case_worker)
    response = aizada.call("DELETE", f"{story['base']}/follow-ups/{story['follow_up']}")
    assert response.status_code == 204
    assert not FollowUp.objects.exists()


def operations(story: dict[str, Any], shelter_id: int, today: dt.date
               ) -> list[tuple[str, str, dict[str, Any] | None]]:
    base = story["base"]
    return [
        ("GET", base, None),
        ("POST", f"{base}/support-plans", {"plan_type": "Legal", "objectives": "x"}),
        ("PATCH", f"{base}/support-plans/{story['plan']}", {"objectives": "y"}),
        ("POST", f"{base}/services", {"service_type": "medical", "provider_id": shelter_id,
                                      "started_on": iso(today)}),
        ("PATCH", f"{base}/services/{story['service']}", {"cost": "1"}),
        ("POST", f"{base}/returns", {"from_country": "TR", "to_country": "KG",
                                     "travel_on": iso(today)}),
        ("PUT", f"{base}/returns/{story['journey']}", {"from_country": "TR",
                                                      "to_country": "KG",
                                                      "travel_on": iso(today)}),
        ("POST", f"{base}/returns/{story['journey']}/cancel", {"reason": "x"}),
        ("POST", f"{base}/returns/{story['journey']}/reception", {"arrived_on": iso(today)}),
        ("POST", f"{base}/follow-ups", {"planned_on": iso(today)}),
        ("PUT", f"{base}/follow-ups/{story['follow_up']}", {"planned_on": iso(today)}),
        ("DELETE", f"{base}/follow-ups/{story['follow_up']}", None),
        ("POST", f"{base}/contacts", {"done_on": iso(today), "mode": "phone",
                                                "reached": False,
                                                "next_contact_on": iso(today)}),
        ("POST", f"{base}/follow-ups/{story['follow_up']}/contact",
         {"done_on": iso(today), "mode": "phone", "reached": False,
          "next_contact_on": iso(today)}),
    ]


def _state() -> tuple[Any, ...]:
    journey = ReturnJourney.objects.get()
    return (SupportPlan.objects.count(), list(SupportPlan.objects.values_list("objectives")),
            ServiceRecord.objects.count(), list(ServiceRecord.objects.values_list("cost")),
            journey.status, journey.arrived_on, list(FollowUp.objects.values_list("planned_on",
                                                                                 "done_on")))


@pytest.mark.parametrize(("who", "status"), [
    (None, 401), ("outsider", 404), ("foreign_case_worker", 404), ("analyst", 404),
    ("coordinator", 403), ("org_admin", 403),
])
def test_every_operation_is_refused_to_those_outside_the_case(story, request, shelter, today,
                                                              who, status):
    caller = api(request.getfixturevalue(who) if who else None)
    before = _state()
    for method, path, body in operations(story, shelter.pk, today):
        response = caller.call(method, path, body)
        assert response.status_code == status, (method, path, response.content)
    assert _state() == before


@pytest.mark.parametrize(("who", "status"), [(None, 401), ("coordinator", 403),
                                             ("analyst", 403), ("org_admin", 403)])
def test_the_worklist_is_for_case_workers(request, db, who, status):
    caller = api(request.getfixturevalue(who) if who else None)
    assert caller.get("/assistance/follow-ups/due").status_code == status


def test_the_outsiders_worklist_is_empty(story, outsider):
    due = api(outsider).get("/assistance/follow-ups/due").json()
    assert due == {"overdue": [], "due_soon": [], "on_hold": []}


# --- the receiving organisation of a referral ----------------------------------------------------

def test_the_shelter_records_by_referral_and_sees_only_its_own(story, referral, shelter_worker,
                                                               case_worker, shelter, today):
    from nrm.referrals.services import referral_cancel

    madina = api(shelter_worker)
    recorded = madina.post(f"{story['base']}/services", {
        "service_type": "medical", "provider_id": shelter.pk, "started_on": iso(today)})
    assert recorded.status_code == 201, recorded.json()
    assert recorded.json()["referral_code"] == referral.code
    body = madina.get(story["base"]).json()
    assert body["own_case"] is False and body["may_record_services"] is True
    assert [s["id"] for s in body["services"]] == [recorded.json()["id"]]
    assert body["follow_ups"] is None and body["return_journeys"] == []
    assert [r["referral_code"] for r in body["referrals"]] == [referral.code]
    assert len(body["support_plans"]) == 1

    # What only the case's organisation does: 403; the records it made: 404.
    for method, path, payload in [
        ("POST", f"{story['base']}/support-plans", {"plan_type": "Legal", "objectives": "x"}),
        ("PATCH", f"{story['base']}/support-plans/{story['plan']}", {"objectives": "y"}),
        ("POST", f"{story['base']}/returns", {"from_country": "TR", "to_country": "KG",
                                             "travel_on": iso(today)}),
        ("POST", f"{story['base']}/follow-ups", {"planned_on": iso(today)}),
    ]:
        assert madina.call(method, path, payload).status_code == 403, path
    assert madina.patch(f"{story['base']}/services/{story['service']}",
                        {"cost": "1"}).status_code == 404
    assert madina.post(f"{story['base']}/returns/{story['journey']}/reception",
                       {"arrived_on": iso(today)}).status_code == 404

    # Safe Home sees the shelter's record in the referral's progress.
    progress = api(case_worker).get(story["base"]).json()["referrals"]
    assert progress[0]["totals"]["by_service_type"] == [{"service_type": "medical",
                                                         "records": 1}]
    referral_cancel(viewer=case_worker, referral=referral, reason="She went home.")
    assert madina.get(story["base"]).status_code == 404


def test_safe_home_links_a_record_to_the_referral_by_its_code(story, referral, case_worker,
                                                              shelter, today):
    aizada = api(case_worker)
    linked = aizada.post(f"{story['base']}/services", {
        "service_type": "psychological", "provider_id": shelter.pk, "started_on": iso(today),
        "referral_code": referral.display_code})
    assert linked.status_code == 201, linked.json()
    assert linked.json()["referral_code"] == referral.code
    unknown = aizada.post(f"{story['base']}/services", {
        "service_type": "psychological", "provider_id": shelter.pk, "started_on": iso(today),
        "referral_code": "2345-6789-A"})
    assert unknown.status_code == 422 and "referral_code" in unknown.json()["errors"]
