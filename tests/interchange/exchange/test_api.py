"""The exchange's public operations: a partner with no account here reads this deployment's
public keys and the schema of a package's contents, and nothing secret."""

from __future__ import annotations

import pytest
from django.test import Client

from nrm.accounts.services import api_token_create
from nrm.interchange.exchange.identity import deployment_identity, encode_key
from tests.api.conftest import Api
from tests.interchange.exchange.conftest import KG_KEYS

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


def test_a_token_holder_reads_the_same(case_worker):
    token = api_token_create(viewer=case_worker, name="tests")[1]
    response = Api(Client(), token).get("/exchange/schema.json")
    assert response.status_code == 200


def test_the_public_operations_are_marked_public_in_the_api_documentation():
    documented = Api(Client(), None).get("/openapi.json").json()["paths"]
    for path in ("/api/v1/exchange/deployment", "/api/v1/exchange/schema.json"):
        assert "security" not in documented[path]["get"] or not documented[path]["get"][
            "security"]
