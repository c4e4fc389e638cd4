"""Identification over the API: a police officer screens and refers, the commission decides, an
appeal overturns a refusal; outsiders get 404, anonymous callers 401, and an analyst gets the
figures but never a person."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from nrm.accounts.services import api_token_create
from nrm.identification.choices import ScreeningResult
from nrm.identification.models import IndicatorCatalogue
from tests.api.conftest import Api
from tests.conftest import register
from tests.identification.conftest import CODES
from tests.identification.test_figures import screen

YES_TO_ALL = [{"indicator": code, "answer": "yes", "note": "паспорт забрали"}
              for codes in CODES.values() for code in codes[:1]]


def api(viewer=None) -> Api:
    return Api(Client(), api_token_create(viewer=viewer, name="tests")[1] if viewer else None)


@pytest.fixture
def story(police_officer, decision_maker, commission, catalogue) -> dict[str, Any]:
    """Police screen a labour case, refer it; the commission decides a second case negatively
    and the refusal is appealed."""
    officer = api(police_officer)
    case = register(police_officer, given="Нурбек", family="Асанов", birth_date="1990-05-01")
    started = officer.post(f"/identification/cases/{case.code}/screenings",
                           {"language": "ru", "age_at_recruitment": 30})
    assert started.status_code == 201, started.json()
    screening_id = started.json()["id"]
    answered = officer.post(f"/identification/screenings/{screening_id}/answers",
                            {"answers": YES_TO_ALL})
    assert answered.status_code == 200, answered.json()
    completed = officer.post(f"/identification/screenings/{screening_id}/complete",
                             {"judgement": "reasonable_grounds"})
    assert completed.status_code == 200, completed.json()
    referred = officer.post(f"/identification/cases/{case.code}/decision-requests",
                            {"competent_authority_id": commission.pk, "note": "срочно"})
    assert referred.status_code == 201, referred.json()
    refused_case = register(police_officer, given="Бакыт", family="Осмонов")
    officer.post(f"/identification/cases/{refused_case.code}/decision-requests",
                 {"competent_authority_id": commission.pk})
    maker = api(decision_maker)
    refusal = maker.post(f"/identification/cases/{refused_case.code}/decisions",
                         {"status": "not_a_victim", "decided_on": referred.json()["requested_on"],
                          "reasons": "no indicators of means", "legal_basis": "Law, art. 12"})
    assert refusal.status_code == 201, refusal.json()
    appeal = officer.post(
        f"/identification/cases/{refused_case.code}/decisions/{refusal.json()['id']}/appeals",
        {"lodged_on": referred.json()["requested_on"], "body": "Bishkek district court",
         "grounds": "debt bondage overlooked", "representative": "lawyer of Safe Home"})
    assert appeal.status_code == 201, appeal.json()
    return {"case": case, "screening": screening_id, "completed": completed.json(),
            "refused_case": refused_case, "refusal": refusal.json()["id"],
            "appeal": appeal.json()["id"], "on": referred.json()["requested_on"]}


def object_reads(story: dict[str, Any]) -> list[str]:
    case, refused = story["case"].code, story["refused_case"].code
    return [f"/identification/cases/{case}/screenings",
            f"/identification/screenings/{story['screening']}",
            f"/identification/cases/{case}/decisions",
            f"/identification/cases/{refused}/decisions"]


def object_writes(story: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    case, refused = story["case"].code, story["refused_case"].code
    on = story["on"]
    return [
        (f"/identification/cases/{case}/screenings", {}),
        (f"/identification/screenings/{story['screening']}/answers", {"answers": []}),
        (f"/identification/screenings/{story['screening']}/complete",
         {"judgement": "insufficient", "judgement_note": "x"}),
        (f"/identification/cases/{case}/decision-requests", {"competent_authority_id": 1}),
        (f"/identification/cases/{case}/decisions",
         {"status": "presumed", "decided_on": on, "reasons": "r", "legal_basis": "l"}),
        (f"/identification/cases/{refused}/decisions/{story['refusal']}/appeals",
         {"lodged_on": on, "body": "court", "grounds": "g"}),
        (f"/identification/cases/{refused}/appeals/{story['appeal']}/outcome",
         {"outcome": "upheld", "outcome_on": on}),
    ]


def test_screening_result_is_computed_and_explained(story):
    completed = story["completed"]
    assert completed["computed_result"] == ScreeningResult.REASONABLE_GROUNDS
    assert completed["judgement"] == ScreeningResult.REASONABLE_GROUNDS
    assert completed["explanation"]
    assert completed["catalogue_version"] == "test-1"
    assert {row["indicator"] for row in completed["answers"]} >= {
        codes[0] for codes in CODES.values()}


def test_the_commission_sees_the_referral_and_decides_presumed_victim(
        story, decision_maker, police_officer):
    maker = api(decision_maker)
    requests = maker.get("/identification/decision-requests").json()
    pending = [row for row in requests if row["case_code"] == story["case"].code]
    assert pending and pending[0]["status"] == "pending"
    decided = maker.post(f"/identification/cases/{story['case'].code}/decisions",
                         {"status": "presumed", "decided_on": story["on"],
                          "reasons": "Act, means and purpose", "legal_basis": "Law, art. 12",
                          "screening_ids": [story["screening"]]})
    assert decided.status_code == 201, decided.json()
    body = decided.json()
    assert body["htcds_status"] == "PossibleVictimOfTrafficking"
    assert body["recovery_period_ends"]
    assert body["screening_ids"] == [story["screening"]]
    history = api(police_officer).get(f"/identification/cases/{story['case'].code}/decisions")
    assert [row["status"] for row in history.json()] == ["presumed"]


def test_an_overturned_refusal_stays_in_the_history_beside_the_new_decision(
        story, decision_maker, police_officer):
    refused = story["refused_case"].code
    outcome = api(decision_maker).post(
        f"/identification/cases/{refused}/appeals/{story['appeal']}/outcome",
        {"outcome": "overturned", "outcome_on": story["on"], "new_status": "presumed",
         "reasons": "debt bondage is a means", "legal_basis": "Law, art. 12"})
    assert outcome.status_code == 200, outcome.json()
    history = api(police_officer).get(f"/identification/cases/{refused}/decisions").json()
    assert [row["status"] for row in history] == ["not_a_victim", "presumed"]
    assert history[1]["replaces_id"] == history[0]["id"]
    assert history[0]["appeals"][0]["new_decision_id"] == history[1]["id"]


def test_a_case_worker_may_not_decide(story, police_officer):
    refused = api(police_officer).post(
        f"/identification/cases/{story['case'].code}/decisions",
        {"status": "presumed", "decided_on": story["on"], "reasons": "r", "legal_basis": "l"})
    assert refused.status_code == 403


def test_outsider_gets_404_on_every_object_endpoint(story, outsider):
    stranger = api(outsider)
    for path in object_reads(story):
        assert stranger.get(path).status_code == 404, path
    for path, body in object_writes(story):
        assert stranger.post(path, body).status_code == 404, path


def test_anonymous_callers_get_401_everywhere(story):
    nobody = api()
    paths = [*object_reads(story), "/identification/catalogues",
             "/identification/catalogues/test-1", "/identification/worklist",
             "/identification/figures", "/identification/decision-requests"]
    for path in paths:
        assert nobody.get(path).status_code == 401, path
    for path, body in object_writes(story):
        assert nobody.post(path, body).status_code == 401, path


def test_analyst_gets_figures_but_no_person_anywhere(story, analyst):
    reader = api(analyst)
    assert reader.get("/identification/figures").status_code == 200
    for path in object_reads(story):
        assert reader.get(path).status_code == 404, path
    for path, body in object_writes(story):
        assert reader.post(path, body).status_code in (403, 404), path
    assert reader.get("/identification/decision-requests").json() == []
    worklist = reader.get("/identification/worklist").json()
    assert all(rows == [] for rows in worklist.values())
    text = reader.get("/identification/figures").content.decode()
    for code in (story["case"].code, story["case"].person.code, story["refused_case"].code):
        assert code not in text


def test_case_worker_gets_no_figures(story, police_officer, outsider):
    for viewer in (police_officer, outsider):
        assert api(viewer).get("/identification/figures").status_code == 403


def test_a_cell_of_three_is_null_in_the_figures_and_no_total_reveals_it(
        case_worker, coordinator, catalogue):
    for _ in range(3):
        screen(case_worker, catalogue, ScreeningResult.REASONABLE_GROUNDS, sex="Masculine")
    for _ in range(12):
        screen(case_worker, catalogue, ScreeningResult.REASONABLE_GROUNDS)
    for _ in range(6):
        screen(case_worker, catalogue, ScreeningResult.INSUFFICIENT)
    figures = api(coordinator).get("/identification/figures").json()
    assert figures["countries"] == ["KG"]
    assert figures["threshold"] == 5
    by_sex = figures["screenings_by_result"]["sex"]
    assert by_sex["unit"] == "screenings"
    men = by_sex["rows"].index("Masculine")
    grounds = by_sex["columns"].index(ScreeningResult.REASONABLE_GROUNDS)
    assert by_sex["cells"][men][grounds] is None
    assert by_sex["row_totals"][men] is None
    women = by_sex["rows"].index("Feminine")
    # 15 reasonable grounds in all, 12 of them women: their cell would reveal the men's 3.
    assert by_sex["column_totals"][grounds] is None or by_sex["cells"][women][grounds] is None
    assert figures["decisions_by_status"]["sex"]["unit"] == "decisions"
    assert figures["days_to_first_decision"]["sex"]["counts"]["unit"] == "persons"


def test_the_catalogue_is_readable_as_json_by_version(catalogue, analyst, case_worker):
    IndicatorCatalogue.objects.create(version="test-0", title="Older",
                                      published_on=catalogue.published_on.replace(year=2025))
    reader = api(analyst)
    versions = reader.get("/identification/catalogues").json()
    ours = [row for row in versions if row["version"].startswith("test-")]
    assert [row["version"] for row in ours] == ["test-1", "test-0"]  # newest first
    assert [row["is_current"] for row in ours] == [True, False]
    body = reader.get("/identification/catalogues/test-1").json()
    assert body["version"] == "test-1"
    codes = [row["code"] for row in body["indicators"]]
    assert "test.act.recruited" in codes and "test.kz.only" in codes
    documents = next(row for row in body["indicators"]
                     if row["code"] == "test.ilo.confiscated_documents")
    assert documents["strength"] == "strong"
    assert documents["texts"]["en"] == "Confiscation of documents"
    assert api(case_worker).get("/identification/catalogues/test-0").json()["indicators"] == []
    assert reader.get("/identification/catalogues/no-such-version").status_code == 404


def test_every_identification_operation_is_covered_here(story):
    schema = api().client.get("/api/v1/openapi.json").json()
    documented = {(method.upper(), path.removeprefix("/api/v1"))
                  for path, operations in schema["paths"].items() for method in operations
                  if path.startswith("/api/v1/identification/")}
    covered = {("GET", path) for path in object_reads(story)} | {
        ("POST", path) for path, _body in object_writes(story)} | {
        ("GET", path) for path in ("/identification/catalogues",
                                   "/identification/catalogues/test-1",
                                   "/identification/worklist", "/identification/figures",
                                   "/identification/decision-requests")}

    def template(path: str) -> str:
        path = re.sub(r"/cases/[^/]+", "/cases/{code}", path)
        path = re.sub(r"/screenings/\d+", "/screenings/{screening_id}", path)
        path = re.sub(r"/decisions/\d+", "/decisions/{decision_id}", path)
        path = re.sub(r"/appeals/\d+", "/appeals/{appeal_id}", path)
        return path.replace("/catalogues/test-1", "/catalogues/{version}")

    assert {(method, template(path)) for method, path in covered} == documented


def test_figures_of_a_period_that_ends_before_it_starts_are_refused(coordinator):
    refused = api(coordinator).get("/identification/figures", since="2025-06-30",
                                   until="2025-01-01")
    assert refused.status_code == 422
    assert refused.json()["errors"]["until"] == [
        "The end of the period cannot be before its start."]
