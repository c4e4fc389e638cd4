"""A deployment's identity: its id and keys from the environment, development keys refused on a
server, its public keys published for partners."""

from __future__ import annotations

import io
import json

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from nrm.core.crypto import generate_key
from nrm.interchange.exchange.identity import decode_raw_key, deployment_identity, encode_key

SIGNING = generate_key()
ENCRYPTION = generate_key()
PREVIOUS_ENCRYPTION = generate_key()


@pytest.fixture
def development_keys(settings):
    settings.NRM_EXCHANGE_SIGNING_KEY = ""
    settings.NRM_EXCHANGE_ENCRYPTION_KEYS = ""


def deploy_errors() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)
            if message.id and message.id.startswith("nrm.E01")}


def test_development_keys_differ_between_deployments_and_stay_the_same(settings,
                                                                       development_keys):
    settings.NRM_DEPLOYMENT_ID = "RU"
    moscow = deployment_identity()
    settings.NRM_DEPLOYMENT_ID = "KG"
    bishkek = deployment_identity()
    assert moscow.development_keys and bishkek.development_keys
    assert moscow.signing_public_key != bishkek.signing_public_key
    assert moscow.encryption_public_key != bishkek.encryption_public_key
    settings.NRM_DEPLOYMENT_ID = "RU"
    assert deployment_identity().signing_public_key == moscow.signing_public_key


def test_keys_from_the_environment_are_used_the_first_encryption_key_published(settings):
    settings.NRM_DEPLOYMENT_ID = "KG"
    settings.NRM_EXCHANGE_SIGNING_KEY = SIGNING
    settings.NRM_EXCHANGE_ENCRYPTION_KEYS = f"{ENCRYPTION},{PREVIOUS_ENCRYPTION}"
    identity = deployment_identity()
    assert not identity.development_keys
    assert identity.signing_key.private_bytes_raw() == decode_raw_key(SIGNING, what="key")
    assert identity.encryption_keys[0].private_bytes_raw() == decode_raw_key(ENCRYPTION,
                                                                             what="key")
    previous = identity.encryption_keys[1].public_key().public_bytes_raw()
    assert identity.encryption_key_for(previous) is identity.encryption_keys[1]


@pytest.mark.parametrize(("variable", "value", "says"), [
    ("NRM_EXCHANGE_SIGNING_KEY", "not base64!", "not valid base64"),
    ("NRM_EXCHANGE_ENCRYPTION_KEYS", encode_key(b"short"), "32 bytes"),
    ("NRM_DEPLOYMENT_ID", "Kyrgyz Republic", "NRM_DEPLOYMENT_ID"),
])
def test_a_bad_setting_stops_with_a_message_naming_it(settings, variable, value, says):
    setattr(settings, variable, value)
    with pytest.raises(ImproperlyConfigured, match=says):
        deployment_identity()


def test_check_deploy_refuses_development_keys_and_the_development_id(settings,
                                                                     development_keys):
    settings.NRM_DEPLOYMENT_ID = "dev"
    assert {"nrm.E011", "nrm.E012"} <= deploy_errors()


def test_check_deploy_accepts_a_deployment_with_its_own_id_and_keys(settings):
    settings.NRM_DEPLOYMENT_ID = "KG"
    settings.NRM_EXCHANGE_SIGNING_KEY = SIGNING
    settings.NRM_EXCHANGE_ENCRYPTION_KEYS = ENCRYPTION
    assert not deploy_errors()


def test_exchange_identity_prints_public_keys_and_never_a_private_one(settings):
    settings.NRM_DEPLOYMENT_ID = "KG"
    settings.NRM_DEPLOYMENT_NAME = "Kyrgyz NRM registry"
    settings.NRM_DEPLOYMENT_COUNTRY = "kg"
    settings.NRM_EXCHANGE_SIGNING_KEY = SIGNING
    settings.NRM_EXCHANGE_ENCRYPTION_KEYS = ENCRYPTION
    out, err = io.StringIO(), io.StringIO()
    call_command("exchange_identity", stdout=out, stderr=err)
    published = json.loads(out.getvalue())
    identity = deployment_identity()
    assert published["deployment_id"] == "KG"
    assert published["country"] == "KG"
    assert published["signing_key"] == encode_key(identity.signing_public_key)
    assert published["encryption_key"] == encode_key(identity.encryption_public_key)
    assert SIGNING not in out.getvalue() and ENCRYPTION not in out.getvalue()
    assert err.getvalue() == ""


def test_exchange_identity_warns_about_development_keys(settings, development_keys):
    settings.NRM_DEPLOYMENT_ID = "KG"
    err = io.StringIO()
    call_command("exchange_identity", stdout=io.StringIO(), stderr=err)
    assert "development keys" in err.getvalue()
