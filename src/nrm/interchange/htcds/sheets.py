"""Reading an uploaded spreadsheet (XLSX or CSV) into rows of cells, and finding its header.

The file is told by its content, not by its name. Real files have quirks, and these are
accepted: IOM's toolkit's misspelt header and its labels row (in another order than the names);
a column whose name cell is empty but whose label names one field; a numbered first column
without a header; blank rows and columns anywhere; CSV separated by ",", ";" or tabs, in UTF-8
(with or without a BOM) or in UTF-16 with a BOM (Excel's "Unicode text").
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import chain, islice
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from nrm.interchange.htcds.cells import Raw, is_blank
from nrm.interchange.htcds.columns import (
    all_label_keys,
    columns_by_header,
    columns_by_label,
    header_key,
)
from nrm.interchange.htcds.problems import FileProblem

# Rows searched for the header.
HEADER_SEARCH_ROWS = 10
# An XLSX is a zip: more than this unpacked is not a spreadsheet of cases but a zip bomb.
# (Python's XML parser refuses entity expansion bombs and reads no external entities.)
MOST_UNPACKED_BYTES = 200_000_000
MOST_COLUMNS = 1000
_DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class HeaderColumn:
    index: int  # 0-based position in the row
    name: str  # the HTCDS field name it carries
    group: int = 0  # for hte_ columns: which event (0, 1, …)
    by_label: str = ""  # the label it was read by, when its name cell was empty


@dataclass
class Header:
    row: int  # 1-based, as the spreadsheet numbers it
    columns: list[HeaderColumn]
    labels_row: int | None = None
    labels_only: bool = False
    # Headers that name no HTCDS field: (index, as written).
    unknown: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Sheet:
    """An opened file: its format, its rows (1-based number, cells) from the first on."""

    file_format: str  # "xlsx" or "csv"
    rows: Iterator[tuple[int, list[Raw]]]
    delimiter: str = ""
    sheet_name: str = ""


def letter(index: int) -> str:
    """The spreadsheet's letter for a 0-based column index: 0 → A."""
    return get_column_letter(index + 1)


def _raw(value: object) -> Raw:
    """A workbook's cell value as a plain value: numbers, text, dates, booleans, or text for
    anything else openpyxl may hand back (a duration, rich text)."""
    if value is None or isinstance(value, str | bool | int | float | dt.date | dt.time):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return str(value)


def _worksheet_rows(worksheet: Any, **bounds: int) -> Iterator[tuple[int, list[Raw]]]:
    for number, row in enumerate(worksheet.iter_rows(values_only=True, **bounds), 1):
        yield number, [_raw(value) for value in row[:MOST_COLUMNS]]


def _xlsx_rows(content: bytes) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
            mimetype = archive.read("mimetype")[:80] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        raise FileProblem("broken_workbook") from None
    if b"opendocument" in mimetype:
        raise FileProblem("open_document")
    if "xl/workbook.xml" not in names:
        raise FileProblem("not_spreadsheet")
    if unpacked > MOST_UNPACKED_BYTES:
        raise FileProblem("broken_workbook")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file; each means the same here
        raise FileProblem("broken_workbook") from None
    # The first sheet that has a header; IOM's toolkit has one sheet.
    chosen: Any = None
    for worksheet in workbook.worksheets:
        if find_header(list(_worksheet_rows(worksheet, max_row=HEADER_SEARCH_ROWS))):
            chosen = worksheet
            break
    else:
        chosen = workbook.worksheets[0] if workbook.worksheets else None
    if chosen is None:
        raise FileProblem("empty")

    def rows() -> Iterator[tuple[int, list[Raw]]]:
        try:
            yield from _worksheet_rows(chosen)
        except Exception:
            raise FileProblem("broken_workbook") from None
        finally:
            workbook.close()

    return Sheet(file_format="xlsx", rows=rows(), sheet_name=chosen.title)


def _decoded(content: bytes) -> str:
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            raise FileProblem("csv_encoding") from None
    if b"\x00" in content[:4096]:
        raise FileProblem("not_spreadsheet")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileProblem("csv_encoding") from None


def _recognised(cells: list[str]) -> int:
    known = columns_by_header()
    return sum(1 for cell in cells if header_key(cell) in known)


def _csv_rows(content: bytes) -> Sheet:
    text = _decoded(content)
    if not text.strip():
        raise FileProblem("empty")
    # The delimiter that splits the first rows into the most field names.
    top = text.splitlines()[:HEADER_SEARCH_ROWS]
    best, best_count = ",", 0
    for delimiter in _DELIMITERS:
        count = max((_recognised(row) for row in csv.reader(top, delimiter=delimiter)),
                    default=0)
        if count > best_count:
            best, best_count = delimiter, count

    def rows() -> Iterator[tuple[int, list[Raw]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
        try:
            for number, row in enumerate(reader, 1):
                yield number, list(row[:MOST_COLUMNS])
        except csv.Error:
            raise FileProblem("not_spreadsheet") from None

    return Sheet(file_format="csv", rows=rows(), delimiter=best)


def open_sheet(content: bytes) -> Sheet:
    """The file's rows, whatever it is, or a FileProblem saying what it is instead."""
    if not content or not content.strip():
        raise FileProblem("empty")
    if content.startswith(b"PK\x03\x04"):
        return _xlsx_rows(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblem("old_excel")
    if content.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf")):
        raise FileProblem("not_spreadsheet")
    return _csv_rows(content)


def _cell_text(cell: Raw) -> str:
    return str(cell).strip() if not is_blank(cell) else ""


def _header_from_names(number: int, cells: list[Raw]) -> Header:
    known = columns_by_header()
    seen: dict[str, int] = {}
    columns: list[HeaderColumn] = []
    unknown: list[tuple[int, str]] = []
    for index, cell in enumerate(cells):
        written = _cell_text(cell)
        if not written:
            continue
        name = known.get(header_key(written))
        if name is None:
            unknown.append((index, written))
            continue
        group = seen.get(name, 0)
        seen[name] = group + 1
        columns.append(HeaderColumn(index=index, name=name, group=group))
    return Header(row=number, columns=columns, unknown=unknown)


def _is_labels_row(cells: list[Raw]) -> bool:
    labels = all_label_keys()
    filled = [_cell_text(cell) for cell in cells if _cell_text(cell)]
    matched = sum(1 for cell in filled if header_key(cell) in labels)
    return bool(filled) and matched >= max(2, len(filled) // 2)


def _fill_from_labels(header: Header, cells: list[Raw]) -> None:
    """Name the columns whose name cell is empty by their label, where the label names one
    field that no other column already carries."""
    labels = columns_by_label()
    named = {column.index for column in header.columns} | {index for index, _w in header.unknown}
    present = {column.name for column in header.columns}
    for index, cell in enumerate(cells):
        if index in named:
            continue
        name = labels.get(header_key(_cell_text(cell)))
        if name and name not in present:
            header.columns.append(HeaderColumn(index=index, name=name,
                                               by_label=_cell_text(cell)))
            present.add(name)
    header.columns.sort(key=lambda column: column.index)


def find_header(top: list[tuple[int, list[Raw]]]) -> Header | None:
    """The header among the first rows: the first row with at least two HTCDS field names (and
    the labels row under it, if there is one); failing that, a row of field labels."""
    for position, (number, cells) in enumerate(top[:HEADER_SEARCH_ROWS]):
        if _recognised([_cell_text(cell) for cell in cells]) >= 2:
            header = _header_from_names(number, cells)
            if position + 1 < len(top) and _is_labels_row(top[position + 1][1]):
                header.labels_row = top[position + 1][0]
                _fill_from_labels(header, top[position + 1][1])
            return header
    for number, cells in top[:HEADER_SEARCH_ROWS]:
        if _is_labels_row(cells):
            header = Header(row=number, columns=[], labels_only=True)
            _fill_from_labels(header, cells)
            if len(header.columns) >= 2:
                return header
    return None


def header_and_rows(sheet: Sheet) -> tuple[Header, Iterator[tuple[int, list[Raw]]]]:
    """The sheet's header, and the rows under it (after its labels row, if any)."""
    top = list(islice(sheet.rows, HEADER_SEARCH_ROWS + 1))
    if all(is_blank(cell) for _number, cells in top for cell in cells):
        raise FileProblem("empty")
    header = find_header(top)
    if header is None:
        raise FileProblem("no_header", rows=HEADER_SEARCH_ROWS)
    last = header.labels_row or header.row
    return header, chain(((number, cells) for number, cells in top if number > last),
                         sheet.rows)
