"""Nobody loses track: Safe Home Bishkek, in the Kyrgyz deployment, answers the consul's referral
of Жылдыз (synthetic) and records her arrival; a reply package carries that back to Moscow, where
the consul applies it and the Russian referral is accepted, its history and audit written and the
consul told, and the return journey shows her arrival. A decline travels back with its reason.
A tampered, replayed, expired, mis-addressed, stale, or otherwise wrong reply is refused with its
own message, changes nothing, and leaves its refusal in the audit log."""

from __future__ import annotations

import datetime as dt
import uuid

import jsonschema
import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nrm.accounts.models import Notification
from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.exchange.models import ReceivedReply, SentReply
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.reply_schema import reply_json_schema
from nrm.interchange.exchange.services import (
    package_import,
    reply_apply,
    reply_preview,
    reply_send,
)
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import ReferralStatusChange
from nrm.referrals.services import (
    RemoteAnswer,
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_remote_answer_record,
    referral_start,
    referrals_expire,
    remote_steps,
)
from tests.conftest import _member
from tests.interchange.exchange.conftest import new_keys, partner
from tests.interchange.exchange.packages import as_deployment, edited
from tests.interchange.exchange.replies import (
    accepted_with_arrival,
    contents,
    imported,
    reply_from_bishkek,
    resealed,
)
from tests.interchange.exchange.test_envelope import _tamper_ciphertext
from tests.interchange.exchange.test_receive import from_moscow

pytestmark = pytest.mark.django_db


@pytest.fixture
def package(consul, zhyldyz_referral, zhyldyz_return, russia) -> bytes:
    """The consul's package, for a return that took place two days ago."""
    zhyldyz_return.travel_on = timezone.localdate() - dt.timedelta(days=2)
    zhyldyz_return.save()
    return from_moscow(consul, zhyldyz_referral)


@pytest.fixture
def received(case_worker, package):
    return imported(case_worker, package)


@pytest.fixture
def reply(case_worker, received) -> bytes:
    """Safe Home's reply: accepted, and Жылдыз received on arrival."""
    accepted_with_arrival(case_worker, received)
    return reply_from_bishkek(case_worker, received)


def rows() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()
            if model is not AuditEntry and model._meta.managed}


def refused(viewer, document: bytes, reason: Refusal) -> PackageRefusedError:
    """Apply ``document`` in Moscow, expecting ``reason``: nothing changes, the refusal is
    audited."""
    before = rows()
    with as_deployment("RU"), pytest.raises(PackageRefusedError) as caught:
        reply_apply(viewer=viewer, document=document)
    assert caught.value.reason == reason, caught.value
    assert rows() == before
    entry = AuditEntry.objects.filter(action=AuditAction.PACKAGE_REFUSED).first()
    assert entry.purpose.startswith(reason.value)
    assert "reply " in entry.purpose or reason == Refusal.NOT_A_REPLY
    return caught.value


def test_the_answer_and_her_arrival_travel_back_to_moscow(consul, case_worker, received,
                                                          reply, zhyldyz_referral,
                                                          zhyldyz_return):
    made = SentReply.objects.get()
    assert (made.received, made.status, made.created_by) == (received, "accepted",
                                                            case_worker.user)
    assert made.arrived_on == zhyldyz_return.travel_on
    sent_audit = AuditEntry.objects.get(action=AuditAction.REPLY_SENT)
    assert sent_audit.object_id == str(received.referral_id)
    assert "reception" in sent_audit.fields
    # No identity travels back: codes, statuses, dates and the reception only.
    assert "Жылдыз".encode() not in reply
    payload = contents(reply)
    assert "Жылдыз" not in str(payload) and "Tired" not in str(payload)
    assert payload["answers"]["ref_Code"] == zhyldyz_referral.code
    assert payload["answers"]["rep_PackageId"] == str(received.package_id)
    assert payload["referral"]["ref_Status"] == "Accepted"
    assert payload["return_journey"] == {"ret_Status": "Arrived",
                                         "ret_ArrivalDate": zhyldyz_return.travel_on.isoformat(),
                                         "ret_ReceivedBy": "Duty social worker"}

    told_before = Notification.objects.filter(user=consul.user).count()
    with as_deployment("RU"):
        preview = reply_preview(viewer=consul, document=reply)
        assert preview.referral == zhyldyz_referral
        assert preview.steps == [ReferralStatus.ACCEPTED] and preview.records_reception
        assert not ReceivedReply.objects.exists()
        applied = reply_apply(viewer=consul, document=reply)

    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.ACCEPTED
    assert zhyldyz_referral.responded_at is not None and zhyldyz_referral.responded_by is None
    step = ReferralStatusChange.objects.get(referral=zhyldyz_referral,
                                            status=ReferralStatus.ACCEPTED)
    assert step.by is None and step.organisation == zhyldyz_referral.to_organisation
    accepted_audit = AuditEntry.objects.get(action=AuditAction.REFERRAL_ACCEPTED,
                                            object_id=str(zhyldyz_referral.pk))
    assert accepted_audit.actor == consul.user and "reply" in accepted_audit.purpose
    assert set(AuditEntry.objects.get(action=AuditAction.REPLY_APPLIED).fields) == {
        "status", "reception"}
    told = Notification.objects.filter(user=consul.user).order_by("-id")
    assert told.count() == told_before + 1 and "accepted" in told.first().message
    zhyldyz_return.refresh_from_db()
    assert zhyldyz_return.status == "arrived"
    assert zhyldyz_return.received_by == "Duty social worker"
    assert zhyldyz_return.reception_notes == ""
    assert (applied.referral, applied.applied_steps, applied.reception_recorded) == (
        zhyldyz_referral, ["accepted"], True)


def test_a_decline_travels_back_with_its_reason(consul, case_worker, received,
                                                zhyldyz_referral, zhyldyz_return):
    referral_decline(viewer=case_worker, referral=received.referral,
                     reason="No shelter place for a month")
    reply = reply_from_bishkek(case_worker, received)
    assert contents(reply)["return_journey"] is None
    with as_deployment("RU"):
        reply_apply(viewer=consul, document=reply)
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.DECLINED
    assert zhyldyz_referral.decline_reason == "No shelter place for a month"
    step = zhyldyz_referral.history.get(status=ReferralStatus.DECLINED)
    assert step.reason == "No shelter place for a month"
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_DECLINED,
                                     object_id=str(zhyldyz_referral.pk)).exists()
    zhyldyz_return.refresh_from_db()
    assert zhyldyz_return.status == "planned"


def test_later_replies_bring_the_work_and_missed_steps_are_taken_at_once(
        consul, case_worker, received, zhyldyz_referral):
    accepted_with_arrival(case_worker, received)
    first = reply_from_bishkek(case_worker, received)
    referral = referral_start(viewer=case_worker, referral=received.referral)
    referral_complete(viewer=case_worker, referral=referral, note="Back with her family")
    last = reply_from_bishkek(case_worker, received)
    assert contents(last)["referral"]["ref_Status"] == "Completed"
    assert "Back with her family" not in str(contents(last))
    with as_deployment("RU"):
        applied = reply_apply(viewer=consul, document=last)
    assert applied.applied_steps == ["accepted", "in_progress", "completed"]
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.COMPLETED
    assert list(zhyldyz_referral.history.values_list("status", flat=True)) == [
        "sent", "accepted", "in_progress", "completed"]
    # The first reply, made before the one applied, would undo it.
    refused(consul, resealed(first, made=timezone.now() - dt.timedelta(hours=1)), Refusal.STALE)


def test_every_reply_follows_the_published_schema(case_worker, received):
    schema = reply_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    referral = received.referral
    referral_decline(viewer=case_worker, referral=referral, reason="No place")
    jsonschema.validate(contents(reply_from_bishkek(case_worker, received)), schema)


def test_every_status_a_reply_reports_follows_the_published_schema(case_worker, received):
    schema = reply_json_schema()
    accepted_with_arrival(case_worker, received)
    jsonschema.validate(contents(reply_from_bishkek(case_worker, received)), schema)
    referral = referral_start(viewer=case_worker, referral=received.referral)
    jsonschema.validate(contents(reply_from_bishkek(case_worker, received)), schema)
    referral_complete(viewer=case_worker, referral=referral)
    payload = contents(reply_from_bishkek(case_worker, received))
    jsonschema.validate(payload, schema)
    assert payload["referral"]["ref_CompletedAt"] is not None


# --- refused -------------------------------------------------------------------------------------

def test_a_tampered_reply_is_refused(consul, reply, zhyldyz_referral):
    refused(consul, edited(reply, _tamper_ciphertext), Refusal.BAD_SIGNATURE)
    assert zhyldyz_referral.status == ReferralStatus.SENT


def test_a_reply_is_applied_once(consul, reply, zhyldyz_referral):
    with as_deployment("RU"):
        reply_apply(viewer=consul, document=reply)
    refusal = refused(consul, reply, Refusal.REPLY_REPLAYED)
    assert "already applied" in str(refusal)


def test_an_expired_reply_is_refused(consul, reply):
    old = resealed(reply, made=timezone.now() - dt.timedelta(days=20))
    refusal = refused(consul, old, Refusal.EXPIRED)
    assert "expired on" in str(refusal)


def test_a_reply_for_another_deployment_is_refused(consul, reply):
    refusal = refused(consul, resealed(reply, recipient="UZ"), Refusal.WRONG_RECIPIENT)
    assert "“UZ”" in str(refusal)


def test_a_reply_from_a_partner_the_package_did_not_go_to_is_refused(consul, reply):
    keys = new_keys()
    with as_deployment("RU"):
        partner("KZ", "Kazakh NRM registry", keys)
    refusal = refused(consul, resealed(reply, sender="KZ", keys=keys), Refusal.WRONG_PARTNER)
    assert "went to “KG”" in str(refusal)


def test_a_reply_to_a_package_never_made_here_is_refused(consul, reply):
    def other_package(payload):
        payload["answers"]["rep_PackageId"] = str(uuid.uuid4())

    refused(consul, resealed(reply, change=other_package), Refusal.UNKNOWN_PACKAGE)


def test_a_step_the_referral_cannot_take_is_refused(consul, reply, zhyldyz_referral):
    with as_deployment("RU"):
        referral_cancel(viewer=consul, referral=zhyldyz_referral, reason="She went home alone")
    refusal = refused(consul, reply, Refusal.IMPOSSIBLE_STEP)
    assert "“Accepted”" in str(refusal) and "“Cancelled”" in str(refusal)
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.CANCELLED


def test_a_reply_to_the_consulates_referral_is_refused_to_another_organisation(
        reply, outsider, tendesh):
    refusal = refused(outsider, reply, Refusal.OTHER_REFERRER)
    assert "Consulate of the Kyrgyz Republic in Moscow" in str(refusal)


def test_a_reply_and_a_package_are_not_taken_for_each_other(consul, case_worker, package,
                                                             reply):
    refused(consul, package, Refusal.NOT_A_REPLY)
    with pytest.raises(PackageRefusedError) as caught:
        package_import(viewer=case_worker, document=reply)
    assert caught.value.reason == Refusal.A_REPLY


def test_roles_without_cases_may_not_apply_a_reply(reply, moscow_consulate):
    with as_deployment("RU"):
        admin = _member("admin_consulate", moscow_consulate, Role.ORGANISATION_ADMIN)
        with pytest.raises(PermissionDenied):
            reply_apply(viewer=admin, document=reply)
    assert not ReceivedReply.objects.exists()


# --- making a reply ------------------------------------------------------------------------------

def test_nothing_to_report_before_the_answer(case_worker, received):
    with pytest.raises(ValidationError, match="nothing to report"):
        reply_send(viewer=case_worker, received=received)
    assert not SentReply.objects.exists()


def test_only_safe_home_replies_for_its_referral(received, outsider, consul, org_admin,
                                                 case_worker):
    accepted_with_arrival(case_worker, received)
    for other in (outsider, consul, org_admin):
        with pytest.raises(PermissionDenied):
            reply_send(viewer=other, received=received)
    assert not SentReply.objects.exists()


# --- waiting for the answer ----------------------------------------------------------------------

def test_a_referral_sent_by_package_waits_until_its_answer_could_come_back(
        consul, zhyldyz_referral, zhyldyz_return):
    expires_before = zhyldyz_referral.expires_at
    from_moscow(consul, zhyldyz_referral)
    zhyldyz_referral.refresh_from_db()
    # 14 days to import, 48 hours to answer an urgent referral and 72 until it expires in
    # Kyrgyzstan, 14 days for the reply to come back.
    assert zhyldyz_referral.expires_at > expires_before
    assert zhyldyz_referral.expires_at >= timezone.now() + dt.timedelta(days=33, minutes=-1)
    # Past the first deadline the consul is told it is overdue, but it does not expire.
    run = referrals_expire(now=expires_before + dt.timedelta(hours=1))
    assert run.expired == 0
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.SENT
    run = referrals_expire(now=zhyldyz_referral.expires_at + dt.timedelta(minutes=1))
    assert run.expired == 1


def test_only_the_referring_organisation_records_a_remote_answer(outsider, zhyldyz_referral):
    answer = RemoteAnswer(status=ReferralStatus.ACCEPTED, answered_at=timezone.now())
    with pytest.raises(PermissionDenied):
        referral_remote_answer_record(viewer=outsider, referral=zhyldyz_referral,
                                      answer=answer, source="test")
    zhyldyz_referral.refresh_from_db()
    assert zhyldyz_referral.status == ReferralStatus.SENT
    assert remote_steps(ReferralStatus.EXPIRED, ReferralStatus.ACCEPTED) is None
    assert remote_steps(ReferralStatus.ACCEPTED, ReferralStatus.DECLINED) is None
