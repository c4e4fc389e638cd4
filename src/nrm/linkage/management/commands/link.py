"""`nrm link`: which rows of a spreadsheet are the same person, as pairs and clusters.

    nrm link people.csv --id record_id \
        --map given=given_name,family=family_name,patronymic=patronymic,sex=sex,\
birth=birth_date,citizenship=citizenship --pairs pairs.csv --clusters clusters.csv

Pairs: ``id_l,id_r,match_probability`` (best first); clusters: ``id,cluster`` (one cluster per
person; a row that matches nothing is its own). A file that cannot be read as asked stops the
command with a message that says what to fix, and nothing is written.

With ``--against-registry --as USERNAME`` the rows are also matched against the registry
persons whose identity that user sees (their organisation's; ``--organisation ID`` when they
are a member of several), read through the same audited selector as the page; registry persons
appear in the results by their codes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from nrm.core.management.commands._progress import Progress
from nrm.linkage.acting import ActingUserError, registry_records_as
from nrm.linkage.checks import ListCheckError, list_check
from nrm.linkage.engine import DEFAULT_THRESHOLD, CandidatePair
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
        parser.add_argument(
            "--against-registry", action="store_true",
            help="also match the rows against the registry persons whose identity the --as "
                 "user sees (their organisation's); registry persons appear by their codes")
        parser.add_argument("--as", dest="acting_as", metavar="USERNAME",
                            help="with --against-registry: the user the command acts as; "
                                 "the registry read is audited as theirs")
        parser.add_argument("--organisation", type=int, metavar="ID",
                            help="with --as: the organisation to act for, when the user is a "
                                 "member of several")

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
        against_registry = options["against_registry"]
        if against_registry and not options["acting_as"]:
            raise CommandError(
                "--against-registry reads the registry as a named user: add --as USERNAME, a "
                "case worker or supervisor of the organisation whose persons the list should "
                "be matched against.")
        if not against_registry and (options["acting_as"] or options["organisation"]):
            raise CommandError("--as and --organisation are for --against-registry; add it, or "
                               "leave them out to check the list on its own.")
        try:
            mapping = ColumnMapping.parse(options["id_column"], options["mapping"])
        except SpreadsheetError as error:
            raise CommandError(str(error)) from None
        records = read_file(options["file"], mapping)
        self.stdout.write(f"{len(records):,} rows read from {options['file']}.")
        registry: list[PersonRecord] = []
        if against_registry:
            try:
                viewer, registry = registry_records_as(
                    username=options["acting_as"], organisation_id=options["organisation"],
                    purpose="nrm link --against-registry")
            except ActingUserError as error:
                raise CommandError(str(error)) from None
            self.stdout.write(f"{len(registry):,} registry persons of "
                              f"{viewer.membership.organisation} read as "
                              f"{viewer.user.get_username()} (audited).")
        progress = Progress(self.stdout, 4, "Linking", unit="steps")

        def report(done: int, total: int, step: str = "") -> None:
            progress.label = f"Linking: {step}" if step else "Linking"
            progress.advance(max(0, done - progress.done))

        try:
            checked = list_check(records, registry, threshold=options["threshold"],
                                 progress=report)
        except ListCheckError as error:
            raise CommandError(str(error)) from None
        progress.finish()
        write_results(checked.pairs, checked.clusters, pairs_path=pairs_path,
                      clusters_path=clusters_path)
        self.stdout.write(self.style.SUCCESS(
            f"{len(checked.pairs):,} pairs at or above {options['threshold']}; "
            f"{len(records):,} rows are {checked.persons:,} persons."))
        if against_registry:
            self.stdout.write(f"{checked.rows_in_registry:,} rows match a registry person.")
