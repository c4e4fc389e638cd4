"""Every write of the exchange, and the opening of a package. Partner deployments and the
directory organisations that work in them are kept by system admins, each change audited as an
organisation change; opening a package writes nothing but, when it is refused, a security
event in the audit log."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.countries import validate_country
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.interchange.exchange.access import require_partner_manager
from nrm.interchange.exchange.envelope import Header, verify_signature
from nrm.interchange.exchange.envelope import decrypt as envelope_decrypt
from nrm.interchange.exchange.envelope import parse as envelope_parse
from nrm.interchange.exchange.identity import (
    DEPLOYMENT_ID_PATTERN,
    decode_raw_key,
    deployment_identity,
    encode_key,
)
from nrm.interchange.exchange.models import (
    PartnerDeployment,
    ReceivedPackage,
    RemoteOrganisation,
)
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.schema import SCHEMA_VERSION, ExchangePayload

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


# --- packages --------------------------------------------------------------------------------

@dataclass(frozen=True)
class OpenedPackage:
    """A package that passed every check: its sender, envelope header and contents."""

    partner: PartnerDeployment
    header: Header
    payload: ExchangePayload


def _summary(error: PydanticValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in item['loc']) or '—'}: {item['msg']}"
             for item in error.errors()[:3]]
    return "; ".join(parts)[:300]


def _open(document: bytes, seen: dict[str, str]) -> OpenedPackage:
    """Every check, in order: a package → known, active sender → signature → addressed to this
    deployment → not expired → not imported before → decrypts → contents follow the schema and
    repeat the envelope."""
    identity = deployment_identity()
    envelope = envelope_parse(document)
    header = envelope.header
    seen.update(package=str(header.package_id), sender=header.sender)
    partner = PartnerDeployment.objects.filter(deployment_id=header.sender).first()
    if partner is None:
        raise PackageRefusedError(Refusal.UNKNOWN_SENDER, sender=header.sender)
    if not partner.is_active:
        raise PackageRefusedError(Refusal.INACTIVE_SENDER, sender=header.sender)
    if not verify_signature(envelope, partner.signing_public_key):
        raise PackageRefusedError(Refusal.BAD_SIGNATURE, sender=header.sender)
    if header.recipient != identity.deployment_id:
        raise PackageRefusedError(Refusal.WRONG_RECIPIENT, recipient=header.recipient,
                                  us=identity.deployment_id)
    now = timezone.now()
    skew = dt.timedelta(seconds=settings.NRM_EXCHANGE_CLOCK_SKEW_SECONDS)
    if header.expires_at + skew < now:
        raise PackageRefusedError(Refusal.EXPIRED, expires=_readable(header.expires_at))
    if header.created_at - skew > now:
        raise PackageRefusedError(Refusal.NOT_YET_VALID, created=_readable(header.created_at))
    received = ReceivedPackage.objects.filter(package_id=header.package_id).first()
    if received is not None:
        raise PackageRefusedError(Refusal.REPLAYED, package=str(header.package_id),
                                  received=_readable(received.received_at))
    contents = envelope_decrypt(envelope, identity)
    try:
        payload = ExchangePayload.model_validate_json(contents)
    except PydanticValidationError as error:
        raise PackageRefusedError(Refusal.INVALID_CONTENT, schema=SCHEMA_VERSION,
                                  errors=_summary(error)) from None
    if (payload.package_id, payload.sender, payload.recipient, payload.created_at,
            payload.expires_at) != (header.package_id, header.sender, header.recipient,
                                    header.created_at, header.expires_at):
        raise PackageRefusedError(Refusal.READDRESSED)
    return OpenedPackage(partner=partner, header=header, payload=payload)


def _readable(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")


def package_refusal_record(*, viewer: Viewer, refusal: PackageRefusedError,
                           seen: dict[str, str]) -> None:
    """Audit a refused package as a security event: the reason, and the package id and sender
    when they could be read. Nothing else is written."""
    details = "; ".join(f"{key} {value}" for key, value in seen.items())
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.PACKAGE_REFUSED,
                 purpose=f"{refusal.reason.value}{'; ' if details else ''}{details}")


def require_package_reader(viewer: Viewer) -> None:
    if not viewer.works_cases:
        raise PermissionDenied(_("Only case workers may import exchange packages."))


def package_open(*, viewer: Viewer, document: bytes) -> OpenedPackage:
    """Check a package and read its contents, writing nothing; a refused package raises
    PackageRefusedError with a message for people and leaves one audit entry (a security
    event). Call it outside a transaction that a refusal rolls back, or the entry goes too."""
    require_package_reader(viewer)
    seen: dict[str, str] = {}
    try:
        return _open(document, seen)
    except PackageRefusedError as refusal:
        package_refusal_record(viewer=viewer, refusal=refusal, seen=seen)
        raise


def package_receipt_record(*, viewer: Viewer, opened: OpenedPackage) -> ReceivedPackage:
    """Record that a package was imported, inside the import's transaction, so that the same
    package is refused if it comes again; two imports at once cannot both succeed."""
    try:
        with transaction.atomic():
            return ReceivedPackage.objects.create(
                package_id=opened.header.package_id, sender=opened.partner,
                created_at=opened.header.created_at, expires_at=opened.header.expires_at,
                received_by=viewer.user, organisation_id=viewer.organisation_id)
    except IntegrityError:
        first = ReceivedPackage.objects.get(package_id=opened.header.package_id)
        raise PackageRefusedError(Refusal.REPLAYED, package=str(opened.header.package_id),
                                  received=_readable(first.received_at)) from None
