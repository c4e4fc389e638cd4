"""Opening a package: every check in order, each refusal its own message and a security event
in the audit log, nothing else written; and the record of a package imported, so that it is
refused if it comes again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from nrm.accounts.viewer import Viewer
from nrm.assistance.services import check_return_journey
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.interchange.exchange.cancellation_schema import CancellationPayload
from nrm.interchange.exchange.contents import journey_input
from nrm.interchange.exchange.envelope import (
    CANCELLATION,
    PACKAGE,
    REPLY,
    Header,
    ParsedEnvelope,
    verify_signature,
)
from nrm.interchange.exchange.envelope import decrypt as envelope_decrypt
from nrm.interchange.exchange.envelope import parse as envelope_parse
from nrm.interchange.exchange.identity import deployment_identity
from nrm.interchange.exchange.models import (
    CancelledPackage,
    PartnerDeployment,
    ReceivedPackage,
)
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.reply_schema import ReplyPayload
from nrm.interchange.exchange.schema import (
    SCHEMA_VERSION,
    ExchangeOrganisation,
    ExchangePayload,
)
from nrm.referrals.models import Referral

SealedT = TypeVar("SealedT", ExchangePayload, ReplyPayload, CancellationPayload)
OpenedT = TypeVar("OpenedT")


@dataclass(frozen=True)
class OpenedPackage:
    """A package that passed every check: its sender, envelope header and contents, and the
    organisation of this deployment it is addressed to."""

    partner: PartnerDeployment
    header: Header
    payload: ExchangePayload
    organisation: Organisation | None = None


def error_summary(error: PydanticValidationError) -> str:
    parts = [f"{'.'.join(str(p) for p in item['loc']) or '—'}: {item['msg']}"
             for item in error.errors()[:3]]
    return "; ".join(parts)[:300]


def _wrong_kind(expected: str, found: str) -> Refusal:
    if found == REPLY:
        return Refusal.A_REPLY
    if found == CANCELLATION:
        return Refusal.A_CANCELLATION
    return Refusal.NOT_A_REPLY if expected == REPLY else Refusal.NOT_A_CANCELLATION


def checked_envelope(document: bytes, seen: dict[str, str], *, kind: str,
                     replay_check: Callable[[Header], None]) -> tuple[PartnerDeployment,
                                                                     ParsedEnvelope, bytes]:
    """The checks every package, reply and cancellation passes, in order: of the kind expected →
    known, active sender → signature → addressed to this deployment → not expired →
    ``replay_check`` (not imported or applied before) → decrypts. The sender, the envelope and
    the decrypted contents; ``seen`` gets the id and sender once they can be read."""
    identity = deployment_identity()
    envelope = envelope_parse(document)
    header = envelope.header
    seen.update({envelope.kind: str(header.package_id), "sender": header.sender})
    if envelope.kind != kind:
        raise PackageRefusedError(_wrong_kind(kind, envelope.kind))
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
        raise PackageRefusedError(Refusal.EXPIRED, expires=readable(header.expires_at))
    if header.created_at - skew > now:
        raise PackageRefusedError(Refusal.NOT_YET_VALID, created=readable(header.created_at))
    replay_check(header)
    return partner, envelope, envelope_decrypt(envelope, identity)


def repeats_envelope(payload: ExchangePayload | ReplyPayload | CancellationPayload,
                     header: Header) -> None:
    """Refuse contents that name another id, sender, recipient or time than their envelope:
    someone re-addressed or re-signed them."""
    if (payload.package_id, payload.sender, payload.recipient, payload.created_at,
            payload.expires_at) != (header.package_id, header.sender, header.recipient,
                                    header.created_at, header.expires_at):
        raise PackageRefusedError(Refusal.READDRESSED)


def sealed_contents(document: bytes, seen: dict[str, str], *, kind: str,
                    replay_check: Callable[[Header], None], model: type[SealedT],
                    schema: str) -> tuple[PartnerDeployment, Header, SealedT]:
    """The envelope's checks for ``kind``, then its contents read as ``model`` (refused when
    they do not follow ``schema``) and repeating the envelope: the sender, header, contents."""
    partner, envelope, contents = checked_envelope(document, seen, kind=kind,
                                                   replay_check=replay_check)
    try:
        payload = model.model_validate_json(contents)
    except PydanticValidationError as error:
        raise PackageRefusedError(Refusal.INVALID_CONTENT, schema=schema,
                                  errors=error_summary(error)) from None
    repeats_envelope(payload, envelope.header)
    return partner, envelope.header, payload


def refusals_audited(viewer: Viewer, open_: Callable[[dict[str, str]], OpenedT]) -> OpenedT:
    """``open_(seen)`` for a viewer who may open exchange files: reading a file, or reading and
    applying it in a transaction of its own; a refusal (rolled back with that transaction)
    leaves one audit entry (a security event) with what ``seen`` could read, and is raised."""
    require_package_reader(viewer)
    seen: dict[str, str] = {}
    try:
        return open_(seen)
    except PackageRefusedError as refusal:
        package_refusal_record(viewer=viewer, refusal=refusal, seen=seen)
        raise


def _not_imported_before(header: Header) -> None:
    received = ReceivedPackage.objects.filter(package_id=header.package_id).first()
    if received is not None:
        raise PackageRefusedError(Refusal.REPLAYED, package=str(header.package_id),
                                  received=readable(received.received_at))
    cancelled = (CancelledPackage.objects.select_related("cancellation")
                 .filter(package_id=header.package_id,
                         cancellation__sender__deployment_id=header.sender).first())
    if cancelled is not None:
        raise PackageRefusedError(Refusal.CANCELLED_BEFORE_IMPORT,
                                  package=str(header.package_id),
                                  cancelled=readable(cancelled.cancellation.cancelled_at))


def _open(document: bytes, seen: dict[str, str]) -> OpenedPackage:
    """Every check of a package: those of the envelope, then the contents follow the schema
    and repeat the envelope, and the return journey could be recorded here."""
    partner, header, payload = sealed_contents(document, seen, kind=PACKAGE,
                                               replay_check=_not_imported_before,
                                               model=ExchangePayload, schema=SCHEMA_VERSION)
    if payload.return_journey is not None:
        try:
            check_return_journey(journey_input(payload.return_journey))
        except ValidationError as error:
            raise PackageRefusedError(Refusal.INVALID_RETURN,
                                      errors=" ".join(error.messages)[:300]) from None
    return OpenedPackage(partner=partner, header=header, payload=payload)


def addressed_organisation(referred: ExchangeOrganisation, viewer: Viewer) -> Organisation:
    """The organisation of this deployment a package (or a cancellation) is addressed to, if
    that is the viewer's; refused when it names none, or another."""
    organisation = (Organisation.objects.filter(pk=int(referred.org_Ref), is_active=True).first()
                    if referred.org_Ref.isdigit() and len(referred.org_Ref) < 10 else None)
    if organisation is None or organisation.country != referred.org_ShippingCountry:
        raise PackageRefusedError(Refusal.UNKNOWN_ORGANISATION, organisation=referred.org_Name,
                                  ref=referred.org_Ref)
    if organisation.pk != viewer.organisation_id:
        raise PackageRefusedError(Refusal.OTHER_ORGANISATION, organisation=organisation.name)
    return organisation


def _addressed(opened: OpenedPackage, viewer: Viewer) -> OpenedPackage:
    """The package with the organisation it is addressed to, if that is the viewer's."""
    organisation = addressed_organisation(opened.payload.referral.cas_ReferredOrganisation,
                                          viewer)
    return OpenedPackage(partner=opened.partner, header=opened.header, payload=opened.payload,
                         organisation=organisation)


def readable(moment: dt.datetime) -> str:
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
    """Those who work cases may open a package addressed to their organisation (and see its
    preview); only those who register persons may import it."""
    if not viewer.works_cases:
        raise PermissionDenied(_("Only case workers may open exchange packages."))


def package_open(*, viewer: Viewer, document: bytes) -> OpenedPackage:
    """Check a package and read its contents, writing nothing; a refused package raises
    PackageRefusedError with a message for people and leaves one audit entry (a security
    event). Call it outside a transaction that a refusal rolls back, or the entry goes too."""
    return refusals_audited(viewer, lambda seen: _addressed(_open(document, seen), viewer))


def package_receipt_record(*, viewer: Viewer, opened: OpenedPackage,
                           referral: Referral | None = None,
                           return_journey: dict[str, Any] | None = None) -> ReceivedPackage:
    """Record that a package was imported, inside the import's transaction, so that the same
    package is refused if it comes again; two imports at once cannot both succeed."""
    try:
        with transaction.atomic():
            return ReceivedPackage.objects.create(
                package_id=opened.header.package_id, sender=opened.partner,
                created_at=opened.header.created_at, expires_at=opened.header.expires_at,
                received_by=viewer.user, organisation_id=viewer.organisation_id,
                referral=referral, return_journey=return_journey)
    except IntegrityError:
        first = ReceivedPackage.objects.get(package_id=opened.header.package_id)
        raise PackageRefusedError(Refusal.REPLAYED, package=str(opened.header.package_id),
                                  received=readable(first.received_at)) from None
