"""`nrm reindex_names`: rebuild the blind index of names under the current NRM_BLIND_INDEX_KEY.

Needed after the blind-index key changes (every stored digest is then unreachable) or after the
name normalisation in core.names changes. Decrypts each identity, computes its digests with the
same helper that person_register uses, and replaces the person's tokens, one batch per
transaction.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from nrm.core.audit import audit_record
from nrm.core.management.commands._progress import Progress
from nrm.core.models import AuditAction
from nrm.registry.models import Identity, NameToken
from nrm.registry.services import identity_name_digests

NAME_FIELDS = ("given_name", "patronymic", "family_name", "latin_name", "aliases")


@transaction.atomic
def _reindex_batch(after: int, size: int) -> tuple[int | None, int, int]:
    """Re-index the next ``size`` persons after person id ``after``.

    Returns the last person id (None when no one is left), the persons and the tokens written.
    """
    identities = list(
        Identity.objects.filter(person_id__gt=after).order_by("person_id")
        .select_related("person").only("person_id", "person__organisation_id", *NAME_FIELDS)
        [:size]
    )
    if not identities:
        return None, 0, 0
    tokens = [
        NameToken(person_id=identity.person_id, organisation_id=identity.person.organisation_id,
                  digest=digest)
        for identity in identities
        for digest in sorted(identity_name_digests(
            {name: getattr(identity, name) for name in NAME_FIELDS}
        ))
    ]
    persons = [identity.person_id for identity in identities]
    NameToken.objects.filter(person_id__in=persons).delete()
    NameToken.objects.bulk_create(tokens, batch_size=5000)
    return persons[-1], len(persons), len(tokens)


class Command(BaseCommand):
    help = (
        "Rebuild the name search index (registry NameToken) from the decrypted identities with "
        "the current NRM_BLIND_INDEX_KEY. Run it right after changing that key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=2000, help="persons per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        progress = Progress(self.stdout, Identity.objects.count(), "Re-indexing names",
                            unit="persons")
        after, tokens = 0, 0
        while True:
            last, persons, written = _reindex_batch(after, options["batch"])
            if last is None:
                break
            tokens += written
            progress.advance(persons)
            after = last
        progress.finish()
        audit_record(
            actor=None, organisation_id=None, action=AuditAction.KEYS_ROTATED,
            fields=["registry.nametoken.digest"],
            purpose=f"blind index rebuilt: {progress.done} persons, {tokens} name tokens",
        )
        self.stdout.write(self.style.SUCCESS(
            f"Re-indexed {progress.done:,} persons ({tokens:,} name tokens)."
        ))
