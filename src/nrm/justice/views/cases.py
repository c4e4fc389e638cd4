"""The viewer's criminal cases, opening one, and a criminal case's page. Only law-enforcement
organisations working on a case see it; everyone else gets 404 for its page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nrm.accounts.viewer import Viewer
from nrm.justice import services
from nrm.justice.access import is_law_enforcement
from nrm.justice.forms import (
    CaseLinkForm,
    CriminalCaseOpenForm,
    HearingForm,
    LegalAssistanceForm,
    OffenderForm,
    ParticipantLinkForm,
    QualificationForm,
    StageForm,
    UnregisteredVictimsForm,
)
from nrm.justice.models import CriminalCase
from nrm.justice.selectors import (
    criminal_case_for_viewer,
    criminal_cases_for_viewer,
    current_qualification,
    links_of,
)
from nrm.registry.views.access import add_service_errors, viewer_of


def case_url(criminal_case: CriminalCase) -> str:
    return reverse("justice:case", args=[criminal_case.pk])


def require_law_enforcement(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request)
    if not is_law_enforcement(viewer):
        raise PermissionDenied(_("Only law-enforcement and prosecution organisations keep "
                                 "criminal cases."))
    return viewer


@login_required
@require_safe
def criminal_cases(request: HttpRequest) -> HttpResponse:
    viewer = require_law_enforcement(request)
    return render(request, "justice/case_list.html", {
        "cases": criminal_cases_for_viewer(viewer=viewer),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def criminal_case_open(request: HttpRequest) -> HttpResponse:
    viewer = require_law_enforcement(request)
    organisation = viewer.membership.organisation
    form = CriminalCaseOpenForm(
        request.POST if request.method == "POST" else None, country=viewer.country,
        initial={"country": viewer.country, "investigating_agency": organisation.pk,
                 "opened_on": timezone.localdate()})
    if form.is_valid():
        data = form.cleaned_data
        try:
            criminal_case = services.criminal_case_open(
                viewer=viewer, country=data["country"], number=data["number"],
                investigating_agency=data["investigating_agency"],
                prosecutor_office=data["prosecutor_office"], opened_on=data["opened_on"],
                article_ids=data["article_ids"],
                unregistered_victims=data["unregistered_victims"] or 0)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The criminal case was recorded."))
            return redirect(case_url(criminal_case))
    return render(request, "justice/open.html", {"form": form})


def _links(criminal_case: CriminalCase) -> list[dict[str, Any]]:
    """The cases linked to this one, in either direction, with the other case named."""
    return [{
        "link": link,
        "other": link.to_case if link.from_case_id == criminal_case.pk else link.from_case,
    } for link in links_of(criminal_case)]


@login_required
@require_safe
def criminal_case(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    case = criminal_case_for_viewer(viewer=viewer, pk=pk)
    today = timezone.localdate()
    requests = list(case.legal_assistance_requests.all())
    for mla in requests:
        mla.overdue = bool(mla.answered_on is None and mla.answer_due_on  # type: ignore[attr-defined]
                           and mla.answer_due_on < today)
    participants = list(case.participants.select_related("case").prefetch_related(
        "compensations").order_by("pk"))
    return render(request, "justice/case.html", {
        "case": case,
        "qualification": current_qualification(case),
        "qualifications": case.qualifications.prefetch_related("articles"),
        "stages": case.stage_changes.all(),
        "hearings": case.hearings.all(),
        "participants": participants,
        "offenders": case.offenders.prefetch_related("charges__article"),
        "links": _links(case),
        "requests": requests,
        "today": today,
        # Many forms on one page: ids prefixed by the form so that labels stay unique; the
        # field names stay as the action pages expect them.
        "forms": {
            "qualification": QualificationForm(country=case.country, auto_id="q-%s",
                                               initial={"valid_from": today}),
            "stage": StageForm(initial={"on": today}, auto_id="s-%s"),
            "hearing": HearingForm(auto_id="h-%s"),
            "unregistered": UnregisteredVictimsForm(
                initial={"count": case.unregistered_victims}, auto_id="u-%s"),
            "participant": ParticipantLinkForm(auto_id="p-%s"),
            "offender": OffenderForm(country=case.country, auto_id="o-%s"),
            "link": CaseLinkForm(auto_id="l-%s"),
            "legal_assistance": LegalAssistanceForm(
                initial={"requesting_country": case.country, "sent_on": today},
                auto_id="la-%s"),
        },
    })
