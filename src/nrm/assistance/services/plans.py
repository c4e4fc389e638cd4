"""Support plans (HTCDS spl_): started, brought up to date and ended by the case's own
organisation; one open plan of each type at a time."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.access import (
    AssistanceAccess,
    require_access,
)
from nrm.assistance.choices import (
    SupportPlanType,
)
from nrm.assistance.inputs import (
    SupportPlanInput,
)
from nrm.assistance.models import SupportPlan
from nrm.assistance.services._common import (
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


def _require_plans(access: AssistanceAccess) -> None:
    if not access.records_plans:
        raise PermissionDenied(_("Only the case's own organisation may write its support "
                                 "plans."))


def _plan_values(plan: SupportPlanInput, *, today: dt.date) -> dict[str, Any]:
    check.check_choices("plan_type", [plan.plan_type], SupportPlanType.values)
    started_on = plan.started_on or today
    past_date("started_on", started_on)
    if plan.planned_end_on is not None:
        planned_date("planned_end_on", plan.planned_end_on, today=today)
        if plan.planned_end_on < started_on:
            raise refuse("planned_end_on", _("The planned end cannot be before the plan "
                                              "starts."))
    past_date("actual_end_on", plan.actual_end_on, not_before=started_on,
               not_before_message=_("The plan cannot end before it starts."))
    return {
        "plan_type": plan.plan_type,
        "objectives": clean_text("objectives", plan.objectives, 4000, required=True),
        "action_plan": clean_text("action_plan", plan.action_plan, 8000),
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
        raise refuse("plan_type", _("The case already has an open %(type)s plan: end it "
                                     "before starting another of the same type.")
                      % {"type": SupportPlanType(values["plan_type"]).label})


@transaction.atomic
def support_plan_create(*, viewer: Viewer, case: Case, plan: SupportPlanInput) -> SupportPlan:
    """Start a support plan (HTCDS spl_) on the case: one open plan of each type at a time."""
    _require_plans(require_access(viewer=viewer, case=case))
    values = _plan_values(plan, today=timezone.localdate())
    _check_one_open_plan(case, values, except_pk=None)
    return create_recorded(SupportPlan, viewer, case, values,
                           action=AuditAction.SUPPORT_PLAN_CHANGED)


@transaction.atomic
def support_plan_update(*, viewer: Viewer, plan: SupportPlan,
                        changes: SupportPlanInput) -> SupportPlan:
    """Bring a support plan up to date: its objectives, actions, planned or actual end."""
    _require_plans(require_access(viewer=viewer, case=plan.case))
    values = _plan_values(changes, today=timezone.localdate())
    _check_one_open_plan(plan.case, values, except_pk=plan.pk)
    save_changes(viewer, plan, values, action=AuditAction.SUPPORT_PLAN_CHANGED)
    return plan
