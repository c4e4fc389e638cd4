"""Criminal proceedings over the API: a prosecutor records a case under a related article,
re-qualifies it, links Айгуль with her consent, records a conviction and a compensation award;
her NGO case worker reads the stage and the award, never the offenders; outsiders get 404,
anonymous callers 401, and the one-count report is for analysts and coordinators."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from nrm.accounts.services import api_token_create
from tests.api.conftest import Api

pytestmark = pytest.mark.django_db


def api(viewer=None) -> Api:
    return Api(Client(), api_token_create(viewer=viewer, name="tests")[1] if viewer else None)


@pytest.fixture
def story(prosecutor, almaty_police, articles, kg_case, request) -> dict[str, Any]:
    """Айгуль (with her consent to law enforcement) in a case of the Almaty prosecutors."""
    aigul_case = request.getfixturevalue("law_enforcement_consent").person.cases.get()
    madina = api(prosecutor)
    opened = madina.post("/justice/criminal-cases", {
        "country": "KZ", "number": "2026-API-1", "investigating_agency_id": almaty_police.pk,
        "prosecutor_office_id": prosecutor.organisation_id, "opened_on": "2026-02-01",
        "article_ids": [articles["kz_related"].pk]})
    assert opened.status_code == 201, opened.json()
    pk = opened.json()["id"]
    base = f"/justice/criminal-cases/{pk}"
    steps = [
        (f"{base}/qualifications", {"article_ids": [articles["kz_trafficking"].pk],
                                    "valid_from": "2026-04-01",
                                    "reason": "Exploitation at a car service established."}),
        (f"{base}/participants", {"case_code": aigul_case.code, "role": "victim_witness",
                                  "cooperation": "cooperating", "interpreter": True}),
        (f"{base}/offenders", {"label": "O-1", "sex": "Masculine", "birth_year": 1979,
                               "citizenship": "KZ", "roles": ["exploiter"],
                               "article_ids": [articles["kz_trafficking"].pk]}),
        (f"{base}/stages", {"stage": "trial", "on": "2026-06-01"}),
        (f"{base}/hearings", {"on": "2026-06-15", "court": "Almaly district court"}),
        (f"{base}/links", {"to_country": "KG", "to_number": kg_case.number,
                           "note": "The recruiters"}),
        (f"{base}/legal-assistance", {"requesting_country": "KZ", "requested_country": "KG",
                                      "subject": "Questioning of the recruiters",
                                      "sent_on": "2026-03-01", "answer_due_on": "2026-04-01"}),
    ]
    for path, body in steps:
        response = madina.post(path, body)
        assert response.status_code == 201, (path, response.json())
    detail = madina.get(base).json()
    participant_id = detail["participants"][0]["id"]
    offender_id = detail["offenders"][0]["id"]
    request_id = detail["legal_assistance"][0]["id"]
    convicted = madina.post(f"{base}/offenders/{offender_id}/outcome", {
        "outcome": "convicted", "outcome_on": "2026-07-01", "sentence_months": 96})
    assert convicted.status_code == 200, convicted.json()
    awarded = madina.post(f"{base}/participants/{participant_id}/compensations", {
        "route": "criminal", "currency": "KZT", "claimed": "3000000",
        "claimed_on": "2026-06-01", "awarded": "1200000", "awarded_on": "2026-07-01"})
    assert awarded.status_code == 201, awarded.json()
    return {"pk": pk, "base": base, "participant": participant_id, "offender": offender_id,
            "request": request_id, "code": aigul_case.code}


def object_reads(story: dict[str, Any]) -> list[str]:
    return [story["base"], f"/justice/cases/{story['code']}/criminal-proceedings"]


def object_writes(story: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    base = story["base"]
    return [
        ("POST", f"{base}/qualifications", {"article_ids": [1], "valid_from": "2026-05-01",
                                            "reason": "x"}),
        ("POST", f"{base}/stages", {"stage": "verdict", "on": "2026-07-01"}),
        ("POST", f"{base}/hearings", {"on": "2026-08-01"}),
        ("POST", f"{base}/unregistered-victims", {"count": 4}),
        ("POST", f"{base}/participants", {"case_code": story["code"], "role": "victim"}),
        ("PATCH", f"{base}/participants/{story['participant']}", {"cooperation": "declined"}),
        ("POST", f"{base}/participants/{story['participant']}/compensations",
         {"route": "civil", "currency": "KZT", "claimed": "1"}),
        ("POST", f"{base}/offenders", {"label": "O-9", "roles": ["recruiter"]}),
        ("POST", f"{base}/offenders/{story['offender']}/outcome",
         {"outcome": "acquitted", "outcome_on": "2026-07-02"}),
        ("POST", f"{base}/links", {"to_country": "KG", "to_number": "2026-KG-7"}),
        ("POST", f"{base}/legal-assistance", {"requesting_country": "KZ",
                                              "requested_country": "KG", "subject": "x",
                                              "sent_on": "2026-03-02"}),
        ("POST", f"{base}/legal-assistance/{story['request']}/answer",
         {"answered_on": "2026-03-20", "outcome": "executed"}),
        ("POST", f"/justice/cases/{story['code']}/criminal-proceedings/{story['participant']}/"
         "compensations", {"route": "civil", "currency": "KZT", "claimed": "1"}),
    ]


def test_the_prosecutor_sees_the_history_the_victim_and_the_conviction(story, prosecutor):
    detail = api(prosecutor).get(story["base"]).json()

    assert [q["articles"][0]["category"] for q in detail["qualifications"]] == [
        "related", "trafficking"]
    assert detail["stage"] == "trial"
    assert detail["participants"][0]["case_code"] == story["code"]
    assert detail["participants"][0]["compensations"][0]["awarded"] == "1200000.00"
    assert detail["offenders"][0]["outcome"] == "convicted"
    assert detail["offenders"][0]["sentence_months"] == 96
    assert detail["links"] == [{"country": "KG", "number": "2026-KG-7", "note": "The recruiters"}]
    listed = api(prosecutor).get("/justice/criminal-cases").json()
    assert [row["number"] for row in listed] == ["2026-API-1"]
    assert api(prosecutor).get("/justice/legal-assistance/overdue").json()[0]["id"] == (
        story["request"])


def test_the_ngo_case_worker_sees_stage_and_award_but_no_offender(story, case_worker):
    aizada = api(case_worker)
    (view,) = aizada.get(f"/justice/cases/{story['code']}/criminal-proceedings").json()

    assert view["stage"] == "trial"
    assert view["country"] == "KZ"
    assert view["compensations"][0]["awarded"] == "1200000.00"
    assert view["past_hearings"] == ["2026-06-15"] or view["upcoming_hearings"] == [
        "2026-06-15"]
    assert "offenders" not in view and "O-1" not in str(view)
    assert aizada.get(story["base"]).status_code == 404
    assert aizada.get("/justice/criminal-cases").json() == []
    paid = aizada.post(
        f"/justice/cases/{story['code']}/criminal-proceedings/{story['participant']}/"
        "compensations", {"route": "state_fund", "currency": "KZT", "claimed": "500000",
                          "claimed_on": "2026-08-01"})
    assert paid.status_code == 201, paid.json()


def test_bad_input_is_refused_with_a_message_and_nothing_written(story, prosecutor):
    madina = api(prosecutor)
    response = madina.post(f"{story['base']}/stages", {"stage": "closed", "on": "2026-07-01"})
    assert response.status_code == 422
    assert "reason" in response.json()["errors"]
    assert madina.get(story["base"]).json()["stage"] == "trial"


@pytest.mark.parametrize("who", ["outsider", "foreign_case_worker", "kg_investigator",
                                 "analyst"])
def test_others_get_404_on_every_object_endpoint(story, who, request):
    stranger = api(request.getfixturevalue(who))
    for path in object_reads(story):
        assert stranger.get(path).status_code == 404, path
    for method, path, body in object_writes(story):
        assert stranger.call(method, path, body).status_code == 404, (who, path)
    listed = stranger.get("/justice/criminal-cases").json()
    assert story["pk"] not in [row["id"] for row in listed]


def test_anonymous_callers_get_401_everywhere(story):
    nobody = api()
    for path in [*object_reads(story), "/justice/criminal-cases",
                 "/justice/legal-assistance/overdue", "/statistics/one-count"]:
        assert nobody.get(path).status_code == 401, path
    for method, path, body in [*object_writes(story),
                               ("POST", "/justice/criminal-cases", {"country": "KZ"})]:
        assert nobody.call(method, path, body).status_code == 401, path


def test_an_ngo_may_not_open_a_criminal_case(case_worker, almaty_police, articles):
    response = api(case_worker).post("/justice/criminal-cases", {
        "country": "KZ", "number": "X-1", "investigating_agency_id": almaty_police.pk,
        "opened_on": "2026-02-01", "article_ids": [articles["kz_related"].pk]})
    assert response.status_code == 403


def test_the_one_count_is_for_analysts_and_coordinators(story, analyst, coordinator,
                                                        case_worker, prosecutor):
    report = api(analyst).get("/statistics/one-count").json()
    assert report["countries"] is None
    assert report["criminal_cases"]["unit"] == "criminal cases"
    # Two cases and one person: too few to publish.
    assert report["criminal_cases"]["total"] is None
    assert api(coordinator).get("/statistics/one-count").json()["countries"] == ["KG"]
    assert api(coordinator).get("/statistics/one-count", country="KZ").status_code == 403
    assert api(case_worker).get("/statistics/one-count").status_code == 403
    assert api(prosecutor).get("/statistics/one-count").status_code == 403
    since = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    assert api(analyst).get("/statistics/one-count", since=since).status_code == 200
