"""Every read of criminal proceedings. Law enforcement sees the cases it works on; a victim's
case worker sees only what concerns their own person (stage, hearings, role, compensation)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.justice.models import (
    CaseLink,
    Compensation,
    CriminalCase,
    LegalAssistanceRequest,
    Participant,
    Qualification,
)
from nrm.registry.models import Case


def criminal_cases_for_viewer(*, viewer: Viewer) -> QuerySet[CriminalCase]:
    """The criminal cases the viewer works on: their organisation investigates or prosecutes."""
    if not viewer.works_cases:
        return CriminalCase.objects.none()
    return (
        CriminalCase.objects.filter(
            Q(investigating_agency_id=viewer.organisation_id)
            | Q(prosecutor_office_id=viewer.organisation_id)
        )
        .select_related("investigating_agency", "prosecutor_office")
        .order_by("-opened_on", "-id")
    )


def criminal_case_for_viewer(*, viewer: Viewer, pk: int) -> CriminalCase:
    """One criminal case the viewer works on, with its history and people, or 404. Audited."""
    criminal_case = (
        criminal_cases_for_viewer(viewer=viewer)
        .prefetch_related(
            Prefetch("qualifications",
                     queryset=Qualification.objects.prefetch_related("articles")),
            "stage_changes", "hearings", "offenders__charges__article",
            Prefetch("participants",
                     queryset=Participant.objects.select_related("case__person")
                     .prefetch_related("compensations")),
            "legal_assistance_requests",
        )
        .filter(pk=pk)
        .first()
    )
    if criminal_case is None:
        raise Http404
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.CRIMINAL_CASE_READ, obj=criminal_case)
    return criminal_case


def current_qualification(criminal_case: CriminalCase) -> Qualification | None:
    """The version of the qualification in force: the latest from the latest date."""
    versions = list(criminal_case.qualifications.all())
    if not versions:
        return None
    return max(versions, key=lambda version: (version.valid_from, version.recorded_at))


@dataclass(frozen=True)
class CompensationView:
    route: str
    route_label: str
    currency: str
    claimed: Decimal | None
    claimed_on: dt.date | None
    awarded: Decimal | None
    awarded_on: dt.date | None
    paid: Decimal | None
    paid_on: dt.date | None


@dataclass(frozen=True)
class VictimView:
    """What a victim's case worker may know of one criminal case the person takes part in:
    nothing of offenders, other participants, the qualification, links or legal assistance."""

    participant_id: int
    country: str
    stage: str
    stage_label: str
    stage_since: dt.date
    upcoming_hearings: tuple[dt.date, ...]
    past_hearings: tuple[dt.date, ...]
    role: str
    role_label: str
    cooperation: str
    cooperation_label: str
    compensations: tuple[CompensationView, ...]


def _compensation_view(compensation: Compensation) -> CompensationView:
    return CompensationView(
        route=compensation.route, route_label=compensation.get_route_display(),
        currency=compensation.currency, claimed=compensation.claimed,
        claimed_on=compensation.claimed_on, awarded=compensation.awarded,
        awarded_on=compensation.awarded_on, paid=compensation.paid, paid_on=compensation.paid_on,
    )


def victim_view_for_case(*, viewer: Viewer, case: Case) -> list[VictimView]:
    """The criminal proceedings the registry case's person takes part in, as their own case
    workers may see them; 404 for anyone else. Audited once per criminal case."""
    if not viewer.works_cases or case.organisation_id != viewer.organisation_id:
        raise Http404
    participations = (
        Participant.objects.filter(case=case)
        .select_related("criminal_case")
        .prefetch_related("criminal_case__hearings", "compensations")
        .order_by("criminal_case__opened_on", "pk")
    )
    today = timezone.localdate()
    views = []
    for participant in participations:
        criminal_case = participant.criminal_case
        dates = [hearing.on for hearing in criminal_case.hearings.all()]
        views.append(VictimView(
            participant_id=participant.pk, country=criminal_case.country,
            stage=criminal_case.stage, stage_label=criminal_case.get_stage_display(),
            stage_since=criminal_case.stage_since,
            upcoming_hearings=tuple(sorted(on for on in dates if on >= today)),
            past_hearings=tuple(sorted(on for on in dates if on < today)),
            role=participant.role, role_label=participant.get_role_display(),
            cooperation=participant.cooperation,
            cooperation_label=participant.get_cooperation_display(),
            compensations=tuple(_compensation_view(c) for c in participant.compensations.all()),
        ))
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.CRIMINAL_CASE_READ, obj=criminal_case,
                     person_code=case.person.code, purpose="victim view")
    return views


def legal_assistance_overdue(*, viewer: Viewer) -> QuerySet[LegalAssistanceRequest]:
    """Requests for legal assistance on the viewer's cases whose answer is past due."""
    return (
        LegalAssistanceRequest.objects.filter(
            criminal_case__in=criminal_cases_for_viewer(viewer=viewer),
            answered_on__isnull=True,
            answer_due_on__lt=timezone.localdate(),
        )
        .select_related("criminal_case")
        .order_by("answer_due_on", "pk")
    )


def links_of(criminal_case: CriminalCase) -> list[CaseLink]:
    """The links of a criminal case the caller already holds through criminal_case_for_viewer,
    in either direction, with both cases loaded."""
    return list(
        CaseLink.objects.filter(Q(from_case=criminal_case) | Q(to_case=criminal_case))
        .select_related("from_case", "to_case").order_by("pk")
    )
