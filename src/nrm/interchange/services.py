"""Every write of interchange: an HTCDS import, from upload through its check to its
all-or-nothing commit. Each checks permission and writes its audit entries in its transaction.

The commit creates persons and cases through the registry's own services (`person_register`,
`case_close`) and support plans through assistance's (`support_plan_create`), so that an
imported case is checked, indexed and audited as one registered by hand, and all of them in one
transaction: a file with any error creates nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nrm.accounts.models import Membership
from nrm.accounts.roles import CASE_ROLES
from nrm.accounts.viewer import Viewer
from nrm.assistance.services import support_plan_create
from nrm.core.audit import audit_record
from nrm.core.jobs import ProgressReport, job_start, no_progress
from nrm.core.models import AuditAction, Job, SubmissionReceipt
from nrm.core.submissions import submission_claim
from nrm.interchange.htcds.checking import (
    CheckContext,
    Checked,
    ImportRow,
    check_file,
    default_closure_reason,
)
from nrm.interchange.htcds.problems import Problem, problem_sentence
from nrm.interchange.models import ExportFile, HtcdsImport, ImportStatus, ReportedStatus
from nrm.interchange.selectors import (
    ExportFilters,
    may_export,
    may_export_identity,
    may_import,
)
from nrm.registry.choices import CaseStatus, ConsentMethod
from nrm.registry.models import Case
from nrm.registry.services import case_close, person_register

CHECK_RUNNER = "nrm.interchange.htcds.jobs.check_import"
EXPORT_RUNNER = "nrm.interchange.htcds.jobs.build_workbook"
EXPORT_KIND = "htcds_export"
# A workbook not downloaded within this long is dropped.
EXPORT_FILE_HOURS = 1
COMMIT_RUNNER = "nrm.interchange.htcds.jobs.commit_import"
# An upload left unconfirmed this long is dropped.
UNCONFIRMED_HOURS = 24
OPEN = (ImportStatus.CHECKING, ImportStatus.CHECKED)


class ImportRefused(Exception):  # noqa: N818 (a refusal, said to the user)
    """The import cannot go on; ``message`` says why in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def too_large(size: int) -> str:
    """The refusal of a file over NRM_IMPORT_MAX_BYTES."""
    return problem_sentence("too_large", size=filesizeformat(size),
                            limit=filesizeformat(settings.NRM_IMPORT_MAX_BYTES))


def _require_importing(viewer: Viewer) -> None:
    if not may_import(viewer):
        raise PermissionDenied(_("Your role does not allow importing cases."))


def _require_own(viewer: Viewer, htcds_import: HtcdsImport) -> None:
    if (htcds_import.created_by_id != viewer.user.pk
            or htcds_import.organisation_id != viewer.organisation_id):
        raise PermissionDenied(_("Only the person who uploaded a file may import it."))


def _receipt_key(htcds_import: HtcdsImport) -> str:
    """One import per file and organisation: the same bytes confirmed twice import once."""
    return f"htcds:{htcds_import.organisation_id}:{htcds_import.sha256[:48]}"


def _drop_unconfirmed() -> None:
    """Forget the files of uploads nobody confirmed within a day."""
    stale = timezone.now() - dt.timedelta(hours=UNCONFIRMED_HOURS)
    HtcdsImport.objects.filter(created_at__lt=stale, status__in=OPEN).update(
        status=ImportStatus.DISCARDED, content="")


@transaction.atomic
def htcds_import_start(
    *, viewer: Viewer, filename: str, content: bytes, consent_method: str = "",
) -> HtcdsImport:
    """Keep an uploaded HTCDS spreadsheet (encrypted) and start checking it in the background;
    nothing is registered until the user has seen the check and confirmed."""
    _require_importing(viewer)
    if len(content) > settings.NRM_IMPORT_MAX_BYTES:
        raise ValidationError({"file": too_large(len(content))})
    if not content.strip():
        raise ValidationError({"file": problem_sentence("empty")})
    if consent_method and consent_method not in ConsentMethod.values:
        raise ValidationError({"consent_method": _("Choose how consent was given.")})
    _drop_unconfirmed()
    htcds_import = HtcdsImport.objects.create(
        organisation_id=viewer.organisation_id, membership=viewer.membership,
        created_by=viewer.user, filename=filename[:200],
        content=base64.b64encode(content).decode(),
        sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        consent_method=consent_method,
    )
    job = job_start(created_by=viewer.user, membership=viewer.membership, kind="htcds_check",
                    runner=CHECK_RUNNER, params={"import_id": htcds_import.pk})
    # The job may have run already (in tests, or a fast worker): only the link is written here.
    HtcdsImport.objects.filter(pk=htcds_import.pk).update(check_job=job)
    htcds_import.refresh_from_db()
    return htcds_import


def _case_workers(organisation_id: int) -> dict[str, int]:
    """cas_CaseOwner → user id: the organisation's case roles by user name, and by full name
    where only one has it."""
    members = (Membership.objects.active()
               .filter(organisation_id=organisation_id,
                       role__in=[role.value for role in CASE_ROLES])
               .select_related("user"))
    by_username: dict[str, int] = {}
    by_name: dict[str, set[int]] = {}
    for member in members:
        by_username[member.user.get_username().casefold()] = member.user_id
        full_name = " ".join(member.user.get_full_name().split()).casefold()
        if full_name:
            by_name.setdefault(full_name, set()).add(member.user_id)
    unique_names = {name: next(iter(ids)) for name, ids in by_name.items() if len(ids) == 1}
    return {**unique_names, **by_username}


def _check(viewer: Viewer, htcds_import: HtcdsImport, progress: ProgressReport) -> Checked:
    checked = check_file(
        base64.b64decode(htcds_import.content),
        context=CheckContext(consent_method=htcds_import.consent_method,
                             case_workers=_case_workers(viewer.organisation_id)),
        max_rows=settings.NRM_IMPORT_MAX_ROWS, progress=progress,
    )
    receipt = SubmissionReceipt.objects.filter(key=_receipt_key(htcds_import)).first()
    if receipt is not None:
        checked.add(Problem("already_imported",
                            params={"date": timezone.localtime(receipt.created_at)
                                    .date().isoformat()}))
    return checked


@transaction.atomic
def htcds_import_check(
    *, viewer: Viewer, htcds_import: HtcdsImport, progress: ProgressReport = no_progress,
) -> dict[str, Any]:
    """Check an uploaded file and keep what the preview shows; a file with errors is refused
    and dropped at once."""
    _require_importing(viewer)
    _require_own(viewer, htcds_import)
    htcds_import = HtcdsImport.objects.select_for_update().get(pk=htcds_import.pk)
    if htcds_import.status != ImportStatus.CHECKING:
        raise ImportRefused(_("This file is no longer waiting to be checked."))
    checked = _check(viewer, htcds_import, progress)
    htcds_import.status = ImportStatus.CHECKED if checked.ok else ImportStatus.REFUSED
    if not checked.ok:
        htcds_import.content = ""
    htcds_import.save(update_fields=["status", "content"])
    return checked.summary()


@transaction.atomic
def htcds_import_confirm(*, viewer: Viewer, htcds_import: HtcdsImport) -> Job:
    """Start importing a checked file. Only once: a second confirmation (a double click, a
    second tab) starts nothing and says so."""
    _require_importing(viewer)
    _require_own(viewer, htcds_import)
    confirmed = HtcdsImport.objects.filter(
        pk=htcds_import.pk, status=ImportStatus.CHECKED).update(status=ImportStatus.COMMITTING)
    if not confirmed:
        htcds_import.refresh_from_db()
        raise ValidationError(_("This file cannot be imported now: it is %(status)s.")
                              % {"status": htcds_import.get_status_display().lower()})
    job = job_start(created_by=viewer.user, membership=viewer.membership, kind="htcds_import",
                    runner=COMMIT_RUNNER, params={"import_id": htcds_import.pk})
    HtcdsImport.objects.filter(pk=htcds_import.pk).update(commit_job=job)
    return job


@transaction.atomic
def htcds_import_discard(*, viewer: Viewer, htcds_import: HtcdsImport) -> HtcdsImport:
    """Drop an upload that was not imported, file and all."""
    _require_importing(viewer)
    _require_own(viewer, htcds_import)
    discarded = HtcdsImport.objects.filter(
        pk=htcds_import.pk, status__in=(*OPEN, ImportStatus.REFUSED),
    ).update(status=ImportStatus.DISCARDED, content="")
    if not discarded:
        raise ValidationError(_("Only a file that was not imported can be discarded."))
    htcds_import.refresh_from_db()
    return htcds_import


def _import_row(viewer: Viewer, htcds_import: HtcdsImport, row: ImportRow) -> Case:
    try:
        case = person_register(viewer=viewer, person=row.person, identity=row.identity,
                               case=row.case, events=row.events, consents=row.consents)
        for plan in row.plans:
            support_plan_create(viewer=viewer, case=case, plan=plan)
        if row.closed:
            case = case_close(viewer=viewer, case=case, closed_on=timezone.localdate(),
                              reason=row.closure_reason or default_closure_reason(),
                              referred=row.closed == CaseStatus.CLOSED_REFERRED)
    except ValidationError as error:
        raise ImportRefused(_("Row %(row)s: %(problem)s Nothing was imported.")
                            % {"row": row.row, "problem": " ".join(error.messages)}) from None
    fields = ["row"]
    if row.reported_status is not None:
        ReportedStatus.objects.create(case=case, status=row.reported_status[0],
                                      decision_making_org=row.reported_status[1],
                                      source=htcds_import)
        fields += ["vic_TraffickingStatus", "vic_TraffickingStatusDecisionMakingOrg"]
    if row.plans:
        fields.append("support_plans")  # each plan has its own entry, from assistance
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.IMPORT, obj=case, person_code=case.person.code,
                 fields=fields, purpose=f"HTCDS import #{htcds_import.pk}, row {row.row}")
    return case


@transaction.atomic
def htcds_import_commit(
    *, viewer: Viewer, htcds_import: HtcdsImport, progress: ProgressReport = no_progress,
) -> HtcdsImport:
    """Register every case of a confirmed file in one transaction, all or nothing, and only
    once per file and organisation. Audited: one entry for the import, one per case, and the
    registry services' own."""
    _require_importing(viewer)
    _require_own(viewer, htcds_import)
    htcds_import = HtcdsImport.objects.select_for_update().get(pk=htcds_import.pk)
    if htcds_import.status != ImportStatus.COMMITTING:
        raise ImportRefused(_("This file was not confirmed for import."))
    # Checked again: members may have left and the day may have changed since the preview.
    checked = _check(viewer, htcds_import, progress)
    if not checked.ok:
        first = checked.problems[0]
        said = problem_sentence(first.code, **first.params)
        if first.row is not None:
            said = _("Row %(row)s, %(column)s: %(problem)s") % {
                "row": first.row, "column": first.column, "problem": said}
        raise ImportRefused(_("Nothing was imported. %(problem)s") % {"problem": said})
    submission_claim(key=_receipt_key(htcds_import), actor=viewer.user, obj=htcds_import)
    total = len(checked.rows)
    for done, row in enumerate(checked.rows, 1):
        _import_row(viewer, htcds_import, row)
        progress(done, total, gettext_noop("Registering cases"))
    counts = checked.counts()
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.IMPORT, obj=htcds_import, fields=checked.columns_read,
                 purpose=(f"HTCDS import: {counts['cases']} cases, {counts['events']} events, "
                          f"{counts['consents']} consents, {counts['plans']} support plans"))
    htcds_import.status = ImportStatus.COMMITTED
    htcds_import.content = ""
    htcds_import.cases_created = total
    htcds_import.committed_at = timezone.now()
    htcds_import.save(update_fields=["status", "content", "cases_created", "committed_at"])
    return htcds_import


def htcds_import_failed(*, htcds_import: HtcdsImport) -> None:
    """After a failed check or import (whose own transaction rolled back): mark it failed and
    drop the file. Nothing else was written."""
    HtcdsImport.objects.filter(pk=htcds_import.pk).exclude(
        status__in=[ImportStatus.COMMITTED, ImportStatus.DISCARDED]).update(
        status=ImportStatus.FAILED, content="")


def _drop_stale_exports() -> None:
    stale = timezone.now() - dt.timedelta(hours=EXPORT_FILE_HOURS)
    ExportFile.objects.filter(created_at__lt=stale).exclude(content="").update(content="")


@transaction.atomic
def htcds_export_start(*, viewer: Viewer, filters: ExportFilters) -> Job:
    """Start writing a large XLSX export in the background; its page offers the file once it is
    ready. Permission is checked now, and again (with the audit) when the job reads the cases."""
    if not may_export(viewer):
        raise PermissionDenied(_("Your role does not allow exporting cases."))
    if filters.identity and not may_export_identity(viewer):
        raise PermissionDenied(
            _("Your role does not see identity, so an export cannot include it."))
    _drop_stale_exports()
    return job_start(created_by=viewer.user, membership=viewer.membership, kind=EXPORT_KIND,
                     runner=EXPORT_RUNNER, params={"filters": filters.as_params()})


@transaction.atomic
def export_file_keep(*, viewer: Viewer, job: Job, content: bytes, case_count: int) -> ExportFile:
    """Keep a workbook a job wrote (encrypted) for the user who asked for it."""
    if job.created_by_id != viewer.user.pk:
        raise PermissionDenied(_("Only the person who asked for an export may keep it."))
    return ExportFile.objects.create(
        job=job, organisation_id=viewer.organisation_id, created_by=viewer.user,
        case_count=case_count, content=base64.b64encode(content).decode())


@transaction.atomic
def export_file_download(*, viewer: Viewer, export_file: ExportFile) -> bytes:
    """Hand over a kept workbook, once: it is dropped as it leaves."""
    if export_file.created_by_id != viewer.user.pk:
        raise PermissionDenied(_("Only the person who asked for an export may download it."))
    locked = ExportFile.objects.select_for_update().get(pk=export_file.pk)
    if not locked.content or locked.downloaded_at is not None:
        raise ValidationError(_("This export was already downloaded; export again."))
    content = base64.b64decode(locked.content)
    locked.content = ""
    locked.downloaded_at = timezone.now()
    locked.save(update_fields=["content", "downloaded_at"])
    return content
