"""Who may see and record what of a case's assistance. Every access decision of the app is made
here, so that selectors, services, views and the API ask the same questions.

- The case's own organisation (its case roles) sees and records everything on its case.
- An organisation that a case was referred to, while the referral is accepted or in progress,
  records the services it gives (and the reception on arrival of a return it receives), and
  sees the support plans and its own service records. Once the referral is completed it keeps
  reading what it recorded, and may change nothing; a cancelled (declined, expired) referral
  gives nothing.
- A national coordinator, or a member of the case's organisation who does not work cases,
  knows the case but is refused its assistance (403): coordinators get figures, not records.
- Anyone else sees nothing (404), exactly as if the case did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.codes import normalise_code
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.selectors import referral_granting
from nrm.registry.choices import ConsentPurpose
from nrm.registry.models import Case, Consent, Person


def referral_grant(*, viewer: Viewer, case: Case) -> Referral | None:
    """The accepted (or in-progress) referral of ``case`` to the viewer's organisation, through
    which that organisation works on the case; None when there is none."""
    return referral_granting(viewer=viewer, case=case)


def referral_completed(*, viewer: Viewer, case: Case) -> Referral | None:
    """The latest completed referral of ``case`` to the viewer's organisation: it may still read
    what it recorded, and change nothing."""
    if not viewer.works_cases:
        return None
    return (Referral.objects.select_related("from_organisation", "to_organisation")
            .filter(case=case, to_organisation_id=viewer.organisation_id,
                    status=ReferralStatus.COMPLETED)
            .order_by("-completed_at", "-id").first())


@dataclass(frozen=True)
class AssistanceAccess:
    """What one viewer may do with one case's assistance."""

    viewer: Viewer
    case: Case
    owner: bool
    # The referral through which a receiving organisation works on (or worked on) the case.
    referral: Referral | None = None
    # False once that referral is completed: the receiving organisation only reads.
    writes: bool = True

    @property
    def organisation_id(self) -> int:
        return self.viewer.organisation_id

    @property
    def sees_everything(self) -> bool:
        """The case's own organisation: plans, every service, returns and follow-ups."""
        return self.owner

    @property
    def records_plans(self) -> bool:
        return self.owner

    @property
    def receives(self) -> bool:
        """The viewer's organisation works on the case through a referral (not its own)."""
        return not self.owner and self.referral is not None

    @property
    def records_services(self) -> bool:
        return self.owner or (self.receives and self.writes)

    @property
    def records_returns(self) -> bool:
        return self.owner

    @property
    def works_follow_ups(self) -> bool:
        return self.owner

    def sees_record(self, recorded_for_id: int) -> bool:
        """Whether a service record made by ``recorded_for_id`` is visible: the owner sees every
        record on its case, a receiving organisation those it made itself."""
        return self.owner or recorded_for_id == self.organisation_id

    def sees_journey(self, receiving_organisation_id: int | None) -> bool:
        """The owner sees every return; a receiving organisation those it receives."""
        return self.owner or (self.receives
                              and receiving_organisation_id == self.organisation_id)

    def records_reception(self, receiving_organisation_id: int | None) -> bool:
        """The owner, or the journey's receiving organisation working on the case by referral."""
        return self.owner or (self.writes and self.sees_journey(receiving_organisation_id))


def assistance_access(*, viewer: Viewer, case: Case) -> AssistanceAccess | None:
    """The viewer's access to the case's assistance, or None when they may see none of it."""
    if not viewer.works_cases:
        return None
    if case.organisation_id == viewer.organisation_id:
        return AssistanceAccess(viewer=viewer, case=case, owner=True)
    referral = referral_grant(viewer=viewer, case=case)
    if referral is not None:
        return AssistanceAccess(viewer=viewer, case=case, owner=False, referral=referral)
    completed = referral_completed(viewer=viewer, case=case)
    if completed is not None:
        return AssistanceAccess(viewer=viewer, case=case, owner=False, referral=completed,
                                writes=False)
    return None


def require_access(*, viewer: Viewer, case: Case) -> AssistanceAccess:
    """The viewer's access to the case's assistance; 404 when they have none."""
    access = assistance_access(viewer=viewer, case=case)
    if access is None:
        raise Http404
    return access


def case_by_code(*, viewer: Viewer, code: str) -> AssistanceAccess:
    """The case with this code and the viewer's access to it.

    404 when the code is not valid, names no case, or names one the viewer may not know of
    (the three look alike). 403 when the viewer knows the case but their role keeps them from
    its assistance: a member of the case's organisation who does not work cases, or a national
    coordinator, who sees figures and never assistance records."""
    normalised = normalise_code(code)
    if normalised is None:
        raise Http404
    case = (Case.objects.select_related("person", "organisation", "case_worker")
            .filter(code=normalised).first())
    if case is None:
        raise Http404
    access = assistance_access(viewer=viewer, case=case)
    if access is not None:
        return access
    if case.organisation_id == viewer.organisation_id or (
        viewer.sees_national_cases and case.organisation.country == viewer.country
    ):
        raise PermissionDenied(_("Your role does not give access to assistance records; "
                                 "national coordinators see assistance in the figures."))
    raise Http404


def _latest_follow_up_consent(person_ref: Any) -> QuerySet[Consent]:
    # The latest answer for the purpose decides: a later refusal overrides an earlier consent.
    return (Consent.objects.filter(person_id=person_ref, purpose=ConsentPurpose.FOLLOW_UP)
            .order_by("-recorded_at", "-pk"))


def follow_up_consent_in_force(person: Person) -> bool:
    """Whether the person's latest answer on follow-up contact is a consent not withdrawn."""
    latest = _latest_follow_up_consent(person.pk).first()
    return latest is not None and latest.in_force


def with_follow_up_consent(queryset: QuerySet[Any], person_path: str) -> QuerySet[Any]:
    """The rows annotated with ``follow_up_consent``: whether their person (at
    ``person_path``, such as "case__person") has follow-up consent in force, decided in the
    database so that a worklist stays one query."""
    latest = _latest_follow_up_consent(OuterRef(f"{person_path}_id")).values("pk")[:1]
    in_force = Consent.objects.filter(pk=OuterRef("latest_follow_up_consent"), given=True,
                                      withdrawn_at__isnull=True)
    return queryset.annotate(latest_follow_up_consent=Subquery(latest)).annotate(
        follow_up_consent=Exists(in_force))
