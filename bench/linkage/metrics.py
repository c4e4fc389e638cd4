"""Pair-level precision, recall and F1 against the ground truth."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations


@dataclass(frozen=True)
class Score:
    true_pairs: int
    found_pairs: int
    correct: int

    @property
    def precision(self) -> float:
        return self.correct / self.found_pairs if self.found_pairs else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_pairs if self.true_pairs else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def line(self) -> str:
        return (f"F1 {self.f1:.4f}  precision {self.precision:.4f}  recall {self.recall:.4f}  "
                f"({self.correct:,} of {self.found_pairs:,} found pairs right, "
                f"{self.true_pairs:,} true pairs)")

    def as_dict(self) -> dict[str, float]:
        return {"f1": round(self.f1, 4), "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "true_pairs": self.true_pairs,
                "found_pairs": self.found_pairs}


def true_pairs(entity_of: Mapping[str, Hashable]) -> set[frozenset[str]]:
    """Every pair of records of the same entity."""
    groups: dict[Hashable, list[str]] = defaultdict(list)
    for record_id, entity in entity_of.items():
        groups[entity].append(record_id)
    return {frozenset(pair) for ids in groups.values() for pair in combinations(ids, 2)}


def score(found: Iterable[tuple[str, str]], truth: set[frozenset[str]]) -> Score:
    found_set = {frozenset(pair) for pair in found}
    return Score(true_pairs=len(truth), found_pairs=len(found_set),
                 correct=len(found_set & truth))
