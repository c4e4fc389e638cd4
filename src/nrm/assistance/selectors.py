"""Every read of assistance. Each selector takes the viewer and returns only what access.py
lets them see; fetching a case's assistance is audited (ASSISTANCE_READ).

Nothing here reads criminal proceedings: assistance never depends on cooperation with law
enforcement.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.assistance.access import (
    AssistanceAccess,
    case_by_code,
    follow_up_consent_in_force,
    with_follow_up_consent,
)
from nrm.assistance.choices import ASSISTANCE_SERVICE_TYPES, service_type_label
from nrm.assistance.models import FollowUp, ReturnJourney, ServiceRecord, SupportPlan
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.referrals.models import Referral
from nrm.referrals.selectors import referrals_for_case

# How far ahead the worklist looks for contacts coming up.
DUE_SOON_DAYS = 7
# Roles whose worklist is their own contacts and cases, not the whole organisation's.
_OWN_WORK_ONLY = frozenset({Role.HOTLINE_OPERATOR, Role.CASE_WORKER})


def case_for_assistance(*, viewer: Viewer, code: str, purpose: str = "") -> AssistanceAccess:
    """The case with this code and what the viewer may do with its assistance; 404 for a case
    the viewer may not assist. Audited: every screen and endpoint of a case's assistance
    fetches through here."""
    access = case_by_code(viewer=viewer, code=code)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.ASSISTANCE_READ, obj=access.case,
                 person_code=access.case.person.code, purpose=purpose or "assistance")
    return access


def _plans(access: AssistanceAccess) -> QuerySet[SupportPlan]:
    return SupportPlan.objects.filter(case=access.case).select_related("recorded_for")


def _services(access: AssistanceAccess) -> QuerySet[ServiceRecord]:
    records = ServiceRecord.objects.filter(case=access.case)
    if not access.sees_everything:
        records = records.filter(recorded_for_id=access.organisation_id)
    return records.select_related("provider", "recorded_for", "support_plan",
                                  "referral__to_organisation")


def _journeys(access: AssistanceAccess) -> QuerySet[ReturnJourney]:
    journeys = ReturnJourney.objects.filter(case=access.case)
    if not access.sees_everything:
        # A receiving partner sees the journeys it receives, to record the reception.
        if not access.receives:
            return ReturnJourney.objects.none()
        journeys = journeys.filter(receiving_organisation_id=access.organisation_id)
    return journeys.select_related("receiving_organisation", "recorded_for")


def _follow_ups(access: AssistanceAccess) -> QuerySet[FollowUp]:
    if not access.works_follow_ups:
        return FollowUp.objects.none()
    return FollowUp.objects.filter(case=access.case).select_related("assigned_to")


def support_plan_for_viewer(*, access: AssistanceAccess, pk: int) -> SupportPlan:
    """One support plan of the case the viewer may see, or 404."""
    plan = _plans(access).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def service_record_for_viewer(*, access: AssistanceAccess, pk: int) -> ServiceRecord:
    """One service record of the case the viewer may see (a receiving organisation: its own),
    or 404."""
    record = _services(access).filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def return_journey_for_viewer(*, access: AssistanceAccess, pk: int) -> ReturnJourney:
    """One return journey of the case the viewer may see, or 404."""
    journey = _journeys(access).filter(pk=pk).first()
    if journey is None:
        raise Http404
    return journey


def follow_up_for_viewer(*, access: AssistanceAccess, pk: int) -> FollowUp:
    """One follow-up contact of the case, for its own organisation only; else 404."""
    follow_up = _follow_ups(access).filter(pk=pk).first()
    if follow_up is None:
        raise Http404
    return follow_up


@dataclass(frozen=True)
class ServiceTotals:
    """What the records add up to: nights in shelter, cost and amounts given per currency
    (never added across currencies), and records per service type."""

    records: int
    nights: int
    cost_by_currency: tuple[tuple[str, Decimal], ...]
    amount_by_currency: tuple[tuple[str, Decimal], ...]
    by_type: tuple[tuple[str, str, int], ...]  # (code, label, records)


def service_totals(records: list[ServiceRecord]) -> ServiceTotals:
    """The totals of service records the caller already holds through a selector."""
    cost: dict[str, Decimal] = defaultdict(Decimal)
    amount: dict[str, Decimal] = defaultdict(Decimal)
    for record in records:
        if record.cost is not None:
            cost[record.currency] += record.cost
        if record.amount is not None:
            amount[record.currency] += record.amount
    counts = Counter(record.service_type for record in records)
    return ServiceTotals(
        records=len(records),
        nights=sum(record.nights or 0 for record in records),
        cost_by_currency=tuple(sorted(cost.items())),
        amount_by_currency=tuple(sorted(amount.items())),
        by_type=tuple((code, service_type_label(code), counts[code])
                      for code in ASSISTANCE_SERVICE_TYPES if counts[code]),
    )


@dataclass(frozen=True)
class ReferralProgress:
    """What has been recorded so far against one referral of the case."""

    referral: Referral
    totals: ServiceTotals


def referral_progress(access: AssistanceAccess,
                      services: list[ServiceRecord]) -> list[ReferralProgress]:
    """The referrals of the case the viewer may follow, each with the totals of the service
    records (already held through a selector) that answer it: every referral of the case for
    its own organisation, the viewer's own for a receiving organisation."""
    if access.owner:
        referrals = list(referrals_for_case(viewer=access.viewer, case=access.case))
    else:
        referrals = [access.referral] if access.referral is not None else []
    return [ReferralProgress(referral=referral, totals=service_totals(
        [record for record in services if record.referral_id == referral.pk]))
        for referral in referrals]


@dataclass(frozen=True)
class AssistanceOverview:
    """A case's assistance as the viewer may see it."""

    access: AssistanceAccess
    plans: list[SupportPlan]
    services: list[ServiceRecord]
    totals: ServiceTotals
    referrals: list[ReferralProgress]
    journeys: list[ReturnJourney]
    follow_ups: list[FollowUp]
    # None when the viewer does not follow the person up.
    follow_up_consent: bool | None


def assistance_for_case(*, access: AssistanceAccess) -> AssistanceOverview:
    """Everything of the case's assistance that the viewer (already holding ``access`` through
    case_for_assistance) may see, in a fixed number of queries."""
    services = list(_services(access).order_by("-started_on", "-id"))
    return AssistanceOverview(
        access=access,
        plans=list(_plans(access).order_by("actual_end_on", "-started_on", "-id")),
        services=services,
        totals=service_totals(services),
        referrals=referral_progress(access, services),
        journeys=list(_journeys(access)),
        follow_ups=list(_follow_ups(access).order_by("-planned_on", "-id")),
        follow_up_consent=(follow_up_consent_in_force(access.case.person)
                           if access.works_follow_ups else None),
    )


@dataclass(frozen=True)
class FollowUpWorklist:
    """Follow-up contacts to make: overdue first, then those coming up; and those on hold
    because the person's follow-up consent is no longer in force."""

    overdue: list[FollowUp]
    due_soon: list[FollowUp]
    on_hold: list[FollowUp]

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_soon or self.on_hold)


def follow_ups_due_for_viewer(*, viewer: Viewer, today: dt.date | None = None) -> FollowUpWorklist:
    """The viewer's follow-up worklist, in one query (audited): contacts not yet made up to a
    week ahead, each with the risk and well-being found at the person's last contact.

    A supervisor sees the organisation's; a case worker or hotline operator the contacts
    assigned to them and those on cases they are responsible for."""
    if not viewer.works_cases:
        return FollowUpWorklist(overdue=[], due_soon=[], on_hold=[])
    today = today or timezone.localdate()
    pending = FollowUp.objects.filter(case__organisation_id=viewer.organisation_id,
                                      done_on__isnull=True,
                                      planned_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    if viewer.role in _OWN_WORK_ONLY:
        pending = pending.filter(Q(assigned_to=viewer.user) | Q(case__case_worker=viewer.user))
    last_contact = (FollowUp.objects.filter(case_id=OuterRef("case_id"), done_on__isnull=False)
                    .order_by("-done_on", "-id"))
    rows = list(
        with_follow_up_consent(pending, "case__person")
        .annotate(last_risk=Subquery(last_contact.values("risk")[:1]),
                  last_well_being=Subquery(last_contact.values("well_being")[:1]),
                  last_reached=Subquery(last_contact.values("reached")[:1]),
                  last_done_on=Subquery(last_contact.values("done_on")[:1]))
        .select_related("case__person", "assigned_to")
        .order_by("planned_on", "id")
    )
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.ASSISTANCE_READ, purpose="follow-up worklist",
                 fields=["follow_ups"])
    held = [row for row in rows if not row.follow_up_consent]
    active = [row for row in rows if row.follow_up_consent]
    return FollowUpWorklist(
        overdue=[row for row in active if row.planned_on < today],
        due_soon=[row for row in active if row.planned_on >= today],
        on_hold=held,
    )
