"""Sending a referral to an organisation that works in a partner deployment, as a package: the
referral was sent through referrals (its consent gate, agreement and shared scope); the package
carries exactly its shared snapshot and the return journey, sealed for the partner."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.interchange.exchange.contents import referral_payload
from nrm.interchange.exchange.envelope import seal
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import RemoteOrganisation, SentPackage
from nrm.interchange.exchange.selectors import remote_organisation_of, return_journey_to_send
from nrm.referrals import sharing
from nrm.referrals.choices import ReferralOrigin, ReferralStatus
from nrm.referrals.consent import consent_check
from nrm.referrals.models import Referral
from nrm.referrals.selectors import acts_on_referrals
from nrm.referrals.services import referral_wait_for_remote_answer


@dataclass(frozen=True)
class PackageFile:
    """A package made for a partner deployment: the file to hand over, and its record."""

    sent: SentPackage
    document: bytes

    @property
    def filename(self) -> str:
        return (f"nrm-package-{self.sent.referral.code}-{self.sent.recipient.deployment_id}-"
                f"{str(self.sent.package_id)[:8]}.json")


def _receiver_elsewhere(referral: Referral) -> RemoteOrganisation:
    """Where the referral's receiving organisation works, if not here; or a clear refusal."""
    remote = remote_organisation_of(referral.to_organisation)
    if remote is None:
        raise ValidationError(_(
            "%(organisation)s works in this deployment: it finds the referral in its inbox, "
            "and no package is needed.") % {"organisation": referral.to_organisation})
    if not remote.deployment.is_active:
        raise ValidationError(_(
            "%(organisation)s works in the partner deployment %(partner)s, which is not active: "
            "no package can be made for it. Ask your system admin whether the partnership is "
            "in force.") % {"organisation": referral.to_organisation,
                            "partner": remote.deployment.name})
    return remote


def _still_allowed(referral: Referral) -> None:
    """The consent gate and the agreement, as when the referral was sent: the person may have
    withdrawn consent, or the agreement ended, since."""
    if referral.consent_overridden:
        raise ValidationError(_(
            "This referral went under an emergency override of a missing consent: it cannot "
            "travel to another deployment. Record the person's consent and refer them again."))
    assert referral.case is not None  # noqa: S101  (a referral sent from here)
    check = consent_check(person=referral.case.person, organisation=referral.to_organisation,
                          from_country=referral.from_country)
    if not check.passes:
        state = check.cross_border_label if check.sharing == "given" else check.sharing_label
        raise ValidationError(_(
            "The person's consent to sharing with %(organisation)s no longer holds (now: "
            "%(state)s): no package can be made. Record the consent on the case first.")
            % {"organisation": referral.to_organisation, "state": state})
    if referral.is_cross_border and (referral.agreement is None or not referral.agreement
                                     .is_in_force(timezone.localdate())):
        raise ValidationError(_(
            "The agreement this referral relied on is no longer in force: a package across "
            "the border needs one. Ask your national coordinator."))


@transaction.atomic
def package_send(*, viewer: Viewer, referral: Referral) -> PackageFile:
    """Seal a referral to an organisation in a partner deployment as a package for that
    deployment, with the return journey: exactly what the referrer shared, and only while the
    person's consent and (across a border) the agreement still hold; the referral then waits
    here until an answer could come back by reply. Audited PACKAGE_SENT."""
    # Its row locked, read afresh: a cancellation or an answer meanwhile is seen.
    referral = (Referral.objects.select_for_update(of=("self",))
                .select_related("case__person", "from_organisation", "to_organisation",
                                "agreement", "sent_by").get(pk=referral.pk))
    if not acts_on_referrals(viewer) or referral.from_organisation_id != viewer.organisation_id:
        raise PermissionDenied(_("Only case workers of the referring organisation may send "
                                 "its referral as a package."))
    if referral.origin != ReferralOrigin.LOCAL or referral.case is None:
        raise ValidationError(_("This referral came from another deployment; it cannot be "
                                "sent on as a package."))
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_(
            "Only a referral waiting for an answer travels as a package; this one is: "
            "%(status)s.") % {"status": referral.get_status_display()})
    remote = _receiver_elsewhere(referral)
    _still_allowed(referral)
    partner = remote.deployment
    journey = return_journey_to_send(viewer=viewer, referral=referral)
    journey_receiver_ref = None
    if journey is not None and journey.receiving_organisation_id is not None:
        journey_receiver_ref = (RemoteOrganisation.objects.filter(
            organisation_id=journey.receiving_organisation_id, deployment=partner)
            .values_list("remote_ref", flat=True).first())
    identity = deployment_identity()
    package_id, created_at = uuid.uuid4(), timezone.now()
    expires_at = created_at + dt.timedelta(days=settings.NRM_EXCHANGE_PACKAGE_DAYS)
    payload = referral_payload(
        referral=referral, sender=identity.deployment_id, recipient=partner.deployment_id,
        receiver_ref=remote.remote_ref, journey=journey,
        journey_receiver_ref=journey_receiver_ref, package_id=package_id,
        created_at=created_at, expires_at=expires_at)
    document = seal(payload=payload, sender=identity, recipient_id=partner.deployment_id,
                    recipient_encryption_key=partner.encryption_public_key,
                    package_id=package_id, created_at=created_at, expires_at=expires_at)
    sent = SentPackage.objects.create(
        package_id=package_id, referral=referral, recipient=partner, journey=journey,
        created_at=created_at, expires_at=expires_at, created_by=viewer.user)
    # The answer comes back by reply package: the referral must not expire before it could.
    referral_wait_for_remote_answer(
        referral=referral, sent_until=expires_at,
        reply_within=dt.timedelta(days=settings.NRM_EXCHANGE_PACKAGE_DAYS))
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.PACKAGE_SENT, obj=referral,
                 person_code=referral.case.person.code,
                 fields=[sharing.ALWAYS, *referral.shared_fields,
                         *(["return_journey"] if journey else [])],
                 purpose=f"package {package_id} to {partner.deployment_id}")
    return PackageFile(sent=sent, document=document)
