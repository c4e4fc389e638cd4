"""A package sealed in Moscow opens in Bishkek; a tampered, replayed, expired, mis-addressed or
unknown one is refused with its own message, and nothing but the refusal's audit entry is
written."""

from __future__ import annotations

import base64
import datetime as dt
import json
import uuid
from collections.abc import Callable

import jsonschema
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.exchange.envelope import canonical_json, decrypt, parse
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import PartnerDeployment
from nrm.interchange.exchange.refusals import MESSAGES, PackageRefusedError, Refusal
from nrm.interchange.exchange.services import package_open, package_receipt_record
from tests.api.conftest import Api
from tests.interchange.exchange.conftest import KG_KEYS, RU_KEYS, new_keys
from tests.interchange.exchange.packages import edited, payload, sealed

pytestmark = pytest.mark.django_db

KZ_KEYS = new_keys()


def rows() -> dict[str, int]:
    """Every table's row count but the audit log's."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model is not AuditEntry and model._meta.managed}


def refused(viewer, document: bytes) -> PackageRefusedError:
    """Open ``document``, expecting a refusal; check that only its audit entry was written."""
    before, audited = rows(), AuditEntry.objects.count()
    with pytest.raises(PackageRefusedError) as caught:
        package_open(viewer=viewer, document=document)
    assert rows() == before
    assert AuditEntry.objects.count() == audited + 1
    entry = AuditEntry.objects.first()
    assert entry.action == AuditAction.PACKAGE_REFUSED
    assert entry.purpose.startswith(caught.value.reason.value)
    return caught.value


def test_a_package_sealed_in_moscow_opens_in_bishkek(case_worker, russia):
    opened = package_open(viewer=case_worker, document=sealed())
    assert opened.partner == russia
    assert opened.payload.person.prs_FirstName == "Жылдыз"
    assert opened.payload.return_journey.ret_EscortDetails == "IOM operations assistant"
    assert opened.payload.referral.ref_ServicesRequested == ["Shelter", "Medical",
                                                             "ReturnRepatriation"]
    assert not AuditEntry.objects.exists()


def test_nothing_of_the_person_is_readable_without_the_key(russia):
    document = sealed()
    assert "Жылдыз".encode() not in document and b"Asanova" not in document
    assert "Жылдыз" not in json.dumps(json.loads(document), ensure_ascii=False)


def published_schema() -> dict:
    return Api(Client(), None).get("/exchange/schema.json").json()


def test_the_sealed_contents_follow_the_published_json_schema(russia):
    published = published_schema()
    jsonschema.Draft202012Validator.check_schema(published)
    contents = decrypt(parse(sealed()), deployment_identity())
    jsonschema.Draft202012Validator(published).validate(json.loads(contents))


def test_the_published_schema_refuses_what_the_reader_refuses():
    published = published_schema()
    now = timezone.now()
    body = payload(package_id=uuid.uuid4(), created_at=now, expires_at=now)
    body["person"]["prs_Gender"] = "Female"  # HTCDS says "Feminine"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(body, published)


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_utf8():
    assert canonical_json({"b": 1, "a": ["Жылдыз", None]}) == (
        '{"a":["Жылдыз",null],"b":1}'.encode())


def _tamper_ciphertext(envelope: dict) -> None:
    raw = bytearray(base64.b64decode(envelope["ciphertext"]))
    raw[10] ^= 0x01
    envelope["ciphertext"] = base64.b64encode(bytes(raw)).decode()


def _tamper_header(envelope: dict) -> None:
    envelope["header"]["expires_at"] = "2099-01-01T00:00:00Z"


def _tamper_signature(envelope: dict) -> None:
    raw = bytearray(base64.b64decode(envelope["signature"]))
    raw[0] ^= 0x80
    envelope["signature"] = base64.b64encode(bytes(raw)).decode()


@pytest.mark.parametrize("tamper", [_tamper_ciphertext, _tamper_header, _tamper_signature],
                         ids=["ciphertext", "header", "signature"])
def test_a_tampered_package_is_refused(case_worker, russia, tamper: Callable[[dict], None]):
    refusal = refused(case_worker, edited(sealed(), tamper))
    assert refusal.reason == Refusal.BAD_SIGNATURE
    assert "changed after it was signed" in str(refusal)
    assert "RU" in str(refusal)


def test_a_package_for_another_deployment_is_refused(case_worker, russia):
    refusal = refused(case_worker, sealed(recipient="KZ"))
    assert refusal.reason == Refusal.WRONG_RECIPIENT
    assert "addressed to the deployment “KZ”" in str(refusal)


def test_a_package_from_an_unregistered_deployment_is_refused(case_worker, russia):
    refusal = refused(case_worker, sealed(sender="TJ", sender_keys=new_keys()))
    assert refusal.reason == Refusal.UNKNOWN_SENDER
    assert "register that partner" in str(refusal)


def test_a_package_from_an_inactive_partner_is_refused(case_worker, russia):
    russia.is_active = False
    russia.save()
    refusal = refused(case_worker, sealed())
    assert refusal.reason == Refusal.INACTIVE_SENDER


def test_an_expired_package_is_refused(case_worker, russia):
    made = timezone.now() - dt.timedelta(days=20)
    refusal = refused(case_worker, sealed(made=made))
    assert refusal.reason == Refusal.EXPIRED
    assert "Ask the sender for a new package" in str(refusal)


def test_a_package_just_past_its_expiry_opens_within_the_clock_skew(case_worker, russia):
    made = timezone.now() - dt.timedelta(days=14, minutes=5)
    assert package_open(viewer=case_worker, document=sealed(made=made))


def test_a_package_made_in_the_future_is_refused(case_worker, russia):
    refusal = refused(case_worker, sealed(made=timezone.now() + dt.timedelta(hours=2)))
    assert refusal.reason == Refusal.NOT_YET_VALID


def test_a_package_imported_once_is_refused_the_second_time(case_worker, russia):
    document = sealed()
    package_receipt_record(viewer=case_worker,
                           opened=package_open(viewer=case_worker, document=document))
    refusal = refused(case_worker, document)
    assert refusal.reason == Refusal.REPLAYED
    assert "already imported" in str(refusal)


def test_recording_the_same_package_twice_is_refused_as_a_replay(case_worker, russia):
    opened = package_open(viewer=case_worker, document=sealed())
    package_receipt_record(viewer=case_worker, opened=opened)
    with pytest.raises(PackageRefusedError) as caught:
        package_receipt_record(viewer=case_worker, opened=opened)
    assert caught.value.reason == Refusal.REPLAYED


def test_malformed_json_is_refused(case_worker, russia):
    refusal = refused(case_worker, sealed()[:-40])
    assert refusal.reason == Refusal.NOT_JSON


def test_numbers_that_json_does_not_have_are_refused(case_worker, russia):
    document = sealed().replace(b'"format"', b'"extra": NaN, "format"', 1)
    assert refused(case_worker, document).reason == Refusal.NOT_JSON


def test_a_json_file_that_is_not_a_package_is_refused(case_worker, russia):
    refusal = refused(case_worker, b'{"name": "Safe Home", "cases": []}')
    assert refusal.reason == Refusal.NOT_A_PACKAGE


def test_a_package_in_a_later_format_is_refused(case_worker, russia):
    document = edited(sealed(), lambda envelope: envelope.update(format="nrm-exchange-envelope/2"))
    assert refused(case_worker, document).reason == Refusal.UNSUPPORTED_FORMAT


def test_a_damaged_package_is_refused(case_worker, russia):
    document = edited(sealed(), lambda envelope: envelope["header"].pop("nonce"))
    assert refused(case_worker, document).reason == Refusal.DAMAGED


def test_a_package_re_signed_by_another_partner_is_refused(case_worker, russia):
    PartnerDeployment.objects.create(
        deployment_id="KZ", name="Kazakh NRM registry", country="KZ",
        signing_key=KZ_KEYS.signing_public, encryption_key=KZ_KEYS.encryption_public)
    made = timezone.now()
    russian = payload(package_id=uuid.uuid4(), sender="RU", created_at=made,
                      expires_at=made + dt.timedelta(days=14))
    refusal = refused(case_worker, sealed(sender="KZ", sender_keys=KZ_KEYS, made=made,
                                          contents=russian))
    assert refusal.reason == Refusal.READDRESSED


def test_a_package_encrypted_to_a_key_we_do_not_hold_is_refused(case_worker, russia):
    refusal = refused(case_worker, sealed(recipient_keys=new_keys()))
    assert refusal.reason == Refusal.NOT_OUR_KEY


def test_a_package_encrypted_to_our_previous_key_still_opens(settings, case_worker, russia):
    document = sealed()
    settings.NRM_EXCHANGE_ENCRYPTION_KEYS = f"{new_keys().encryption},{KG_KEYS.encryption}"
    assert package_open(viewer=case_worker, document=document).partner == russia


def test_contents_that_do_not_follow_the_schema_are_refused(case_worker, russia):
    refusal = refused(case_worker, sealed(prs_Gender="Female"))
    assert refusal.reason == Refusal.INVALID_CONTENT
    assert "prs_Gender" in str(refusal)


def test_a_field_outside_the_shared_scope_is_refused(case_worker, russia):
    made = timezone.now()
    contents = payload(package_id=uuid.uuid4(), created_at=made,
                       expires_at=made + dt.timedelta(days=14))
    contents["referral"]["ref_SharedFields"].remove("prs_FirstName")
    refusal = refused(case_worker, sealed(made=made, contents=contents))
    assert refusal.reason == Refusal.INVALID_CONTENT
    assert "prs_FirstName" in str(refusal)


def test_a_file_larger_than_a_package_is_refused(case_worker, russia):
    assert refused(case_worker, b" " * (600 * 1024)).reason == Refusal.TOO_LARGE


def test_every_refusal_has_its_own_message():
    assert len({str(message) for message in MESSAGES.values()}) == len(Refusal)


@pytest.mark.parametrize("who", ["analyst", "coordinator", "org_admin"])
def test_roles_that_do_not_work_cases_may_not_open_packages(request, who, russia):
    with pytest.raises(PermissionDenied):
        package_open(viewer=request.getfixturevalue(who), document=sealed())


def test_the_sender_must_hold_the_signing_key_it_claims(case_worker, russia):
    """Russia's id with someone else's signing key: the signature does not verify."""
    refusal = refused(case_worker, sealed(sender_keys=new_keys()))
    assert refusal.reason == Refusal.BAD_SIGNATURE
    assert RU_KEYS.signing not in str(refusal)
