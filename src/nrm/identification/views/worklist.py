"""The decision makers' inbox of requests and everyone's list of what is due."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from nrm.identification.choices import DecisionRequestStatus
from nrm.identification.selectors import requests_for_authority, worklist_for_viewer
from nrm.identification.views.access import decides, require_decision_maker, viewer_of


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    viewer = require_decision_maker(request)
    today = timezone.localdate()
    rows = [{"request": r, "overdue": r.status == DecisionRequestStatus.PENDING
             and r.due_on < today} for r in requests_for_authority(viewer=viewer)]
    return render(request, "identification/inbox.html", {"rows": rows, "today": today})


@login_required
@require_safe
def due(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not (viewer.works_cases or decides(viewer)):
        raise PermissionDenied
    return render(request, "identification/due.html", {
        "worklist": worklist_for_viewer(viewer=viewer), "deciding": decides(viewer),
    })
