"""Identification over the API: what a client may send and what it gets back.

Outputs name cases and persons by pseudonymous code only. Free text (notes, reasons, grounds,
judgements) leaves only for the organisations that wrote it or own the case: it may identify.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, StringConstraints

from nrm.accounts.viewer import Viewer
from nrm.core.disclosure import Table
from nrm.identification.choices import (
    Answer,
    AppealOutcome,
    IndicatorSet,
    ScreeningResult,
    VictimStatus,
)
from nrm.identification.figures import Figures, MedianTable
from nrm.identification.models import (
    Appeal,
    DecisionRequest,
    Indicator,
    IndicatorCatalogue,
    Screening,
    StatusDecision,
)
from nrm.identification.selectors import Worklist
from nrm.registry.models import Case
from nrm.registry.schemas import PLAIN_TEXT, Input, OrganisationRefOut, RecordId, organisation_ref


def _plain(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(max_length=max_length, min_length=min_length, pattern=PLAIN_TEXT)


Note = Annotated[str, _plain(4000)]
ShortText = Annotated[str, _plain(300)]
IndicatorCode = Annotated[str, _plain(120, min_length=1)]
Language = Annotated[str, _plain(8)]
Version = Annotated[str, _plain(20, min_length=1)]


# --- catalogue -------------------------------------------------------------------------------

class CatalogueSummaryOut(Schema):
    version: str
    title: str
    published_on: dt.date
    is_current: bool


class IndicatorOut(Schema):
    code: str
    group: str
    element: str
    indicator_set: str
    dimension: str
    strength: str
    country: str
    order: int
    texts: dict[str, str]


class CatalogueOut(CatalogueSummaryOut):
    sources: str
    indicators: list[IndicatorOut]


def catalogue_summary_out(catalogue: IndicatorCatalogue) -> CatalogueSummaryOut:
    return CatalogueSummaryOut(version=catalogue.version, title=catalogue.title,
                               published_on=catalogue.published_on,
                               is_current=catalogue.is_current)


def indicator_out(indicator: Indicator) -> IndicatorOut:
    return IndicatorOut(
        code=indicator.code, group=indicator.group, element=indicator.element,
        indicator_set=indicator.indicator_set, dimension=indicator.dimension,
        strength=indicator.strength, country=indicator.country, order=indicator.order,
        texts={str(key): str(value) for key, value in (indicator.texts or {}).items()},
    )


def catalogue_out(catalogue: IndicatorCatalogue) -> CatalogueOut:
    return CatalogueOut(
        **catalogue_summary_out(catalogue).model_dump(), sources=catalogue.sources,
        indicators=[indicator_out(indicator) for indicator in catalogue.indicators.all()],
    )


# --- screenings ------------------------------------------------------------------------------

class ScreeningStartIn(Input):
    language: Language = ""
    indicator_set: IndicatorSet | None = None
    age_at_recruitment: int | None = Field(default=None, ge=0, le=120)
    age_disputed: bool = False


class AnswerIn(Input):
    indicator: IndicatorCode
    answer: Answer
    note: Note = ""


class AnswersIn(Input):
    answers: list[AnswerIn] = Field(max_length=500)


class ScreeningCompleteIn(Input):
    judgement: ScreeningResult
    judgement_note: Note = ""


class AnswerOut(Schema):
    indicator: str
    answer: str
    note: str | None


class ScreeningOut(Schema):
    id: int
    case_code: str
    person_code: str
    catalogue_version: str
    organisation: OrganisationRefOut | None
    screener: str
    language: str
    indicator_set: str
    age_at_recruitment: int | None
    age_disputed: bool
    status: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    computed_result: str
    explanation: dict[str, Any]
    judgement: str
    judgement_note: str | None
    answers: list[AnswerOut] | None


def _writes_for(viewer: Viewer, *organisation_ids: int | None) -> bool:
    # Free text is for the organisations that wrote it or own the case, never across them.
    return viewer.works_cases and viewer.organisation_id in organisation_ids


def screening_out(screening: Screening, *, viewer: Viewer, answers: bool = False) -> ScreeningOut:
    notes = _writes_for(viewer, screening.organisation_id, screening.case.organisation_id)
    return ScreeningOut(
        id=screening.pk, case_code=screening.case.code, person_code=screening.case.person.code,
        catalogue_version=screening.catalogue.version,
        organisation=organisation_ref(screening.organisation),
        screener=screening.screener.username, language=screening.language,
        indicator_set=screening.indicator_set,
        age_at_recruitment=screening.age_at_recruitment, age_disputed=screening.age_disputed,
        status=screening.status, started_at=screening.started_at,
        completed_at=screening.completed_at, computed_result=screening.computed_result,
        explanation=dict(screening.explanation or {}), judgement=screening.judgement,
        judgement_note=screening.judgement_note if notes else None,
        answers=[AnswerOut(indicator=row.indicator.code, answer=row.answer,
                           note=row.note if notes else None)
                 for row in screening.answers.all()] if answers else None,
    )


# --- referrals and decisions -----------------------------------------------------------------

class DecisionRequestIn(Input):
    competent_authority_id: RecordId
    note: Note = ""


class DecisionRequestOut(Schema):
    id: int
    case_code: str
    person_code: str
    competent_authority: OrganisationRefOut | None
    requested_for: OrganisationRefOut | None
    requested_on: dt.date
    due_on: dt.date
    status: str
    note: str | None


def decision_request_out(request: DecisionRequest, *, viewer: Viewer) -> DecisionRequestOut:
    notes = _writes_for(viewer, request.requested_for_id, request.competent_authority_id)
    return DecisionRequestOut(
        id=request.pk, case_code=request.case.code, person_code=request.case.person.code,
        competent_authority=organisation_ref(request.competent_authority),
        requested_for=organisation_ref(request.requested_for),
        requested_on=request.requested_on, due_on=request.due_on, status=request.status,
        note=request.note if notes else None,
    )


class DecisionIn(Input):
    status: VictimStatus
    decided_on: dt.date
    reasons: Note
    legal_basis: ShortText
    screening_ids: list[RecordId] = Field(default_factory=list, max_length=50)
    request_id: RecordId | None = None


class AppealIn(Input):
    lodged_on: dt.date
    body: Annotated[str, _plain(200)]
    grounds: Note
    representative: ShortText = ""


class AppealOutcomeIn(Input):
    outcome: AppealOutcome
    outcome_on: dt.date
    new_status: VictimStatus | None = None
    reasons: Note = ""
    legal_basis: ShortText = ""


class AppealOut(Schema):
    id: int
    decision_id: int
    lodged_on: dt.date
    body: str
    grounds: str | None
    representative: str | None
    outcome: str
    outcome_on: dt.date | None
    new_decision_id: int | None


class DecisionOut(Schema):
    id: int
    case_code: str
    person_code: str
    competent_authority: OrganisationRefOut | None
    status: str
    htcds_status: str
    htcds_decision_making_org: str
    decided_on: dt.date
    reasons: str | None
    legal_basis: str
    screening_ids: list[int]
    replaces_id: int | None
    recovery_period_ends: dt.date | None
    appeals: list[AppealOut]


def appeal_out(appeal: Appeal, *, viewer: Viewer, case: Case) -> AppealOut:
    notes = _writes_for(viewer, appeal.organisation_id, case.organisation_id,
                        appeal.decision.competent_authority_id)
    return AppealOut(
        id=appeal.pk, decision_id=appeal.decision_id, lodged_on=appeal.lodged_on,
        body=appeal.body, grounds=appeal.grounds if notes else None,
        representative=appeal.representative if notes else None, outcome=appeal.outcome,
        outcome_on=appeal.outcome_on, new_decision_id=appeal.new_decision_id,
    )


def decision_out(decision: StatusDecision, *, viewer: Viewer) -> DecisionOut:
    case = decision.case
    notes = _writes_for(viewer, case.organisation_id, decision.competent_authority_id)
    return DecisionOut(
        id=decision.pk, case_code=case.code, person_code=case.person.code,
        competent_authority=organisation_ref(decision.competent_authority),
        status=decision.status, htcds_status=decision.htcds_status,
        htcds_decision_making_org=decision.htcds_decision_making_org,
        decided_on=decision.decided_on, reasons=decision.reasons if notes else None,
        legal_basis=decision.legal_basis,
        screening_ids=[screening.pk for screening in decision.screenings.all()],
        replaces_id=decision.replaces_id, recovery_period_ends=decision.recovery_period_ends,
        appeals=[appeal_out(appeal, viewer=viewer, case=case)
                 for appeal in decision.appeals.all()],
    )


# --- worklist --------------------------------------------------------------------------------

class WorklistOut(Schema):
    screenings_in_progress: list[ScreeningOut]
    decisions_overdue: list[DecisionRequestOut]
    recovery_ending_soon: list[DecisionOut]
    appeals_pending: list[AppealOut]


def worklist_out(worklist: Worklist, *, viewer: Viewer) -> WorklistOut:
    return WorklistOut(
        screenings_in_progress=[screening_out(row, viewer=viewer)
                                for row in worklist.screenings_in_progress],
        decisions_overdue=[decision_request_out(row, viewer=viewer)
                           for row in worklist.decisions_overdue],
        recovery_ending_soon=[decision_out(row, viewer=viewer)
                              for row in worklist.recovery_ending_soon],
        appeals_pending=[appeal_out(row, viewer=viewer, case=row.decision.case)
                         for row in worklist.appeals_pending],
    )


# --- figures ---------------------------------------------------------------------------------

class FigureFilters(Input):
    since: dt.date | None = None
    until: dt.date | None = None


class TableOut(Schema):
    """A published table; null marks a suppressed value."""

    unit: str
    rows: list[str]
    columns: list[str]
    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None


class MedianTableOut(Schema):
    counts: TableOut
    medians: list[float | None]
    median: float | None


class FiguresOut(Schema):
    countries: list[str] | None
    threshold: int
    screenings_by_result: dict[str, TableOut]
    decisions_by_status: dict[str, TableOut]
    days_to_first_decision: dict[str, MedianTableOut]
    appeals_by_outcome: dict[str, TableOut]


def table_out(table: Table) -> TableOut:
    return TableOut(unit=table.unit, rows=list(table.rows), columns=list(table.columns),
                    cells=[list(row) for row in table.cells],
                    row_totals=list(table.row_totals), column_totals=list(table.column_totals),
                    total=table.total)


def median_table_out(table: MedianTable) -> MedianTableOut:
    return MedianTableOut(counts=table_out(table.counts), medians=list(table.medians),
                          median=table.median)


def figures_out(figures: Figures) -> FiguresOut:
    return FiguresOut(
        countries=list(figures.countries) if figures.countries is not None else None,
        threshold=figures.threshold,
        screenings_by_result={key: table_out(value)
                              for key, value in figures.screenings_by_result.items()},
        decisions_by_status={key: table_out(value)
                             for key, value in figures.decisions_by_status.items()},
        days_to_first_decision={key: median_table_out(value)
                                for key, value in figures.days_to_first_decision.items()},
        appeals_by_outcome={key: table_out(value)
                            for key, value in figures.appeals_by_outcome.items()},
    )
