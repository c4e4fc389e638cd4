"""Every change to a criminal case, one form page each (the case page shows the same forms
inline). Each fetches the case through the selector (404 unless the viewer works on it) and
leaves the write to one service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nrm.accounts.viewer import Viewer
from nrm.justice import services
from nrm.justice.forms import (
    CaseLinkForm,
    CompensationForm,
    HearingForm,
    LegalAssistanceAnswerForm,
    LegalAssistanceForm,
    OffenderForm,
    OffenderOutcomeForm,
    ParticipantFieldsForm,
    ParticipantLinkForm,
    QualificationForm,
    StageForm,
    UnregisteredVictimsForm,
)
from nrm.justice.models import (
    CriminalCase,
    LegalAssistanceRequest,
    Offender,
    Participant,
)
from nrm.justice.selectors import criminal_case_for_viewer
from nrm.justice.views.cases import case_url
from nrm.registry.views.access import add_service_errors, viewer_of

Write = Callable[[Viewer, CriminalCase, dict[str, Any]], object]


def _action(request: HttpRequest, pk: int, *, form: Callable[..., forms.Form],
             write: Write, title: str, submit: str, done: str,
             subject: str = "") -> HttpResponse:
    """Show the form; on a valid post, write through the service and go back to the case."""
    viewer = viewer_of(request)
    criminal_case = criminal_case_for_viewer(viewer=viewer, pk=pk)
    bound = form(request.POST if request.method == "POST" else None, criminal_case)
    if request.method == "POST" and bound.is_valid():
        try:
            write(viewer, criminal_case, bound.cleaned_data)
        except ValidationError as error:
            add_service_errors(bound, error)
        else:
            messages.success(request, done)
            return redirect(case_url(criminal_case))
    return render(request, "justice/form.html", {
        "case": criminal_case, "form": bound, "title": title, "submit": submit,
        "subject": subject,
    })


def _decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users only; GET shows the form, POST submits it."""
    return login_required(require_http_methods(["GET", "HEAD", "POST"])(view))


def _participant(criminal_case: CriminalCase, pk: int) -> Participant:
    found = criminal_case.participants.select_related("case").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _offender(criminal_case: CriminalCase, pk: int) -> Offender:
    found = criminal_case.offenders.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _request(criminal_case: CriminalCase, pk: int) -> LegalAssistanceRequest:
    found = criminal_case.legal_assistance_requests.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@_decorate
def qualification_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Change the qualification"), submit=_("Record the new version"),
        done=_("The new qualification was recorded; the earlier ones are kept."),
        form=lambda data, cc: QualificationForm(
            data, country=cc.country, initial={"valid_from": timezone.localdate()}),
        write=lambda viewer, cc, d: services.qualification_change(
            viewer=viewer, criminal_case=cc, article_ids=d["article_ids"],
            valid_from=d["valid_from"], reason=d["reason"]))


@_decorate
def stage_change(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Change the stage"), submit=_("Record the stage"),
        done=_("The stage was recorded."),
        form=lambda data, cc: StageForm(data, initial={"on": timezone.localdate()}),
        write=lambda viewer, cc, d: services.stage_change(
            viewer=viewer, criminal_case=cc, stage=d["stage"], on=d["on"], reason=d["reason"]))


@_decorate
def hearing_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Add a hearing"), submit=_("Add"),
        done=_("The hearing was added."),
        form=lambda data, cc: HearingForm(data),
        write=lambda viewer, cc, d: services.hearing_add(viewer=viewer, criminal_case=cc, **d))


@_decorate
def unregistered_victims_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Victims not registered in the NRM"), submit=_("Save"),
        done=_("The number of victims not registered in the NRM was saved."),
        form=lambda data, cc: UnregisteredVictimsForm(
            data, initial={"count": cc.unregistered_victims}),
        write=lambda viewer, cc, d: services.unregistered_victims_set(
            viewer=viewer, criminal_case=cc, count=d["count"]))


@_decorate
def participant_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Link a victim or witness"), submit=_("Link"),
        done=_("The person's registry case was linked."),
        form=lambda data, cc: ParticipantLinkForm(data),
        write=lambda viewer, cc, d: services.participant_link(
            viewer=viewer, criminal_case=cc, **d))


@_decorate
def participant_update(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    def form(data: Any, cc: CriminalCase) -> forms.Form:
        found = _participant(cc, participant)
        return ParticipantFieldsForm(data, initial={
            name: getattr(found, name) for name in ParticipantFieldsForm.base_fields})

    return _action(
        request, pk, title=_("Victim or witness"), submit=_("Save"),
        done=_("The victim's or witness's part was saved."), form=form,
        write=lambda viewer, cc, d: services.participant_update(
            viewer=viewer, participant=_participant(cc, participant), **d))


@_decorate
def compensation_record(request: HttpRequest, pk: int, participant: int) -> HttpResponse:
    def form(data: Any, cc: CriminalCase) -> forms.Form:
        _participant(cc, participant)  # 404 for a participant of another case
        return CompensationForm(data)

    return _action(
        request, pk, title=_("Record compensation"), submit=_("Record"),
        done=_("The compensation was recorded."), form=form,
        write=lambda viewer, cc, d: services.compensation_record(
            viewer=viewer, participant=_participant(cc, participant), **d))


@_decorate
def offender_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Add an offender"), submit=_("Add"),
        done=_("The offender was recorded."),
        form=lambda data, cc: OffenderForm(data, country=cc.country),
        write=lambda viewer, cc, d: services.offender_add(
            viewer=viewer, criminal_case=cc, label=d["label"], sex=d["sex"],
            birth_year=d["birth_year"], citizenship=d["citizenship"], roles=d["roles"],
            article_ids=d["article_ids"]))


@_decorate
def offender_outcome(request: HttpRequest, pk: int, offender: int) -> HttpResponse:
    def form(data: Any, cc: CriminalCase) -> forms.Form:
        found = _offender(cc, offender)
        return OffenderOutcomeForm(data, initial={
            name: getattr(found, name) for name in OffenderOutcomeForm.base_fields})

    return _action(
        request, pk, title=_("Record the offender's outcome"), submit=_("Record"),
        done=_("The outcome was recorded."), form=form,
        write=lambda viewer, cc, d: services.offender_outcome(
            viewer=viewer, offender=_offender(cc, offender), **d))


@_decorate
def case_link(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Link another criminal case"), submit=_("Link"),
        done=_("The criminal cases were linked."),
        form=lambda data, cc: CaseLinkForm(data),
        write=lambda viewer, cc, d: services.case_link(viewer=viewer, from_case=cc, **d))


@_decorate
def legal_assistance_record(request: HttpRequest, pk: int) -> HttpResponse:
    return _action(
        request, pk, title=_("Record a request for legal assistance"), submit=_("Record"),
        done=_("The request for legal assistance was recorded."),
        form=lambda data, cc: LegalAssistanceForm(data, initial={
            "requesting_country": cc.country, "sent_on": timezone.localdate()}),
        write=lambda viewer, cc, d: services.legal_assistance_record(
            viewer=viewer, criminal_case=cc, **d))


@_decorate
def legal_assistance_answer(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    def form(data: Any, cc: CriminalCase) -> forms.Form:
        _request(cc, request_pk)  # 404 for a request of another case
        return LegalAssistanceAnswerForm(data, initial={"answered_on": timezone.localdate()})

    return _action(
        request, pk, title=_("Record the answer"), submit=_("Record"),
        done=_("The answer was recorded."), form=form,
        write=lambda viewer, cc, d: services.legal_assistance_answer(
            viewer=viewer, request=_request(cc, request_pk), **d))

