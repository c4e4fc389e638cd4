"""The reply story's two halves, as the tests play them: in Moscow (the Russian deployment) the
consul's package of Жылдыз's referral (synthetic); in Bishkek (the Kyrgyz one, the tests'
default) Safe Home imports it, answers, records her arrival and makes a reply; back in Moscow
the consul applies it. And replies as a forger would make them, re-sealed from a real one."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.utils import timezone

from nrm.assistance.inputs import ReceptionInput
from nrm.assistance.services import return_reception_record
from nrm.interchange.exchange.envelope import decrypt, parse, seal, timestamp
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import ReceivedPackage
from nrm.interchange.exchange.reply_schema import REPLY_SCHEMA_VERSION
from nrm.interchange.exchange.services import package_import, package_return_record, reply_send
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_accept
from tests.interchange.exchange.conftest import KG_KEYS, RU_KEYS, DeploymentKeys
from tests.interchange.exchange.packages import as_deployment, identity_of


def imported(case_worker, package: bytes) -> ReceivedPackage:
    """Safe Home imports the consul's package."""
    return package_import(viewer=case_worker, document=package)


def accepted_with_arrival(case_worker, received: ReceivedPackage,
                          received_by: str = "Duty social worker") -> Referral:
    """Safe Home accepts, puts the return on its case and records her reception on arrival."""
    assert received.referral is not None
    referral = referral_accept(viewer=case_worker, referral=received.referral)
    journey = package_return_record(viewer=case_worker, received=received)
    return_reception_record(viewer=case_worker, journey=journey, reception=ReceptionInput(
        arrived_on=journey.travel_on, received_by=received_by, notes="Tired, no injuries"))
    return referral


def reply_from_bishkek(case_worker, received: ReceivedPackage) -> bytes:
    """The reply Safe Home downloads in the Kyrgyz deployment."""
    return reply_send(viewer=case_worker, received=received).document


def contents(document: bytes) -> dict[str, Any]:
    """A reply's payload, as the Russian deployment decrypts it."""
    with as_deployment("RU"):
        return json.loads(decrypt(parse(document), deployment_identity()))


def resealed(document: bytes, *, sender: str = "KG", keys: DeploymentKeys = KG_KEYS,
             recipient: str = "RU", made: dt.datetime | None = None,
             lifetime: dt.timedelta = dt.timedelta(days=14),
             change: Callable[[dict[str, Any]], None] | None = None) -> bytes:
    """A real reply's payload, changed and sealed again under a new id by ``sender`` for
    ``recipient``: what a partner (or a forger holding its keys) could make."""
    payload = contents(document)
    made = made or timezone.now()
    reply_id = uuid.uuid4()
    payload.update(package_id=str(reply_id), sender=sender, recipient=recipient,
                   created_at=timestamp(made), expires_at=timestamp(made + lifetime))
    if change is not None:
        change(payload)
    return seal(payload=payload, sender=identity_of(sender, keys), recipient_id=recipient,
                recipient_encryption_key=RU_KEYS.encryption_public_raw, package_id=reply_id,
                created_at=made, expires_at=made + lifetime, schema=REPLY_SCHEMA_VERSION)
