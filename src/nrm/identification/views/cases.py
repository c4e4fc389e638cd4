"""A case's identification page, and from it: refer for a decision, decide, appeal a negative
decision, record the appeal's outcome. Each fetches the case through the identification selector
(404 for anyone who may not see it) and leaves the write to one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nrm.accounts.viewer import Viewer
from nrm.identification import services
from nrm.identification.choices import (
    AppealOutcome,
    DecisionRequestStatus,
    ScreeningStatus,
    VictimStatus,
)
from nrm.identification.forms import (
    AppealLodgeForm,
    AppealOutcomeForm,
    DecisionRequestForm,
    StatusDecisionForm,
)
from nrm.identification.models import Appeal, DecisionRequest, StatusDecision
from nrm.identification.selectors import (
    case_for_identification,
    decisions_for_case,
    requests_for_case,
    screenings_for_case,
)
from nrm.identification.views.access import decides, screens, viewer_of
from nrm.registry.models import Case
from nrm.registry.views.access import add_service_errors


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def case_url(case: Case) -> str:
    return reverse("identification:case", args=[case.display_code])


def _form_page(request: HttpRequest, *, case: Case, form: forms.Form, title: str,
               submit: str, intro: str = "") -> HttpResponse:
    return render(request, "identification/form.html", {
        "case": case, "form": form, "title": title, "submit": submit, "intro": intro,
    })


def _pending_request(viewer: Viewer, requests: list[DecisionRequest]) -> DecisionRequest | None:
    return next((r for r in requests if r.competent_authority_id == viewer.organisation_id
                 and r.status == DecisionRequestStatus.PENDING), None)


def may_appeal(viewer: Viewer, case: Case, decision: StatusDecision) -> bool:
    """Whether the viewer may lodge an appeal against this decision (the service checks again):
    a negative decision, by the case's organisation or the authority that decided."""
    return (decision.status == VictimStatus.NOT_A_VICTIM and viewer.works_cases
            and viewer.organisation_id in (case.organisation_id,
                                           decision.competent_authority_id))


@login_required
@require_safe
def case_identification(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_identification(viewer=viewer, code=code)
    decisions = list(decisions_for_case(viewer=viewer, case=case))
    requests = list(requests_for_case(viewer=viewer, case=case))
    current = decisions[-1] if decisions else None
    recovery_ends = None
    if current is not None and current.status != VictimStatus.NOT_A_VICTIM:
        recovery_ends = next((d.recovery_period_ends for d in reversed(decisions)
                              if d.recovery_period_ends), None)
    deciding = decides(viewer) and (_pending_request(viewer, requests) is not None
                                    or case.organisation_id == viewer.organisation_id)
    replaced = {decision.replaces_id for decision in decisions}
    history = [{
        "decision": decision,
        "may_appeal": may_appeal(viewer, case, decision) and decision.pk not in replaced
        and not any(a.outcome == AppealOutcome.PENDING for a in decision.appeals.all()),
        "may_decide_appeals": decides(viewer)
        and decision.competent_authority_id == viewer.organisation_id,
    } for decision in decisions]
    return render(request, "identification/case.html", {
        "case": case, "screenings": screenings_for_case(viewer=viewer, case=case),
        "requests": requests, "history": history, "current": current,
        "recovery_ends": recovery_ends, "screens": screens(viewer, case),
        "deciding": deciding, "sees_registry_case": case.organisation_id
        == viewer.organisation_id and viewer.works_cases,
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decision_request(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_identification(viewer=viewer, code=code)
    if not screens(viewer, case):
        raise PermissionDenied(_("Only a first responder working on this case may refer it."))
    form = DecisionRequestForm(_posted(request))
    if form.is_valid():
        try:
            services.decision_request(viewer=viewer, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was referred for a decision."))
            return redirect(case_url(case))
    return _form_page(request, case=case, form=form, title=_("Request a decision"),
                      submit=_("Refer"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def status_decide(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_identification(viewer=viewer, code=code)
    if not decides(viewer):
        raise PermissionDenied(_("Only decision makers of a competent authority may decide."))
    pending = _pending_request(viewer, list(requests_for_case(viewer=viewer, case=case)))
    screenings = screenings_for_case(viewer=viewer, case=case).filter(
        status=ScreeningStatus.COMPLETED)
    form = StatusDecisionForm(_posted(request), screenings=screenings)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.status_decide(
                viewer=viewer, case=case, status=data["status"], decided_on=data["decided_on"],
                reasons=data["reasons"], legal_basis=data["legal_basis"],
                screening_ids=[s.pk for s in data["screenings"]], request=pending,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(case_url(case))
    return _form_page(request, case=case, form=form, title=_("Decide victim status"),
                      submit=_("Record the decision"),
                      intro=_("A decision never requires a criminal case."))


def _decision_of(viewer: Viewer, case: Case, pk: int) -> StatusDecision:
    decision = next((d for d in decisions_for_case(viewer=viewer, case=case) if d.pk == pk), None)
    if decision is None:
        raise Http404
    return decision


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal_lodge(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_identification(viewer=viewer, code=code)
    decision = _decision_of(viewer, case, pk)
    if not may_appeal(viewer, case, decision):
        raise PermissionDenied(_("Only a negative decision may be appealed, by the case's "
                                 "organisation or the deciding authority."))
    form = AppealLodgeForm(_posted(request))
    if form.is_valid():
        try:
            services.appeal_lodge(viewer=viewer, decision=decision, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The appeal was recorded."))
            return redirect(case_url(case))
    return _form_page(request, case=case, form=form, title=_("Lodge an appeal"),
                      submit=_("Record the appeal"))


def _appeal_of(viewer: Viewer, case: Case, pk: int) -> Appeal:
    for decision in decisions_for_case(viewer=viewer, case=case):
        for appeal in decision.appeals.all():
            if appeal.pk == pk:
                return appeal
    raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_identification(viewer=viewer, code=code)
    appeal = _appeal_of(viewer, case, pk)
    if not decides(viewer) or appeal.decision.competent_authority_id != viewer.organisation_id:
        raise PermissionDenied(_("Only the deciding authority records an appeal's outcome."))
    form = AppealOutcomeForm(_posted(request))
    if form.is_valid():
        try:
            services.appeal_decide(viewer=viewer, appeal=appeal, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The appeal's outcome was recorded."))
            return redirect(case_url(case))
    return _form_page(request, case=case, form=form, title=_("Record the appeal's outcome"),
                      submit=_("Record the outcome"),
                      intro=_("If the decision is overturned, give the decision that replaces "
                              "it; both stay in the history."))
