"""HTCDS import and export over the API, with the pages' permissions: anonymous callers get 401,
an outsider 404 for another's import, a role that may not 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nrm.accounts.services import api_token_create
from nrm.accounts.viewer import Viewer
from nrm.interchange.models import HtcdsImport
from nrm.registry.models import Case
from tests.interchange.conftest import records, registry_counts

pytestmark = pytest.mark.django_db

BASE = "/api/v1/htcds"
FILE = ("prs_FirstName,prs_SecondName,prs_Gender,con_Consent\r\n"
        "Айгуль,Мамытова,Feminine,TRUE\r\n").encode()


class Caller:
    """Calls the API as one viewer's token (or as nobody)."""

    def __init__(self, viewer: Viewer | None) -> None:
        self.client = Client()
        self.headers = {"Accept-Language": "en"}
        if viewer is not None:
            token = api_token_create(viewer=viewer, name="tests")[1]
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers=self.headers)

    def post(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return self.client.post(BASE + path, data or {}, headers=self.headers)

    def upload(self, content: bytes = FILE, **data: Any) -> Any:
        return self.post("/imports", {"file": SimpleUploadedFile("cases.csv", content), **data})


@pytest.fixture
def uploaded(case_worker) -> dict[str, Any]:
    response = Caller(case_worker).upload(consent_method="oral")
    assert response.status_code == 202, response.json()
    return response.json()


def test_anonymous_callers_get_401_everywhere(uploaded):
    nobody = Caller(None)
    pk = uploaded["id"]
    responses = [nobody.get("/export"), nobody.get("/imports"), nobody.get(f"/imports/{pk}"),
                 nobody.upload(), nobody.post(f"/imports/{pk}/commit"),
                 nobody.post(f"/imports/{pk}/discard")]
    assert [response.status_code for response in responses] == [401] * 6


def test_an_upload_is_checked_and_its_preview_shown(uploaded):
    assert uploaded["status"] == "checked"
    assert uploaded["counts"]["cases"] == 1
    assert uploaded["check_job"]["status"] == "done"
    assert uploaded["check_job"]["percent"] == 100
    assert uploaded["sample"][0]["sex"] == "Female"
    assert "initials" not in uploaded["sample"][0]
    assert (uploaded["counts"]["plans"], uploaded["sample"][0]["plans"]) == (0, 0)


def test_commit_imports_once_and_a_second_commit_is_a_conflict(case_worker, uploaded):
    caller = Caller(case_worker)
    pk = uploaded["id"]

    committed = caller.post(f"/imports/{pk}/commit")

    assert committed.status_code == 202
    assert committed.json()["status"] == "committed"
    assert committed.json()["commit_job"]["status"] == "done"
    assert Case.objects.count() == 1
    again = caller.post(f"/imports/{pk}/commit")
    assert again.status_code == 409
    assert Case.objects.count() == 1
    assert [item["id"] for item in caller.get("/imports").json()] == [pk]


def test_a_bad_file_answers_with_its_problems_row_by_row(case_worker):
    before = registry_counts()

    response = Caller(case_worker).upload(b"prs_FirstName,prs_Gender\r\nAigul,Femle\r\n")

    body = response.json()
    assert body["status"] == "refused"
    assert body["problems"][0]["row"] == 2
    assert body["problems"][0]["column"] == "prs_Gender"
    assert body["problems"][0]["problem"] == "“Femle” is not a value of prs_Gender."
    commit = Caller(case_worker).post(f"/imports/{body['id']}/commit")
    assert commit.status_code == 409
    assert registry_counts() == before


def test_a_file_too_large_is_refused_with_422(case_worker, settings):
    settings.NRM_IMPORT_MAX_BYTES = 10
    response = Caller(case_worker).upload()
    assert response.status_code == 422
    assert "nrm imports at most 10" in response.json()["errors"]["file"][0]
    assert not HtcdsImport.objects.exists()


def test_an_outsider_and_a_colleague_get_404_for_another_s_import(uploaded, outsider,
                                                                   colleague):
    pk = uploaded["id"]
    for other in (outsider, colleague):
        caller = Caller(other)
        assert caller.get(f"/imports/{pk}").status_code == 404
        assert caller.post(f"/imports/{pk}/commit").status_code == 404
        assert caller.post(f"/imports/{pk}/discard").status_code == 404
        assert caller.get("/imports").json() == []
    assert not Case.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "org_admin", "coordinator"])
def test_roles_that_do_not_register_persons_get_403_for_an_upload(role, request):
    response = Caller(request.getfixturevalue(role)).upload()
    assert response.status_code == 403
    assert not HtcdsImport.objects.exists()


@pytest.mark.parametrize("role", ["analyst", "org_admin"])
def test_roles_that_see_no_cases_get_403_for_an_export(role, request):
    assert Caller(request.getfixturevalue(role)).get("/export").status_code == 403


def test_a_coordinator_asking_for_identity_gets_403(coordinator):
    assert Caller(coordinator).get("/export", identity="true").status_code == 403


def test_an_export_over_the_api(case_worker, safe_home_cases):
    response = Caller(case_worker).get("/export", format="xlsx", identity="true",
                                       status="FollowUp")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [row["prs_FirstName"] for row in records(response.content)] == ["Жаныл"]


def test_an_unknown_export_filter_is_refused_with_422(case_worker):
    response = Caller(case_worker).get("/export", status="Open")
    assert response.status_code == 422
    assert "status" in response.json()["errors"]


def test_discarding_over_the_api(case_worker, uploaded):
    response = Caller(case_worker).post(f"/imports/{uploaded['id']}/discard")
    assert response.status_code == 200
    assert response.json()["status"] == "discarded"
    assert Caller(case_worker).post(f"/imports/{uploaded['id']}/discard").status_code == 422


def test_a_large_workbook_over_the_api_is_a_job_then_a_file_once(case_worker, outsider,
                                                                   safe_home_cases, settings):
    settings.NRM_EXPORT_XLSX_IN_REQUEST = 1
    caller = Caller(case_worker)

    started = caller.get("/export", format="xlsx")

    assert started.status_code == 202
    body = started.json()
    job_id = body["job"]["id"]
    assert body["file_url"] == f"/api/v1/htcds/exports/{job_id}/file"
    assert caller.get(f"/exports/{job_id}").json()["job"]["status"] == "done"
    assert Caller(outsider).get(f"/exports/{job_id}").status_code == 404
    assert Caller(outsider).get(f"/exports/{job_id}/file").status_code == 404
    assert Caller(None).get(f"/exports/{job_id}/file").status_code == 401
    assert Caller(None).get(f"/exports/{job_id}").status_code == 401
    workbook = caller.get(f"/exports/{job_id}/file")
    assert workbook.status_code == 200
    assert len(records(workbook.content)) == 3
    assert caller.get(f"/exports/{job_id}/file").status_code == 404


def test_an_import_job_is_not_an_export(case_worker, uploaded):
    check_job = uploaded["check_job"]["id"]
    assert Caller(case_worker).get(f"/exports/{check_job}").status_code == 404
