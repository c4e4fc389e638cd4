"""`nrm rotate_keys`: re-encrypt every encrypted value under the current (first) field key.

Finds the encrypted fields of every installed model (core imports no app: it asks Django's app
registry), reads the stored ciphertext in batches ordered by primary key, and rewrites only the
values that are under another key. Running it again changes nothing. Each batch is one
transaction with its rows locked, so that a value written meanwhile is not overwritten.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from nrm.core.audit import audit_record
from nrm.core.crypto import DecryptionError, KeyRing, key_ring
from nrm.core.fields import EncryptedJSONField, EncryptedTextField
from nrm.core.management.commands._progress import Progress
from nrm.core.models import AuditAction


@dataclass(frozen=True)
class EncryptedTable:
    model: type[models.Model]
    fields: tuple[models.Field, ...]

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    def field_labels(self) -> list[str]:
        return [f"{self.label}.{field.name}" for field in self.fields]


def encrypted_tables() -> list[EncryptedTable]:
    """Every concrete model with encrypted fields, in a stable order."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = tuple(
            field for field in model._meta.concrete_fields
            if isinstance(field, EncryptedTextField | EncryptedJSONField)
        )
        if fields:
            found.append(EncryptedTable(model=model, fields=fields))
    return sorted(found, key=lambda table: table.label)


@dataclass
class Tally:
    by_key: Counter[tuple[str, str]]  # (field label, key id) → values
    rewritten: int = 0
    unreadable: int = 0


def _fetch(table: EncryptedTable, after: Any, size: int, lock: bool) -> list[tuple[Any, ...]]:
    """The next ``size`` rows (primary key, then the raw ciphertexts) after primary key ``after``.

    With ``lock`` the rows stay locked until the caller's transaction ends, so that a value
    written by the application meanwhile is not overwritten with an older one.
    """
    quote = connection.ops.quote_name
    pk = quote(str(table.model._meta.pk.column))
    columns = ", ".join(quote(str(field.column)) for field in table.fields)
    where = f"WHERE {pk} > %s " if after is not None else ""
    lock_clause = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    # Identifiers come from the models and are quoted; values are parameters.
    sql = (f"SELECT {pk}, {columns} FROM {quote(table.model._meta.db_table)} "  # noqa: S608
           f"{where}ORDER BY {pk} LIMIT %s{lock_clause}")
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, size] if after is not None else [size])
        return cursor.fetchall()


def _rotate_rows(table: EncryptedTable, rows: list[tuple[Any, ...]], ring: KeyRing,
                 tally: Tally, dry_run: bool) -> None:
    quote = connection.ops.quote_name
    labels = table.field_labels()
    updates: list[list[Any]] = []
    for row in rows:
        pk, values = row[0], list(row[1:])
        changed = False
        for index, raw in enumerate(values):
            if not raw:
                continue
            key_id = ring.key_id_of(raw)
            tally.by_key[(labels[index], key_id)] += 1
            if key_id == ring.current_id or dry_run:
                continue
            try:
                values[index] = ring.encrypt(ring.decrypt(raw))
            except DecryptionError:
                tally.unreadable += 1
                continue
            changed = True
            tally.rewritten += 1
        if changed:
            updates.append([*values, pk])
    if updates:
        assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in table.fields)
        sql = (f"UPDATE {quote(table.model._meta.db_table)} SET {assignments} "  # noqa: S608
               f"WHERE {quote(str(table.model._meta.pk.column))} = %s")
        with connection.cursor() as cursor:
            cursor.executemany(sql, updates)


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the first key of NRM_FIELD_KEYS. Put the new key "
        "first, keep the old ones after it, run this, then remove the old keys. --dry-run only "
        "counts values by key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true",
                            help="count the values under each key id; change nothing")
        parser.add_argument("--batch", type=int, default=1000, help="rows per transaction")

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run: bool = options["dry_run"]
        if options["batch"] < 1:
            raise CommandError("--batch must be at least 1.")
        ring = key_ring()
        tables = encrypted_tables()
        total = sum(table.model._default_manager.count() for table in tables)
        tally = Tally(by_key=Counter())
        verb = "Counting" if dry_run else f"Re-encrypting under key {ring.current_id}"
        progress = Progress(self.stdout, total, verb, unit="rows")
        for table in tables:
            after: Any = None
            while True:
                # One transaction per batch: its rows are locked only while they are rewritten.
                with transaction.atomic():
                    rows = _fetch(table, after, options["batch"], lock=not dry_run)
                    _rotate_rows(table, rows, ring, tally, dry_run)
                if not rows:
                    break
                after = rows[-1][0]
                progress.advance(len(rows))
        progress.finish()
        self._report(tally, ring, dry_run)
        if not dry_run:
            audit_record(
                actor=None, organisation_id=None, action=AuditAction.KEYS_ROTATED,
                fields=[label for table in tables for label in table.field_labels()],
                purpose=f"{tally.rewritten} values re-encrypted under key {ring.current_id}",
            )
        if tally.unreadable:
            raise CommandError(
                f"{tally.unreadable} values are under a key that NRM_FIELD_KEYS does not hold "
                "or do not decrypt; they were left as they are. Add the missing key and run "
                "this again."
            )

    def _report(self, tally: Tally, ring: KeyRing, dry_run: bool) -> None:
        self.stdout.write("Values by key id:" if dry_run else "Values by key id (before):")
        for (label, key_id), count in sorted(tally.by_key.items()):
            known = "" if key_id in ring.keys else "  (key not in NRM_FIELD_KEYS!)"
            current = "  (current)" if key_id == ring.current_id else ""
            self.stdout.write(f"  {label:40} {key_id:12} {count:>10,}{current}{known}")
        if not dry_run:
            self.stdout.write(self.style.SUCCESS(
                f"{tally.rewritten:,} values re-encrypted under key {ring.current_id}."
            ))
