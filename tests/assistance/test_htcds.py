"""Support plans speak HTCDS 2.0: their type values are exactly the spl_Type value names, and
their fields are the spl_ fields of the standard, read from the published field list
(`shared/standards/HTCDS Field Standards 2.0.ods`, beside the repository)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from nrm.assistance.choices import SupportPlanType
from nrm.assistance.models import SupportPlan

STANDARD = Path("shared/standards/HTCDS Field Standards 2.0.ods")
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
# The model field that holds each spl_ field of the standard.
SPL_FIELDS = {
    "spl_Objectives": "objectives",
    "spl_ActionPlan": "action_plan",
    "spl_PlannedEndDate": "planned_end_on",
    "spl_ActualEndDate": "actual_end_on",
    "spl_Type": "plan_type",
}


def _standard_file() -> Path:
    for folder in Path(__file__).resolve().parents:
        if (folder / STANDARD).is_file():
            return folder / STANDARD
    reason = f"the HTCDS field list is not beside the repository ({STANDARD})"
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _rows(path: Path) -> list[dict[str, str]]:
    """The rows of the field list, by column heading; a cell's paragraphs joined by newlines."""
    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 (our own file)
    table = next(root.iter(f"{_TABLE}table"))
    rows: list[list[str]] = []
    for row in table.iter(f"{_TABLE}table-row"):
        cells: list[str] = []
        for cell in row.iter(f"{_TABLE}table-cell"):
            repeated = min(int(cell.get(f"{_TABLE}number-columns-repeated", "1")), 50)
            text = "\n".join("".join(p.itertext()) for p in cell.iter(f"{_TEXT}p"))
            cells.extend([text] * repeated)
        rows.append(cells)
    heading = rows[0]
    return [dict(zip(heading, row, strict=False)) for row in rows[1:]]


@pytest.fixture(scope="module")
def spl_fields() -> dict[str, dict[str, str]]:
    rows = _rows(_standard_file())
    return {row["Field Name including Prefix"]: row for row in rows
            if row.get("Field Name including Prefix", "").startswith("spl_")}


def test_plan_types_are_exactly_the_spl_type_value_names(spl_fields):
    names = {value.strip() for value in spl_fields["spl_Type"]["Value Names (if picklist)"]
             .splitlines() if value.strip()}
    assert names == set(SupportPlanType.values)
    assert {"Education", "Financial", "LabourExploitationRehabilitation",
            "SexualExploitationRehabilitation", "SocialCare"} <= names


def test_every_spl_field_of_the_standard_has_its_field_in_the_support_plan(spl_fields):
    assert set(spl_fields) == set(SPL_FIELDS)
    model_fields = {field.name for field in SupportPlan._meta.get_fields()}
    assert set(SPL_FIELDS.values()) <= model_fields
    assert spl_fields["spl_PlannedEndDate"]["Field Type"] == "Date"
    assert SupportPlan._meta.get_field("planned_end_on").get_internal_type() == "DateField"
