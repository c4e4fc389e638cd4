"""The "Import and export" screens: a case worker downloads an export, uploads a file, follows
the check on the job page, reads the preview and confirms; anonymous visitors are sent to sign
in, other roles are refused, and nobody but the uploader sees an upload."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nrm.core.models import Job
from nrm.interchange.models import HtcdsImport
from nrm.registry.models import Case
from tests.conftest import login
from tests.interchange.conftest import records, registry_counts

pytestmark = pytest.mark.django_db

FILE = ("prs_FirstName,prs_SecondName,prs_Gender,vic_TypeOfExploitation\r\n"
        "Айгуль,Мамытова,Feminine,ForcedLabour\r\nНурбек,Асанов,Masculine,ForcedLabour\r\n"
        ).encode()
BAD_FILE = ("prs_FirstName,prs_Gender\r\nАйгуль,Femle\r\n").encode()


def _upload(client, content: bytes = FILE, name: str = "cases.csv", **data):
    return client.post(reverse("interchange:import_upload"),
                       {"file": SimpleUploadedFile(name, content), **data})


@pytest.fixture
def upload(case_worker) -> HtcdsImport:
    from nrm.interchange.services import htcds_import_start

    return htcds_import_start(viewer=case_worker, filename="cases.csv", content=FILE)


def _pages(upload: HtcdsImport) -> dict[str, str]:
    return {
        "home": reverse("interchange:home"),
        "export": reverse("interchange:export") + "?file_format=csv",
        "detail": reverse("interchange:import_detail", args=[upload.pk]),
    }


def _actions(upload: HtcdsImport) -> dict[str, str]:
    return {
        "upload": reverse("interchange:import_upload"),
        "confirm": reverse("interchange:import_confirm", args=[upload.pk]),
        "discard": reverse("interchange:import_discard", args=[upload.pk]),
    }


def test_anonymous_is_sent_to_sign_in(client, upload):
    responses = [client.get(url) for url in _pages(upload).values()]
    responses += [client.post(url, {}) for url in _actions(upload).values()]
    for response in responses:
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("role", ["analyst", "org_admin"])
def test_roles_without_cases_are_refused_everywhere(client, upload, role, request):
    login(client, request.getfixturevalue(role))
    for url in _pages(upload).values():
        assert client.get(url).status_code in (403, 404)
    for url in _actions(upload).values():
        assert client.post(url, {}).status_code in (403, 404)
    assert HtcdsImport.objects.get(pk=upload.pk).status == "checked"


def test_an_outsider_and_a_colleague_cannot_see_or_confirm_another_s_upload(
        client, upload, outsider, colleague):
    for other in (outsider, colleague):
        login(client, other)
        assert client.get(_pages(upload)["detail"]).status_code == 404
        assert client.post(_actions(upload)["confirm"]).status_code == 404
        assert client.post(_actions(upload)["discard"]).status_code == 404
    assert not Case.objects.exists()


def test_a_coordinator_may_export_but_not_import(client, coordinator, safe_home_cases):
    login(client, coordinator)
    page = client.get(reverse("interchange:home"))
    assert page.status_code == 200
    assert b'id="export-form"' in page.content
    assert b'id="import-form"' not in page.content
    assert b'name="identity"' not in page.content
    assert _upload(client).status_code == 403
    # Identity is not offered, and asking for it anyway gets the export without it.
    downloaded = client.get(reverse("interchange:export"), {"file_format": "csv",
                                                             "identity": "on"})
    rows = records(b"".join(downloaded.streaming_content))
    assert len(rows) == 3
    assert "prs_FirstName" not in rows[0]


def test_the_menu_links_to_import_and_export_for_those_who_may_use_it(
        client, case_worker, coordinator, analyst):
    link = reverse("interchange:home").encode()
    for viewer, shown in ((case_worker, True), (coordinator, True), (analyst, False)):
        login(client, viewer)
        assert (link in client.get(reverse("accounts:security")).content) is shown


def test_a_case_worker_downloads_an_export(client, case_worker, safe_home_cases):
    login(client, case_worker)

    response = client.get(reverse("interchange:export"),
                          {"file_format": "csv", "identity": "on", "status": "Active"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="htcds-cases-')
    content = b"".join(response.streaming_content)
    assert [row["prs_FirstName"] for row in records(content)] == ["Айгуль"]


def test_an_xlsx_download(client, case_worker, safe_home_cases):
    login(client, case_worker)
    response = client.get(reverse("interchange:export"), {"file_format": "xlsx"})
    assert response.status_code == 200
    assert len(records(response.content)) == 3


def test_a_wrong_export_filter_is_said_beside_the_form(client, case_worker):
    login(client, case_worker)
    response = client.get(reverse("interchange:export"), {
        "file_format": "csv", "opened_from": "2024-05-01", "opened_to": "2024-01-01"})
    assert response.status_code == 400
    assert b"The end of the period cannot come before its start." in response.content


def test_upload_check_preview_and_confirm(client, case_worker):
    login(client, case_worker)

    uploaded = _upload(client)

    upload = HtcdsImport.objects.get()
    assert uploaded.status_code == 302
    assert uploaded.url == reverse("core:job", args=[upload.check_job_id])
    job_page = client.get(uploaded.url)
    assert reverse("interchange:import_detail", args=[upload.pk]).encode() in job_page.content
    preview = client.get(reverse("interchange:import_detail", args=[upload.pk]))
    assert preview.status_code == 200
    assert b'id="count-cases">2<' in preview.content
    assert b'id="count-plans">0<' in preview.content
    assert "А. М.".encode() in preview.content
    assert "Мамытова".encode() not in preview.content
    assert b'id="confirm-import"' in preview.content

    confirmed = client.post(reverse("interchange:import_confirm", args=[upload.pk]))

    upload.refresh_from_db()
    assert confirmed.url == reverse("core:job", args=[upload.commit_job_id])
    assert upload.status == "committed"
    assert Case.objects.count() == 2
    after = client.get(reverse("interchange:import_detail", args=[upload.pk]))
    assert b'id="confirm-import"' not in after.content
    again = client.post(reverse("interchange:import_confirm", args=[upload.pk]))
    assert again.status_code == 302
    assert Case.objects.count() == 2
    assert Job.objects.filter(kind="htcds_import").count() == 1


def test_the_preview_of_a_bad_file_lists_what_to_correct_and_offers_no_import(
        client, case_worker):
    login(client, case_worker)
    before = registry_counts()

    _upload(client, BAD_FILE)

    upload = HtcdsImport.objects.get()
    preview = client.get(reverse("interchange:import_detail", args=[upload.pk]))
    assert b'id="problems"' in preview.content
    assert "“Femle” is not a value of prs_Gender.".encode() in preview.content
    assert b'id="confirm-import"' not in preview.content
    assert registry_counts() == before


def test_a_file_that_is_too_large_is_refused_on_the_form(client, case_worker, settings):
    settings.NRM_IMPORT_MAX_BYTES = 50
    login(client, case_worker)
    response = _upload(client)
    assert response.status_code == 400
    assert b"nrm imports at most 50" in response.content
    assert not HtcdsImport.objects.exists()


def test_discarding_an_upload(client, case_worker, upload):
    login(client, case_worker)
    response = client.post(reverse("interchange:import_discard", args=[upload.pk]))
    assert response.url == reverse("interchange:home")
    upload.refresh_from_db()
    assert upload.status == "discarded"


def test_recent_imports_are_listed_for_their_uploader(client, case_worker, colleague, upload):
    login(client, case_worker)
    assert reverse("interchange:import_detail", args=[upload.pk]).encode() in client.get(
        reverse("interchange:home")).content
    login(client, colleague)
    assert reverse("interchange:import_detail", args=[upload.pk]).encode() not in client.get(
        reverse("interchange:home")).content


def test_a_large_workbook_is_written_in_the_background_and_downloaded_once(
        client, case_worker, colleague, safe_home_cases, settings):
    settings.NRM_EXPORT_XLSX_IN_REQUEST = 2
    login(client, case_worker)

    started = client.get(reverse("interchange:export"), {"file_format": "xlsx"})

    job = Job.objects.get(kind="htcds_export")
    assert started.url == reverse("core:job", args=[job.pk])
    assert job.status == "done"
    download = reverse("interchange:export_download", args=[job.pk])
    assert job.result_url == download
    assert download.encode() in client.get(started.url).content
    login(client, colleague)
    assert client.get(download).status_code == 404
    login(client, case_worker)
    workbook = client.get(download)
    assert workbook.status_code == 200
    assert len(records(workbook.content)) == 3
    assert client.get(download).status_code == 404  # once only


def test_a_small_workbook_downloads_at_once(client, case_worker, safe_home_cases, settings):
    settings.NRM_EXPORT_XLSX_IN_REQUEST = 3
    login(client, case_worker)
    response = client.get(reverse("interchange:export"), {"file_format": "xlsx"})
    assert response.status_code == 200
    assert not Job.objects.filter(kind="htcds_export").exists()


def test_anonymous_cannot_download_a_background_export(client, case_worker, safe_home_cases,
                                                       settings):
    settings.NRM_EXPORT_XLSX_IN_REQUEST = 0
    login(client, case_worker)
    client.get(reverse("interchange:export"), {"file_format": "xlsx"})
    client.logout()
    job = Job.objects.get(kind="htcds_export")
    response = client.get(reverse("interchange:export_download", args=[job.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
