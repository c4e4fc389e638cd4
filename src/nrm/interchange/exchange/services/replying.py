"""Replying to a package: what became of a referral this deployment received in a package — the
answer, the work after it and the return journey's reception on arrival — sealed for the
deployment that made the package, in the same envelope. No identity travels back: the asking
deployment has the person already."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.models import ReturnJourney
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.interchange.exchange.envelope import seal, timestamp
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import ReceivedPackage, SentReply
from nrm.interchange.exchange.reply_schema import (
    REPLY_SCHEMA_VERSION,
    REPLY_STATUS_VALUE_NAMES,
    RETURN_STATUS_VALUE_NAMES,
    ReplyPayload,
)
from nrm.referrals.models import Referral
from nrm.referrals.selectors import acts_on_referrals

# The statuses a reply reports: the referral was answered (and perhaps worked on).
REPORTED_STATUSES = frozenset(REPLY_STATUS_VALUE_NAMES)


@dataclass(frozen=True)
class ReplyFile:
    """A reply made for the deployment that sent a package: the file to hand over, and its
    record."""

    sent: SentReply
    document: bytes
    referral: Referral

    @property
    def filename(self) -> str:
        return (f"nrm-reply-{self.referral.external_code}-{self.sent.recipient.deployment_id}-"
                f"{str(self.sent.package_id)[:8]}.json")


def has_something_to_report(referral: Referral) -> bool:
    """Whether a reply would tell the sender anything: the referral was answered."""
    return referral.status in REPORTED_STATUSES


def _moment(value: dt.datetime | None) -> str | None:
    return timestamp(value) if value is not None else None


def reply_payload(*, referral: Referral, received: ReceivedPackage,
                  journey: ReturnJourney | None, sender: str, recipient: str,
                  package_id: uuid.UUID, created_at: dt.datetime,
                  expires_at: dt.datetime) -> dict[str, Any]:
    """What became of a referral received in ``received``, as a reply's payload: codes,
    statuses, dates, the decline reason and the reception on arrival, nothing else. Validated
    against the reply schema, so that this deployment never sends what the partner refuses."""
    answered_at = referral.responded_at or referral.sent_at
    payload: dict[str, Any] = {
        "schema": REPLY_SCHEMA_VERSION, "package_id": str(package_id), "sender": sender,
        "recipient": recipient, "created_at": timestamp(created_at),
        "expires_at": timestamp(expires_at),
        "answers": {"rep_PackageId": str(received.package_id),
                    "ref_Code": referral.external_code, "ref_ReceivingCode": referral.code},
        "referral": {
            "ref_Status": REPLY_STATUS_VALUE_NAMES[referral.status],
            "cas_IncomingReferralDate": timezone.localdate(received.received_at).isoformat(),
            "ref_AnsweredAt": timestamp(answered_at),
            "ref_DeclineReason": referral.decline_reason,
            "ref_StartedAt": _moment(referral.started_at),
            "ref_CompletedAt": _moment(referral.completed_at),
        },
        "return_journey": None if journey is None else {
            "ret_Status": RETURN_STATUS_VALUE_NAMES[journey.status],
            "ret_ArrivalDate": journey.arrived_on.isoformat() if journey.arrived_on else None,
            "ret_ReceivedBy": journey.received_by if journey.arrived_on else "",
        },
    }
    return ReplyPayload.model_validate(payload).as_json()


@transaction.atomic
def reply_send(*, viewer: Viewer, received: ReceivedPackage) -> ReplyFile:
    """Seal what became of the referral a package brought (and of the return journey it
    announced) as a reply for the deployment that made the package; for case workers of the
    receiving organisation, once the referral is answered. Audited REPLY_SENT."""
    received = (ReceivedPackage.objects.select_for_update(of=("self",))
                .select_related("sender", "journey").get(pk=received.pk))
    referral = None if received.referral_id is None else (
        Referral.objects.select_related("receiving_case__person").get(pk=received.referral_id))
    if (referral is None or not acts_on_referrals(viewer)
            or referral.to_organisation_id != viewer.organisation_id):
        raise PermissionDenied(_("Only case workers of the receiving organisation may reply "
                                 "to the sender of this referral."))
    if not has_something_to_report(referral):
        raise ValidationError(_(
            "There is nothing to report yet: a reply tells the sender whether you accepted or "
            "declined the referral, and what came of it. Answer the referral first."))
    partner = received.sender
    if not partner.is_active:
        raise ValidationError(_(
            "The referral came from %(partner)s, a partner deployment that is no longer "
            "active: no reply can be made for it. Ask your system admin whether the "
            "partnership is in force.") % {"partner": partner.name})
    identity = deployment_identity()
    package_id, created_at = uuid.uuid4(), timezone.now()
    expires_at = created_at + dt.timedelta(days=settings.NRM_EXCHANGE_PACKAGE_DAYS)
    journey = received.journey
    payload = reply_payload(referral=referral, received=received, journey=journey,
                            sender=identity.deployment_id, recipient=partner.deployment_id,
                            package_id=package_id, created_at=created_at,
                            expires_at=expires_at)
    document = seal(payload=payload, sender=identity, recipient_id=partner.deployment_id,
                    recipient_encryption_key=partner.encryption_public_key,
                    package_id=package_id, created_at=created_at, expires_at=expires_at,
                    schema=REPLY_SCHEMA_VERSION)
    sent = SentReply.objects.create(
        package_id=package_id, received=received, recipient=partner, status=referral.status,
        arrived_on=journey.arrived_on if journey else None, created_at=created_at,
        expires_at=expires_at, created_by=viewer.user)
    case = referral.receiving_case
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.REPLY_SENT, obj=referral,
                 person_code=case.person.code if case is not None else "",
                 fields=["status", *(["decline_reason"] if referral.decline_reason else []),
                         *(["reception"] if journey is not None else [])],
                 purpose=f"reply {package_id} to {partner.deployment_id} for package "
                         f"{received.package_id}")
    return ReplyFile(sent=sent, document=document, referral=referral)
