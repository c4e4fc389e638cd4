"""A candidate pair's explanation, as a reviewer reads it: for each field compared, how it
compared (the engine's words, in the reader's language) and how strongly that speaks for or
against one person. The values compared are never part of it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

# The fields the engine compares (its FieldComparison.field), named for people.
FIELD_LABELS: dict[str, Promise] = {
    "given_name": gettext_lazy("Given name"),
    # The engine compares the father's name, from a patronymic of any style ("Бакытовна",
    # "Кайрат кызы") or a family name made from it ("Қайратқызы").
    "patronymic": gettext_lazy("Father's name"),
    "family_name": gettext_lazy("Family name"),
    "birth_date": gettext_lazy("Birth date"),
    "sex": gettext_lazy("Sex"),
    "citizenship": gettext_lazy("Citizenship"),
}

# Match weights are log2 Bayes factors: +3 makes a match 8 times likelier, −3 8 times less.
STRONG = 3.0
WEAK = 0.5
STRONGLY_FOR = pgettext_lazy("match evidence", "Strongly for")
FOR = pgettext_lazy("match evidence", "For")
SAYS_LITTLE = pgettext_lazy("match evidence", "Says little")
AGAINST = pgettext_lazy("match evidence", "Against")
STRONGLY_AGAINST = pgettext_lazy("match evidence", "Strongly against")


@dataclass(frozen=True)
class ExplainedField:
    field: str
    label: str
    comparison: str
    match_weight: float
    strength: str  # a CSS class: for-strong, for, neutral, against, against-strong
    strength_label: str
    bar: int  # 0–100, the weight's share of the strongest weight in the explanation


def _strength(weight: float) -> tuple[str, Promise]:
    if weight >= STRONG:
        return "for-strong", STRONGLY_FOR
    if weight > WEAK:
        return "for", FOR
    if weight >= -WEAK:
        return "neutral", SAYS_LITTLE
    if weight > -STRONG:
        return "against", AGAINST
    return "against-strong", STRONGLY_AGAINST


def explain(comparisons: Iterable[Mapping[str, Any]]) -> list[ExplainedField]:
    """The stored explanation of a pair, strongest evidence first, in the reader's language."""
    rows = list(comparisons)
    strongest = max((abs(float(row.get("match_weight", 0))) for row in rows), default=0) or 1
    explained = []
    for row in rows:
        weight = float(row.get("match_weight", 0))
        field = str(row.get("field", ""))
        css, strength = _strength(weight)
        label = FIELD_LABELS.get(field)
        explained.append(ExplainedField(
            field=field,
            label=str(label) if label is not None else field.replace("_", " ").capitalize(),
            # Stored untranslated (its msgid), translated for whoever reads it.
            comparison=gettext(str(row.get("label") or row.get("level") or "")),
            match_weight=weight, strength=css, strength_label=str(strength),
            bar=round(100 * abs(weight) / strongest),
        ))
    return sorted(explained, key=lambda row: -abs(row.match_weight))
