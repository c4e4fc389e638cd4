"""Registering a person through the API, their identity and consents, and every way a bad
request is refused with a message and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from nrm.core.models import AuditAction, AuditEntry, SubmissionReceipt
from nrm.registry.models import Case, Consent, Identity, NameToken, Person, TraffickingEvent
from tests.api.conftest import registration

pytestmark = pytest.mark.django_db

FUTURE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in
            (Person, Identity, NameToken, Case, TraffickingEvent, Consent, SubmissionReceipt)}


def test_register_a_person_in_one_request(api_as, case_worker):
    response = api_as(case_worker).post("/persons", registration())
    assert response.status_code == 201, response.json()
    case = response.json()
    assert case["status"] == "Active"
    assert case["labour_industry"] == "F_Construction"
    assert case["person"]["sex"] == "Masculine"
    assert [event["stage"] for event in case["events"]] == ["Recruitment", "Exploitation"]
    assert case["events"][1]["description"] == "construction site, passport taken"
    assert case["consents"][0]["purpose"] == "services"
    assert case["identity"] is None  # read it with GET /cases/{code}, which is audited
    person = Person.objects.get(code=case["person"]["code"])
    assert person.organisation_id == case_worker.organisation_id
    assert Identity.objects.get(person=person).latin_name == "Nurbek Asanov"
    assert AuditEntry.objects.filter(action=AuditAction.PERSON_REGISTERED,
                                     person_code=person.code).exists()


def test_registered_person_is_found_by_latin_spelling(api_as, case_worker):
    api = api_as(case_worker)
    code = api.post("/persons", registration()).json()["person"]["code"]
    found = api.get("/search", q="Asanov Nurbek").json()
    assert [person["code"] for person in found] == [code]


def test_same_idempotency_key_registers_once(api_as, case_worker):
    api = api_as(case_worker)
    first = api.post("/persons", registration(), headers={"Idempotency-Key": "intake-2024-17"})
    assert first.status_code == 201
    again = api.post("/persons", registration(), headers={"Idempotency-Key": "intake-2024-17"})
    assert again.status_code == 409
    assert again.json()["detail"]
    assert again.json()["existing"]["code"] == first.json()["code"]
    assert Person.objects.count() == 1
    assert Case.objects.count() == 1


def test_idempotency_keys_of_different_users_do_not_collide(api_as, case_worker, colleague):
    key = {"Idempotency-Key": "form-1"}
    assert api_as(case_worker).post("/persons", registration(), headers=key).status_code == 201
    assert api_as(colleague).post("/persons", registration(), headers=key).status_code == 201
    assert Person.objects.count() == 2


@pytest.mark.parametrize(("change", "field"), [
    ({"identity": {"given_name": "Нурбек", "birth_date": FUTURE}}, "birth_date"),
    ({"identity": {"given_name": "Нурбек", "birth_date": "1990-02-30"}}, "birth_date"),
    ({"identity": {"given_name": "Нурбек", "birth_date": "1789"}}, "birth_date"),
    ({"identity": {"given_name": "Нурбек", "birth_date": "05/1990"}}, "birth_date"),
    ({"identity": {}}, "given_name"),
    ({"identity": {"given_name": "Н" * 201}}, "identity.given_name"),
    ({"identity": {"given_name": "Нурбек\x00"}}, "identity.given_name"),
    ({"identity": {"given_name": "Нурбек", "phones": ["1"] * 11}}, "identity.phones"),
    ({"identity": {"given_name": "Нурбек", "documents": [{"kind": "passport", "number": "1",
                                                         "country": "QQ"}]}}, "documents"),
    ({"person": {"birth_year": dt.date.today().year + 1}}, "birth_year"),
    ({"person": {"citizenships": ["XK", "ZZ"]}}, "citizenships"),
    ({"person": {"citizenships": ["KGZ"]}}, "person.citizenships.0"),
    ({"person": {"languages": ["xx"]}}, "languages"),
    ({"person": {"sex": "F"}}, "person.sex"),
    ({"person": {"age_band": "18-20"}}, "person.age_band"),
    ({"person": {"birth_year": "nineteen ninety"}}, "person.birth_year"),
    ({"case": {"entry_point": "internet"}}, "case.entry_point"),
    ({"case": {"opened_on": FUTURE}}, "opened_on"),
    ({"case": {"opened_on": "2024-13-01"}}, "case.opened_on"),
    ({"case": {"exploitation_types": ["ForcedLabour", "Slavery"]}}, "case.exploitation_types.1"),
    ({"case": {"case_worker_id": 999999}}, "case_worker_id"),
    ({"events": [{"stage": "Transit", "country": "XX"}]}, "events"),
    ({"events": [{"stage": "Transit", "country": "KZ", "date": FUTURE}]}, "events"),
    ({"events": [{"stage": "Transit", "country": "KZ"}] * 21}, "events"),
    ({"consents": [{"purpose": "share_organisation", "given": True, "method": "oral"}]},
     "consents"),
    ({"consents": [{"purpose": "statistics", "given": True, "method": "oral",
                    "recipient_id": 999999}]}, "consents"),
    ({"consents": [{"purpose": "marketing", "given": True, "method": "oral"}]},
     "consents.0.purpose"),
    ({"nickname": "Nurik"}, "nickname"),
])
def test_bad_registration_is_refused_and_leaves_nothing(api_as, case_worker, change, field):
    before = _rows()
    body = registration(**change)
    if "identity" in change and "given_name" not in change["identity"]:
        body["identity"] = change["identity"]
    response = api_as(case_worker).post("/persons", body, headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 422, response.json()
    refusal = response.json()
    assert field in refusal["errors"], refusal
    assert all(message for messages in refusal["errors"].values() for message in messages)
    assert refusal["detail"]
    assert _rows() == before


def test_malformed_json_is_refused(api_as, case_worker):
    api = api_as(case_worker)
    for raw in [b'{"identity": {"given_name": "A"', b"\xff\xfe", b"<person/>", b"null", b"[]"]:
        response = api.post("/persons", raw=raw)
        assert response.status_code in (400, 422), raw
        assert response.json()["detail"], raw
    assert api.post("/persons", raw=b"{oops").json() == {
        "detail": "The request body is not valid JSON."}
    assert not Person.objects.exists()


def test_oversized_body_is_refused(api_as, case_worker, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    body = registration()
    body["identity"]["addresses"] = ["ул. Токтогула, " + "д" * 290] * 10 + ["x"] * 50
    raw = json.dumps(body).encode() + b" " * 10_000
    response = api_as(case_worker).post("/persons", raw=raw)
    assert response.status_code == 413
    assert "10000" in response.json()["detail"]
    assert not Person.objects.exists()


def test_identity_is_read_and_replaced_by_own_organisation(api_as, case_worker, colleague,
                                                           aigul_case):
    code = aigul_case.person.code
    read = api_as(colleague).get(f"/persons/{code}/identity")
    assert read.status_code == 200
    assert read.json()["given_name"] == "Айгуль"
    assert AuditEntry.objects.filter(actor=colleague.user, action=AuditAction.IDENTITY_READ,
                                     person_code=code).exists()

    replaced = api_as(case_worker).put(f"/persons/{code}/identity", {
        "given_name": "Айгүл", "family_name": "Мамытова", "aliases": ["Gulya"],
        "birth_date": "1995", "birth_date_estimated": True,
    })
    assert replaced.status_code == 200, replaced.json()
    assert replaced.json()["birth_date_precision"] == "estimated"
    assert replaced.json()["aliases"] == ["Gulya"]
    found = api_as(case_worker).get("/search", q="Gulya").json()
    assert [person["code"] for person in found] == [code]


def test_identity_replacement_with_bad_date_changes_nothing(api_as, case_worker, aigul_case):
    response = api_as(case_worker).put(f"/persons/{aigul_case.person.code}/identity",
                                       {"given_name": "Айгүл", "birth_date": FUTURE})
    assert response.status_code == 422
    assert Identity.objects.get(person=aigul_case.person).given_name == "Айгуль"


def test_record_and_withdraw_consent(api_as, case_worker, tendesh, aigul_case):
    api = api_as(case_worker)
    given = api.post(f"/persons/{aigul_case.person.code}/consents", {
        "purpose": "share_organisation", "given": True, "method": "written",
        "recipient_id": tendesh.pk,
    })
    assert given.status_code == 201, given.json()
    consent = given.json()
    assert consent["recipient"]["name"] == "Tendesh Osh"
    assert consent["in_force"] is True

    withdrawn = api.post(f"/consents/{consent['id']}/withdraw")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["in_force"] is False
    assert withdrawn.json()["withdrawn_at"]
    again = api.post(f"/consents/{consent['id']}/withdraw")
    assert again.status_code == 422
    assert again.json()["errors"] == {"__all__": ["This consent was already withdrawn."]}


def test_a_childs_consent_keeps_the_guardian(api_as, case_worker, coordinator, aigul_case):
    api_as(case_worker).post(f"/persons/{aigul_case.person.code}/consents", {
        "purpose": "services", "given": True, "method": "guardian",
        "guardian_name": "Мамытов Бакыт", "guardian_consented": True,
    })
    own = api_as(case_worker).get(f"/cases/{aigul_case.code}").json()
    assert own["consents"][0]["guardian_name"] == "Мамытов Бакыт"
    national = api_as(coordinator).get(f"/cases/{aigul_case.code}").json()
    assert national["consents"][0]["guardian_consented"] is True
    assert national["consents"][0]["guardian_name"] is None


def test_consent_of_a_person_out_of_sight_is_404(api_as, outsider, coordinator, case_worker,
                                                 aigul_case):
    consent = api_as(case_worker).post(f"/persons/{aigul_case.person.code}/consents", {
        "purpose": "statistics", "given": True, "method": "oral"}).json()
    assert api_as(outsider).post(f"/consents/{consent['id']}/withdraw").status_code == 404
    # A coordinator knows of the person, but consent is for the case workers to record.
    assert api_as(coordinator).post(f"/consents/{consent['id']}/withdraw").status_code == 403
    assert api_as(case_worker).post("/consents/999999/withdraw").status_code == 404
    assert api_as(case_worker).post(f"/consents/{2**63}/withdraw").status_code == 422
    assert Consent.objects.get(pk=consent["id"]).withdrawn_at is None


def test_open_another_case(api_as, case_worker, aigul_case):
    response = api_as(case_worker).post(f"/persons/{aigul_case.person.code}/cases", {
        "entry_point": "police", "exploitation_types": ["SexualExploitation"],
        "sexual_exploitation_types": ["Prostitution"],
    })
    assert response.status_code == 201, response.json()
    assert response.json()["person_code"] == aigul_case.person.code
    assert Case.objects.filter(person=aigul_case.person).count() == 2


def test_coordinator_and_analyst_cannot_register(api_as, coordinator, analyst):
    for viewer in (coordinator, analyst):
        response = api_as(viewer).post("/persons", registration())
        assert response.status_code == 403
        assert response.json()["detail"] == "Your role does not allow registering persons."
    assert not Person.objects.exists()
