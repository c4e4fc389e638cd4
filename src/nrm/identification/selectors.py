"""Every read of identification. Each selector takes the viewer and returns only what the viewer
may see: the registry's rules, plus a competent authority's decision makers for the cases referred
to their authority (never the person's identity). Reads of a case and of a screening are audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.codes import normalise_code
from nrm.core.models import AuditAction
from nrm.identification.choices import (
    AppealOutcome,
    DecisionRequestStatus,
    IndicatorGroup,
    ScreeningStatus,
)
from nrm.identification.models import (
    Appeal,
    DecisionRequest,
    Indicator,
    IndicatorCatalogue,
    Screening,
    ScreeningAnswer,
    StatusDecision,
)
from nrm.registry.models import Case
from nrm.registry.selectors import cases_for_viewer

RECOVERY_WARNING_DAYS = 7
# Roles of a first responder whose worklist is their own screenings, not the whole organisation's.
_OWN_WORK_ONLY = frozenset({Role.HOTLINE_OPERATOR, Role.CASE_WORKER})


def is_deciding(viewer: Viewer) -> bool:
    """Whether the viewer is a decision maker of a competent authority."""
    return viewer.decides_status


def _referred_to_viewer(viewer: Viewer) -> QuerySet[Case]:
    """Cases referred to the viewer's authority for a decision (not withdrawn)."""
    if not is_deciding(viewer):
        return Case.objects.none()
    return Case.objects.filter(
        Exists(DecisionRequest.objects.filter(
            case=OuterRef("pk"), competent_authority_id=viewer.organisation_id,
        ).exclude(status=DecisionRequestStatus.WITHDRAWN))
    )


def may_see_case(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may see this case's identification records."""
    return (cases_for_viewer(viewer=viewer).filter(pk=case.pk).exists()
            or _referred_to_viewer(viewer).filter(pk=case.pk).exists())


def case_for_identification(*, viewer: Viewer, code: str, purpose: str = "") -> Case:
    """One case by code if the viewer may see it for identification, else 404. Audited.

    A decision maker of an authority the case was referred to sees the case by its code only:
    registry's identity_for_viewer keeps the identity to the case's own organisation."""
    normalised = normalise_code(code)
    if normalised is None:
        raise Http404
    visible = cases_for_viewer(viewer=viewer).filter(code=normalised).first()
    case = visible or _referred_to_viewer(viewer).filter(code=normalised).select_related(
        "person", "organisation", "case_worker").first()
    if case is None:
        raise Http404
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id, action=AuditAction.CASE_READ,
        obj=case, person_code=case.person.code, purpose=purpose or "identification",
    )
    return case


def _require_case(viewer: Viewer, case: Case) -> None:
    if not may_see_case(viewer, case):
        raise Http404


def screenings_for_case(*, viewer: Viewer, case: Case) -> QuerySet[Screening]:
    """The case's screenings, newest first, for a viewer who may see the case; else 404."""
    _require_case(viewer, case)
    return Screening.objects.filter(case=case).select_related(
        "catalogue", "organisation", "screener").order_by("-started_at", "-id")


def screening_for_viewer(*, viewer: Viewer, pk: int) -> Screening:
    """One screening with its answers and their indicators, or 404. Audited."""
    screening = (
        Screening.objects.select_related("case__person", "case__organisation", "catalogue",
                                         "organisation", "screener")
        .prefetch_related(Prefetch("answers", queryset=ScreeningAnswer.objects.select_related(
            "indicator").order_by("indicator__order", "indicator__code")))
        .filter(pk=pk).first()
    )
    if screening is None or not may_see_case(viewer, screening.case):
        raise Http404
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id,
        action=AuditAction.SCREENING_READ, obj=screening, person_code=screening.case.person.code,
    )
    return screening


def indicators_for_screening(*, screening: Screening) -> QuerySet[Indicator]:
    """The questions of the screening's catalogue that apply to it: every indicator common to all
    countries or of the case's country, and of the ILO/EC indicators only the chosen set's."""
    country = screening.case.organisation.country
    indicators = Indicator.objects.filter(catalogue_id=screening.catalogue_id).filter(
        Q(country="") | Q(country=country))
    ilo_ec = Q(group=IndicatorGroup.ILO_EC)
    if screening.indicator_set:
        indicators = indicators.filter(~ilo_ec | Q(indicator_set=screening.indicator_set))
    else:
        indicators = indicators.exclude(ilo_ec)
    return indicators.order_by("order", "code")


def decisions_for_case(*, viewer: Viewer, case: Case) -> QuerySet[StatusDecision]:
    """The case's whole decision history, oldest first, with appeals and what replaced what."""
    _require_case(viewer, case)
    return (
        StatusDecision.objects.filter(case=case)
        .select_related("competent_authority", "decided_by", "request", "replaces",
                        "from_appeal")
        .prefetch_related(
            Prefetch("appeals", queryset=Appeal.objects.select_related(
                "new_decision", "organisation", "recorded_by").order_by("lodged_on", "id")),
            Prefetch("screenings", queryset=Screening.objects.order_by("started_at")),
        )
        .order_by("decided_on", "created_at", "id")
    )


def requests_for_authority(*, viewer: Viewer) -> QuerySet[DecisionRequest]:
    """Referrals to the viewer's authority: those awaiting a decision first, by due date."""
    if not is_deciding(viewer):
        return DecisionRequest.objects.none()
    return (
        DecisionRequest.objects.filter(competent_authority_id=viewer.organisation_id)
        .exclude(status=DecisionRequestStatus.WITHDRAWN)
        .select_related("case__person", "requested_for", "requested_by")
        .order_by(CaseWhen(When(status=DecisionRequestStatus.PENDING, then=0), default=1),
                  "due_on", "id")
    )


def requests_for_case(*, viewer: Viewer, case: Case) -> QuerySet[DecisionRequest]:
    """The case's referrals for a decision, newest first."""
    _require_case(viewer, case)
    return DecisionRequest.objects.filter(case=case).select_related(
        "competent_authority", "requested_by").order_by("-requested_on", "-id")


def _with_indicators(catalogues: QuerySet[IndicatorCatalogue]) -> QuerySet[IndicatorCatalogue]:
    return catalogues.prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.order_by("order", "code")))


def current_catalogue() -> IndicatorCatalogue:
    """The catalogue new screenings use, with its indicators; 404 if none is published."""
    catalogue = _with_indicators(IndicatorCatalogue.objects.filter(is_current=True)).order_by(
        "-published_on", "-version").first()
    if catalogue is None:
        raise Http404
    return catalogue


def catalogue_for_version(version: str) -> IndicatorCatalogue:
    """One catalogue version with its indicators (old versions stay readable), or 404."""
    catalogue = _with_indicators(IndicatorCatalogue.objects.filter(version=version)).first()
    if catalogue is None:
        raise Http404
    return catalogue


@dataclass(frozen=True)
class Worklist:
    screenings_in_progress: list[Screening]
    decisions_overdue: list[DecisionRequest]
    recovery_ending_soon: list[StatusDecision]
    appeals_pending: list[Appeal]

    @property
    def is_empty(self) -> bool:
        return not (self.screenings_in_progress or self.decisions_overdue
                    or self.recovery_ending_soon or self.appeals_pending)


def worklist_for_viewer(*, viewer: Viewer, today: dt.date | None = None) -> Worklist:
    """What is due for the viewer, in four queries: screenings in progress, decisions overdue,
    recovery periods ending in the next 7 days and appeals pending.

    A first responder sees their organisation's cases (a case worker or hotline operator only
    those they screen or are responsible for); a decision maker of a competent authority sees
    what was referred to, or decided by, the authority."""
    today = today or timezone.localdate()
    # Decision makers are case roles too, so this covers an authority's decision makers.
    if not viewer.works_cases:
        return Worklist(screenings_in_progress=[], decisions_overdue=[],
                        recovery_ending_soon=[], appeals_pending=[])
    organisation_id = viewer.organisation_id

    in_progress = Screening.objects.filter(organisation_id=organisation_id,
                                           status=ScreeningStatus.IN_PROGRESS)
    if viewer.role in _OWN_WORK_ONLY:
        in_progress = in_progress.filter(Q(screener=viewer.user)
                                         | Q(case__case_worker=viewer.user))
    screenings = list(in_progress.select_related("case__person", "screener")
                      .order_by("started_at", "id"))

    request_scope = Q(requested_for_id=organisation_id)
    decision_scope = Q(case__organisation_id=organisation_id)
    appeal_scope = Q(decision__case__organisation_id=organisation_id)
    if is_deciding(viewer):
        request_scope |= Q(competent_authority_id=organisation_id)
        decision_scope |= Q(competent_authority_id=organisation_id)
        appeal_scope |= Q(decision__competent_authority_id=organisation_id)

    overdue = list(
        DecisionRequest.objects.filter(request_scope, status=DecisionRequestStatus.PENDING,
                                       due_on__lt=today)
        .select_related("case__person", "competent_authority", "requested_for")
        .order_by("due_on", "id")
    )
    # The latest decision on a case is the one in force; an older one's period is not news.
    later = StatusDecision.objects.filter(case=OuterRef("case"), pk__gt=OuterRef("pk"))
    ending = list(
        StatusDecision.objects.filter(
            decision_scope, recovery_period_ends__gte=today,
            recovery_period_ends__lte=today + dt.timedelta(days=RECOVERY_WARNING_DAYS))
        .exclude(Exists(later))
        .select_related("case__person", "competent_authority")
        .order_by("recovery_period_ends", "id")
    )
    appeals = list(
        Appeal.objects.filter(appeal_scope, outcome=AppealOutcome.PENDING)
        .select_related("decision__case__person", "decision__competent_authority")
        .order_by("lodged_on", "id")
    )
    return Worklist(screenings_in_progress=screenings, decisions_overdue=overdue,
                    recovery_ending_soon=ending, appeals_pending=appeals)
