"""Every read of referrals. Each selector takes the viewer and returns only what the viewer may
see: the referring organisation sees its referrals and their history on its cases; the receiving
organisation sees its inbox (a summary: who asks for what, how urgently, and the non-identifying
profile if it was shared), and the case only within the fields shared by a referral it has
accepted. A third organisation sees nothing: not found, exactly as if it did not exist."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case as CaseWhen
from django.db.models import IntegerField, Prefetch, QuerySet, Value, When
from django.http import Http404

from nrm.accounts.roles import REGISTERING_ROLES
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.codes import normalise_code
from nrm.core.models import AuditAction
from nrm.referrals import sharing
from nrm.referrals.choices import (
    FINAL_STATUSES,
    SHARED_STATUSES,
    WORKING_STATUSES,
    ReferralStatus,
)
from nrm.referrals.models import Referral, ReferralStatusChange
from nrm.registry.models import Case
from nrm.registry.selectors import cases_for_viewer

REFERRER, RECEIVER = "referrer", "receiver"
# The inbox's tabs: waiting for an answer, being worked on, closed.
WAITING, WORKING, CLOSED = "waiting", "working", "closed"
INBOX_TABS = {
    WAITING: [ReferralStatus.SENT],
    WORKING: sorted(WORKING_STATUSES),
    CLOSED: sorted(FINAL_STATUSES),
}


def _with_history(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    return referrals.prefetch_related(Prefetch(
        "history", queryset=ReferralStatusChange.objects.select_related("by", "organisation")))


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


def acts_on_referrals(viewer: Viewer) -> bool:
    """Whether the viewer sends, answers and works referrals for their organisation."""
    return viewer.role in REGISTERING_ROLES


def _person_code(referral: Referral) -> str:
    case = referral.case or referral.receiving_case
    return case.person.code if case is not None else ""


def inbox_for_viewer(*, viewer: Viewer, tab: str = WAITING) -> QuerySet[Referral]:
    """Referrals to the viewer's organisation in one tab of the inbox: those waiting for an
    answer by deadline (overdue first), the others newest first."""
    if not viewer.works_cases or tab not in INBOX_TABS:
        return Referral.objects.none()
    referrals = Referral.objects.filter(to_organisation_id=viewer.organisation_id,
                                        status__in=INBOX_TABS[tab])
    order = ["due_at", "id"] if tab == WAITING else ["-sent_at", "-id"]
    return referrals.select_related("from_organisation", "to_organisation").order_by(*order)


def inbox_waiting_count(*, viewer: Viewer) -> int:
    """How many referrals wait for the viewer's organisation to answer (the menu's number)."""
    if not viewer.works_cases:
        return 0
    return Referral.objects.filter(to_organisation_id=viewer.organisation_id,
                                   status=ReferralStatus.SENT).count()


def referrals_sent_for_viewer(*, viewer: Viewer) -> QuerySet[Referral]:
    """Referrals the viewer's organisation sent, open ones first, newest first."""
    if not viewer.works_cases:
        return Referral.objects.none()
    closed_last = CaseWhen(When(status__in=list(FINAL_STATUSES), then=Value(1)), default=Value(0),
                          output_field=IntegerField())
    return (Referral.objects.filter(from_organisation_id=viewer.organisation_id)
            .select_related("case", "to_organisation")
            .order_by(closed_last, "-sent_at", "-id"))


def _case_visible(viewer: Viewer, case: Case) -> bool:
    return cases_for_viewer(viewer=viewer).filter(pk=case.pk).exists()


def referrals_for_case(*, viewer: Viewer, case: Case) -> QuerySet[Referral]:
    """The referrals of a case with their history, for those who see the case; 404 for others."""
    if not _case_visible(viewer, case):
        raise Http404
    return _with_history(Referral.objects.filter(case=case)
                         .select_related("case", "from_organisation", "to_organisation",
                                         "sent_by")
                         .order_by("-sent_at", "-id"))


@dataclass(frozen=True)
class ReferralSeen:
    """A referral and the side the viewer reads it from."""

    referral: Referral
    side: str  # REFERRER or RECEIVER

    @property
    def profile(self) -> dict[str, Any]:
        """The non-identifying profile, where it was shared: part of the inbox summary."""
        shared = self.referral.shared or {}
        return {code: shared[code] for code in sharing.EMERGENCY_MINIMUM if code in shared}

    @property
    def shows_case(self) -> bool:
        """Whether the receiving side may open the shared case now."""
        return self.side == RECEIVER and self.referral.status in SHARED_STATUSES


def referral_for_viewer(*, viewer: Viewer, code: str, purpose: str = "") -> ReferralSeen:
    """One referral by code, for the referring side (those who see its case) or the receiving
    side (those who answer referrals); 404 for anyone else. Audited."""
    normalised = normalise_code(code)
    if normalised is None:
        raise Http404
    referral = _with_history(Referral.objects.select_related(
        "case__person", "receiving_case__person", "from_organisation", "to_organisation",
        "sent_by", "responded_by", "agreement")).filter(code=normalised).first()
    if referral is None:
        raise Http404
    if referral.case is not None and _case_visible(viewer, referral.case):
        side = REFERRER
    elif viewer.works_cases and referral.to_organisation_id == viewer.organisation_id:
        side = RECEIVER
    else:
        raise Http404
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.REFERRAL_READ, obj=referral,
                 person_code=_person_code(referral), purpose=purpose or side)
    return ReferralSeen(referral=referral, side=side)


@dataclass(frozen=True)
class SharedCase:
    """What the receiving organisation may see of a referred case: the shared fields only."""

    referral: Referral
    values: dict[str, Any]

    @property
    def person_code(self) -> str:
        return str(self.values.get(sharing.ALWAYS, ""))

    def has(self, code: str) -> bool:
        return code in self.values


def shared_case_for_viewer(*, viewer: Viewer, code: str) -> SharedCase:
    """The case of an accepted, in-progress or completed referral to the viewer's organisation,
    within exactly the fields that were shared; 404 for anyone else and for a referral not (or
    no longer) accepted. Audited with the fields read."""
    normalised = normalise_code(code)
    if normalised is None or not viewer.works_cases:
        raise Http404
    referral = (Referral.objects.select_related("case__person", "receiving_case__person",
                                                "from_organisation", "to_organisation")
                .filter(code=normalised, to_organisation_id=viewer.organisation_id,
                        status__in=SHARED_STATUSES).first())
    if referral is None:
        raise Http404
    values = dict(referral.shared or {})
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.SHARED_CASE_READ, obj=referral,
                 person_code=_person_code(referral), fields=list(values))
    return SharedCase(referral=referral, values=values)
