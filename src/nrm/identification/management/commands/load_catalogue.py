"""`nrm load_catalogue FILE [--current]`: publish a new version of the indicator catalogue.

A country extends the catalogue without code: copy the current file, add its own indicators
(with "country": "KG"), give it a new version, and load it here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.identification.catalogue import catalogue_load, catalogue_read


class Command(BaseCommand):
    help = "Check an indicator catalogue file and load it as a new version."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--current", action="store_true",
                            help="Use it for new screenings from now on.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            catalogue = catalogue_load(catalogue_read(options["file"]),
                                       make_current=options["current"])
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from None
        count = catalogue.indicators.count()
        state = "current" if catalogue.is_current else "loaded, not current"
        self.stdout.write(f"Catalogue {catalogue.version}: {count} indicators, {state}.")
