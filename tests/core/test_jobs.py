"""Background jobs: started by a user, followed by that user alone, failing in words."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse
from django.utils.translation import gettext_noop

from nrm.core.jobs import (
    JobFailed,
    JobOutcome,
    JobProgress,
    ProgressReport,
    job_input,
    job_progress,
    job_start,
)
from nrm.core.models import Job, JobStatus
from tests.conftest import login

pytestmark = pytest.mark.django_db

SECRET_ROWS = b"given_name,family_name\nAigul,Mamytova\n"


def count_rows(job: Job, progress: ProgressReport) -> JobOutcome:
    rows = job_input(job).decode().splitlines()
    for done in range(1, len(rows) + 1):
        progress(done, len(rows), gettext_noop("Reading rows"))
    return JobOutcome(result={"rows": len(rows)}, url="/registry/")


def refuse_file(job: Job, progress: ProgressReport) -> JobOutcome:
    raise JobFailed("Row 3: the sex “Femal” is not a value of prs_Sex.")


def break_down(job: Job, progress: ProgressReport) -> JobOutcome:
    raise RuntimeError("a bug")


def _start(viewer, runner: str, input_bytes: bytes = SECRET_ROWS) -> Job:
    job = job_start(created_by=viewer.user, membership=viewer.membership, kind="test",
                    runner=f"tests.core.test_jobs.{runner}", params={"column": "given_name"},
                    input_bytes=input_bytes)
    job.refresh_from_db()
    return job


def test_a_job_runs_keeps_its_result_and_drops_its_input(case_worker):
    job = _start(case_worker, "count_rows")
    assert job.status == JobStatus.DONE
    assert job.result == {"rows": 2}
    assert job.result_url == "/registry/"
    assert job.input_data == ""
    assert job.finished_at is not None
    assert job_progress(job).percent == 100


def test_job_parameters_and_result_are_encrypted_in_the_database(case_worker):
    job = _start(case_worker, "count_rows")
    with connection.cursor() as cursor:
        cursor.execute("SELECT params, result FROM core_job WHERE id = %s", [job.pk])
        params, result = cursor.fetchone()
    assert "given_name" not in params
    assert "rows" not in result


def test_a_refused_file_fails_with_the_runners_message(case_worker):
    job = _start(case_worker, "refuse_file")
    assert job.status == JobStatus.FAILED
    assert job.error == "Row 3: the sex “Femal” is not a value of prs_Sex."
    assert job.input_data == ""


def test_a_bug_fails_with_a_general_message_and_is_logged(case_worker, caplog):
    job = _start(case_worker, "break_down")
    assert job.status == JobStatus.FAILED
    assert "something went wrong on our side" in job.error.lower()
    assert "a bug" not in job.error
    assert any("failed" in record.getMessage() for record in caplog.records)


def test_progress_is_reported_while_the_job_runs(case_worker):
    job = Job.objects.create(kind="test", runner="x", created_by=case_worker.user,
                             membership=case_worker.membership,
                             organisation_id=case_worker.organisation_id,
                             status=JobStatus.RUNNING)
    JobProgress(job.pk)(25, 100, "Comparing records")
    progress = job_progress(job)
    assert (progress.done, progress.total, progress.step, progress.percent) == (
        25, 100, "Comparing records", 25)


def test_the_job_page_shows_progress_to_whoever_started_it(client, case_worker):
    job = Job.objects.create(kind="test", runner="x", created_by=case_worker.user,
                             membership=case_worker.membership,
                             organisation_id=case_worker.organisation_id,
                             status=JobStatus.RUNNING)
    JobProgress(job.pk)(3, 4, gettext_noop("Reading rows"))
    login(client, case_worker)
    page = client.get(reverse("core:job", args=[job.pk]))
    assert page.status_code == 200
    assert b'value="75"' in page.content
    assert b"Reading rows" in page.content
    assert b'hx-trigger="every 1s"' in page.content
    fragment = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b'value="75"' in fragment.content


def test_the_step_is_shown_in_the_readers_language(client, case_worker):
    job = Job.objects.create(kind="test", runner="x", created_by=case_worker.user,
                             membership=case_worker.membership,
                             organisation_id=case_worker.organisation_id,
                             status=JobStatus.RUNNING)
    JobProgress(job.pk)(1, 2, gettext_noop("Waiting for the background worker…"))
    login(client, case_worker)
    page = client.get(reverse("core:job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="ru")
    assert "Ожидание фоновой обработки…".encode() in page.content


def test_a_finished_job_links_to_its_result_and_stops_polling(client, case_worker):
    job = _start(case_worker, "count_rows")
    login(client, case_worker)
    page = client.get(reverse("core:job", args=[job.pk]))
    assert b'href="/registry/"' in page.content
    assert b"hx-trigger" not in page.content


def test_a_failed_job_says_why(client, case_worker):
    job = _start(case_worker, "refuse_file")
    login(client, case_worker)
    page = client.get(reverse("core:job", args=[job.pk]))
    assert "the sex “Femal” is not a value".encode() in page.content


def test_outsider_cannot_follow_someone_elses_job(client, case_worker, colleague, outsider):
    job = _start(case_worker, "count_rows")
    for other in (colleague, outsider):
        login(client, other)
        assert client.get(reverse("core:job", args=[job.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, case_worker):
    job = _start(case_worker, "count_rows")
    response = client.get(reverse("core:job", args=[job.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
