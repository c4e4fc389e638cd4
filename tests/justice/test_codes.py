"""The criminal-code catalogue: the data file names each country's trafficking article(s), a
broken file is refused whole, and loading never deletes an article criminal cases may rely on."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from nrm.justice.choices import ArticleCategory
from nrm.justice.codes import LoadResult, codes_check, codes_load, codes_read
from nrm.justice.models import CriminalCodeArticle

# The trafficking articles as confirmed for each code (see "sources" in the data file).
TRAFFICKING_ARTICLES = {
    "KZ": {"128", "135"},
    "KG": {"166", "167"},
    "TJ": {"130.1", "167"},
    "UZ": {"135"},
    "TM": {"129.1"},
    "RU": {"127.1"},
    "TR": {"80"},
    "AE": {"2"},
}


def _snapshot() -> list[tuple[str, str, str, dict[str, str], bool]]:
    return [(a.country, a.number, a.category, a.titles, a.is_active)
            for a in CriminalCodeArticle.objects.order_by("country", "number")]


def _article(data: dict[str, Any], country: str, number: str) -> dict[str, Any]:
    entry = next(e for e in data["countries"] if e["country"] == country)
    return next(a for a in entry["articles"] if a["number"] == number)


def _messages(error: ValidationError) -> str:
    return " | ".join(error.messages)


def test_the_data_file_passes_its_own_checks() -> None:
    data = codes_read()
    codes_check(data)
    assert {entry["country"] for entry in data["countries"]} >= {
        "KZ", "KG", "TJ", "UZ", "TM", "RU"}
    assert data["sources"], "what was checked and what was left out must be recorded"


@pytest.mark.django_db
def test_every_country_has_exactly_its_trafficking_articles_flagged() -> None:
    # The migration has loaded the file into the test database.
    for country, expected in TRAFFICKING_ARTICLES.items():
        flagged = set(CriminalCodeArticle.objects.filter(
            country=country, category=ArticleCategory.TRAFFICKING, is_active=True,
        ).values_list("number", flat=True))
        assert flagged == expected, country
    assert CriminalCodeArticle.objects.filter(
        country="KZ", number="309", category=ArticleCategory.RELATED).exists()
    assert CriminalCodeArticle.objects.get(country="RU", number="322.1").titles["ru"] == \
        "Организация незаконной миграции"


@pytest.mark.django_db
def test_loading_the_file_twice_changes_nothing() -> None:
    before = _snapshot()
    assert codes_load(codes_read()) == LoadResult(created=0, updated=0, deactivated=0)
    assert codes_load(codes_read()) == LoadResult(created=0, updated=0, deactivated=0)
    assert _snapshot() == before


@pytest.mark.django_db
def test_a_broken_file_is_refused_whole() -> None:
    before = _snapshot()
    data = copy.deepcopy(codes_read())
    # A good change that must not be applied because another part of the file is wrong.
    _article(data, "KZ", "128")["titles"]["en"] = "Human trafficking (renamed)"
    _article(data, "RU", "127")["category"] = "kidnapping"
    del _article(data, "UZ", "131")["titles"]["ru"]
    data["countries"].append({"country": "XX", "articles": []})
    _article(data, "TJ", "132")["number"] = "130.1"
    with pytest.raises(ValidationError) as refused:
        codes_load(data)
    messages = _messages(refused.value)
    assert "RU 127: unknown category “kidnapping”" in messages
    assert "UZ 131: the title in “ru” is missing" in messages
    assert "unknown country code “XX”" in messages
    assert "TJ 130.1: the article number is listed twice" in messages
    assert _snapshot() == before


def test_a_country_without_a_trafficking_article_is_refused() -> None:
    data = copy.deepcopy(codes_read())
    _article(data, "TM", "129.1")["category"] = ArticleCategory.RELATED
    with pytest.raises(ValidationError, match="TM: no article is flagged"):
        codes_check(data)


def test_a_file_that_is_not_json_is_refused(tmp_path) -> None:
    broken = tmp_path / "criminal-codes.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValidationError, match="cannot be read"):
        codes_read(broken)


@pytest.mark.django_db
def test_a_corrected_title_is_updated_in_place() -> None:
    article = CriminalCodeArticle.objects.get(country="KG", number="159")
    data = copy.deepcopy(codes_read())
    _article(data, "KG", "159")["titles"]["ky"] = "Сойкулукка тартуу"
    assert codes_load(data) == LoadResult(created=0, updated=1, deactivated=0)
    article.refresh_from_db()
    assert article.titles["ky"] == "Сойкулукка тартуу"
    assert article.titles["ru"] == "Вовлечение в занятие проституцией"


@pytest.mark.django_db
def test_an_article_removed_from_the_file_is_deactivated_not_deleted() -> None:
    kept = CriminalCodeArticle.objects.get(country="RU", number="322")
    data = copy.deepcopy(codes_read())
    russia = next(e for e in data["countries"] if e["country"] == "RU")
    russia["articles"] = [a for a in russia["articles"] if a["number"] != "322"]

    assert codes_load(data) == LoadResult(created=0, updated=0, deactivated=1)
    kept.refresh_from_db()
    assert kept.is_active is False
    assert kept.titles["en"] == "Illegal crossing of the State Border of the Russian Federation"

    # Loading the same file again leaves it alone; putting it back brings it back in force.
    assert codes_load(data) == LoadResult(created=0, updated=0, deactivated=0)
    assert codes_load(codes_read()) == LoadResult(created=0, updated=1, deactivated=0)
    kept.refresh_from_db()
    assert kept.is_active is True
