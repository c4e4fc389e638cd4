"""Every read of interchange: HTCDS exports of cases, and the viewer's own imports."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.models import SupportPlan
from nrm.core.audit import audit_record
from nrm.core.middleware import current_ip
from nrm.core.models import AuditAction, AuditEntry
from nrm.identification.models import StatusDecision
from nrm.interchange.htcds.columns import Column
from nrm.interchange.htcds.export import CaseRecord, Cell, case_row, export_columns
from nrm.interchange.models import ExportFile, HtcdsImport
from nrm.referrals.models import Referral
from nrm.registry.models import Case
from nrm.registry.selectors import cases_for_viewer

# Cases fetched at once while an export is written: a fixed number of queries per chunk.
EXPORT_CHUNK = 500
RECENT_IMPORTS = 20


def may_export(viewer: Viewer) -> bool:
    """Case roles export their organisation's cases; a national coordinator, the country's."""
    return viewer.works_cases or viewer.sees_national_cases


def may_export_identity(viewer: Viewer) -> bool:
    """Identity leaves only with the case roles of the persons' own organisation."""
    return viewer.works_cases and viewer.sees_identity


def may_export_plans(viewer: Viewer) -> bool:
    """Support plans (spl_) leave with the case roles of the case's own organisation, as the
    assistance app shows them (nrm.assistance.access): a national coordinator sees assistance
    as figures only, so their export has no spl_ columns."""
    return viewer.works_cases


def may_import(viewer: Viewer) -> bool:
    """Importing registers persons: the roles that register them."""
    return viewer.registers


@dataclass(frozen=True)
class ExportFilters:
    status: str = ""
    opened_from: dt.date | None = None
    opened_to: dt.date | None = None
    mine: bool = False
    identity: bool = False

    def as_params(self) -> dict[str, object]:
        """As a job keeps them (JSON)."""
        return {"status": self.status,
                "opened_from": self.opened_from.isoformat() if self.opened_from else None,
                "opened_to": self.opened_to.isoformat() if self.opened_to else None,
                "mine": self.mine, "identity": self.identity}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> ExportFilters:
        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(status=params.get("status") or "", opened_from=day(params.get("opened_from")),
                   opened_to=day(params.get("opened_to")), mine=bool(params.get("mine")),
                   identity=bool(params.get("identity")))

    def described(self) -> str:
        """The filters as the audit entry keeps them."""
        parts = [f"status={self.status}" if self.status else "",
                 f"from={self.opened_from}" if self.opened_from else "",
                 f"to={self.opened_to}" if self.opened_to else "",
                 "mine" if self.mine else "", "identity" if self.identity else ""]
        return " ".join(part for part in parts if part)


@dataclass
class HtcdsExport:
    """An export ready to be written: its columns, how many cases, and their rows (read lazily,
    a chunk of cases at a time)."""

    columns: list[Column]
    count: int
    rows: Iterator[list[Cell]]


def _export_cases(viewer: Viewer, filters: ExportFilters) -> QuerySet[Case]:
    cases = cases_for_viewer(viewer=viewer, mine=filters.mine, status=filters.status or None)
    if filters.opened_from:
        cases = cases.filter(opened_on__gte=filters.opened_from)
    if filters.opened_to:
        cases = cases.filter(opened_on__lte=filters.opened_to)
    return cases


@dataclass(frozen=True)
class _IdentityAudit:
    """One audit entry per person whose identity leaves in an export, written as each chunk of
    rows is made, so that the log names exactly the persons the file holds."""

    viewer: Viewer
    fields: list[str]
    purpose: str

    def record(self, cases: Sequence[Case]) -> None:
        ip = current_ip.get()
        AuditEntry.objects.bulk_create(
            AuditEntry(actor=self.viewer.user, organisation_id=self.viewer.organisation_id,
                       action=AuditAction.EXPORT, object_type="case", object_id=str(case.pk),
                       person_code=case.person.code, fields=self.fields, purpose=self.purpose,
                       ip=ip)
            for case in cases)


def _rows(ids: list[int], columns: list[Column], identity_audit: _IdentityAudit | None, *,
          plans: bool) -> Iterator[list[Cell]]:
    identity = identity_audit is not None
    for start in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[start:start + EXPORT_CHUNK]
        related = ["person", "organisation", "case_worker", "reported_status"]
        if identity:
            related.append("person__identity")
        # Prefetched into plain lists (to_attr): no queryset is cloned per case.
        chunk_cases = (
            Case.objects.filter(pk__in=chunk).order_by()
            .select_related(*related)
            .prefetch_related(
                Prefetch("events", to_attr="export_events"),
                Prefetch("person__consents", to_attr="export_consents"),
                Prefetch("decisions", to_attr="export_decisions",
                         queryset=StatusDecision.objects.select_related("competent_authority")),
                Prefetch("referrals", to_attr="export_referrals",
                         queryset=Referral.objects.select_related("to_organisation")
                         .order_by("sent_at", "id")),
            )
        )
        if plans:
            # Only the columns a row writes: without identity, the encrypted texts stay shut.
            plan_fields = ["id", "case_id", "plan_type", "planned_end_on", "actual_end_on"]
            if identity:
                plan_fields += ["objectives", "action_plan"]
            chunk_cases = chunk_cases.prefetch_related(Prefetch(
                "support_plans", to_attr="export_plans",
                queryset=SupportPlan.objects.only(*plan_fields)))
        fetched = {case.pk: case for case in chunk_cases}
        incoming = {referral.receiving_case_id: referral for referral in
                    Referral.objects.filter(receiving_case_id__in=chunk).order_by("sent_at")}
        cases = [fetched[pk] for pk in chunk]
        if identity_audit is not None:
            identity_audit.record(cases)
        for case in cases:
            yield case_row(CaseRecord(
                case=case,
                identity=getattr(case.person, "identity", None) if identity else None,
                events=case.export_events,
                consents=case.person.export_consents,  # type: ignore[attr-defined]
                decisions=case.export_decisions,
                referrals=case.export_referrals,
                incoming=incoming.get(case.pk),
                plans=getattr(case, "export_plans", []),
            ), columns)


def htcds_export(*, viewer: Viewer, filters: ExportFilters, file_format: str) -> HtcdsExport:
    """The cases the viewer may see, filtered, as HTCDS rows; identity (support plans' texts
    included) only for the persons' own organisation's case roles, and only when asked for;
    support plans only for those roles. Audited: one entry for the export (its count and
    columns), and one for each person whose identity leaves in it."""
    if not may_export(viewer):
        raise PermissionDenied(_("Your role does not allow exporting cases."))
    if filters.identity and not may_export_identity(viewer):
        raise PermissionDenied(
            _("Your role does not see identity, so an export cannot include it."))
    cases = _export_cases(viewer, filters)
    ids = list(cases.order_by("opened_on", "id").values_list("pk", flat=True))
    plans = may_export_plans(viewer)

    def most(relation: str) -> int:
        # One relation per query: counting several in one would join each case's events,
        # referrals and plans with one another.
        counted = Case.objects.filter(pk__in=cases.values("pk")).annotate(
            counted=Count(relation))
        return counted.aggregate(most=Max("counted"))["most"] or 0

    columns = export_columns(identity=filters.identity, event_groups=most("events"),
                             referral_groups=most("referrals"),
                             plan_groups=most("support_plans") if plans else None)
    audit_record(
        actor=viewer.user, organisation_id=viewer.organisation_id, action=AuditAction.EXPORT,
        fields=[column.name for column in columns],
        purpose=f"HTCDS {file_format}: {len(ids)} cases {filters.described()}".strip(),
    )
    identity_audit = _IdentityAudit(
        viewer=viewer, fields=sorted({column.name for column in columns if column.identity}),
        purpose=f"HTCDS {file_format}") if filters.identity else None
    return HtcdsExport(columns=columns, count=len(ids),
                       rows=_rows(ids, columns, identity_audit, plans=plans))


def htcds_export_count(*, viewer: Viewer, filters: ExportFilters) -> int:
    """How many cases an export would hold (a number only: not audited)."""
    if not may_export(viewer):
        raise PermissionDenied(_("Your role does not allow exporting cases."))
    return _export_cases(viewer, filters).count()


def export_file_for_viewer(*, viewer: Viewer, job_id: int) -> ExportFile:
    """The export file a job made for the viewer, while it is there to download, or 404."""
    found = ExportFile.objects.filter(
        job_id=job_id, created_by=viewer.user, organisation_id=viewer.organisation_id,
        downloaded_at__isnull=True,
    ).exclude(content="").first()
    if found is None:
        raise Http404
    return found


def imports_for_viewer(*, viewer: Viewer) -> QuerySet[HtcdsImport]:
    """The viewer's own recent imports (those they uploaded for this organisation)."""
    if not may_import(viewer):
        return HtcdsImport.objects.none()
    return (HtcdsImport.objects.filter(created_by=viewer.user,
                                       organisation_id=viewer.organisation_id)
            .select_related("check_job", "commit_job")
            .order_by("-created_at", "-id")[:RECENT_IMPORTS])


def import_for_viewer(*, viewer: Viewer, import_id: int) -> HtcdsImport:
    """One of the viewer's own imports, or 404: nobody else follows or confirms it."""
    found = (HtcdsImport.objects.filter(pk=import_id, created_by=viewer.user,
                                        organisation_id=viewer.organisation_id)
             .select_related("check_job", "commit_job").first()) if may_import(viewer) else None
    if found is None:
        raise Http404
    return found
