"""Identification over the API: the catalogue by version, screenings, referrals for a decision,
status decisions, appeals, the worklist and the figures.

As in the registry's API, every endpoint parses its schema, fetches through a selector that takes
the token's viewer and calls one service; an object the viewer may not see is 404, an action the
role may not take is 403. An analyst reaches the figures and the catalogue, never a person.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router
from ninja.responses import Status

from nrm.accounts.api import viewer_of
from nrm.core.dates import check_period
from nrm.directory.models import Organisation
from nrm.identification import selectors, services
from nrm.identification.figures import identification_figures
from nrm.identification.models import Appeal, IndicatorCatalogue, StatusDecision
from nrm.identification.schemas import (
    AnswersIn,
    AppealIn,
    AppealOut,
    AppealOutcomeIn,
    CatalogueOut,
    CatalogueSummaryOut,
    DecisionIn,
    DecisionOut,
    DecisionRequestIn,
    DecisionRequestOut,
    FigureFilters,
    FiguresOut,
    ScreeningCompleteIn,
    ScreeningOut,
    ScreeningStartIn,
    WorklistOut,
    appeal_out,
    catalogue_out,
    catalogue_summary_out,
    decision_out,
    decision_request_out,
    figures_out,
    screening_out,
    worklist_out,
)
from nrm.identification.selectors import catalogue_for_version
from nrm.registry.models import Case
from nrm.registry.schemas import MAX_ID, PLAIN_TEXT, REFUSALS, WRITE_REFUSALS

router = Router(tags=["identification"])


CODE = Path(..., max_length=40, description="The case's pseudonymous code")
VERSION = Path(..., max_length=20, pattern=PLAIN_TEXT, description="Catalogue version")


def _id(description: str) -> Any:
    return Path(..., ge=1, le=MAX_ID, description=description)


def _case(request: HttpRequest, code: str, purpose: str) -> Case:
    return selectors.case_for_identification(viewer=viewer_of(request), code=code,
                                             purpose=purpose)


def _decision(request: HttpRequest, case: Case, decision_id: int) -> StatusDecision:
    found = selectors.decisions_for_case(viewer=viewer_of(request), case=case).filter(
        pk=decision_id).first()
    if found is None:
        raise Http404
    return found


# --- catalogue -------------------------------------------------------------------------------

@router.get("/identification/catalogues", response={200: list[CatalogueSummaryOut], **REFUSALS},
            summary="Every published version of the indicator catalogue, newest first")
def catalogues(request: HttpRequest) -> list[CatalogueSummaryOut]:
    # Reference data, not personal data: every signed-in caller may read every version.
    versions = IndicatorCatalogue.objects.order_by("-published_on", "-version")
    return [catalogue_summary_out(row) for row in versions]


@router.get("/identification/catalogues/{version}",
            response={200: CatalogueOut, **REFUSALS},
            summary="One version of the catalogue with all its indicators and their texts")
def catalogue(request: HttpRequest, version: str = VERSION) -> CatalogueOut:
    return catalogue_out(catalogue_for_version(version))


# --- screenings ------------------------------------------------------------------------------

@router.get("/identification/cases/{code}/screenings",
            response={200: list[ScreeningOut], **REFUSALS},
            summary="The case's screenings, newest first")
def screenings(request: HttpRequest, code: str = CODE) -> list[ScreeningOut]:
    viewer = viewer_of(request)
    case = _case(request, code, "API screenings")
    return [screening_out(row, viewer=viewer)
            for row in selectors.screenings_for_case(viewer=viewer, case=case)]


@router.post("/identification/cases/{code}/screenings",
             response={201: ScreeningOut, **WRITE_REFUSALS},
             summary="Start a screening interview with the current catalogue")
def screening_start(request: HttpRequest, payload: ScreeningStartIn,
                    code: str = CODE) -> Status:
    viewer = viewer_of(request)
    case = _case(request, code, "API screening")
    started = services.screening_start(
        viewer=viewer, case=case, language=payload.language,
        indicator_set=payload.indicator_set or "",
        age_at_recruitment=payload.age_at_recruitment, age_disputed=payload.age_disputed)
    return Status(201, screening_out(started, viewer=viewer, answers=True))


@router.get("/identification/screenings/{screening_id}",
            response={200: ScreeningOut, **REFUSALS},
            summary="One screening with its answers and the explained result")
def screening(request: HttpRequest, screening_id: int = _id("Screening id")) -> ScreeningOut:
    viewer = viewer_of(request)
    found = selectors.screening_for_viewer(viewer=viewer, pk=screening_id)
    return screening_out(found, viewer=viewer, answers=True)


@router.post("/identification/screenings/{screening_id}/answers",
             response={200: ScreeningOut, **WRITE_REFUSALS},
             summary="Answer indicators yes, no or unknown, each with a note")
def screening_answer(request: HttpRequest, payload: AnswersIn,
                     screening_id: int = _id("Screening id")) -> ScreeningOut:
    viewer = viewer_of(request)
    found = selectors.screening_for_viewer(viewer=viewer, pk=screening_id)
    services.screening_answer(
        viewer=viewer, screening=found,
        answers={row.indicator: (str(row.answer), row.note) for row in payload.answers})
    updated = selectors.screening_for_viewer(viewer=viewer, pk=screening_id)
    return screening_out(updated, viewer=viewer, answers=True)


@router.post("/identification/screenings/{screening_id}/complete",
             response={200: ScreeningOut, **WRITE_REFUSALS},
             summary="Compute and explain the result, beside the screener's judgement")
def screening_complete(request: HttpRequest, payload: ScreeningCompleteIn,
                       screening_id: int = _id("Screening id")) -> ScreeningOut:
    viewer = viewer_of(request)
    found = selectors.screening_for_viewer(viewer=viewer, pk=screening_id)
    services.screening_complete(viewer=viewer, screening=found,
                                judgement=str(payload.judgement),
                                judgement_note=payload.judgement_note)
    updated = selectors.screening_for_viewer(viewer=viewer, pk=screening_id)
    return screening_out(updated, viewer=viewer, answers=True)


# --- referrals for a decision ----------------------------------------------------------------

@router.post("/identification/cases/{code}/decision-requests",
             response={201: DecisionRequestOut, **WRITE_REFUSALS},
             summary="Refer the case to a competent authority for a status decision")
def decision_request(request: HttpRequest, payload: DecisionRequestIn,
                     code: str = CODE) -> Status:
    viewer = viewer_of(request)
    case = _case(request, code, "API referral for a decision")
    # The directory is public within nrm; the service checks that it is a competent authority.
    authority = Organisation.objects.filter(pk=payload.competent_authority_id).first()
    if authority is None:
        raise Http404
    created = services.decision_request(viewer=viewer, case=case,
                                        competent_authority=authority, note=payload.note)
    return Status(201, decision_request_out(created, viewer=viewer))


@router.get("/identification/decision-requests",
            response={200: list[DecisionRequestOut], **REFUSALS},
            summary="Referrals to the caller's authority, those awaiting a decision first")
def decision_requests(request: HttpRequest) -> list[DecisionRequestOut]:
    viewer = viewer_of(request)
    return [decision_request_out(row, viewer=viewer)
            for row in selectors.requests_for_authority(viewer=viewer)[:500]]


# --- decisions and appeals -------------------------------------------------------------------

@router.get("/identification/cases/{code}/decisions",
            response={200: list[DecisionOut], **REFUSALS},
            summary="The case's whole decision history with its appeals")
def decisions(request: HttpRequest, code: str = CODE) -> list[DecisionOut]:
    viewer = viewer_of(request)
    case = _case(request, code, "API decisions")
    return [decision_out(row, viewer=viewer)
            for row in selectors.decisions_for_case(viewer=viewer, case=case)]


@router.post("/identification/cases/{code}/decisions",
             response={201: DecisionOut, **WRITE_REFUSALS},
             summary="Decide victim status (a competent authority's decision maker)")
def decide(request: HttpRequest, payload: DecisionIn, code: str = CODE) -> Status:
    viewer = viewer_of(request)
    case = _case(request, code, "API decision")
    referral = None
    if payload.request_id is not None:
        referral = selectors.requests_for_case(viewer=viewer, case=case).filter(
            pk=payload.request_id).first()
        if referral is None:
            raise Http404
    created = services.status_decide(
        viewer=viewer, case=case, status=str(payload.status), decided_on=payload.decided_on,
        reasons=payload.reasons, legal_basis=payload.legal_basis,
        screening_ids=payload.screening_ids, request=referral)
    return Status(201, decision_out(_decision(request, case, created.pk), viewer=viewer))


@router.post("/identification/cases/{code}/decisions/{decision_id}/appeals",
             response={201: AppealOut, **WRITE_REFUSALS},
             summary="Record an appeal against a negative decision")
def appeal_lodge(request: HttpRequest, payload: AppealIn, code: str = CODE,
                 decision_id: int = _id("Decision id")) -> Status:
    viewer = viewer_of(request)
    case = _case(request, code, "API appeal")
    decision = _decision(request, case, decision_id)
    created = services.appeal_lodge(viewer=viewer, decision=decision, lodged_on=payload.lodged_on,
                                    body=payload.body, grounds=payload.grounds,
                                    representative=payload.representative)
    return Status(201, appeal_out(created, viewer=viewer, case=case))


def _appeal(request: HttpRequest, case: Case, appeal_id: int) -> Appeal:
    for decision in selectors.decisions_for_case(viewer=viewer_of(request), case=case):
        for appeal in decision.appeals.all():
            if appeal.pk == appeal_id:
                return appeal
    raise Http404


@router.post("/identification/cases/{code}/appeals/{appeal_id}/outcome",
             response={200: AppealOut, **WRITE_REFUSALS},
             summary="Record an appeal's outcome; an overturned decision is replaced, both kept")
def appeal_decide(request: HttpRequest, payload: AppealOutcomeIn, code: str = CODE,
                  appeal_id: int = _id("Appeal id")) -> AppealOut:
    viewer = viewer_of(request)
    case = _case(request, code, "API appeal outcome")
    appeal = _appeal(request, case, appeal_id)
    decided = services.appeal_decide(
        viewer=viewer, appeal=appeal, outcome=str(payload.outcome), outcome_on=payload.outcome_on,
        new_status=str(payload.new_status or ""), reasons=payload.reasons,
        legal_basis=payload.legal_basis)
    return appeal_out(decided, viewer=viewer, case=case)


# --- what is due, and the figures ------------------------------------------------------------

@router.get("/identification/worklist", response={200: WorklistOut, **REFUSALS},
            summary="Screenings in progress, decisions overdue, recovery periods ending soon, "
                    "appeals pending")
def worklist(request: HttpRequest) -> WorklistOut:
    viewer = viewer_of(request)
    return worklist_out(selectors.worklist_for_viewer(viewer=viewer), viewer=viewer)


@router.get("/identification/figures", response={200: FiguresOut, **REFUSALS},
            summary="Identification figures, small cells suppressed (coordinators, analysts)")
def figures(request: HttpRequest, filters: Query[FigureFilters]) -> FiguresOut:
    check_period(filters.since, filters.until)
    return figures_out(identification_figures(viewer=viewer_of(request), since=filters.since,
                                              until=filters.until))
