"""My cases (pseudonymous lists) and the case page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from nrm.accounts.viewer import Viewer
from nrm.registry.forms import (
    CaseAssignForm,
    CaseCloseForm,
    ConsentRecordForm,
    EventForm,
    MyCasesFilterForm,
    is_child,
)
from nrm.registry.models import Case
from nrm.registry.selectors import (
    access_log_for_case,
    case_for_viewer,
    cases_for_viewer,
    identity_for_viewer,
)
from nrm.registry.views.access import viewer_of

CASES_PER_PAGE = 50
LOG_PER_PAGE = 25
MINE, ORGANISATION = "mine", "organisation"


def works_on(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may change the case (the services check it again)."""
    return viewer.works_cases and case.organisation_id == viewer.organisation_id


@login_required
@require_safe
def my_cases(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.sees_cases:
        raise PermissionDenied
    tabs = [MINE, ORGANISATION] if viewer.works_cases else [ORGANISATION]
    tab = request.GET.get("tab", tabs[0])
    if tab not in tabs:
        tab = tabs[0]
    filters = MyCasesFilterForm(request.GET)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    cases = cases_for_viewer(viewer=viewer, mine=tab == MINE, status=status or None)
    page = Paginator(cases, CASES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "registry/my_cases.html", {
        "tab": tab, "tabs": tabs, "filters": filters, "page": page,
        "national": viewer.sees_national_cases,
    })


@login_required
@require_safe
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_viewer(viewer=viewer, code=code)
    person = case.person
    # Read (and audited) before the access log is listed, so that this visit shows in it.
    identity = identity_for_viewer(viewer=viewer, person=person)
    log = Paginator(access_log_for_case(viewer=viewer, case=case), LOG_PER_PAGE)
    context: dict[str, Any] = {
        "case": case, "person": person, "identity": identity,
        "events": case.events.all(), "consents": person.consents.all(),
        "other_cases": cases_for_viewer(viewer=viewer).filter(person=person).exclude(pk=case.pk),
        "log": log.get_page(request.GET.get("log")),
        "works_on": works_on(viewer, case),
    }
    if context["works_on"]:
        context.update({
            "close_form": CaseCloseForm(initial={"closed_on": timezone.localdate()}),
            "event_form": EventForm(required=True, prefix="event"),
            "consent_form": ConsentRecordForm(child=is_child(person.birth_year, person.age_band)),
            "assign_form": CaseAssignForm(organisation_id=case.organisation_id,
                                          initial={"case_worker": case.case_worker_id}),
        })
    return render(request, "registry/case_detail.html", context)
