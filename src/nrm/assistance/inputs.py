"""Plain, typed inputs of assistance's services, shared by forms, the API, the demo and the
exchange packages that carry a return journey between deployments."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from nrm.assistance.choices import ContactMode, Escort, ServiceOutcome


@dataclass(frozen=True)
class SupportPlanInput:
    plan_type: str
    objectives: str
    action_plan: str = ""
    started_on: dt.date | None = None  # today when not given
    planned_end_on: dt.date | None = None
    actual_end_on: dt.date | None = None


@dataclass(frozen=True)
class ServiceInput:
    service_type: str
    provider_id: int
    started_on: dt.date
    ended_on: dt.date | None = None
    cost: Decimal | int | str | None = None
    currency: str = ""
    nights: int | None = None  # shelter only
    amount: Decimal | int | str | None = None  # economic support only: what the person received
    outcome: str = ServiceOutcome.IN_PROGRESS
    note: str = ""
    support_plan_id: int | None = None
    # The referral the service answers; a receiving organisation's records answer its own.
    referral_id: int | None = None


@dataclass(frozen=True)
class TravelDocumentInput:
    kind: str
    status: str


@dataclass(frozen=True)
class ReturnJourneyInput:
    """A return across a border, as the sending side plans it."""

    from_country: str
    to_country: str
    travel_on: dt.date
    travel_documents: list[TravelDocumentInput] = field(default_factory=list)
    escort: str = Escort.NONE
    escort_details: str = ""
    receiving_organisation_id: int | None = None


@dataclass(frozen=True)
class ReceptionInput:
    """The reception on arrival, as the receiving partner records it."""

    arrived_on: dt.date
    received_by: str = ""
    notes: str = ""


@dataclass(frozen=True)
class FollowUpPlanInput:
    planned_on: dt.date
    mode: str = ContactMode.PHONE
    assigned_to_id: int | None = None  # the case's case worker when not given


@dataclass(frozen=True)
class ContactInput:
    """What a follow-up contact found. Well-being and risk are required when the person was
    reached; an attempt that did not reach the person is recorded too."""

    done_on: dt.date
    mode: str
    reached: bool
    well_being: int | None = None
    risk: int | None = None
    notes: str = ""


def plan_input_from(plan: Any, **changes: Any) -> SupportPlanInput:
    """The input that would record the support plan as it is, with ``changes``: for a form or
    a PATCH that sends only what changes."""
    current = SupportPlanInput(
        plan_type=plan.plan_type, objectives=plan.objectives, action_plan=plan.action_plan,
        started_on=plan.started_on, planned_end_on=plan.planned_end_on,
        actual_end_on=plan.actual_end_on)
    return dataclasses.replace(current, **changes)


def service_input_from(record: Any, **changes: Any) -> ServiceInput:
    """The input that would record the service record as it is, with ``changes``."""
    current = ServiceInput(
        service_type=record.service_type, provider_id=record.provider_id,
        started_on=record.started_on, ended_on=record.ended_on, cost=record.cost,
        currency=record.currency, nights=record.nights, amount=record.amount,
        outcome=record.outcome, note=record.note, support_plan_id=record.support_plan_id,
        referral_id=record.referral_id)
    return dataclasses.replace(current, **changes)


def journey_input_from(journey: Any, **changes: Any) -> ReturnJourneyInput:
    """The input that would record the return journey as it is, with ``changes``."""
    current = ReturnJourneyInput(
        from_country=journey.from_country, to_country=journey.to_country,
        travel_on=journey.travel_on,
        travel_documents=[TravelDocumentInput(kind=d["kind"], status=d["status"])
                          for d in journey.travel_documents or ()],
        escort=journey.escort, escort_details=journey.escort_details,
        receiving_organisation_id=journey.receiving_organisation_id)
    return dataclasses.replace(current, **changes)
