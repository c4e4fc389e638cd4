"""`nrm exchange_identity`: this deployment's id and public keys, for partners to register."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from django.core.management.base import BaseCommand

from nrm.interchange.exchange.identity import published_identity


class Command(BaseCommand):
    help = (
        "Print this deployment's exchange identity as JSON: its id, name, country, public "
        "signing and encryption keys and their fingerprint. Send it to a partner deployment's "
        "system admin, who registers it; compare the fingerprint by phone. Nothing in it is "
        "secret."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        identity = published_identity()
        if identity.development_keys:
            self.stderr.write(
                "Warning: these are development keys, derived from the code. Set "
                "NRM_EXCHANGE_SIGNING_KEY and NRM_EXCHANGE_ENCRYPTION_KEYS (`nrm generate_keys`) "
                "before a partner registers this deployment.")
        self.stdout.write(json.dumps(dataclasses.asdict(identity), ensure_ascii=False, indent=2))
