"""The background work of an HTCDS import: checking an uploaded file, and importing it.

Each runner acts as the user who started it, under the membership they acted in then (if it is
still active), in their language; the services do the work and keep the rules.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer, viewer_for
from nrm.core.jobs import JobFailed, JobOutcome, ProgressReport
from nrm.core.models import Job
from nrm.core.submissions import DuplicateSubmissionError
from nrm.interchange.htcds.export import xlsx_bytes
from nrm.interchange.models import HtcdsImport
from nrm.interchange.selectors import ExportFilters, htcds_export
from nrm.interchange.services import (
    ImportRefused,
    export_file_keep,
    htcds_import_check,
    htcds_import_commit,
    htcds_import_failed,
)


def _viewer_and_import(job: Job) -> tuple[Viewer, HtcdsImport]:
    htcds_import = HtcdsImport.objects.get(pk=(job.params or {})["import_id"])
    viewer = viewer_for(job.created_by, job.membership_id)
    if viewer is None or viewer.membership.pk != job.membership_id:
        htcds_import_failed(htcds_import=htcds_import)
        raise JobFailed(_("Your membership of the organisation is no longer active; nothing was "
                          "imported."))
    return viewer, htcds_import


def _outcome(htcds_import: HtcdsImport, result: dict[str, object]) -> JobOutcome:
    return JobOutcome(result=result,
                      url=reverse("interchange:import_detail", args=[htcds_import.pk]))


def check_import(job: Job, progress: ProgressReport) -> JobOutcome:
    """Check an uploaded file; its result is what the preview shows."""
    viewer, htcds_import = _viewer_and_import(job)
    try:
        summary = htcds_import_check(viewer=viewer, htcds_import=htcds_import, progress=progress)
    except (ImportRefused, PermissionDenied) as refusal:
        htcds_import_failed(htcds_import=htcds_import)
        raise JobFailed(str(refusal)) from None
    except Exception:
        htcds_import_failed(htcds_import=htcds_import)
        raise
    return _outcome(htcds_import, summary)


def commit_import(job: Job, progress: ProgressReport) -> JobOutcome:
    """Import a confirmed file, all or nothing."""
    viewer, htcds_import = _viewer_and_import(job)
    try:
        committed = htcds_import_commit(viewer=viewer, htcds_import=htcds_import,
                                        progress=progress)
    except DuplicateSubmissionError:
        htcds_import_failed(htcds_import=htcds_import)
        raise JobFailed(_("This file was already imported; nothing was imported twice.")) \
            from None
    except ImportRefused as refusal:
        htcds_import_failed(htcds_import=htcds_import)
        raise JobFailed(refusal.message) from None
    except (PermissionDenied, ValidationError) as refusal:
        htcds_import_failed(htcds_import=htcds_import)
        raise JobFailed(_("%(reason)s Nothing was imported.")
                        % {"reason": " ".join(getattr(refusal, "messages", [str(refusal)]))}) \
            from None
    except Exception:
        # Logged by the worker; the user is told that nothing was saved.
        htcds_import_failed(htcds_import=htcds_import)
        raise
    return _outcome(committed, {"cases": committed.cases_created})


def build_workbook(job: Job, progress: ProgressReport) -> JobOutcome:
    """Write a large XLSX export and keep it for the user who asked for it."""
    viewer = viewer_for(job.created_by, job.membership_id)
    if viewer is None or viewer.membership.pk != job.membership_id:
        raise JobFailed(_("Your membership of the organisation is no longer active; nothing was "
                          "exported."))
    filters = ExportFilters.from_params((job.params or {}).get("filters") or {})
    try:
        found = htcds_export(viewer=viewer, filters=filters, file_format="xlsx")
    except PermissionDenied as refusal:
        raise JobFailed(str(refusal)) from None
    content = xlsx_bytes(found.columns, found.rows, total=found.count, progress=progress)
    export_file_keep(viewer=viewer, job=job, content=content, case_count=found.count)
    return JobOutcome(result={"cases": found.count},
                      url=reverse("interchange:export_download", args=[job.pk]))
