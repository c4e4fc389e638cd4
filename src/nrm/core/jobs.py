"""Long work in the background (an import, a duplicate search), with a progress bar.

A service that starts long work checks permission and writes its audit entry as usual, then calls
`job_start`, which records a `Job` and hands it to the task backend: django-tasks' database
backend with `nrm db_worker` in an installation (`nrm serve` starts a worker for the demo), the
immediate backend in tests. The worker calls the job's runner, ``runner(job, progress)``, in the
language of the user who started it. A runner writes in one transaction, so that a job that fails
leaves nothing half-written.

Progress is kept in the cache, not in the database: a runner that works inside one transaction
(an all-or-nothing import) could not show its progress through the database before it commits.
"""

from __future__ import annotations

import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from nrm.core.models import Job, JobStatus

logger = logging.getLogger(__name__)

# How often a runner's progress reaches the cache, at most; the last report always does.
_REPORT_SECONDS = 0.3
_CACHE_SECONDS = 24 * 3600


class ProgressReport(Protocol):
    """What long work calls as it goes: ``report(done, total, step)``."""

    def __call__(self, done: int, total: int, step: str = "") -> None: ...


def no_progress(done: int, total: int, step: str = "") -> None:
    """A progress report that goes nowhere, for callers that do not show one."""


class JobFailed(Exception):  # noqa: N818  (a failure of the work, said to the user)
    """The work cannot be done as asked (a bad file, say): the message tells the user why,
    already in their language. Anything else that a runner raises is logged, and the user is
    told that something went wrong on our side."""


@dataclass(frozen=True)
class JobOutcome:
    """What a runner returns: a result to keep (encrypted) and the page that shows it."""

    result: dict[str, Any] = field(default_factory=dict)
    url: str = ""


Runner = Callable[[Job, ProgressReport], JobOutcome]


def _cache_key(job_id: int) -> str:
    return f"nrm:job-progress:{job_id}"


class JobProgress:
    """The progress report of one job, written to the cache a few times a second at most."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._last = 0.0

    def __call__(self, done: int, total: int, step: str = "") -> None:
        now = time.monotonic()
        if now - self._last < _REPORT_SECONDS and done < total:
            return
        self._last = now
        cache.set(_cache_key(self.job_id), (done, total, step), _CACHE_SECONDS)


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    step: str

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def job_progress(job: Job) -> Progress:
    """How far the job has come: from the cache while it runs, complete once it is done."""
    done, total, step = cache.get(_cache_key(job.pk)) or (0, 0, "")
    if job.status == JobStatus.DONE:
        done = total = max(total, 1)
    return Progress(done=done, total=total, step=step)


def job_start(
    *, created_by: Any, membership: Any, kind: str, runner: str,
    params: dict[str, Any] | None = None, input_bytes: bytes | None = None,
) -> Job:
    """Record a job and queue it (``created_by`` a user, ``membership`` the one they act under:
    core imports no app, so they are not typed here). ``runner`` is the dotted path of a function
    ``runner(job, progress) -> JobOutcome``; ``params`` and ``input_bytes`` are kept encrypted
    until it has run."""
    job = Job.objects.create(
        kind=kind, runner=runner, created_by=created_by, membership=membership,
        organisation_id=membership.organisation_id,
        language=translation.get_language() or "en", params=params or {},
        input_data=base64.b64encode(input_bytes).decode() if input_bytes else "",
    )
    run_job.enqueue(job.pk)
    return job


def job_input(job: Job) -> bytes:
    """The bytes the job was started with (a spreadsheet, say)."""
    return base64.b64decode(job.input_data) if job.input_data else b""


def job_for_user(*, user: Any, job_id: int) -> Job | None:
    """The job if ``user`` started it; nobody else may follow it."""
    if not user.is_authenticated:
        return None
    return Job.objects.filter(pk=job_id, created_by=user).first()


@task()
def run_job(job_id: int) -> None:
    """The worker's side: run the job once, record how it ended, drop its input."""
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now())
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    progress = JobProgress(job.pk)
    with translation.override(job.language):
        try:
            runner: Runner = import_string(job.runner)
            outcome = runner(job, progress)
        except JobFailed as failure:
            job.status, job.error = JobStatus.FAILED, str(failure)
        except Exception:
            logger.exception("job %s (%s) failed", job.pk, job.kind)
            job.status = JobStatus.FAILED
            job.error = _("Something went wrong on our side; it has been logged. "
                          "Nothing was saved.")
        else:
            job.status, job.result, job.result_url = JobStatus.DONE, outcome.result, outcome.url
    job.input_data = ""
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "result", "result_url", "input_data",
                            "finished_at"])
