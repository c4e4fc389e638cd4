"""Nobody waits for a person who is not coming: the consul in Moscow cancels her referral of
Жылдыз (synthetic) after its package went to Safe Home Bishkek, in the Kyrgyz deployment; a
cancellation carries that, with the reason and no identity, and Safe Home applies it: the
referral is cancelled in the consul's name, its history, audit and Safe Home's notifications
written. A cancellation that comes before the package keeps the package out. A tampered,
replayed, expired, mis-addressed, wrong-partner or wrong-kind cancellation is refused with its
own message, changes nothing, and leaves its refusal in the audit log."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Callable
from typing import Any

import jsonschema
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nrm.accounts.models import Notification
from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.exchange.cancellation_schema import (
    CANCELLATION_SCHEMA_VERSION,
    cancellation_json_schema,
)
from nrm.interchange.exchange.envelope import decrypt, parse, seal, timestamp
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import (
    CancelledPackage,
    ReceivedCancellation,
    ReceivedPackage,
    SentCancellation,
)
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.selectors import incoming_package_for_viewer
from nrm.interchange.exchange.services import (
    cancellation_apply,
    cancellation_preview,
    cancellation_send,
    has_something_to_cancel,
    package_import,
    reply_apply,
)
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import ReferralStatusChange
from nrm.referrals.services import (
    referral_accept,
    referral_cancel,
    referral_complete,
    referral_start,
)
from tests.conftest import _member
from tests.interchange.exchange.conftest import (
    KG_KEYS,
    RU_KEYS,
    DeploymentKeys,
    new_keys,
    partner,
)
from tests.interchange.exchange.packages import as_deployment, edited, identity_of
from tests.interchange.exchange.replies import reply_from_bishkek
from tests.interchange.exchange.test_envelope import _tamper_ciphertext
from tests.interchange.exchange.test_receive import from_moscow

pytestmark = pytest.mark.django_db

REASON = "She found work at home and will not travel; her family meets her."


@pytest.fixture
def package(consul, zhyldyz_referral, zhyldyz_return, russia) -> bytes:
    zhyldyz_return.travel_on = timezone.localdate() + dt.timedelta(days=3)
    zhyldyz_return.save()
    return from_moscow(consul, zhyldyz_referral)


def cancelled_in_moscow(consul, referral) -> bytes:
    """The consul cancels the referral and downloads the cancellation, in Moscow."""
    with as_deployment("RU"):
        referral_cancel(viewer=consul, referral=referral, reason=REASON)
        return cancellation_send(viewer=consul, referral=referral).document


def contents(document: bytes) -> dict[str, Any]:
    """A cancellation's payload, as the Kyrgyz deployment decrypts it."""
    return json.loads(decrypt(parse(document), deployment_identity()))


def resealed(document: bytes, *, sender: str = "RU", keys: DeploymentKeys | None = None,
             recipient: str = "KG", made: dt.datetime | None = None,
             lifetime: dt.timedelta = dt.timedelta(days=14),
             change: Callable[[dict[str, Any]], None] | None = None) -> bytes:
    """A real cancellation's payload, changed and sealed again under a new id by ``sender``:
    what a partner (or a forger holding its keys) could make."""
    payload = contents(document)
    made = made or timezone.now()
    new_id = uuid.uuid4()
    payload.update(package_id=str(new_id), sender=sender, recipient=recipient,
                   created_at=timestamp(made), expires_at=timestamp(made + lifetime))
    if change is not None:
        change(payload)
    return seal(payload=payload, sender=identity_of(sender, keys or RU_KEYS),
                recipient_id=recipient, recipient_encryption_key=KG_KEYS.encryption_public_raw,
                package_id=new_id, created_at=made, expires_at=made + lifetime,
                schema=CANCELLATION_SCHEMA_VERSION)


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model is not AuditEntry and model._meta.managed}


def refused(viewer, document: bytes, reason: Refusal,
            apply: Callable[..., Any] = cancellation_apply) -> PackageRefusedError:
    """Apply ``document`` in Bishkek, expecting ``reason``: nothing changes, the refusal is
    audited."""
    before = rows()
    with pytest.raises(PackageRefusedError) as caught:
        apply(viewer=viewer, document=document)
    assert caught.value.reason == reason, caught.value
    assert rows() == before
    entry = AuditEntry.objects.filter(action=AuditAction.PACKAGE_REFUSED).first()
    assert entry.purpose.startswith(reason.value)
    return caught.value


# --- the story -----------------------------------------------------------------------------------

def test_the_consuls_cancellation_reaches_safe_home(consul, case_worker, colleague, package,
                                                    zhyldyz_referral):
    received = package_import(viewer=case_worker, document=package)
    incoming = referral_accept(viewer=case_worker, referral=received.referral)
    assert not has_something_to_cancel(zhyldyz_referral)
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    zhyldyz_referral.refresh_from_db()
    assert has_something_to_cancel(zhyldyz_referral)

    made = SentCancellation.objects.get()
    assert (made.referral, made.recipient.deployment_id, made.created_by) == (
        zhyldyz_referral, "KG", consul.user)
    sent_audit = AuditEntry.objects.get(action=AuditAction.CANCELLATION_SENT)
    assert sent_audit.object_id == str(zhyldyz_referral.pk)
    # No identity travels: codes, package ids, when and why.
    assert "Жылдыз".encode() not in document
    payload = contents(document)
    jsonschema.validate(payload, cancellation_json_schema())
    assert "Жылдыз" not in json.dumps(payload, ensure_ascii=False)
    assert payload["cancels"]["ref_Code"] == zhyldyz_referral.code
    assert payload["cancels"]["rep_PackageIds"] == [str(received.package_id)]
    assert payload["referral"]["ref_CancelReason"] == REASON

    opened = cancellation_preview(viewer=case_worker, document=document)
    assert [referral.pk for referral in opened.to_cancel] == [incoming.pk]
    assert not opened.nothing_came and not opened.left_as_they_are
    assert not ReceivedCancellation.objects.exists()

    told_before = Notification.objects.filter(user=colleague.user).count()
    applied = cancellation_apply(viewer=case_worker, document=document)
    incoming.refresh_from_db()
    assert incoming.status == ReferralStatus.CANCELLED
    assert incoming.cancel_reason == REASON
    assert applied.referrals_cancelled == 1
    step = ReferralStatusChange.objects.get(referral=incoming, status=ReferralStatus.CANCELLED)
    assert (step.by, step.reason) == (None, REASON)
    assert step.at >= ReferralStatusChange.objects.get(referral=incoming,
                                                       status=ReferralStatus.ACCEPTED).at
    assert step.organisation_id == incoming.from_organisation_id
    assert Notification.objects.filter(user=colleague.user).count() == told_before + 1
    audit = AuditEntry.objects.get(action=AuditAction.CANCELLATION_APPLIED)
    assert audit.object_id == str(incoming.pk) and "status" in audit.fields
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_STATUS_CHANGED,
                                     object_id=str(incoming.pk),
                                     purpose__startswith="cancelled: cancellation").exists()

    found = incoming_package_for_viewer(viewer=case_worker, code=incoming.display_code)
    assert [cancellation.pk for cancellation in found.cancellations] == [applied.pk]
    # Applied once: the same file again is a replay.
    refused(case_worker, document, Refusal.CANCELLATION_REPLAYED)


def test_a_cancellation_before_the_package_keeps_the_package_out(consul, case_worker, package,
                                                                 zhyldyz_referral):
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    opened = cancellation_preview(viewer=case_worker, document=document)
    assert opened.nothing_came and not opened.to_cancel
    applied = cancellation_apply(viewer=case_worker, document=document)
    assert applied.referrals_cancelled == 0
    assert CancelledPackage.objects.filter(cancellation=applied).count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.CANCELLATION_APPLIED).count() == 1

    error = refused(case_worker, package, Refusal.CANCELLED_BEFORE_IMPORT, apply=package_import)
    assert "cancelled this referral" in str(error)
    assert not ReceivedPackage.objects.exists()


def test_a_referral_that_ended_here_stays_as_it_is(consul, case_worker, package,
                                                   zhyldyz_referral):
    received = package_import(viewer=case_worker, document=package)
    referral_accept(viewer=case_worker, referral=received.referral)
    referral_start(viewer=case_worker, referral=received.referral)
    referral_complete(viewer=case_worker, referral=received.referral, note="Sheltered")
    # The consul cancelled before the reply with the completion came back.
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    opened = cancellation_preview(viewer=case_worker, document=document)
    assert not opened.to_cancel
    assert [referral.pk for referral in opened.left_as_they_are] == [received.referral_id]
    applied = cancellation_apply(viewer=case_worker, document=document)
    assert applied.referrals_cancelled == 0
    received.referral.refresh_from_db()
    assert received.referral.status == ReferralStatus.COMPLETED


def test_every_package_of_the_referral_is_named(consul, case_worker, package, zhyldyz_referral):
    second = from_moscow(consul, zhyldyz_referral)  # made again, say after a lost file
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    assert len(contents(document)["cancels"]["rep_PackageIds"]) == 2
    package_import(viewer=case_worker, document=package)
    applied = cancellation_apply(viewer=case_worker, document=document)
    assert applied.referrals_cancelled == 1
    refused(case_worker, second, Refusal.CANCELLED_BEFORE_IMPORT, apply=package_import)


# --- who makes one, and when ---------------------------------------------------------------------

def test_only_a_cancelled_referral_sent_as_a_package_is_cancelled_at_the_partner(
        consul, package, zhyldyz_referral, moscow_consulate):
    with as_deployment("RU"):
        with pytest.raises(ValidationError, match="Cancel it on its page first"):
            cancellation_send(viewer=consul, referral=zhyldyz_referral)
        referral_cancel(viewer=consul, referral=zhyldyz_referral, reason=REASON)
        admin = _member("consulate_admin", moscow_consulate, Role.ORGANISATION_ADMIN)
        with pytest.raises(PermissionDenied):
            cancellation_send(viewer=admin, referral=zhyldyz_referral)
    assert not SentCancellation.objects.exists()


def test_no_package_no_cancellation(consul, zhyldyz_referral, russia):
    with as_deployment("RU"):
        referral_cancel(viewer=consul, referral=zhyldyz_referral, reason=REASON)
        zhyldyz_referral.refresh_from_db()
        assert not has_something_to_cancel(zhyldyz_referral)
        with pytest.raises(ValidationError, match="No package was made"):
            cancellation_send(viewer=consul, referral=zhyldyz_referral)
    assert not SentCancellation.objects.exists()


def test_only_the_receiving_organisations_case_workers_apply_it(consul, case_worker, outsider,
                                                                coordinator, package,
                                                                zhyldyz_referral):
    received = package_import(viewer=case_worker, document=package)
    document = cancelled_in_moscow(consul, zhyldyz_referral)
    refused(outsider, document, Refusal.OTHER_ORGANISATION)
    with pytest.raises(PermissionDenied):
        cancellation_apply(viewer=coordinator, document=document)
    received.referral.refresh_from_db()
    assert received.referral.status == ReferralStatus.SENT


# --- refused -------------------------------------------------------------------------------------

@pytest.fixture
def cancellation(consul, case_worker, package, zhyldyz_referral) -> bytes:
    package_import(viewer=case_worker, document=package)
    return cancelled_in_moscow(consul, zhyldyz_referral)


def test_a_tampered_cancellation_is_refused(case_worker, cancellation):
    refused(case_worker, edited(cancellation, _tamper_ciphertext), Refusal.BAD_SIGNATURE)


def test_an_expired_cancellation_is_refused(case_worker, cancellation):
    old = timezone.now() - dt.timedelta(days=30)
    refused(case_worker, resealed(cancellation, made=old), Refusal.EXPIRED)


def test_a_cancellation_for_another_deployment_is_refused(case_worker, cancellation):
    other = resealed(cancellation, recipient="UZ")
    refused(case_worker, other, Refusal.WRONG_RECIPIENT)


def test_a_cancellation_from_another_partner_is_refused(case_worker, cancellation):
    keys = new_keys()
    partner("UZ", "Uzbek NRM registry", keys)
    forged = resealed(cancellation, sender="UZ", keys=keys)
    refused(case_worker, forged, Refusal.CANCELS_ANOTHER)


def test_a_cancellation_naming_another_referral_is_refused(case_worker, cancellation):
    def other_code(payload: dict[str, Any]) -> None:
        payload["cancels"]["ref_Code"] = "ABCDEFGH2"

    refused(case_worker, resealed(cancellation, change=other_code), Refusal.CANCELS_ANOTHER)


@pytest.mark.parametrize("reason", ["", "   "])
def test_contents_off_the_schema_are_refused(case_worker, cancellation, reason):
    def no_reason(payload: dict[str, Any]) -> None:
        payload["referral"]["ref_CancelReason"] = reason

    error = refused(case_worker, resealed(cancellation, change=no_reason),
                    Refusal.INVALID_CONTENT)
    assert CANCELLATION_SCHEMA_VERSION in str(error)


def test_each_kind_goes_where_it_belongs(consul, case_worker, package, zhyldyz_referral,
                                         cancellation):
    refused(case_worker, package, Refusal.NOT_A_CANCELLATION)
    refused(case_worker, cancellation, Refusal.A_CANCELLATION, apply=package_import)
    with as_deployment("RU"), pytest.raises(PackageRefusedError) as caught:
        reply_apply(viewer=consul, document=cancellation)
    assert caught.value.reason == Refusal.A_CANCELLATION


def test_a_reply_is_not_a_cancellation(consul, case_worker, package):
    received = package_import(viewer=case_worker, document=package)
    referral_accept(viewer=case_worker, referral=received.referral)
    reply = reply_from_bishkek(case_worker, received)
    refused(case_worker, reply, Refusal.A_REPLY)
