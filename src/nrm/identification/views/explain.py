"""An assessment put into words for a page: each element met or not and by which answers,
in the reader's language (indicator texts and reasons are rendered when read, not stored)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from nrm.identification.choices import Dimension, Element, ScreeningResult
from nrm.identification.logic import Assessment
from nrm.identification.models import IndicatorCatalogue


@dataclass(frozen=True)
class ElementInWords:
    label: str
    met: bool | None
    yes: list[str]
    unknown: list[str]


@dataclass(frozen=True)
class AssessmentInWords:
    result: str
    result_label: str
    elements: list[ElementInWords]
    reasons: list[str]
    # ILO/EC: whether the combination rule is satisfied, and each positive dimension with
    # the verified indicators behind it; unverified ones are shown but never counted.
    ilo_ec_satisfied: bool | None = None
    ilo_ec_dimensions: list[tuple[str, list[str]]] = field(default_factory=list)
    ilo_ec_unverified: list[str] = field(default_factory=list)


def explained(explanation: dict[str, Any], catalogue: IndicatorCatalogue) -> AssessmentInWords:
    """The stored explanation of a screening, with indicator texts in the current language."""
    assessment = Assessment.from_json(explanation)
    texts = {indicator.code: indicator.text for indicator in catalogue.indicators.all()}
    elements = []
    for element in Element:
        finding = assessment.elements.get(element)
        if finding is None:
            continue
        elements.append(ElementInWords(
            label=str(element.label), met=finding.met,
            yes=[texts.get(code, code) for code in finding.yes],
            unknown=[texts.get(code, code) for code in finding.unknown],
        ))
    result = ScreeningResult(assessment.result)
    ilo_ec = assessment.ilo_ec
    return AssessmentInWords(
        result=str(result.value), result_label=str(result.label), elements=elements,
        reasons=[reason.text(labels=texts) for reason in assessment.reasons],
        ilo_ec_satisfied=None if ilo_ec is None else ilo_ec.satisfied,
        ilo_ec_dimensions=[] if ilo_ec is None else [
            (str(Dimension(dimension).label), [texts.get(code, code) for code in codes])
            for dimension, codes in ilo_ec.dimensions.items()],
        ilo_ec_unverified=[] if ilo_ec is None else [texts.get(code, code)
                                                      for code in ilo_ec.unverified],
    )
