"""Every write to assistance. Each service asks access.py whether the viewer may make it,
validates, writes, and records the audit entry in the same transaction; nothing is left
half-written when it raises.

Nothing here reads criminal proceedings: assistance never depends on cooperation with law
enforcement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.models import Membership
from nrm.accounts.viewer import Viewer
from nrm.assistance.access import (
    AssistanceAccess,
    follow_up_consent_in_force,
    require_access,
)
from nrm.assistance.choices import (
    ASSISTANCE_SERVICE_TYPES,
    CONCERNING_RISK,
    CONCERNING_WELL_BEING,
    ECONOMIC_SUPPORT,
    GUARDIANSHIP,
    SHELTER,
    ContactMode,
    Escort,
    RetraffickingRisk,
    ReturnStatus,
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
    ServiceInput,
    SupportPlanInput,
)
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.core.money import check_amount, check_currency
from nrm.directory.models import Organisation
from nrm.registry import validation as check
from nrm.registry.models import Case

ADULT_AGE = 18
# How far ahead a return or a follow-up contact may be planned.
PLANNING_HORIZON = dt.timedelta(days=3 * 366)
MAX_TRAVEL_DOCUMENTS = 10


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _audit(viewer: Viewer, action: AuditAction, obj: models.Model, case: Case,
           fields: Iterable[str]) -> None:
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id, action=action,
                 obj=obj, person_code=case.person.code, fields=fields)


def _text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _refuse(field, _("This field is required."))
    if len(value) > limit:
        raise _refuse(field, _("Write at most %(limit)s characters.") % {"limit": limit})
    return value


def _past_date(field: str, value: dt.date | None, *, not_before: dt.date | None = None,
               not_before_message: str = "") -> None:
    """A date that has happened: not in the future, not before 1900, not before a start."""
    if value is None:
        return
    check.check_not_future(field, value)
    if not_before is not None and value < not_before:
        raise _refuse(field, not_before_message or _("The date cannot be before %(date)s.")
                      % {"date": not_before.isoformat()})


def _planned_date(field: str, value: dt.date, *, today: dt.date) -> None:
    if value.year < check.OLDEST_BIRTH_YEAR:
        raise _refuse(field, _("The date cannot be before 1900."))
    if value > today + PLANNING_HORIZON:
        raise _refuse(field, _("Plan at most three years ahead."))


def _field_names(names: Iterable[str]) -> list[str]:
    """The audited names of fields: a relation by its id column."""
    relations = {"provider", "support_plan", "receiving_organisation", "assigned_to"}
    return [f"{name}_id" if name in relations else name for name in names]


def _changed(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set the values that differ on ``obj`` and name them."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


# --- support plans -------------------------------------------------------------------------

def _require_plans(access: AssistanceAccess) -> None:
    if not access.records_plans:
        raise PermissionDenied(_("Only the case's own organisation may write its support "
                                 "plans."))


def _plan_values(plan: SupportPlanInput, *, today: dt.date) -> dict[str, Any]:
    check.check_choices("plan_type", [plan.plan_type], SupportPlanType.values)
    started_on = plan.started_on or today
    _past_date("started_on", started_on)
    if plan.planned_end_on is not None:
        _planned_date("planned_end_on", plan.planned_end_on, today=today)
        if plan.planned_end_on < started_on:
            raise _refuse("planned_end_on", _("The planned end cannot be before the plan "
                                              "starts."))
    _past_date("actual_end_on", plan.actual_end_on, not_before=started_on,
               not_before_message=_("The plan cannot end before it starts."))
    return {
        "plan_type": plan.plan_type,
        "objectives": _text("objectives", plan.objectives, 4000, required=True),
        "action_plan": _text("action_plan", plan.action_plan, 8000),
        "started_on": started_on,
        "planned_end_on": plan.planned_end_on,
        "actual_end_on": plan.actual_end_on,
    }


def _check_one_open_plan(case: Case, values: dict[str, Any], *, except_pk: int | None) -> None:
    if values["actual_end_on"] is not None:
        return
    open_plans = SupportPlan.objects.filter(case=case, plan_type=values["plan_type"],
                                            actual_end_on__isnull=True)
    if except_pk is not None:
        open_plans = open_plans.exclude(pk=except_pk)
    if open_plans.exists():
        raise _refuse("plan_type", _("The case already has an open %(type)s plan: end it "
                                     "before starting another of the same type.")
                      % {"type": SupportPlanType(values["plan_type"]).label})


@transaction.atomic
def support_plan_create(*, viewer: Viewer, case: Case, plan: SupportPlanInput) -> SupportPlan:
    """Start a support plan (HTCDS spl_) on the case: one open plan of each type at a time."""
    _require_plans(require_access(viewer=viewer, case=case))
    values = _plan_values(plan, today=timezone.localdate())
    _check_one_open_plan(case, values, except_pk=None)
    created = SupportPlan.objects.create(case=case, recorded_by=viewer.user,
                                         recorded_for_id=viewer.organisation_id, **values)
    _audit(viewer, AuditAction.SUPPORT_PLAN_CHANGED, created, case, values)
    return created


@transaction.atomic
def support_plan_update(*, viewer: Viewer, plan: SupportPlan,
                        changes: SupportPlanInput) -> SupportPlan:
    """Bring a support plan up to date: its objectives, actions, planned or actual end."""
    _require_plans(require_access(viewer=viewer, case=plan.case))
    values = _plan_values(changes, today=timezone.localdate())
    _check_one_open_plan(plan.case, values, except_pk=plan.pk)
    changed = _changed(plan, values)
    if changed:
        plan.save(update_fields=[*changed, "updated_at"])
        _audit(viewer, AuditAction.SUPPORT_PLAN_CHANGED, plan, plan.case, changed)
    return plan


# --- service records -----------------------------------------------------------------------

def _provider(access: AssistanceAccess, provider_id: int) -> Organisation:
    provider = Organisation.objects.filter(pk=provider_id).first()
    if provider is None:
        raise _refuse("provider_id", _("That organisation is not in the directory."))
    if not access.owner and provider.pk != access.organisation_id:
        raise _refuse("provider_id", _("Record only the services your own organisation "
                                       "gives."))
    return provider


def _check_child(case: Case, started_on: dt.date) -> None:
    birth_year = case.person.birth_year
    # Only when the person was certainly an adult: born in 2000, they may be 17 until December
    # 2018.
    if birth_year is not None and started_on.year - birth_year > ADULT_AGE:
        raise _refuse("service_type", _("Guardianship is for children; the person was an "
                                        "adult when it started."))


def _check_nights(service: ServiceInput, *, today: dt.date) -> int | None:
    if service.service_type != SHELTER:
        if service.nights is not None:
            raise _refuse("nights", _("Only a shelter stay counts nights."))
        return None
    if service.nights is None:
        if service.ended_on is not None:
            raise _refuse("nights", _("Give the number of nights of the shelter stay."))
        return None
    if service.nights < 1:
        raise _refuse("nights", _("A shelter stay counts at least one night."))
    last = service.ended_on or today
    possible = (last - service.started_on).days
    if service.nights > possible:
        raise _refuse("nights", _("%(nights)s nights do not fit between %(start)s and %(end)s "
                                  "(at most %(possible)s).")
                      % {"nights": service.nights, "start": service.started_on.isoformat(),
                         "end": last.isoformat(), "possible": possible})
    return service.nights


def _check_money(service: ServiceInput) -> tuple[Decimal | None, Decimal | None, str]:
    cost = check_amount("cost", service.cost)
    amount = check_amount("amount", service.amount)
    if service.service_type == ECONOMIC_SUPPORT:
        if amount is None or amount == 0:
            raise _refuse("amount", _("Give the amount of economic support the person "
                                      "received."))
    elif amount is not None:
        raise _refuse("amount", _("Only economic support records an amount given to the "
                                  "person; write other costs as the cost."))
    if cost is None and amount is None:
        if service.currency.strip():
            raise _refuse("currency", _("Give a cost or an amount, or leave the currency "
                                        "empty."))
        return None, None, ""
    if not service.currency.strip():
        raise _refuse("currency", _("Give the currency of the cost, such as KGS."))
    return cost, amount, check_currency("currency", service.currency)


def _service_values(access: AssistanceAccess, service: ServiceInput) -> dict[str, Any]:
    """Every check on a service record; the values to save."""
    case = access.case
    today = timezone.localdate()
    if service.service_type not in ASSISTANCE_SERVICE_TYPES:
        raise _refuse("service_type", _("Choose a service from the list."))
    provider = _provider(access, service.provider_id)
    _past_date("started_on", service.started_on)
    _past_date("ended_on", service.ended_on, not_before=service.started_on,
               not_before_message=_("The service cannot end before it starts."))
    check.check_choices("outcome", [service.outcome], ServiceOutcome.values)
    if service.ended_on is not None and service.outcome == ServiceOutcome.IN_PROGRESS:
        raise _refuse("outcome", _("The service has ended: say what came of it."))
    if service.ended_on is None and service.outcome != ServiceOutcome.IN_PROGRESS:
        raise _refuse("ended_on", _("Give the date the service ended."))
    if service.service_type == GUARDIANSHIP:
        _check_child(case, service.started_on)
    nights = _check_nights(service, today=today)
    cost, amount, currency = _check_money(service)
    plan = None
    if service.support_plan_id is not None:
        plan = SupportPlan.objects.filter(pk=service.support_plan_id, case=case).first()
        if plan is None:
            raise _refuse("support_plan_id", _("Choose one of this case's support plans."))
    return {
        "service_type": service.service_type, "provider": provider,
        "started_on": service.started_on, "ended_on": service.ended_on, "cost": cost,
        "currency": currency, "nights": nights, "amount": amount, "outcome": service.outcome,
        "note": _text("note", service.note, 2000), "support_plan": plan,
    }


@transaction.atomic
def service_record(*, viewer: Viewer, case: Case, service: ServiceInput) -> ServiceRecord:
    """Record a service given to the person, by the case's organisation or by an organisation
    the case was referred to (which records only the services it gives itself)."""
    access = require_access(viewer=viewer, case=case)
    if not access.records_services:
        raise PermissionDenied(_("Your organisation may not record services on this case."))
    values = _service_values(access, service)
    record = ServiceRecord.objects.create(case=case, recorded_by=viewer.user,
                                          recorded_for_id=viewer.organisation_id, **values)
    _audit(viewer, AuditAction.SERVICE_RECORDED, record, case, _field_names(values))
    return record


@transaction.atomic
def service_update(*, viewer: Viewer, record: ServiceRecord,
                   service: ServiceInput) -> ServiceRecord:
    """Bring a service record up to date (its end, nights, cost, outcome). The case's own
    organisation may change any record on its case; a receiving organisation only its own."""
    access = require_access(viewer=viewer, case=record.case)
    if not (access.records_services and access.sees_record(record.recorded_for_id)):
        raise PermissionDenied(_("Your organisation may not change this service record."))
    values = _service_values(access, service)
    changed = _changed(record, values)
    if changed:
        record.save(update_fields=[*changed, "updated_at"])
        _audit(viewer, AuditAction.SERVICE_RECORDED, record, record.case,
               _field_names(changed))
    return record


# --- the return journey --------------------------------------------------------------------

def check_return_journey(journey: ReturnJourneyInput, *,
                         today: dt.date | None = None) -> dict[str, Any]:
    """Every check on a return journey, without saving it: the values to save. Also for an
    exchange package that carries a journey from another deployment."""
    today = today or timezone.localdate()
    check.check_countries("from_country", [journey.from_country])
    check.check_countries("to_country", [journey.to_country])
    if journey.from_country == journey.to_country:
        raise _refuse("to_country", _("A return crosses a border: the two countries must "
                                      "differ."))
    _planned_date("travel_on", journey.travel_on, today=today)
    documents = []
    for document in journey.travel_documents:
        check.check_choices("travel_documents", [document.kind], TravelDocumentKind.values)
        check.check_choices("travel_documents", [document.status], TravelDocumentStatus.values)
        documents.append({"kind": document.kind, "status": document.status})
    if len(documents) > MAX_TRAVEL_DOCUMENTS:
        raise _refuse("travel_documents", _("List at most %(count)s travel documents.")
                      % {"count": MAX_TRAVEL_DOCUMENTS})
    kinds = [document["kind"] for document in documents
             if document["kind"] != TravelDocumentKind.OTHER]
    if len(kinds) != len(set(kinds)):
        raise _refuse("travel_documents", _("List each kind of travel document once."))
    check.check_choices("escort", [journey.escort], Escort.values)
    escort_details = _text("escort_details", journey.escort_details, 300)
    if journey.escort == Escort.NONE and escort_details:
        raise _refuse("escort_details", _("Describe the escort only when the person travels "
                                          "with one."))
    receiving = None
    if journey.receiving_organisation_id is not None:
        receiving = Organisation.objects.filter(pk=journey.receiving_organisation_id).first()
        if receiving is None:
            raise _refuse("receiving_organisation_id",
                          _("That organisation is not in the directory."))
        if receiving.country != journey.to_country:
            raise _refuse("receiving_organisation_id",
                          _("The receiving organisation must be in the country of return."))
    return {
        "from_country": journey.from_country, "to_country": journey.to_country,
        "travel_on": journey.travel_on, "travel_documents": documents,
        "escort": journey.escort, "escort_details": escort_details,
        "receiving_organisation": receiving,
    }


def _require_returns(access: AssistanceAccess) -> None:
    if not access.records_returns:
        raise PermissionDenied(_("Only the case's own organisation may plan its return."))


@transaction.atomic
def return_journey_record(*, viewer: Viewer, case: Case,
                          journey: ReturnJourneyInput) -> ReturnJourney:
    """Plan the person's return across a border: documents, escort, travel date, partner."""
    _require_returns(require_access(viewer=viewer, case=case))
    values = check_return_journey(journey)
    created = ReturnJourney.objects.create(case=case, recorded_by=viewer.user,
                                           recorded_for_id=viewer.organisation_id, **values)
    _audit(viewer, AuditAction.RETURN_CHANGED, created, case, _field_names(values))
    return created


@transaction.atomic
def return_journey_update(*, viewer: Viewer, journey: ReturnJourney,
                          changes: ReturnJourneyInput) -> ReturnJourney:
    """Bring a planned return up to date (documents issued, a new date, the escort)."""
    _require_returns(require_access(viewer=viewer, case=journey.case))
    if journey.status == ReturnStatus.CANCELLED:
        raise _refuse("travel_on", _("This return was cancelled; plan a new one instead."))
    values = check_return_journey(changes)
    if journey.arrived_on is not None and values["travel_on"] > journey.arrived_on:
        raise _refuse("travel_on", _("The person arrived on %(date)s: the travel date cannot "
                                     "be later.") % {"date": journey.arrived_on.isoformat()})
    changed = _changed(journey, values)
    if changed:
        journey.save(update_fields=[*changed, "updated_at"])
        _audit(viewer, AuditAction.RETURN_CHANGED, journey, journey.case,
               _field_names(changed))
    return journey


@transaction.atomic
def return_journey_cancel(*, viewer: Viewer, journey: ReturnJourney,
                          reason: str) -> ReturnJourney:
    """Cancel a return that has not taken place, with the reason."""
    _require_returns(require_access(viewer=viewer, case=journey.case))
    if journey.status != ReturnStatus.PLANNED:
        raise _refuse("reason", _("Only a planned return can be cancelled."))
    journey.cancel_reason = _text("reason", reason, 2000, required=True)
    journey.status = ReturnStatus.CANCELLED
    journey.save(update_fields=["cancel_reason", "status", "updated_at"])
    _audit(viewer, AuditAction.RETURN_CHANGED, journey, journey.case,
           ["status", "cancel_reason"])
    return journey


def check_reception(journey: ReturnJourney | None, reception: ReceptionInput, *,
                    travel_on: dt.date) -> dict[str, Any]:
    """Every check on a reception on arrival, without saving it: the values to save."""
    if journey is not None and journey.status == ReturnStatus.CANCELLED:
        raise _refuse("arrived_on", _("This return was cancelled."))
    _past_date("arrived_on", reception.arrived_on, not_before=travel_on,
               not_before_message=_("The person cannot arrive before the travel date."))
    return {
        "arrived_on": reception.arrived_on,
        "received_by": _text("received_by", reception.received_by, 200),
        "reception_notes": _text("notes", reception.notes, 2000),
    }


@transaction.atomic
def return_reception_record(*, viewer: Viewer, journey: ReturnJourney,
                            reception: ReceptionInput) -> ReturnJourney:
    """Record the person's reception on arrival: by the receiving partner working on the case
    by referral, or by the case's own organisation when the partner reports it."""
    access = require_access(viewer=viewer, case=journey.case)
    if not access.records_reception(journey.receiving_organisation_id):
        raise PermissionDenied(_("Only the receiving organisation or the case's own "
                                 "organisation may record the reception."))
    values = check_reception(journey, reception, travel_on=journey.travel_on)
    values.update(status=ReturnStatus.ARRIVED, reception_recorded_by=viewer.user,
                  reception_recorded_for_id=viewer.organisation_id)
    changed = _changed(journey, values)
    journey.save(update_fields=[*changed, "updated_at"])
    _audit(viewer, AuditAction.RETURN_CHANGED, journey, journey.case,
           ["status", "arrived_on", "received_by", "reception_notes"])
    return journey


# --- follow-up -----------------------------------------------------------------------------

def _require_follow_up(viewer: Viewer, case: Case) -> None:
    if not require_access(viewer=viewer, case=case).works_follow_ups:
        raise PermissionDenied(_("Only the case's own organisation follows the person up."))
    # Follow-up reaches into the person's life after assistance: without their consent in
    # force, nobody schedules or makes a contact (registry ConsentPurpose.FOLLOW_UP).
    if not follow_up_consent_in_force(case.person):
        raise ValidationError(_("The person has not consented to follow-up contact, or has "
                                "withdrawn that consent. Record their consent on the case "
                                "first."), code="no_follow_up_consent")


def _assignee(case: Case, assigned_to_id: int | None) -> Any:
    if assigned_to_id is None:
        return case.case_worker
    membership = (Membership.objects.active().select_related("user")
                  .filter(user_id=assigned_to_id, organisation_id=case.organisation_id).first())
    if membership is None:
        raise _refuse("assigned_to_id", _("The case worker must belong to the case's "
                                          "organisation."))
    return membership.user


def _check_planned_on(case: Case, planned_on: dt.date, *, today: dt.date,
                      field: str = "planned_on") -> None:
    _planned_date(field, planned_on, today=today)
    if planned_on < today:
        raise _refuse(field, _("A contact is planned for today or later; record one that took "
                               "place as a contact."))
    if planned_on < case.opened_on:
        raise _refuse(field, _("The contact cannot be before the case was opened."))


@transaction.atomic
def follow_up_schedule(*, viewer: Viewer, case: Case, plan: FollowUpPlanInput) -> FollowUp:
    """Plan a follow-up contact with the person; needs their follow-up consent in force."""
    _require_follow_up(viewer, case)
    today = timezone.localdate()
    _check_planned_on(case, plan.planned_on, today=today)
    check.check_choices("mode", [plan.mode], ContactMode.values)
    follow_up = FollowUp.objects.create(
        case=case, planned_on=plan.planned_on, mode=plan.mode,
        assigned_to=_assignee(case, plan.assigned_to_id), recorded_by=viewer.user,
        recorded_for_id=viewer.organisation_id)
    _audit(viewer, AuditAction.FOLLOW_UP_CHANGED, follow_up, case,
           ["planned_on", "mode", "assigned_to_id"])
    return follow_up


@transaction.atomic
def follow_up_reschedule(*, viewer: Viewer, follow_up: FollowUp,
                         plan: FollowUpPlanInput) -> FollowUp:
    """Move a contact not yet made to another date, mode or case worker."""
    _require_follow_up(viewer, follow_up.case)
    if follow_up.is_done:
        raise _refuse("planned_on", _("This contact has taken place; plan a new one."))
    _check_planned_on(follow_up.case, plan.planned_on, today=timezone.localdate())
    check.check_choices("mode", [plan.mode], ContactMode.values)
    changed = _changed(follow_up, {
        "planned_on": plan.planned_on, "mode": plan.mode,
        "assigned_to": _assignee(follow_up.case, plan.assigned_to_id)})
    if changed:
        follow_up.save(update_fields=[*changed, "updated_at"])
        _audit(viewer, AuditAction.FOLLOW_UP_CHANGED, follow_up, follow_up.case,
               _field_names(changed))
    return follow_up


@transaction.atomic
def follow_up_cancel(*, viewer: Viewer, follow_up: FollowUp) -> None:
    """Remove a contact that was planned and will not take place. Allowed without consent:
    a withdrawn consent is the most common reason."""
    if not require_access(viewer=viewer, case=follow_up.case).works_follow_ups:
        raise PermissionDenied(_("Only the case's own organisation follows the person up."))
    if follow_up.is_done:
        raise _refuse("planned_on", _("This contact has taken place and stays on record."))
    _audit(viewer, AuditAction.FOLLOW_UP_CHANGED, follow_up, follow_up.case, ["cancelled"])
    follow_up.delete()


def _contact_values(contact: ContactInput, *, not_before: dt.date) -> dict[str, Any]:
    _past_date("done_on", contact.done_on, not_before=not_before,
               not_before_message=_("The contact cannot be before the case was opened."))
    check.check_choices("mode", [contact.mode], ContactMode.values)
    well_being, risk = contact.well_being, contact.risk
    if contact.reached:
        if well_being is None:
            raise _refuse("well_being", _("Say how the person is."))
        if risk is None:
            raise _refuse("risk", _("Judge the risk of re-trafficking."))
    if well_being is not None and well_being not in WellBeing.values:
        raise _refuse("well_being", _("Choose a level from the list."))
    if risk is not None and risk not in RetraffickingRisk.values:
        raise _refuse("risk", _("Choose a level from the list."))
    if not contact.reached and (well_being is not None or risk is not None):
        raise _refuse("reached", _("Well-being and risk are judged only when the person was "
                                   "reached."))
    return {
        "done_on": contact.done_on, "mode": contact.mode, "reached": contact.reached,
        "well_being": well_being, "risk": risk, "notes": _text("notes", contact.notes, 4000),
    }


def needs_next_contact(*, reached: bool | None, well_being: int | None,
                       risk: int | None) -> bool:
    """A contact that did not reach the person, found them in crisis or at high risk of
    re-trafficking: the case worker must plan the next one."""
    return (reached is False or risk == CONCERNING_RISK
            or well_being == CONCERNING_WELL_BEING)


@transaction.atomic
def follow_up_contact(*, viewer: Viewer, case: Case, contact: ContactInput,
                      follow_up: FollowUp | None = None,
                      next_contact_on: dt.date | None = None) -> FollowUp:
    """Record a follow-up contact: the planned one, or one not planned. When it did not reach
    the person or found them in crisis or at high risk, the next contact must be planned in
    the same step, so that no one falls out of sight."""
    _require_follow_up(viewer, case)
    if follow_up is not None and (follow_up.case_id != case.pk or follow_up.is_done):
        raise _refuse("done_on", _("This contact has already been recorded."))
    values = _contact_values(contact, not_before=case.opened_on)
    if next_contact_on is not None:
        _check_planned_on(case, next_contact_on, today=timezone.localdate(),
                          field="next_contact_on")
    elif needs_next_contact(reached=values["reached"], well_being=values["well_being"],
                            risk=values["risk"]):
        raise _refuse("next_contact_on", _("The person was not reached, is in crisis or at "
                                           "high risk: plan the next contact."))
    if follow_up is None:
        follow_up = FollowUp(case=case, planned_on=values["done_on"],
                             assigned_to=viewer.user, recorded_by=viewer.user,
                             recorded_for_id=viewer.organisation_id)
    for name, value in values.items():
        setattr(follow_up, name, value)
    follow_up.save()
    _audit(viewer, AuditAction.FOLLOW_UP_CHANGED, follow_up, case, values)
    if next_contact_on is not None:
        follow_up_schedule(viewer=viewer, case=case, plan=FollowUpPlanInput(
            planned_on=next_contact_on, mode=values["mode"],
            assigned_to_id=follow_up.assigned_to_id))
    return follow_up
