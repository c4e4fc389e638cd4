"""Every read of referrals. Each selector takes the viewer and returns only what the viewer may
see: the referring organisation sees its own referrals on its cases; the receiving organisation
sees its inbox, and the case only within the shared fields of a referral it has accepted."""

from __future__ import annotations

from django.db.models import QuerySet

from nrm.accounts.viewer import Viewer
from nrm.referrals.choices import WORKING_STATUSES
from nrm.referrals.models import Referral
from nrm.registry.models import Case


def referral_granting(*, viewer: Viewer, case: Case) -> Referral | None:
    """The accepted or in-progress referral of `case` to the viewer's organisation that lets it
    work on the case (record services), or None."""
    if not viewer.works_cases:
        return None
    return (Referral.objects.select_related("from_organisation", "to_organisation")
            .filter(case=case, to_organisation_id=viewer.organisation_id,
                    status__in=WORKING_STATUSES)
            .order_by("-sent_at", "-id").first())


def referred_cases_for_viewer(*, viewer: Viewer) -> QuerySet[Case]:
    """Cases the viewer's organisation works on through accepted or in-progress referrals."""
    if not viewer.works_cases:
        return Case.objects.none()
    return Case.objects.filter(
        pk__in=Referral.objects.filter(to_organisation_id=viewer.organisation_id,
                                       status__in=WORKING_STATUSES,
                                       case__isnull=False).values("case_id"),
    ).order_by("-opened_on", "-id")
