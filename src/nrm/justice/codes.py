"""The criminal-code catalogue as data: reading justice/data/criminal-codes.json, checking it and
loading it into CriminalCodeArticle.

The file is JSON: {"title", "countries": [{"country", "code", "articles": [{"number", "category",
"titles": {"en", "ru", ...}, "source"}]}], "sources": [...]}. Loading is idempotent and never
deletes: criminal cases keep the articles they were qualified under, so an article that is no
longer in the file is only marked as not in force.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nrm.core.countries import country_codes
from nrm.justice.choices import ArticleCategory

CODES_FILE = Path(__file__).resolve().parent / "data" / "criminal-codes.json"
# The field's max_length on CriminalCodeArticle.number.
NUMBER_MAX_LENGTH = 20
REQUIRED_TITLES = ("en", "ru")


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    deactivated: int


def codes_read(path: Path = CODES_FILE) -> dict[str, Any]:
    """The parsed criminal-codes file, or a ValidationError saying why it cannot be read."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValidationError(
            _("The criminal-codes file %(path)s cannot be read: %(error)s"),
            params={"path": path.name, "error": error},
        ) from error
    if not isinstance(data, dict):
        raise ValidationError(_("A criminal-codes file must hold one JSON object."))
    return data


def codes_check(data: Mapping[str, Any]) -> None:
    """Raise ValidationError listing every problem of a criminal-codes file; return if none."""
    problems: list[str] = []
    countries = data.get("countries")
    if not isinstance(countries, list) or not countries:
        raise ValidationError(_("The criminal-codes file lists no countries."))
    known = country_codes()
    seen_countries: set[str] = set()
    for position, entry in enumerate(countries, start=1):
        if not isinstance(entry, dict):
            problems.append(_("Country entry %(n)d is not an object.") % {"n": position})
            continue
        country = entry.get("country")
        if not isinstance(country, str) or country not in known:
            problems.append(_("Country entry %(n)d: unknown country code “%(code)s”.")
                            % {"n": position, "code": country})
            continue
        if country in seen_countries:
            problems.append(_("The country %(code)s is listed twice.") % {"code": country})
        seen_countries.add(country)
        problems.extend(_country_problems(country, entry.get("articles")))
    if problems:
        raise ValidationError(problems)


def _country_problems(country: str, articles: object) -> list[str]:
    if not isinstance(articles, list) or not articles:
        return [_("%(country)s: no articles.") % {"country": country}]
    problems: list[str] = []
    numbers: set[str] = set()
    trafficking = 0
    for position, article in enumerate(articles, start=1):
        if not isinstance(article, dict):
            problems.append(_("%(country)s: article %(n)d is not an object.")
                            % {"country": country, "n": position})
            continue
        number = article.get("number")
        label = f"{country} {number}" if isinstance(number, str) and number else \
            f"{country} #{position}"
        if not isinstance(number, str) or not number.strip() or number != number.strip():
            problems.append(_("%(article)s: the article number is missing or badly written.")
                            % {"article": label})
        elif len(number) > NUMBER_MAX_LENGTH:
            problems.append(_("%(article)s: the article number is too long.")
                            % {"article": label})
        elif number in numbers:
            problems.append(_("%(article)s: the article number is listed twice.")
                            % {"article": label})
        else:
            numbers.add(number)
        problems.extend(_article_problems(label, article))
        if article.get("category") == ArticleCategory.TRAFFICKING:
            trafficking += 1
    if not trafficking:
        problems.append(_("%(country)s: no article is flagged as the trafficking article.")
                        % {"country": country})
    return problems


def _article_problems(label: str, article: Mapping[str, Any]) -> list[str]:
    problems: list[str] = []
    category = article.get("category")
    if category not in ArticleCategory.values:
        problems.append(_("%(article)s: unknown category “%(category)s”.")
                        % {"article": label, "category": category})
    titles = article.get("titles")
    if not isinstance(titles, dict):
        titles = {}
    for language in REQUIRED_TITLES:
        if not isinstance(titles.get(language), str) or not titles[language].strip():
            problems.append(_("%(article)s: the title in “%(language)s” is missing.")
                            % {"article": label, "language": language})
    if any(not isinstance(text, str) for text in titles.values()):
        problems.append(_("%(article)s: every title must be text.") % {"article": label})
    if not isinstance(article.get("source"), str) or not article["source"].strip():
        problems.append(_("%(article)s: the source is missing.") % {"article": label})
    return problems


@transaction.atomic
def codes_load(data: Mapping[str, Any], *, apps: Any = None) -> LoadResult:
    """Check the file and bring CriminalCodeArticle in line with it: create new articles, update
    titles and category of existing ones, mark those no longer in the file as not in force.
    Nothing is deleted; loading the same file twice changes nothing.

    `apps` is the migration state's app registry when called from a data migration.
    """
    codes_check(data)
    if apps is not None:
        article_model = apps.get_model("justice", "CriminalCodeArticle")
    else:
        from nrm.justice.models import CriminalCodeArticle

        article_model = CriminalCodeArticle
    existing = {(row.country, row.number): row for row in article_model.objects.all()}
    created = updated = 0
    listed: set[tuple[str, str]] = set()
    for entry in data["countries"]:
        for article in entry["articles"]:
            key = (entry["country"], article["number"])
            listed.add(key)
            titles = {language: text.strip() for language, text in article["titles"].items()
                      if text.strip()}
            row = existing.get(key)
            if row is None:
                article_model.objects.create(country=key[0], number=key[1],
                                             category=article["category"], titles=titles,
                                             is_active=True)
                created += 1
            elif (row.category, row.titles, row.is_active) != (article["category"], titles, True):
                row.category, row.titles, row.is_active = article["category"], titles, True
                row.save(update_fields=["category", "titles", "is_active"])
                updated += 1
    gone = [row.pk for key, row in existing.items() if key not in listed and row.is_active]
    article_model.objects.filter(pk__in=gone).update(is_active=False)
    return LoadResult(created=created, updated=updated, deactivated=len(gone))
