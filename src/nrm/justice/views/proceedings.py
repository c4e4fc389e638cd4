"""The victim view: what the person's own case workers may know of the criminal cases the
person takes part in (stage, hearing dates, compensation), reached from the registry case."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from nrm.justice.selectors import victim_view_for_case
from nrm.registry.selectors import case_for_viewer
from nrm.registry.views.access import viewer_of


@login_required
@require_safe
def criminal_proceedings(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_viewer(viewer=viewer, code=code, purpose="criminal proceedings")
    proceedings = victim_view_for_case(viewer=viewer, case=case)
    return render(request, "justice/proceedings.html", {"case": case, "proceedings": proceedings})
