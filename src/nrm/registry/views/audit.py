"""The audit log, filtered by action, person, date and who acted."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from nrm.registry.forms import AuditFilterForm
from nrm.registry.selectors import audit_entries_for_viewer
from nrm.registry.views.access import viewer_of

ENTRIES_PER_PAGE = 50


@login_required
@require_safe
def audit_log(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.reads_audit:
        raise PermissionDenied
    filters = AuditFilterForm(request.GET, organisation_id=viewer.organisation_id)
    filters.is_valid()
    # Filters that were understood apply; the others show their error beside the field.
    chosen = filters.cleaned_data
    since, until = chosen.get("since"), chosen.get("until")
    entries = audit_entries_for_viewer(
        viewer=viewer, action=chosen.get("action"),
        actor_id=int(chosen["actor"]) if chosen.get("actor") else None,
        person_code=chosen.get("person", ""),
        since=since.isoformat() if since else "", until=until.isoformat() if until else "",
    )
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "registry/audit_log.html", {"filters": filters, "page": page})
