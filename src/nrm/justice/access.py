"""Who may work on a criminal case: law-enforcement organisations, and only those on the case."""

from __future__ import annotations

from nrm.accounts.viewer import Viewer
from nrm.directory.models import OrganisationKind
from nrm.justice.models import CriminalCase

LAW_ENFORCEMENT_KINDS = frozenset({
    OrganisationKind.POLICE,
    OrganisationKind.PROSECUTOR,
    OrganisationKind.COURT,
    OrganisationKind.BORDER_SERVICE,
    OrganisationKind.MIGRATION_SERVICE,
    OrganisationKind.LABOUR_INSPECTORATE,
})


def is_law_enforcement(viewer: Viewer) -> bool:
    """The viewer works cases for a law-enforcement organisation."""
    return viewer.works_cases and viewer.membership.organisation.kind in LAW_ENFORCEMENT_KINDS


def works_on(viewer: Viewer, criminal_case: CriminalCase) -> bool:
    """The viewer works cases for the case's investigating agency or prosecutor's office."""
    return viewer.works_cases and viewer.organisation_id in (
        criminal_case.investigating_agency_id, criminal_case.prosecutor_office_id,
    )
