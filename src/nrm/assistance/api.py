"""Assistance over the API: a case's support plans, service records, return journey and
follow-up contacts, and the follow-up worklist, with the permissions of the pages.

Every endpoint parses its schema, fetches the case through the selector that takes the token's
viewer (audited) and calls one service: a case the viewer may not assist is 404, exactly as one
that does not exist; an action the viewer's organisation may not take on it is 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router
from ninja.responses import Status

from nrm.accounts.api import viewer_of
from nrm.assistance import selectors, services
from nrm.assistance.access import AssistanceAccess
from nrm.assistance.inputs import ServiceInput, plan_input_from, service_input_from
from nrm.assistance.schemas import (
    AssistanceOut,
    CancelIn,
    ContactIn,
    FollowUpOut,
    FollowUpPlanIn,
    FollowUpWorklistOut,
    ReceptionIn,
    ReturnJourneyIn,
    ReturnJourneyOut,
    ServiceChangesIn,
    ServiceIn,
    ServiceRecordOut,
    SupportPlanChangesIn,
    SupportPlanIn,
    SupportPlanOut,
    assistance_out,
    follow_up_out,
    return_journey_out,
    service_record_out,
    support_plan_out,
    worklist_out,
)
from nrm.core.codes import normalise_code
from nrm.referrals.models import Referral
from nrm.registry.schemas import MAX_ID, REFUSALS, WRITE_REFUSALS

router = Router(tags=["assistance"])

CODE = Path(..., max_length=40, description="The case's pseudonymous code")
BASE = "/assistance/cases/{code}"


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


def _access(request: HttpRequest, code: str) -> AssistanceAccess:
    return selectors.case_for_assistance(viewer=viewer_of(request), code=code,
                                         purpose="API assistance")


def _referral_id(access: AssistanceAccess, code: str | None) -> int | None:
    """The id of the case's referral with this code; the service checks that it may be used."""
    if code is None:
        return None
    normalised = normalise_code(code)
    found = (Referral.objects.filter(case=access.case, code=normalised)
             .values_list("pk", flat=True).first() if normalised else None)
    if found is None:
        raise ValidationError({"referral_code": _("Choose a referral of this case that was "
                                                  "accepted.")})
    return found


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- the case's assistance ---------------------------------------------------------------------

@router.get(BASE, response={200: AssistanceOut, **REFUSALS},
            summary="A case's assistance as your organisation may see it: plans, services "
                    "with totals, return and follow-up (the latter two for the case's own "
                    "organisation)")
def case_assistance(request: HttpRequest, code: str = CODE) -> AssistanceOut:
    return assistance_out(selectors.assistance_for_case(access=_access(request, code)))


# --- support plans -----------------------------------------------------------------------------

@router.post(f"{BASE}/support-plans", response={201: SupportPlanOut, **WRITE_REFUSALS},
             summary="Start a support plan (HTCDS spl_); one open plan of each type")
def support_plan_create(request: HttpRequest, payload: SupportPlanIn,
                        code: str = CODE) -> Status:
    access = _access(request, code)
    _require(access.records_plans, _("Only the case's own organisation may write its support "
                                     "plans."))
    plan = services.support_plan_create(viewer=viewer_of(request), case=access.case,
                                        plan=payload.to_input())
    return Status(201, support_plan_out(plan))


@router.patch(f"{BASE}/support-plans/{{plan_id}}",
              response={200: SupportPlanOut, **WRITE_REFUSALS},
              summary="Bring a support plan up to date; set actual_end_on to end it")
def support_plan_update(request: HttpRequest, payload: SupportPlanChangesIn, code: str = CODE,
                        plan_id: int = _id("Support plan id")) -> SupportPlanOut:
    access = _access(request, code)
    plan = selectors.support_plan_for_viewer(access=access, pk=plan_id)
    changes = payload.model_dump(exclude_unset=True)
    if changes.get("plan_type") is not None:
        changes["plan_type"] = str(changes["plan_type"])
    updated = services.support_plan_update(viewer=viewer_of(request), plan=plan,
                                           changes=plan_input_from(plan, **changes))
    return support_plan_out(updated)


# --- services ----------------------------------------------------------------------------------

@router.post(f"{BASE}/services", response={201: ServiceRecordOut, **WRITE_REFUSALS},
             summary="Record a service given: shelter with nights, economic support with the "
                     "amount given, any service with its cost and currency (ISO 4217)")
def service_record(request: HttpRequest, payload: ServiceIn, code: str = CODE) -> Status:
    access = _access(request, code)
    values = payload.model_dump(exclude={"referral_code"})
    values["outcome"] = str(payload.outcome)
    values["referral_id"] = _referral_id(access, payload.referral_code)
    record = services.service_record(viewer=viewer_of(request), case=access.case,
                                     service=ServiceInput(**values))
    return Status(201, service_record_out(
        selectors.service_record_for_viewer(access=access, pk=record.pk)))


@router.patch(f"{BASE}/services/{{record_id}}",
              response={200: ServiceRecordOut, **WRITE_REFUSALS},
              summary="Bring a service record up to date (its end, nights, cost, outcome)")
def service_update(request: HttpRequest, payload: ServiceChangesIn, code: str = CODE,
                   record_id: int = _id("Service record id")) -> ServiceRecordOut:
    access = _access(request, code)
    record = selectors.service_record_for_viewer(access=access, pk=record_id)
    changes = payload.model_dump(exclude_unset=True)
    if changes.get("outcome") is not None:
        changes["outcome"] = str(changes["outcome"])
    if "referral_code" in changes:
        changes["referral_id"] = _referral_id(access, changes.pop("referral_code"))
    services.service_update(viewer=viewer_of(request), record=record,
                            service=service_input_from(record, **changes))
    return service_record_out(selectors.service_record_for_viewer(access=access, pk=record_id))


# --- return ------------------------------------------------------------------------------------

@router.post(f"{BASE}/returns", response={201: ReturnJourneyOut, **WRITE_REFUSALS},
             summary="Plan the person's return across a border")
def return_journey_record(request: HttpRequest, payload: ReturnJourneyIn,
                          code: str = CODE) -> Status:
    access = _access(request, code)
    journey = services.return_journey_record(viewer=viewer_of(request), case=access.case,
                                             journey=payload.to_input())
    return Status(201, return_journey_out(journey))


@router.put(f"{BASE}/returns/{{journey_id}}",
            response={200: ReturnJourneyOut, **WRITE_REFUSALS},
            summary="Replace a planned return's documents, escort, date and partner")
def return_journey_update(request: HttpRequest, payload: ReturnJourneyIn, code: str = CODE,
                          journey_id: int = _id("Return journey id")) -> ReturnJourneyOut:
    access = _access(request, code)
    journey = selectors.return_journey_for_viewer(access=access, pk=journey_id)
    return return_journey_out(services.return_journey_update(
        viewer=viewer_of(request), journey=journey, changes=payload.to_input()))


@router.post(f"{BASE}/returns/{{journey_id}}/cancel",
             response={200: ReturnJourneyOut, **WRITE_REFUSALS},
             summary="Cancel a return that has not taken place, with the reason")
def return_journey_cancel(request: HttpRequest, payload: CancelIn, code: str = CODE,
                          journey_id: int = _id("Return journey id")) -> ReturnJourneyOut:
    access = _access(request, code)
    journey = selectors.return_journey_for_viewer(access=access, pk=journey_id)
    return return_journey_out(services.return_journey_cancel(
        viewer=viewer_of(request), journey=journey, reason=payload.reason))


@router.post(f"{BASE}/returns/{{journey_id}}/reception",
             response={200: ReturnJourneyOut, **WRITE_REFUSALS},
             summary="Record the reception on arrival (the receiving partner, or the case's "
                     "own organisation)")
def return_reception_record(request: HttpRequest, payload: ReceptionIn, code: str = CODE,
                            journey_id: int = _id("Return journey id")) -> ReturnJourneyOut:
    access = _access(request, code)
    journey = selectors.return_journey_for_viewer(access=access, pk=journey_id)
    return return_journey_out(services.return_reception_record(
        viewer=viewer_of(request), journey=journey, reception=payload.to_input()))


# --- follow-up ---------------------------------------------------------------------------------

@router.post(f"{BASE}/follow-ups", response={201: FollowUpOut, **WRITE_REFUSALS},
             summary="Plan a follow-up contact (needs the person's follow-up consent)")
def follow_up_schedule(request: HttpRequest, payload: FollowUpPlanIn,
                       code: str = CODE) -> Status:
    access = _access(request, code)
    follow_up = services.follow_up_schedule(viewer=viewer_of(request), case=access.case,
                                            plan=payload.to_input())
    return Status(201, follow_up_out(follow_up))


@router.put(f"{BASE}/follow-ups/{{follow_up_id}}",
            response={200: FollowUpOut, **WRITE_REFUSALS},
            summary="Move a contact not yet made to another date, mode or case worker")
def follow_up_reschedule(request: HttpRequest, payload: FollowUpPlanIn, code: str = CODE,
                         follow_up_id: int = _id("Follow-up id")) -> FollowUpOut:
    access = _access(request, code)
    follow_up = selectors.follow_up_for_viewer(access=access, pk=follow_up_id)
    return follow_up_out(services.follow_up_reschedule(
        viewer=viewer_of(request), follow_up=follow_up, plan=payload.to_input()))


@router.delete(f"{BASE}/follow-ups/{{follow_up_id}}", response={204: None, **WRITE_REFUSALS},
               summary="Cancel a contact that was planned and will not take place")
def follow_up_cancel(request: HttpRequest, code: str = CODE,
                     follow_up_id: int = _id("Follow-up id")) -> Status:
    access = _access(request, code)
    follow_up = selectors.follow_up_for_viewer(access=access, pk=follow_up_id)
    services.follow_up_cancel(viewer=viewer_of(request), follow_up=follow_up)
    return Status(204, None)


@router.post(f"{BASE}/contacts", response={201: FollowUpOut, **WRITE_REFUSALS},
             summary="Record a contact that was not planned (and plan the next one)")
def contact_record(request: HttpRequest, payload: ContactIn, code: str = CODE) -> Status:
    access = _access(request, code)
    follow_up = services.follow_up_contact(viewer=viewer_of(request), case=access.case,
                                           contact=payload.to_input(),
                                           next_contact_on=payload.next_contact_on)
    return Status(201, follow_up_out(follow_up))


@router.post(f"{BASE}/follow-ups/{{follow_up_id}}/contact",
             response={200: FollowUpOut, **WRITE_REFUSALS},
             summary="Record what a planned contact found (and plan the next one)")
def follow_up_contact(request: HttpRequest, payload: ContactIn, code: str = CODE,
                      follow_up_id: int = _id("Follow-up id")) -> FollowUpOut:
    access = _access(request, code)
    planned = selectors.follow_up_for_viewer(access=access, pk=follow_up_id)
    return follow_up_out(services.follow_up_contact(
        viewer=viewer_of(request), case=access.case, follow_up=planned,
        contact=payload.to_input(), next_contact_on=payload.next_contact_on))


@router.get("/assistance/follow-ups/due", response={200: FollowUpWorklistOut, **REFUSALS},
            summary="Your follow-up worklist: contacts overdue, due in the next 7 days, and "
                    "on hold without consent")
def follow_ups_due(request: HttpRequest) -> FollowUpWorklistOut:
    viewer = viewer_of(request)
    _require(viewer.works_cases, _("Follow-up is for the case workers of an organisation."))
    return worklist_out(selectors.follow_ups_due_for_viewer(viewer=viewer))
