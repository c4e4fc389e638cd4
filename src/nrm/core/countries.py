"""ISO 3166-1 countries, ISO 3166-2 regions and ISO 639 languages, named in the user's language."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nrm.core.i18n import current_language

# The countries nrm is built for come first in every picker.
PRIORITY_COUNTRIES = ("KZ", "KG", "TJ", "TM", "UZ", "RU", "TR", "AE")
# Languages of the region, then the ones most used by partners.
PRIORITY_LANGUAGES = ("ru", "kk", "ky", "tg", "uz", "tk", "kaa", "en", "tr", "ar", "fa")
# Where pycountry's catalogue gives a name the region does not use, or none at all.
COUNTRY_NAME_OVERRIDES: dict[tuple[str, str], str] = {
    ("ru", "KG"): "Кыргызстан",
    ("ky", "TR"): "Түркия",
    ("tg", "TR"): "Туркия",
    ("uz", "RU"): "Rossiya Federatsiyasi",
    ("uz", "TR"): "Turkiya",
}


@cache
def _catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(
        domain, pycountry.LOCALES_DIR, languages=[language], fallback=True
    )


def _localised(domain: str, name: str) -> str:
    language = current_language()
    return _catalogue(domain, language).gettext(name)


@cache
def country_codes() -> frozenset[str]:
    return frozenset(country.alpha_2 for country in pycountry.countries)


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_2=code) if code else None
    if country is None:
        return code
    language = current_language()
    if (language, code) in COUNTRY_NAME_OVERRIDES:
        return COUNTRY_NAME_OVERRIDES[(language, code)]
    return _localised("iso3166-1", getattr(country, "common_name", None) or country.name)


def country_choices() -> list[tuple[str, str]]:
    named = sorted(((c, country_name(c)) for c in country_codes()), key=lambda pair: pair[1])
    first = [(c, country_name(c)) for c in PRIORITY_COUNTRIES]
    return first + [pair for pair in named if pair[0] not in PRIORITY_COUNTRIES]


@cache
def region_codes(country: str) -> frozenset[str]:
    return frozenset(s.code for s in pycountry.subdivisions.get(country_code=country) or ())


def region_name(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=code) if code else None
    if subdivision is None:
        return code
    return _localised("iso3166-2", subdivision.name)


def region_choices(country: str) -> list[tuple[str, str]]:
    return sorted(((c, region_name(c)) for c in region_codes(country)), key=lambda p: p[1])


@cache
def language_codes() -> frozenset[str]:
    codes = {lang.alpha_2 for lang in pycountry.languages if hasattr(lang, "alpha_2")}
    return frozenset(codes | {"kaa"})  # Karakalpak has only a three-letter code


def language_name(code: str) -> str:
    language = (
        pycountry.languages.get(alpha_2=code) if len(code) == 2
        else pycountry.languages.get(alpha_3=code)
    )
    if language is None:
        return code
    return _localised("iso639-3", language.name)


def language_choices() -> list[tuple[str, str]]:
    first = [(c, language_name(c)) for c in PRIORITY_LANGUAGES]
    rest = sorted(
        ((c, language_name(c)) for c in language_codes() if c not in PRIORITY_LANGUAGES),
        key=lambda p: p[1],
    )
    return first + rest


def validate_country(code: str) -> None:
    if code not in country_codes():
        raise ValidationError(
            _("“%(code)s” is not an ISO 3166-1 country code."), params={"code": code},
            code="unknown_country",
        )


def validate_region(country: str, region: str) -> None:
    if region and region not in region_codes(country):
        raise ValidationError(
            _("“%(region)s” is not a region of %(country)s (ISO 3166-2)."),
            params={"region": region, "country": country_name(country)},
            code="unknown_region",
        )


def validate_language(code: str) -> None:
    if code not in language_codes():
        raise ValidationError(
            _("“%(code)s” is not an ISO 639 language code."), params={"code": code},
            code="unknown_language",
        )
