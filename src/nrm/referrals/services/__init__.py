"""Every write of referrals: sending one, each step of its answer and its work, cancelling,
expiry, and the response deadlines of a country. Each service checks permission, validates,
writes, records the audit entry and the status history in the same transaction, and notifies
the other side (in the app at once, by e-mail when the transaction commits).

Status: sent → accepted / declined; accepted → in progress → completed; the referrer may cancel
while it is open; unanswered past its expiry it expires. A referral to an organisation in another
deployment waits longer, and takes its answer from a reply package (remote).
"""

from __future__ import annotations

from nrm.referrals.services.common import MAX_CHILDREN, NOTE_LIMIT, REASON_LIMIT
from nrm.referrals.services.deadlines import response_deadlines_set
from nrm.referrals.services.incoming import referral_receive
from nrm.referrals.services.remote import (
    RemoteAnswer,
    referral_remote_answer_record,
    referral_remote_cancel_record,
    referral_wait_for_remote_answer,
    remote_steps,
)
from nrm.referrals.services.sending import referral_send
from nrm.referrals.services.steps import (
    ExpiryRun,
    referral_accept,
    referral_cancel,
    referral_complete,
    referral_decline,
    referral_start,
    referrals_expire,
)

__all__ = [
    "MAX_CHILDREN", "NOTE_LIMIT", "REASON_LIMIT", "ExpiryRun", "RemoteAnswer", "referral_accept",
    "referral_cancel", "referral_complete", "referral_decline", "referral_receive",
    "referral_remote_answer_record", "referral_remote_cancel_record", "referral_send",
    "referral_start", "referral_wait_for_remote_answer", "referrals_expire", "remote_steps",
    "response_deadlines_set",
]
