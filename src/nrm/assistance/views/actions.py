"""Every change to a case's assistance, one form page each. Each fetches the case through the
selector (404 unless the viewer may assist it), refuses early what access.py does not allow
(403) and leaves the write to one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from nrm.accounts.viewer import Viewer
from nrm.assistance import services
from nrm.assistance.access import AssistanceAccess
from nrm.assistance.forms import (
    CancelReturnForm,
    ContactForm,
    FollowUpPlanForm,
    ReceptionForm,
    ReturnJourneyForm,
    ServiceForm,
    SupportPlanForm,
)
from nrm.assistance.models import SupportPlan
from nrm.assistance.selectors import (
    case_for_assistance,
    follow_up_for_viewer,
    return_journey_for_viewer,
    service_record_for_viewer,
    support_plan_for_viewer,
)
from nrm.directory.models import Organisation
from nrm.referrals.choices import SHARED_STATUSES
from nrm.referrals.models import Referral
from nrm.registry.views.access import add_service_errors, viewer_of

Data = Any  # request.POST, or None for an unbound form
# Each form page gets the case's access and the record it changes (None when it adds one).
Fetch = Callable[[AssistanceAccess], Any]
Build = Callable[[Data, AssistanceAccess, Any], forms.Form]
Write = Callable[[Viewer, AssistanceAccess, Any, Any], object]


def case_url(code: str, anchor: str = "") -> str:
    url = reverse("assistance:case", args=[code])
    return f"{url}#{anchor}" if anchor else url


def _form_page(request: HttpRequest, code: str, *, allowed: Callable[[AssistanceAccess, Any], bool],
               refusal: Any, build: Build, write: Write, title: str, submit: str, done: str,
               anchor: str, fetch: Fetch | None = None,
               template: str = "assistance/form.html") -> HttpResponse:
    """Show the form; on a valid post, write through the service and go back to the case.
    What the viewer may not see is 404 (the case, then the record); what they see but may not
    change is 403."""
    viewer = viewer_of(request)
    access = case_for_assistance(viewer=viewer, code=code, purpose=title)
    record = fetch(access) if fetch is not None else None
    if not allowed(access, record):
        raise PermissionDenied(str(refusal))
    bound = build(request.POST if request.method == "POST" else None, access, record)
    if request.method == "POST" and bound.is_valid():
        try:
            write(viewer, access, bound, record)
        except ValidationError as error:
            add_service_errors(bound, error)
        else:
            messages.success(request, done)
            return redirect(case_url(access.case.display_code, anchor))
    return render(request, template, {
        "case": access.case, "access": access, "form": bound, "title": title,
        "submit": submit, "anchor": anchor,
    })


def _decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users only; GET shows the form, POST submits it."""
    return login_required(require_http_methods(["GET", "HEAD", "POST"])(view))


def _today() -> dict[str, Any]:
    return {"started_on": timezone.localdate()}


PLANS_REFUSED = gettext_lazy("Only the case's own organisation may write its support plans.")
SERVICES_REFUSED = gettext_lazy("Your organisation may not record services on this case.")
RETURNS_REFUSED = gettext_lazy("Only the case's own organisation may plan its return.")
RECEPTION_REFUSED = gettext_lazy("Only the receiving organisation or the case's own "
                                 "organisation may record the reception.")
FOLLOW_UP_REFUSED = gettext_lazy("Only the case's own organisation follows the person up.")


# --- support plans -------------------------------------------------------------------------

@_decorate
def plan_add(request: HttpRequest, code: str) -> HttpResponse:
    return _form_page(
        request, code, allowed=lambda a, _r: a.records_plans, refusal=PLANS_REFUSED,
        title=_("Start a support plan"), submit=_("Start the plan"),
        done=_("The support plan was started."), anchor="plans",
        build=lambda data, a, _r: SupportPlanForm(data, initial=_today()),
        write=lambda viewer, a, form, _r: services.support_plan_create(
            viewer=viewer, case=a.case, plan=form.to_input()))


@_decorate
def plan_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_page(
        request, code, fetch=lambda a: support_plan_for_viewer(access=a, pk=pk),
        allowed=lambda a, _r: a.records_plans, refusal=PLANS_REFUSED, title=_("Support plan"),
        submit=_("Save"), done=_("The support plan was saved."), anchor="plans",
        build=lambda data, a, plan: SupportPlanForm(
            data, initial=SupportPlanForm.initial_from(plan)),
        write=lambda viewer, a, form, plan: services.support_plan_update(
            viewer=viewer, plan=plan, changes=form.to_input()))


# --- services ------------------------------------------------------------------------------

def _providers(access: AssistanceAccess) -> Any:
    if access.owner:
        return Organisation.objects.active().order_by("country", "name")
    # An organisation working on a referred case records only what it gives itself.
    return Organisation.objects.filter(pk=access.organisation_id)


def _service_form(request: HttpRequest, data: Data, access: AssistanceAccess,
                  initial: dict[str, Any]) -> ServiceForm:
    if data is None and getattr(request, "htmx", False):
        # The service type changed: the same form again, with the fields that fit it.
        initial = {**initial, **request.GET.dict()}
    referrals = (Referral.objects.filter(case=access.case, status__in=SHARED_STATUSES)
                 .select_related("to_organisation") if access.owner else None)
    return ServiceForm(data, initial=initial, providers=_providers(access),
                       plans=SupportPlan.objects.filter(case=access.case), referrals=referrals,
                       refresh_url=request.path)


@_decorate
def service_add(request: HttpRequest, code: str) -> HttpResponse:
    def initial(access: AssistanceAccess) -> dict[str, Any]:
        return {**_today(), "provider": None if access.owner else access.organisation_id}

    return _form_page(
        request, code, allowed=lambda a, _r: a.records_services, refusal=SERVICES_REFUSED,
        title=_("Record a service"), submit=_("Record"), done=_("The service was recorded."),
        anchor="services", template="assistance/service_form.html",
        build=lambda data, a, _r: _service_form(request, data, a, initial(a)),
        write=lambda viewer, a, form, _r: services.service_record(
            viewer=viewer, case=a.case, service=form.to_input()))


@_decorate
def service_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_page(
        request, code, fetch=lambda a: service_record_for_viewer(access=a, pk=pk),
        allowed=lambda a, _r: a.records_services, refusal=SERVICES_REFUSED, title=_("Service"),
        submit=_("Save"), done=_("The service record was saved."), anchor="services",
        template="assistance/service_form.html",
        build=lambda data, a, record: _service_form(request, data, a,
                                                    ServiceForm.initial_from(record)),
        write=lambda viewer, a, form, record: services.service_update(
            viewer=viewer, record=record, service=form.to_input()))


# --- return --------------------------------------------------------------------------------

def _journey(pk: int) -> Fetch:
    return lambda access: return_journey_for_viewer(access=access, pk=pk)


@_decorate
def return_add(request: HttpRequest, code: str) -> HttpResponse:
    return _form_page(
        request, code, allowed=lambda a, _r: a.records_returns, refusal=RETURNS_REFUSED,
        title=_("Plan the return"), submit=_("Plan the return"),
        done=_("The return was planned."), anchor="return",
        template="assistance/return_form.html",
        build=lambda data, a, _r: ReturnJourneyForm(data, initial={
            "to_country": a.case.organisation.country, "travel_on": timezone.localdate()}),
        write=lambda viewer, a, form, _r: services.return_journey_record(
            viewer=viewer, case=a.case, journey=form.to_input()))


@_decorate
def return_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_page(
        request, code, fetch=_journey(pk), allowed=lambda a, _r: a.records_returns,
        refusal=RETURNS_REFUSED, title=_("Return journey"), submit=_("Save"),
        done=_("The return journey was saved."), anchor="return",
        template="assistance/return_form.html",
        build=lambda data, a, journey: ReturnJourneyForm(
            data, initial=ReturnJourneyForm.initial_from(journey)),
        write=lambda viewer, a, form, journey: services.return_journey_update(
            viewer=viewer, journey=journey, changes=form.to_input()))


@_decorate
def return_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_page(
        request, code, fetch=_journey(pk), allowed=lambda a, _r: a.records_returns,
        refusal=RETURNS_REFUSED, title=_("Cancel the return"), submit=_("Cancel the return"),
        done=_("The return was cancelled."), anchor="return",
        build=lambda data, a, _r: CancelReturnForm(data),
        write=lambda viewer, a, form, journey: services.return_journey_cancel(
            viewer=viewer, journey=journey, reason=form.cleaned_data["reason"]))


@_decorate
def reception(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_page(
        request, code, fetch=_journey(pk),
        allowed=lambda a, journey: a.records_reception(journey.receiving_organisation_id),
        refusal=RECEPTION_REFUSED, title=_("Reception on arrival"),
        submit=_("Record the reception"), done=_("The reception on arrival was recorded."),
        anchor="return",
        build=lambda data, a, journey: ReceptionForm(data, initial={
            "arrived_on": journey.arrived_on or timezone.localdate(),
            "received_by": journey.received_by, "notes": journey.reception_notes}),
        write=lambda viewer, a, form, journey: services.return_reception_record(
            viewer=viewer, journey=journey, reception=form.to_input()))


# --- follow-up -----------------------------------------------------------------------------

def _follow_up(pk: int) -> Fetch:
    return lambda access: follow_up_for_viewer(access=access, pk=pk)


@_decorate
def follow_up_add(request: HttpRequest, code: str) -> HttpResponse:
    return _form_page(
        request, code, allowed=lambda a, _r: a.works_follow_ups, refusal=FOLLOW_UP_REFUSED,
        title=_("Plan a follow-up contact"), submit=_("Plan"),
        done=_("The follow-up contact was planned."), anchor="follow-up",
        build=lambda data, a, _r: FollowUpPlanForm(
            data, organisation_id=a.case.organisation_id,
            initial={"planned_on": timezone.localdate(),
                     "assigned_to": a.case.case_worker_id}),
        write=lambda viewer, a, form, _r: services.follow_up_schedule(
            viewer=viewer, case=a.case, plan=form.to_input()))


@_decorate
def follow_up_reschedule(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _form_page(
        request, code, fetch=_follow_up(pk), allowed=lambda a, _r: a.works_follow_ups,
        refusal=FOLLOW_UP_REFUSED, title=_("Move the follow-up contact"), submit=_("Save"),
        done=_("The follow-up contact was moved."), anchor="follow-up",
        build=lambda data, a, follow_up: FollowUpPlanForm(
            data, organisation_id=a.case.organisation_id,
            initial=FollowUpPlanForm.initial_from(follow_up)),
        write=lambda viewer, a, form, follow_up: services.follow_up_reschedule(
            viewer=viewer, follow_up=follow_up, plan=form.to_input()))


def _contact_page(request: HttpRequest, code: str, fetch: Fetch | None) -> HttpResponse:
    return _form_page(
        request, code, fetch=fetch, allowed=lambda a, _r: a.works_follow_ups,
        refusal=FOLLOW_UP_REFUSED, title=_("Record a follow-up contact"), submit=_("Record"),
        done=_("The follow-up contact was recorded."), anchor="follow-up",
        template="assistance/contact_form.html",
        build=lambda data, a, planned: ContactForm(data, initial={
            "done_on": timezone.localdate(), "mode": planned.mode if planned else None}),
        write=lambda viewer, a, form, planned: services.follow_up_contact(
            viewer=viewer, case=a.case, follow_up=planned, contact=form.to_input(),
            next_contact_on=form.next_contact()))


@_decorate
def contact_add(request: HttpRequest, code: str) -> HttpResponse:
    return _contact_page(request, code, None)


@_decorate
def follow_up_contact(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _contact_page(request, code, _follow_up(pk))


@login_required
@require_POST
def follow_up_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    access = case_for_assistance(viewer=viewer, code=code, purpose="follow-up cancel")
    follow_up = follow_up_for_viewer(access=access, pk=pk)
    try:
        services.follow_up_cancel(viewer=viewer, follow_up=follow_up)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The planned contact was cancelled."))
    return redirect(case_url(access.case.display_code, "follow-up"))
