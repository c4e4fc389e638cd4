"""Cases as HTCDS rows, and the rows as CSV or XLSX.

A row is built from a case fetched with everything it needs (see selectors.htcds_export), so that
an export costs a fixed number of queries per chunk of cases, whatever their number.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_noop
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from nrm.assistance.models import SupportPlan
from nrm.core.dates import DatePrecision
from nrm.core.jobs import ProgressReport, no_progress
from nrm.identification.models import StatusDecision
from nrm.interchange.htcds.columns import (
    EVENT_COLUMNS,
    EVENT_NAMES,
    EXPORTED_AS,
    OUTGOING_REFERRAL_COLUMNS,
    OUTGOING_REFERRAL_NAMES,
    ROW_COLUMNS,
    SUPPORT_PLAN_COLUMNS,
    SUPPORT_PLAN_NAMES,
    Column,
    Kind,
)
from nrm.referrals.models import Referral
from nrm.registry.choices import ConsentPurpose
from nrm.registry.forms import DocumentKind
from nrm.registry.models import Case, Consent, Identity, TraffickingEvent

Cell = str | int | bool | dt.date | None

_CSV_PIECE = 64 * 1024
_NARROW = frozenset({Kind.DATE, Kind.DAY, Kind.PLANNED_DAY, Kind.CHECKBOX, Kind.NUMBER})
# HTCDS cas_ReasonForIncomingReferral / cas_ReasonForOutgoingReferral value names.
REASON_SERVICES = "AdditionalServicesRequired"
REASON_CHANGE_OF_LOCATION = "MigrationOrChangeOfLocation"
# A cell that a spreadsheet would run as a formula: "=…", "@…", or "+…"/"-…" with more than a
# phone number or a signed number in it.
_FORMULA_LIKE = re.compile(r"^(?:[=@\t\r]|[+\-].*[^0-9 ()\-./+])", re.DOTALL)


def export_columns(*, identity: bool, event_groups: int, referral_groups: int = 0,
                   plan_groups: int | None = None) -> list[Column]:
    """The columns of an export, in order: a group of the outgoing-referral columns per
    referral, of the hte_ columns per event and of the spl_ columns per support plan, as many
    as the case with the most needs (at least one group of each, so that the file has the
    standard's shape). ``plan_groups`` None: no spl_ columns (the viewer may not see plans)."""

    def shown(columns: tuple[Column, ...]) -> list[Column]:
        return [column for column in columns if identity or not column.identity]

    plans = [] if plan_groups is None else shown(SUPPORT_PLAN_COLUMNS) * max(1, plan_groups)
    return (shown(ROW_COLUMNS) + shown(OUTGOING_REFERRAL_COLUMNS) * max(1, referral_groups)
            + shown(EVENT_COLUMNS) * max(1, event_groups) + plans)


def partial_date_cell(value: dt.date | None, precision: str) -> Cell:
    """An exact date as a date; a date known to the month or year as YYYY-MM or YYYY."""
    if value is None:
        return None
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    if precision in (DatePrecision.YEAR, DatePrecision.ESTIMATED):
        return f"{value:%Y}"
    return value


def _birth_date(identity: Identity) -> Cell:
    if not identity.birth_date:
        return None
    return partial_date_cell(dt.date.fromisoformat(identity.birth_date),
                             identity.birth_date_precision)


def _multi(name: str, values: Iterable[str]) -> str:
    exported = (EXPORTED_AS.get((name, value), value) for value in values)
    return ";".join(dict.fromkeys(exported))


def _services_consent(consents: Sequence[Consent]) -> bool | None:
    """con_Consent: the person's latest consent to receiving services, in force or not."""
    latest = max((consent for consent in consents if consent.purpose == ConsentPurpose.SERVICES),
                 key=lambda consent: (consent.recorded_at, consent.pk), default=None)
    return None if latest is None else latest.in_force


@dataclass(frozen=True)
class CaseRecord:
    """A case with everything its row needs, fetched beforehand (selectors.htcds_export)."""

    case: Case
    identity: Identity | None  # None: the row leaves identity out
    events: list[TraffickingEvent]
    consents: list[Consent]  # the person's
    decisions: list[StatusDecision]
    referrals: list[Referral] = field(default_factory=list)  # sent for this case
    incoming: Referral | None = None  # the package referral this case was opened for
    plans: list[SupportPlan] = field(default_factory=list)

    @property
    def sorted_events(self) -> list[TraffickingEvent]:
        """By date, undated ones last, the same on every database."""
        return sorted(self.events, key=lambda event: (event.date or dt.date.max, event.pk))

    @property
    def sorted_plans(self) -> list[SupportPlan]:
        """Ended plans first, in the order they ended, then open ones by planned end (none
        last). Only exported dates decide, so that a file imported and exported again lists
        its plans in the same order (HTCDS has no start date)."""
        return sorted(self.plans, key=lambda plan: (
            plan.actual_end_on is None, plan.actual_end_on or dt.date.max,
            plan.planned_end_on or dt.date.max, plan.pk))


def _trafficking_status(record: CaseRecord) -> tuple[str, str]:
    """From the case's latest decision in nrm; else as an imported file reported it."""
    if record.decisions:
        latest = max(record.decisions, key=lambda decision: (
            decision.decided_on, decision.created_at, decision.pk))
        return latest.htcds_status, latest.htcds_decision_making_org
    reported = getattr(record.case, "reported_status", None)
    if reported is not None:
        return reported.status, reported.decision_making_org
    return "", ""


def _birth_year(record: CaseRecord) -> int | None:
    """The person's birth year; or, in an export with identity, the year of the birth date
    (a person registered from a referral may have the one without the other)."""
    if record.case.person.birth_year is not None:
        return record.case.person.birth_year
    if record.identity is not None and record.identity.birth_date:
        return int(record.identity.birth_date[:4])
    return None


def _age_when_trafficked(birth_year: int | None, events: list[TraffickingEvent]) -> int | None:
    """Years between the birth year and the year of the first dated event (to within one)."""
    dated = [event.date for event in events if event.date is not None]
    if birth_year is None or not dated:
        return None
    age = min(dated).year - birth_year
    return age if age >= 0 else None


def referral_reason(referral: Referral) -> str:
    """cas_ReasonFor…Referral: nrm refers for services; across a border, the person moves."""
    return (REASON_CHANGE_OF_LOCATION if referral.from_country != referral.to_country
            else REASON_SERVICES)


def _incoming_values(referral: Referral | None, *, identity: bool) -> dict[str, Cell]:
    if referral is None:
        return {}
    accepted = referral.responded_at or referral.sent_at
    values: dict[str, Cell] = {
        "cas_ReferringOrganisation": referral.sender_label,
        "cas_IncomingReferralDate": timezone.localtime(accepted).date(),
        "cas_ReasonForIncomingReferral": referral_reason(referral),
    }
    if identity:
        values["cas_IncomingReferralDetails"] = referral.note
    return values


def referral_values(referral: Referral, *, identity: bool) -> dict[str, Cell]:
    values: dict[str, Cell] = {
        "cas_ReferredOrganisation": referral.to_organisation.name,
        "cas_OutgoingReferralDate": timezone.localtime(referral.sent_at).date(),
        "cas_ReasonForOutgoingReferral": referral_reason(referral),
    }
    if identity:
        values["cas_OutgoingReferralDetails"] = referral.note
    return values


def case_values(record: CaseRecord, events: list[TraffickingEvent]) -> dict[str, Cell]:
    """Every row column of a case, by HTCDS name (identity columns only with an identity)."""
    case, identity = record.case, record.identity
    person, organisation = case.person, case.organisation
    status, decided_by = _trafficking_status(record)
    values: dict[str, Cell] = {
        "org_Name": organisation.name, "org_Type": organisation.htcds_type,
        "org_ShippingCountry": organisation.country, "org_ShippingState": organisation.region,
        "org_ShippingCity": organisation.city,
        "con_Consent": _services_consent(record.consents),
        "prs_Gender": person.sex,
        "prs_Citizenship": ";".join(person.citizenships),
        "prs_PrimaryLanguage": person.languages[0] if person.languages else "",
        "prs_SecondaryLanguage": person.languages[1] if len(person.languages) > 1 else "",
        "vic_TraffickingStatus": status, "vic_TraffickingStatusDecisionMakingOrg": decided_by,
        "vic_AgeWhenTrafficked": _age_when_trafficked(_birth_year(record), events),
        "vic_RelationshipToTrafficker": case.recruiter_relationship,
        "vic_MethodOfRecruitment": _multi("vic_MethodOfRecruitment", case.recruitment_methods),
        "vic_MethodsOfControl": _multi("vic_MethodsOfControl", case.means_of_control),
        "vic_TypeOfExploitation": _multi("vic_TypeOfExploitation", case.exploitation_types),
        "vic_ForcedLabourIndustry": case.labour_industry,
        "vic_TypeOfSexExploitation": _multi("vic_TypeOfSexExploitation",
                                            case.sexual_exploitation_types),
        "cas_Status": case.status, "cas_ReasonForCaseClosure": case.closure_reason,
    }
    values.update(_incoming_values(record.incoming, identity=identity is not None))
    if identity is not None:
        documents = identity.documents or []
        phones, addresses = identity.phones or [], identity.addresses or []
        values.update({
            "cas_CaseOwner": case.case_worker.get_username() if case.case_worker else "",
            "prs_FirstName": identity.given_name, "prs_MiddleName": identity.patronymic,
            "prs_SecondName": identity.family_name, "prs_Birthdate": _birth_date(identity),
            "prs_IdentityNumber": next((document.get("number", "") for document in documents
                                        if document.get("kind") == DocumentKind.NATIONAL_ID), ""),
            "prs_MobilePhone": phones[0] if phones else "",
            "prs_HomePhone": phones[1] if len(phones) > 1 else "",
            "prs_MailingStreet": addresses[0] if addresses else "",
        })
    return values


def event_values(event: TraffickingEvent, *, identity: bool) -> dict[str, Cell]:
    values: dict[str, Cell] = {
        "hte_Type": event.stage, "hte_Country": event.country, "hte_State": event.region,
        "hte_City": event.city, "hte_Date": partial_date_cell(event.date, event.date_precision),
    }
    if identity:
        values["hte_Description"] = event.description
    return values


def plan_values(plan: SupportPlan, *, identity: bool) -> dict[str, Cell]:
    values: dict[str, Cell] = {
        "spl_Type": plan.plan_type, "spl_PlannedEndDate": plan.planned_end_on,
        "spl_ActualEndDate": plan.actual_end_on,
    }
    if identity:
        values.update({"spl_Objectives": plan.objectives, "spl_ActionPlan": plan.action_plan})
    return values


def case_row(record: CaseRecord, columns: list[Column]) -> list[Cell]:
    """One case as the cells of ``columns`` (from export_columns)."""
    events = record.sorted_events
    values = case_values(record, events)
    with_identity = record.identity is not None
    groups = {
        EVENT_NAMES: [event_values(event, identity=with_identity) for event in events],
        OUTGOING_REFERRAL_NAMES: [referral_values(referral, identity=with_identity)
                                  for referral in record.referrals],
        SUPPORT_PLAN_NAMES: [plan_values(plan, identity=with_identity)
                             for plan in record.sorted_plans],
    }
    row: list[Cell] = []
    seen: dict[str, int] = {}
    for column in columns:
        repeated = next((found for names, found in groups.items() if column.name in names),
                        None)
        if repeated is None:
            row.append(values.get(column.name))
            continue
        group = seen.get(column.name, 0)
        seen[column.name] = group + 1
        row.append(repeated[group].get(column.name) if group < len(repeated) else None)
    return [None if cell == "" else cell for cell in row]


# --- writing -----------------------------------------------------------------------------------

def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, dt.date):
        return cell.isoformat()
    text = str(cell)
    # Excel would run it as a formula; the apostrophe makes it text (the import removes it).
    return f"'{text}" if _FORMULA_LIKE.match(text) else text


def csv_chunks(columns: list[Column], rows: Iterable[list[Cell]], *,
               delimiter: str = ",") -> Iterator[bytes]:
    """The CSV file in pieces, UTF-8 with a byte-order mark: without it, Excel takes the file
    for the computer's own code page and shows Cyrillic as nonsense."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([column.name for column in columns])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    buffer.seek(0)
    buffer.truncate()
    for row in rows:
        writer.writerow([_csv_text(cell) for cell in row])
        if buffer.tell() > _CSV_PIECE:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode()


def xlsx_bytes(columns: list[Column], rows: Iterable[list[Cell]], *, total: int = 0,
               progress: ProgressReport = no_progress) -> bytes:
    """The XLSX workbook: one sheet, field names in row 1, dates as dates, TRUE/FALSE as
    checkboxes, every text as text (never a formula)."""
    workbook = Workbook(write_only=True)
    sheet: Any = workbook.create_sheet("HTCDS")
    sheet.freeze_panes = "A2"
    for position, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(position)].width = \
            14 if column.kind in _NARROW else 22
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for done, row in enumerate(rows, 1):
        progress(done, total, gettext_noop("Writing the workbook"))
        out: list[Any] = []
        for cell_value in row:
            if isinstance(cell_value, dt.date):
                cell = WriteOnlyCell(sheet, value=dt.datetime.combine(cell_value, dt.time()))
                cell.number_format = "yyyy-mm-dd"
                out.append(cell)
            elif isinstance(cell_value, str) and cell_value.startswith("="):
                cell = WriteOnlyCell(sheet, value=cell_value)
                cell.data_type = "s"
                out.append(cell)
            else:
                out.append(cell_value)
        sheet.append(out)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
