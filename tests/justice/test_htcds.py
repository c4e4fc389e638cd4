"""Offender roles map to HTCDS 2.0 per_RoleInProcess value names (../shared/standards/)."""

from __future__ import annotations

from nrm.justice.choices import HTCDS_ROLE, OffenderRole

# The value names of per_RoleInProcess in HTCDS Field Standards 2.0.
PER_ROLE_IN_PROCESS = {
    "TravellingPartner", "Transporter", "RecruiterOrIntermediary", "BrokerTravelAgent",
    "TransferredIndividual", "HarbouredIndividual", "SoldIndividual", "BoughtIndividual",
    "ReceivedIndividual", "ControlledIndividual", "Smuggler", "Abuser", "Kidnapper", "Exploiter",
    "Other",
}


def test_every_offender_role_has_an_htcds_value_name():
    assert set(HTCDS_ROLE) == set(OffenderRole)
    assert set(HTCDS_ROLE.values()) <= PER_ROLE_IN_PROCESS
    assert HTCDS_ROLE[OffenderRole.RECRUITER] == "RecruiterOrIntermediary"
    assert HTCDS_ROLE[OffenderRole.EXPLOITER] == "Exploiter"
