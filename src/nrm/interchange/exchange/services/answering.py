"""Receiving a reply: the answer to a package this deployment made comes back. It is checked as
every package is (its envelope), then as a reply (it answers a package made here, for the
referring organisation of the viewer, by the partner the package went to, not older than a reply
already applied, a step the referral can take); previewed; and applied through the referrals
services (the answer and the work, with history, audit and notifications) and the assistance
services (the reception on arrival)."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.choices import ReturnStatus
from nrm.assistance.inputs import ReceptionInput
from nrm.assistance.models import ReturnJourney
from nrm.assistance.services import check_reception, return_reception_record
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.interchange.exchange.envelope import REPLY, Header
from nrm.interchange.exchange.models import PartnerDeployment, ReceivedReply, SentPackage
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.reply_schema import (
    REPLY_SCHEMA_VERSION,
    REPLY_STATUS_VALUE_NAMES,
    RETURN_STATUS_VALUE_NAMES,
    ReplyPayload,
)
from nrm.interchange.exchange.services.opening import (
    readable,
    refusals_audited,
    sealed_contents,
)
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.selectors import acts_on_referrals
from nrm.referrals.services import RemoteAnswer, referral_remote_answer_record, remote_steps

REPLY_STATUS_CODES = {name: code for code, name in REPLY_STATUS_VALUE_NAMES.items()}
RETURN_STATUS_CODES = {name: code for code, name in RETURN_STATUS_VALUE_NAMES.items()}
ARRIVED = RETURN_STATUS_VALUE_NAMES["arrived"]


@dataclass(frozen=True)
class OpenedReply:
    """A reply that passed every check: its sender, envelope header and contents, the package
    made here that it answers, and what applying it would do."""

    partner: PartnerDeployment
    header: Header
    payload: ReplyPayload
    sent: SentPackage
    steps: list[str]  # the referral statuses it goes through, in order; none: no change
    records_reception: bool  # the arrival is recorded on the package's return journey

    @property
    def referral(self) -> Referral:
        return self.sent.referral

    @property
    def journey(self) -> ReturnJourney | None:
        return self.sent.journey

    @property
    def reported_status(self) -> str:
        return REPLY_STATUS_CODES[self.payload.referral.ref_Status]

    @property
    def reported_status_label(self) -> str:
        return str(ReferralStatus(self.reported_status).label)

    @property
    def reception_status_label(self) -> str:
        part = self.payload.return_journey
        return "" if part is None else str(ReturnStatus(RETURN_STATUS_CODES[part.ret_Status])
                                           .label)

    @property
    def steps_labels(self) -> list[str]:
        return [str(ReferralStatus(step).label) for step in self.steps]

    @property
    def changes_nothing(self) -> bool:
        return not self.steps and not self.records_reception

    def answer(self) -> RemoteAnswer:
        part = self.payload.referral
        return RemoteAnswer(status=self.reported_status, answered_at=part.ref_AnsweredAt,
                            decline_reason=part.ref_DeclineReason,
                            started_at=part.ref_StartedAt, completed_at=part.ref_CompletedAt)

    def reception(self) -> ReceptionInput | None:
        part = self.payload.return_journey
        if part is None or part.ret_Status != ARRIVED or part.ret_ArrivalDate is None:
            return None
        return ReceptionInput(arrived_on=part.ret_ArrivalDate, received_by=part.ret_ReceivedBy)


def _not_applied_before(header: Header) -> None:
    applied = ReceivedReply.objects.filter(package_id=header.package_id).first()
    if applied is not None:
        raise PackageRefusedError(Refusal.REPLY_REPLAYED, package=str(header.package_id),
                                  received=readable(applied.received_at))


def _answered_package(payload: ReplyPayload, partner: PartnerDeployment,
                      viewer: Viewer) -> SentPackage:
    """The package made here that the reply answers, sent to its sender, for a referral of the
    viewer's organisation."""
    answers = payload.answers
    sent = (SentPackage.objects.select_related("referral__from_organisation", "recipient",
                                               "journey")
            .filter(package_id=answers.rep_PackageId).first())
    if sent is None or sent.referral.code != answers.ref_Code:
        raise PackageRefusedError(Refusal.UNKNOWN_PACKAGE, package=str(answers.rep_PackageId),
                                  code=answers.ref_Code)
    if sent.recipient_id != partner.pk:
        raise PackageRefusedError(Refusal.WRONG_PARTNER, sender=partner.deployment_id,
                                  partner=sent.recipient.deployment_id)
    referral = sent.referral
    if referral.from_organisation_id != viewer.organisation_id:
        raise PackageRefusedError(Refusal.OTHER_REFERRER,
                                  organisation=referral.sender_label)
    return sent


def _records_reception(payload: ReplyPayload, journey: ReturnJourney | None) -> bool:
    """Whether the reply brings an arrival that the package's return journey does not have yet;
    refused when it could not be recorded there."""
    part = payload.return_journey
    if part is None or part.ret_Status != ARRIVED or part.ret_ArrivalDate is None:
        return False
    if journey is None:
        raise PackageRefusedError(Refusal.INVALID_RETURN, errors=_(
            "the package it answers carried no return journey"))
    if (journey.arrived_on, journey.received_by) == (part.ret_ArrivalDate, part.ret_ReceivedBy):
        return False
    try:
        check_reception(journey, ReceptionInput(arrived_on=part.ret_ArrivalDate,
                                                received_by=part.ret_ReceivedBy),
                        travel_on=journey.travel_on)
    except ValidationError as error:
        raise PackageRefusedError(Refusal.INVALID_RETURN,
                                  errors=" ".join(error.messages)[:300]) from None
    return True


def _plan(header: Header, payload: ReplyPayload, partner: PartnerDeployment,
          viewer: Viewer) -> OpenedReply:
    """What applying the reply would do, as the referral stands now; refused when it is older
    than a reply already applied or asks a step the referral cannot take."""
    sent = _answered_package(payload, partner, viewer)
    referral = sent.referral
    latest = (ReceivedReply.objects.filter(referral=referral).order_by("-created_at")
              .values_list("created_at", flat=True).first())
    if latest is not None and header.created_at < latest:
        raise PackageRefusedError(Refusal.STALE, created=readable(header.created_at),
                                  latest=readable(latest))
    reported = REPLY_STATUS_CODES[payload.referral.ref_Status]
    steps = remote_steps(referral.status, reported)
    if steps is None:
        raise PackageRefusedError(Refusal.IMPOSSIBLE_STEP,
                                  reported=str(ReferralStatus(reported).label),
                                  status=referral.get_status_display())
    return OpenedReply(partner=partner, header=header, payload=payload, sent=sent,
                       steps=steps,
                       records_reception=_records_reception(payload, sent.journey))


def _open(viewer: Viewer, document: bytes, seen: dict[str, str]) -> OpenedReply:
    partner, header, payload = sealed_contents(document, seen, kind=REPLY,
                                               replay_check=_not_applied_before,
                                               model=ReplyPayload, schema=REPLY_SCHEMA_VERSION)
    return _plan(header, payload, partner, viewer)


def reply_open(*, viewer: Viewer, document: bytes) -> OpenedReply:
    """Check a reply and read what applying it would do, writing nothing; a refused reply
    raises PackageRefusedError and leaves one audit entry (a security event)."""
    return refusals_audited(viewer, lambda seen: _open(viewer, document, seen))


def _person_code(referral: Referral) -> str:
    return referral.case.person.code if referral.case is not None else ""


def reply_preview(*, viewer: Viewer, document: bytes) -> OpenedReply:
    """Check a reply to a referral of the viewer's organisation and show what it would change,
    writing nothing but the audit entry of this read (or of its refusal)."""
    opened = reply_open(viewer=viewer, document=document)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.REFERRAL_READ, obj=opened.referral,
                 person_code=_person_code(opened.referral), fields=["status"],
                 purpose=f"reply {opened.header.package_id} from "
                         f"{opened.partner.deployment_id}: preview")
    return opened


@transaction.atomic
def _apply(viewer: Viewer, opened: OpenedReply) -> ReceivedReply:
    # The referral's row locked and every reply check made again: a reply applied, or an
    # answer recorded, meanwhile is seen.
    Referral.objects.select_for_update(of=("self",)).filter(pk=opened.referral.pk).first()
    opened = _plan(opened.header, opened.payload, opened.partner, viewer)
    header, referral = opened.header, opened.referral
    try:
        with transaction.atomic():
            received = ReceivedReply.objects.create(
                package_id=header.package_id, sender=opened.partner, answers=opened.sent,
                referral=referral, status=opened.reported_status,
                arrived_on=(opened.payload.return_journey.ret_ArrivalDate
                            if opened.payload.return_journey else None),
                created_at=header.created_at, expires_at=header.expires_at,
                received_by=viewer.user)
    except IntegrityError:
        first = ReceivedReply.objects.get(package_id=header.package_id)
        raise PackageRefusedError(Refusal.REPLY_REPLAYED, package=str(header.package_id),
                                  received=readable(first.received_at)) from None
    source = f"reply {header.package_id} from {opened.partner.deployment_id}"
    if opened.steps:
        referral_remote_answer_record(viewer=viewer, referral=referral,
                                      answer=opened.answer(), source=source)
    reception = opened.reception()
    if opened.records_reception and opened.journey is not None and reception is not None:
        return_reception_record(viewer=viewer, journey=opened.journey, reception=reception)
    received.applied_steps = list(opened.steps)
    received.reception_recorded = opened.records_reception
    received.save(update_fields=["applied_steps", "reception_recorded"])
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.REPLY_APPLIED, obj=referral,
                 person_code=_person_code(referral),
                 fields=[*(["status"] if opened.steps else []),
                         *(["decline_reason"] if ReferralStatus.DECLINED in opened.steps
                           else []),
                         *(["reception"] if opened.records_reception else [])],
                 purpose=f"{source} for package {opened.sent.package_id}"[:200])
    return received


def reply_apply(*, viewer: Viewer, document: bytes) -> ReceivedReply:
    """Apply a reply to a referral of the viewer's organisation, every check passed again: its
    answer and work through the referrals services, the arrival through assistance; audited
    REPLY_APPLIED. A refused reply changes nothing but the refusal's audit entry."""
    if not acts_on_referrals(viewer):
        raise PermissionDenied(_("Only case workers of the referring organisation may apply a "
                                 "reply."))
    return refusals_audited(viewer, lambda seen: _apply(viewer, _open(viewer, document, seen)))
