"""Partner deployments and the directory organisations that work in them, kept by system admins;
each change audited as an organisation change."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.countries import validate_country
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.interchange.exchange.access import require_partner_manager
from nrm.interchange.exchange.identity import (
    DEPLOYMENT_ID_PATTERN,
    decode_raw_key,
    deployment_identity,
    encode_key,
)
from nrm.interchange.exchange.models import PartnerDeployment, RemoteOrganisation

PARTNER_FIELDS = ("deployment_id", "name", "country", "signing_key", "encryption_key", "contact",
                  "is_active")


@dataclass(frozen=True)
class PartnerInput:
    deployment_id: str
    name: str
    country: str
    signing_key: str
    encryption_key: str
    contact: str = ""
    is_active: bool = True


def _public_key(field: str, encoded: str, kind: type[Ed25519PublicKey] | type[X25519PublicKey],
                ) -> str:
    try:
        raw = decode_raw_key(encoded, what=field)
        kind.from_public_bytes(raw)
    except ValueError:
        raise ValidationError({field: _(
            "Paste the public key exactly as the partner's `nrm exchange_identity` prints it: "
            "44 characters of base64 ending in “=”.")}) from None
    return encode_key(raw)


def _partner_values(details: PartnerInput, *, partner: PartnerDeployment | None
                    ) -> dict[str, object]:
    deployment_id = details.deployment_id.strip()
    if not re.fullmatch(DEPLOYMENT_ID_PATTERN, deployment_id):
        raise ValidationError({"deployment_id": _(
            "A deployment id is 1 to 40 letters, digits, “.”, “_” or “-”, as the partner's "
            "`nrm exchange_identity` prints it.")})
    if deployment_id == deployment_identity().deployment_id:
        raise ValidationError({"deployment_id": _(
            "That is this deployment's own id; a partner has an id of its own.")})
    taken = PartnerDeployment.objects.filter(deployment_id=deployment_id)
    if partner is not None:
        taken = taken.exclude(pk=partner.pk)
    if taken.exists():
        raise ValidationError({"deployment_id": _(
            "A partner with this deployment id is already registered; change that one.")})
    name = details.name.strip()
    if not name or len(name) > 200:
        raise ValidationError({"name": _("Give the partner deployment's name, in at most 200 "
                                         "characters.")})
    contact = details.contact.strip()
    if len(contact) > 300:
        raise ValidationError({"contact": _("Write the contact in at most 300 characters.")})
    country = details.country.strip().upper()
    try:
        validate_country(country)
    except ValidationError as error:
        raise ValidationError({"country": error.messages}) from None
    signing_key = _public_key("signing_key", details.signing_key, Ed25519PublicKey)
    encryption_key = _public_key("encryption_key", details.encryption_key, X25519PublicKey)
    if signing_key == encryption_key:
        raise ValidationError({"encryption_key": _(
            "The encryption key is the same as the signing key: paste each one from its own "
            "line.")})
    return {"deployment_id": deployment_id, "name": name, "country": country,
            "signing_key": signing_key, "encryption_key": encryption_key,
            "contact": contact, "is_active": details.is_active}


@transaction.atomic
def partner_deployment_register(*, viewer: Viewer, details: PartnerInput) -> PartnerDeployment:
    """Register another nrm deployment and trust its public keys (a system admin)."""
    require_partner_manager(viewer)
    partner = PartnerDeployment.objects.create(
        **_partner_values(details, partner=None), created_by=viewer.user)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.ORGANISATION_CHANGED, obj=partner, fields=PARTNER_FIELDS,
                 purpose="partner deployment registered")
    return partner


@transaction.atomic
def partner_deployment_update(*, viewer: Viewer, partner: PartnerDeployment,
                              details: PartnerInput) -> PartnerDeployment:
    """Change a partner deployment: its name, keys (after the partner changed them) or whether
    packages are exchanged with it at all."""
    require_partner_manager(viewer)
    values = _partner_values(details, partner=partner)
    changed = [name for name, value in values.items() if getattr(partner, name) != value]
    for name, value in values.items():
        setattr(partner, name, value)
    if changed:
        partner.save()
        audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                     action=AuditAction.ORGANISATION_CHANGED, obj=partner, fields=changed,
                     purpose="partner deployment changed")
    return partner


@transaction.atomic
def remote_organisation_mark(*, viewer: Viewer, organisation: Organisation,
                             partner: PartnerDeployment, remote_ref: str) -> RemoteOrganisation:
    """Mark a directory organisation as working in a partner deployment, under its id there:
    referrals to it then travel as exchange packages."""
    require_partner_manager(viewer)
    remote_ref = remote_ref.strip()
    if not remote_ref or len(remote_ref) > 64 or not remote_ref.isprintable():
        raise ValidationError({"remote_ref": _(
            "Give the organisation's id in the partner's directory (at most 64 characters).")})
    clash = RemoteOrganisation.objects.filter(deployment=partner, remote_ref=remote_ref)
    if clash.exclude(organisation=organisation).exists():
        raise ValidationError({"remote_ref": _(
            "Another organisation already has this id in that partner deployment.")})
    if organisation.country != partner.country:
        raise ValidationError({"organisation": _(
            "The organisation is in another country than the partner deployment.")})
    remote, _created = RemoteOrganisation.objects.update_or_create(
        organisation=organisation, defaults={"deployment": partner, "remote_ref": remote_ref})
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.ORGANISATION_CHANGED, obj=remote,
                 fields=["deployment", "remote_ref"],
                 purpose="organisation marked as working in a partner deployment")
    return remote


@transaction.atomic
def remote_organisation_unmark(*, viewer: Viewer, remote: RemoteOrganisation) -> None:
    """The organisation works in this deployment after all: referrals to it stay local."""
    require_partner_manager(viewer)
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.ORGANISATION_CHANGED, obj=remote,
                 fields=["deployment", "remote_ref"],
                 purpose="organisation no longer marked as in a partner deployment")
    remote.delete()
