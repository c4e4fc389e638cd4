"""The screening logic: from answers to a result with its reasons. Pure: no database.

Palermo rule: Act, Means and Purpose are each met when any indicator speaking to the element is
answered yes, not met when every such indicator is answered no, and not known otherwise.
Reasonable grounds when Act and Purpose are met and Means is met or the person is a child
(under 18 at recruitment, or of disputed age until assessed).

ILO/EC combination rule (counts only indicators whose strength is verified): a dimension is
positive with at least two strong indicators answered yes, or one strong and one medium or weak.
The combination is satisfied when a recruitment dimension and exploitative conditions are
positive and, for an adult, also coercion or abuse of vulnerability at destination. The rule
follows a secondary summary of the ILO/EC publication; while catalogue strengths are unverified
it never fires, by design.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext_lazy as _

from nrm.identification.choices import (
    Answer,
    Dimension,
    Element,
    IndicatorGroup,
    ScreeningResult,
    Strength,
)


class IndicatorLike(Protocol):
    code: str
    group: str
    element: str
    dimension: str
    strength: str
    indicator_set: str


RECRUITMENT = (Dimension.DECEPTIVE_RECRUITMENT, Dimension.COERCIVE_RECRUITMENT,
               Dimension.VULNERABILITY_RECRUITMENT)
DESTINATION = (Dimension.COERCION_AT_DESTINATION, Dimension.VULNERABILITY_AT_DESTINATION)

# Recruitment is itself an Act, and how it was done is a Means.
DIMENSION_ELEMENTS: dict[str, tuple[Element, ...]] = {
    Dimension.DECEPTIVE_RECRUITMENT: (Element.ACT, Element.MEANS),
    Dimension.COERCIVE_RECRUITMENT: (Element.ACT, Element.MEANS),
    Dimension.VULNERABILITY_RECRUITMENT: (Element.ACT, Element.MEANS),
    Dimension.EXPLOITATIVE_CONDITIONS: (Element.PURPOSE,),
    Dimension.COERCION_AT_DESTINATION: (Element.MEANS,),
    Dimension.VULNERABILITY_AT_DESTINATION: (Element.MEANS,),
}

VERIFIED_STRENGTHS = (Strength.STRONG, Strength.MEDIUM, Strength.WEAK)

REASON_TEXTS = {
    "element_met": _("%(element)s is met: answered yes to %(indicators)s."),
    "element_not_met": _("%(element)s is not met: every question on it was answered no "
                         "(%(indicators)s)."),
    "element_unknown": _("%(element)s is not known yet: still unknown are %(indicators)s."),
    "element_not_asked": _("%(element)s is not known yet: no question on it was answered."),
    "child": _("The person is treated as a child (under 18 at recruitment, or age disputed "
               "and not yet assessed): Act and Purpose suffice, Means is not required."),
    "result_reasonable_grounds": _("Act, Purpose and (for an adult) Means are met: there are "
                                   "reasonable grounds to presume trafficking."),
    "result_insufficient": _("%(element)s is required and every question on it was answered "
                             "no: the indicators are insufficient."),
    "result_more_information": _("%(element)s is required and not known yet: more information "
                                 "is needed."),
    "ilo_ec_dimension": _("ILO/EC dimension “%(dimension)s” is positive by %(indicators)s."),
    "ilo_ec_satisfied": _("The ILO/EC combination of dimensions is satisfied: there are "
                          "reasonable grounds to presume trafficking."),
    "ilo_ec_not_satisfied": _("The ILO/EC combination of dimensions is not satisfied."),
    "ilo_ec_unverified": _("The strength of %(indicators)s is not verified against the ILO "
                           "publication, so they do not count toward the ILO/EC combination."),
}


@dataclass(frozen=True)
class Reason:
    """One sentence of the explanation, kept as a code and its values so that it is rendered
    in the reader's language, not the screener's."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, *, labels: Mapping[str, str] | None = None) -> str:
        """The translated sentence; `labels` may name indicators by their text, not code."""
        template = REASON_TEXTS.get(self.code)
        if template is None:
            return self.code
        values: dict[str, str] = {}
        for key, value in self.params.items():
            if key == "element":
                values[key] = str(Element(value).label)
            elif key == "dimension":
                values[key] = str(Dimension(value).label)
            elif key == "indicators":
                names = [(labels or {}).get(code, code) for code in value]
                values[key] = ", ".join(names)
            else:
                values[key] = str(value)
        return str(template) % values


@dataclass(frozen=True)
class ElementFinding:
    met: bool | None
    yes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    no: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class IloEcFinding:
    # Positive dimension → the verified indicators answered yes that make it so.
    dimensions: dict[str, list[str]]
    satisfied: bool
    # Indicators answered yes whose strength is unverified: shown, never counted.
    unverified: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Assessment:
    result: ScreeningResult
    elements: dict[Element, ElementFinding]
    ilo_ec: IloEcFinding | None
    reasons: list[Reason]
    child: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "result": str(self.result),
            "child": self.child,
            "elements": {
                str(element): {"met": finding.met, "yes": finding.yes,
                               "unknown": finding.unknown, "no": finding.no}
                for element, finding in self.elements.items()
            },
            "ilo_ec": None if self.ilo_ec is None else {
                "dimensions": self.ilo_ec.dimensions, "satisfied": self.ilo_ec.satisfied,
                "unverified": self.ilo_ec.unverified,
            },
            "reasons": [{"code": reason.code, "params": reason.params}
                        for reason in self.reasons],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Assessment:
        ilo_ec = data.get("ilo_ec")
        return cls(
            result=ScreeningResult(data["result"]),
            child=bool(data.get("child", False)),
            elements={
                Element(element): ElementFinding(
                    met=finding["met"], yes=list(finding.get("yes", [])),
                    unknown=list(finding.get("unknown", [])), no=list(finding.get("no", [])))
                for element, finding in data.get("elements", {}).items()
            },
            ilo_ec=None if ilo_ec is None else IloEcFinding(
                dimensions={k: list(v) for k, v in ilo_ec.get("dimensions", {}).items()},
                satisfied=bool(ilo_ec.get("satisfied")),
                unverified=list(ilo_ec.get("unverified", [])),
            ),
            reasons=[Reason(item["code"], dict(item.get("params", {})))
                     for item in data.get("reasons", [])],
        )


def elements_of(indicator: IndicatorLike) -> tuple[Element, ...]:
    """The Palermo elements an answer to this indicator speaks to."""
    if indicator.group == IndicatorGroup.ILO_EC and indicator.dimension in DIMENSION_ELEMENTS:
        return DIMENSION_ELEMENTS[indicator.dimension]
    if indicator.element in Element.values:
        return (Element(indicator.element),)
    return ()


def _finding(answers: list[tuple[str, str]]) -> ElementFinding:
    yes = [code for code, answer in answers if answer == Answer.YES]
    no = [code for code, answer in answers if answer == Answer.NO]
    unknown = [code for code, answer in answers if answer not in (Answer.YES, Answer.NO)]
    if yes:
        met: bool | None = True
    elif answers and not unknown:
        met = False
    else:
        met = None
    return ElementFinding(met=met, yes=yes, unknown=unknown, no=no)


def _dimension_positive(strengths: list[str]) -> bool:
    strong = strengths.count(Strength.STRONG)
    other = strengths.count(Strength.MEDIUM) + strengths.count(Strength.WEAK)
    return strong >= 2 or (strong >= 1 and other >= 1)


def _ilo_ec(answers: list[tuple[IndicatorLike, str]], *, child: bool) -> IloEcFinding | None:
    asked = [(indicator, answer) for indicator, answer in answers
             if indicator.group == IndicatorGroup.ILO_EC]
    if not asked:
        return None
    by_dimension: dict[str, list[IndicatorLike]] = {}
    unverified: list[str] = []
    for indicator, answer in asked:
        if answer != Answer.YES:
            continue
        if indicator.strength in VERIFIED_STRENGTHS:
            by_dimension.setdefault(indicator.dimension, []).append(indicator)
        else:
            unverified.append(indicator.code)
    positive = {
        dimension: [indicator.code for indicator in indicators]
        for dimension, indicators in by_dimension.items()
        if _dimension_positive([indicator.strength for indicator in indicators])
    }
    satisfied = (any(d in positive for d in RECRUITMENT)
                 and Dimension.EXPLOITATIVE_CONDITIONS in positive
                 and (child or any(d in positive for d in DESTINATION)))
    return IloEcFinding(dimensions=positive, satisfied=satisfied, unverified=unverified)


def _element_reasons(elements: Mapping[Element, ElementFinding]) -> list[Reason]:
    reasons: list[Reason] = []
    for element, finding in elements.items():
        if finding.met is True:
            reasons.append(Reason("element_met", {"element": str(element),
                                                  "indicators": finding.yes}))
        elif finding.met is False:
            reasons.append(Reason("element_not_met", {"element": str(element),
                                                      "indicators": finding.no}))
        elif finding.unknown:
            reasons.append(Reason("element_unknown", {"element": str(element),
                                                      "indicators": finding.unknown}))
        else:
            reasons.append(Reason("element_not_asked", {"element": str(element)}))
    return reasons


def _ilo_ec_reasons(ilo_ec: IloEcFinding | None) -> list[Reason]:
    if ilo_ec is None:
        return []
    reasons = [Reason("ilo_ec_dimension", {"dimension": dimension, "indicators": codes})
               for dimension, codes in ilo_ec.dimensions.items()]
    if ilo_ec.unverified:
        reasons.append(Reason("ilo_ec_unverified", {"indicators": ilo_ec.unverified}))
    if ilo_ec.satisfied:
        # Said even when the Palermo rule holds too: a second, independent ground.
        reasons.append(Reason("ilo_ec_satisfied"))
    elif ilo_ec.dimensions:
        reasons.append(Reason("ilo_ec_not_satisfied"))
    return reasons


def _result(elements: Mapping[Element, ElementFinding], *, child: bool,
            ilo_ec_satisfied: bool) -> tuple[ScreeningResult, list[Reason]]:
    required = [Element.ACT, Element.PURPOSE] if child else [Element.ACT, Element.MEANS,
                                                             Element.PURPOSE]
    if all(elements[element].met is True for element in required):
        return ScreeningResult.REASONABLE_GROUNDS, [Reason("result_reasonable_grounds")]
    if ilo_ec_satisfied:
        return ScreeningResult.REASONABLE_GROUNDS, []
    failed = [element for element in required if elements[element].met is False]
    if failed:
        return ScreeningResult.INSUFFICIENT, [
            Reason("result_insufficient", {"element": str(element)}) for element in failed]
    return ScreeningResult.MORE_INFORMATION, [
        Reason("result_more_information", {"element": str(element)})
        for element in required if elements[element].met is None]


def assess(*, answers: Iterable[tuple[IndicatorLike, str]], child: bool) -> Assessment:
    """The result of a screening with every reason for it, naming the indicators behind each."""
    answers = list(answers)
    per_element: dict[Element, list[tuple[str, str]]] = {element: [] for element in Element}
    for indicator, answer in answers:
        for element in elements_of(indicator):
            per_element[element].append((indicator.code, answer))
    elements = {element: _finding(items) for element, items in per_element.items()}
    ilo_ec = _ilo_ec(answers, child=child)

    reasons = _element_reasons(elements)
    if child:
        reasons.append(Reason("child"))
    reasons.extend(_ilo_ec_reasons(ilo_ec))
    result, result_reasons = _result(elements, child=child,
                                     ilo_ec_satisfied=ilo_ec is not None and ilo_ec.satisfied)
    reasons.extend(result_reasons)
    return Assessment(result=result, elements=elements, ilo_ec=ilo_ec, reasons=reasons,
                      child=child)
