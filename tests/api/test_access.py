"""Who may call what: tokens only, and the same walls as the pages — for every endpoint."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from nrm.accounts.models import ApiToken
from nrm.accounts.services import api_token_create, api_token_revoke
from nrm.core.models import AuditEntry
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case, Consent, Identity, Person, TraffickingEvent
from nrm.registry.services import consent_record
from tests.api.conftest import BASE, Api

pytestmark = pytest.mark.django_db

TODAY = dt.date.today().isoformat()

# Every operation of the API, with a body that is valid, so that a refusal comes from who is
# asking and not from what they sent. {case}, {person}, {consent}, {organisation} are filled in.
ENDPOINTS: list[tuple[str, str, object]] = [
    ("GET", "/me", None),
    ("GET", "/cases", None),
    ("GET", "/cases/{case}", None),
    ("PATCH", "/cases/{case}", {"status": "FollowUp", "exploitation_types": ["ForcedBegging"]}),
    ("POST", "/cases/{case}/close", {"closed_on": TODAY, "reason": "returned home"}),
    ("POST", "/cases/{case}/events", {"stage": "Transit", "country": "KZ"}),
    ("GET", "/cases/{case}/access-log", None),
    ("GET", "/cases/{case}/referrals", None),
    ("POST", "/persons", {"identity": {"given_name": "Асель"}}),
    ("GET", "/persons/{person}/identity", None),
    ("PUT", "/persons/{person}/identity", {"given_name": "Алия", "family_name": "Токтогулова"}),
    ("POST", "/persons/{person}/consents", {"purpose": "statistics", "given": True,
                                            "method": "oral"}),
    ("POST", "/consents/{consent}/withdraw", None),
    ("POST", "/persons/{person}/cases", {"entry_point": "police"}),
    ("GET", "/search", None),
    ("GET", "/audit", None),
    ("GET", "/organisations", None),
    ("GET", "/organisations/{organisation}", None),
    ("PUT", "/organisations/{organisation}/capacity", {"places": 10, "free_places": 2}),
    ("GET", "/service-types", None),
]
OBJECT_ENDPOINTS = [e for e in ENDPOINTS if re.search(r"\{(case|person|consent)\}", e[1])]


@pytest.fixture
def consent(case_worker, aigul_case) -> Consent:
    return consent_record(viewer=case_worker, person=aigul_case.person,
                          consent=ConsentInput(purpose="follow_up", given=True, method="oral"))


@pytest.fixture
def targets(aigul_case, consent) -> dict[str, object]:
    """What the {placeholders} of ENDPOINTS stand for: Aigul's case, person and consent."""
    return {"case": aigul_case.code, "person": aigul_case.person.code, "consent": consent.pk,
            "organisation": aigul_case.organisation_id}


def _call(api: Api, endpoint: tuple[str, str, object], targets: dict[str, object]) -> Any:
    method, template, body = endpoint
    return api.call(method, template.format(**targets), body)


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count()
            for model in (Person, Identity, Case, TraffickingEvent, Consent)}


def test_every_operation_is_covered_here(anonymous):
    schema = anonymous.client.get(f"{BASE}/openapi.json").json()
    # Every domain app's operations are covered in its own tests/<app>/test_api.py (agreements
    # in tests/directory/test_agreements.py); this file covers the registry's and directory's.
    documented = {(method.upper(), path.removeprefix(BASE))
                  for path, operations in schema["paths"].items() for method in operations
                  if not path.startswith((f"{BASE}/identification/", f"{BASE}/justice/",
                                          f"{BASE}/linkage/", f"{BASE}/statistics/",
                                          f"{BASE}/referrals", f"{BASE}/referral-deadlines/",
                                          f"{BASE}/agreements", f"{BASE}/assistance/",
                                          f"{BASE}/htcds/", f"{BASE}/exchange/"))}
    listed = {(method, re.sub(r"\{case\}|\{person\}", "{code}", path)
               .replace("{consent}", "{consent_id}")
               .replace("{organisation}", "{organisation_id}"))
              for method, path, _ in ENDPOINTS}
    assert documented == listed


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_anonymous_is_refused_everywhere(anonymous, targets, endpoint):
    before = _rows()
    response = _call(anonymous, endpoint, targets)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "token" in response.json()["detail"]
    assert _rows() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_a_session_is_not_enough(client: Client, case_worker, targets, endpoint):
    # The API takes tokens only, so a page's session cookie cannot be ridden by another site.
    client.force_login(case_worker.user)
    response = _call(Api(client, None), endpoint, targets)
    assert response.status_code == 401


def test_revoked_expired_and_made_up_tokens_are_refused(case_worker, aigul_case):
    token, raw = api_token_create(viewer=case_worker, name="script")
    assert Api(Client(), raw).get("/me").status_code == 200
    api_token_revoke(viewer=case_worker, token=token)
    assert Api(Client(), raw).get("/me").status_code == 401

    token, raw = api_token_create(viewer=case_worker, name="old script", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    assert Api(Client(), raw).get("/me").status_code == 401

    for made_up in ["nrm_" + "x" * 43, "not-a-token", "nrm_" + "x" * 200, ""]:
        assert Api(Client(), made_up).get("/cases").status_code == 401


def test_an_inactive_membership_stops_its_token(case_worker):
    raw = api_token_create(viewer=case_worker, name="script")[1]
    case_worker.membership.is_active = False
    case_worker.membership.save()
    assert Api(Client(), raw).get("/me").status_code == 401


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_outsider_gets_404_for_every_object(api_as, outsider, aigul_case, targets, endpoint):
    before = _rows()
    response = _call(api_as(outsider), endpoint, targets)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert _rows() == before
    aigul_case.refresh_from_db()
    assert aigul_case.status == "Active"


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_case_worker_abroad_gets_404_for_every_object(api_as, foreign_case_worker, targets,
                                                      endpoint):
    response = _call(api_as(foreign_case_worker), endpoint, targets)
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_analyst_gets_404_for_every_object(api_as, analyst, targets, endpoint):
    response = _call(api_as(analyst), endpoint, targets)
    assert response.status_code == 404


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
def test_own_organisation_may_use_every_object_endpoint(api_as, colleague, targets, endpoint):
    response = _call(api_as(colleague), endpoint, targets)
    assert response.status_code in (200, 201), response.json()


def test_analyst_never_receives_identity(api_as, analyst, aigul_case):
    api = api_as(analyst)
    everything = [
        api.get("/cases"), api.get(f"/cases/{aigul_case.code}"),
        api.get("/search", q="Мамытова"), api.get("/search", q="Aigul Mamytova"),
        api.get("/search", q=aigul_case.person.code), api.get("/search", q="1995"),
        api.get(f"/persons/{aigul_case.person.code}/identity"),
    ]
    for response in everything:
        text = json.dumps(response.json(), ensure_ascii=False)
        for identifying in ["Айгуль", "Мамытова", "Aygul", "Mamytova", "555 000 111",
                            "given_name", "family_name", "latin_name", "phones"]:
            assert identifying not in text
    assert everything[0].json() == {"items": [], "count": 0}
    assert everything[1].status_code == 404
    assert all(response.json() == [] for response in everything[2:6])
    assert everything[6].status_code == 404
    assert not AuditEntry.objects.filter(actor=analyst.user, action=101).exists()


def test_coordinator_sees_cases_of_their_country_without_identity(
    api_as, coordinator, aigul_case, case_worker, foreign_case_worker
):
    from tests.conftest import register

    kazakh = register(foreign_case_worker, given="Дана", family="Серикова")
    api = api_as(coordinator)

    listed = api.get("/cases").json()
    assert [item["code"] for item in listed["items"]] == [aigul_case.code]
    assert kazakh.code not in json.dumps(listed)

    detail = api.get(f"/cases/{aigul_case.code}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["identity"] is None
    assert body["person"]["birth_year"] == 1995
    assert "Мамытова" not in json.dumps(body, ensure_ascii=False)
    assert api.get(f"/cases/{kazakh.code}").status_code == 404
    assert api.get(f"/persons/{aigul_case.person.code}/identity").status_code == 404
    found = api.get("/search", q=aigul_case.person.display_code).json()
    assert [p["code"] for p in found] == [aigul_case.person.code]
    assert "Мамытова" not in json.dumps(found, ensure_ascii=False)
    assert api.get("/search", q="Мамытова").json() == []


def test_coordinator_may_not_change_a_case(api_as, coordinator, aigul_case):
    api = api_as(coordinator)
    response = api.patch(f"/cases/{aigul_case.code}", {"status": "FollowUp"})
    assert response.status_code == 403
    assert response.json()["detail"]
    put = api.put(f"/persons/{aigul_case.person.code}/identity", {"given_name": "X"})
    assert put.status_code == 403
    assert Identity.objects.get(person=aigul_case.person).given_name == "Айгуль"
    aigul_case.refresh_from_db()
    assert aigul_case.status == "Active"


def test_openapi_and_docs_are_served(anonymous):
    schema = anonymous.client.get(f"{BASE}/openapi.json")
    assert schema.status_code == 200
    assert schema.json()["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    docs = anonymous.client.get(f"{BASE}/docs")
    assert docs.status_code == 200


def test_me_says_who_and_what_the_role_may_do(api_as, case_worker, coordinator):
    me = api_as(case_worker).get("/me").json()
    assert me["username"] == "aizada"
    assert me["organisation"]["name"] == "Safe Home Bishkek"
    assert me["role"] == {"value": 300, "label": "Case worker"}
    assert me["may"]["see_identity"] is True
    assert me["may"]["read_audit"] is False
    national = api_as(coordinator).get("/me").json()
    assert national["may"]["see_identity"] is False
    assert national["may"]["see_national_cases"] is True
