"""The linkage engine: which records are the same person, how likely, and why.

A probabilistic (Fellegi-Sunter) model, run by Splink on DuckDB by default or on Spark
(NRM_LINKAGE_BACKEND), over names reduced to sound-alike skeletons (nrm.core.names), birth dates
of any precision, sex and citizenship. It is trained on the records it is asked about; a set too
small to learn from (under 1,000 records) is scored with fixed parameters set from experience
in the region (see person.py), and so is any part of the model that training cannot estimate.

    find_duplicates(records)            pairs within one set (the registry, a list)
    find_matches(new, existing)         new records against existing ones and each other
    clusters_of(ids, pairs)             record id → cluster id (one per person)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext_noop

from nrm.core.jobs import ProgressReport, no_progress
from nrm.linkage.engine.backends import open_backend
from nrm.linkage.engine.model import CandidatePair, FieldComparison
from nrm.linkage.engine.person import PERSON_MODEL, check_unique_ids, prepare_people
from nrm.linkage.engine.pipeline import run
from nrm.linkage.records import PersonRecord

__all__ = [
    "DEFAULT_THRESHOLD", "CandidatePair", "FieldComparison", "PersonRecord", "clusters_of",
    "find_duplicates", "find_matches",
]

# A pair at or above this probability is a candidate for review. Chosen on the benchmarks
# (bench/linkage): it keeps recall on the cross-script set while the review list stays short.
DEFAULT_THRESHOLD = 0.9

PERSON_SCHEMA = {
    "unique_id": "str", "given": "str", "family": "str", "father": "str", "tokens": "list",
    "given_cons": "str", "family_cons": "str", "initials": "str", "birth_date": "str",
    "birth_ym": "str", "birth_year": "int", "sex": "str", "citizenship": "str", "source": "str",
    "is_new": "int",
}


def find_duplicates(
    records: Sequence[PersonRecord], *, threshold: float = DEFAULT_THRESHOLD,
    progress: ProgressReport = no_progress, backend: str | None = None,
) -> list[CandidatePair]:
    """Pairs of records within one set that are probably the same person, best first.

    Trains on these records themselves. Raises ValueError for a duplicated record id or a
    birth date that is not YYYY, YYYY-MM or YYYY-MM-DD.
    """
    check_unique_ids(records)
    progress(0, 4, gettext_noop("Preparing the records"))
    if len(records) < 2:
        return []
    columns = prepare_people(records)
    engine = open_backend(backend)
    try:
        pairs, _training = run(PERSON_MODEL, columns, PERSON_SCHEMA, engine,
                               threshold=threshold, progress=progress)
    finally:
        engine.close()
    return pairs


def find_matches(
    new: Sequence[PersonRecord], existing: Sequence[PersonRecord], *,
    threshold: float = DEFAULT_THRESHOLD, progress: ProgressReport = no_progress,
    backend: str | None = None,
) -> list[CandidatePair]:
    """Pairs that involve a new record: new against existing, and new against new; never two
    existing records (those were compared when they were new). Best first.

    The model is trained on all the records together. Raises ValueError as find_duplicates,
    also when a new record has the id of an existing one.
    """
    check_unique_ids([*new, *existing])
    progress(0, 4, gettext_noop("Preparing the records"))
    if not new or len(new) + len(existing) < 2:
        return []
    columns = prepare_people(new, is_new=True)
    for name, values in prepare_people(existing).items():
        columns[name].extend(values)
    engine = open_backend(backend)
    try:
        pairs, _training = run(PERSON_MODEL, columns, PERSON_SCHEMA, engine,
                               threshold=threshold, progress=progress,
                               blocking_filter=" AND (l.is_new = 1 OR r.is_new = 1)")
    finally:
        engine.close()
    return pairs


def clusters_of(
    record_ids: Iterable[str], pairs: Iterable[CandidatePair], *,
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[str, str]:
    """Record id → cluster id: connected components over the pairs at or above ``threshold``.

    A cluster's id is its smallest record id, so that it is stable when the same records are
    clustered again; a record in no such pair is a cluster of its own.
    """
    parent: dict[str, str] = {record_id: record_id for record_id in record_ids}

    def root(node: str) -> str:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in pairs:
        if pair.match_probability < threshold:
            continue
        for node in (pair.left_id, pair.right_id):
            parent.setdefault(node, node)
        left, right = root(pair.left_id), root(pair.right_id)
        if left != right:
            if right < left:
                left, right = right, left
            parent[right] = left
    return {node: root(node) for node in parent}
