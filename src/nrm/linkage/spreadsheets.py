"""An external list of persons (an NGO's spreadsheet, a consulate's list) as PersonRecords.

CSV (UTF-8, comma, semicolon or tab) or XLSX, first sheet, first row the column names. A column
mapping says which column holds what: ``given=Имя,family=Фамилия,birth=Дата рождения``. The
command `nrm link` and the spreadsheet-check page both read files through `read_people`, so
that a file is understood, and refused, the same way in both. Every refusal says what to fix.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
from django.utils.translation import gettext as _

from nrm.core.names import split_full_name
from nrm.linkage.records import PersonRecord, parse_birth_date

# What a mapping may name, and what it means.
FIELDS = {
    "given": "given name",
    "family": "family name",
    "patronymic": "patronymic",
    "name": "full name in one column (split by what its parts look like)",
    "other": "other names: Latin name from a passport, aliases (may be given several times)",
    "birth": "birth date: YYYY, YYYY-MM or YYYY-MM-DD",
    "sex": "sex: F/M, female/male, ж/м, or the registry's values",
    "citizenship": "citizenship: ISO 3166 code (KG, KGZ)",
}

# Sex as lists write it → the registry's values (HTCDS prs_Gender names).
SEX_VALUES = {
    "f": "Feminine", "female": "Feminine", "woman": "Feminine", "w": "Feminine",
    "ж": "Feminine", "жен": "Feminine", "женский": "Feminine", "женщина": "Feminine",
    "feminine": "Feminine", "к": "Feminine", "кыз": "Feminine", "әйел": "Feminine",
    "m": "Masculine", "male": "Masculine", "man": "Masculine", "м": "Masculine",
    "муж": "Masculine", "мужской": "Masculine", "мужчина": "Masculine",
    "masculine": "Masculine", "эр": "Masculine", "ер": "Masculine",
    "transgenderfeminine": "TransgenderFeminine", "transgendermasculine": "TransgenderMasculine",
    "nonconforming": "NonConforming", "nonspecifiedunknown": "", "unknown": "", "?": "",
}

MAX_ROWS = 2_000_000


class SpreadsheetError(ValueError):
    """The file cannot be read as asked; the message says what to fix."""


@dataclass(frozen=True)
class ColumnMapping:
    """Which column of the file holds which field of a person."""

    id_column: str
    columns: dict[str, str] = field(default_factory=dict)  # field → column (not "other")
    other_columns: tuple[str, ...] = ()

    @classmethod
    def parse(cls, id_column: str, text: str) -> ColumnMapping:
        """``given=given_name,family=family_name,…`` → a mapping; SpreadsheetError if bad."""
        columns: dict[str, str] = {}
        others: list[str] = []
        for item in (part.strip() for part in text.split(",")):
            if not item:
                continue
            key, sep, column = item.partition("=")
            key, column = key.strip().lower(), column.strip()
            if not sep or not column:
                raise SpreadsheetError(_(
                    "“%(item)s” in the column mapping is not field=column, "
                    "for example given=given_name.") % {"item": item})
            if key not in FIELDS:
                raise SpreadsheetError(_(
                    "“%(key)s” is not a field of the mapping; use %(fields)s.")
                    % {"key": key, "fields": ", ".join(FIELDS)})
            if key == "other":
                others.append(column)
            elif key in columns:
                raise SpreadsheetError(
                    _("The field “%(key)s” is mapped twice.") % {"key": key})
            else:
                columns[key] = column
        if not columns.keys() & {"given", "family", "name"} and not others:
            raise SpreadsheetError(_(
                "Map at least one name column: given=…, family=… or name=… ."))
        return cls(id_column=id_column.strip(), columns=columns, other_columns=tuple(others))

    def used_columns(self) -> list[str]:
        return [self.id_column, *self.columns.values(), *self.other_columns]


def read_table(content: bytes, filename: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of a CSV or XLSX file, every cell as text."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        rows = _read_xlsx(content, filename)
    elif suffix in {".csv", ".txt", ".tsv", ""}:
        rows = _read_csv(content, filename)
    else:
        raise SpreadsheetError(_(
            "%(file)s is neither a CSV nor an XLSX file.") % {"file": filename})
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise SpreadsheetError(_("%(file)s is empty.") % {"file": filename})
    header = [cell.strip() for cell in rows[0]]
    if len(rows) < 2:
        raise SpreadsheetError(_(
            "%(file)s has column names but no rows of persons.") % {"file": filename})
    if len(rows) > MAX_ROWS:
        raise SpreadsheetError(_("%(file)s has more than %(max)s rows; split it.")
                               % {"file": filename, "max": f"{MAX_ROWS:,}"})
    return header, rows[1:]


def _read_csv(content: bytes, filename: str) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(_(
            "%(file)s is not a UTF-8 text file; save it as “CSV UTF-8” and try again.")
            % {"file": filename}) from None
    if "\x00" in text:
        raise SpreadsheetError(_("%(file)s is not a CSV file.") % {"file": filename})
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    except csv.Error as error:
        raise SpreadsheetError(_("%(file)s cannot be read as CSV: %(error)s")
                               % {"file": filename, "error": error}) from None


def _read_xlsx(content: bytes, filename: str) -> list[list[str]]:
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError):
        raise SpreadsheetError(_(
            "%(file)s cannot be opened as an XLSX workbook.") % {"file": filename}) from None
    try:
        sheet = book.worksheets[0]
        return [[_cell_text(value) for value in row]
                for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _cell_text(value: object) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sex(value: str, where: str) -> str:
    key = value.strip().lower().replace(" ", "").replace("-", "")
    if key in SEX_VALUES:
        return SEX_VALUES[key]
    raise SpreadsheetError(_(
        "%(where)s: “%(value)s” is not a sex this check understands; "
        "write F or M (or leave it empty).") % {"where": where, "value": value})


def _citizenship(value: str, where: str) -> str:
    code = value.strip().upper()
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else (
        pycountry.countries.get(alpha_3=code) if len(code) == 3 else None)
    if country is None:
        raise SpreadsheetError(_(
            "%(where)s: “%(value)s” is not an ISO 3166 country code such as KG or KGZ.")
            % {"where": where, "value": value})
    return str(country.alpha_2)


def records_from_rows(header: Sequence[str], rows: Sequence[Sequence[str]],
                      mapping: ColumnMapping, *, filename: str, source: str = "",
                      ) -> list[PersonRecord]:
    """Rows as PersonRecords; SpreadsheetError naming the row and column of the first fault."""
    positions = {name: index for index, name in enumerate(header)}
    for column in mapping.used_columns():
        if column not in positions:
            raise SpreadsheetError(_(
                "%(file)s has no column “%(column)s”; its columns are: %(columns)s.")
                % {"file": filename, "column": column, "columns": ", ".join(header)})
    seen: dict[str, int] = {}
    records: list[PersonRecord] = []
    for number, row in enumerate(rows, start=2):

        def cell(column: str, row: Sequence[str] = row) -> str:
            index = positions[column]
            return row[index].strip() if index < len(row) else ""

        def where(column: str, number: int = number) -> str:
            return _("%(file)s, row %(row)s, column “%(column)s”") % {
                "file": filename, "row": number, "column": column}

        record_id = cell(mapping.id_column)
        if not record_id:
            raise SpreadsheetError(_("%(where)s: the id is empty.")
                                   % {"where": where(mapping.id_column)})
        if record_id in seen:
            raise SpreadsheetError(_(
                "%(where)s: the id “%(id)s” is already used in row %(first)s; "
                "every row needs its own id.")
                % {"where": where(mapping.id_column), "id": record_id,
                   "first": seen[record_id]})
        seen[record_id] = number
        values = {key: cell(column) for key, column in mapping.columns.items()}
        given, patronymic, family = (values.get("given", ""), values.get("patronymic", ""),
                                     values.get("family", ""))
        if values.get("name"):
            split_given, split_patronymic, split_family = split_full_name(values["name"])
            given, patronymic = given or split_given, patronymic or split_patronymic
            family = family or split_family
        birth = values.get("birth", "")
        if birth:
            try:
                parse_birth_date(birth)
            except ValueError:
                raise SpreadsheetError(_(
                    "%(where)s: “%(value)s” is not a birth date; write YYYY, YYYY-MM or "
                    "YYYY-MM-DD.") % {"where": where(mapping.columns["birth"]),
                                       "value": birth}) from None
        sex = _sex(values["sex"], where(mapping.columns["sex"])) if values.get("sex") else ""
        citizenship = (_citizenship(values["citizenship"],
                                    where(mapping.columns["citizenship"]))
                       if values.get("citizenship") else "")
        records.append(PersonRecord(
            record_id=record_id, given_name=given, patronymic=patronymic, family_name=family,
            other_names=tuple(value for value in (cell(c) for c in mapping.other_columns)
                              if value),
            birth_date=birth, sex=sex, citizenship=citizenship, source=source or filename,
        ))
    return records


def read_people(content: bytes, filename: str, mapping: ColumnMapping, *, source: str = "",
                ) -> list[PersonRecord]:
    """A CSV or XLSX file's rows as PersonRecords, or SpreadsheetError saying what to fix."""
    header, rows = read_table(content, filename)
    return records_from_rows(header, rows, mapping, filename=filename, source=source)
