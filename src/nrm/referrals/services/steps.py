"""The receiving organisation's answer and work, the referrer's cancelling, and expiry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.jobs import ProgressReport, no_progress
from nrm.core.models import AuditAction
from nrm.referrals.choices import OPEN_STATUSES, ReferralOrigin, ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.services.common import (
    ACCEPTED,
    CANCELLED,
    COMPLETED,
    DECLINED,
    EXPIRED_TO_RECEIVER,
    EXPIRED_TO_REFERRER,
    NOTE_LIMIT,
    OVERDUE_TO_RECEIVER,
    OVERDUE_TO_REFERRER,
    REASON_LIMIT,
    STARTED,
    _audit,
    _locked,
    _require_receiver,
    _require_referrer,
    _require_status,
    _step,
    _tell_receiver,
    _tell_referrer,
    _text,
)
from nrm.referrals.services.incoming import register_from_package

# --- the receiving organisation's answer and work ----------------------------------------------

@transaction.atomic
def referral_accept(*, viewer: Viewer, referral: Referral) -> Referral:
    """Accept a sent referral (even overdue, until it expires): the receiving organisation now
    sees the shared fields and works on the case; one from another deployment registers the
    person here from the shared data."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.SENT], _(
        "Only a referral waiting for an answer can be accepted; this one is: %(status)s."))
    now = timezone.now()
    referral.status, referral.responded_at, referral.responded_by = (
        ReferralStatus.ACCEPTED, now, viewer.user)
    if referral.origin == ReferralOrigin.PACKAGE and referral.receiving_case is None:
        # From another deployment: no case here, so the receiver registers the person.
        referral.receiving_case = register_from_package(viewer=viewer, referral=referral)
    referral.save(update_fields=["status", "responded_at", "responded_by", "receiving_case",
                                 "updated_at"])
    _step(referral, ReferralStatus.ACCEPTED, at=now, viewer=viewer)
    _audit(viewer, AuditAction.REFERRAL_ACCEPTED, referral, fields=["status"])
    _tell_referrer(referral, ACCEPTED)
    return referral


@transaction.atomic
def referral_decline(*, viewer: Viewer, referral: Referral, reason: str) -> Referral:
    """Decline a sent referral, saying why, so that the referrer can look elsewhere."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.SENT], _(
        "Only a referral waiting for an answer can be declined; this one is: %(status)s."))
    reason = _text("reason", reason, REASON_LIMIT,
                   required=_("Say why you decline, so that the referrer can look elsewhere."))
    now = timezone.now()
    referral.status, referral.responded_at, referral.responded_by = (
        ReferralStatus.DECLINED, now, viewer.user)
    referral.decline_reason = reason
    referral.save(update_fields=["status", "responded_at", "responded_by", "decline_reason",
                                 "updated_at"])
    _step(referral, ReferralStatus.DECLINED, at=now, viewer=viewer, reason=reason)
    _audit(viewer, AuditAction.REFERRAL_DECLINED, referral, fields=["status", "decline_reason"])
    _tell_referrer(referral, DECLINED)
    return referral


@transaction.atomic
def referral_start(*, viewer: Viewer, referral: Referral) -> Referral:
    """Mark an accepted referral in progress: the services have begun."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.ACCEPTED], _(
        "Only an accepted referral can be started; this one is: %(status)s."))
    now = timezone.now()
    referral.status, referral.started_at = ReferralStatus.IN_PROGRESS, now
    referral.save(update_fields=["status", "started_at", "updated_at"])
    _step(referral, ReferralStatus.IN_PROGRESS, at=now, viewer=viewer)
    _audit(viewer, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
           purpose=ReferralStatus.IN_PROGRESS)
    _tell_referrer(referral, STARTED)
    return referral


@transaction.atomic
def referral_complete(*, viewer: Viewer, referral: Referral, note: str = "") -> Referral:
    """Mark a referral in progress completed: the services asked for were given."""
    referral = _locked(referral)
    _require_receiver(viewer, referral)
    _require_status(referral, [ReferralStatus.IN_PROGRESS], _(
        "Only a referral in progress can be completed; this one is: %(status)s."))
    note = _text("note", note, NOTE_LIMIT)
    now = timezone.now()
    referral.status, referral.completed_at, referral.completion_note = (
        ReferralStatus.COMPLETED, now, note)
    referral.save(update_fields=["status", "completed_at", "completion_note", "updated_at"])
    _step(referral, ReferralStatus.COMPLETED, at=now, viewer=viewer, reason=note)
    _audit(viewer, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
           purpose=ReferralStatus.COMPLETED)
    _tell_referrer(referral, COMPLETED)
    return referral


@transaction.atomic
def referral_cancel(*, viewer: Viewer, referral: Referral, reason: str) -> Referral:
    """Cancel an open referral as the referring organisation; the receiver sees no more of the
    case from then on."""
    referral = _locked(referral)
    _require_referrer(viewer, referral)
    _require_status(referral, OPEN_STATUSES, _(
        "Only an open referral can be cancelled; this one is: %(status)s."))
    reason = _text("reason", reason, REASON_LIMIT,
                   required=_("Say why you cancel the referral."))
    now = timezone.now()
    referral.status, referral.closed_at, referral.cancel_reason = (
        ReferralStatus.CANCELLED, now, reason)
    referral.save(update_fields=["status", "closed_at", "cancel_reason", "updated_at"])
    _step(referral, ReferralStatus.CANCELLED, at=now, viewer=viewer, reason=reason)
    _audit(viewer, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
           purpose=ReferralStatus.CANCELLED)
    _tell_receiver(referral, CANCELLED)
    return referral


# --- deadlines ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExpiryRun:
    overdue: int  # newly overdue: both sides told
    expired: int


@transaction.atomic
def referrals_expire(*, now: dt.datetime | None = None,
                     progress: ProgressReport = no_progress) -> ExpiryRun:
    """Tell both sides once of each referral that has just passed its deadline unanswered, and
    expire those unanswered past their expiry. Run by `nrm referrals_expire` (cron)."""
    now = now or timezone.now()
    waiting = Referral.objects.filter(status=ReferralStatus.SENT)
    overdue = list(waiting.filter(due_at__lte=now, expires_at__gt=now,
                                  overdue_notified_at__isnull=True).values_list("pk", flat=True))
    expiring = list(waiting.filter(expires_at__lte=now).values_list("pk", flat=True))
    total = len(overdue) + len(expiring)
    done = 0
    for pk in overdue:
        referral = _locked(Referral(pk=pk))
        if referral.status == ReferralStatus.SENT and referral.overdue_notified_at is None:
            referral.overdue_notified_at = now
            referral.save(update_fields=["overdue_notified_at"])
            _tell_receiver(referral, OVERDUE_TO_RECEIVER)
            _tell_referrer(referral, OVERDUE_TO_REFERRER)
        done += 1
        progress(done, total, "overdue")
    expired = 0
    for pk in expiring:
        referral = _locked(Referral(pk=pk))
        if referral.status == ReferralStatus.SENT:
            referral.status, referral.closed_at = ReferralStatus.EXPIRED, now
            referral.save(update_fields=["status", "closed_at", "updated_at"])
            _step(referral, ReferralStatus.EXPIRED, at=now, viewer=None)
            _audit(None, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
                   purpose=ReferralStatus.EXPIRED)
            _tell_receiver(referral, EXPIRED_TO_RECEIVER)
            _tell_referrer(referral, EXPIRED_TO_REFERRER)
            expired += 1
        done += 1
        progress(done, total, "expired")
    return ExpiryRun(overdue=len(overdue), expired=expired)
