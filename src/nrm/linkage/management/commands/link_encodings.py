"""`nrm link_encodings`: link two organisations' encodings; count the persons they share.

    nrm link_encodings ours.nrmenc theirs.nrmenc --pairs shared.csv

Prints how many persons the two lists share, and writes the pairs of pseudonymous codes
(``code_a,code_b,match_probability``). Both files must have been made by `nrm link_encode` with
the same secret; the secret itself is not needed here, and no name is ever seen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.linkage.engine import DEFAULT_THRESHOLD
from nrm.linkage.management.commands._output import write_csv_atomically
from nrm.linkage.pprl import EncodingError, Encodings, link_encodings


def read_encodings(path: Path) -> Encodings:
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        return Encodings.from_bytes(path.read_bytes())
    except EncodingError as error:
        raise CommandError(f"{path}: {error}") from None


class Command(BaseCommand):
    help = ("Link two files of encodings made by `nrm link_encode` with the same secret: "
            "shared persons counted, pairs of codes written; no names involved.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("first", type=Path, help="encodings of side A")
        parser.add_argument("second", type=Path, help="encodings of side B")
        parser.add_argument("--pairs", type=Path,
                            help="where to write the pairs of codes (CSV), if wanted")
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                            help=f"lowest match probability (default {DEFAULT_THRESHOLD})")

    def handle(self, *args: Any, **options: Any) -> None:
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1, for example 0.9.")
        pairs_path: Path | None = options["pairs"]
        if pairs_path is not None and not pairs_path.resolve().parent.is_dir():
            raise CommandError(f"{pairs_path}: its folder does not exist.")
        first, second = read_encodings(options["first"]), read_encodings(options["second"])
        try:
            result = link_encodings(first, second, threshold=options["threshold"])
        except EncodingError as error:
            raise CommandError(str(error)) from None
        if pairs_path is not None:
            write_csv_atomically(pairs_path, ("code_a", "code_b", "match_probability"), (
                (a, b, f"{p:.4f}") for a, b, p in result.pairs))
        self.stdout.write(
            f"{len(first):,} and {len(second):,} records; {result.candidate_pairs:,} pairs "
            f"compared ({result.comparisons_per_second:,.0f} per second).")
        self.stdout.write(self.style.SUCCESS(
            f"{result.shared_persons:,} persons are on both lists "
            f"({len(result.pairs):,} pairs at or above {options['threshold']})."))
