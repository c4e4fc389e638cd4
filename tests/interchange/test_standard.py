"""nrm's HTCDS mapping, checked against the standard's own field list (IOM's .ods, read with
nrm's small reader): every column nrm writes is a field of HTCDS 2.0, and every value nrm may
write in a picklist is one of its value names."""

from __future__ import annotations

import pytest

from nrm.directory.models import HTCDS_ORG_TYPE
from nrm.identification.choices import HTCDS_DECISION_MAKING_ORG, HTCDS_STATUS
from nrm.interchange.htcds.columns import (
    COLUMNS,
    EXPORTED_AS,
    MISSPELT,
    SUPPORT_PLAN_NAMES,
    Kind,
    columns_by_header,
    columns_by_label,
)
from nrm.interchange.htcds.standard import STANDARD_FILE, read_standard
from nrm.interchange.schemas import CaseStatusName
from nrm.registry.choices import CaseStatus
from tests.interchange.conftest import STANDARD_ODS


@pytest.fixture(scope="module")
def standard():
    return read_standard(STANDARD_ODS)


def test_the_reader_finds_every_field_of_the_standard(standard):
    assert len(standard) == 83
    assert standard["vic_TraffickingStatus"].value_names == (
        "PossibleVictimOfTrafficking", "ActualVictimOfTrafficking", "NotAVictimOfTrafficking")
    assert standard["vic_TraffickingStatus"].value_labels[0] == "Possible victim of trafficking"
    assert standard["vic_TypeOfExploitation"].is_multiselect
    assert standard["cas_Status"].value_names == ("Active", "FollowUp", "Closed",
                                                  "ClosedReferred")
    assert standard["spl_Type"].value_names[-1] == "SocialCare"
    assert standard["con_Consent"].field_type == "Checkbox"


def test_a_picklist_described_as_an_iso_code_list_names_no_values(standard):
    assert standard["prs_Citizenship"].value_names == ()
    assert standard["org_ShippingCountry"].value_names == ()
    assert not standard["prs_PrimaryLanguage"].is_picklist


def test_nrm_ships_the_same_standard_as_the_tests_read():
    assert STANDARD_FILE.read_bytes() == STANDARD_ODS.read_bytes()


def test_every_column_nrm_writes_or_reads_is_an_htcds_field(standard):
    assert set(COLUMNS) <= set(standard)
    assert set(MISSPELT.values()) <= set(standard)


def test_every_spl_field_of_the_standard_is_a_column_nrm_writes(standard):
    assert {name for name in standard if name.startswith("spl_")} == SUPPORT_PLAN_NAMES


def test_the_columns_nrm_reads_as_dates_are_dates_in_the_standard(standard):
    dates = {name for name, column in COLUMNS.items()
             if column.kind in (Kind.DATE, Kind.DAY, Kind.PLANNED_DAY)}
    assert dates == {name for name in COLUMNS if standard[name].field_type == "Date"}


def test_every_value_nrm_writes_in_a_picklist_is_a_value_name_of_the_standard(standard):
    for column in COLUMNS.values():
        if column.kind not in (Kind.PICKLIST, Kind.MULTI):
            continue
        written = {EXPORTED_AS.get((column.name, value), value)
                   for value in column.value_names()}
        assert written <= set(standard[column.name].value_names), column.name


def test_the_mappings_of_other_apps_give_value_names_of_the_standard(standard):
    assert set(HTCDS_STATUS.values()) <= set(standard["vic_TraffickingStatus"].value_names)
    assert set(HTCDS_DECISION_MAKING_ORG.values()) <= set(
        standard["vic_TraffickingStatusDecisionMakingOrg"].value_names)
    assert set(HTCDS_ORG_TYPE.values()) <= set(standard["org_Type"].value_names)


def test_forced_criminality_leaves_as_other_since_htcds_lacks_it(standard):
    assert "ForcedCriminality" not in standard["vic_TypeOfExploitation"].value_names
    assert EXPORTED_AS[("vic_TypeOfExploitation", "ForcedCriminality")] == "Other"


def test_headers_are_known_by_name_in_any_case_and_by_iom_s_misspelling():
    known = columns_by_header()
    assert known["prsfirstname"] == "prs_FirstName"
    assert known["victraffickinstatusdecisionmakingorg"] == (
        "vic_TraffickingStatusDecisionMakingOrg")


def test_only_labels_that_name_one_field_name_a_column():
    labels = columns_by_label()
    assert labels["reasonforoutgoingreferral"] == "cas_ReasonForOutgoingReferral"
    assert "type" not in labels  # org_Type, hte_Type and spl_Type
    assert "longitude" not in labels


def test_the_api_s_case_statuses_are_the_registry_s():
    assert set(CaseStatusName.__args__) == set(CaseStatus.values)
