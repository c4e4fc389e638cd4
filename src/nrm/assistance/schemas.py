"""Assistance over the API: what a client may send (bounded, typed) and what it gets back.

Inputs refuse what is malformed or oversized before any service runs; the services check
meaning (dates that fit, known currencies, who may do what). Outputs are built from what the
selectors gave: a receiving organisation gets the plans and its own service records only.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, StringConstraints

from nrm.assistance.choices import (
    ASSISTANCE_SERVICE_TYPES,
    ContactMode,
    Escort,
    RetraffickingRisk,
    ServiceOutcome,
    SupportPlanType,
    TravelDocumentKind,
    TravelDocumentStatus,
    WellBeing,
)
from nrm.assistance.inputs import (
    ContactInput,
    FollowUpPlanInput,
    ReceptionInput,
    ReturnJourneyInput,
    SupportPlanInput,
    TravelDocumentInput,
)
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from nrm.assistance.selectors import AssistanceOverview, FollowUpWorklist, ServiceTotals
from nrm.registry.schemas import PLAIN_TEXT, Input, OrganisationRefOut, RecordId, organisation_ref


def _plain(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(max_length=max_length, min_length=min_length, pattern=PLAIN_TEXT)


Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
Currency = Annotated[str, StringConstraints(pattern=r"^([A-Za-z]{3})?$")]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
ReferralCode = Annotated[str, _plain(20, min_length=1)]
ServiceType = Annotated[str, Field(json_schema_extra={"enum": list(ASSISTANCE_SERVICE_TYPES)},
                                   max_length=40)]


# --- input -----------------------------------------------------------------------------------

class SupportPlanIn(Input):
    plan_type: SupportPlanType
    objectives: Annotated[str, _plain(4000, min_length=1)]
    action_plan: Annotated[str, _plain(8000)] = ""
    started_on: dt.date | None = None
    planned_end_on: dt.date | None = None
    actual_end_on: dt.date | None = None

    def to_input(self) -> SupportPlanInput:
        return SupportPlanInput(**{**self.model_dump(), "plan_type": str(self.plan_type)})


class SupportPlanChangesIn(Input):
    """A PATCH: only the fields sent change."""

    plan_type: SupportPlanType | None = None
    objectives: Annotated[str, _plain(4000, min_length=1)] | None = None
    action_plan: Annotated[str, _plain(8000)] | None = None
    started_on: dt.date | None = None
    planned_end_on: dt.date | None = None
    actual_end_on: dt.date | None = None


class ServiceIn(Input):
    service_type: ServiceType
    provider_id: RecordId
    started_on: dt.date
    ended_on: dt.date | None = None
    cost: Amount | None = None
    currency: Currency = ""
    nights: int | None = Field(default=None, ge=0, le=100_000)
    amount: Amount | None = None
    outcome: ServiceOutcome = ServiceOutcome.IN_PROGRESS
    note: Annotated[str, _plain(2000)] = ""
    support_plan_id: RecordId | None = None
    referral_code: ReferralCode | None = Field(
        default=None, description="The referral the service answers (the case's own "
                                  "organisation; a receiving organisation's records answer "
                                  "its own referral).")


class ServiceChangesIn(Input):
    """A PATCH: only the fields sent change."""

    service_type: ServiceType | None = None
    provider_id: RecordId | None = None
    started_on: dt.date | None = None
    ended_on: dt.date | None = None
    cost: Amount | None = None
    currency: Currency | None = None
    nights: int | None = Field(default=None, ge=0, le=100_000)
    amount: Amount | None = None
    outcome: ServiceOutcome | None = None
    note: Annotated[str, _plain(2000)] | None = None
    support_plan_id: RecordId | None = None
    referral_code: ReferralCode | None = None


class TravelDocumentIn(Input):
    kind: TravelDocumentKind
    status: TravelDocumentStatus


class ReturnJourneyIn(Input):
    from_country: Country
    to_country: Country
    travel_on: dt.date
    travel_documents: list[TravelDocumentIn] = Field(default_factory=list, max_length=10)
    escort: Escort = Escort.NONE
    escort_details: Annotated[str, _plain(300)] = ""
    receiving_organisation_id: RecordId | None = None

    def to_input(self) -> ReturnJourneyInput:
        return ReturnJourneyInput(
            from_country=self.from_country, to_country=self.to_country,
            travel_on=self.travel_on,
            travel_documents=[TravelDocumentInput(kind=str(d.kind), status=str(d.status))
                              for d in self.travel_documents],
            escort=str(self.escort), escort_details=self.escort_details,
            receiving_organisation_id=self.receiving_organisation_id)


class CancelIn(Input):
    reason: Annotated[str, _plain(2000, min_length=1)]


class ReceptionIn(Input):
    arrived_on: dt.date
    received_by: Annotated[str, _plain(200)] = ""
    notes: Annotated[str, _plain(2000)] = ""

    def to_input(self) -> ReceptionInput:
        return ReceptionInput(**self.model_dump())


class FollowUpPlanIn(Input):
    planned_on: dt.date
    mode: ContactMode = ContactMode.PHONE
    assigned_to_id: RecordId | None = None

    def to_input(self) -> FollowUpPlanInput:
        return FollowUpPlanInput(planned_on=self.planned_on, mode=str(self.mode),
                                 assigned_to_id=self.assigned_to_id)


class ContactIn(Input):
    done_on: dt.date
    mode: ContactMode
    reached: bool
    well_being: WellBeing | None = None
    risk: RetraffickingRisk | None = None
    notes: Annotated[str, _plain(4000)] = ""
    next_contact_on: dt.date | None = Field(
        default=None, description="Required when the person was not reached, is in crisis "
                                  "or at high risk of re-trafficking.")

    def to_input(self) -> ContactInput:
        return ContactInput(
            done_on=self.done_on, mode=str(self.mode), reached=self.reached,
            well_being=None if self.well_being is None else int(self.well_being),
            risk=None if self.risk is None else int(self.risk), notes=self.notes)


# --- output ----------------------------------------------------------------------------------

class SupportPlanOut(Schema):
    id: int
    plan_type: str
    objectives: str
    action_plan: str
    started_on: dt.date
    planned_end_on: dt.date | None
    actual_end_on: dt.date | None


class ServiceRecordOut(Schema):
    id: int
    service_type: str
    provider: OrganisationRefOut
    recorded_by_organisation: OrganisationRefOut
    support_plan_id: int | None
    referral_code: str | None
    started_on: dt.date
    ended_on: dt.date | None
    cost: Decimal | None
    currency: str
    nights: int | None
    amount: Decimal | None
    outcome: str
    note: str


class MoneyOut(Schema):
    currency: str
    total: Decimal


class ServiceCountOut(Schema):
    service_type: str
    records: int


class ServiceTotalsOut(Schema):
    records: int
    nights: int
    cost: list[MoneyOut]
    amount_given: list[MoneyOut]
    by_service_type: list[ServiceCountOut]


class TravelDocumentOut(Schema):
    kind: str
    status: str


class ReceptionOut(Schema):
    arrived_on: dt.date
    received_by: str
    notes: str
    recorded_by_organisation: OrganisationRefOut | None


class ReturnJourneyOut(Schema):
    id: int
    from_country: str
    to_country: str
    travel_on: dt.date
    travel_documents: list[TravelDocumentOut]
    escort: str
    escort_details: str
    receiving_organisation: OrganisationRefOut | None
    status: str
    cancel_reason: str
    reception: ReceptionOut | None


class FollowUpOut(Schema):
    id: int
    planned_on: dt.date
    mode: str
    done_on: dt.date | None
    reached: bool | None
    well_being: int | None
    risk: int | None
    notes: str
    assigned_to: str | None


class ReferralProgressOut(Schema):
    referral_code: str
    to_organisation: OrganisationRefOut
    status: str
    services_requested: list[str]
    totals: ServiceTotalsOut


class AssistanceOut(Schema):
    case_code: str
    # Whether the caller's organisation owns the case (else: it works on it by referral).
    own_case: bool
    # False for a receiving organisation whose referral is completed: it only reads.
    may_record_services: bool
    referrals: list[ReferralProgressOut]
    support_plans: list[SupportPlanOut]
    services: list[ServiceRecordOut]
    totals: ServiceTotalsOut
    return_journeys: list[ReturnJourneyOut]
    follow_ups: list[FollowUpOut] | None
    follow_up_consent: bool | None


class DueFollowUpOut(Schema):
    id: int
    case_code: str
    planned_on: dt.date
    mode: str
    assigned_to: str | None
    last_contact_on: dt.date | None
    last_reached: bool | None
    last_well_being: int | None
    last_risk: int | None


class FollowUpWorklistOut(Schema):
    overdue: list[DueFollowUpOut]
    due_soon: list[DueFollowUpOut]
    on_hold: list[DueFollowUpOut]


def support_plan_out(plan: SupportPlan) -> SupportPlanOut:
    return SupportPlanOut.model_validate(plan, from_attributes=True)


def service_record_out(record: ServiceRecord) -> ServiceRecordOut:
    return ServiceRecordOut(
        id=record.pk, service_type=record.service_type,
        provider=_ref(record.provider), recorded_by_organisation=_ref(record.recorded_for),
        support_plan_id=record.support_plan_id,
        referral_code=record.referral.code if record.referral else None,
        started_on=record.started_on,
        ended_on=record.ended_on, cost=record.cost, currency=record.currency,
        nights=record.nights, amount=record.amount, outcome=record.outcome, note=record.note)


def _ref(organisation: Any) -> OrganisationRefOut:
    ref = organisation_ref(organisation)
    assert ref is not None  # noqa: S101 (a required relation)
    return ref


def totals_out(totals: ServiceTotals) -> ServiceTotalsOut:
    return ServiceTotalsOut(
        records=totals.records, nights=totals.nights,
        cost=[MoneyOut(currency=c, total=t) for c, t in totals.cost_by_currency],
        amount_given=[MoneyOut(currency=c, total=t) for c, t in totals.amount_by_currency],
        by_service_type=[ServiceCountOut(service_type=code, records=count)
                         for code, _label, count in totals.by_type])


def return_journey_out(journey: ReturnJourney) -> ReturnJourneyOut:
    reception = None
    if journey.arrived_on is not None:
        reception = ReceptionOut(
            arrived_on=journey.arrived_on, received_by=journey.received_by,
            notes=journey.reception_notes,
            recorded_by_organisation=organisation_ref(journey.reception_recorded_for))
    return ReturnJourneyOut(
        id=journey.pk, from_country=journey.from_country, to_country=journey.to_country,
        travel_on=journey.travel_on,
        travel_documents=[TravelDocumentOut(kind=d["kind"], status=d["status"])
                          for d in journey.travel_documents or ()],
        escort=journey.escort, escort_details=journey.escort_details,
        receiving_organisation=organisation_ref(journey.receiving_organisation),
        status=journey.status, cancel_reason=journey.cancel_reason, reception=reception)


def _username(user: Any) -> str | None:
    return None if user is None else str(user.get_username())


def follow_up_out(follow_up: FollowUp) -> FollowUpOut:
    return FollowUpOut(
        id=follow_up.pk, planned_on=follow_up.planned_on, mode=follow_up.mode,
        done_on=follow_up.done_on, reached=follow_up.reached, well_being=follow_up.well_being,
        risk=follow_up.risk, notes=follow_up.notes,
        assigned_to=_username(follow_up.assigned_to))


def assistance_out(overview: AssistanceOverview) -> AssistanceOut:
    access = overview.access
    return AssistanceOut(
        case_code=access.case.code, own_case=access.owner,
        may_record_services=access.records_services,
        referrals=[ReferralProgressOut(
            referral_code=row.referral.code, to_organisation=_ref(row.referral.to_organisation),
            status=row.referral.status, services_requested=list(row.referral.services_requested),
            totals=totals_out(row.totals)) for row in overview.referrals],
        support_plans=[support_plan_out(plan) for plan in overview.plans],
        services=[service_record_out(record) for record in overview.services],
        totals=totals_out(overview.totals),
        return_journeys=[return_journey_out(journey) for journey in overview.journeys],
        follow_ups=([follow_up_out(f) for f in overview.follow_ups]
                    if access.works_follow_ups else None),
        follow_up_consent=overview.follow_up_consent)


def _due_out(row: Any) -> DueFollowUpOut:
    return DueFollowUpOut(
        id=row.pk, case_code=row.case.code, planned_on=row.planned_on, mode=row.mode,
        assigned_to=_username(row.assigned_to), last_contact_on=row.last_done_on,
        last_reached=row.last_reached, last_well_being=row.last_well_being,
        last_risk=row.last_risk)


def worklist_out(worklist: FollowUpWorklist) -> FollowUpWorklistOut:
    return FollowUpWorklistOut(overdue=[_due_out(r) for r in worklist.overdue],
                               due_soon=[_due_out(r) for r in worklist.due_soon],
                               on_hold=[_due_out(r) for r in worklist.on_hold])
