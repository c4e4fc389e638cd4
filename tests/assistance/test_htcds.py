"""Support plans speak HTCDS 2.0: their type values are exactly the spl_Type value names, and
their fields are the spl_ fields of the standard, read from the published field list (IOM's
`HTCDS Field Standards 2.0.ods`, the copy the repository ships, read with nrm's one reader)."""

from __future__ import annotations

import pytest

from nrm.assistance.choices import SupportPlanType
from nrm.assistance.models import SupportPlan
from nrm.interchange.htcds.standard import HtcdsField, htcds_fields

# The model field that holds each spl_ field of the standard.
SPL_FIELDS = {
    "spl_Objectives": "objectives",
    "spl_ActionPlan": "action_plan",
    "spl_PlannedEndDate": "planned_end_on",
    "spl_ActualEndDate": "actual_end_on",
    "spl_Type": "plan_type",
}


@pytest.fixture(scope="module")
def spl_fields() -> dict[str, HtcdsField]:
    return {name: field for name, field in htcds_fields().items() if name.startswith("spl_")}


def test_plan_types_are_exactly_the_spl_type_value_names(spl_fields):
    assert set(spl_fields["spl_Type"].value_names) == set(SupportPlanType.values)


def test_every_spl_field_of_the_standard_has_its_field_in_the_support_plan(spl_fields):
    assert set(spl_fields) == set(SPL_FIELDS)
    model_fields = {field.name for field in SupportPlan._meta.get_fields()}
    assert set(SPL_FIELDS.values()) <= model_fields
    for name in ("spl_PlannedEndDate", "spl_ActualEndDate"):
        assert spl_fields[name].field_type == "Date"
        assert SupportPlan._meta.get_field(SPL_FIELDS[name]).get_internal_type() == "DateField"
