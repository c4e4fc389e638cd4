"""The exchange over the API: a partner with no account here reads this deployment's public keys
and the schema of a package's contents, and nothing secret; the consul makes a package, Safe Home
previews it, imports it and puts the return on its case, with the same walls as the pages for
everyone else."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.services import api_token_create
from nrm.interchange.exchange.identity import deployment_identity, encode_key
from nrm.interchange.exchange.models import ReceivedPackage, SentPackage
from tests.api.conftest import BASE, Api
from tests.conftest import _member
from tests.interchange.exchange.conftest import KG_KEYS
from tests.interchange.exchange.packages import as_deployment, edited
from tests.interchange.exchange.test_envelope import _tamper_ciphertext
from tests.interchange.exchange.test_receive import from_moscow

pytestmark = pytest.mark.django_db


def test_anyone_reads_this_deployments_public_keys_and_no_private_one():
    response = Api(Client(), None).get("/exchange/deployment")
    assert response.status_code == 200
    published = response.json()
    identity = deployment_identity()
    assert published["deployment_id"] == "KG"
    assert published["signing_key"] == encode_key(identity.signing_public_key)
    assert published["encryption_key"] == encode_key(identity.encryption_public_key)
    assert published["fingerprint"] == identity.fingerprint
    assert KG_KEYS.signing not in response.content.decode()
    assert KG_KEYS.encryption not in response.content.decode()


def test_anyone_reads_the_schema_of_a_package():
    response = Api(Client(), None).get("/exchange/schema.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["title"] == "nrm-exchange/1"
    assert "prs_FirstName" in schema["$defs"]["ExchangePerson"]["properties"]
    assert schema["properties"]["schema"]["const"] == "nrm-exchange/1"


def test_anyone_reads_the_schema_of_a_reply():
    response = Api(Client(), None).get("/exchange/reply-schema.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["title"] == "nrm-exchange-reply/1"
    assert schema["properties"]["schema"]["const"] == "nrm-exchange-reply/1"
    assert "ref_DeclineReason" in schema["$defs"]["ReplyReferral"]["properties"]
    assert "prs_FirstName" not in json.dumps(schema)


def test_anyone_reads_the_schema_of_a_cancellation():
    response = Api(Client(), None).get("/exchange/cancellation-schema.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["title"] == "nrm-exchange-cancellation/1"
    assert schema["properties"]["schema"]["const"] == "nrm-exchange-cancellation/1"
    assert "ref_CancelReason" in schema["$defs"]["CancellationReferral"]["properties"]
    assert "prs_FirstName" not in json.dumps(schema)


def test_a_token_holder_reads_the_same(case_worker):
    token = api_token_create(viewer=case_worker, name="tests")[1]
    response = Api(Client(), token).get("/exchange/schema.json")
    assert response.status_code == 200


def test_the_public_operations_are_marked_public_in_the_api_documentation():
    documented = Api(Client(), None).get("/openapi.json").json()["paths"]
    for path in ("/api/v1/exchange/deployment", "/api/v1/exchange/schema.json",
                 "/api/v1/exchange/reply-schema.json",
                 "/api/v1/exchange/cancellation-schema.json"):
        assert "security" not in documented[path]["get"] or not documented[path]["get"][
            "security"]


# --- packages ------------------------------------------------------------------------------------

# Every operation of the exchange that takes a token; {code} is the referral's code.
OPERATIONS = [
    ("POST", "/exchange/referrals/{code}/package"),
    ("POST", "/exchange/packages/preview"),
    ("POST", "/exchange/packages"),
    ("GET", "/exchange/referrals/{code}/incoming"),
    ("POST", "/exchange/referrals/{code}/incoming/return"),
    ("POST", "/exchange/referrals/{code}/incoming/reply"),
    ("POST", "/exchange/replies/preview"),
    ("POST", "/exchange/replies"),
    ("POST", "/exchange/referrals/{code}/cancellation"),
    ("POST", "/exchange/cancellations/preview"),
    ("POST", "/exchange/cancellations"),
]
UPLOADS = {"/exchange/packages/preview", "/exchange/packages", "/exchange/replies/preview",
           "/exchange/replies", "/exchange/cancellations/preview", "/exchange/cancellations"}
PACKAGE_UPLOADS = ("/exchange/packages/preview", "/exchange/packages")


def call(api: Api, method: str, path: str, *, code: str = "", document: bytes = b"") -> Any:
    path = path.format(code=code)
    if path in UPLOADS:
        return api.client.post(BASE + path, {"file": SimpleUploadedFile(
            "package.json", document, content_type="application/json")}, headers=api.headers)
    return api.call(method, path)


def test_every_exchange_operation_is_covered_here():
    documented = Api(Client(), None).get("/openapi.json").json()["paths"]
    listed = {(method, f"{BASE}{path}") for method, path in OPERATIONS}
    found = {(method.upper(), path) for path, operations in documented.items()
             for method in operations if path.startswith(f"{BASE}/exchange/")}
    public = {("GET", f"{BASE}/exchange/deployment"), ("GET", f"{BASE}/exchange/schema.json"),
              ("GET", f"{BASE}/exchange/reply-schema.json"),
              ("GET", f"{BASE}/exchange/cancellation-schema.json")}
    assert found - public == listed


@pytest.fixture
def package(consul, zhyldyz_referral, zhyldyz_return, russia) -> bytes:
    zhyldyz_return.travel_on = timezone.localdate() - dt.timedelta(days=1)
    zhyldyz_return.save()
    return from_moscow(consul, zhyldyz_referral)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_anonymous_is_refused(anonymous, package, zhyldyz_referral, method, path):
    response = call(anonymous, method, path, code=zhyldyz_referral.display_code,
                    document=package)
    assert response.status_code == 401
    assert not ReceivedPackage.objects.exists()


def test_the_consul_makes_the_package_over_the_api(api_as, consul, zhyldyz_referral,
                                                  zhyldyz_return):
    with as_deployment("RU"):
        response = api_as(consul).post(
            f"/exchange/referrals/{zhyldyz_referral.display_code}/package")
    assert response.status_code == 201
    assert response["Content-Disposition"].startswith('attachment; filename="nrm-package-')
    assert json.loads(response.content)["header"]["recipient"] == "KG"
    assert SentPackage.objects.get().referral == zhyldyz_referral


def test_others_cannot_make_the_consuls_package(api_as, consul, zhyldyz_referral, outsider,
                                               coordinator, case_worker, moscow_consulate):
    path = f"/exchange/referrals/{zhyldyz_referral.display_code}/package"
    with as_deployment("RU"):
        admin = _member("admin_consulate", moscow_consulate, Role.ORGANISATION_ADMIN)
        for other in (outsider, coordinator, case_worker, admin):
            assert api_as(other).post(path).status_code == 404
    assert not SentPackage.objects.exists()


def test_safe_home_previews_imports_and_records_the_return_over_the_api(
        api_as, case_worker, package, safe_home):
    api = api_as(case_worker)
    preview = call(api, "POST", "/exchange/packages/preview", document=package)
    assert preview.status_code == 200, preview.json()
    body = preview.json()
    assert body["organisation"]["id"] == safe_home.pk and body["sender"] == "RU"
    assert body["person"]["names"]["given_name"] == "Жылдыз" and body["identity_shown"]
    assert body["return_journey"]["ret_Escort"] == "Consular"
    assert not ReceivedPackage.objects.exists()

    imported = call(api, "POST", "/exchange/packages", document=package)
    assert imported.status_code == 201
    code = imported.json()["referral_code"]
    assert imported.json()["return_journey"] is True
    again = call(api, "POST", "/exchange/packages", document=package)
    assert again.status_code == 422
    assert again.json()["reason"] == "replayed"

    incoming = api.get(f"/exchange/referrals/{code}/incoming").json()
    assert incoming["sender"] == "RU" and incoming["case_code"] is None
    early = api.post(f"/exchange/referrals/{code}/incoming/return")
    assert early.status_code == 422
    assert "Accept the referral first" in early.json()["detail"]

    assert api.post(f"/referrals/{code}/accept").status_code == 200
    recorded = api.post(f"/exchange/referrals/{code}/incoming/return")
    assert recorded.status_code == 201
    journey = recorded.json()
    case_code = api.get(f"/exchange/referrals/{code}/incoming").json()["case_code"]
    reception = api.post(f"/assistance/cases/{case_code}/returns/{journey['id']}/reception",
                         {"arrived_on": journey["travel_on"], "received_by": "Duty officer"})
    assert reception.status_code == 200, reception.json()
    assert reception.json()["status"] == "arrived"


def test_a_refused_package_answers_422_with_its_reason_and_writes_nothing(api_as, case_worker,
                                                                          outsider, package):
    tampered = edited(package, _tamper_ciphertext)
    for path in PACKAGE_UPLOADS:
        response = call(api_as(case_worker), "POST", path, document=tampered)
        assert response.status_code == 422
        assert response.json()["reason"] == "bad_signature"
        assert "changed after it was signed" in response.json()["detail"]
        elsewhere = call(api_as(outsider), "POST", path, document=package)
        assert elsewhere.status_code == 422
        assert elsewhere.json()["reason"] == "other_organisation"
        assert "Жылдыз" not in elsewhere.content.decode()
    assert not ReceivedPackage.objects.exists()


def test_roles_without_cases_may_not_open_packages(api_as, package, org_admin, analyst,
                                                   coordinator):
    for viewer in (org_admin, analyst, coordinator):
        for path in UPLOADS:
            assert call(api_as(viewer), "POST", path, document=package).status_code == 403
    assert not ReceivedPackage.objects.exists()


def test_the_incoming_operations_are_safe_home_s_alone(api_as, case_worker, outsider, consul,
                                                       coordinator, package):
    code = call(api_as(case_worker), "POST", "/exchange/packages",
                document=package).json()["referral_code"]
    for other in (outsider, consul, coordinator):
        api = api_as(other)
        assert api.get(f"/exchange/referrals/{code}/incoming").status_code == 404
        assert api.post(f"/exchange/referrals/{code}/incoming/return").status_code == 404
