"""Linkage over the API: what a client may send and what it gets back.

Persons are named by pseudonymous code; an identity leaves only inside a pair whose two
identities the caller may see (a supervisor's own organisation), exactly as on the page. The
explanation of a pair says which fields agreed and how strongly, never the values compared.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from nrm.core.models import JobStatus
from nrm.linkage.explanation import explain
from nrm.linkage.models import CandidatePair, LinkageRun, PairDecision
from nrm.registry.models import Identity, Person
from nrm.registry.schemas import (
    CodeText,
    IdentityOut,
    Input,
    OrganisationRefOut,
    PageIn,
    PersonOut,
    RecordId,
    identity_out,
    organisation_ref,
    person_out,
)

# --- inputs ----------------------------------------------------------------------------------


class RunStartIn(Input):
    incremental: bool = Field(
        default=False, description="Compare only the persons registered or changed since the "
                                   "previous finished search of the same persons")


class PairFilters(PageIn):
    verdict: Literal["pending", "same", "different", "any"] = "pending"
    min_probability: float | None = Field(default=None, ge=0, le=1)
    organisation_id: RecordId | None = Field(
        default=None, description="Pairs with a person registered by this organisation")
    across_organisations: bool = Field(
        default=False, description="Only pairs of persons registered by two organisations")
    person_code: CodeText = Field(default="", description="Pairs with this person only")


class DecisionIn(Input):
    verdict: Literal["same", "different"]


# --- outputs ---------------------------------------------------------------------------------

class RunOut(Schema):
    id: int
    scope: str
    country: str
    organisation: OrganisationRefOut | None
    started_by: str
    incremental: bool
    status: Literal["queued", "running", "done", "failed"]
    error: str = Field("", description="Why the search failed, in the caller's language when "
                                       "it started; empty unless it failed")
    job_id: int | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    persons_compared: int
    new_persons: int
    pairs_found: int
    pairs_new: int
    pairs_already_decided: int
    threshold: float | None


class RunPageOut(Schema):
    items: list[RunOut]
    count: int


class PersonRefOut(Schema):
    code: str
    display_code: str
    organisation: OrganisationRefOut | None


class PairSummaryOut(Schema):
    id: int
    left: PersonRefOut
    right: PersonRefOut
    match_probability: float
    match_weight: float
    verdict: str
    found_at: dt.datetime
    updated_at: dt.datetime


class PairPageOut(Schema):
    items: list[PairSummaryOut]
    count: int


class ComparisonOut(Schema):
    field: str
    label: str
    comparison: str
    match_weight: float


class DecisionOut(Schema):
    id: int
    verdict: str
    decided_by: str
    organisation: OrganisationRefOut | None
    decided_at: dt.datetime
    undone_at: dt.datetime | None
    undone_by: str | None


class PairPersonOut(PersonRefOut):
    person: PersonOut
    registered_at: dt.datetime
    identity: IdentityOut | None


class PairOut(PairSummaryOut):
    left: PairPersonOut
    right: PairPersonOut
    comparisons: list[ComparisonOut]
    decisions: list[DecisionOut]
    already_linked: bool


class ClusterOut(Schema):
    person: PersonRefOut
    same_person: list[PersonRefOut]


def _status(run: LinkageRun) -> Literal["queued", "running", "done", "failed"]:
    if run.finished:
        return "done"
    status = run.job.status if run.job is not None else JobStatus.FAILED
    if status == JobStatus.QUEUED:
        return "queued"
    return "running" if status == JobStatus.RUNNING else "failed"


def run_out(run: LinkageRun) -> RunOut:
    return RunOut(
        id=run.pk, scope=run.scope, country=run.country,
        organisation=organisation_ref(run.organisation), started_by=run.started_by.get_username(),
        incremental=run.incremental, status=_status(run), job_id=run.job_id,
        error=run.job.error if run.job is not None and _status(run) == "failed" else "",
        started_at=run.started_at, finished_at=run.finished_at,
        persons_compared=run.persons_compared, new_persons=run.new_persons,
        pairs_found=run.pairs_found, pairs_new=run.pairs_new,
        pairs_already_decided=run.pairs_already_decided, threshold=run.threshold,
    )


def person_ref_out(person: Person) -> PersonRefOut:
    return PersonRefOut(code=person.code, display_code=person.display_code,
                        organisation=organisation_ref(person.organisation))


def pair_summary_out(pair: CandidatePair) -> PairSummaryOut:
    return PairSummaryOut(
        id=pair.pk, left=person_ref_out(pair.left), right=person_ref_out(pair.right),
        match_probability=pair.match_probability, match_weight=pair.match_weight,
        verdict=pair.verdict, found_at=pair.found_at, updated_at=pair.updated_at,
    )


def decision_out(decision: PairDecision) -> DecisionOut:
    return DecisionOut(
        id=decision.pk, verdict=decision.verdict,
        decided_by=decision.decided_by.get_username(),
        organisation=organisation_ref(decision.organisation), decided_at=decision.decided_at,
        undone_at=decision.undone_at,
        undone_by=decision.undone_by.get_username() if decision.undone_by else None,
    )


def _pair_person_out(person: Person, identity: Identity | None) -> PairPersonOut:
    return PairPersonOut(
        code=person.code, display_code=person.display_code,
        organisation=organisation_ref(person.organisation), person=person_out(person),
        registered_at=person.created_at,
        identity=identity_out(identity) if identity is not None else None,
    )


def pair_out(
    pair: CandidatePair, *, identities: tuple[Identity, Identity] | None,
    decisions: list[PairDecision], already_linked: bool,
) -> PairOut:
    left, right = identities if identities is not None else (None, None)
    return PairOut(
        id=pair.pk, left=_pair_person_out(pair.left, left),
        right=_pair_person_out(pair.right, right),
        match_probability=pair.match_probability, match_weight=pair.match_weight,
        verdict=pair.verdict, found_at=pair.found_at, updated_at=pair.updated_at,
        comparisons=[ComparisonOut(field=row.field, label=row.label, comparison=row.comparison,
                                   match_weight=row.match_weight)
                     for row in explain(pair.comparisons)],
        decisions=[decision_out(decision) for decision in decisions],
        already_linked=already_linked,
    )
