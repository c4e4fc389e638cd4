"""The background work of linkage: a duplicate search over the registry, and the check of an
uploaded spreadsheet. Each runner acts as the user who started it, under the membership they
acted in then (if it is still active), in their language; selectors read and services write,
keeping the rules and the audit.

Every way a job can fail is said to the user in words that say what happened and what to do;
nothing is saved by a job that fails.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from nrm.accounts.viewer import Viewer, viewer_for
from nrm.core.jobs import JobFailed, JobOutcome, ProgressReport, job_input, no_progress
from nrm.core.models import Job
from nrm.linkage.checks import ListCheckError, column_mapping, list_check
from nrm.linkage.engine import DEFAULT_THRESHOLD, find_duplicates, find_matches
from nrm.linkage.models import LinkageRun
from nrm.linkage.records import PersonRecord
from nrm.linkage.selectors import LinkageUse, codes_changed_since, records_for_linkage
from nrm.linkage.services import StoredPairs, candidate_pairs_store
from nrm.linkage.spreadsheets import SpreadsheetError, read_people

logger = logging.getLogger(__name__)

STORING_STEP = gettext_noop("Keeping the pairs found")
READING_FILE_STEP = gettext_noop("Reading the file")

T = TypeVar("T")


def staged(progress: ProgressReport, start: int, end: int) -> ProgressReport:
    """A stage's own progress reported as its share, from ``start`` to ``end`` per cent, of
    the whole job's."""

    def report(done: int, total: int, step: str = "") -> None:
        share = min(1.0, done / total) if total else 0.0
        progress(start + round((end - start) * share), 100, step)

    return report


def _acting_viewer(job: Job, refusal: str) -> Viewer:
    viewer = viewer_for(job.created_by, job.membership_id)
    if viewer is None or viewer.membership.pk != job.membership_id:
        raise JobFailed(refusal)
    return viewer


def _out_of_memory(error: BaseException) -> bool:
    return isinstance(error, MemoryError) or type(error).__name__ == "OutOfMemoryException"


def _compare(compare: Callable[[], T]) -> T:
    """Run the engine; a failure of the engine itself becomes a message that says what to do.
    What the user asked for has been checked before it runs."""
    try:
        return compare()
    except (JobFailed, ListCheckError):
        raise
    except Exception as error:  # DuckDB, Spark and Splink raise many kinds; each is said alike
        logger.exception("linkage: the engine failed")
        if _out_of_memory(error):
            raise JobFailed(_(
                "The comparison needed more memory than this server gives it, so it stopped. "
                "Nothing was saved. Ask your administrator to raise NRM_LINKAGE_MEMORY_LIMIT "
                "or to run linkage on Spark.")) from None
        raise JobFailed(_(
            "The comparison engine stopped before it had finished. Nothing was saved. Try "
            "again later; if it stops again, your administrator finds the details in the "
            "server's log.")) from None


# --- duplicate searches over the registry ----------------------------------------------------

def duplicate_search_perform(
    *, viewer: Viewer, run: LinkageRun, progress: ProgressReport = no_progress,
) -> StoredPairs:
    """Compare the persons the viewer reviews, all of them or, in an incremental search, those
    registered or changed since the previous search with everyone; keep the pairs found.
    Raises PermissionDenied if the viewer no longer reviews, JobFailed if the engine fails."""
    records_read_at = timezone.now()
    records = records_for_linkage(viewer=viewer, use=LinkageUse.DUPLICATE_SEARCH, obj=run,
                                  progress=staged(progress, 0, 15))
    comparing = staged(progress, 15, 95)
    changed: set[str] | None = None
    if run.incremental and run.previous is not None and run.previous.records_read_at:
        changed = codes_changed_since(viewer=viewer, since=run.previous.records_read_at)
        new: list[PersonRecord] = [record for record in records if record.record_id in changed]
        existing = [record for record in records if record.record_id not in changed]
        pairs = _compare(lambda: find_matches(new, existing, threshold=DEFAULT_THRESHOLD,
                                              progress=comparing))
    else:
        pairs = _compare(lambda: find_duplicates(records, threshold=DEFAULT_THRESHOLD,
                                                 progress=comparing))
    progress(95, 100, STORING_STEP)
    stored = candidate_pairs_store(viewer=viewer, run=run, pairs=pairs,
                                   persons_compared=len(records),
                                   records_read_at=records_read_at, changed_codes=changed,
                                   threshold=DEFAULT_THRESHOLD)
    progress(100, 100, STORING_STEP)
    return stored


def duplicate_search(job: Job, progress: ProgressReport) -> JobOutcome:
    """The runner of a duplicate search started from the page or the API."""
    run_id = (job.params or {}).get("run")
    run = (LinkageRun.objects.select_related("previous")
           .filter(pk=int(run_id), started_by=job.created_by).first()
           if isinstance(run_id, int) else None)
    if run is None:
        raise JobFailed(_("This duplicate search no longer exists. Start another."))
    if run.finished_at is not None:
        raise JobFailed(_("This duplicate search has already finished."))
    viewer = _acting_viewer(job, _("Your membership of the organisation is no longer active, "
                                   "so the duplicate search was not run. Nothing was saved."))
    try:
        stored = duplicate_search_perform(viewer=viewer, run=run, progress=progress)
    except PermissionDenied as refusal:
        raise JobFailed(_("%(reason)s Nothing was saved.") % {"reason": refusal}) from None
    return JobOutcome(
        result={"pairs_found": stored.found, "pairs_new": stored.new,
                "pairs_already_decided": stored.already_decided,
                "pairs_withdrawn": stored.withdrawn},
        url=reverse("linkage:run", args=[run.pk]))


# --- a spreadsheet checked from the page -----------------------------------------------------

def spreadsheet_check(job: Job, progress: ProgressReport) -> JobOutcome:
    """The runner of a spreadsheet check: the file's rows against each other and, if asked,
    against the registry persons whose identity the user sees. The pairs and clusters are kept
    with the job (encrypted) for the user to read and download."""
    viewer = _acting_viewer(job, _("Your membership of the organisation is no longer active, "
                                   "so the spreadsheet was not checked."))
    params = job.params or {}
    filename = str(params.get("filename") or "spreadsheet")
    progress(0, 100, READING_FILE_STEP)
    try:
        rows = read_people(job_input(job), filename, column_mapping(params.get("mapping") or {}))
    except SpreadsheetError as error:
        raise JobFailed(_("%(problem)s Nothing was checked.") % {"problem": error}) from None
    registry: list[PersonRecord] = []
    if params.get("against_registry"):
        try:
            registry = records_for_linkage(
                viewer=viewer, use=LinkageUse.SPREADSHEET_CHECK, obj=job,
                purpose="spreadsheet check from the page", progress=staged(progress, 5, 15))
        except PermissionDenied as refusal:
            raise JobFailed(_("%(reason)s Nothing was checked.") % {"reason": refusal}) \
                from None
    try:
        checked = _compare(lambda: list_check(rows, registry, threshold=DEFAULT_THRESHOLD,
                                               progress=staged(progress, 15, 100)))
    except ListCheckError as error:
        raise JobFailed(_("%(problem)s Nothing was checked.") % {"problem": error}) from None
    return JobOutcome(
        result={
            "rows": len(rows), "registry_persons": checked.registry_persons,
            "persons": checked.persons, "rows_in_registry": checked.rows_in_registry,
            "persons_in_several_rows": checked.persons_in_several_rows,
            "pairs": [[pair.left_id, pair.right_id, round(pair.match_probability, 4)]
                      for pair in checked.pairs],
            "clusters": [[record_id, cluster]
                         for record_id, cluster in sorted(checked.clusters.items())],
        },
        url=reverse("linkage:spreadsheet_result", args=[job.pk]))
