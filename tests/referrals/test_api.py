"""Referrals over the API, with the same permissions as the pages: Safe Home sends Асель's
referral to Ak-Jol, Ak-Jol reads its inbox, accepts, starts and completes, and reads the shared
case, in which every field not shared is absent; the referrer follows the status and history on
its case. Tendesh gets 404 for all of it, anonymous callers 401, a wrong role 403."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from nrm.accounts.services import api_token_create
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral
from tests.api.conftest import Api
from tests.referrals.conftest import refer

pytestmark = pytest.mark.django_db

SHARED = ["sex", "age_band", "languages", "names", "events"]


def api(viewer=None) -> Api:
    return Api(Client(), api_token_create(viewer=viewer, name="tests")[1] if viewer else None)


def _body(case, receiver, **overrides: Any) -> dict[str, Any]:
    body = {"case_code": case.code, "receiver_id": receiver.pk, "services": ["shelter"],
            "urgency": "urgent", "shared_fields": SHARED, "note": "Arrives tonight.",
            "accompanying_children": 1}
    body.update(overrides)
    return body


def test_the_whole_story_over_the_api(case_worker, asel_case, ak_jol, shelter_worker):
    aizada, cholpon = api(case_worker), api(shelter_worker)
    sent = aizada.post("/referrals", _body(asel_case, ak_jol))
    assert sent.status_code == 201, sent.json()
    referral = sent.json()
    code = referral["code"]
    assert referral["side"] == "referrer" and referral["case_code"] == asel_case.code
    assert referral["status"] == "sent" and referral["shared_fields"] == SHARED

    inbox = cholpon.get("/referrals/inbox")
    assert [row["code"] for row in inbox.json()] == [code]
    summary = cholpon.get(f"/referrals/{code}").json()
    assert summary["side"] == "receiver"
    assert summary["case_code"] is None and summary["override_reason"] is None
    assert summary["profile"] == {"sex": "Feminine", "age_band": "27--29", "languages": ["ky"]}
    assert cholpon.get(f"/referrals/{code}/shared-case").status_code == 404

    assert cholpon.post(f"/referrals/{code}/accept").json()["status"] == "accepted"
    shared = cholpon.get(f"/referrals/{code}/shared-case")
    assert shared.status_code == 200
    assert shared.json() == {
        "referral_code": code, "status": "accepted", "person_code": asel_case.person.code,
        "sex": "Feminine", "age_band": "27--29", "languages": ["ky"],
        "names": {"given_name": "Асель", "patronymic": "Бакытовна",
                  "family_name": "Токтогулова", "latin_name": "Asel Bakytovna Toktogulova"},
        "events": [{"stage": "Exploitation", "country": "TR", "region": "",
                    "city": "Antalya-Testkent", "date": "2025-06-01", "date_precision": "month"}],
    }
    text = json.dumps(shared.json(), ensure_ascii=False)
    for value in ("AC7654321", "+996 700", "Ася-Алиас", "villa", "1998", "WithholdsDocuments"):
        assert value not in text

    assert cholpon.post(f"/referrals/{code}/start").json()["status"] == "in_progress"
    done = cholpon.post(f"/referrals/{code}/complete", {"note": "Three months of shelter."})
    assert done.json()["status"] == "completed"
    history = aizada.get(f"/cases/{asel_case.code}/referrals").json()
    assert [step["status"] for step in history[0]["history"]] == [
        "sent", "accepted", "in_progress", "completed"]
    assert history[0]["completion_note"] == "Three months of shelter."
    assert [row["code"] for row in aizada.get("/referrals/sent").json()] == [code]


def test_decline_and_cancel_need_a_reason(case_worker, asel_case, ak_jol, shelter_worker):
    aizada, cholpon = api(case_worker), api(shelter_worker)
    code = aizada.post("/referrals", _body(asel_case, ak_jol)).json()["code"]
    refused = cholpon.post(f"/referrals/{code}/decline", {"reason": " "})
    assert refused.status_code == 422
    assert "Say why you decline" in refused.json()["detail"]
    assert aizada.post(f"/referrals/{code}/cancel", {"reason": "Went home"}).json()[
        "status"] == "cancelled"


def test_the_consent_gate_holds_over_the_api(case_worker, aigul_case, ak_jol):
    refused = api(case_worker).post("/referrals", _body(aigul_case, ak_jol))
    assert refused.status_code == 422
    assert "consent" in refused.json()["errors"]
    assert not Referral.objects.exists()


def test_a_supervisor_overrides_in_an_emergency_over_the_api(supervisor, aigul_case, ak_jol):
    sent = api(supervisor).post("/referrals", _body(
        aigul_case, ak_jol, urgency="emergency", shared_fields=["sex", "age_band"],
        override_reason="She is in danger tonight."))
    assert sent.status_code == 201, sent.json()
    assert sent.json()["consent_overridden"] is True
    assert sent.json()["override_reason"] == "She is in danger tonight."


def test_sending_twice_with_one_key_sends_once(case_worker, asel_case, ak_jol):
    aizada = api(case_worker)
    body = _body(asel_case, ak_jol, submission_key="key-1")
    assert aizada.post("/referrals", body).status_code == 201
    again = aizada.post("/referrals", body)
    assert again.status_code == 409
    assert Referral.objects.count() == 1


@pytest.fixture
def accepted(case_worker, asel_case, ak_jol, shelter_worker) -> Referral:
    from nrm.referrals.services import referral_accept

    return referral_accept(viewer=shelter_worker,
                           referral=refer(case_worker, asel_case, ak_jol, shared_fields=SHARED))


def _calls(referral: Referral) -> list[tuple[str, str, Any]]:
    code = referral.code
    return [("GET", f"/referrals/{code}", None), ("GET", f"/referrals/{code}/shared-case", None),
            ("POST", f"/referrals/{code}/accept", None),
            ("POST", f"/referrals/{code}/decline", {"reason": "x"}),
            ("POST", f"/referrals/{code}/start", None),
            ("POST", f"/referrals/{code}/complete", {"note": ""}),
            ("POST", f"/referrals/{code}/cancel", {"reason": "x"}),
            ("GET", f"/cases/{referral.case.code}/referrals", None)]


@pytest.mark.parametrize("who", ["outsider", "foreign_case_worker", "analyst", "org_admin"])
def test_a_third_organisation_gets_404(accepted, request, who):
    caller = api(request.getfixturevalue(who))
    for method, path, body in _calls(accepted):
        assert caller.call(method, path, body).status_code == 404, (who, path)
    accepted.refresh_from_db()
    assert accepted.status == ReferralStatus.ACCEPTED


def test_anonymous_callers_get_401(accepted, ak_jol):
    caller = api(None)
    calls = [*_calls(accepted), ("GET", "/referrals/inbox", None),
             ("GET", "/referrals/sent", None), ("POST", "/referrals", {}),
             ("GET", "/referral-deadlines/KG", None), ("PUT", "/referral-deadlines/KG", {})]
    for method, path, body in calls:
        assert caller.call(method, path, body).status_code == 401, path


def test_a_wrong_role_gets_403(accepted, case_worker, shelter_worker, shelter_admin,
                               coordinator, asel_case, ak_jol):
    code = accepted.code
    assert api(case_worker).post(f"/referrals/{code}/start").status_code == 403
    assert api(shelter_worker).post(f"/referrals/{code}/cancel",
                                    {"reason": "x"}).status_code == 403
    assert api(shelter_admin).get("/referrals/inbox").status_code == 403
    assert api(coordinator).post("/referrals", _body(asel_case, ak_jol)).status_code == 403
    assert api(case_worker).put("/referral-deadlines/KG", {
        "emergency_hours": 2, "urgent_hours": 24, "routine_hours": 120,
        "expiry_hours": 24}).status_code == 403


def test_an_outsider_cannot_refer_another_organisations_case(outsider, asel_case, ak_jol):
    assert api(outsider).post("/referrals", _body(asel_case, ak_jol)).status_code == 404


def test_the_coordinator_sets_deadlines_any_member_reads_them(coordinator, case_worker):
    assert api(case_worker).get("/referral-deadlines/KG").json()["country_set"] is False
    body = {"emergency_hours": 2, "urgent_hours": 24, "routine_hours": 120, "expiry_hours": 24}
    assert api(coordinator).put("/referral-deadlines/KG", body).status_code == 200
    read = api(case_worker).get("/referral-deadlines/kg").json()
    assert read == {"country": "KG", **body, "country_set": True}
