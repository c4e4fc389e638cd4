"""Field-level encryption (AES-256-GCM) and keyed hashing for the blind index.

Ciphertext is stored as text: ``"<key id>$<base64(nonce || ciphertext || tag)>"`` so that several
keys can live side by side while `nrm rotate_keys` re-encrypts rows under the newest one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Used only when NRM_FIELD_KEYS / NRM_BLIND_INDEX_KEY are unset (demo, tests); `check --deploy`
# refuses them. They are derived, not random, so a restarted demo can still read its data.
_DEVELOPMENT_FIELD_KEY = hashlib.sha256(b"nrm development field key").digest()
_DEVELOPMENT_BLIND_INDEX_KEY = hashlib.sha256(b"nrm development blind index key").digest()


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@dataclass(frozen=True)
class KeyRing:
    current_id: str
    keys: dict[str, bytes]

    def encrypt(self, plaintext: str) -> str:
        nonce = os.urandom(12)
        sealed = AESGCM(self.keys[self.current_id]).encrypt(
            nonce, plaintext.encode(), self.current_id.encode()
        )
        return f"{self.current_id}${base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, stored: str) -> str:
        key_id, _, payload = stored.partition("$")
        key = self.keys.get(key_id)
        if key is None or not payload:
            raise DecryptionError(f"no key {key_id!r} in NRM_FIELD_KEYS")
        raw = base64.b64decode(payload)
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], key_id.encode()).decode()
        except Exception as exc:  # InvalidTag: wrong key or tampered value
            raise DecryptionError(f"value under key {key_id!r} does not decrypt") from exc

    def key_id_of(self, stored: str) -> str:
        return stored.partition("$")[0]


def _decode_key(name: str, encoded: str) -> bytes:
    try:
        key = base64.b64decode(encoded, validate=True)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: a key is not valid base64") from None
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name}: each key must be 32 bytes (base64 of 32 bytes)")
    return key


def parse_key_ring(spec: str) -> KeyRing:
    """Parse ``"id1:base64,id2:base64"``; the first key encrypts, every key decrypts."""
    if not spec.strip():
        return KeyRing(current_id="dev", keys={"dev": _DEVELOPMENT_FIELD_KEY})
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for part in spec.split(","):
        key_id, sep, encoded = part.strip().partition(":")
        if not sep or not key_id or "$" in key_id:
            raise ImproperlyConfigured('NRM_FIELD_KEYS must look like "2026a:BASE64,2025b:BASE64"')
        keys[key_id] = _decode_key("NRM_FIELD_KEYS", encoded)
        order.append(key_id)
    return KeyRing(current_id=order[0], keys=keys)


@cache
def key_ring() -> KeyRing:
    return parse_key_ring(settings.NRM_FIELD_KEYS)


@cache
def blind_index_key() -> bytes:
    if not settings.NRM_BLIND_INDEX_KEY:
        return _DEVELOPMENT_BLIND_INDEX_KEY
    return _decode_key("NRM_BLIND_INDEX_KEY", settings.NRM_BLIND_INDEX_KEY)


def using_development_keys() -> bool:
    return not settings.NRM_FIELD_KEYS or not settings.NRM_BLIND_INDEX_KEY


def blind_digest(domain: str, value: str) -> str:
    """A keyed hash of ``value``: equal inputs give equal digests, and nothing can be read back."""
    message = f"{domain}\x1f{value}".encode()
    return hmac.new(blind_index_key(), message, hashlib.sha256).hexdigest()[:32]


def generate_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
