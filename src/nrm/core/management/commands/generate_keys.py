"""`nrm generate_keys`: fresh values for NRM_FIELD_KEYS, NRM_BLIND_INDEX_KEY and the exchange
keys (NRM_EXCHANGE_SIGNING_KEY, NRM_EXCHANGE_ENCRYPTION_KEYS)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from nrm.core.crypto import generate_key, parse_key_ring


def new_key_id(taken: set[str]) -> str:
    """A key id from today's date (20261122), with a letter added if today already has one."""
    base = timezone.localdate().strftime("%Y%m%d")
    if base not in taken:
        return base
    for letter in "bcdefghijklmnopqrstuvwxyz":
        if base + letter not in taken:
            return base + letter
    raise RuntimeError("too many keys made today")


class Command(BaseCommand):
    help = (
        "Print fresh keys as environment lines: NRM_FIELD_KEYS (field encryption) and "
        "NRM_BLIND_INDEX_KEY (name search), NRM_EXCHANGE_SIGNING_KEY and "
        "NRM_EXCHANGE_ENCRYPTION_KEYS (exchange packages). Keep them secret and backed up: "
        "without them the identity data cannot be read."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        taken: set[str] = set()
        if settings.NRM_FIELD_KEYS:
            taken = set(parse_key_ring(settings.NRM_FIELD_KEYS).keys)
        key_id = new_key_id(taken)
        self.stdout.write("# nrm keys: put these in the server's environment, keep a copy")
        self.stdout.write("# offline. Losing NRM_FIELD_KEYS loses the identity data.")
        self.stdout.write(f"NRM_FIELD_KEYS={key_id}:{generate_key()}")
        self.stdout.write(f"NRM_BLIND_INDEX_KEY={generate_key()}")
        # Any 32 random bytes are an Ed25519 seed and an X25519 private key.
        self.stdout.write("# Exchange packages: after a restart, `nrm exchange_identity` prints")
        self.stdout.write("# the public keys that partner deployments register.")
        self.stdout.write(f"NRM_EXCHANGE_SIGNING_KEY={generate_key()}")
        self.stdout.write(f"NRM_EXCHANGE_ENCRYPTION_KEYS={generate_key()}")
        if settings.NRM_FIELD_KEYS:
            self.stdout.write("# To rotate: put the new key first, keep the old ones after it")
            self.stdout.write("# (NRM_FIELD_KEYS=<new>,<old>), restart, run `nrm rotate_keys`.")
            self.stdout.write("# A new NRM_BLIND_INDEX_KEY needs `nrm reindex_names` at once.")
