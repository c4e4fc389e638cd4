"""`nrm seed --persons N`: add N synthetic persons quickly, for benchmarks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.core.crypto import using_development_keys
from nrm.registry.demo.bulk import seed_persons


class Command(BaseCommand):
    help = (
        "Add N synthetic persons (identity encrypted, names indexed, one or two cases each) to "
        "synthetic organisations, in batches. For benchmarks: never on a real database."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help="how many to add")
        parser.add_argument("--organisations", type=int, default=40,
                            help="how many synthetic organisations share them (default 40)")
        parser.add_argument("--batch", type=int, default=5000,
                            help="persons written per transaction (default 5000)")
        parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
        parser.add_argument("--force", action="store_true",
                            help="seed even though production keys are configured")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["persons"] < 1 or options["organisations"] < 1 or options["batch"] < 1:
            raise CommandError("--persons, --organisations and --batch must be at least 1.")
        if not using_development_keys() and not options["force"]:
            raise CommandError(
                "NRM_FIELD_KEYS and NRM_BLIND_INDEX_KEY are set, so this looks like a real "
                "installation; synthetic persons do not belong there. Use --force only on a "
                "throw-away database."
            )
        summary = seed_persons(
            persons=options["persons"], organisations=options["organisations"],
            batch=options["batch"], seed=options["seed"], stdout=self.stdout,
        )
        rate = summary.persons / summary.seconds if summary.seconds else 0
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {summary.persons:,} persons, {summary.cases:,} cases and "
            f"{summary.name_tokens:,} name tokens in {summary.seconds:.1f} s "
            f"({rate:,.0f} persons/s)."
        ))
