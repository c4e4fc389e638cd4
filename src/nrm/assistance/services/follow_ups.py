"""Follow-up contacts after assistance: planned, moved, cancelled and made, only with the
person's follow-up consent in force."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.models import Membership
from nrm.accounts.roles import CASE_ROLES
from nrm.accounts.viewer import Viewer
from nrm.assistance.access import (
    follow_up_consent_in_force,
    require_access,
)
from nrm.assistance.choices import (
    CONCERNING_RISK,
    CONCERNING_WELL_BEING,
    ContactMode,
    RetraffickingRisk,
    WellBeing,
)
from nrm.assistance.inputs import (
    ContactInput,
    FollowUpPlanInput,
)
from nrm.assistance.models import FollowUp
from nrm.assistance.services._common import (
    audit,
    clean_text,
    create_recorded,
    past_date,
    planned_date,
    refuse,
    save_changes,
)
from nrm.core.models import AuditAction
from nrm.registry import validation as check
from nrm.registry.models import Case


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
                  .filter(user_id=assigned_to_id, organisation_id=case.organisation_id,
                          role__in=CASE_ROLES).first())
    if membership is None:
        raise refuse("assigned_to_id", _("Choose a case worker of the case's organisation."))
    return membership.user


def _check_planned_on(case: Case, planned_on: dt.date, *, today: dt.date,
                      field: str = "planned_on") -> None:
    planned_date(field, planned_on, today=today)
    if planned_on < today:
        raise refuse(field, _("A contact is planned for today or later; record one that took "
                               "place as a contact."))
    if planned_on < case.opened_on:
        raise refuse(field, _("The contact cannot be before the case was opened."))


@transaction.atomic
def follow_up_schedule(*, viewer: Viewer, case: Case, plan: FollowUpPlanInput) -> FollowUp:
    """Plan a follow-up contact with the person; needs their follow-up consent in force."""
    _require_follow_up(viewer, case)
    today = timezone.localdate()
    _check_planned_on(case, plan.planned_on, today=today)
    check.check_choices("mode", [plan.mode], ContactMode.values)
    return create_recorded(FollowUp, viewer, case, {
        "planned_on": plan.planned_on, "mode": plan.mode,
        "assigned_to": _assignee(case, plan.assigned_to_id)},
        action=AuditAction.FOLLOW_UP_CHANGED)


@transaction.atomic
def follow_up_reschedule(*, viewer: Viewer, follow_up: FollowUp,
                         plan: FollowUpPlanInput) -> FollowUp:
    """Move a contact not yet made to another date, mode or case worker."""
    _require_follow_up(viewer, follow_up.case)
    if follow_up.is_done:
        raise refuse("planned_on", _("This contact has taken place; plan a new one."))
    _check_planned_on(follow_up.case, plan.planned_on, today=timezone.localdate())
    check.check_choices("mode", [plan.mode], ContactMode.values)
    save_changes(viewer, follow_up, {
        "planned_on": plan.planned_on, "mode": plan.mode,
        "assigned_to": _assignee(follow_up.case, plan.assigned_to_id)},
        action=AuditAction.FOLLOW_UP_CHANGED)
    return follow_up


@transaction.atomic
def follow_up_cancel(*, viewer: Viewer, follow_up: FollowUp) -> None:
    """Remove a contact that was planned and will not take place. Allowed without consent:
    a withdrawn consent is the most common reason."""
    if not require_access(viewer=viewer, case=follow_up.case).works_follow_ups:
        raise PermissionDenied(_("Only the case's own organisation follows the person up."))
    if follow_up.is_done:
        raise refuse("planned_on", _("This contact has taken place and stays on record."))
    audit(viewer, AuditAction.FOLLOW_UP_CHANGED, follow_up, follow_up.case, ["cancelled"])
    follow_up.delete()


def _contact_values(contact: ContactInput, *, not_before: dt.date) -> dict[str, Any]:
    past_date("done_on", contact.done_on, not_before=not_before,
               not_before_message=_("The contact cannot be before the case was opened."))
    check.check_choices("mode", [contact.mode], ContactMode.values)
    well_being, risk = contact.well_being, contact.risk
    if contact.reached:
        if well_being is None:
            raise refuse("well_being", _("Say how the person is."))
        if risk is None:
            raise refuse("risk", _("Judge the risk of re-trafficking."))
    if well_being is not None and well_being not in WellBeing.values:
        raise refuse("well_being", _("Choose a level from the list."))
    if risk is not None and risk not in RetraffickingRisk.values:
        raise refuse("risk", _("Choose a level from the list."))
    if not contact.reached and (well_being is not None or risk is not None):
        raise refuse("reached", _("Well-being and risk are judged only when the person was "
                                   "reached."))
    return {
        "done_on": contact.done_on, "mode": contact.mode, "reached": contact.reached,
        "well_being": well_being, "risk": risk, "notes": clean_text("notes", contact.notes, 4000),
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
        raise refuse("done_on", _("This contact has already been recorded."))
    values = _contact_values(contact, not_before=case.opened_on)
    if next_contact_on is not None:
        _check_planned_on(case, next_contact_on, today=timezone.localdate(),
                          field="next_contact_on")
    elif needs_next_contact(reached=values["reached"], well_being=values["well_being"],
                            risk=values["risk"]):
        raise refuse("next_contact_on", _("The person was not reached, is in crisis or at "
                                           "high risk: plan the next contact."))
    if follow_up is None:
        follow_up = FollowUp(case=case, planned_on=values["done_on"],
                             assigned_to=viewer.user, recorded_by=viewer.user,
                             recorded_for_id=viewer.organisation_id)
    for name, value in values.items():
        setattr(follow_up, name, value)
    follow_up.save()
    audit(viewer, AuditAction.FOLLOW_UP_CHANGED, follow_up, case, values)
    if next_contact_on is not None:
        follow_up_schedule(viewer=viewer, case=case, plan=FollowUpPlanInput(
            planned_on=next_contact_on, mode=values["mode"],
            assigned_to_id=follow_up.assigned_to_id))
    return follow_up
