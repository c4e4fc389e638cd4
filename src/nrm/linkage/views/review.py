"""Reviewing candidate pairs: the list (most likely first), one pair side by side with its
explanation, deciding *same person* or *different persons*, undoing a decision, and one person's
possible duplicates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from nrm.accounts.viewer import Viewer
from nrm.core.codes import normalise_code
from nrm.directory.models import Organisation
from nrm.linkage import selectors, services
from nrm.linkage.explanation import explain
from nrm.linkage.forms import DecisionForm, PairFilterForm, RunStartForm
from nrm.linkage.models import CandidatePair, RunScope, Verdict
from nrm.linkage.views.access import require_reviewer
from nrm.registry.models import Case, Identity, Person
from nrm.registry.selectors import cases_for_viewer

PAIRS_PER_PAGE = 50


@dataclass(frozen=True)
class Side:
    """One person of a pair as the reviewer sees them."""

    person: Person
    cases: list[Case]
    identity: Identity | None


def _organisations(viewer: Viewer) -> QuerySet[Organisation] | None:
    if selectors.run_scope(viewer) != RunScope.COUNTRY:
        return None
    return Organisation.objects.filter(country=viewer.country).order_by("name")


@login_required
@require_safe
def pairs(request: HttpRequest) -> HttpResponse:
    viewer = require_reviewer(request)
    filters = PairFilterForm(request.GET or None, organisations=_organisations(viewer))
    found = selectors.pairs_for_viewer(viewer=viewer, **filters.filters())
    page = Paginator(found, PAIRS_PER_PAGE).get_page(request.GET.get("page"))
    previous = selectors.previous_run(viewer=viewer)
    return render(request, "linkage/pairs.html", {
        "filters": filters, "page": page, "previous": previous,
        "latest": selectors.runs_for_viewer(viewer=viewer).first(),
        "full_form": RunStartForm(initial={"incremental": False}),
        "incremental_form": RunStartForm(initial={"incremental": True}) if previous else None,
        "national": selectors.run_scope(viewer) == RunScope.COUNTRY,
    })


def _pair(request: HttpRequest, pair_id: int, purpose: str) -> tuple[Viewer, CandidatePair]:
    viewer = require_reviewer(request)
    return viewer, selectors.pair_for_viewer(viewer=viewer, pair_id=pair_id, purpose=purpose)


def _pair_url(pair: CandidatePair) -> str:
    return reverse("linkage:pair", args=[pair.pk])


@login_required
@require_safe
def pair(request: HttpRequest, pair_id: int) -> HttpResponse:
    viewer, found = _pair(request, pair_id, "review")
    identities = selectors.pair_identities(viewer=viewer, pair=found, purpose="duplicate review")
    visible_cases = cases_for_viewer(viewer=viewer).filter(
        person_id__in=[found.left_id, found.right_id])
    cases: dict[int, list[Case]] = {found.left_id: [], found.right_id: []}
    for case in visible_cases:
        cases[case.person_id].append(case)
    sides = [Side(person=person, cases=cases[person.pk],
                  identity=identities[index] if identities else None)
             for index, person in enumerate((found.left, found.right))]
    linked = found.right in selectors.cluster_for_viewer(viewer=viewer, person=found.left)
    return render(request, "linkage/pair.html", {
        "pair": found, "sides": sides, "explanation": explain(found.comparisons),
        "decisions": selectors.decisions_for_pair(viewer=viewer, pair=found),
        "form": DecisionForm() if found.verdict == Verdict.PENDING else None,
        "linked": linked, "identities_shown": identities is not None,
    })


@login_required
@require_POST
def pair_decide(request: HttpRequest, pair_id: int) -> HttpResponse:
    viewer, found = _pair(request, pair_id, "decision")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose “same person” or “different persons”."))
        return redirect(_pair_url(found))
    try:
        services.pair_decide(viewer=viewer, pair=found, verdict=form.cleaned_data["verdict"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(_pair_url(found))
    if found.verdict == Verdict.SAME:
        messages.success(request, _("Decided: the same person. The two records are linked; "
                                    "neither was changed."))
    else:
        messages.success(request, _("Decided: different persons. This pair will not be "
                                    "proposed again."))
    following = selectors.pairs_for_viewer(viewer=viewer, verdict=Verdict.PENDING).first()
    return redirect(_pair_url(following) if following else reverse("linkage:pairs"))


@login_required
@require_POST
def pair_undo(request: HttpRequest, pair_id: int) -> HttpResponse:
    viewer, found = _pair(request, pair_id, "undo")
    try:
        services.pair_decision_undo(viewer=viewer, pair=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The decision was undone; the pair awaits a decision "
                                    "again."))
    return redirect(_pair_url(found))


@login_required
@require_safe
def person(request: HttpRequest, code: str) -> HttpResponse:
    viewer = require_reviewer(request)
    normalised = normalise_code(code)
    found = (selectors.linkage_persons(viewer=viewer).filter(code=normalised)
             .select_related("organisation").first() if normalised else None)
    if found is None:
        raise Http404
    context: dict[str, Any] = {
        "person": found,
        "pairs": selectors.pairs_for_viewer(viewer=viewer, person=found, verdict=None),
        "cluster": selectors.cluster_for_viewer(viewer=viewer, person=found),
    }
    return render(request, "linkage/person.html", context)
