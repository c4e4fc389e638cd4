"""`nrm load_criminal_codes [FILE]`: load the criminal-code catalogue (default: the shipped file).

An operator adds a country's articles without code: copy the shipped file, add or correct
articles (with their source), and load it. Articles missing from the file are marked no longer
in force, never deleted, so that the cases qualified under them keep their history.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.justice.codes import CODES_FILE, codes_load, codes_read


class Command(BaseCommand):
    help = "Check a criminal-code catalogue file and load it (updates, never deletes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, nargs="?", default=CODES_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = codes_load(codes_read(options["file"]))
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        self.stdout.write(f"Criminal codes: {result.created} added, {result.updated} updated, "
                          f"{result.deactivated} no longer in force.")
