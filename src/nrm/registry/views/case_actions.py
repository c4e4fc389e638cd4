"""Changes to a case from its page: edit, close, add an event, record or withdraw consent,
assign. Each fetches the case through the viewer's selector (404 for anyone who may not see it),
refuses those who may not change it (403), and leaves the write to one service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from nrm.accounts.viewer import Viewer
from nrm.registry import services
from nrm.registry.forms import (
    CaseAssignForm,
    CaseCloseForm,
    CaseUpdateForm,
    ConsentRecordForm,
    EventForm,
    is_child,
)
from nrm.registry.models import Case
from nrm.registry.selectors import case_for_viewer
from nrm.registry.views.access import add_service_errors, viewer_of
from nrm.registry.views.cases import works_on


def _case_to_change(request: HttpRequest, code: str) -> tuple[Viewer, Case]:
    viewer = viewer_of(request)
    case = case_for_viewer(viewer=viewer, code=code)
    if not works_on(viewer, case):
        raise PermissionDenied(_("Only your organisation's case workers may change this case."))
    return viewer, case


def _case_url(case: Case) -> str:
    return reverse("registry:case_detail", args=[case.display_code])


def _action_page(request: HttpRequest, *, case: Case, form: forms.Form, title: Any,
                 submit: Any) -> HttpResponse:
    return render(request, "registry/case_action.html", {
        "case": case, "form": form, "title": title, "submit": submit,
        "case_url": _case_url(case),
    })


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_edit(request: HttpRequest, code: str) -> HttpResponse:
    viewer, case = _case_to_change(request, code)
    initial = {name: getattr(case, name) for name in CaseUpdateForm.base_fields}
    form = CaseUpdateForm(_posted(request), initial=initial)
    if form.is_valid():
        try:
            services.case_update(viewer=viewer, case=case,
                                 changes=form.case_input(status=form.cleaned_data["status"]))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was saved."))
            return redirect(_case_url(case))
    return _action_page(request, case=case, form=form, title=gettext_lazy("Edit case"),
                        submit=gettext_lazy("Save"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_close(request: HttpRequest, code: str) -> HttpResponse:
    viewer, case = _case_to_change(request, code)
    form = CaseCloseForm(_posted(request), initial={"closed_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.case_close(viewer=viewer, case=case, closed_on=form.cleaned_data["closed_on"],
                                reason=form.cleaned_data["reason"],
                                referred=form.cleaned_data["referred"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was closed."))
            return redirect(_case_url(case))
    return _action_page(request, case=case, form=form, title=gettext_lazy("Close case"),
                        submit=gettext_lazy("Close case"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_add(request: HttpRequest, code: str) -> HttpResponse:
    viewer, case = _case_to_change(request, code)
    form = EventForm(_posted(request), required=True, prefix="event")
    if form.is_valid():
        try:
            services.event_record(viewer=viewer, case=case, event=form.event_input())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The event was added."))
            return redirect(_case_url(case))
    return _action_page(request, case=case, form=form,
                        title=gettext_lazy("Add a trafficking event"), submit=gettext_lazy("Add"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consent_add(request: HttpRequest, code: str) -> HttpResponse:
    viewer, case = _case_to_change(request, code)
    person = case.person
    form = ConsentRecordForm(_posted(request), child=is_child(person.birth_year, person.age_band))
    if form.is_valid():
        try:
            services.consent_record(viewer=viewer, person=person, consent=form.consent_input())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect(_case_url(case))
    return _action_page(request, case=case, form=form, title=gettext_lazy("Record consent"),
                        submit=gettext_lazy("Record"))


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, code: str, consent_id: int) -> HttpResponse:
    viewer, case = _case_to_change(request, code)
    consent = next((c for c in case.person.consents.all() if c.pk == consent_id), None)
    if consent is None:
        raise Http404
    try:
        services.consent_withdraw(viewer=viewer, consent=consent)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The consent was withdrawn."))
    return redirect(_case_url(case))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_assign(request: HttpRequest, code: str) -> HttpResponse:
    viewer, case = _case_to_change(request, code)
    form = CaseAssignForm(_posted(request), organisation_id=case.organisation_id,
                          initial={"case_worker": case.case_worker_id})
    if form.is_valid():
        try:
            services.case_assign(viewer=viewer, case=case,
                                 case_worker=form.cleaned_data["case_worker"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The case was assigned."))
            return redirect(_case_url(case))
    return _action_page(request, case=case, form=form,
                        title=gettext_lazy("Assign a case worker"), submit=gettext_lazy("Assign"))
