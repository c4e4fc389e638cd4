"""Checking an HTCDS file row by row into the registry's inputs, or into problems said per row
and column. The check before the preview and the import itself run the same code, so that what
the preview promised is what the import creates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nrm.assistance.inputs import SupportPlanInput
from nrm.assistance.services._common import PLANNING_HORIZON
from nrm.core.jobs import ProgressReport, no_progress
from nrm.interchange.htcds import cells
from nrm.interchange.htcds.cells import CellProblem, Leniency, Raw
from nrm.interchange.htcds.columns import (
    COLUMNS,
    EVENT_NAMES,
    REFERRAL_NAMES,
    REPEATED_NAMES,
    SUPPORT_PLAN_NAMES,
    Column,
    Kind,
)
from nrm.interchange.htcds.problems import FileProblem, Problem
from nrm.interchange.htcds.sheets import Header, header_and_rows, letter, open_sheet
from nrm.registry.choices import CaseStatus, ConsentPurpose, EntryPoint, Sex
from nrm.registry.forms import DocumentKind
from nrm.registry.inputs import (
    CaseInput,
    ConsentInput,
    DocumentInput,
    EventInput,
    IdentityInput,
    PersonInput,
)

# Problems kept for the preview; the count of all is kept too.
MOST_PROBLEMS_KEPT = 300
SAMPLE_ROWS = 10
CLOSED = (CaseStatus.CLOSED, CaseStatus.CLOSED_REFERRED)
_READING_REPORT_EVERY = 200
# Rows read at most, blank ones included: IOM's toolkit comes with 1,000 numbered empty rows.
_BLANK_ROWS_PER_ROW = 10
_BLANK_ROWS = 10_000


@dataclass(frozen=True)
class ImportRow:
    """One row, ready for the registry's services."""

    row: int
    person: PersonInput
    identity: IdentityInput
    case: CaseInput
    events: list[EventInput]
    consents: list[ConsentInput]
    closed: str = ""  # Closed or ClosedReferred: the case is closed after it is registered
    closure_reason: str = ""
    reported_status: tuple[str, str] | None = None  # (vic_TraffickingStatus, decided by)
    plans: list[SupportPlanInput] = field(default_factory=list)


@dataclass(frozen=True)
class CheckContext:
    """What a check needs beyond the file: how consent was given and who may own a case."""

    consent_method: str
    # cas_CaseOwner as a key (username or full name, case folded) → user id, for the importing
    # organisation's case workers.
    case_workers: dict[str, int]


@dataclass
class Checked:
    """The outcome of checking a file: the rows to create, or what is wrong."""

    file_format: str = ""
    delimiter: str = ""
    header: Header | None = None
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    notes: list[Problem] = field(default_factory=list)
    sample: list[dict[str, Any]] = field(default_factory=list)
    columns_read: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.problem_count == 0

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MOST_PROBLEMS_KEPT:
            self.problems.append(problem)

    def counts(self) -> dict[str, int]:
        return {
            "persons": len(self.rows), "cases": len(self.rows),
            "events": sum(len(row.events) for row in self.rows),
            "consents": sum(len(row.consents) for row in self.rows),
            "plans": sum(len(row.plans) for row in self.rows),
            "reported_statuses": sum(1 for row in self.rows if row.reported_status),
        }

    def summary(self) -> dict[str, Any]:
        """What the preview shows, kept (encrypted) as the check job's result."""
        return {
            "file_format": self.file_format, "delimiter": self.delimiter,
            "header_row": self.header.row if self.header else None,
            "labels_row": self.header.labels_row if self.header else None,
            "counts": self.counts(), "problem_count": self.problem_count,
            "problems": [problem.as_dict() for problem in self.problems],
            "notes": [note.as_dict() for note in self.notes],
            "sample": self.sample, "columns_read": self.columns_read,
        }


class _Row:
    """The cells of one row, read column by column; a cell that cannot be read is noted as a
    problem of this row and read as empty."""

    def __init__(self, number: int, values: dict[str, Raw], leniency: Leniency,
                 from_workbook: bool) -> None:
        self.number = number
        self.values = values
        self.leniency = leniency
        self.from_workbook = from_workbook
        self.problems: list[Problem] = []

    def problem(self, code: str, column: str, **params: Any) -> None:
        self.problems.append(Problem(code=code, row=self.number, column=column, params=params))

    def read(self, name: str, values: dict[str, Raw] | None = None, *,
             country: str = "") -> Any:
        """The cell of column ``name`` (in ``values``, an event's cells, if given); a region is
        read as a region of ``country``."""
        column = COLUMNS[name]
        raw = (values if values is not None else self.values).get(name)
        try:
            return self._read(column, raw, country)
        except CellProblem as problem:
            self.problems.append(Problem(code=problem.code, row=self.number, column=name,
                                         params=problem.params))
            return [] if column.kind in (Kind.MULTI, Kind.COUNTRIES) else ""

    def required(self, name: str, group: dict[str, Raw], code: str, **params: Any) -> Any:
        """The cell of ``name`` in a group of repeated columns; a blank one is the problem
        ``code`` (a cell that cannot be read is already a problem of its own)."""
        value = self.read(name, group)
        if not value and cells.is_blank(group.get(name)):
            self.problem(code, name, **params)
        return value

    def _read(self, column: Column, raw: Raw, country: str) -> Any:
        kind = column.kind
        if kind == Kind.TEXT:
            return cells.text(raw, max_length=column.max_length)
        if kind in (Kind.PICKLIST, Kind.MULTI):
            read = cells.picklist_value if kind == Kind.PICKLIST else cells.multi_values
            return read(raw, column, self.leniency)
        if kind == Kind.DATE:
            return cells.partial_date(raw, from_workbook=self.from_workbook)
        if kind in (Kind.DAY, Kind.PLANNED_DAY):
            return cells.day(raw, from_workbook=self.from_workbook,
                             ahead=PLANNING_HORIZON if kind == Kind.PLANNED_DAY else None)
        if kind == Kind.REGION:
            return cells.region(raw, country)
        return _PLAIN_READERS[kind](raw)


_PLAIN_READERS = {
    Kind.CHECKBOX: cells.checkbox, Kind.COUNTRY: cells.country, Kind.COUNTRIES: cells.countries,
    Kind.LANGUAGE: cells.language, Kind.NUMBER: cells.text,
}


def _filled(groups: list[dict[str, Raw]]) -> Iterator[tuple[int, dict[str, Raw]]]:
    """The groups of repeated columns that hold anything, numbered from 1 as the file has them."""
    for position, group in enumerate(groups, 1):
        if not all(cells.is_blank(value) for value in group.values()):
            yield position, group


def _initials(*names: str) -> str:
    return " ".join(f"{name[0]}." for name in names if name)


def _check_plans(row: _Row, groups: list[dict[str, Raw]]) -> list[SupportPlanInput]:
    """The row's support plans, one per group of spl_ columns that holds anything, ready for
    assistance's support_plan_create."""
    plans = []
    today = timezone.localdate()
    open_by_type: dict[str, list[int]] = {}
    for position, group in _filled(groups):
        plan_type = row.required("spl_Type", group, "plan_type_missing", plan=position)
        objectives = row.required("spl_Objectives", group, "plan_objectives_missing",
                                  plan=position)
        planned = row.read("spl_PlannedEndDate", group) or None
        ended = row.read("spl_ActualEndDate", group) or None
        if plan_type and ended is None:
            open_by_type.setdefault(plan_type, []).append(position)
        plans.append(SupportPlanInput(
            plan_type=plan_type, objectives=objectives,
            action_plan=row.read("spl_ActionPlan", group),
            # HTCDS has no start date: the day of the import, or the plan's end if that is
            # earlier (a plan cannot end before it starts).
            started_on=min(date for date in (today, planned, ended) if date is not None),
            planned_end_on=planned, actual_end_on=ended,
        ))
    for plan_type, positions in open_by_type.items():
        if len(positions) > 1:
            row.problem("plan_open_twice", "spl_ActualEndDate", type=plan_type,
                        plans=", ".join(str(position) for position in positions))
    return plans


def _check_row(row: _Row, groups: list[dict[str, Raw]], plan_groups: list[dict[str, Raw]],
               context: CheckContext, unknown_owners: Counter[str]) -> ImportRow | None:
    given, middle, family = (row.read(name) for name in
                             ("prs_FirstName", "prs_MiddleName", "prs_SecondName"))
    if not (given or family):
        row.problem("name_missing", "prs_FirstName")
    birth_date = row.read("prs_Birthdate")
    languages = [code for code in (row.read("prs_PrimaryLanguage"),
                                   row.read("prs_SecondaryLanguage")) if code]
    person = PersonInput(
        sex=row.read("prs_Gender") or Sex.UNKNOWN,
        birth_year=int(birth_date[:4]) if birth_date else None,
        citizenships=row.read("prs_Citizenship"),
        languages=list(dict.fromkeys(languages)),
    )
    number = row.read("prs_IdentityNumber")
    address = ", ".join(part for part in (row.read(name) for name in (
        "prs_MailingStreet", "prs_MailingCity", "prs_MailingState", "prs_MailingPostalCode",
        "prs_MailingCountry")) if part)
    identity = IdentityInput(
        given_name=given, patronymic=middle, family_name=family, birth_date=birth_date,
        documents=[DocumentInput(kind=DocumentKind.NATIONAL_ID, number=number)] if number else [],
        phones=[phone for phone in (row.read("prs_MobilePhone"), row.read("prs_HomePhone"))
                if phone],
        addresses=[address] if address else [],
    )
    consents = []
    consented = row.read("con_Consent")
    if consented is not None and consented != "":
        consents.append(ConsentInput(purpose=ConsentPurpose.SERVICES, given=consented,
                                     method=context.consent_method))
    status_reported = row.read("vic_TraffickingStatus")
    decided_by = row.read("vic_TraffickingStatusDecisionMakingOrg")
    if decided_by and not status_reported:
        row.problem("decision_org_without_status", "vic_TraffickingStatusDecisionMakingOrg")
    owner = row.read("cas_CaseOwner")
    case_worker_id = context.case_workers.get(owner.casefold()) if owner else None
    if owner and case_worker_id is None:
        unknown_owners[owner[:60]] += 1
    status = row.read("cas_Status") or CaseStatus.ACTIVE
    case = CaseInput(
        entry_point=EntryPoint.OTHER,
        status=CaseStatus.ACTIVE if status in CLOSED else status,
        case_worker_id=case_worker_id,
        exploitation_types=row.read("vic_TypeOfExploitation"),
        labour_industry=row.read("vic_ForcedLabourIndustry"),
        sexual_exploitation_types=row.read("vic_TypeOfSexExploitation"),
        means_of_control=row.read("vic_MethodsOfControl"),
        recruitment_methods=row.read("vic_MethodOfRecruitment"),
        recruiter_relationship=row.read("vic_RelationshipToTrafficker"),
    )
    events = []
    for position, group in _filled(groups):
        stage = row.required("hte_Type", group, "event_stage_missing", event=position)
        country = row.required("hte_Country", group, "event_country_missing", event=position)
        events.append(EventInput(
            stage=stage, country=country, region=row.read("hte_State", group, country=country),
            city=row.read("hte_City", group), date=row.read("hte_Date", group),
            description=row.read("hte_Description", group),
        ))
    reason = row.read("cas_ReasonForCaseClosure")
    plans = _check_plans(row, plan_groups)
    if row.problems:
        return None
    return ImportRow(
        row=row.number, person=person, identity=identity, case=case, events=events,
        consents=consents, closed=status if status in CLOSED else "", closure_reason=reason,
        reported_status=(status_reported, decided_by) if status_reported else None,
        plans=plans,
    )


def _sample(row: ImportRow) -> dict[str, Any]:
    """A row summarised without identity: initials at most."""
    return {
        "row": row.row,
        "initials": _initials(row.identity.given_name, row.identity.family_name),
        "sex": row.person.sex, "birth_year": row.person.birth_year,
        "citizenships": row.person.citizenships,
        "exploitation": row.case.exploitation_types, "events": len(row.events),
        "consent": row.consents[0].given if row.consents else None,
        "status": row.closed or row.case.status,
        "trafficking_status": row.reported_status[0] if row.reported_status else "",
        "plans": len(row.plans),
    }


def _column_notes(header: Header, filled: set[int]) -> list[Problem]:
    """What the header made nrm read differently or leave unread."""
    notes = [Problem("labels_only")] if header.labels_only else []
    notes += [Problem("read_by_label", column=column.name,
                      params={"column": column.name, "label": column.by_label})
              for column in header.columns if column.by_label and not header.labels_only]
    notes += [Problem("ignored_unknown", params={"header": written[:60]})
              for index, written in header.unknown if index in filled]
    referrals = sorted({column.name for column in header.columns
                        if column.name in REFERRAL_NAMES and column.index in filled})
    if referrals:
        notes.append(Problem("ignored_referrals", column=referrals[0],
                             params={"columns": ", ".join(referrals)}))
    for column in header.columns:
        kept = COLUMNS.get(column.name)
        if column.index not in filled or (kept is not None and kept.imported):
            continue
        if kept is None:
            notes.append(Problem("ignored_not_kept", column=column.name,
                                 params={"column": column.name}))
        elif column.name == "vic_AgeWhenTrafficked":
            notes.append(Problem("ignored_derived", column=column.name,
                                 params={"column": column.name}))
    return notes


def _value_notes(checked: Checked, leniency: Leniency, unknown_owners: Counter[str],
                 organisations: list[str]) -> list[Problem]:
    """What the rows' values made nrm read differently, or will make it do."""
    notes = [Problem("label_as_value", column=column_name,
                     params={"column": column_name, "value": value, "name": name, "rows": rows})
             for (column_name, value, name), rows in sorted(leniency.labels.items())]
    notes += [Problem("case_owner_unknown", column="cas_CaseOwner",
                      params={"value": owner, "rows": rows})
              for owner, rows in sorted(unknown_owners.items())]
    if any(row.reported_status for row in checked.rows):
        notes.append(Problem("status_reported", column="vic_TraffickingStatus"))
    closed = sum(1 for row in checked.rows if row.closed)
    if closed:
        notes.append(Problem("closed_today", column="cas_Status", params={"rows": closed}))
    if organisations:
        notes.append(Problem("organisations", column="org_Name",
                             params={"names": ", ".join(organisations[:5])}))
    return notes


def _duplicates(header: Header) -> None:
    by_name: dict[str, list[int]] = {}
    for column in header.columns:
        if column.name not in REPEATED_NAMES:
            by_name.setdefault(column.name, []).append(column.index)
    for name, indexes in by_name.items():
        if len(indexes) > 1:
            raise FileProblem("duplicate_column", column=name,
                              letters=", ".join(letter(index) for index in indexes))


def _read_rows(rows: Iterator[tuple[int, list[Raw]]], header: Header, max_rows: int,
               progress: ProgressReport) -> tuple[list[tuple[int, list[Raw]]], set[int]]:
    """The rows that hold anything in a column the header names, and which columns (by index)
    hold anything at all."""
    indexes = [column.index for column in header.columns]
    kept: list[tuple[int, list[Raw]]] = []
    filled: set[int] = set()
    for number, row in rows:
        if number > max_rows * _BLANK_ROWS_PER_ROW + _BLANK_ROWS:
            # Blank rows do not count as cases, but a sheet of millions of them is no file of
            # cases either: reading it would only keep the worker busy.
            raise FileProblem("too_many_rows", limit=max_rows)
        filled.update(index for index, cell in enumerate(row) if not cells.is_blank(cell))
        if all(cells.is_blank(row[index]) if index < len(row) else True for index in indexes):
            continue
        kept.append((number, row))
        if len(kept) > max_rows:
            raise FileProblem("too_many_rows", limit=max_rows)
        if len(kept) % _READING_REPORT_EVERY == 0:
            progress(0, 0, gettext_noop("Reading the file"))
    return kept, filled


def _cells_of(row: list[Raw], header: Header, groups: int
              ) -> tuple[dict[str, Raw], list[dict[str, Raw]], list[dict[str, Raw]]]:
    """A row's cells by field name, and its events' and support plans' cells, one dict per
    group of hte_ or spl_ columns."""
    values: dict[str, Raw] = {}
    events: list[dict[str, Raw]] = [{} for _group in range(groups)]
    plans: list[dict[str, Raw]] = [{} for _group in range(groups)]
    for column in header.columns:
        cell = row[column.index] if column.index < len(row) else None
        if column.name in EVENT_NAMES:
            events[column.group][column.name] = cell
        elif column.name in SUPPORT_PLAN_NAMES:
            plans[column.group][column.name] = cell
        else:
            values[column.name] = cell
    return values, events, plans


def _check_rows(checked: Checked, header: Header, kept: list[tuple[int, list[Raw]]], *,
                context: CheckContext, from_workbook: bool, progress: ProgressReport
                ) -> tuple[Leniency, Counter[str], list[str]]:
    leniency, unknown_owners = Leniency(), Counter[str]()
    organisations: list[str] = []
    consent_seen = False
    groups = 1 + max((column.group for column in header.columns), default=0)
    for done, (number, row) in enumerate(kept, 1):
        values, events, plans = _cells_of(row, header, groups)
        consent_seen = consent_seen or not cells.is_blank(values.get("con_Consent"))
        organisation = str(values.get("org_Name") or "").strip()[:200]
        if organisation and organisation not in organisations:
            organisations.append(organisation)
        reader = _Row(number, values, leniency, from_workbook=from_workbook)
        checked_row = _check_row(reader, events, plans, context, unknown_owners)
        for problem in reader.problems:
            checked.add(problem)
        if checked_row is not None:
            checked.rows.append(checked_row)
            if len(checked.sample) < SAMPLE_ROWS:
                checked.sample.append(_sample(checked_row))
        progress(done, len(kept), gettext_noop("Checking rows"))
    if consent_seen and not context.consent_method:
        checked.add(Problem("consent_method", column="con_Consent"))
    return leniency, unknown_owners, organisations


def check_file(content: bytes, *, context: CheckContext, max_rows: int,
               progress: ProgressReport = no_progress) -> Checked:
    """Check a whole file; every problem is found, not only the first."""
    checked = Checked()
    try:
        sheet = open_sheet(content)
        checked.file_format, checked.delimiter = sheet.file_format, sheet.delimiter
        header, rows = header_and_rows(sheet)
        checked.header = header
        _duplicates(header)
        kept, filled = _read_rows(rows, header, max_rows, progress)
    except FileProblem as problem:
        checked.add(problem.problem)
        return checked
    if not kept:
        checked.add(Problem("no_rows"))
        return checked
    checked.columns_read = sorted({column.name for column in header.columns
                                   if column.index in filled and column.name in COLUMNS
                                   and COLUMNS[column.name].imported})
    leniency, unknown_owners, organisations = _check_rows(
        checked, header, kept, context=context, from_workbook=sheet.file_format == "xlsx",
        progress=progress)
    checked.notes = _column_notes(header, filled) + _value_notes(
        checked, leniency, unknown_owners, organisations)
    return checked


def default_closure_reason() -> str:
    """The reason a case closed in the file is given when the file gives none."""
    return _("Closed in the imported HTCDS file, which gives no reason.")
