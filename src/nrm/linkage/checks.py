"""Checking a list of persons (a spreadsheet) for duplicates: its rows against each other and,
if asked, against registry persons. The page's background check and `nrm link
--against-registry` both come here, so that a list is matched, and reported, the same way.

In what a check reports, a row is known by its id in the file and a registry person by their
pseudonymous code as people read it (``K7QM-4TXR-9``); nothing else of a registry person.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from nrm.core.codes import format_code
from nrm.core.jobs import ProgressReport, no_progress
from nrm.linkage.engine import (
    DEFAULT_THRESHOLD,
    CandidatePair,
    clusters_of,
    find_duplicates,
    find_matches,
)
from nrm.linkage.records import PersonRecord
from nrm.linkage.spreadsheets import ColumnMapping


class ListCheckError(ValueError):
    """The list cannot be checked as asked; the message says what to fix."""


@dataclass(frozen=True)
class ListCheck:
    """What a check found: pairs (best first) and each record's cluster (one per person)."""

    pairs: list[CandidatePair]
    clusters: dict[str, str]  # every row, and every registry person found in a pair
    row_ids: frozenset[str]
    registry_persons: int  # how many registry persons the rows were compared with

    @property
    def persons(self) -> int:
        """How many persons the rows are (a cluster counted once)."""
        return len({self.clusters[record_id] for record_id in self.row_ids})

    @property
    def persons_in_several_rows(self) -> int:
        """How many persons have more than one row."""
        rows: dict[str, int] = {}
        for record_id in self.row_ids:
            rows[self.clusters[record_id]] = rows.get(self.clusters[record_id], 0) + 1
        return sum(1 for count in rows.values() if count > 1)

    @property
    def rows_in_registry(self) -> int:
        """How many rows were found to be a registry person."""
        return len({record_id for pair in self.pairs
                    for record_id, other in ((pair.left_id, pair.right_id),
                                             (pair.right_id, pair.left_id))
                    if record_id in self.row_ids and other not in self.row_ids})


def column_mapping(mapping: Mapping[str, str]) -> ColumnMapping:
    """The page's mapping (field → column, ``id`` the row's identifier) as the spreadsheet
    reader takes it."""
    chosen = {field: column for field, column in mapping.items() if column}
    return ColumnMapping(
        id_column=chosen.get("id", ""),
        columns={field: column for field, column in chosen.items()
                 if field not in ("id", "other")},
        other_columns=(chosen["other"],) if "other" in chosen else (),
    )


def _registry_as_read(registry: Sequence[PersonRecord],
                      rows: Sequence[PersonRecord]) -> list[PersonRecord]:
    """Registry records named by their codes as people read them; ListCheckError when a row
    has the same id, since the results could not tell the two apart."""
    named = [dataclasses.replace(record, record_id=format_code(record.record_id))
             for record in registry]
    codes = {record.record_id for record in named}
    clash = next((row.record_id for row in rows if row.record_id in codes), None)
    if clash is not None:
        raise ListCheckError(_(
            "The row id “%(id)s” is also the code of a registry person, so the results could "
            "not tell them apart. Give the rows other ids, such as row numbers.")
            % {"id": clash})
    return named


def list_check(
    rows: Sequence[PersonRecord], registry: Sequence[PersonRecord] = (), *,
    threshold: float = DEFAULT_THRESHOLD, progress: ProgressReport = no_progress,
) -> ListCheck:
    """Which rows are the same person, and, with ``registry`` records, which rows are registry
    persons (registry persons are only compared with rows, never with each other)."""
    if registry:
        existing = _registry_as_read(registry, rows)
        pairs = find_matches(rows, existing, threshold=threshold, progress=progress)
    else:
        existing = []
        pairs = find_duplicates(rows, threshold=threshold, progress=progress)
    clusters = clusters_of([row.record_id for row in rows], pairs, threshold=threshold)
    return ListCheck(pairs=pairs, clusters=clusters,
                     row_ids=frozenset(row.record_id for row in rows),
                     registry_persons=len(existing))
