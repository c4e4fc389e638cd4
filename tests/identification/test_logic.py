"""The screening logic: what a screener's answers lead to, and why, in words."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from nrm.identification.choices import (
    Answer,
    Dimension,
    Element,
    IndicatorGroup,
    IndicatorSet,
    ScreeningResult,
    Strength,
)
from nrm.identification.logic import Assessment, assess
from nrm.identification.models import Indicator, IndicatorCatalogue

YES, NO, UNKNOWN = Answer.YES, Answer.NO, Answer.UNKNOWN

pytestmark = pytest.mark.django_db


@pytest.fixture
def palermo() -> dict[str, Indicator]:
    catalogue = IndicatorCatalogue.objects.get(version="2026.1")
    return {indicator.code: indicator for indicator in
            catalogue.indicators.filter(group=IndicatorGroup.PALERMO)}


def answered(palermo: dict[str, Indicator], default: str, **answers: str
             ) -> list[tuple[Indicator, str]]:
    """Every Palermo question answered `default`, except those named (dots written as __)."""
    given = {code.replace("__", "."): answer for code, answer in answers.items()}
    return [(indicator, given.get(code, default)) for code, indicator in palermo.items()]


RECRUITED = "palermo__act__recruitment"
DECEIVED = "palermo__means__deception"
FORCED_LABOUR = "palermo__purpose__forced_labour"

# story, child, default answer, answers given, result, indicators named by the reasons
TABLE = [
    ("adult recruited, deceived and made to work", False, NO,
     {RECRUITED: YES, DECEIVED: YES, FORCED_LABOUR: YES},
     ScreeningResult.REASONABLE_GROUNDS,
     ["palermo.act.recruitment", "palermo.means.deception", "palermo.purpose.forced_labour"]),
    ("adult recruited and made to work, no means at all", False, NO,
     {RECRUITED: YES, FORCED_LABOUR: YES},
     ScreeningResult.INSUFFICIENT, ["palermo.means.force", "palermo.means.deception"]),
    ("adult recruited and made to work, means not known", False, UNKNOWN,
     {RECRUITED: YES, FORCED_LABOUR: YES},
     ScreeningResult.MORE_INFORMATION, ["palermo.means.abduction"]),
    ("child recruited and made to work, no means", True, NO,
     {RECRUITED: YES, FORCED_LABOUR: YES},
     ScreeningResult.REASONABLE_GROUNDS,
     ["palermo.act.recruitment", "palermo.purpose.forced_labour"]),
    ("adult recruited and deceived, purpose not known", False, NO,
     {RECRUITED: YES, DECEIVED: YES, "palermo__purpose__servitude": UNKNOWN},
     ScreeningResult.MORE_INFORMATION, ["palermo.purpose.servitude"]),
    ("nothing known yet", False, UNKNOWN, {},
     ScreeningResult.MORE_INFORMATION,
     ["palermo.act.recruitment", "palermo.means.force", "palermo.purpose.forced_labour"]),
]


@pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
def test_screening_table(palermo: dict[str, Indicator], row: tuple[Any, ...]) -> None:
    story, child, default, answers, result, named = row
    assessment = assess(answers=answered(palermo, default, **answers), child=child)

    assert assessment.result == result, story
    named_in_reasons = {code for reason in assessment.reasons
                        for code in reason.params.get("indicators", [])}
    assert set(named) <= named_in_reasons


def test_a_person_of_disputed_age_is_screened_as_a_child(palermo: dict[str, Indicator]) -> None:
    # Services pass child=True when the age is disputed; the logic then drops Means.
    answers = answered(palermo, NO, **{RECRUITED: YES, "palermo__purpose__forced_begging": YES})

    as_adult = assess(answers=answers, child=False)
    as_child = assess(answers=answers, child=True)

    assert as_adult.result == ScreeningResult.INSUFFICIENT
    assert as_child.result == ScreeningResult.REASONABLE_GROUNDS
    assert "child" in [reason.code for reason in as_child.reasons]


def test_elements_say_which_answers_met_them(palermo: dict[str, Indicator]) -> None:
    assessment = assess(answers=answered(palermo, NO, **{RECRUITED: YES, DECEIVED: UNKNOWN}),
                        child=False)

    assert assessment.elements[Element.ACT].met is True
    assert assessment.elements[Element.ACT].yes == ["palermo.act.recruitment"]
    assert assessment.elements[Element.MEANS].met is None
    assert assessment.elements[Element.MEANS].unknown == ["palermo.means.deception"]
    assert assessment.elements[Element.PURPOSE].met is False


def test_forced_labour_indicators_speak_to_means_and_purpose() -> None:
    catalogue = IndicatorCatalogue.objects.get(version="2026.1")
    documents = catalogue.indicators.get(code="ilo_fl.retention_of_documents")
    debt = catalogue.indicators.get(code="ilo_fl.debt_bondage")
    overtime = catalogue.indicators.get(code="ilo_fl.excessive_overtime")
    recruited = catalogue.indicators.get(code="palermo.act.recruitment")

    assessment = assess(answers=[(recruited, YES), (documents, YES), (debt, YES),
                                 (overtime, YES)], child=False)

    assert assessment.result == ScreeningResult.REASONABLE_GROUNDS
    assert assessment.elements[Element.MEANS].yes == ["ilo_fl.retention_of_documents",
                                                      "ilo_fl.debt_bondage"]
    assert assessment.elements[Element.PURPOSE].yes == ["ilo_fl.excessive_overtime"]


def test_reasons_are_read_in_the_readers_language(palermo: dict[str, Indicator]) -> None:
    assessment = assess(answers=answered(palermo, NO, **{RECRUITED: YES}), child=False)
    met = next(reason for reason in assessment.reasons if reason.code == "element_met")

    with translation.override("en"):
        assert met.text() == "Act is met: answered yes to palermo.act.recruitment."
        named = met.text(labels={"palermo.act.recruitment": "Recruited?"})
        assert named == "Act is met: answered yes to Recruited?."
    for reason in assessment.reasons:
        assert reason.text()


def test_the_explanation_survives_storage(palermo: dict[str, Indicator]) -> None:
    assessment = assess(answers=answered(palermo, UNKNOWN, **{RECRUITED: YES}), child=True)

    assert Assessment.from_json(assessment.to_json()) == assessment


def ilo_ec(code: str, dimension: Dimension, strength: Strength) -> Indicator:
    # Unsaved: a catalogue whose strengths were checked against the ILO publication.
    return Indicator(code=code, group=IndicatorGroup.ILO_EC, element="",
                     indicator_set=IndicatorSet.ADULT_LABOUR, dimension=dimension,
                     strength=strength)


def combination(strength: Strength, medium: Strength) -> list[tuple[Indicator, str]]:
    pairs = [
        ("deceived_job", Dimension.DECEPTIVE_RECRUITMENT, strength),
        ("deceived_pay", Dimension.DECEPTIVE_RECRUITMENT, medium),
        ("excessive_hours", Dimension.EXPLOITATIVE_CONDITIONS, strength),
        ("no_pay", Dimension.EXPLOITATIVE_CONDITIONS, medium),
        ("documents", Dimension.COERCION_AT_DESTINATION, strength),
        ("debt", Dimension.COERCION_AT_DESTINATION, strength),
    ]
    answers = [(ilo_ec(code, dimension, grade), YES) for code, dimension, grade in pairs]
    # Means answered no elsewhere in the interview: only the ILO/EC rule can give grounds.
    answers.append((Indicator(code="palermo.means.force", group=IndicatorGroup.PALERMO,
                              element=Element.MEANS), NO))
    return answers


def test_the_ilo_ec_combination_counts_verified_strengths() -> None:
    assessment = assess(answers=combination(Strength.STRONG, Strength.MEDIUM), child=False)

    assert assessment.ilo_ec is not None
    assert assessment.ilo_ec.satisfied
    assert set(assessment.ilo_ec.dimensions) == {
        Dimension.DECEPTIVE_RECRUITMENT, Dimension.EXPLOITATIVE_CONDITIONS,
        Dimension.COERCION_AT_DESTINATION}
    assert assessment.result == ScreeningResult.REASONABLE_GROUNDS
    assert "ilo_ec_satisfied" in [reason.code for reason in assessment.reasons]


def test_unverified_strengths_never_count_toward_the_combination() -> None:
    assessment = assess(answers=combination(Strength.UNVERIFIED, Strength.UNVERIFIED),
                        child=False)

    assert assessment.ilo_ec is not None
    assert not assessment.ilo_ec.satisfied
    assert assessment.ilo_ec.dimensions == {}
    assert len(assessment.ilo_ec.unverified) == 6
    # The answers still speak to the Palermo elements: Act and Purpose met, Means too.
    assert assessment.elements[Element.ACT].met is True
    assert assessment.elements[Element.PURPOSE].met is True
    assert "ilo_ec_unverified" in [reason.code for reason in assessment.reasons]


def test_weak_indicators_alone_do_not_make_a_dimension() -> None:
    answers = [(ilo_ec(f"weak{n}", Dimension.EXPLOITATIVE_CONDITIONS, Strength.WEAK), YES)
               for n in range(3)]

    assessment = assess(answers=answers, child=False)

    assert assessment.ilo_ec is not None
    assert assessment.ilo_ec.dimensions == {}
