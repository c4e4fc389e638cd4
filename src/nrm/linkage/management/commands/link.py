"""`nrm link`: which rows of a spreadsheet are the same person, as pairs and clusters.

    nrm link people.csv --id record_id \
        --map given=given_name,family=family_name,patronymic=patronymic,sex=sex,\
birth=birth_date,citizenship=citizenship --pairs pairs.csv --clusters clusters.csv

Pairs: ``id_l,id_r,match_probability`` (best first); clusters: ``id,cluster`` (one cluster per
person; a row that matches nothing is its own). A file that cannot be read as asked stops the
command with a message that says what to fix, and nothing is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.core.management.commands._progress import Progress
from nrm.linkage.engine import DEFAULT_THRESHOLD, CandidatePair, clusters_of, find_duplicates
from nrm.linkage.management.commands._output import write_csv_atomically
from nrm.linkage.records import PersonRecord
from nrm.linkage.spreadsheets import FIELDS, ColumnMapping, SpreadsheetError, read_people


def read_file(path: Path, mapping: ColumnMapping) -> list[PersonRecord]:
    """The persons of one CSV or XLSX file, or CommandError saying what to fix."""
    if not path.is_file():
        raise CommandError(f"{path}: no such file.")
    try:
        content = path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path} cannot be read: {error.strerror}.") from None
    try:
        return read_people(content, path.name, mapping, source=path.stem)
    except SpreadsheetError as error:
        raise CommandError(str(error)) from None


def write_results(pairs: list[CandidatePair], clusters: dict[str, str], *,
                  pairs_path: Path | None, clusters_path: Path | None) -> None:
    if pairs_path is not None:
        write_csv_atomically(pairs_path, ("id_l", "id_r", "match_probability"), (
            (pair.left_id, pair.right_id, f"{pair.match_probability:.4f}") for pair in pairs))
    if clusters_path is not None:
        write_csv_atomically(clusters_path, ("id", "cluster"), sorted(clusters.items()))


class Command(BaseCommand):
    help = (
        "Find the rows of a CSV or XLSX list that are the same person; write the pairs "
        "(id_l,id_r,match_probability) and the clusters (id,cluster) as CSV."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the list: CSV (UTF-8) or XLSX")
        parser.add_argument("--id", required=True, dest="id_column",
                            help="the column that identifies each row")
        parser.add_argument(
            "--map", required=True, dest="mapping",
            help="field=column, comma-separated; fields: " + "; ".join(
                f"{key} ({meaning})" for key, meaning in FIELDS.items()))
        parser.add_argument("--pairs", type=Path, help="where to write the pairs (CSV)")
        parser.add_argument("--clusters", type=Path, help="where to write the clusters (CSV)")
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                            help=f"lowest match probability of a pair (default "
                                 f"{DEFAULT_THRESHOLD})")

    def handle(self, *args: Any, **options: Any) -> None:
        pairs_path, clusters_path = options["pairs"], options["clusters"]
        if pairs_path is None and clusters_path is None:
            raise CommandError("Say where to write the results: --pairs FILE, --clusters FILE "
                               "or both.")
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1, for example 0.9.")
        for output in (pairs_path, clusters_path):
            if output is not None and not output.resolve().parent.is_dir():
                raise CommandError(f"{output}: its folder does not exist.")
        try:
            mapping = ColumnMapping.parse(options["id_column"], options["mapping"])
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None
        records = read_file(options["file"], mapping)
        self.stdout.write(f"{len(records):,} rows read from {options['file']}.")
        progress = Progress(self.stdout, 4, "Linking", unit="steps")

        def report(done: int, total: int, step: str = "") -> None:
            progress.label = f"Linking: {step}" if step else "Linking"
            progress.advance(max(0, done - progress.done))

        pairs = find_duplicates(records, threshold=options["threshold"], progress=report)
        progress.finish()
        clusters = clusters_of([record.record_id for record in records], pairs,
                               threshold=options["threshold"])
        write_results(pairs, clusters, pairs_path=pairs_path, clusters_path=clusters_path)
        persons = len(set(clusters.values()))
        self.stdout.write(self.style.SUCCESS(
            f"{len(pairs):,} pairs at or above {options['threshold']}; {len(records):,} rows "
            f"are {persons:,} persons."))
