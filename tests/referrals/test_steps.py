"""A referral's life after it is sent: the shelter accepts or declines it with a reason, starts
and completes the work; the referrer may cancel it while it is open; unanswered past its
deadline it is overdue (both sides are told once), and later it expires. Each step is one
service, audited, kept in the history, and told to the other side in the app and by e-mail."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from nrm.accounts.models import Notification
from nrm.core.models import AuditAction, AuditEntry
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.selectors import referral_granting, referred_cases_for_viewer
from nrm.referrals.services import (
    referral_accept,
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_start,
    referrals_expire,
)


def _notified(viewer) -> list[str]:
    return [notification.text for notification in
            Notification.objects.filter(user=viewer.user).order_by("created_at", "id")]


def test_the_shelter_accepts_starts_and_completes(referral, shelter_worker, case_worker):
    accepted = referral_accept(viewer=shelter_worker, referral=referral)
    assert accepted.status == ReferralStatus.ACCEPTED
    assert accepted.responded_by == shelter_worker.user and accepted.responded_at
    started = referral_start(viewer=shelter_worker, referral=accepted)
    assert started.status == ReferralStatus.IN_PROGRESS and started.started_at
    completed = referral_complete(viewer=shelter_worker, referral=started,
                                  note="Three months of shelter and medical care.")
    assert completed.status == ReferralStatus.COMPLETED
    assert [step.status for step in completed.history.all()] == [
        "sent", "accepted", "in_progress", "completed"]
    actions = list(AuditEntry.objects.filter(object_type="referral").order_by("id")
                   .values_list("action", flat=True))
    assert actions == [AuditAction.REFERRAL_SENT, AuditAction.REFERRAL_ACCEPTED,
                       AuditAction.REFERRAL_STATUS_CHANGED, AuditAction.REFERRAL_STATUS_CHANGED]
    code = referral.display_code
    assert _notified(case_worker) == [
        f"Referral {code} was accepted by Ak-Jol Shelter.",
        f"Ak-Jol Shelter started work on referral {code}.",
        f"Ak-Jol Shelter completed referral {code}.",
    ]


def test_a_decline_needs_a_reason_and_tells_the_referrer(referral, shelter_worker, case_worker):
    with pytest.raises(ValidationError) as raised:
        referral_decline(viewer=shelter_worker, referral=referral, reason="  ")
    assert "Say why you decline" in " ".join(raised.value.messages)
    declined = referral_decline(viewer=shelter_worker, referral=referral,
                                reason="No free place for a mother with three children.")
    assert declined.status == ReferralStatus.DECLINED
    assert declined.history.last().reason == "No free place for a mother with three children."
    assert AuditEntry.objects.filter(action=AuditAction.REFERRAL_DECLINED).count() == 1
    assert _notified(case_worker) == [
        f"Referral {referral.display_code} was declined by Ak-Jol Shelter."]


def test_steps_out_of_order_are_refused(referral, shelter_worker):
    with pytest.raises(ValidationError) as raised:
        referral_start(viewer=shelter_worker, referral=referral)
    assert "Only an accepted referral can be started; this one is: Sent." in raised.value.messages
    with pytest.raises(ValidationError):
        referral_complete(viewer=shelter_worker, referral=referral)
    referral_accept(viewer=shelter_worker, referral=referral)
    with pytest.raises(ValidationError):
        referral_accept(viewer=shelter_worker, referral=referral)
    with pytest.raises(ValidationError):
        referral_decline(viewer=shelter_worker, referral=referral, reason="Changed our mind")


def test_only_the_receiving_organisation_answers(referral, case_worker, outsider, shelter_admin):
    for viewer in (case_worker, outsider, shelter_admin):
        with pytest.raises(PermissionDenied):
            referral_accept(viewer=viewer, referral=referral)
    assert referral.history.count() == 1


def test_only_the_referring_organisation_cancels(referral, shelter_worker, outsider, case_worker,
                                                 colleague):
    for viewer in (shelter_worker, outsider):
        with pytest.raises(PermissionDenied):
            referral_cancel(viewer=viewer, referral=referral, reason="x")
    with pytest.raises(ValidationError):
        referral_cancel(viewer=case_worker, referral=referral, reason="")
    cancelled = referral_cancel(viewer=colleague, referral=referral,
                                reason="She found a place with her family.")
    assert cancelled.status == ReferralStatus.CANCELLED and cancelled.closed_at
    assert _notified(shelter_worker)[-1] == (
        f"Referral {referral.display_code} from Safe Home Bishkek was cancelled.")


def test_a_closed_referral_cannot_be_cancelled(referral, shelter_worker, case_worker):
    referral_decline(viewer=shelter_worker, referral=referral, reason="Full")
    with pytest.raises(ValidationError):
        referral_cancel(viewer=case_worker, referral=referral, reason="Too late")


def test_an_unanswered_referral_is_overdue_once_then_expires(referral, shelter_worker,
                                                             case_worker):
    after_deadline = referral.due_at + dt.timedelta(minutes=1)
    assert referrals_expire(now=after_deadline).overdue == 1
    assert referrals_expire(now=after_deadline).overdue == 0  # told once only
    code = referral.display_code
    assert _notified(shelter_worker)[-1] == (
        f"Referral {code} from Safe Home Bishkek is overdue: please answer it.")
    assert _notified(case_worker)[-1] == (
        f"Referral {code} to Ak-Jol Shelter is overdue: no answer yet.")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT

    run = referrals_expire(now=referral.expires_at)
    assert run.expired == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EXPIRED and referral.closed_at == referral.expires_at
    step = referral.history.last()
    assert step.status == ReferralStatus.EXPIRED and step.by is None
    expiry = AuditEntry.objects.get(action=AuditAction.REFERRAL_STATUS_CHANGED)
    assert expiry.actor is None and expiry.purpose == "expired"
    assert "expired unanswered" in _notified(case_worker)[-1]
    with pytest.raises(ValidationError):
        referral_accept(viewer=shelter_worker, referral=referral)


def test_an_overdue_referral_may_still_be_accepted(referral, shelter_worker):
    referrals_expire(now=referral.due_at + dt.timedelta(hours=1))
    assert referral_accept(viewer=shelter_worker, referral=referral).status == "accepted"


def test_an_answered_referral_never_expires(referral, shelter_worker):
    referral_accept(viewer=shelter_worker, referral=referral)
    run = referrals_expire(now=timezone.now() + dt.timedelta(days=365))
    assert (run.overdue, run.expired) == (0, 0)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_each_side_is_emailed_without_personal_data(referral, shelter_worker, case_worker,
                                                    mailoutbox,
                                                    django_capture_on_commit_callbacks):
    case_worker.user.email = "aizada@example.org"
    case_worker.user.preferred_language = "en"
    case_worker.user.save()
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept(viewer=shelter_worker, referral=referral)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["aizada@example.org"]
    assert mail.subject == f"nrm: Referral {referral.display_code} was accepted by Ak-Jol Shelter."
    assert f"/referrals/{referral.display_code}/" in mail.body
    for identifying in ("Айгуль", "Мамытова", "+996", referral.case.person.code):
        assert identifying not in mail.body and identifying not in mail.subject


def test_the_receiver_works_on_the_case_only_while_the_referral_is_taken_on(
        referral, shelter_worker, aigul_case, outsider, case_worker):
    assert referral_granting(viewer=shelter_worker, case=aigul_case) is None
    assert not referred_cases_for_viewer(viewer=shelter_worker).exists()
    referral_accept(viewer=shelter_worker, referral=referral)
    assert referral_granting(viewer=shelter_worker, case=aigul_case) == referral
    assert list(referred_cases_for_viewer(viewer=shelter_worker)) == [aigul_case]
    referral_start(viewer=shelter_worker, referral=referral)
    assert referral_granting(viewer=shelter_worker, case=aigul_case) == referral
    # Neither a third organisation nor the referrer itself gets a grant.
    for viewer in (outsider, case_worker):
        assert referral_granting(viewer=viewer, case=aigul_case) is None
        assert not referred_cases_for_viewer(viewer=viewer).exists()
    referral_complete(viewer=shelter_worker, referral=referral)
    assert referral_granting(viewer=shelter_worker, case=aigul_case) is None


def test_a_cancelled_referral_grants_nothing(referral, shelter_worker, case_worker, aigul_case):
    referral_accept(viewer=shelter_worker, referral=referral)
    referral_cancel(viewer=case_worker, referral=referral, reason="She moved away.")
    assert referral_granting(viewer=shelter_worker, case=aigul_case) is None
    assert not referred_cases_for_viewer(viewer=shelter_worker).exists()


def test_the_shelters_admin_is_not_granted_case_work(referral, shelter_worker, shelter_admin,
                                                     aigul_case):
    referral_accept(viewer=shelter_worker, referral=referral)
    assert referral_granting(viewer=shelter_admin, case=aigul_case) is None


def test_the_cron_command_expires_and_says_how_many(referral, shelter_worker):
    Referral.objects.filter(pk=referral.pk).update(
        due_at=timezone.now() - dt.timedelta(hours=2),
        expires_at=timezone.now() - dt.timedelta(hours=1))
    out = io.StringIO()
    call_command("referrals_expire", stdout=out)
    assert "0 referral(s) newly overdue (both sides told), 1 expired." in out.getvalue()
    assert "Referrals past their deadline [" in out.getvalue()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.EXPIRED
    again = io.StringIO()
    call_command("referrals_expire", stdout=again)
    assert "0 expired." in again.getvalue()
