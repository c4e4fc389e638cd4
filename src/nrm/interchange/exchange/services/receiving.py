"""Receiving a package: its preview, its import as an incoming referral (through referrals'
referral_receive), and, once the referral is accepted and the person registered, its return
journey on the receiving organisation's case (through assistance), where the reception on arrival
is recorded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.models import ReturnJourney
from nrm.assistance.services import return_journey_record
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.interchange.exchange.contents import (
    URGENCY_CODES,
    journey_input,
    services_of,
    shared_values,
)
from nrm.interchange.exchange.models import ReceivedPackage, RemoteOrganisation
from nrm.interchange.exchange.refusals import PackageRefusedError
from nrm.interchange.exchange.schema import ExchangeReturnJourney
from nrm.interchange.exchange.services.opening import (
    OpenedPackage,
    package_open,
    package_receipt_record,
    package_refusal_record,
)
from nrm.referrals import sharing
from nrm.referrals.choices import WORKING_STATUSES, Urgency
from nrm.referrals.models import Referral
from nrm.referrals.selectors import acts_on_referrals
from nrm.referrals.services import referral_receive

# What a role that does not see identity is not shown of a package (referrals.sharing).
_IDENTITY_CODES = frozenset(code for code, field in sharing.SHAREABLE.items()
                            if field.group == sharing.IDENTITY)


@dataclass(frozen=True)
class PackagePreview:
    """What a package would bring in: the referral, the person within the shared scope (the
    identity only for roles that see it), the return journey."""

    opened: OpenedPackage
    values: dict[str, Any]  # as a referral keeps them (referrals.sharing)
    shared_fields: list[str]  # codes of referrals.sharing
    identity_shown: bool
    from_organisation: Organisation | None
    services_requested: list[str]  # codes of the service taxonomy
    urgency: str

    @property
    def urgency_label(self) -> str:
        return str(Urgency(self.urgency).label)

    @property
    def referral(self) -> Any:
        return self.opened.payload.referral

    @property
    def journey(self) -> ExchangeReturnJourney | None:
        return self.opened.payload.return_journey


def _from_organisation(opened: OpenedPackage) -> Organisation | None:
    """The referring organisation in this directory, when it is marked as working in the
    sending deployment under the id the package gives."""
    remote = (RemoteOrganisation.objects.select_related("organisation")
              .filter(deployment=opened.partner,
                      remote_ref=opened.payload.referral.cas_ReferringOrganisation.org_Ref)
              .first())
    return remote.organisation if remote is not None else None


def _preview(opened: OpenedPackage, viewer: Viewer) -> PackagePreview:
    payload = opened.payload
    values = shared_values(payload.person, payload.referral.ref_SharedFields)
    shared_fields = [code for code in sharing.SHAREABLE if code in values]
    if not viewer.sees_identity:
        values = {code: value for code, value in values.items() if code not in _IDENTITY_CODES}
    return PackagePreview(
        opened=opened, values=values, shared_fields=shared_fields,
        identity_shown=viewer.sees_identity, from_organisation=_from_organisation(opened),
        services_requested=services_of(payload.referral.ref_ServicesRequested),
        urgency=URGENCY_CODES[payload.referral.ref_Urgency])


def package_preview(*, viewer: Viewer, document: bytes) -> PackagePreview:
    """Check a package addressed to the viewer's organisation and show what it would bring in,
    writing nothing but the audit entry of this read (or of its refusal)."""
    preview = _preview(package_open(viewer=viewer, document=document), viewer)
    header = preview.opened.header
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.REFERRAL_READ,
                 fields=[sharing.ALWAYS, *(code for code in preview.shared_fields
                                           if code in preview.values)],
                 purpose=f"package {header.package_id} from {header.sender}: preview")
    return preview


@transaction.atomic
def _import(viewer: Viewer, opened: OpenedPackage) -> ReceivedPackage:
    payload = opened.payload
    referral_part, referring = payload.referral, payload.referral.cas_ReferringOrganisation
    shared = shared_values(payload.person, referral_part.ref_SharedFields)
    referral = referral_receive(
        viewer=viewer, sending_deployment=opened.partner.deployment_id,
        external_code=referral_part.ref_Code, sender_name=referring.org_Name,
        from_country=referring.org_ShippingCountry,
        services=services_of(referral_part.ref_ServicesRequested),
        urgency=URGENCY_CODES[referral_part.ref_Urgency], shared=shared,
        note=referral_part.cas_OutgoingReferralDetails,
        accompanying_children=referral_part.ref_AccompanyingChildren,
        sent_at=opened.header.created_at, from_organisation=_from_organisation(opened))
    journey = payload.return_journey
    received = package_receipt_record(
        viewer=viewer, opened=opened, referral=referral,
        return_journey=journey.model_dump(mode="json") if journey else None)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.PACKAGE_IMPORTED, obj=referral,
                 fields=[sharing.ALWAYS, *referral.shared_fields,
                         *(["return_journey"] if journey else [])],
                 purpose=f"package {opened.header.package_id} from {opened.partner.deployment_id}")
    return received


def package_import(*, viewer: Viewer, document: bytes) -> ReceivedPackage:
    """Import a package addressed to the viewer's organisation as an incoming referral in its
    inbox (the received package's referral), every check passed again; audited
    PACKAGE_IMPORTED. A refused package changes nothing but the refusal's audit entry."""
    if not acts_on_referrals(viewer):
        raise PermissionDenied(_("Only case workers of the addressed organisation may import "
                                 "a package."))
    opened = package_open(viewer=viewer, document=document)
    try:
        return _import(viewer, opened)
    except PackageRefusedError as refusal:
        # Imported by someone else meanwhile: the import rolled back; the refusal stays.
        package_refusal_record(viewer=viewer, refusal=refusal,
                               seen={"package": str(opened.header.package_id),
                                     "sender": opened.partner.deployment_id})
        raise


def _journey_receiver(journey: ExchangeReturnJourney, referral: Referral) -> int | None:
    """Who receives the person on arrival, in this directory: the organisation the package
    names, else the referral's receiver when it is in the country of arrival."""
    named = journey.ret_ReceivingOrganisation
    if named is not None and named.org_Ref.isdigit() and len(named.org_Ref) < 10:
        found = Organisation.objects.filter(pk=int(named.org_Ref),
                                            country=journey.ret_ArrivalCountry).first()
        if found is not None:
            return found.pk
    if referral.to_country == journey.ret_ArrivalCountry:
        return referral.to_organisation_id
    return None


@transaction.atomic
def package_return_record(*, viewer: Viewer, received: ReceivedPackage) -> ReturnJourney:
    """Put the return journey a package announced on the case the receiving organisation opened
    when it accepted the referral, so that it records the reception on arrival there."""
    received = ReceivedPackage.objects.select_for_update().get(pk=received.pk)
    referral = None if received.referral_id is None else (
        Referral.objects.select_related("receiving_case__person").get(pk=received.referral_id))
    if (referral is None or referral.to_organisation_id != viewer.organisation_id
            or not acts_on_referrals(viewer)):
        raise PermissionDenied(_("Only case workers of the receiving organisation may record "
                                 "the return."))
    if not received.return_journey:
        raise ValidationError(_("This package announced no return journey."))
    if received.journey_id is not None:
        raise ValidationError(_("The return journey is on the case already: record the "
                                "reception on arrival there."))
    if referral.status not in WORKING_STATUSES or referral.receiving_case is None:
        raise ValidationError(_(
            "Accept the referral first: the return goes on the case your organisation opens "
            "for the person when it accepts."))
    announced = ExchangeReturnJourney.model_validate(received.return_journey)
    journey = return_journey_record(
        viewer=viewer, case=referral.receiving_case,
        journey=journey_input(announced, _journey_receiver(announced, referral)))
    received.journey = journey
    received.save(update_fields=["journey"])
    return journey
