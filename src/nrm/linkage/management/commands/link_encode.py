"""`nrm link_encode`: turn a list of persons into privacy-preserving encodings to share.

    nrm link_encode people.csv --id code --map given=given_name,family=family_name,\
birth=birth_date,sex=sex --secret-file shared.secret --out ours.nrmenc

The file written holds, per row, the row's id (use a pseudonymous code, never a name) and keyed
Bloom filters and digests of the normalised names, birth date, sex and citizenship; no name. The
secret file holds a passphrase (at least 16 characters) that the two organisations agreed on and
keep to themselves; without it the encodings cannot be tested against guessed names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.linkage.management.commands.link import read_file
from nrm.linkage.pprl import EncodingError, encode, secret_from_text
from nrm.linkage.spreadsheets import FIELDS, ColumnMapping, SpreadsheetError


def read_secret(path: Path) -> bytes:
    """The shared secret from its file, or CommandError."""
    if not path.is_file():
        raise CommandError(f"{path}: no such secret file.")
    try:
        return secret_from_text(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        raise CommandError(f"{path} cannot be read as a text file.") from None
    except EncodingError as error:
        raise CommandError(str(error)) from None


class Command(BaseCommand):
    help = ("Encode a CSV or XLSX list of persons for privacy-preserving linkage with another "
            "organisation: keyed Bloom filters, no names.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the list: CSV (UTF-8) or XLSX")
        parser.add_argument("--id", required=True, dest="id_column",
                            help="the column of pseudonymous codes that the other side will see")
        parser.add_argument("--map", required=True, dest="mapping",
                            help="field=column, comma-separated; fields: " + ", ".join(FIELDS))
        parser.add_argument("--secret-file", required=True, type=Path,
                            help="a file holding the passphrase both sides agreed on")
        parser.add_argument("--out", required=True, type=Path, help="the encodings to write")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if not out.resolve().parent.is_dir():
            raise CommandError(f"{out}: its folder does not exist.")
        secret = read_secret(options["secret_file"])
        try:
            mapping = ColumnMapping.parse(options["id_column"], options["mapping"])
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None
        records = read_file(options["file"], mapping)
        content = encode(records, secret).to_bytes()
        temporary = out.with_name(f".{out.name}.partial")
        temporary.write_bytes(content)
        temporary.replace(out)
        self.stdout.write(self.style.SUCCESS(
            f"{len(records):,} rows encoded into {out} ({len(content):,} bytes); no names."))
