"""This deployment's identity in the exchange: its id, name, country and keys.

The keys come from the environment (base64 of 32 raw bytes). Without them, development keys are
derived from the deployment's id, so that two development deployments ("RU", "KG") still differ
and a restarted demo still opens its packages; `nrm check --deploy` refuses them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# A deployment id: a short stable name that partners address packages to ("KG", "kz-mlsp").
DEPLOYMENT_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
KEY_BYTES = 32


def decode_raw_key(encoded: str, *, what: str) -> bytes:
    """32 raw key bytes from base64, or ValueError naming ``what`` and saying what is wrong."""
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(f"{what} is not valid base64") from None
    if len(raw) != KEY_BYTES:
        raise ValueError(f"{what} must be {KEY_BYTES} bytes (base64 of {KEY_BYTES} raw bytes)")
    return raw


def encode_key(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def fingerprint(*public_keys: bytes) -> str:
    """A short SHA-256 fingerprint of public keys, in groups of four, to compare by phone."""
    digest = hashlib.sha256(b"".join(public_keys)).hexdigest()[:32].upper()
    return " ".join(digest[i:i + 4] for i in range(0, len(digest), 4))


def _development_key(purpose: str, deployment_id: str) -> bytes:
    seed = f"nrm development exchange {purpose} key {deployment_id}"
    return hashlib.sha256(seed.encode()).digest()


@dataclass(frozen=True)
class DeploymentIdentity:
    deployment_id: str
    name: str
    country: str
    signing_key: Ed25519PrivateKey
    # The first encrypts (its public key is published); all of them open packages.
    encryption_keys: tuple[X25519PrivateKey, ...]
    development_keys: bool

    @property
    def signing_public_key(self) -> bytes:
        return self.signing_key.public_key().public_bytes_raw()

    @property
    def encryption_public_key(self) -> bytes:
        return self.encryption_keys[0].public_key().public_bytes_raw()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.signing_public_key, self.encryption_public_key)

    def encryption_key_for(self, public_key: bytes) -> X25519PrivateKey | None:
        """The private key whose public half is ``public_key``, current or previous."""
        for key in self.encryption_keys:
            if key.public_key().public_bytes_raw() == public_key:
                return key
        return None


@cache
def _identity(deployment_id: str, name: str, country: str, signing: str,
              encryption: str) -> DeploymentIdentity:
    if not re.fullmatch(DEPLOYMENT_ID_PATTERN, deployment_id):
        raise ImproperlyConfigured(
            "NRM_DEPLOYMENT_ID must be 1 to 40 letters, digits, '.', '_' or '-', "
            f"starting with a letter or digit, not {deployment_id!r}")
    try:
        signing_raw = (decode_raw_key(signing, what="NRM_EXCHANGE_SIGNING_KEY") if signing
                       else _development_key("signing", deployment_id))
        encryption_raw = ([decode_raw_key(part, what="NRM_EXCHANGE_ENCRYPTION_KEYS")
                           for part in encryption.split(",") if part.strip()]
                          or [_development_key("encryption", deployment_id)])
    except ValueError as error:
        raise ImproperlyConfigured(str(error)) from None
    return DeploymentIdentity(
        deployment_id=deployment_id, name=name or deployment_id, country=country.upper(),
        signing_key=Ed25519PrivateKey.from_private_bytes(signing_raw),
        encryption_keys=tuple(X25519PrivateKey.from_private_bytes(raw) for raw in encryption_raw),
        development_keys=not signing or not encryption.strip(),
    )


def deployment_identity() -> DeploymentIdentity:
    """This deployment's identity as the settings say now (tests switch deployments)."""
    return _identity(settings.NRM_DEPLOYMENT_ID, settings.NRM_DEPLOYMENT_NAME,
                     settings.NRM_DEPLOYMENT_COUNTRY, settings.NRM_EXCHANGE_SIGNING_KEY,
                     settings.NRM_EXCHANGE_ENCRYPTION_KEYS)


@dataclass(frozen=True)
class PublishedIdentity:
    """What partners register: nothing here is secret."""

    deployment_id: str
    name: str
    country: str
    signing_key: str
    encryption_key: str
    fingerprint: str
    development_keys: bool


def published_identity() -> PublishedIdentity:
    """This deployment's id, name, country and public keys (base64), with their fingerprint."""
    identity = deployment_identity()
    return PublishedIdentity(
        deployment_id=identity.deployment_id, name=identity.name, country=identity.country,
        signing_key=encode_key(identity.signing_public_key),
        encryption_key=encode_key(identity.encryption_public_key),
        fingerprint=identity.fingerprint, development_keys=identity.development_keys,
    )
