"""Status decisions map to HTCDS 2.0 value names, as the standard's own field list gives them
(IOM's `HTCDS Field Standards 2.0.ods`, the copy the repository ships, read with nrm's reader)."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification.choices import HTCDS_DECISION_MAKING_ORG, HTCDS_STATUS, VictimStatus
from nrm.identification.models import StatusDecision
from nrm.interchange.htcds.standard import htcds_fields

HTCDS_STATUSES = set(htcds_fields()["vic_TraffickingStatus"].value_names)
HTCDS_ORGS = set(htcds_fields()["vic_TraffickingStatusDecisionMakingOrg"].value_names)


def test_every_mapped_value_is_an_htcds_value_name():
    assert set(HTCDS_DECISION_MAKING_ORG.values()) <= HTCDS_ORGS
    assert set(HTCDS_DECISION_MAKING_ORG) <= set(OrganisationKind.values)
    # Each status nrm decides is one of the standard's, and each of the standard's is decided.
    assert set(HTCDS_STATUS) == set(VictimStatus.values)
    assert set(HTCDS_STATUS.values()) == HTCDS_STATUSES


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "expected"), [
    (VictimStatus.PRESUMED, "PossibleVictimOfTrafficking"),
    (VictimStatus.IDENTIFIED, "ActualVictimOfTrafficking"),
    (VictimStatus.NOT_A_VICTIM, "NotAVictimOfTrafficking"),
])
def test_decision_gives_htcds_status_and_deciding_organisation(status, expected):
    commission = Organisation(name="Commission", kind=OrganisationKind.SOCIAL_PROTECTION,
                              country="KG")
    decision = StatusDecision(status=status, competent_authority=commission,
                              decided_on=dt.date(2026, 1, 5))
    assert decision.htcds_status == expected
    assert decision.htcds_status in HTCDS_STATUSES
    assert decision.htcds_decision_making_org == "NonPoliceGovernmentalOrganization"
    assert decision.htcds_decision_making_org in HTCDS_ORGS
    commission.kind = OrganisationKind.POLICE
    assert decision.htcds_decision_making_org == "Police"
