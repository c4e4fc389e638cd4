"""A case worker's day through the API: list cases, read one, change it, add an event, close it,
and see who accessed the record."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.core.models import AuditAction, AuditEntry
from nrm.registry.models import Case, TraffickingEvent
from nrm.registry.services import case_close
from tests.conftest import register

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def test_case_worker_lists_their_organisations_cases(api_as, case_worker, colleague, outsider,
                                                     aigul_case):
    theirs = register(colleague, given="Жылдыз", family="Касымова")
    register(outsider, given="Бермет", family="Турдуева")
    listed = api_as(case_worker).get("/cases").json()
    assert listed["count"] == 2
    assert {item["code"] for item in listed["items"]} == {aigul_case.code, theirs.code}
    item = next(i for i in listed["items"] if i["code"] == aigul_case.code)
    assert item["person_code"] == aigul_case.person.code
    assert item["organisation"]["name"] == "Safe Home Bishkek"
    assert item["case_worker"] == "aizada"
    assert item["exploitation_types"] == ["ForcedLabour"]
    assert "given_name" not in str(listed)


def test_cases_filter_mine_and_status_and_page(api_as, case_worker, colleague, aigul_case):
    register(colleague, given="Жылдыз", family="Касымова")
    closed = register(case_worker, given="Нургуль", family="Бекова")
    case_close(viewer=case_worker, case=closed, closed_on=TODAY, reason="returned home")
    api = api_as(case_worker)
    assert api.get("/cases", mine="true").json()["count"] == 2
    only_closed = api.get("/cases", status="Closed").json()
    assert [item["code"] for item in only_closed["items"]] == [closed.code]
    page = api.get("/cases", limit=1, offset=1).json()
    assert page["count"] == 3
    assert len(page["items"]) == 1
    assert api.get("/cases", status="Finished").status_code == 422
    assert api.get("/cases", limit=0).status_code == 422
    assert api.get("/cases", offset=10**30).status_code == 422


def test_case_worker_reads_the_case_with_identity_and_it_is_audited(api_as, case_worker,
                                                                     aigul_case):
    response = api_as(case_worker).get(f"/cases/{aigul_case.person.display_code}")
    assert response.status_code == 404  # a person's code is not a case's

    response = api_as(case_worker).get(f"/cases/{aigul_case.display_code.lower()}")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == aigul_case.code
    assert body["identity"]["family_name"] == "Мамытова"
    assert body["identity"]["latin_name"] == "Aygul Mamytova"
    assert body["person"]["citizenships"] == ["KG"]
    reads = set(AuditEntry.objects.filter(actor=case_worker.user,
                                          person_code=aigul_case.person.code)
                .values_list("action", flat=True))
    assert {AuditAction.CASE_READ, AuditAction.IDENTITY_READ} <= reads


def test_patch_changes_only_what_was_sent(api_as, case_worker, aigul_case):
    response = api_as(case_worker).patch(f"/cases/{aigul_case.code}", {
        "means_of_control": ["DebtBondage", "WithholdsDocuments"],
        "labour_industry": "F_Construction",
    })
    assert response.status_code == 200, response.json()
    aigul_case.refresh_from_db()
    assert aigul_case.means_of_control == ["DebtBondage", "WithholdsDocuments"]
    assert aigul_case.labour_industry == "F_Construction"
    assert aigul_case.exploitation_types == ["ForcedLabour"]  # not sent, kept
    assert aigul_case.entry_point == "hotline"
    changed = AuditEntry.objects.get(action=AuditAction.CASE_CHANGED)
    assert changed.fields == ["labour_industry", "means_of_control"]

    cleared = api_as(case_worker).patch(f"/cases/{aigul_case.code}", {"labour_industry": None})
    assert cleared.json()["labour_industry"] == ""


def test_patch_refuses_bad_values_and_changes_nothing(api_as, case_worker, aigul_case):
    api = api_as(case_worker)
    future = (TODAY + dt.timedelta(days=3)).isoformat()
    for body in [{"opened_on": future}, {"opened_on": "1850-01-01"},
                 {"exploitation_types": ["Slavery"]}, {"status": "Closed"},
                 {"case_worker_id": 10**20}, {"entry_point": "x" * 500},
                 {"exploitation_types": ["ForcedLabour"] * 13}]:
        response = api.patch(f"/cases/{aigul_case.code}", body)
        assert response.status_code == 422, body
        assert response.json()["errors"], body
    aigul_case.refresh_from_db()
    assert aigul_case.status == "Active"
    assert not AuditEntry.objects.filter(action=AuditAction.CASE_CHANGED).exists()


def test_case_worker_of_another_organisation_cannot_be_assigned(api_as, case_worker, outsider,
                                                                aigul_case):
    response = api_as(case_worker).patch(f"/cases/{aigul_case.code}",
                                         {"case_worker_id": outsider.user.pk})
    assert response.status_code == 422
    assert "case_worker_id" in response.json()["errors"]


def test_close_a_case(api_as, case_worker, aigul_case):
    api = api_as(case_worker)
    refused = api.post(f"/cases/{aigul_case.code}/close",
                       {"closed_on": (TODAY + dt.timedelta(days=1)).isoformat(), "reason": "x"})
    assert refused.status_code == 422
    assert "closed_on" in refused.json()["errors"]
    assert api.post(f"/cases/{aigul_case.code}/close",
                    {"closed_on": TODAY.isoformat(), "reason": "  "}).status_code == 422
    assert api.post(f"/cases/{aigul_case.code}/close", {"closed_on": "yesterday",
                                                         "reason": "x"}).status_code == 422
    closed = api.post(f"/cases/{aigul_case.code}/close",
                      {"closed_on": TODAY.isoformat(), "reason": "returned home", "referred": True})
    assert closed.status_code == 200
    assert closed.json()["status"] == "ClosedReferred"
    assert closed.json()["closure_reason"] == "returned home"


def test_record_an_event(api_as, case_worker, aigul_case):
    api = api_as(case_worker)
    response = api.post(f"/cases/{aigul_case.code}/events", {
        "stage": "Exploitation", "country": "RU", "region": "RU-MOW", "date": "2023-11",
        "description": "greenhouse near Moscow",
    })
    assert response.status_code == 201, response.json()
    event = response.json()
    assert event["date"] == "2023-11-01"
    assert event["date_precision"] == "month"
    assert event["description"] == "greenhouse near Moscow"
    assert TraffickingEvent.objects.filter(case=aigul_case).count() == 1


@pytest.mark.parametrize("event", [
    {"stage": "Exploitation", "country": "XX"},
    {"stage": "Exploitation", "country": "RU", "region": "KG-GB"},
    {"stage": "Exploitation", "country": "RU", "date": "2999-01"},
    {"stage": "Exploitation", "country": "RU", "date": "2023-02-30"},
    {"stage": "Exploitation", "country": "RUS"},
    {"stage": "Slavery", "country": "RU"},
    {"stage": "Exploitation", "country": "RU", "city": "x" * 101},
    {"country": "RU"},
])
def test_bad_event_is_refused_and_nothing_written(api_as, case_worker, aigul_case, event):
    response = api_as(case_worker).post(f"/cases/{aigul_case.code}/events", event)
    assert response.status_code == 422
    assert response.json()["detail"]
    assert not TraffickingEvent.objects.exists()


def test_access_log_shows_who_read_the_record(api_as, case_worker, colleague, aigul_case):
    api_as(colleague).get(f"/cases/{aigul_case.code}")
    log = api_as(case_worker).get(f"/cases/{aigul_case.code}/access-log").json()
    actors = {entry["actor"] for entry in log["items"]}
    assert {"aizada", "bakyt"} <= actors
    labels = {entry["action_label"] for entry in log["items"]}
    assert "Identity viewed" in labels
    assert all("ip" not in entry for entry in log["items"])


def test_coordinator_reads_access_log_of_a_national_case(api_as, coordinator, aigul_case):
    response = api_as(coordinator).get(f"/cases/{aigul_case.code}/access-log")
    assert response.status_code == 200
    assert response.json()["count"] >= 1


def test_case_page_responses_name_no_case_the_caller_cannot_see(api_as, case_worker, outsider):
    hidden = register(outsider, given="Бермет", family="Турдуева")
    api = api_as(case_worker)
    for path in [f"/cases/{hidden.code}", f"/cases/{hidden.code}/access-log"]:
        assert api.get(path).status_code == 404
    assert Case.objects.get(pk=hidden.pk).status == "Active"
