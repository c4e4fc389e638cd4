"""Checking a spreadsheet from the page: Safe Home's case worker uploads an NGO's list, maps its
columns (guessed from their headers), is told what to fix when the file or the mapping will not
do (nothing is started), starts the check in the background — on the real engine, against Safe
Home's registry persons too — then reads what it found and downloads the pairs and clusters as
CSV. A check that cannot be done says why. The upload and the result are the uploader's alone."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.viewer import Viewer
from nrm.core.models import AuditAction, AuditEntry, Job, JobStatus
from nrm.linkage.models import SpreadsheetUpload
from nrm.linkage.selectors import SPREADSHEET_CHECK
from nrm.linkage.services import spreadsheet_check_start
from tests.conftest import login

pytestmark = pytest.mark.django_db

LIST = "№,Фамилия,Имя,Дата рождения,Пол\n1,Мамытова,Айгуль,1995-03-14,F\n2,MAMYTOVA,AIGUL,1995,F\n"
COLUMNS = ["№", "Фамилия", "Имя", "Дата рождения", "Пол"]
MAPPING = {"id": "№", "family": "Фамилия", "given": "Имя", "birth": "Дата рождения",
           "sex": "Пол"}


def _file(text: str, name: str = "ngo-list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload_for(viewer: Viewer, **extra) -> SpreadsheetUpload:
    return SpreadsheetUpload.objects.create(
        uploaded_by=viewer.user, membership=viewer.membership, filename="ngo-list.csv",
        content=base64.b64encode(LIST.encode()).decode(), columns=COLUMNS, rows=2, **extra)


def finished_check(viewer: Viewer, result: dict | None = None, **extra) -> Job:
    fields = {"kind": SPREADSHEET_CHECK, "runner": "x", "status": JobStatus.DONE,
              "params": {"filename": "ngo-list.csv", "rows": 3, "against_registry": False},
              "result": result if result is not None else {
                  "rows": 3, "pairs": [["1", "2", 0.98], ["=cmd", "3", 0.91]],
                  "clusters": [["1", "1"], ["2", "1"], ["3", "3"], ["=cmd", "3"]]},
              **extra}
    return Job.objects.create(created_by=viewer.user, membership=viewer.membership,
                              organisation_id=viewer.organisation_id, **fields)


def test_the_columns_are_guessed_from_their_headers(client, case_worker):
    upload = upload_for(case_worker)
    login(client, case_worker)
    page = client.get(reverse("linkage:spreadsheet_map", args=[upload.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    assert {field: form[field].value() for field in MAPPING} == MAPPING
    assert "against_registry" in form.fields


def test_a_mapping_without_an_id_or_a_name_says_what_to_fix_and_starts_nothing(client,
                                                                                case_worker):
    upload = upload_for(case_worker)
    login(client, case_worker)
    page = client.post(reverse("linkage:spreadsheet_map", args=[upload.pk]),
                       {"birth": "Дата рождения"})
    text = page.content.decode()
    assert page.status_code == 400
    assert "Choose the column that identifies each row" in text
    assert "Choose at least one column with a name" in text
    assert SpreadsheetUpload.objects.filter(pk=upload.pk).exists()
    assert not Job.objects.exists()


def test_a_column_that_is_not_in_the_file_is_refused(case_worker):
    upload = upload_for(case_worker)
    with pytest.raises(ValidationError, match="no column"):
        spreadsheet_check_start(viewer=case_worker, upload=upload,
                                mapping={**MAPPING, "given": "Name"})
    assert not Job.objects.exists()


def test_starting_the_check_hands_the_file_to_a_background_job(client, case_worker):
    upload = upload_for(case_worker)
    login(client, case_worker)
    response = client.post(reverse("linkage:spreadsheet_map", args=[upload.pk]),
                           {**MAPPING, "against_registry": "on"})
    job = Job.objects.get(kind=SPREADSHEET_CHECK)
    assert response.status_code == 302
    assert response.url == reverse("core:job", args=[job.pk])
    assert job.params["mapping"] == MAPPING
    assert job.params["against_registry"] is True
    assert not SpreadsheetUpload.objects.exists()
    entry = AuditEntry.objects.get(action=AuditAction.SPREADSHEET_CHECKED,
                                   purpose__startswith="started")
    assert "against the registry" in entry.purpose and entry.actor == case_worker.user


def test_the_file_and_its_name_are_encrypted_while_they_wait(case_worker):
    upload_for(case_worker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT filename, content, columns FROM linkage_spreadsheetupload")
        stored = repr(cursor.fetchall())
    for secret in ("ngo-list", "Фамилия", base64.b64encode(LIST.encode()).decode()[:20]):
        assert secret not in stored


def test_a_coordinator_checks_a_file_but_never_against_the_registry(client, coordinator):
    upload = upload_for(coordinator)
    login(client, coordinator)
    page = client.get(reverse("linkage:spreadsheet_map", args=[upload.pk]))
    assert "against_registry" not in page.context["form"].fields
    with pytest.raises(PermissionDenied):
        spreadsheet_check_start(viewer=coordinator, upload=upload, mapping=MAPPING,
                                against_registry=True)
    assert not Job.objects.exists()


def test_an_upload_is_its_uploaders_alone_and_expires(client, case_worker, colleague):
    upload = upload_for(case_worker)
    login(client, colleague)
    assert client.get(reverse("linkage:spreadsheet_map", args=[upload.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        spreadsheet_check_start(viewer=colleague, upload=upload, mapping=MAPPING)
    SpreadsheetUpload.objects.filter(pk=upload.pk).update(
        uploaded_at=timezone.now() - dt.timedelta(days=2))
    login(client, case_worker)
    assert client.get(reverse("linkage:spreadsheet_map", args=[upload.pk])).status_code == 404


def test_the_result_shows_the_pairs_and_counts_persons(client, case_worker):
    job = finished_check(case_worker)
    login(client, case_worker)
    page = client.get(reverse("linkage:spreadsheet_result", args=[job.pk]))
    assert page.status_code == 200
    assert page.context["pairs_count"] == 2
    assert (page.context["persons"], page.context["found_more_than_once"]) == (2, 2)
    assert "98%" in page.content.decode()


def test_the_pairs_and_clusters_download_as_csv_and_the_export_is_audited(client,
                                                                          case_worker):
    job = finished_check(case_worker)
    login(client, case_worker)
    pairs = client.get(reverse("linkage:spreadsheet_download", args=[job.pk, "pairs"]))
    assert pairs["Content-Type"].startswith("text/csv")
    lines = pairs.content.decode().splitlines()
    assert lines[0] == "id_l,id_r,match_probability"
    assert lines[1] == "1,2,0.98"
    assert lines[2].startswith("'=cmd")  # never run as a formula by a spreadsheet program
    clusters = client.get(reverse("linkage:spreadsheet_download", args=[job.pk, "clusters"]))
    assert clusters.content.decode().splitlines()[:2] == ["id,cluster", "1,1"]
    exports = AuditEntry.objects.filter(action=AuditAction.EXPORT, actor=case_worker.user)
    assert sorted(entry.fields[0] for entry in exports) == ["clusters", "pairs"]


def test_only_a_finished_check_of_ones_own_has_a_result(client, case_worker, colleague):
    mine = finished_check(case_worker)
    running = finished_check(case_worker, status=JobStatus.RUNNING)
    other_kind = finished_check(case_worker, kind="import")
    login(client, colleague)
    assert client.get(reverse("linkage:spreadsheet_result", args=[mine.pk])).status_code == 404
    assert client.get(reverse("linkage:spreadsheet_download",
                              args=[mine.pk, "pairs"])).status_code == 404
    login(client, case_worker)
    for job in (running, other_kind):
        assert client.get(reverse("linkage:spreadsheet_result",
                                  args=[job.pk])).status_code == 404
    assert client.get(reverse("linkage:spreadsheet_download",
                              args=[mine.pk, "secrets"])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()


@pytest.mark.parametrize("name", ["upload", "map", "result", "pairs"])
def test_anonymous_is_sent_to_sign_in(client, case_worker, name):
    url = _urls(case_worker)[name]
    for response in (client.get(url), client.post(url, {"file": _file(LIST)})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))
    assert SpreadsheetUpload.objects.count() == 1


@pytest.mark.parametrize("who", ["analyst", "org_admin"])
@pytest.mark.parametrize("name", ["upload", "map", "result", "pairs"])
def test_roles_that_do_not_check_spreadsheets_are_refused(client, request, case_worker, who,
                                                          name):
    url = _urls(case_worker)[name]
    login(client, request.getfixturevalue(who))
    assert client.get(url).status_code == 403
    assert client.post(url, {**MAPPING, "file": _file(LIST)}).status_code in (403, 405)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    assert SpreadsheetUpload.objects.count() == 1


@pytest.mark.parametrize("name", ["map", "result", "pairs"])
def test_an_outsider_finds_nothing(client, case_worker, outsider, name):
    url = _urls(case_worker)[name]
    login(client, outsider)
    assert client.get(url).status_code == 404
    assert SpreadsheetUpload.objects.count() == 1


def _urls(viewer: Viewer) -> dict[str, str]:
    upload = upload_for(viewer)
    job = finished_check(viewer)
    return {"upload": reverse("linkage:spreadsheet_upload"),
            "map": reverse("linkage:spreadsheet_map", args=[upload.pk]),
            "result": reverse("linkage:spreadsheet_result", args=[job.pk]),
            "pairs": reverse("linkage:spreadsheet_download", args=[job.pk, "pairs"])}
