"""A case's assistance page and the follow-up worklist."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from nrm.assistance.selectors import (
    assistance_for_case,
    case_for_assistance,
    follow_ups_due_for_viewer,
)
from nrm.registry.views.access import viewer_of


@login_required
@require_safe
def case_assistance(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_of(request)
    access = case_for_assistance(viewer=viewer, code=code, purpose="assistance page")
    overview = assistance_for_case(access=access)
    return render(request, "assistance/case.html", {
        "case": access.case, "access": access, "overview": overview,
        "today": timezone.localdate(),
    })


@login_required
@require_safe
def follow_ups_due(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.works_cases:
        raise PermissionDenied(_("Follow-up is for the case workers of an organisation."))
    return render(request, "assistance/follow_ups_due.html", {
        "worklist": follow_ups_due_for_viewer(viewer=viewer), "today": timezone.localdate(),
    })
