"""HTCDS 2.0 as IOM publishes it: every field's name, label, type and picklist value names.

Read from the standard's own spreadsheet (``data/HTCDS Field Standards 2.0.ods``, IOM, CC BY 4.0,
github.com/UNMigration/HTCDS at commit 3c2f653), so that nrm's mapping is checked against the
standard rather than against a copy typed by hand. An .ods is a zip of XML: a small reader of its
own is enough, and the tests read their copy of the file with it too.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.etree import ElementTree

STANDARD_FILE = Path(__file__).resolve().parent.parent / "data" / "HTCDS Field Standards 2.0.ods"

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
# A row or cell repeated this often is the sheet's empty tail, not data.
_MOST_REPEATS = 1000
# The standard's own spreadsheet; anything larger is not it.
_MOST_XML_BYTES = 20_000_000


@dataclass(frozen=True)
class HtcdsField:
    """One field of the standard, as its spreadsheet describes it."""

    name: str  # with its prefix: "vic_TypeOfExploitation"
    label: str
    field_type: str  # "Text", "Picklist", "Multiselect Picklist", "Date", "Checkbox", …
    status: str  # "DRAFT" or "DEPRECATED"
    value_names: tuple[str, ...] = ()
    value_labels: tuple[str, ...] = ()

    @property
    def is_picklist(self) -> bool:
        return "picklist" in self.field_type.lower() and bool(self.value_names)

    @property
    def is_multiselect(self) -> bool:
        return self.field_type.lower().startswith("multiselect")


def _cell_text(cell: ElementTree.Element) -> str:
    """A cell's text, paragraphs on their own lines, ``<text:s/>`` runs of spaces kept."""
    paragraphs = []
    for paragraph in cell.iter(f"{{{_TEXT}}}p"):
        parts: list[str] = []

        def walk(node: ElementTree.Element, parts: list[str] = parts) -> None:
            if node.text:
                parts.append(node.text)
            for child in node:
                if child.tag == f"{{{_TEXT}}}s":
                    parts.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
                elif child.tag == f"{{{_TEXT}}}line-break":
                    parts.append("\n")
                elif child.tag == f"{{{_TEXT}}}tab":
                    parts.append("\t")
                else:
                    walk(child)
                if child.tail:
                    parts.append(child.tail)

        walk(paragraph)
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def ods_rows(path: Path, sheet: str | None = None) -> Iterator[list[str]]:
    """The rows of one sheet of an .ods file (the first, unless named), as lists of cell texts,
    with repeated cells spelled out and the sheet's empty tail left off."""
    with zipfile.ZipFile(path) as archive:
        if archive.getinfo("content.xml").file_size > _MOST_XML_BYTES:
            raise ValueError(f"{path.name}: content.xml is larger than expected")
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 (our own file)
    tables = list(root.iter(f"{{{_TABLE}}}table"))
    table = next((t for t in tables if t.get(f"{{{_TABLE}}}name") == sheet), None) if sheet \
        else (tables[0] if tables else None)
    if table is None:
        return
    for row in table.iter(f"{{{_TABLE}}}table-row"):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"):
                continue
            repeated = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
            text = _cell_text(cell)
            cells.extend([text] * min(repeated, _MOST_REPEATS))
        while cells and not cells[-1].strip():
            cells.pop()
        times = int(row.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
        if not cells:
            continue
        for _time in range(min(times, _MOST_REPEATS)):
            yield cells


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.replace("\xa0", " ").strip() for line in text.split("\n")
                 if line.replace("\xa0", " ").strip())


def read_standard(path: Path = STANDARD_FILE) -> dict[str, HtcdsField]:
    """Every field of the standard by its prefixed name, in the spreadsheet's order."""
    rows = ods_rows(path)
    header = next(rows)
    column = {title.strip(): index for index, title in enumerate(header)}
    need = ("Status", "Field Name including Prefix", "Field Label", "Field Type",
            "Value Names (if picklist)", "Value Labels (if picklist)")
    missing = [title for title in need if title not in column]
    if missing:
        raise ValueError(f"{path.name}: no column {', '.join(missing)}")

    def cell(row: list[str], title: str) -> str:
        index = column[title]
        return row[index] if index < len(row) else ""

    fields: dict[str, HtcdsField] = {}
    for row in rows:
        name = cell(row, "Field Name including Prefix").strip()
        # Section titles fill one cell; the assessment examples are "N/A".
        if not name or "_" not in name or name == "N/A":
            continue
        names = _lines(cell(row, "Value Names (if picklist)"))
        labels = _lines(cell(row, "Value Labels (if picklist)"))
        # "Use ISO 3166 country codes …" describes a code list; it names no values.
        if any(line.lstrip("[").lower().startswith("use ") for line in names + labels):
            names, labels = (), ()
        fields[name] = HtcdsField(
            name=name, label=cell(row, "Field Label").strip(),
            field_type=cell(row, "Field Type").strip(), status=cell(row, "Status").strip(),
            value_names=names, value_labels=labels,
        )
    return fields


@cache
def htcds_fields() -> dict[str, HtcdsField]:
    """The standard's fields, read once from the copy that nrm ships."""
    return read_standard()
