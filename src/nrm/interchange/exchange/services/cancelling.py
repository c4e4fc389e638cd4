"""Cancelling across deployments. The referring organisation cancelled a referral it sent as
packages: a cancellation, sealed for the deployment the packages went to, tells the receiving
organisation there, so that nobody waits for a person who is not coming (or works on a referral
that no longer stands). No identity travels: codes, package ids, when and why.

Receiving a cancellation: checked as every package is (its envelope), then as a cancellation (it
is addressed to the viewer's organisation, and the packages it names that came here came from
its sender for the referral it names); previewed; applied through the referrals services (the
step in the referrer's name, history, audit, the receiving organisation told). A package it
names that has not come yet is refused if it comes later.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.interchange.exchange.cancellation_schema import (
    CANCELLATION_SCHEMA_VERSION,
    CancellationPayload,
)
from nrm.interchange.exchange.contents import organisation_part
from nrm.interchange.exchange.envelope import CANCELLATION, Header, seal, timestamp
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import (
    CancelledPackage,
    PartnerDeployment,
    ReceivedCancellation,
    ReceivedPackage,
    RemoteOrganisation,
    SentCancellation,
    SentPackage,
)
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.services.opening import (
    addressed_organisation,
    readable,
    refusals_audited,
    sealed_contents,
)
from nrm.referrals.choices import OPEN_STATUSES, ReferralOrigin, ReferralStatus
from nrm.referrals.models import Referral
from nrm.referrals.selectors import acts_on_referrals
from nrm.referrals.services import referral_remote_cancel_record

# --- making one ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationFile:
    """A cancellation made for the deployment a referral's packages went to: the file to hand
    over, and its record."""

    sent: SentCancellation
    document: bytes

    @property
    def filename(self) -> str:
        return (f"nrm-cancellation-{self.sent.referral.code}-"
                f"{self.sent.recipient.deployment_id}-{str(self.sent.package_id)[:8]}.json")


def packages_to_cancel(referral: Referral) -> list[SentPackage]:
    """The packages made of a referral, newest first: what a cancellation names."""
    return list(SentPackage.objects.filter(referral=referral).select_related("recipient"))


def has_something_to_cancel(referral: Referral) -> bool:
    """Whether a cancellation would tell a partner anything: the referral was sent from here
    as a package, and is cancelled."""
    return (referral.origin == ReferralOrigin.LOCAL
            and referral.status == ReferralStatus.CANCELLED
            and SentPackage.objects.filter(referral=referral).exists())


@transaction.atomic
def cancellation_send(*, viewer: Viewer, referral: Referral) -> CancellationFile:
    """Seal, for the deployment a referral's packages went to, that the referring organisation
    cancelled it: for case workers of the referring organisation, once the referral is
    cancelled. Audited CANCELLATION_SENT."""
    referral = (Referral.objects.select_for_update(of=("self",))
                .select_related("case__person", "to_organisation").get(pk=referral.pk))
    if not acts_on_referrals(viewer) or referral.from_organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only case workers of the referring organisation may tell the "
                                 "partner that the referral is cancelled."))
    if referral.origin != ReferralOrigin.LOCAL or referral.status != ReferralStatus.CANCELLED:
        raise ValidationError(_(
            "Only a referral your organisation sent and then cancelled can be cancelled at the "
            "partner; this one is: %(status)s. Cancel it on its page first.")
            % {"status": referral.get_status_display()})
    packages = packages_to_cancel(referral)
    if not packages:
        raise ValidationError(_(
            "No package was made of this referral: the partner never had it, and there is "
            "nothing to tell them."))
    partner = packages[0].recipient
    if not partner.is_active:
        raise ValidationError(_(
            "The referral went to %(partner)s, a partner deployment that is no longer active: "
            "no cancellation can be made for it. Ask your system admin whether the partnership "
            "is in force.") % {"partner": partner.name})
    receiver_ref = (RemoteOrganisation.objects
                    .filter(organisation_id=referral.to_organisation_id, deployment=partner)
                    .values_list("remote_ref", flat=True).first())
    if receiver_ref is None:
        raise ValidationError(_(
            "%(organisation)s is no longer marked as working in %(partner)s: the cancellation "
            "could not be addressed. Ask your system admin.")
            % {"organisation": referral.to_organisation, "partner": partner.name})
    identity = deployment_identity()
    package_id, created_at = uuid.uuid4(), timezone.now()
    expires_at = created_at + dt.timedelta(days=settings.NRM_EXCHANGE_PACKAGE_DAYS)
    cancelled_at = referral.closed_at or created_at
    payload = CancellationPayload.model_validate({
        "schema": CANCELLATION_SCHEMA_VERSION, "package_id": str(package_id),
        "sender": identity.deployment_id, "recipient": partner.deployment_id,
        "created_at": timestamp(created_at), "expires_at": timestamp(expires_at),
        "cancels": {
            "ref_Code": referral.code,
            "rep_PackageIds": [str(package.package_id) for package in packages
                               if package.recipient_id == partner.pk],
            "cas_ReferredOrganisation": organisation_part(referral.to_organisation,
                                                          receiver_ref),
        },
        "referral": {"ref_Status": "Cancelled", "ref_CancelledAt": timestamp(cancelled_at),
                     "ref_CancelReason": referral.cancel_reason},
    }).as_json()
    document = seal(payload=payload, sender=identity, recipient_id=partner.deployment_id,
                    recipient_encryption_key=partner.encryption_public_key,
                    package_id=package_id, created_at=created_at, expires_at=expires_at,
                    schema=CANCELLATION_SCHEMA_VERSION)
    sent = SentCancellation.objects.create(
        package_id=package_id, referral=referral, recipient=partner, created_at=created_at,
        expires_at=expires_at, created_by=viewer.user)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.CANCELLATION_SENT, obj=referral,
                 person_code=referral.case.person.code if referral.case is not None else "",
                 fields=["status", "cancel_reason"],
                 purpose=f"cancellation {package_id} to {partner.deployment_id}")
    return CancellationFile(sent=sent, document=document)


# --- receiving one -------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedCancellation:
    """A cancellation that passed every check: its sender, envelope header and contents, the
    organisation it is addressed to, the packages it names that came here, and the referrals
    applying it would cancel."""

    partner: PartnerDeployment
    header: Header
    payload: CancellationPayload
    organisation: Organisation
    received: list[ReceivedPackage]
    to_cancel: list[Referral]

    @property
    def referrals(self) -> list[Referral]:
        """The referrals the packages brought here, cancelled by it or not."""
        return [package.referral for package in self.received if package.referral is not None]

    @property
    def left_as_they_are(self) -> list[Referral]:
        """Referrals that ended here before (declined, completed, expired, cancelled)."""
        cancelling = {referral.pk for referral in self.to_cancel}
        return [referral for referral in self.referrals if referral.pk not in cancelling]

    @property
    def nothing_came(self) -> bool:
        """None of its packages was imported here: applying it keeps them out."""
        return not self.received


def _not_applied_before(header: Header) -> None:
    applied = ReceivedCancellation.objects.filter(package_id=header.package_id).first()
    if applied is not None:
        raise PackageRefusedError(Refusal.CANCELLATION_REPLAYED, package=str(header.package_id),
                                  received=readable(applied.received_at))


def _plan(header: Header, payload: CancellationPayload, partner: PartnerDeployment,
          viewer: Viewer) -> OpenedCancellation:
    """What applying the cancellation would do, as things stand now."""
    cancels = payload.cancels
    organisation = addressed_organisation(cancels.cas_ReferredOrganisation, viewer)
    received = list(ReceivedPackage.objects.select_related("referral__receiving_case__person")
                    .filter(package_id__in=cancels.rep_PackageIds).order_by("received_at"))
    for package in received:
        referral = package.referral
        if (package.sender_id != partner.pk or referral is None
                or referral.external_code != cancels.ref_Code
                or referral.to_organisation_id != organisation.pk):
            raise PackageRefusedError(Refusal.CANCELS_ANOTHER, package=str(package.package_id))
    to_cancel = [package.referral for package in received
                 if package.referral is not None and package.referral.status in OPEN_STATUSES]
    return OpenedCancellation(partner=partner, header=header, payload=payload,
                              organisation=organisation, received=received, to_cancel=to_cancel)


def _open(viewer: Viewer, document: bytes, seen: dict[str, str]) -> OpenedCancellation:
    partner, header, payload = sealed_contents(
        document, seen, kind=CANCELLATION, replay_check=_not_applied_before,
        model=CancellationPayload, schema=CANCELLATION_SCHEMA_VERSION)
    return _plan(header, payload, partner, viewer)


def cancellation_open(*, viewer: Viewer, document: bytes) -> OpenedCancellation:
    """Check a cancellation and read what applying it would do, writing nothing; a refused one
    raises PackageRefusedError and leaves one audit entry (a security event)."""
    return refusals_audited(viewer, lambda seen: _open(viewer, document, seen))


def _purpose(opened: OpenedCancellation, what: str) -> str:
    return (f"cancellation {opened.header.package_id} from {opened.partner.deployment_id}: "
            f"{what}")[:200]


def cancellation_preview(*, viewer: Viewer, document: bytes) -> OpenedCancellation:
    """Check a cancellation addressed to the viewer's organisation and show what it would
    change, writing nothing but the audit entries of this read (or of its refusal)."""
    opened = cancellation_open(viewer=viewer, document=document)
    for referral in opened.referrals:
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.REFERRAL_READ, obj=referral,
                     person_code=_person_code(referral), fields=["status"],
                     purpose=_purpose(opened, "preview"))
    return opened


def _person_code(referral: Referral) -> str:
    case = referral.receiving_case
    return case.person.code if case is not None else ""


@transaction.atomic
def _apply(viewer: Viewer, opened: OpenedCancellation) -> ReceivedCancellation:
    # The referrals' rows locked and every check made again: an answer meanwhile is seen.
    ids = [referral.pk for referral in opened.referrals]
    list(Referral.objects.select_for_update(of=("self",)).filter(pk__in=ids))
    opened = _plan(opened.header, opened.payload, opened.partner, viewer)
    header, part = opened.header, opened.payload.referral
    try:
        with transaction.atomic():
            applied = ReceivedCancellation.objects.create(
                package_id=header.package_id, sender=opened.partner,
                organisation=opened.organisation,
                referral_code=opened.payload.cancels.ref_Code,
                cancelled_at=part.ref_CancelledAt, created_at=header.created_at,
                expires_at=header.expires_at, received_by=viewer.user)
    except IntegrityError:
        first = ReceivedCancellation.objects.get(package_id=header.package_id)
        raise PackageRefusedError(Refusal.CANCELLATION_REPLAYED, package=str(header.package_id),
                                  received=readable(first.received_at)) from None
    CancelledPackage.objects.bulk_create(
        CancelledPackage(cancellation=applied, package_id=package_id)
        for package_id in opened.payload.cancels.rep_PackageIds)
    source = f"cancellation {header.package_id} from {opened.partner.deployment_id}"
    cancelled = 0
    for referral in opened.to_cancel:
        cancelled += referral_remote_cancel_record(
            viewer=viewer, referral=referral, cancelled_at=part.ref_CancelledAt,
            reason=part.ref_CancelReason, source=source)
    applied.referrals_cancelled = cancelled
    applied.save(update_fields=["referrals_cancelled"])
    purpose = f"{source} of {opened.payload.cancels.ref_Code}"[:200]
    for referral in opened.referrals:
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.CANCELLATION_APPLIED, obj=referral,
                     person_code=_person_code(referral),
                     fields=["status"] if referral in opened.to_cancel else [],
                     purpose=purpose)
    if not opened.referrals:  # the packages kept out: the entry names the cancellation only
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.CANCELLATION_APPLIED, obj=applied, purpose=purpose)
    return applied


def cancellation_apply(*, viewer: Viewer, document: bytes) -> ReceivedCancellation:
    """Apply the referrer's cancellation to the referrals its packages brought to the viewer's
    organisation, every check passed again; packages it names that have not come are refused
    when they come. Audited CANCELLATION_APPLIED. A refused cancellation changes nothing but
    the refusal's audit entry."""
    if not acts_on_referrals(viewer):
        raise PermissionDenied(_("Only case workers of the receiving organisation may apply a "
                                 "cancellation."))
    return refusals_audited(viewer, lambda seen: _apply(viewer, _open(viewer, document, seen)))
