"""A spreadsheet checked from start to end on the real engine. Safe Home's case worker has an
NGO's list in which Айгуль Мамытова appears twice (in Cyrillic, and from her passport in Latin
letters); Safe Home has registered her already. She uploads the list, maps its columns, checks
it against the registry, follows the progress, and downloads the pairs: the two rows are one
person, and that person is Safe Home's. Everything that can go wrong says what to fix."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nrm.accounts.models import Membership
from nrm.core.jobs import job_start
from nrm.core.models import AuditAction, AuditEntry, Job, JobStatus
from nrm.linkage.models import SpreadsheetUpload
from nrm.linkage.selectors import SPREADSHEET_CHECK
from nrm.linkage.services import SPREADSHEET_CHECK_RUNNER
from tests.conftest import login

pytestmark = pytest.mark.django_db

LIST = ("№,Фамилия,Имя,Дата рождения,Пол\n"
        "1,Мамытова,Айгуль,1995-03-14,ж\n"
        "2,MAMYTOVA,AIGUL,1995-03-14,F\n"
        "3,Осмонов,Бакыт,1988,M\n")
MAPPING = {"id": "№", "family": "Фамилия", "given": "Имя", "birth": "Дата рождения",
           "sex": "Пол"}


def _file(text: str, name: str = "ngo-list.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def upload(client, text: str = LIST, name: str = "ngo-list.csv"):
    return client.post(reverse("linkage:spreadsheet_upload"), {"file": _file(text, name)})


def check(client, text: str = LIST, *, against_registry: bool = True, mapped=None) -> Job:
    """Upload (unless done), map and start: the tests' task backend runs the check at once."""
    mapped = mapped or upload(client, text)
    assert mapped.status_code == 302, mapped.content.decode()
    started = client.post(mapped.url, {**MAPPING, **({"against_registry": "on"}
                                                     if against_registry else {})})
    assert started.status_code == 302
    return Job.objects.get(pk=int(started.url.rstrip("/").rsplit("/", 1)[-1]))


def rows_of(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_a_list_checked_against_the_registry_from_upload_to_download(client, case_worker,
                                                                     aigul_case,
                                                                     aigul_at_tendesh):
    login(client, case_worker)
    page = client.get(reverse("linkage:spreadsheet_upload"))
    assert page.status_code == 200 and 'id="upload"' in page.content.decode()
    mapped = upload(client)
    upload_row = SpreadsheetUpload.objects.get()
    assert mapped.url == reverse("linkage:spreadsheet_map", args=[upload_row.pk])
    assert client.get(mapped.url).context["form"]["family"].value() == "Фамилия"

    job = check(client, mapped=mapped)
    assert job.status == JobStatus.DONE, job.error
    assert job.input_data == "" and not SpreadsheetUpload.objects.exists()
    progress = client.get(reverse("core:job", args=[job.pk])).content.decode()
    result_url = reverse("linkage:spreadsheet_result", args=[job.pk])
    assert result_url in progress

    result = client.get(result_url)
    assert result.status_code == 200
    assert result.context["result"]["rows_in_registry"] == 2
    assert (result.context["persons"], result.context["found_more_than_once"]) == (2, 1)
    assert 'id="rows-in-registry">2<' in result.content.decode()
    code = aigul_case.person.display_code
    pairs = rows_of(client.get(reverse("linkage:spreadsheet_download", args=[job.pk, "pairs"])))
    assert pairs[0] == ["id_l", "id_r", "match_probability"]
    assert {frozenset(row[:2]) for row in pairs[1:]} == {
        frozenset(("1", "2")), frozenset(("1", code)), frozenset(("2", code))}
    # Tendesh's registration of her is not Safe Home's to match against.
    assert aigul_at_tendesh.person.display_code not in str(pairs)
    clusters = dict(rows_of(client.get(reverse("linkage:spreadsheet_download",
                                               args=[job.pk, "clusters"])))[1:])
    assert clusters["1"] == clusters["2"] == clusters[code] != clusters["3"]

    reads = AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED,
                                      actor=case_worker.user)
    assert "spreadsheet check: 1 identities read for comparison" in [
        entry.purpose.split(" (")[0] for entry in reads]
    upload_page = client.get(reverse("linkage:spreadsheet_upload")).content.decode()
    assert result_url in upload_page  # her recent checks


def test_a_list_checked_on_its_own_reads_no_registry_person(client, coordinator, aigul_case):
    login(client, coordinator)
    job = check(client, against_registry=False)
    assert job.status == JobStatus.DONE, job.error
    assert job.result["registry_persons"] == 0
    assert [pair[:2] for pair in job.result["pairs"]] == [["1", "2"]]
    assert job.result["persons"] == 2
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED,
                                         purpose__contains="identities read").exists()


@pytest.mark.parametrize(("text", "name", "said"), [
    ("", "empty.csv", "is empty"),
    ("№,Фамилия\n", "header.csv", "no rows of persons"),
    ("a;b\n1;2\n", "list.pdf", "neither a CSV nor an XLSX"),
    ("not a workbook", "list.xlsx", "cannot be opened as an XLSX"),
    ("№,Имя,Имя\n1,Айгуль,Aigul\n", "twice.csv", "appears twice"),
])
def test_a_file_that_is_not_a_list_is_refused_with_what_to_fix(client, case_worker, text, name,
                                                               said):
    login(client, case_worker)
    response = upload(client, text, name)
    assert response.status_code == 400
    assert said in response.content.decode()
    assert not SpreadsheetUpload.objects.exists()


def test_a_file_in_another_encoding_is_refused_with_what_to_fix(client, case_worker):
    login(client, case_worker)
    response = client.post(reverse("linkage:spreadsheet_upload"), {"file": SimpleUploadedFile(
        "cp1251.csv", "№,Фамилия\n1,Мамытова\n".encode("cp1251"))})
    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()


def test_a_file_over_the_limit_is_refused(client, settings, case_worker):
    settings.NRM_IMPORT_MAX_BYTES = 50
    login(client, case_worker)
    response = upload(client)
    assert response.status_code == 400 and "at most" in response.content.decode()
    assert not SpreadsheetUpload.objects.exists()


def test_a_bad_cell_fails_the_check_with_its_row_and_column(client, case_worker):
    login(client, case_worker)
    job = check(client, LIST + "4,Жумабаева,Асель,30.09.2001,ж\n")
    assert job.status == JobStatus.FAILED
    assert "row 5" in job.error and "Дата рождения" in job.error and "YYYY-MM-DD" in job.error
    assert "Something went wrong" not in job.error
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "30.09.2001" in page
    assert client.get(reverse("linkage:spreadsheet_result", args=[job.pk])).status_code == 404


def test_a_row_id_that_is_a_registry_code_fails_the_check_with_what_to_fix(client, case_worker,
                                                                           aigul_case):
    login(client, case_worker)
    code = aigul_case.person.display_code
    job = check(client, LIST.replace("\n3,", f"\n{code},"))
    assert job.status == JobStatus.FAILED
    assert code in job.error and "other ids" in job.error


def test_a_check_whose_starter_left_the_organisation_says_so(case_worker):
    Membership.objects.filter(pk=case_worker.membership.pk).update(is_active=False)
    job = job_start(created_by=case_worker.user, membership=case_worker.membership,
                    kind=SPREADSHEET_CHECK, runner=SPREADSHEET_CHECK_RUNNER,
                    params={"mapping": MAPPING, "filename": "ngo-list.csv",
                            "against_registry": True},
                    input_bytes=LIST.encode())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "no longer active" in job.error
    assert job.input_data == ""
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED).exists()


def test_the_menu_offers_the_check_to_those_who_may_run_it(client, case_worker, coordinator,
                                                           analyst):
    for viewer, shown in ((case_worker, True), (coordinator, True), (analyst, False)):
        login(client, viewer)
        page = client.get(reverse("directory:organisation_list")).content.decode()
        assert (reverse("linkage:spreadsheet_upload") in page) is shown
