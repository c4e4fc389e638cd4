"""Recording assistance: Safe Home's case worker plans Айгуль's support, records the services she
receives with their cost, plans her return and follows her up. Bad input gets a message that
says what to fix and leaves nothing written; every write is audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nrm.assistance import services
from nrm.assistance.choices import ServiceOutcome
from nrm.assistance.inputs import (
    ReceptionInput,
    ReturnJourneyInput,
    ServiceInput,
    SupportPlanInput,
    TravelDocumentInput,
)
from nrm.assistance.models import ReturnJourney, ServiceRecord, SupportPlan
from nrm.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def errors_of(raised: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return raised.value.message_dict


def shelter_stay(shelter, today, **changes) -> ServiceInput:
    values = {"service_type": "shelter", "provider_id": shelter.pk,
              "started_on": today - 20 * DAY, "ended_on": today - 6 * DAY, "nights": 14,
              "cost": "42000.00", "currency": "KGS", "outcome": ServiceOutcome.PROVIDED}
    values.update(changes)
    return ServiceInput(**values)


# --- support plans -----------------------------------------------------------------------------

def test_case_worker_starts_a_support_plan_and_it_is_audited(case_worker, opened_case, today):
    plan = services.support_plan_create(viewer=case_worker, case=opened_case, plan=SupportPlanInput(
        plan_type="Health", objectives="Recover from the injuries of the workshop",
        action_plan="Medical examination; physiotherapy; psychological support",
        planned_end_on=today + 90 * DAY))
    assert plan.started_on == today and plan.is_open
    entry = AuditEntry.objects.get(action=AuditAction.SUPPORT_PLAN_CHANGED)
    assert entry.person_code == opened_case.person.code
    assert entry.actor == case_worker.user
    assert "objectives" in entry.fields


def test_one_open_plan_per_type_and_a_new_one_once_the_first_has_ended(case_worker,
                                                                      opened_case, today):
    first = services.support_plan_create(
        viewer=case_worker, case=opened_case,
        plan=SupportPlanInput(plan_type="Livelihood", objectives="Income of her own",
                              started_on=today - 30 * DAY))
    services.support_plan_create(viewer=case_worker, case=opened_case, plan=SupportPlanInput(
        plan_type="Health", objectives="Health"))
    with pytest.raises(ValidationError) as raised:
        services.support_plan_create(viewer=case_worker, case=opened_case, plan=SupportPlanInput(
            plan_type="Livelihood", objectives="Again"))
    assert "end it before starting another" in errors_of(raised)["plan_type"][0]
    services.support_plan_update(viewer=case_worker, plan=first, changes=SupportPlanInput(
        plan_type="Livelihood", objectives="Income of her own", started_on=today - 30 * DAY,
        actual_end_on=today - DAY))
    second = services.support_plan_create(viewer=case_worker, case=opened_case,
                                          plan=SupportPlanInput(plan_type="Livelihood",
                                                                objectives="A second stage"))
    assert SupportPlan.objects.filter(case=opened_case).count() == 3
    assert second.is_open and not SupportPlan.objects.get(pk=first.pk).is_open


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"plan_type": "Shelter"}, "plan_type", "Unknown value"),
    ({"objectives": "  "}, "objectives", "required"),
    ({"planned_end_on": "before"}, "planned_end_on", "before the plan starts"),
    ({"actual_end_on": "before"}, "actual_end_on", "cannot end before it starts"),
    ({"started_on": "future"}, "started_on", "future"),
])
def test_a_support_plan_that_does_not_make_sense_is_refused(case_worker, opened_case, today,
                                                             changes, field, says):
    values = {"plan_type": "Legal", "objectives": "Residence permit",
              "started_on": today - 10 * DAY}
    for name, value in changes.items():
        values[name] = {"before": today - 20 * DAY, "future": today + DAY}.get(value, value)
    with pytest.raises(ValidationError) as raised:
        services.support_plan_create(viewer=case_worker, case=opened_case,
                                     plan=SupportPlanInput(**values))
    assert says in errors_of(raised)[field][0]
    assert not SupportPlan.objects.exists()


# --- service records ---------------------------------------------------------------------------

def test_shelter_stay_with_nights_and_cost_is_recorded(case_worker, opened_case, shelter, today):
    record = services.service_record(viewer=case_worker, case=opened_case,
                                     service=shelter_stay(shelter, today))
    assert (record.nights, record.cost, record.currency) == (14, Decimal("42000.00"), "KGS")
    assert record.recorded_for_id == case_worker.organisation_id
    entry = AuditEntry.objects.get(action=AuditAction.SERVICE_RECORDED)
    assert {"nights", "cost", "currency", "provider_id"} <= set(entry.fields)


def test_every_service_of_the_taxonomy_can_be_recorded(case_worker, opened_case, shelter,
                                                       today):
    from nrm.assistance.choices import ASSISTANCE_SERVICE_TYPES

    opened_case.person.birth_year = today.year - 15
    opened_case.person.save(update_fields=["birth_year"])
    for code in ASSISTANCE_SERVICE_TYPES:
        extra = {"nights": 3} if code == "shelter" else {}
        if code == "economic_support":
            extra = {"amount": "15000", "currency": "KGS"}
        services.service_record(viewer=case_worker, case=opened_case, service=ServiceInput(
            service_type=code, provider_id=shelter.pk, started_on=today - 10 * DAY, **extra))
    assert ServiceRecord.objects.count() == len(ASSISTANCE_SERVICE_TYPES) == 16


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"ended_on": "before start"}, "ended_on", "cannot end before it starts"),
    ({"nights": 30}, "nights", "do not fit"),
    ({"nights": 0}, "nights", "at least one night"),
    ({"nights": None}, "nights", "number of nights"),
    ({"currency": "XYZ"}, "currency", "ISO 4217"),
    ({"currency": ""}, "currency", "currency of the cost"),
    ({"cost": "-5"}, "cost", "cannot be negative"),
    ({"cost": "12.345"}, "cost", "two decimals"),
    ({"cost": "lots"}, "cost", "as a number"),
    ({"outcome": ServiceOutcome.IN_PROGRESS}, "outcome", "say what came of it"),
    ({"ended_on": None}, "ended_on", "date the service ended"),
    ({"service_type": "outreach"}, "service_type", "from the list"),
    ({"provider_id": 10**9}, "provider_id", "not in the directory"),
    ({"amount": "500"}, "amount", "Only economic support"),
    ({"started_on": "future"}, "started_on", "future"),
])
def test_a_service_record_that_does_not_make_sense_is_refused(case_worker, opened_case,
                                                              shelter, today, changes, field,
                                                              says):
    values = {name: {"before start": today - 30 * DAY, "future": today + DAY}.get(value, value)
              if isinstance(value, str) else value for name, value in changes.items()}
    with pytest.raises(ValidationError) as raised:
        services.service_record(viewer=case_worker, case=opened_case,
                                service=shelter_stay(shelter, today, **values))
    assert says in " ".join(errors_of(raised)[field])
    assert not ServiceRecord.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditAction.SERVICE_RECORDED).exists()


def test_an_ongoing_shelter_stay_counts_nights_up_to_today(case_worker, opened_case, shelter,
                                                            today):
    ongoing = shelter_stay(shelter, today, ended_on=None, outcome=ServiceOutcome.IN_PROGRESS,
                           nights=20)
    record = services.service_record(viewer=case_worker, case=opened_case, service=ongoing)
    assert record.nights == 20
    with pytest.raises(ValidationError):
        services.service_update(viewer=case_worker, record=record,
                                service=shelter_stay(shelter, today, ended_on=None,
                                                     outcome=ServiceOutcome.IN_PROGRESS,
                                                     nights=21))


def test_economic_support_needs_the_amount_given(case_worker, opened_case, shelter, today):
    support = ServiceInput(service_type="economic_support", provider_id=shelter.pk,
                           started_on=today - 40 * DAY, ended_on=today - 10 * DAY,
                           outcome=ServiceOutcome.PROVIDED, currency="USD")
    with pytest.raises(ValidationError) as raised:
        services.service_record(viewer=case_worker, case=opened_case, service=support)
    assert "amount" in errors_of(raised)
    record = services.service_record(viewer=case_worker, case=opened_case, service=ServiceInput(
        **{**support.__dict__, "amount": "300", "cost": "320"}))
    assert (record.amount, record.cost, record.currency) == (Decimal(300), Decimal(320), "USD")


def test_guardianship_is_refused_for_someone_who_was_an_adult(case_worker, opened_case,
                                                               shelter, today):
    with pytest.raises(ValidationError) as raised:
        services.service_record(viewer=case_worker, case=opened_case, service=ServiceInput(
            service_type="guardianship", provider_id=shelter.pk, started_on=today - DAY))
    assert "for children" in errors_of(raised)["service_type"][0]


def test_a_service_points_only_to_a_plan_of_its_own_case(case_worker, opened_case, shelter,
                                                         today):
    from tests.conftest import register

    other = register(case_worker, given="Жибек", family="Осмонова", birth_date="1999-01-01")
    plan = services.support_plan_create(viewer=case_worker, case=other, plan=SupportPlanInput(
        plan_type="Health", objectives="x"))
    with pytest.raises(ValidationError) as raised:
        services.service_record(viewer=case_worker, case=opened_case,
                                service=shelter_stay(shelter, today, support_plan_id=plan.pk))
    assert "support_plan_id" in errors_of(raised)


def test_updating_a_service_records_what_changed(case_worker, opened_case, shelter, today):
    ongoing = shelter_stay(shelter, today, ended_on=None, outcome=ServiceOutcome.IN_PROGRESS,
                           nights=None, cost=None, currency="")
    record = services.service_record(viewer=case_worker, case=opened_case, service=ongoing)
    from nrm.assistance.inputs import service_input_from

    services.service_update(viewer=case_worker, record=record, service=service_input_from(
        record, ended_on=today, nights=20, outcome=ServiceOutcome.PROVIDED, cost="60000",
        currency="kgs"))
    record.refresh_from_db()
    assert (record.nights, record.currency, record.outcome) == (20, "KGS", "provided")
    last = AuditEntry.objects.filter(action=AuditAction.SERVICE_RECORDED).first()
    assert set(last.fields) == {"ended_on", "nights", "outcome", "cost", "currency"}


# --- who may write -----------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["outsider", "coordinator", "analyst", "foreign_case_worker"])
def test_nobody_outside_the_case_writes_its_assistance(request, who, opened_case, shelter,
                                                      today):
    from django.http import Http404

    viewer = request.getfixturevalue(who)
    writes = [
        lambda: services.support_plan_create(viewer=viewer, case=opened_case,
                                             plan=SupportPlanInput(plan_type="Health",
                                                                   objectives="x")),
        lambda: services.service_record(viewer=viewer, case=opened_case,
                                        service=shelter_stay(shelter, today)),
        lambda: services.return_journey_record(viewer=viewer, case=opened_case,
                                               journey=ReturnJourneyInput(
                                                   from_country="RU", to_country="KG",
                                                   travel_on=today)),
    ]
    for write in writes:
        with pytest.raises((Http404, PermissionDenied)):
            write()
    assert not SupportPlan.objects.exists() and not ServiceRecord.objects.exists()


# --- return journey ----------------------------------------------------------------------------

def journey_from_moscow(today, moscow_ngo=None, **changes) -> ReturnJourneyInput:
    values = {
        "from_country": "RU", "to_country": "KG", "travel_on": today + 5 * DAY,
        "travel_documents": [TravelDocumentInput(kind="certificate_of_return", status="applied")],
        "escort": "international", "escort_details": "IOMP operations assistant",
    }
    values.update(changes)
    return ReturnJourneyInput(**values)


def test_return_is_planned_then_received_on_arrival(case_worker, opened_case, today):
    journey = services.return_journey_record(viewer=case_worker, case=opened_case,
                                             journey=journey_from_moscow(today, travel_on=today))
    assert journey.status == "planned"
    assert journey.travel_documents == [{"kind": "certificate_of_return", "status": "applied"}]
    services.return_reception_record(viewer=case_worker, journey=journey,
                                     reception=ReceptionInput(arrived_on=today,
                                                              received_by="Duty social worker",
                                                              notes="Met at Manas airport"))
    journey.refresh_from_db()
    assert journey.status == "arrived" and journey.received_by == "Duty social worker"
    assert journey.reception_recorded_for_id == case_worker.organisation_id
    assert AuditEntry.objects.filter(action=AuditAction.RETURN_CHANGED).count() == 2


@pytest.mark.parametrize(("changes", "field", "says"), [
    ({"to_country": "RU"}, "to_country", "must differ"),
    ({"from_country": "XX"}, "from_country", "ISO 3166-1"),
    ({"travel_documents": [TravelDocumentInput("passport", "issued"),
                           TravelDocumentInput("passport", "needed")]},
     "travel_documents", "once"),
    ({"travel_documents": [TravelDocumentInput("visa", "issued")]}, "travel_documents",
     "Unknown value"),
    ({"escort": "none"}, "escort_details", "only when"),
    ({"receiving_organisation_id": "moscow"}, "receiving_organisation_id", "country of return"),
])
def test_a_return_that_does_not_make_sense_is_refused(case_worker, opened_case, moscow_ngo,
                                                      today, changes, field, says):
    if changes.get("receiving_organisation_id") == "moscow":
        changes["receiving_organisation_id"] = moscow_ngo.pk
    with pytest.raises(ValidationError) as raised:
        services.return_journey_record(viewer=case_worker, case=opened_case,
                                       journey=journey_from_moscow(today, **changes))
    assert says in errors_of(raised)[field][0]
    assert not ReturnJourney.objects.exists()


def test_reception_cannot_come_before_travel_nor_after_cancellation(case_worker, opened_case,
                                                                    today):
    journey = services.return_journey_record(
        viewer=case_worker, case=opened_case,
        journey=journey_from_moscow(today, travel_on=today - 2 * DAY))
    with pytest.raises(ValidationError) as raised:
        services.return_reception_record(viewer=case_worker, journey=journey,
                                         reception=ReceptionInput(arrived_on=today - 3 * DAY))
    assert "before the travel date" in errors_of(raised)["arrived_on"][0]
    services.return_journey_cancel(viewer=case_worker, journey=journey,
                                   reason="She chose to stay with her sister in Kazan.")
    with pytest.raises(ValidationError):
        services.return_reception_record(viewer=case_worker, journey=journey,
                                         reception=ReceptionInput(arrived_on=today))
    journey.refresh_from_db()
    assert journey.status == "cancelled" and journey.arrived_on is None


def test_check_return_journey_validates_without_saving(moscow_ngo, today, db):
    values = services.check_return_journey(journey_from_moscow(today, to_country="RU",
                                                               from_country="KG",
                                                               receiving_organisation_id=
                                                               moscow_ngo.pk))
    assert values["receiving_organisation"] == moscow_ngo
    assert not ReturnJourney.objects.exists()
