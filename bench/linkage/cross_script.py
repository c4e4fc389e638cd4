"""Cross-script accuracy: nrm's person model against a generic baseline, on the same records.

The baseline is what one would build without nrm's normalisation: names transliterated by a
generic library (Unidecode), lower-cased, and Splink's stock comparisons (its name comparison
with Jaro-Winkler levels, its date-of-birth comparison, exact sex and citizenship), blocked and
trained the same way as nrm's model, at the same threshold.
"""

from __future__ import annotations

import time
from typing import Any

from bench.linkage.generator import Dataset
from bench.linkage.metrics import Score, score, true_pairs


def nrm_score(dataset: Dataset, *, threshold: float) -> tuple[Score, float, int]:
    from nrm.linkage.engine import find_duplicates

    started = time.perf_counter()
    pairs = find_duplicates(dataset.records, threshold=threshold)
    seconds = time.perf_counter() - started
    found = [(pair.left_id, pair.right_id) for pair in pairs]
    return score(found, true_pairs(dataset.person_of)), seconds, len(pairs)


def _generic_table(dataset: Dataset) -> Any:
    import pandas as pd
    from unidecode import unidecode

    def latin(text: str) -> str | None:
        folded = unidecode(text).lower().strip()
        return folded or None

    rows = []
    for record in dataset.records:
        born = record.birth_date
        rows.append({
            "unique_id": record.record_id,
            "given": latin(record.given_name),
            "family": latin(record.family_name),
            "patronymic": latin(record.patronymic),
            # Splink's date comparison needs whole dates; partial ones are unknown to it.
            "birth_date": born if len(born) == 10 else None,
            "birth_year": born[:4] or None,
            "sex": record.sex or None,
            "citizenship": record.citizenship or None,
        })
    return pd.DataFrame(rows)


def baseline_score(dataset: Dataset, *, threshold: float) -> tuple[Score, float]:
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from nrm.linkage.engine.backends import memory_limit, temp_directory

    started = time.perf_counter()
    connection = duckdb.connect(config={"memory_limit": memory_limit(),
                                        "temp_directory": str(temp_directory())})
    db_api = DuckDBAPI(connection=connection)
    frame = db_api.register(_generic_table(dataset), table_name="generic")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given"),
            cl.NameComparison("family"),
            cl.NameComparison("patronymic"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("citizenship"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given", "family"),
            block_on("family", "birth_year"),
            block_on("given", "birth_year"),
            block_on("birth_date"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(frame, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given", "family", "birth_date")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date"), estimate_without_term_frequencies=True)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given", "family"), estimate_without_term_frequencies=True)
    predictions = linker.inference.predict(threshold_match_probability=threshold,
                                           warning_mode="never").as_pandas_dataframe()
    found = list(zip(predictions["unique_id_l"], predictions["unique_id_r"], strict=True))
    connection.close()
    return score(found, true_pairs(dataset.person_of)), time.perf_counter() - started
