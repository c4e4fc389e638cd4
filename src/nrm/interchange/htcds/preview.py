"""What the preview of an import says, in the reader's language: the page and the API share it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models

from nrm.core.countries import country_name
from nrm.interchange.htcds.problems import note_text, problem_text
from nrm.registry.choices import CaseStatus, ExploitationType, Sex


@dataclass(frozen=True)
class ShownProblem:
    row: int | None
    column: str
    problem: str
    fix: str


@dataclass(frozen=True)
class SampleRow:
    """A row summarised without identity (initials only)."""

    row: int
    initials: str
    sex: str
    birth_year: int | None
    citizenships: str
    exploitation: str
    events: int
    consent: bool | None
    status: str
    trafficking_status: str
    plans: int = 0


@dataclass(frozen=True)
class Preview:
    counts: dict[str, int] = field(default_factory=dict)
    problem_count: int = 0
    problems: list[ShownProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sample: list[SampleRow] = field(default_factory=list)
    file_format: str = ""

    @property
    def more_problems(self) -> int:
        return self.problem_count - len(self.problems)


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def preview_of(summary: dict[str, Any] | None, *, with_initials: bool) -> Preview:
    """The check's kept summary, said in the active language."""
    if not summary:
        return Preview()
    problems = []
    for problem in summary.get("problems", []):
        text, fix = problem_text(problem["code"], problem.get("params") or {})
        problems.append(ShownProblem(row=problem.get("row"), column=problem.get("column", ""),
                                     problem=text, fix=fix))
    sample = [
        SampleRow(
            row=row["row"], initials=row["initials"] if with_initials else "",
            sex=_label(Sex, row["sex"]), birth_year=row.get("birth_year"),
            citizenships=", ".join(country_name(code) for code in row.get("citizenships", [])),
            exploitation=", ".join(_label(ExploitationType, value)
                                   for value in row.get("exploitation", [])),
            events=row.get("events", 0), consent=row.get("consent"),
            status=_label(CaseStatus, row.get("status", "")),
            trafficking_status=row.get("trafficking_status", ""),
            plans=row.get("plans", 0),
        )
        for row in summary.get("sample", [])
    ]
    return Preview(
        counts=summary.get("counts", {}), problem_count=summary.get("problem_count", 0),
        problems=problems,
        notes=[note_text(note["code"], note.get("params") or {})
               for note in summary.get("notes", [])],
        sample=sample, file_format=summary.get("file_format", ""),
    )
