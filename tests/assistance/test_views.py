"""Safe Home's case worker works Айгуль's assistance on her phone-sized pages: starts a plan,
records a shelter stay and medical care (the service form shows nights only for shelter),
plans her return, records her reception, follows her up; the case page adds it all up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nrm.assistance import services
from nrm.assistance.inputs import ReturnJourneyInput, ServiceInput, SupportPlanInput
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from nrm.core.models import AuditAction, AuditEntry
from tests.conftest import login

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def url(name: str, case, *args) -> str:
    return reverse(f"assistance:{name}", args=[case.display_code, *args])


def test_the_registry_case_links_to_its_assistance(client, case_worker, opened_case):
    login(client, case_worker)
    page = client.get(reverse("registry:case_detail", args=[opened_case.display_code]))
    assert url("case", opened_case) in page.content.decode()


def test_the_menu_links_to_the_follow_ups_due(client, case_worker, opened_case):
    login(client, case_worker)
    page = client.get(reverse("registry:case_detail", args=[opened_case.display_code]))
    assert reverse("assistance:follow_ups_due") in page.content.decode()


def test_case_worker_records_assistance_through_the_pages(client, case_worker, opened_case,
                                                          shelter, follow_up_consent, today):
    login(client, case_worker)
    response = client.post(url("plan_add", opened_case), {
        "plan_type": "SexualExploitationRehabilitation", "objectives": "Safety, recovery",
        "action_plan": "Shelter; medical; counselling", "started_on": today - 10 * DAY,
        "planned_end_on": today + 80 * DAY})
    assert response.status_code == 302, response.content.decode()[:2000]
    plan = SupportPlan.objects.get()

    response = client.post(url("service_add", opened_case), {
        "service_type": "shelter", "provider": shelter.pk, "support_plan": plan.pk,
        "started_on": today - 10 * DAY, "ended_on": today - 2 * DAY, "outcome": "provided",
        "nights": 8, "cost": "24000", "currency": "kgs"})
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(url("service_add", opened_case), {
        "service_type": "medical", "provider": shelter.pk, "started_on": today - 9 * DAY,
        "outcome": "in_progress", "cost": "150", "currency": "USD"})
    assert ServiceRecord.objects.count() == 2

    response = client.post(url("return_add", opened_case), {
        "from_country": "RU", "to_country": "KG", "travel_on": today - 12 * DAY,
        "escort": "international", "escort_details": "Operations assistant",
        "doc_certificate_of_return": "handed_over", "doc_passport": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    journey = ReturnJourney.objects.get()
    assert journey.travel_documents == [{"kind": "certificate_of_return",
                                         "status": "handed_over"}]
    response = client.post(url("reception", opened_case, journey.pk), {
        "arrived_on": today - 11 * DAY, "received_by": "Duty social worker",
        "notes": "Met at the airport"})
    assert response.status_code == 302

    response = client.post(url("contact_add", opened_case), {
        "done_on": today, "mode": "phone", "reached": "yes", "well_being": "3", "risk": "3",
        "notes": "The recruiter called her again."})
    assert response.status_code == 200
    assert "plan the next contact" in response.content.decode()
    response = client.post(url("contact_add", opened_case), {
        "done_on": today, "mode": "phone", "reached": "yes", "well_being": "3", "risk": "3",
        "notes": "The recruiter called her again.", "next_contact_on": today + 2 * DAY})
    assert response.status_code == 302
    assert FollowUp.objects.filter(done_on__isnull=True).count() == 1

    page = client.get(url("case", opened_case)).content.decode()
    for expected in ("Rehabilitation after sexual exploitation", "24000.00 KGS",
                     "150.00 USD", "Duty social worker", "Arrived", "High"):
        assert expected in page, expected
    assert AuditEntry.objects.filter(action=AuditAction.ASSISTANCE_READ,
                                     person_code=opened_case.person.code).exists()


def test_a_refused_service_keeps_what_was_typed_and_says_what_to_fix(client, case_worker,
                                                                    opened_case, shelter,
                                                                    today):
    login(client, case_worker)
    response = client.post(url("service_add", opened_case), {
        "service_type": "shelter", "provider": shelter.pk, "started_on": today - 3 * DAY,
        "ended_on": today - DAY, "outcome": "provided", "nights": 9})
    body = response.content.decode()
    assert response.status_code == 200
    assert "9 nights do not fit" in body
    assert not ServiceRecord.objects.exists()


def test_the_service_form_shows_nights_only_for_shelter(client, case_worker, opened_case):
    login(client, case_worker)
    shelter_form = client.get(url("service_add", opened_case), {"service_type": "shelter"},
                              headers={"HX-Request": "true"}).content.decode()
    medical_form = client.get(url("service_add", opened_case), {"service_type": "medical"},
                              headers={"HX-Request": "true"}).content.decode()
    assert 'name="nights"' in shelter_form and 'name="nights"' not in medical_form
    assert 'name="amount"' not in shelter_form
    economic = client.get(url("service_add", opened_case),
                          {"service_type": "economic_support"},
                          headers={"HX-Request": "true"}).content.decode()
    assert 'name="amount"' in economic


def test_edit_pages_show_the_record(client, case_worker, opened_case, shelter, today,
                                    follow_up_consent):
    plan = services.support_plan_create(viewer=case_worker, case=opened_case,
                                        plan=SupportPlanInput(plan_type="Health",
                                                              objectives="Treatment"))
    record = services.service_record(viewer=case_worker, case=opened_case, service=ServiceInput(
        service_type="psychological", provider_id=shelter.pk, started_on=today - DAY,
        note="Weekly sessions"))
    journey = services.return_journey_record(viewer=case_worker, case=opened_case,
                                             journey=ReturnJourneyInput(
                                                 from_country="TR", to_country="KG",
                                                 travel_on=today + 3 * DAY))
    login(client, case_worker)
    assert "Treatment" in client.get(url("plan_edit", opened_case, plan.pk)).content.decode()
    assert "Weekly sessions" in client.get(url("service_edit", opened_case,
                                               record.pk)).content.decode()
    assert client.get(url("return_edit", opened_case, journey.pk)).status_code == 200
    response = client.post(url("return_cancel", opened_case, journey.pk),
                           {"reason": "She decided to stay."})
    assert response.status_code == 302
    journey.refresh_from_db()
    assert journey.status == "cancelled"


def test_the_worklist_shows_overdue_contacts_with_the_last_risk(client, case_worker,
                                                                opened_case,
                                                                follow_up_consent, today):
    from nrm.assistance.inputs import ContactInput

    services.follow_up_contact(viewer=case_worker, case=opened_case, contact=ContactInput(
        done_on=today - 5 * DAY, mode="phone", reached=False), next_contact_on=today)
    FollowUp.objects.filter(done_on__isnull=True).update(planned_on=today - DAY)
    login(client, case_worker)
    page = client.get(reverse("assistance:follow_ups_due")).content.decode()
    assert "follow-ups-overdue" in page
    assert opened_case.display_code in page
    assert "Not reached" in page


def test_without_follow_up_consent_the_page_says_so_and_offers_no_contact(client,
                                                                          case_worker,
                                                                          opened_case):
    login(client, case_worker)
    page = client.get(url("case", opened_case)).content.decode()
    assert "no consent to follow-up contact" in page
    assert url("follow_up_add", opened_case) not in page
    response = client.post(url("follow_up_add", opened_case),
                           {"planned_on": dt.date.today() + DAY, "mode": "phone"})
    assert response.status_code == 200
    assert "not consented to follow-up contact" in response.content.decode()
    assert not FollowUp.objects.exists()


def test_the_case_page_costs_the_same_queries_however_many_records(
    client, case_worker, opened_case, shelter, health_centre, follow_up_consent, today
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nrm.assistance.inputs import FollowUpPlanInput

    login(client, case_worker)

    def add(count: int) -> None:
        for index in range(count):
            services.service_record(viewer=case_worker, case=opened_case, service=ServiceInput(
                service_type="medical", provider_id=(shelter, health_centre)[index % 2].pk,
                started_on=today - DAY, cost="10", currency="KGS"))
            services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                        plan=FollowUpPlanInput(planned_on=today + index * DAY))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("case", opened_case)).status_code == 200
        return len(captured)

    add(2)
    few = queries()
    add(20)
    assert queries() == few
