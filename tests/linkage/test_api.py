"""Linkage over the API, with the pages' permissions: the coordinator lists and decides pairs by
code, the supervisor sees both identities of their own organisation's pair, decisions are undone
and audited; anonymous callers get 401, roles that do not review 403, and a pair or person the
caller does not review 404."""

from __future__ import annotations

import pytest
from django.test import Client

from nrm.accounts.services import api_token_create
from nrm.core.models import AuditAction, AuditEntry
from nrm.linkage.models import ClusterMember, LinkageRun, PairDecision
from tests.api.conftest import Api
from tests.linkage.conftest import finished_run, found, pair_of

pytestmark = pytest.mark.django_db


def api(viewer=None) -> Api:
    return Api(Client(), api_token_create(viewer=viewer, name="tests")[1] if viewer else None)


@pytest.fixture
def proposed(coordinator, aigul_case, aigul_at_tendesh, aigul_again):
    run = finished_run(coordinator, [found(aigul_case, aigul_at_tendesh, 0.99),
                                     found(aigul_case, aigul_again, 0.9)])
    return {"run": run, "tendesh": pair_of(aigul_case, aigul_at_tendesh),
            "again": pair_of(aigul_case, aigul_again)}


def test_the_coordinator_lists_pairs_most_likely_first(coordinator, proposed):
    answer = api(coordinator).get("/linkage/pairs")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [proposed["tendesh"].pk,
                                                      proposed["again"].pk]
    first = body["items"][0]
    assert first["left"]["organisation"]["name"] == "Safe Home Bishkek"
    assert first["match_probability"] == 0.99


def test_pairs_filter_as_on_the_page(coordinator, proposed, aigul_again):
    client = api(coordinator)
    assert client.get("/linkage/pairs", min_probability=0.95).json()["count"] == 1
    assert client.get("/linkage/pairs", across_organisations=True).json()["count"] == 1
    assert client.get("/linkage/pairs", verdict="same").json()["count"] == 0
    mine = client.get("/linkage/pairs", person_code=aigul_again.person.code).json()
    assert [item["id"] for item in mine["items"]] == [proposed["again"].pk]


def test_the_coordinator_reads_a_pair_by_code_and_explanation_only(coordinator, proposed):
    answer = api(coordinator).get(f"/linkage/pairs/{proposed['tendesh'].pk}")
    assert answer.status_code == 200
    body = answer.json()
    assert body["left"]["identity"] is None and body["right"]["identity"] is None
    assert body["left"]["person"]["sex"] == "Feminine"
    assert body["comparisons"][0] == {
        "field": "family_name", "label": "Family name",
        "comparison": "Sound alike (a vowel or a letter heard differently)", "match_weight": 6.1}
    for secret in ("Айгуль", "Мамытова", "MAMYTOVA", "+996"):
        assert secret not in answer.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.CANDIDATE_PAIR_READ).count() == 2


def test_the_supervisor_reads_both_identities_of_their_organisations_pair(supervisor,
                                                                          proposed):
    body = api(supervisor).get(f"/linkage/pairs/{proposed['again'].pk}").json()
    assert {body["left"]["identity"]["family_name"],
            body["right"]["identity"]["family_name"]} == {"Мамытова", "Мамытава"}
    assert AuditEntry.objects.filter(action=AuditAction.IDENTITY_READ).count() == 2


def test_deciding_and_undoing_over_the_api(coordinator, proposed, aigul_case):
    client = api(coordinator)
    pair_id = proposed["tendesh"].pk
    decided = client.post(f"/linkage/pairs/{pair_id}/decision", {"verdict": "same"})
    assert decided.status_code == 200
    assert decided.json()["verdict"] == "same"
    assert decided.json()["decisions"][0]["decided_by"] == "nurlan"
    cluster = client.get(f"/linkage/persons/{aigul_case.person.code}/cluster").json()
    assert [other["code"] for other in cluster["same_person"]] == [
        proposed["tendesh"].right.code]
    undone = client.post(f"/linkage/pairs/{pair_id}/undo")
    assert undone.status_code == 200
    assert undone.json()["verdict"] == "pending"
    assert undone.json()["decisions"][0]["undone_by"] == "nurlan"
    assert not ClusterMember.objects.exists()
    assert AuditEntry.objects.filter(action=AuditAction.PAIR_DECIDED).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.PAIR_DECISION_UNDONE).count() == 2


def test_a_decision_twice_is_refused_with_what_to_do(coordinator, proposed):
    client = api(coordinator)
    pair_id = proposed["tendesh"].pk
    client.post(f"/linkage/pairs/{pair_id}/decision", {"verdict": "different"})
    again = client.post(f"/linkage/pairs/{pair_id}/decision", {"verdict": "same"})
    assert again.status_code == 422
    assert "Undo that decision first" in again.json()["detail"]
    assert PairDecision.objects.count() == 1


def test_a_verdict_that_is_not_one_of_the_two_is_refused(coordinator, proposed):
    answer = api(coordinator).post(f"/linkage/pairs/{proposed['tendesh'].pk}/decision",
                                   {"verdict": "maybe"})
    assert answer.status_code == 422
    assert "verdict" in answer.json()["errors"]
    assert not PairDecision.objects.exists()


def test_searches_are_listed_and_read(coordinator, proposed):
    client = api(coordinator)
    listed = client.get("/linkage/runs").json()
    assert listed["count"] == 1
    assert listed["items"][0]["status"] == "done"
    one = client.get(f"/linkage/runs/{proposed['run'].pk}").json()
    assert (one["pairs_found"], one["scope"], one["country"]) == (2, "country", "KG")


def test_a_search_started_over_the_api_runs_on_the_engine_and_is_followed_by_its_id(
        coordinator, aigul_case, aigul_at_tendesh):
    client = api(coordinator)
    started = client.post("/linkage/runs", {"incremental": False})
    assert started.status_code == 202
    one = client.get(f"/linkage/runs/{started.json()['id']}").json()
    assert (one["status"], one["error"], one["pairs_found"]) == ("done", "", 1)
    pairs = client.get("/linkage/pairs").json()["items"]
    assert {pairs[0]["left"]["code"], pairs[0]["right"]["code"]} == {
        aigul_case.person.code, aigul_at_tendesh.person.code}


def test_a_failed_search_says_why_over_the_api(settings, coordinator, aigul_case,
                                              aigul_at_tendesh):
    settings.NRM_LINKAGE_MEMORY_LIMIT = "1KB"
    started = api(coordinator).post("/linkage/runs", {"incremental": False}).json()
    assert started["status"] == "failed"
    assert "NRM_LINKAGE_MEMORY_LIMIT" in started["error"]


def test_an_incremental_search_before_any_full_one_is_refused_with_what_to_do(coordinator):
    answer = api(coordinator).post("/linkage/runs", {"incremental": True})
    assert answer.status_code == 422
    assert "full search first" in answer.json()["detail"]
    assert not LinkageRun.objects.exists()


ENDPOINTS = [
    ("GET", "/linkage/runs"), ("POST", "/linkage/runs"), ("GET", "/linkage/runs/{run}"),
    ("GET", "/linkage/pairs"), ("GET", "/linkage/pairs/{pair}"),
    ("POST", "/linkage/pairs/{pair}/decision"), ("POST", "/linkage/pairs/{pair}/undo"),
    ("GET", "/linkage/persons/{person}/cluster"),
]


def _body(path: str) -> dict[str, str]:
    return {"verdict": "same"} if path.endswith("/decision") else {}


def _path(template: str, proposed, aigul_case) -> str:
    return template.format(run=proposed["run"].pk, pair=proposed["tendesh"].pk,
                           person=aigul_case.person.code)


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_are_asked_for_a_token(method, path, proposed, aigul_case):
    answer = api().call(method, _path(path, proposed, aigul_case), _body(path))
    assert answer.status_code == 401


@pytest.mark.parametrize("who", ["case_worker", "outsider", "analyst", "org_admin"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_roles_that_do_not_review_are_refused(request, who, method, path, proposed,
                                              aigul_case):
    answer = api(request.getfixturevalue(who)).call(method, _path(path, proposed, aigul_case),
                                                    _body(path))
    assert answer.status_code == 403
    assert not PairDecision.objects.exists()
    assert LinkageRun.objects.count() == 1


@pytest.mark.parametrize("who", ["tendesh_supervisor", "kz_coordinator"])
@pytest.mark.parametrize(("method", "path"), [endpoint for endpoint in ENDPOINTS
                                              if "{" in endpoint[1]])
def test_reviewers_elsewhere_find_nothing(request, who, method, path, proposed, aigul_case):
    answer = api(request.getfixturevalue(who)).call(method, _path(path, proposed, aigul_case),
                                                    _body(path))
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Not found."
    assert not PairDecision.objects.exists()


def test_a_supervisor_cannot_reach_a_pair_with_another_organisations_person(supervisor,
                                                                           proposed):
    client = api(supervisor)
    assert client.get(f"/linkage/pairs/{proposed['tendesh'].pk}").status_code == 404
    assert client.post(f"/linkage/pairs/{proposed['tendesh'].pk}/decision",
                       {"verdict": "same"}).status_code == 404
    assert client.get("/linkage/pairs").json()["count"] == 1
