"""Train a model on the records themselves, predict the candidate pairs, explain each pair.

Training follows Fellegi-Sunter as Splink implements it: the share of matching pairs from
near-certain rules, u (how often non-matches agree by chance) from random pairs, m (how often
matches agree) by expectation maximisation over blocked pairs. A set too small to learn from
(fewer than MIN_RECORDS_TO_TRAIN records), or a step that fails, keeps the model's fixed
parameters (each Level's m and u), which are what a registry of 30 persons is scored with.
"""

from __future__ import annotations

import logging
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop

from nrm.core.jobs import ProgressReport, no_progress
from nrm.linkage.engine.backends import Backend
from nrm.linkage.engine.model import CandidatePair, FieldComparison, ModelSpec

logger = logging.getLogger(__name__)

# Below this many records the fixed parameters are used: u from random pairs and m from
# expectation maximisation are too noisy on a few hundred records to beat them.
MIN_RECORDS_TO_TRAIN = 1000
# Pairs sampled at random to estimate u: enough for stable rare levels, bounded in time.
U_SAMPLE_PAIRS = 2_000_000
# Pairs expectation maximisation learns from, at most: more adds time, not accuracy.
EM_MAX_PAIRS = 2_000_000
SEED = 6  # every random step is seeded: the same records give the same model and pairs


@dataclass
class Training:
    """What training learnt and what it fell back on, for logs and for the benchmark."""

    trained_u: bool = False
    trained_m: list[str] = field(default_factory=list)
    match_rate_from_data: bool = False
    probability_two_random_records_match: float = 0.0
    notes: list[str] = field(default_factory=list)


def _quiet_splink() -> None:
    # Splink explains itself at INFO and warns about untrained levels; our own caller reports.
    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)


def fallback_match_rate(records: int) -> float:
    """The prior share of matching pairs when it cannot be estimated: about one duplicate for
    every five records."""
    if records < 2:
        return 0.5
    return min(0.5, max(1e-9, 0.4 / (records - 1)))


def build_linker(spec: ModelSpec, table: Any, backend: Backend, *, records: int,
                 blocking_filter: str = "", link_type: str = "dedupe_only",
                 table_name: str = "") -> Any:
    """A Splink linker for ``table`` with the model's comparisons and fixed parameters."""
    from splink import Linker

    _quiet_splink()
    # A Spark session outlives one run and keeps its tables: every run names its own.
    table_name = table_name or f"records_{uuid.uuid4().hex[:12]}"
    rules = [f"({rule}){blocking_filter}" for rule in spec.blocking_rules]
    settings: dict[str, Any] = {
        "link_type": link_type,
        "unique_id_column_name": "unique_id",
        # How common a name is can only be learnt from enough names.
        "comparisons": [
            comparison.splink(backend.dialect,
                              term_frequencies=records >= MIN_RECORDS_TO_TRAIN)
            for comparison in spec.comparisons
        ],
        "blocking_rules_to_generate_predictions": rules,
        "probability_two_random_records_match": fallback_match_rate(records),
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": True,  # the weights that explain a pair
        "max_iterations": 20,
        "em_convergence": 0.001,
        **spec.extra_settings,
    }
    if isinstance(table, list):
        frames = [backend.db_api.register(t, table_name=f"{table_name}_{i}")
                  for i, t in enumerate(table)]
        return Linker(frames, settings, log_level=None)
    frame = backend.db_api.register(table, table_name=table_name)
    return Linker(frame, settings, log_level=None)


def train(linker: Any, spec: ModelSpec, *, records: int) -> Training:
    """Train what the data allows; keep the fixed parameters for the rest."""
    training = Training(
        probability_two_random_records_match=fallback_match_rate(records))
    if records < MIN_RECORDS_TO_TRAIN:
        training.notes.append(f"{records} records: fixed parameters")
        return training
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("match rate", lambda: linker.training.estimate_probability_two_random_records_match(
            list(spec.deterministic_rules), recall=spec.deterministic_recall)),
        ("u", lambda: linker.training.estimate_u_using_random_sampling(
            max_pairs=U_SAMPLE_PAIRS, seed=SEED)),
    ]
    for entry in spec.training_rules:
        steps.append((f"m: {entry}", _em_step(linker, entry)))
    for name, step in steps:
        # Splink's expectation maximisation narrows the linker's own comparisons while it
        # trains and restores them only when it succeeds: keep a copy to put back on failure.
        saved = linker._settings_obj.core_model_settings.copy()
        try:
            step()
        except Exception as error:  # Splink raises many kinds; each falls back alike
            linker._settings_obj.core_model_settings = saved
            training.notes.append(f"{name}: kept fixed parameters ({str(error)[:200]})")
            continue
        if name.startswith("m: "):
            implausible = _restore_implausible(linker, saved)
            if implausible:
                training.notes.append(f"{name}: implausible m kept fixed for "
                                      f"{', '.join(implausible)}")
        if name == "match rate":
            rate = linker._settings_obj._probability_two_random_records_match
            if not 0 < rate < 1 or math.isnan(rate):
                linker._settings_obj._probability_two_random_records_match = (
                    training.probability_two_random_records_match)
                training.notes.append("match rate: kept the prior")
                continue
            training.match_rate_from_data = True
            training.probability_two_random_records_match = rate
        elif name == "u":
            training.trained_u = True
        else:
            training.trained_m.append(name)
    return training


def _restore_implausible(linker: Any, before: Any) -> list[str]:
    """Put back the m of every comparison that training made implausible: agreement less
    likely among matches than disagreement. That happens when a training block holds almost
    no true matches (a registry whose duplicates never share a whole birth date)."""
    restored = []
    now = linker._settings_obj.core_model_settings
    for comparison in now.comparisons:
        levels = [level for level in comparison.comparison_levels if not level.is_null_level]
        agree, differ = levels[0].m_probability, levels[-1].m_probability
        if agree is None or differ is None or agree >= differ:
            continue
        previous = before.get_comparison_by_output_column_name(comparison.output_column_name)
        old_levels = [level for level in previous.comparison_levels if not level.is_null_level]
        for level, old in zip(levels, old_levels, strict=True):
            level.m_probability = old.m_probability
        restored.append(comparison.output_column_name)
    return restored


def _em_step(linker: Any, entry: str | tuple[str, ...]) -> Callable[[], Any]:
    """Expectation maximisation over the first of the alternatives that gives pairs."""
    alternatives = (entry,) if isinstance(entry, str) else entry

    def step() -> None:
        for number, rule in enumerate(alternatives, start=1):
            saved = linker._settings_obj.core_model_settings.copy()
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(
                    rule, estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS)
            except Exception:
                linker._settings_obj.core_model_settings = saved
                if number == len(alternatives):
                    raise
            else:
                return

    return step


def predict(linker: Any, *, threshold: float) -> Any:
    """The scored candidate pairs at or above ``threshold``, as a Splink dataframe."""
    return linker.inference.predict(threshold_match_probability=threshold, warning_mode="never")


def explanation_columns(linker: Any, spec: ModelSpec, predictions: Any) -> Any:
    """Only the columns that explain a pair, as an arrow table (the predictions also hold
    every compared value, which nobody downstream needs)."""
    present = {column.unquote().name for column in predictions.columns}
    wanted = ["unique_id_l", "unique_id_r", "match_probability", "match_weight"]
    for comparison in spec.comparisons:
        wanted += [f"gamma_{comparison.field}", f"mw_{comparison.field}"]
        if f"mw_tf_adj_{comparison.field}" in present:
            wanted.append(f"mw_tf_adj_{comparison.field}")
    # Column and table names are the model's and Splink's own, never input.
    sql = f"SELECT {', '.join(wanted)} FROM {predictions.physical_name}"  # noqa: S608
    return linker.misc.query_sql(sql, output_type="splink_df").as_pyarrow_table()


def pairs_from_arrow(spec: ModelSpec, arrow: Any, *, threshold: float) -> list[CandidatePair]:
    """Splink's predictions as candidate pairs with one explanation per compared field.

    Explanations repeat (a million pairs share a few thousand distinct field, level and
    weight), so each distinct one is made once, with numpy, and shared between pairs.
    """
    import numpy as np

    probability = arrow.column("match_probability").to_numpy(zero_copy_only=False)
    keep = np.flatnonzero(probability >= threshold)
    explained_fields: list[list[FieldComparison]] = []
    for comparison in spec.comparisons:
        name = comparison.field
        gamma = arrow.column(f"gamma_{name}").to_numpy(zero_copy_only=False)[keep]
        weight = np.nan_to_num(
            arrow.column(f"mw_{name}").to_numpy(zero_copy_only=False)[keep].astype(float))
        if f"mw_tf_adj_{name}" in arrow.column_names:
            weight = weight + np.nan_to_num(arrow.column(f"mw_tf_adj_{name}").to_numpy(
                zero_copy_only=False)[keep].astype(float))
        keys = np.stack([gamma.astype(float), np.round(weight, 4)], axis=1)
        distinct, index = np.unique(keys, axis=0, return_inverse=True)
        made = [FieldComparison(field=name, level=level.code, label=level.label,
                                match_weight=float(w))
                for g, w in distinct
                for level in (comparison.level_for_gamma(int(g)),)]
        explained_fields.append([made[i] for i in index.reshape(-1)])
    left_ids = arrow.column("unique_id_l").to_numpy(zero_copy_only=False)[keep]
    right_ids = arrow.column("unique_id_r").to_numpy(zero_copy_only=False)[keep]
    weights = arrow.column("match_weight").to_numpy(zero_copy_only=False)[keep]
    pairs: list[CandidatePair] = []
    for row, explained in enumerate(zip(*explained_fields, strict=True)):
        left, right = str(left_ids[row]), str(right_ids[row])
        if right < left:
            left, right = right, left
        pairs.append(CandidatePair(
            left_id=left, right_id=right, match_probability=float(probability[keep[row]]),
            match_weight=float(weights[row]), comparisons=explained,
        ))
    pairs.sort(key=lambda pair: (-pair.match_probability, pair.left_id, pair.right_id))
    return pairs


def run(spec: ModelSpec, columns: dict[str, list[Any]], schema: dict[str, str],
        backend: Backend, *, threshold: float, blocking_filter: str = "",
        progress: ProgressReport = no_progress) -> tuple[list[CandidatePair], Training]:
    """Train on the prepared records and return their candidate pairs above ``threshold``."""
    records = len(columns["unique_id"])
    progress(1, 4, gettext_noop("Training the model on the records"))
    linker = build_linker(spec, backend.table(columns, schema), backend, records=records,
                          blocking_filter=blocking_filter)
    training = train(linker, spec, records=records)
    progress(2, 4, gettext_noop("Comparing candidate pairs"))
    predictions = predict(linker, threshold=threshold)
    progress(3, 4, gettext_noop("Explaining the pairs found"))
    pairs = pairs_from_arrow(spec, explanation_columns(linker, spec, predictions),
                             threshold=threshold)
    predictions.drop_table_from_database_and_remove_from_cache()
    progress(4, 4, gettext_noop("Done"))
    logger.info("linkage: %s records, %s pairs; %s", records, len(pairs), training)
    return pairs, training
