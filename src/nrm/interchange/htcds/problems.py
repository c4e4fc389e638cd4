"""What can be wrong with an HTCDS file, and what to write instead, in the reader's language.

A check keeps each problem as a code and its parameters, not as text, so that the preview says it
in the language of whoever reads it, whichever language the check ran in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

# code → (what is wrong, what to write instead)
PROBLEMS: dict[str, tuple[Promise, Promise]] = {
    # the file as a whole
    "empty": (_("The file is empty."),
              _("Upload the spreadsheet with your cases, saved as .xlsx or .csv.")),
    "too_large": (_("The file is %(size)s; nrm imports at most %(limit)s at once."),
                  _("Split the cases over several files and import them one by one.")),
    "too_many_rows": (_("The file has more than %(limit)s rows."),
                      _("Split the cases over several files of at most %(limit)s rows each.")),
    "not_spreadsheet": (_("This is not a spreadsheet that nrm can read."),
                        _("Save it as an Excel workbook (.xlsx) or as “CSV UTF-8” and upload "
                          "that.")),
    "old_excel": (_("This is an old Excel file (.xls), or a workbook protected with a password."),
                  _("Open it in Excel or LibreOffice, remove the password if it has one, and "
                    "save it as .xlsx.")),
    "open_document": (_("This is an OpenDocument spreadsheet (.ods)."),
                      _("Open it in LibreOffice and save it as .xlsx or as CSV (UTF-8).")),
    "broken_workbook": (_("The workbook cannot be opened: it is damaged or protected with a "
                          "password."),
                        _("Open it in Excel, remove the password if it has one, save it again "
                          "as .xlsx and upload that.")),
    "csv_encoding": (_("The CSV file is not in UTF-8, so its letters cannot be read safely."),
                     _("In Excel choose “Save as” → “CSV UTF-8 (comma delimited)”; in "
                       "LibreOffice choose the character set “Unicode (UTF-8)”.")),
    "no_header": (_("No row of HTCDS field names (such as prs_FirstName, prs_Gender, "
                    "cas_Status) was found in the first %(rows)s rows."),
                  _("Put the HTCDS field names in the first row, as in IOM's Excel toolkit or "
                    "an export from nrm.")),
    "duplicate_column": (_("The column %(column)s appears more than once (columns %(letters)s)."),
                         _("Keep one of them and delete the others.")),
    "no_rows": (_("The file has field names but no cases under them."),
                _("Fill in one row per case under the field names.")),
    "already_imported": (_("This file was already imported on %(date)s."),
                         _("Nothing needs doing: its cases are in nrm. To import other cases, "
                           "upload a file that holds only them.")),
    "consent_method": (_("The file records consent (con_Consent), but not how it was given."),
                       _("Choose how your organisation records consent on the upload form.")),
    # one cell
    "unknown_value": (_("“%(value)s” is not a value of %(column)s."),
                      _("Write one of: %(choices)s.")),
    "unknown_country": (_("“%(value)s” is not a country."),
                        _("Write the ISO 3166-1 two-letter code, such as KG, KZ or RU.")),
    "unknown_region": (_("“%(value)s” is not a region of %(country)s."),
                       _("Write the ISO 3166-2 code, such as %(example)s, or leave it empty.")),
    "region_without_country": (_("A region is given without a country."),
                               _("Fill in hte_Country for this event, or leave hte_State "
                                 "empty.")),
    "unknown_language": (_("“%(value)s” is not a language."),
                         _("Write the ISO 639 code, such as ky, ru or uz.")),
    "date_format": (_("“%(value)s” is not a date."),
                    _("Write it as YYYY-MM-DD (or YYYY-MM, or YYYY when only the year is "
                      "known).")),
    "date_ambiguous": (_("In “%(value)s” the day and the month cannot be told apart."),
                       _("Write it as YYYY-MM-DD.")),
    "date_impossible": (_("“%(value)s” is not a date that exists."),
                        _("Check the day and the month, and write it as YYYY-MM-DD.")),
    "date_range": (_("The date %(value)s is in the future or before 1900."),
                   _("Write the date on which it happened.")),
    "date_not_whole": (_("“%(value)s” is not a whole date."),
                       _("Write the day too, as YYYY-MM-DD.")),
    "date_too_far": (_("The date %(value)s is more than three years ahead, or before 1900."),
                     _("Write a planned date within three years from today.")),
    "checkbox": (_("“%(value)s” is neither yes nor no."),
                 _("Write TRUE or FALSE (or leave it empty if it is not known).")),
    "text_control": (_("The text contains invisible control characters."),
                     _("Retype the text in this cell.")),
    "text_long": (_("The text is longer than %(limit)s characters."),
                  _("Shorten it to at most %(limit)s characters.")),
    "excel_error": (_("The cell holds an Excel error (%(value)s) instead of a value."),
                    _("Write the value itself, not a formula that fails.")),
    "name_missing": (_("The row has neither a first name nor a second name."),
                     _("Write at least one of prs_FirstName and prs_SecondName: nrm registers "
                       "no person without a name.")),
    "event_stage_missing": (_("Event %(event)s has no type."),
                            _("Write Recruitment, Transit or Exploitation in hte_Type.")),
    "event_country_missing": (_("Event %(event)s has no country."),
                              _("Write the ISO 3166-1 code of the country in hte_Country.")),
    "plan_type_missing": (_("Support plan %(plan)s has no type."),
                          _("Write its type in spl_Type, such as Health, Legal or Livelihood.")),
    "plan_objectives_missing": (
        _("Support plan %(plan)s has no objectives."),
        _("Write in spl_Objectives what the person and the case worker agreed to work "
          "towards: nrm keeps no support plan without objectives.")),
    "plan_open_twice": (
        _("Support plans %(plans)s are all open and of the same type, %(type)s."),
        _("Fill in spl_ActualEndDate of the plans that have ended: a case has one open plan of "
          "each type at a time.")),
    "decision_org_without_status": (
        _("The row says who decided the trafficking status, but not the status."),
        _("Fill in vic_TraffickingStatus, or leave vic_TraffickingStatusDecisionMakingOrg "
          "empty.")),
}

# What the check noticed but did not refuse: code → text.
NOTES: dict[str, Promise] = {
    "ignored_unknown": _("The column “%(header)s” is not an HTCDS field; nrm did not read it."),
    "ignored_not_kept": _("nrm does not keep %(column)s; the column was not read."),
    "ignored_derived": _("nrm works out %(column)s itself; the column was not read."),
    "ignored_referrals": _("The file's referrals (%(columns)s) were not imported: in nrm a "
                           "referral is sent from the case page, with its consent checks."),
    "read_by_label": _("The column without a field name was read as %(column)s, by its label "
                       "“%(label)s”."),
    "labels_only": _("The file has field labels instead of field names; nrm read the columns by "
                     "their labels."),
    "label_as_value": ngettext_lazy(
        "%(column)s: “%(value)s” was read as %(name)s (%(rows)s row).",
        "%(column)s: “%(value)s” was read as %(name)s (%(rows)s rows).", "rows"),
    "case_owner_unknown": ngettext_lazy(
        "cas_CaseOwner: %(value)s is not a case worker of your organisation; you become the "
        "responsible case worker of that case (%(rows)s row).",
        "cas_CaseOwner: %(value)s is not a case worker of your organisation; you become the "
        "responsible case worker of those cases (%(rows)s rows).", "rows"),
    "status_reported": _("vic_TraffickingStatus is kept as the file reports it, with who "
                         "decided it; it is not a decision in nrm. A competent authority still "
                         "decides the status in nrm."),
    "organisations": _("The file was kept by: %(names)s. Its cases become your organisation's."),
    "closed_today": ngettext_lazy(
        "%(rows)s case is closed in the file; nrm records it as closed today, since HTCDS has "
        "no closing date.",
        "%(rows)s cases are closed in the file; nrm records them as closed today, since HTCDS "
        "has no closing date.", "rows"),
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file: where (row and column, where it has them) and what."""

    code: str
    row: int | None = None
    column: str = ""
    params: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "row": self.row, "column": self.column,
                "params": self.params}


class FileProblem(Exception):  # noqa: N818 (a problem of the user's file, said to them)
    """The file cannot be read at all; the check stops here."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.problem = Problem(code=code, params=params)


class CellProblem(Exception):  # noqa: N818
    """One cell cannot be read; the row's other cells are still checked."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _said(text: Promise, params: dict[str, Any]) -> str:
    # The lazy text itself takes the parameters: a plural picks its form from them.
    return str(text % params) if params else str(text)


def problem_text(code: str, params: dict[str, Any]) -> tuple[str, str]:
    """(what is wrong, what to write instead), in the active language."""
    problem, fix = PROBLEMS.get(code, (_("This value cannot be read."), _("Check it.")))
    return _said(problem, params), _said(fix, params)


def note_text(code: str, params: dict[str, Any]) -> str:
    """A note of the check, in the active language."""
    text = NOTES.get(code)
    if text is None:
        return code
    return _said(text, params)


def problem_sentence(code: str, **params: Any) -> str:
    """What is wrong and what to do, as one message."""
    problem, fix = problem_text(code, params)
    return f"{problem} {fix}"
