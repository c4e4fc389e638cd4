"""The indicator catalogue is data: checked when loaded, versioned, never rewritten."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nrm.identification.catalogue import (
    catalogue_check,
    catalogue_file,
    catalogue_load,
    catalogue_read,
)
from nrm.identification.choices import (
    Answer,
    Element,
    IndicatorGroup,
    IndicatorSet,
    ScreeningResult,
    Strength,
)
from nrm.identification.logic import assess
from nrm.identification.models import IndicatorCatalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def published() -> dict[str, Any]:
    return catalogue_read(catalogue_file("2026.1"))


def test_the_migration_made_2026_1_the_current_catalogue() -> None:
    current = IndicatorCatalogue.objects.get(is_current=True)

    assert current.version == "2026.1"
    assert "unverified" in current.sources.lower()
    indicators = current.indicators.all()
    codes = {indicator.code for indicator in indicators}
    for code in ("palermo.act.harbouring", "palermo.means.payments_to_controller",
                 "palermo.purpose.organ_removal", "palermo.purpose.forced_criminality"):
        assert code in codes
    assert indicators.filter(group=IndicatorGroup.ILO_FORCED_LABOUR).count() == 11
    for indicator_set in IndicatorSet:
        dimensions = set(indicators.filter(indicator_set=indicator_set)
                         .values_list("dimension", flat=True))
        assert len(dimensions) == 6


def test_every_question_is_in_english_and_russian() -> None:
    for indicator in IndicatorCatalogue.objects.get(version="2026.1").indicators.all():
        assert indicator.texts["en"].endswith("?"), indicator.code
        assert indicator.texts["ru"].endswith("?"), indicator.code


def test_no_ilo_ec_strength_is_guessed() -> None:
    ilo_ec = IndicatorCatalogue.objects.get(version="2026.1").indicators.filter(
        group=IndicatorGroup.ILO_EC)

    assert ilo_ec.exists()
    assert set(ilo_ec.values_list("strength", flat=True)) == {Strength.UNVERIFIED}


@pytest.mark.parametrize(("breakage", "message"), [
    (lambda data: data["indicators"].append(copy.deepcopy(data["indicators"][0])),
     "used twice"),
    (lambda data: data["indicators"][0].update(group="astrology"), "unknown group"),
    (lambda data: data["indicators"][0].update(element="motive"), "unknown element"),
    (lambda data: data["indicators"][-1].update(dimension="luck"), "unknown dimension"),
    (lambda data: data["indicators"][-1].update(indicator_set="elders"), "unknown set"),
    (lambda data: data["indicators"][-1].update(strength="certain"), "unknown strength"),
    (lambda data: data["indicators"][-1].update(strength=""), "needs a set"),
    (lambda data: data["indicators"][0]["texts"].pop("en"), "English text is missing"),
    (lambda data: data.update(indicators=[]), "no indicators"),
], ids=["duplicate code", "group", "element", "dimension", "set", "strength",
        "ILO/EC without strength", "no English", "empty"])
def test_a_broken_catalogue_is_refused_whole(published: dict[str, Any], breakage: Any,
                                             message: str) -> None:
    broken = copy.deepcopy(published)
    broken["version"] = "2099.1"
    breakage(broken)

    with pytest.raises(ValidationError) as refused:
        catalogue_load(broken, make_current=True)

    assert any(message in text for text in refused.value.messages)
    assert not IndicatorCatalogue.objects.filter(version="2099.1").exists()
    assert IndicatorCatalogue.objects.get(is_current=True).version == "2026.1"


def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "catalogue-broken.json"
    path.write_text("{not json", encoding="utf-8")

    with pytest.raises(ValidationError):
        catalogue_read(path)


def test_a_loaded_version_is_never_rewritten(published: dict[str, Any]) -> None:
    with pytest.raises(ValidationError, match="already loaded"):
        catalogue_load(published, make_current=True)


def test_the_published_file_is_valid(published: dict[str, Any]) -> None:
    catalogue_check(published)
    json.dumps(published)


def test_an_older_version_keeps_its_own_questions(published: dict[str, Any]) -> None:
    old = IndicatorCatalogue.objects.get(version="2026.1")
    old_recruitment = old.indicators.get(code="palermo.act.recruitment")
    newer = copy.deepcopy(published)
    newer["version"] = "2027.1"
    newer["published_on"] = "2027-01-15"
    for item in newer["indicators"]:
        if item["code"] == "palermo.act.recruitment":
            item["texts"]["en"] = "Did someone recruit the person? (revised)"
    newer["indicators"] = [item for item in newer["indicators"]
                           if item["code"] != "palermo.means.abduction"]

    catalogue_load(newer, make_current=True)

    old.refresh_from_db()
    assert not old.is_current
    assert IndicatorCatalogue.objects.get(is_current=True).version == "2027.1"
    # A screening answered against 2026.1 still reads its own questions and result.
    old_questions = {indicator.code: indicator for indicator in old.indicators.all()}
    assert "palermo.means.abduction" in old_questions
    assert old_questions["palermo.act.recruitment"].texts["en"] == \
        old_recruitment.texts["en"]
    answers = [(old_questions["palermo.act.recruitment"], Answer.YES),
               (old_questions["palermo.means.abduction"], Answer.YES),
               (old_questions["palermo.purpose.servitude"], Answer.YES)]
    assessment = assess(answers=answers, child=False)
    assert assessment.result == ScreeningResult.REASONABLE_GROUNDS
    assert assessment.elements[Element.MEANS].yes == ["palermo.means.abduction"]
