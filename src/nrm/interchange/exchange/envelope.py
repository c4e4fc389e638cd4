"""The envelope of an exchange package: sealing and opening, with no database.

Seal: the payload is encrypted to the recipient's X25519 key (an ephemeral X25519 key agreement,
HKDF-SHA256 to a one-time AES-256-GCM key, the header as associated data), then the header and
the ciphertext are signed together with the sender's Ed25519 key. The signed bytes are canonical
JSON (sorted keys, no whitespace, UTF-8), so that any reader computes the same bytes.

The same envelope carries a referral (schema ``nrm-exchange/1``), a reply to one
(``nrm-exchange-reply/1``) or its referrer's cancellation of one
(``nrm-exchange-cancellation/1``), named in the signed header. A package on the wire::

    {"format": "nrm-exchange-envelope/1",
     "header": {"package_id", "schema", "sender", "recipient", "created_at", "expires_at",
                "recipient_key", "ephemeral_key", "nonce"},
     "ciphertext": base64, "signature": base64}
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from nrm.interchange.exchange.cancellation_schema import CANCELLATION_SCHEMA_VERSION
from nrm.interchange.exchange.identity import DEPLOYMENT_ID_PATTERN, DeploymentIdentity
from nrm.interchange.exchange.refusals import PackageRefusedError, Refusal
from nrm.interchange.exchange.reply_schema import REPLY_SCHEMA_VERSION
from nrm.interchange.exchange.schema import SCHEMA_VERSION

ENVELOPE_FORMAT = "nrm-exchange-envelope/1"
# A package is a referral, not a file archive: anything larger is refused before parsing.
MAX_PACKAGE_BYTES = 512 * 1024
NONCE_BYTES = 12
# What an envelope may carry: a referral (a package), the answer to one (a reply), or the
# referrer's cancellation of one; the kinds by their schema.
PACKAGE, REPLY, CANCELLATION = "package", "reply", "cancellation"
KINDS = {SCHEMA_VERSION: PACKAGE, REPLY_SCHEMA_VERSION: REPLY,
         CANCELLATION_SCHEMA_VERSION: CANCELLATION}
READABLE_SCHEMAS = tuple(KINDS)


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that is signed: sorted keys, no whitespace, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def timestamp(moment: dt.datetime) -> str:
    """ISO 8601 in UTC to the second, ``2026-05-04T09:30:00Z``."""
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


Base64 = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9+/]*={0,2}$",
                                          max_length=MAX_PACKAGE_BYTES * 2)]
DeploymentId = Annotated[str, StringConstraints(pattern=DEPLOYMENT_ID_PATTERN)]


class Header(BaseModel):
    """What anyone may read of a package: who sent it, to whom, until when, and how it was
    encrypted. Signed, and bound to the ciphertext as associated data."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    package_id: uuid.UUID
    schema_version: str = Field(alias="schema", max_length=60)
    sender: DeploymentId
    recipient: DeploymentId
    created_at: dt.datetime
    expires_at: dt.datetime
    recipient_key: Base64
    ephemeral_key: Base64
    nonce: Base64


class Envelope(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format: str
    header: dict[str, Any]
    ciphertext: Base64
    signature: Base64


@dataclass(frozen=True)
class ParsedEnvelope:
    header: Header
    # The header exactly as it arrived: signature and decryption are over these values.
    header_json: dict[str, Any]
    ciphertext: bytes
    signature: bytes

    def signed_bytes(self) -> bytes:
        return _signed_bytes(self.header_json, _b64(self.ciphertext))

    @property
    def kind(self) -> str:
        """What the envelope carries: PACKAGE, REPLY or CANCELLATION."""
        return KINDS[self.header.schema_version]


def _signed_bytes(header: dict[str, Any], ciphertext_b64: str) -> bytes:
    return canonical_json({"ciphertext": ciphertext_b64, "header": header})


def _content_key(shared_secret: bytes, ephemeral_public: bytes, recipient_public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=ephemeral_public + recipient_public,
                info=ENVELOPE_FORMAT.encode()).derive(shared_secret)


def seal(*, payload: dict[str, Any], sender: DeploymentIdentity, recipient_id: str,
         recipient_encryption_key: bytes, package_id: uuid.UUID, created_at: dt.datetime,
         expires_at: dt.datetime, schema: str = SCHEMA_VERSION) -> bytes:
    """The package, as bytes to write to a file: ``payload`` encrypted to the recipient, the
    whole signed by ``sender``. ``schema`` names what the payload is: a referral, a reply or a
    cancellation."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared_secret = ephemeral.exchange(X25519PublicKey.from_public_bytes(
        recipient_encryption_key))
    nonce = os.urandom(NONCE_BYTES)
    header = {
        "package_id": str(package_id), "schema": schema,
        "sender": sender.deployment_id, "recipient": recipient_id,
        "created_at": timestamp(created_at), "expires_at": timestamp(expires_at),
        "recipient_key": _b64(recipient_encryption_key),
        "ephemeral_key": _b64(ephemeral_public), "nonce": _b64(nonce),
    }
    key = _content_key(shared_secret, ephemeral_public, recipient_encryption_key)
    ciphertext = _b64(AESGCM(key).encrypt(nonce, canonical_json(payload), canonical_json(header)))
    signature = sender.signing_key.sign(_signed_bytes(header, ciphertext))
    return json.dumps({"format": ENVELOPE_FORMAT, "header": header, "ciphertext": ciphertext,
                       "signature": _b64(signature)}, ensure_ascii=False, indent=1).encode()


def _not_json(constant: str) -> None:
    # NaN and Infinity are Python's extension, not JSON, and have no canonical form to sign.
    raise ValueError(f"{constant} is not JSON")


def parse(document: bytes) -> ParsedEnvelope:
    """Read an envelope's structure, or refuse: not JSON, not a package, a format this version
    does not read, or a damaged one."""
    if len(document) > MAX_PACKAGE_BYTES:
        raise PackageRefusedError(Refusal.TOO_LARGE, limit=MAX_PACKAGE_BYTES // 1024)
    try:
        raw = json.loads(document.decode("utf-8"), parse_constant=_not_json)
    except (UnicodeDecodeError, ValueError):
        raise PackageRefusedError(Refusal.NOT_JSON) from None
    if not isinstance(raw, dict) or "format" not in raw or "header" not in raw:
        raise PackageRefusedError(Refusal.NOT_A_PACKAGE)
    if raw["format"] != ENVELOPE_FORMAT:
        raise PackageRefusedError(Refusal.UNSUPPORTED_FORMAT, found=str(raw["format"])[:60],
                             expected=ENVELOPE_FORMAT)
    try:
        envelope = Envelope.model_validate(raw)
        header = Header.model_validate(envelope.header)
        ciphertext = base64.b64decode(envelope.ciphertext, validate=True)
        signature = base64.b64decode(envelope.signature, validate=True)
    except (ValidationError, binascii.Error, ValueError):
        raise PackageRefusedError(Refusal.DAMAGED) from None
    if header.schema_version not in READABLE_SCHEMAS:
        raise PackageRefusedError(Refusal.UNSUPPORTED_FORMAT, found=header.schema_version[:60],
                                  expected="”, “".join(READABLE_SCHEMAS))
    if (header.created_at.tzinfo is None or header.expires_at.tzinfo is None
            or header.expires_at <= header.created_at):
        raise PackageRefusedError(Refusal.DAMAGED)
    return ParsedEnvelope(header=header, header_json=envelope.header, ciphertext=ciphertext,
                          signature=signature)


def carried_kind(document: bytes) -> str:
    """What a file reads as — PACKAGE, REPLY or CANCELLATION — checking nothing but its form,
    so that one import page takes all three; PACKAGE when it does not read at all (the package
    checks then say why)."""
    try:
        return parse(document).kind
    except PackageRefusedError:
        return PACKAGE


def verify_signature(envelope: ParsedEnvelope, signing_public_key: bytes) -> bool:
    """Whether the sender's key signed exactly this header and this ciphertext."""
    try:
        Ed25519PublicKey.from_public_bytes(signing_public_key).verify(
            envelope.signature, envelope.signed_bytes())
    except (InvalidSignature, ValueError):
        return False
    return True


def decrypt(envelope: ParsedEnvelope, identity: DeploymentIdentity) -> bytes:
    """The payload's bytes, decrypted with the key the package says it was encrypted to; refused
    when this deployment does not hold that key or the ciphertext does not decrypt."""
    try:
        recipient_public = base64.b64decode(envelope.header.recipient_key, validate=True)
        ephemeral_public = base64.b64decode(envelope.header.ephemeral_key, validate=True)
        nonce = base64.b64decode(envelope.header.nonce, validate=True)
    except (binascii.Error, ValueError):
        raise PackageRefusedError(Refusal.DAMAGED) from None
    private_key = identity.encryption_key_for(recipient_public)
    if private_key is None:
        raise PackageRefusedError(Refusal.NOT_OUR_KEY)
    try:
        shared_secret = private_key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        key = _content_key(shared_secret, ephemeral_public, recipient_public)
        return AESGCM(key).decrypt(nonce, envelope.ciphertext,
                                   canonical_json(envelope.header_json))
    except (InvalidTag, ValueError):
        raise PackageRefusedError(Refusal.UNDECRYPTABLE) from None
