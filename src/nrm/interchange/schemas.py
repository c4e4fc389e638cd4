"""The interchange API's schemas: export filters in, imports (with their preview and jobs) out."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict

from nrm.core.jobs import job_progress
from nrm.core.models import Job
from nrm.interchange.htcds.preview import preview_of
from nrm.interchange.models import HtcdsImport
from nrm.interchange.selectors import ExportFilters

# registry.choices.CaseStatus (a test checks that they agree).
CaseStatusName = Literal["Active", "FollowUp", "Closed", "ClosedReferred"]


class ExportIn(Schema):
    """Which cases to export, and how."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["csv", "xlsx"] = "csv"
    status: CaseStatusName | None = None
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None
    mine: bool = False
    identity: bool = False
    delimiter: Literal["comma", "semicolon"] = "comma"

    def filters(self) -> ExportFilters:
        return ExportFilters(status=self.status or "", opened_from=self.opened_from,
                             opened_to=self.opened_to, mine=self.mine, identity=self.identity)


class JobOut(Schema):
    id: int
    status: str
    percent: int
    done: int
    total: int
    error: str


class ExportJobOut(Schema):
    """A large XLSX export being written in the background; fetch ``file_url`` once the job is
    done (once: the file is dropped as it is downloaded)."""

    job: JobOut
    file_url: str


class ProblemOut(Schema):
    row: int | None
    column: str
    problem: str
    fix: str


class SampleRowOut(Schema):
    row: int
    sex: str
    birth_year: int | None
    citizenships: str
    exploitation: str
    events: int
    consent: bool | None
    status: str
    trafficking_status: str
    plans: int


class ImportOut(Schema):
    id: int
    status: str
    status_label: str
    uploaded_at: dt.datetime
    size: int
    counts: dict[str, int]
    problem_count: int
    problems: list[ProblemOut]
    notes: list[str]
    sample: list[SampleRowOut]
    cases_created: int
    check_job: JobOut | None
    commit_job: JobOut | None


def job_out(job: Job | None) -> JobOut | None:
    return None if job is None else _job_out(job)


def _job_out(job: Job) -> JobOut:
    progress = job_progress(job)
    return JobOut(id=job.pk, status=job.status, percent=progress.percent, done=progress.done,
                  total=progress.total, error=job.error)


def import_out(htcds_import: HtcdsImport) -> ImportOut:
    """An import with its preview said in the request's language (without identity)."""
    check_job = htcds_import.check_job
    preview = preview_of(check_job.result if check_job else None, with_initials=False)
    return ImportOut(
        id=htcds_import.pk, status=htcds_import.status,
        status_label=str(htcds_import.get_status_display()),
        uploaded_at=htcds_import.created_at, size=htcds_import.size,
        counts=preview.counts, problem_count=preview.problem_count,
        problems=[ProblemOut(row=p.row, column=p.column, problem=p.problem, fix=p.fix)
                  for p in preview.problems],
        notes=preview.notes,
        # The API leaves even initials out.
        sample=[SampleRowOut(**{key: value for key, value in asdict(row).items()
                                if key != "initials"}) for row in preview.sample],
        cases_created=htcds_import.cases_created,
        check_job=job_out(check_job), commit_job=job_out(htcds_import.commit_job),
    )


def export_job_out(job: Job) -> ExportJobOut:
    return ExportJobOut(job=_job_out(job), file_url=f"/api/v1/htcds/exports/{job.pk}/file")
