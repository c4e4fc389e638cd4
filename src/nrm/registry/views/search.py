"""Search for a person by name in any script, by pseudonymous code or by birth year."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from nrm.registry.forms import SearchForm
from nrm.registry.selectors import persons_search
from nrm.registry.views.access import viewer_of

# Shorter text matches too much to be a useful search, and each search is audited.
MIN_QUERY_LENGTH = 2


@login_required
@require_safe
def search(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.sees_cases:
        raise PermissionDenied
    form = SearchForm(request.GET)
    text = form.cleaned_data["q"].strip() if form.is_valid() else ""
    searched = len(text) >= MIN_QUERY_LENGTH
    context = {
        "form": form, "searched": searched,
        "persons": persons_search(viewer=viewer, text=text) if searched else [],
        "names_searchable": viewer.sees_identity,
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "registry/_search_results.html", context)
    return render(request, "registry/search.html", context)
