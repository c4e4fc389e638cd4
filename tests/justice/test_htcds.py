"""Offender roles map to HTCDS 2.0 per_RoleInProcess value names, as the standard's own field
list gives them (IOM's `HTCDS Field Standards 2.0.ods`, the copy the repository ships, read with
nrm's reader)."""

from __future__ import annotations

from nrm.interchange.htcds.standard import htcds_fields
from nrm.justice.choices import HTCDS_ROLE, OffenderRole

PER_ROLE_IN_PROCESS = set(htcds_fields()["per_RoleInProcess"].value_names)


def test_every_offender_role_has_an_htcds_value_name():
    assert set(HTCDS_ROLE) == set(OffenderRole)
    assert set(HTCDS_ROLE.values()) <= PER_ROLE_IN_PROCESS
    assert HTCDS_ROLE[OffenderRole.RECRUITER] == "RecruiterOrIntermediary"
    assert HTCDS_ROLE[OffenderRole.EXPLOITER] == "Exploiter"
