"""Following Айгуль up after assistance, so that she does not fall back into the hands of
traffickers unseen: contacts need her follow-up consent; a contact that does not reach her, or
finds her in crisis or at high risk, needs the next one planned at once; the worklist shows
what is overdue and coming up."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nrm.assistance import services
from nrm.assistance.choices import RetraffickingRisk, WellBeing
from nrm.assistance.inputs import ContactInput, FollowUpPlanInput
from nrm.assistance.models import FollowUp
from nrm.assistance.selectors import follow_ups_due_for_viewer
from nrm.core.models import AuditAction, AuditEntry
from nrm.registry.services import consent_withdraw
from tests.assistance.conftest import record_follow_up_consent

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def test_without_follow_up_consent_no_contact_is_planned_or_recorded(case_worker,
                                                                     opened_case, today):
    with pytest.raises(ValidationError) as raised:
        services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                    plan=FollowUpPlanInput(planned_on=today + 7 * DAY))
    assert "not consented to follow-up contact" in raised.value.messages[0]
    with pytest.raises(ValidationError):
        services.follow_up_contact(viewer=case_worker, case=opened_case, contact=ContactInput(
            done_on=today, mode="phone", reached=True, well_being=WellBeing.STABLE,
            risk=RetraffickingRisk.LOW))
    assert not FollowUp.objects.exists()


def test_a_refusal_recorded_after_consent_stops_follow_up(case_worker, opened_case,
                                                          follow_up_consent, today):
    services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                plan=FollowUpPlanInput(planned_on=today + DAY))
    record_follow_up_consent(case_worker, opened_case, given=False)
    with pytest.raises(ValidationError):
        services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                    plan=FollowUpPlanInput(planned_on=today + 9 * DAY))


def test_planned_contact_is_made_and_the_next_one_planned(case_worker, opened_case,
                                                          follow_up_consent, today):
    planned = services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                          plan=FollowUpPlanInput(planned_on=today,
                                                                 mode="home_visit"))
    assert planned.assigned_to == opened_case.case_worker
    services.follow_up_contact(
        viewer=case_worker, case=opened_case, follow_up=planned,
        contact=ContactInput(done_on=today, mode="home_visit", reached=True,
                             well_being=WellBeing.WELL, risk=RetraffickingRisk.LOW,
                             notes="Working at a sewing cooperative; lives with her mother."),
        next_contact_on=today + 90 * DAY)
    planned.refresh_from_db()
    assert planned.is_done and planned.reached and planned.risk == RetraffickingRisk.LOW
    upcoming = FollowUp.objects.get(done_on__isnull=True)
    assert upcoming.planned_on == today + 90 * DAY and upcoming.mode == "home_visit"
    assert AuditEntry.objects.filter(action=AuditAction.FOLLOW_UP_CHANGED).count() == 3


@pytest.mark.parametrize(("reached", "well_being", "risk"), [
    (False, None, None),
    (True, WellBeing.IN_CRISIS, RetraffickingRisk.LOW),
    (True, WellBeing.STABLE, RetraffickingRisk.HIGH),
])
def test_a_worrying_contact_needs_the_next_one_planned(case_worker, opened_case,
                                                       follow_up_consent, today, reached,
                                                       well_being, risk):
    contact = ContactInput(done_on=today, mode="phone", reached=reached, well_being=well_being,
                           risk=risk, notes="The phone is switched off.")
    with pytest.raises(ValidationError) as raised:
        services.follow_up_contact(viewer=case_worker, case=opened_case, contact=contact)
    assert "plan the next contact" in raised.value.message_dict["next_contact_on"][0]
    assert not FollowUp.objects.exists()
    services.follow_up_contact(viewer=case_worker, case=opened_case, contact=contact,
                               next_contact_on=today + 2 * DAY)
    assert FollowUp.objects.filter(done_on__isnull=True, planned_on=today + 2 * DAY).exists()


@pytest.mark.parametrize(("contact", "field"), [
    ({"reached": True, "well_being": None, "risk": RetraffickingRisk.LOW}, "well_being"),
    ({"reached": True, "well_being": WellBeing.WELL, "risk": None}, "risk"),
    ({"reached": True, "well_being": 9, "risk": RetraffickingRisk.LOW}, "well_being"),
    ({"reached": False, "well_being": WellBeing.WELL, "risk": None}, "reached"),
    ({"mode": "pigeon"}, "mode"),
    ({"done_on": "tomorrow"}, "done_on"),
])
def test_a_contact_that_does_not_make_sense_is_refused(case_worker, opened_case,
                                                       follow_up_consent, today, contact,
                                                       field):
    values = {"done_on": today, "mode": "phone", "reached": True,
              "well_being": WellBeing.STABLE, "risk": RetraffickingRisk.LOW, **contact}
    if values["done_on"] == "tomorrow":
        values["done_on"] = today + DAY
    with pytest.raises(ValidationError) as raised:
        services.follow_up_contact(viewer=case_worker, case=opened_case,
                                   contact=ContactInput(**values),
                                   next_contact_on=today + 30 * DAY)
    assert field in raised.value.message_dict
    assert not FollowUp.objects.exists()


def test_a_contact_cannot_be_planned_in_the_past(case_worker, opened_case, follow_up_consent,
                                                 today):
    with pytest.raises(ValidationError) as raised:
        services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                    plan=FollowUpPlanInput(planned_on=today - DAY))
    assert "today or later" in raised.value.message_dict["planned_on"][0]


def test_the_worklist_lists_overdue_and_coming_contacts_with_the_last_risk(
    case_worker, supervisor, colleague, opened_case, follow_up_consent, today
):
    services.follow_up_contact(
        viewer=case_worker, case=opened_case,
        contact=ContactInput(done_on=today - 10 * DAY, mode="phone", reached=True,
                             well_being=WellBeing.STRUGGLING, risk=RetraffickingRisk.HIGH),
        next_contact_on=today)
    overdue = FollowUp.objects.get(done_on__isnull=True)
    # Planned for today, then the day passes: overdue.
    FollowUp.objects.filter(pk=overdue.pk).update(planned_on=today - 3 * DAY)
    services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                plan=FollowUpPlanInput(planned_on=today + 5 * DAY))
    services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                plan=FollowUpPlanInput(planned_on=today + 30 * DAY))

    worklist = follow_ups_due_for_viewer(viewer=case_worker)
    assert [f.pk for f in worklist.overdue] == [overdue.pk]
    assert worklist.overdue[0].last_risk == RetraffickingRisk.HIGH
    assert [f.planned_on for f in worklist.due_soon] == [today + 5 * DAY]
    assert not worklist.on_hold
    # The supervisor sees the organisation's; a colleague not responsible sees none of it.
    assert len(follow_ups_due_for_viewer(viewer=supervisor).overdue) == 1
    assert follow_ups_due_for_viewer(viewer=colleague).is_empty


def test_withdrawn_consent_puts_planned_contacts_on_hold(case_worker, opened_case,
                                                         follow_up_consent, today):
    services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                plan=FollowUpPlanInput(planned_on=today + 2 * DAY))
    consent_withdraw(viewer=case_worker, consent=follow_up_consent)
    worklist = follow_ups_due_for_viewer(viewer=case_worker)
    assert not worklist.due_soon and len(worklist.on_hold) == 1
    # Without consent a planned contact can still be cancelled.
    services.follow_up_cancel(viewer=case_worker, follow_up=worklist.on_hold[0])
    assert not FollowUp.objects.exists()


def test_others_have_no_follow_up_worklist(outsider, coordinator, analyst, opened_case,
                                           case_worker, follow_up_consent, today):
    services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                plan=FollowUpPlanInput(planned_on=today))
    for viewer in (outsider, coordinator, analyst):
        assert follow_ups_due_for_viewer(viewer=viewer).is_empty


def test_the_worklist_is_one_query(case_worker, opened_case, follow_up_consent, today,
                                   django_assert_max_num_queries):
    for days in range(5):
        services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                    plan=FollowUpPlanInput(planned_on=today + days * DAY))
    # One read and one audit entry, however many contacts are due.
    with django_assert_max_num_queries(2):
        worklist = follow_ups_due_for_viewer(viewer=case_worker)
        assert [str(f.case.person.code) for f in worklist.due_soon]


def test_a_contact_is_assigned_only_to_a_case_worker_of_the_case_organisation(
    case_worker, colleague, org_admin, outsider, opened_case, follow_up_consent, today
):
    follow_up = services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                            plan=FollowUpPlanInput(planned_on=today,
                                                                   assigned_to_id=colleague.user.pk))
    assert follow_up.assigned_to == colleague.user
    for other in (org_admin, outsider):
        with pytest.raises(ValidationError) as raised:
            services.follow_up_schedule(viewer=case_worker, case=opened_case,
                                        plan=FollowUpPlanInput(planned_on=today,
                                                               assigned_to_id=other.user.pk))
        assert "assigned_to_id" in raised.value.message_dict
