"""An export conforms to HTCDS 2.0: every column is a field name of the standard, and every
picklist cell holds only the standard's value names (a multi-select's split on ";"). Read against
the standard's own .ods (the copy in tests/interchange/data, read with nrm's reader), with cases
that use every value nrm has."""

from __future__ import annotations

import datetime as dt
import re

import pycountry
import pytest

from nrm.assistance.choices import SupportPlanType
from nrm.assistance.inputs import SupportPlanInput
from nrm.assistance.services import support_plan_create
from nrm.identification.services import decision_request, status_decide
from nrm.interchange.htcds.standard import read_standard
from nrm.registry.choices import (
    CaseStatus,
    EventStage,
    ExploitationType,
    LabourIndustry,
    MeansOfControl,
    RecruiterRelationship,
    RecruitmentMethod,
    Sex,
    SexualExploitationType,
)
from nrm.registry.inputs import CaseInput, EventInput, IdentityInput, PersonInput
from nrm.registry.services import case_close, person_register
from tests.interchange.conftest import STANDARD_ODS, export_bytes, table

pytestmark = pytest.mark.django_db

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
COUNTRY_CODES = {country.alpha_2 for country in pycountry.countries}


@pytest.fixture
def every_value(safe_home_cases, safe_home_referrals, case_worker, decision_maker, commission):
    """Besides Safe Home's three cases, one case for each value of every picklist nrm keeps."""
    values = [
        *[{"sex": sex} for sex in Sex.values],
        *[{"labour_industry": industry} for industry in LabourIndustry.values],
        *[{"recruiter_relationship": kind} for kind in RecruiterRelationship.values],
        {"exploitation_types": ExploitationType.values,
         "means_of_control": MeansOfControl.values,
         "recruitment_methods": RecruitmentMethod.values,
         "sexual_exploitation_types": SexualExploitationType.values},
        *[{"status": status} for status in CaseStatus.values],
    ]
    cases = []
    for number, value in enumerate(values):
        sex = value.pop("sex", "NonSpecifiedUnknown")
        status = value.pop("status", "Active")
        case = person_register(
            viewer=case_worker,
            person=PersonInput(sex=sex, birth_year=1980 + number % 30, citizenships=["UZ"]),
            identity=IdentityInput(given_name=f"Person {number}"),
            case=CaseInput(entry_point="other",
                           status=status if status in ("Active", "FollowUp") else "Active",
                           **value),
            events=[EventInput(stage=stage, country="KZ", date="2022-06-01")
                    for stage in EventStage.values],
        )
        if status in ("Closed", "ClosedReferred"):
            case_close(viewer=case_worker, case=case, closed_on=dt.date.today(),
                       reason="Closed for the test", referred=status == "ClosedReferred")
        cases.append(case)
    # One plan of every type, on one case: one ended, the others open (one open plan per type).
    for number, plan_type in enumerate(SupportPlanType.values):
        support_plan_create(viewer=case_worker, case=cases[0], plan=SupportPlanInput(
            plan_type=plan_type, objectives=f"Objective {number}", action_plan="Steps",
            started_on=dt.date(2024, 1, 1), planned_end_on=dt.date(2024, 12, 31),
            actual_end_on=dt.date(2024, 6, 30) if number == 0 else None))
    for case, status in zip(cases, ["identified", "not_a_victim"], strict=False):
        decision_request(viewer=case_worker, case=case, competent_authority=commission)
        status_decide(viewer=decision_maker, case=case, status=status,
                      decided_on=dt.date.today(), reasons="Test", legal_basis="Test")
    return cases


def _check_conformance(content: bytes) -> int:
    standard = read_standard(STANDARD_ODS)
    rows = table(content)
    header, body = rows[0], rows[1:]
    assert body
    unknown = [name for name in header if name not in standard]
    assert not unknown, f"not HTCDS field names: {unknown}"
    checked = 0
    for row in body:
        for name, cell in zip(header, row, strict=True):
            if cell is None or cell == "":
                continue
            field = standard[name]
            if field.is_picklist:
                values = str(cell).split(";") if field.is_multiselect else [str(cell)]
                strange = [value for value in values if value not in field.value_names]
                assert not strange, f"{name}: {strange} are not value names of the standard"
            elif name in ("prs_Citizenship",):
                assert set(str(cell).split(";")) <= COUNTRY_CODES
            elif name in ("hte_Country", "org_ShippingCountry"):
                assert cell in COUNTRY_CODES
            elif field.field_type == "Date":
                assert isinstance(cell, dt.date) or PARTIAL_DATE.match(str(cell)), (name, cell)
            elif field.field_type == "Checkbox":
                assert cell in (True, False, "TRUE", "FALSE"), (name, cell)
            elif field.field_type == "Number":
                assert int(cell) >= 0
            checked += 1
    return checked


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("identity", [True, False])
def test_an_export_holds_only_htcds_field_names_and_value_names(every_value, case_worker,
                                                                file_format, identity):
    content = export_bytes(case_worker, file_format, identity=identity)
    assert _check_conformance(content) > 500


def test_every_picklist_value_nrm_keeps_appears_in_the_export(every_value, case_worker):
    rows = table(export_bytes(case_worker, "csv"))
    columns: dict[str, set[str]] = {}
    for index, name in enumerate(rows[0]):  # repeated groups: every group of a column
        columns.setdefault(name, set()).update(
            value for row in rows[1:] for value in (row[index] or "").split(";"))
    assert set(Sex.values) <= columns["prs_Gender"]
    assert set(LabourIndustry.values) <= columns["vic_ForcedLabourIndustry"]
    assert set(ExploitationType.values) - {"ForcedCriminality"} <= \
        columns["vic_TypeOfExploitation"]
    assert set(CaseStatus.values) <= columns["cas_Status"]
    assert {"PossibleVictimOfTrafficking", "ActualVictimOfTrafficking",
            "NotAVictimOfTrafficking"} <= columns["vic_TraffickingStatus"]
    assert {"AdditionalServicesRequired", "MigrationOrChangeOfLocation"} <= \
        columns["cas_ReasonForOutgoingReferral"]
    assert "MigrationOrChangeOfLocation" in columns["cas_ReasonForIncomingReferral"]
    assert set(SupportPlanType.values) <= columns["spl_Type"]
    assert {"2024-06-30", "2024-12-31"} <= columns["spl_ActualEndDate"] | columns[
        "spl_PlannedEndDate"]


def test_a_coordinator_s_export_conforms_too(every_value, coordinator):
    assert _check_conformance(export_bytes(coordinator, "xlsx")) > 300
