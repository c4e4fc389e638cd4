"""Linkage over the API: duplicate searches, candidate pairs, decisions and their undoing, and a
person's cluster, with the permissions of the pages: supervisors (their organisation's persons)
and national coordinators (their country's) review; every other role is refused (403); a pair
or person the caller does not review is 404, exactly like one that does not exist."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.responses import Status

from nrm.accounts.api import viewer_of
from nrm.accounts.viewer import Viewer
from nrm.core.codes import normalise_code
from nrm.linkage import selectors, services
from nrm.linkage.models import CandidatePair
from nrm.linkage.schemas import (
    ClusterOut,
    DecisionIn,
    PairFilters,
    PairOut,
    PairPageOut,
    RunOut,
    RunPageOut,
    RunStartIn,
    pair_out,
    pair_summary_out,
    person_ref_out,
    run_out,
)
from nrm.registry.models import Person
from nrm.registry.schemas import MAX_ID, REFUSALS, WRITE_REFUSALS, PageIn, page_of

router = Router(tags=["linkage"])

PERSON_CODE = Path(..., max_length=40, description="The person's pseudonymous code")


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


def _reviewer(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request)
    if not selectors.reviews_duplicates(viewer):
        raise PermissionDenied(_("Only supervisors and national coordinators review possible "
                                 "duplicates."))
    return viewer


def _person(viewer: Viewer, code: str) -> Person:
    normalised = normalise_code(code)
    person = (selectors.linkage_persons(viewer=viewer).filter(code=normalised)
              .select_related("organisation").first() if normalised else None)
    if person is None:
        raise Http404
    return person


def _pair_out(viewer: Viewer, pair: CandidatePair) -> PairOut:
    return pair_out(
        pair, identities=selectors.pair_identities(viewer=viewer, pair=pair, purpose="API"),
        decisions=list(selectors.decisions_for_pair(viewer=viewer, pair=pair)),
        already_linked=pair.right in selectors.cluster_for_viewer(viewer=viewer,
                                                                  person=pair.left),
    )


# --- duplicate searches ----------------------------------------------------------------------

@router.get("/linkage/runs", response={200: RunPageOut, **REFUSALS},
            summary="Duplicate searches of the persons the caller reviews, newest first")
def runs(request: HttpRequest, page: Query[PageIn]) -> RunPageOut:
    rows, count = page_of(selectors.runs_for_viewer(viewer=_reviewer(request)), page)
    return RunPageOut(items=[run_out(row) for row in rows], count=count)


@router.post("/linkage/runs", response={202: RunOut, **WRITE_REFUSALS},
             summary="Start a duplicate search in the background; follow it by its id")
def run_start(request: HttpRequest, payload: RunStartIn) -> Status:
    run = services.linkage_run_start(viewer=_reviewer(request), incremental=payload.incremental)
    return Status(202, run_out(run))


@router.get("/linkage/runs/{run_id}", response={200: RunOut, **REFUSALS},
            summary="One duplicate search: how far it has come and what it found")
def run(request: HttpRequest, run_id: int = _id("The search's id")) -> RunOut:
    return run_out(selectors.run_for_viewer(viewer=_reviewer(request), run_id=run_id))


# --- candidate pairs -------------------------------------------------------------------------

@router.get("/linkage/pairs", response={200: PairPageOut, **REFUSALS},
            summary="Candidate pairs the caller reviews, most likely first (pending by default)")
def pairs(request: HttpRequest, filters: Query[PairFilters]) -> PairPageOut:
    viewer = _reviewer(request)
    person = _person(viewer, filters.person_code) if filters.person_code else None
    found = selectors.pairs_for_viewer(
        viewer=viewer, verdict=None if filters.verdict == "any" else filters.verdict,
        min_probability=filters.min_probability, organisation_id=filters.organisation_id,
        across_organisations=filters.across_organisations, person=person)
    rows, count = page_of(found, filters)
    return PairPageOut(items=[pair_summary_out(row) for row in rows], count=count)


@router.get("/linkage/pairs/{pair_id}", response={200: PairOut, **REFUSALS},
            summary="One pair side by side with its explanation and decisions; identities "
                    "only for a caller who may see both")
def pair(request: HttpRequest, pair_id: int = _id("The pair's id")) -> PairOut:
    viewer = _reviewer(request)
    found = selectors.pair_for_viewer(viewer=viewer, pair_id=pair_id, purpose="API")
    return _pair_out(viewer, found)


@router.post("/linkage/pairs/{pair_id}/decision", response={200: PairOut, **WRITE_REFUSALS},
             summary="Decide: the same person (the two records are linked) or different "
                     "persons (the pair is not proposed again)")
def pair_decide(request: HttpRequest, payload: DecisionIn,
                pair_id: int = _id("The pair's id")) -> PairOut:
    viewer = _reviewer(request)
    found = selectors.pair_for_viewer(viewer=viewer, pair_id=pair_id, purpose="API decision")
    services.pair_decide(viewer=viewer, pair=found, verdict=payload.verdict)
    return _pair_out(viewer, found)


@router.post("/linkage/pairs/{pair_id}/undo", response={200: PairOut, **WRITE_REFUSALS},
             summary="Undo the pair's decision; it awaits a decision again")
def pair_undo(request: HttpRequest, pair_id: int = _id("The pair's id")) -> PairOut:
    viewer = _reviewer(request)
    found = selectors.pair_for_viewer(viewer=viewer, pair_id=pair_id, purpose="API undo")
    services.pair_decision_undo(viewer=viewer, pair=found)
    return _pair_out(viewer, found)


# --- clusters --------------------------------------------------------------------------------

@router.get("/linkage/persons/{code}/cluster", response={200: ClusterOut, **REFUSALS},
            summary="The records decided to be the same person as this one (those the caller "
                    "reviews)")
def cluster(request: HttpRequest, code: str = PERSON_CODE) -> ClusterOut:
    viewer = _reviewer(request)
    person = _person(viewer, code)
    return ClusterOut(person=person_ref_out(person),
                      same_person=[person_ref_out(other) for other in
                                   selectors.cluster_for_viewer(viewer=viewer, person=person)])
