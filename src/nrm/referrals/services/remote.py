"""A referral sent from here to an organisation that works in another deployment: how long it
waits for an answer that travels back by package, and the answer and work recorded when that
answer arrives (a reply package, which the interchange app checks and reads first). The other
way: a referral that came here in a package, cancelled by its referrer there (a cancellation,
checked and read by the interchange app as well).

The receiving organisation's steps are recorded as if answered here: the same statuses and
dates, a history step in its name, the audit entry (the acting user is who applied the reply)
and the notifications to the referrer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.models import AuditAction
from nrm.referrals.choices import OPEN_STATUSES, ReferralOrigin, ReferralStatus
from nrm.referrals.deadlines import deadlines_for
from nrm.referrals.models import Referral, ReferralStatusChange
from nrm.referrals.selectors import acts_on_referrals
from nrm.referrals.services.common import (
    ACCEPTED,
    CANCELLED,
    COMPLETED,
    DECLINED,
    REASON_LIMIT,
    STARTED,
    _audit,
    _locked,
    _require_referrer,
    _tell_receiver,
    _tell_referrer,
    _text,
)

# From each status, the steps that lead to each status a remote answer may report: the same
# path as a local answer, several steps at once when replies were missed on the way.
_PATHS: dict[str, dict[str, list[str]]] = {
    ReferralStatus.SENT: {
        ReferralStatus.ACCEPTED: [ReferralStatus.ACCEPTED],
        ReferralStatus.DECLINED: [ReferralStatus.DECLINED],
        ReferralStatus.IN_PROGRESS: [ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS],
        ReferralStatus.COMPLETED: [ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS,
                                   ReferralStatus.COMPLETED],
    },
    ReferralStatus.ACCEPTED: {
        ReferralStatus.ACCEPTED: [],
        ReferralStatus.IN_PROGRESS: [ReferralStatus.IN_PROGRESS],
        ReferralStatus.COMPLETED: [ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED],
    },
    ReferralStatus.IN_PROGRESS: {
        ReferralStatus.IN_PROGRESS: [],
        ReferralStatus.COMPLETED: [ReferralStatus.COMPLETED],
    },
    ReferralStatus.COMPLETED: {ReferralStatus.COMPLETED: []},
    ReferralStatus.DECLINED: {ReferralStatus.DECLINED: []},
}


def remote_steps(current: str, reported: str) -> list[str] | None:
    """The steps that take a referral from ``current`` to the ``reported`` status, none when it
    is there already; None when it cannot get there (declined after accepted, anything after
    cancelled or expired)."""
    return _PATHS.get(current, {}).get(reported)


@dataclass(frozen=True)
class RemoteAnswer:
    """What the receiving organisation reported from its own deployment."""

    status: str  # a ReferralStatus it reached
    answered_at: dt.datetime
    decline_reason: str = ""
    started_at: dt.datetime | None = None
    completed_at: dt.datetime | None = None


def _step(referral: Referral, status: str, at: dt.datetime, reason: str = "", *,
          by_referrer: bool = False) -> dt.datetime:
    """A history step in the other deployment's organisation's name — the receiver's, or the
    referrer's when ``by_referrer`` (no user of this deployment took it) — never before the
    step it follows: the two deployments' clocks differ, and a reply gives times to the second.
    The time recorded."""
    latest = referral.history.order_by("-at").values_list("at", flat=True).first()
    at = max(at, latest) if latest is not None else at
    organisation_id = (referral.from_organisation_id if by_referrer
                       else referral.to_organisation_id)
    ReferralStatusChange.objects.create(referral=referral, status=status, at=at, by=None,
                                        organisation_id=organisation_id, reason=reason)
    return at


def _require_remote(viewer: Viewer, referral: Referral) -> None:
    _require_referrer(viewer, referral)
    if referral.origin != ReferralOrigin.LOCAL:
        raise PermissionDenied(_("Only a referral sent from this deployment takes an answer "
                                 "from another one."))


@transaction.atomic
def referral_remote_answer_record(*, viewer: Viewer, referral: Referral,
                                  answer: RemoteAnswer, source: str) -> list[str]:
    """Record on a referral the viewer's organisation sent the answer and work its receiving
    organisation reported from another deployment (``source`` names the reply, for the audit
    log): each step as for a local answer, in the receiver's name and at the time it took it;
    the steps taken, or a ValidationError when the referral cannot take them."""
    referral = _locked(referral)
    _require_remote(viewer, referral)
    steps = remote_steps(referral.status, answer.status)
    if steps is None:
        raise ValidationError(_(
            "This referral is “%(status)s”: it cannot become “%(reported)s”.")
            % {"status": referral.get_status_display(),
               "reported": ReferralStatus(answer.status).label})
    for status in steps:
        if status == ReferralStatus.ACCEPTED:
            referral.status = status
            referral.responded_at = _step(referral, status, answer.answered_at)
            action, fields, message = AuditAction.REFERRAL_ACCEPTED, ["status"], ACCEPTED
        elif status == ReferralStatus.DECLINED:
            reason = _text("reason", answer.decline_reason, REASON_LIMIT,
                           required=_("A decline says why."))
            referral.status, referral.decline_reason = status, reason
            referral.responded_at = _step(referral, status, answer.answered_at, reason)
            action, fields = AuditAction.REFERRAL_DECLINED, ["status", "decline_reason"]
            message = DECLINED
        elif status == ReferralStatus.IN_PROGRESS:
            referral.status = status
            referral.started_at = _step(referral, status, answer.started_at or answer.answered_at)
            action, fields, message = AuditAction.REFERRAL_STATUS_CHANGED, ["status"], STARTED
        else:
            referral.status = status
            referral.completed_at = _step(referral, status,
                                          answer.completed_at or answer.answered_at)
            action, fields = AuditAction.REFERRAL_STATUS_CHANGED, ["status"]
            message = COMPLETED
        referral.save(update_fields=["status", "responded_at", "decline_reason", "started_at",
                                     "completed_at", "updated_at"])
        _audit(viewer, action, referral, fields=fields,
               purpose=f"{status}: {source}"[:200])
        _tell_referrer(referral, message)
    return steps


def referral_wait_for_remote_answer(*, referral: Referral, sent_until: dt.datetime,
                                    reply_within: dt.timedelta) -> Referral:
    """Keep a referral that travels to another deployment open until its answer could come
    back: the package may be imported until ``sent_until``, the receiver then has its country's
    hours to answer before the referral expires there, and the reply takes up to
    ``reply_within`` to arrive. Never shortens the wait. Called inside the sending service's
    transaction, which checked who sends."""
    rules = deadlines_for(referral.to_country)
    latest_answer = sent_until + dt.timedelta(
        hours=rules.hours_for(referral.urgency) + rules.expiry_hours)
    waits_until = latest_answer + reply_within
    if waits_until > referral.expires_at:
        referral.expires_at = waits_until
        referral.save(update_fields=["expires_at", "updated_at"])
    return referral


@transaction.atomic
def referral_remote_cancel_record(*, viewer: Viewer, referral: Referral,
                                  cancelled_at: dt.datetime, reason: str,
                                  source: str) -> bool:
    """Record on a referral that came to the viewer's organisation in a package that its
    referrer, in the other deployment, cancelled it (``source`` names the cancellation, for the
    audit log): the step in the referrer's name at the time it was taken, the reason, the audit
    entry, and the receiving organisation told. Whether it changed anything: a referral already
    declined, completed, expired or cancelled here stays as it is."""
    referral = _locked(referral)
    if (referral.origin != ReferralOrigin.PACKAGE or not acts_on_referrals(viewer)
            or referral.to_organisation_id != viewer.organisation_id):
        raise PermissionDenied(_("Only case workers of the receiving organisation may record "
                                 "that the referrer cancelled a referral that came in a "
                                 "package."))
    if referral.status not in OPEN_STATUSES:
        return False
    reason = _text("reason", reason, REASON_LIMIT,
                   required=_("Say why you cancel the referral."))
    referral.status, referral.cancel_reason = ReferralStatus.CANCELLED, reason
    referral.closed_at = _step(referral, ReferralStatus.CANCELLED, cancelled_at, reason,
                               by_referrer=True)
    referral.save(update_fields=["status", "closed_at", "cancel_reason", "updated_at"])
    _audit(viewer, AuditAction.REFERRAL_STATUS_CHANGED, referral, fields=["status"],
           purpose=f"{ReferralStatus.CANCELLED}: {source}"[:200])
    _tell_receiver(referral, CANCELLED)
    return True
