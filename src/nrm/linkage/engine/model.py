"""What a linkage model is made of, independent of the records it compares: comparisons with
explained levels, blocking rules, and the fixed parameters it falls back on.

A level's SQL is written once with placeholders for the few functions whose names differ
between DuckDB and Spark (``{jw}`` Jaro-Winkler similarity, ``{contains}`` array membership),
so that the same model runs on either backend.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

# Function names per SQL dialect. Spark's Jaro-Winkler comes from Splink's Scala UDF jar.
DIALECT_FUNCTIONS: dict[str, dict[str, str]] = {
    "duckdb": {"jw": "jaro_winkler_similarity", "contains": "list_contains",
               "lev": "levenshtein"},
    "spark": {"jw": "jaro_winkler", "contains": "array_contains", "lev": "levenshtein"},
}


@dataclass(frozen=True)
class FieldComparison:
    """How one field of a candidate pair compared, and how much that counted."""

    field: str  # "name", "birth_date", "sex", "citizenship", …
    level: str  # short stable code: "exact", "sound_alike", "year_only", "different", "missing"…
    label: str | Promise  # what that means, for people (gettext_lazy)
    match_weight: float  # the log2 Bayes factor this comparison contributed


@dataclass(frozen=True)
class CandidatePair:
    """Two records that may be the same person, with the evidence."""

    left_id: str
    right_id: str
    match_probability: float
    match_weight: float
    comparisons: tuple[FieldComparison, ...]


@dataclass(frozen=True)
class Level:
    """One level of a comparison: a condition, its code and label, and fallback m and u."""

    code: str
    label: str | Promise
    sql: str  # a condition on columns suffixed _l and _r; "" for the last, "else" level
    m: float
    u: float
    tf_column: str = ""  # term-frequency adjustment on this column (exact levels of names)
    is_null: bool = False
    fixed_m: bool = False  # m is set from experience, never re-estimated


@dataclass(frozen=True)
class Comparison:
    """One field compared through ordered levels: the first whose condition holds applies."""

    field: str  # the code in FieldComparison.field and Splink's output column name
    description: str
    levels: tuple[Level, ...]

    def splink(self, dialect: str, *, term_frequencies: bool = True) -> dict[str, Any]:
        """This comparison as a Splink comparison dictionary for ``dialect``; without term
        frequencies, a common name's agreement counts as much as a rare one's."""
        functions = DIALECT_FUNCTIONS[dialect]
        levels: list[dict[str, Any]] = []
        for level in self.levels:
            spec: dict[str, Any] = {
                "sql_condition": level.sql.format(**functions) if level.sql else "ELSE",
                "label_for_charts": level.code,
                "m_probability": level.m,
                "u_probability": level.u,
            }
            if level.is_null:
                spec["is_null_level"] = True
                del spec["m_probability"], spec["u_probability"]
            if level.fixed_m and not level.is_null:
                spec["fix_m_probability"] = True
            if level.tf_column and term_frequencies:
                spec["tf_adjustment_column"] = level.tf_column
                spec["tf_adjustment_weight"] = 1.0
            levels.append(spec)
        return {"output_column_name": self.field, "comparison_description": self.description,
                "comparison_levels": levels}

    def level_for_gamma(self, gamma: int) -> Level:
        """The level Splink's comparison vector value points to (-1 for the null level)."""
        if gamma < 0:
            return next(level for level in self.levels if level.is_null)
        # Splink numbers the non-null levels from the last (0, "else") to the first.
        ranked = [level for level in self.levels if not level.is_null]
        return ranked[len(ranked) - 1 - gamma]


@dataclass(frozen=True)
class ModelSpec:
    """Everything that defines a linkage model for one kind of record."""

    comparisons: tuple[Comparison, ...]
    blocking_rules: tuple[str, ...]  # SQL on l. and r.; their union makes the candidates
    # Blocking rules for expectation maximisation, in order; an entry may be a tuple of
    # alternatives, tried in turn until one gives pairs to learn from.
    training_rules: tuple[str | tuple[str, ...], ...]
    deterministic_rules: tuple[str, ...]  # near-certain matches, to estimate the match rate
    deterministic_recall: float = 0.7
    columns: tuple[str, ...] = ()  # every prepared column, for the input table
    extra_settings: dict[str, Any] = field(default_factory=dict)

    def comparison(self, field_code: str) -> Comparison:
        return next(c for c in self.comparisons if c.field == field_code)


def probability_from_weight(weight: float) -> float:
    """Match probability from a total match weight (log2 odds)."""
    if weight > 60:
        return 1.0
    if weight < -60:
        return 0.0
    odds = math.pow(2.0, weight)
    return odds / (1.0 + odds)
