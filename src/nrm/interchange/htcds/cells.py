"""Reading one cell of an HTCDS file into nrm's value, leniently where that is safe.

What is accepted besides the exact value name (docs/user-guide.md lists it for users): any case
and spacing of a value name; the standard's label, or nrm's label in English or the reader's
language, where it names one value only; ";" or "," between the values of a multi-select;
dates as Excel dates, as YYYY-MM-DD, YYYY-MM, YYYY, DD.MM.YYYY, or with slashes when the day
is over 12 (so that it cannot be read as a month); countries and languages as two- or
three-letter codes or by their names; regions by ISO 3166-2 code or by name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pycountry
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from nrm.core.countries import (
    country_codes,
    country_name,
    language_codes,
    language_name,
    region_codes,
    region_name,
)
from nrm.core.dates import DatePrecision, parse_partial_date
from nrm.interchange.htcds.columns import Column, header_key
from nrm.interchange.htcds.problems import CellProblem
from nrm.interchange.htcds.standard import htcds_fields

Raw = str | int | float | bool | dt.date | dt.datetime | dt.time | None

OLDEST_YEAR = 1900
# Excel's day numbers from 1908 on; smaller whole numbers in a date column are taken as years.
_EXCEL_SERIAL_FROM = 3000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_EXCEL_ERRORS = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!",
                           "#SPILL!", "#CALC!", "#GETTING_DATA"})
# A CSV export puts an apostrophe before a cell that a spreadsheet would run as a formula.
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")
_TRUE = frozenset({"true", "yes", "y", "1", "x", "да", "д"})
_FALSE = frozenset({"false", "no", "n", "0", "нет", "н"})
_MULTI_SEPARATORS = re.compile(r"[;,\n]")
_MOST_CHOICES_NAMED = 25


def is_blank(raw: Raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def text(raw: Raw, *, max_length: int = 2000) -> str:
    """A cell as text: numbers without a spurious ".0", dates as YYYY-MM-DD."""
    if is_blank(raw):
        return ""
    if isinstance(raw, bool):
        value = "TRUE" if raw else "FALSE"
    elif isinstance(raw, float) and raw.is_integer():
        value = str(int(raw))
    elif isinstance(raw, dt.datetime):
        value = raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    elif isinstance(raw, dt.date | dt.time):
        value = raw.isoformat()
    else:
        value = str(raw).strip()
    if value in _EXCEL_ERRORS:
        raise CellProblem("excel_error", value=value)
    value = _NEUTRALISED.sub("", value)
    if _CONTROL.search(value):
        raise CellProblem("text_control")
    if len(value) > max_length:
        raise CellProblem("text_long", limit=max_length)
    return value


def _shown(raw: Raw) -> str:
    """A cell's value as a message quotes it: short, one line."""
    return " ".join(str(raw).split())[:60]


# --- dates -------------------------------------------------------------------------------------

def _exact(year: int, month: int, day: int, raw: Raw) -> str:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        raise CellProblem("date_impossible", value=_shown(raw)) from None


def _dotted(match: re.Match[str], raw: Raw) -> str:
    day, month, year = (int(part) for part in match.groups())
    return _exact(year, month, day, raw)


def _month(year: int, month: int, raw: Raw) -> str:
    if not 1 <= month <= 12:
        raise CellProblem("date_impossible", value=_shown(raw))
    return f"{year:04d}-{month:02d}"


def _slashed_year_first(match: re.Match[str], raw: Raw) -> str:
    year, month, day = (int(part) for part in match.groups())
    return _exact(year, month, day, raw)


def _slashed_year_last(match: re.Match[str], raw: Raw) -> str:
    first, second, year = (int(part) for part in match.groups())
    if first > 12 and second > 12:
        raise CellProblem("date_impossible", value=_shown(raw))
    if first > 12 >= second:
        return _exact(year, second, first, raw)
    if second > 12 >= first:
        return _exact(year, first, second, raw)
    raise CellProblem("date_ambiguous", value=_shown(raw))


def _iso(match: re.Match[str], raw: Raw) -> str:
    parts = [int(part) for part in match.group(0).split("-")]
    if len(parts) == 3:
        return _exact(parts[0], parts[1], parts[2], raw)
    if len(parts) == 2:
        return _month(parts[0], parts[1], raw)
    return f"{parts[0]:04d}"


_DATE_PATTERNS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str], Raw], str]], ...] = (
    (re.compile(r"^\d{4}(-\d{1,2}(-\d{1,2})?)?$"), _iso),
    (re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"), _dotted),
    (re.compile(r"^(\d{1,2})\.(\d{4})$"),
     lambda match, raw: _month(int(match.group(2)), int(match.group(1)), raw)),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), _slashed_year_first),
    (re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"), _slashed_year_last),
)
_WITH_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def _partial_from_text(value: str, raw: Raw) -> str:
    if match := _WITH_TIME.match(value):
        value = match.group(1)
    for pattern, read in _DATE_PATTERNS:
        if match := pattern.match(value):
            return read(match, raw)
    raise CellProblem("date_format", value=_shown(raw))


def _date_text(raw: Raw, *, from_workbook: bool) -> str:
    """A date cell, not blank, as YYYY-MM-DD, YYYY-MM or YYYY (a real date, any year)."""
    if isinstance(raw, dt.datetime):
        value = raw.date().isoformat()
    elif isinstance(raw, dt.date):
        value = raw.isoformat()
    elif isinstance(raw, bool | dt.time):
        raise CellProblem("date_format", value=_shown(raw))
    elif isinstance(raw, int | float):
        number = float(raw)
        if number.is_integer() and OLDEST_YEAR <= number <= 2100:
            value = f"{int(number):04d}"
        elif from_workbook and number >= _EXCEL_SERIAL_FROM:
            # A date whose cell lost its date format shows as Excel's day number.
            value = (dt.date(1899, 12, 30) + dt.timedelta(days=int(number))).isoformat()
        else:
            raise CellProblem("date_format", value=_shown(raw))
    else:
        value = _partial_from_text(text(raw, max_length=40), raw)
    return value


def partial_date(raw: Raw, *, from_workbook: bool) -> str:
    """A date cell as nrm's partial date text (YYYY-MM-DD, YYYY-MM or YYYY), checked to be a
    real date between 1900 and today."""
    if is_blank(raw):
        return ""
    value = _date_text(raw, from_workbook=from_workbook)
    first_day, _precision = parse_partial_date(value)
    if first_day > timezone.localdate() or first_day.year < OLDEST_YEAR:
        raise CellProblem("date_range", value=value)
    return value


def day(raw: Raw, *, from_workbook: bool, ahead: dt.timedelta | None = None) -> dt.date | None:
    """A date cell that must name a day (not a month or a year alone), between 1900 and today,
    or up to ``ahead`` after today for a date that is planned."""
    if is_blank(raw):
        return None
    value = _date_text(raw, from_workbook=from_workbook)
    first_day, precision = parse_partial_date(value)
    if precision != DatePrecision.EXACT:
        raise CellProblem("date_not_whole", value=value)
    if first_day.year < OLDEST_YEAR or first_day > timezone.localdate() + (
            ahead or dt.timedelta()):
        raise CellProblem("date_range" if ahead is None else "date_too_far", value=value)
    return first_day


# --- checkboxes --------------------------------------------------------------------------------

def checkbox(raw: Raw) -> bool | None:
    """TRUE/FALSE, yes/no, 1/0 (and the reader's own words for yes and no); empty is unknown."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | float) and raw in (0, 1):
        return bool(raw)
    word = text(raw, max_length=20).casefold()
    if word in _TRUE or word == _("yes").casefold():
        return True
    if word in _FALSE or word == _("no").casefold():
        return False
    raise CellProblem("checkbox", value=_shown(raw))


# --- picklists ---------------------------------------------------------------------------------

def _choice_labels(column: Column) -> list[tuple[str, str]]:
    """(label, value name) pairs that a cell may hold instead of the value name."""
    allowed = set(column.value_names())
    field = htcds_fields().get(column.name)
    pairs: list[tuple[str, str]] = []
    if field is not None:
        pairs += [(label, name) for name, label in
                  zip(field.value_names, field.value_labels, strict=False) if name in allowed]
    if column.choices is not None:
        pairs += [(str(label), value) for value, label in column.choices.choices]
        with translation.override("en"):
            pairs += [(str(label), value) for value, label in column.choices.choices]
    return pairs


@cache
def _picklist_lookup(column: Column, language: str) -> dict[str, str]:
    """header_key → value name: value names first, then every label that names one value."""
    names = {header_key(name): name for name in column.value_names()}
    by_label: dict[str, set[str]] = {}
    with translation.override(language):
        for label, name in _choice_labels(column):
            by_label.setdefault(header_key(label), set()).add(name)
    lookup = {key: next(iter(found)) for key, found in by_label.items()
              if len(found) == 1 and key not in names}
    lookup.update(names)
    return lookup


def _choices_named(column: Column) -> str:
    names = column.value_names()
    shown = ", ".join(names[:_MOST_CHOICES_NAMED])
    return shown + (", …" if len(names) > _MOST_CHOICES_NAMED else "")


class Leniency:
    """What was read other than as written, counted, so that the preview can say so."""

    def __init__(self) -> None:
        self.labels: dict[tuple[str, str, str], int] = {}

    def label_read(self, column: str, value: str, name: str) -> None:
        key = (column, value, name)
        self.labels[key] = self.labels.get(key, 0) + 1


def picklist_value(raw: Raw, column: Column, leniency: Leniency) -> str:
    """One value name of a picklist, from the value name or an unambiguous label."""
    if is_blank(raw):
        return ""
    written = text(raw, max_length=200)
    name = _picklist_lookup(column, translation.get_language() or "en").get(header_key(written))
    if name is None:
        raise CellProblem("unknown_value", value=_shown(written), column=column.name,
                          choices=_choices_named(column))
    if written != name:
        leniency.label_read(column.name, _shown(written), name)
    return name


def _parts(raw: Raw) -> list[str]:
    """The values of a multi-select cell: separated by ";", "," or new lines."""
    if is_blank(raw):
        return []
    return [part for part in _MULTI_SEPARATORS.split(text(raw)) if part.strip()]


def multi_values(raw: Raw, column: Column, leniency: Leniency) -> list[str]:
    """The value names of a multi-select, in the order written, each once."""
    return list(dict.fromkeys(picklist_value(part, column, leniency) for part in _parts(raw)))


# --- countries, regions, languages -------------------------------------------------------------

@cache
def _country_lookup(language: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "official_name", ""),
                     getattr(country, "common_name", "")):
            if name:
                lookup.setdefault(header_key(name), country.alpha_2)
    with translation.override(language):
        for code in country_codes():
            lookup.setdefault(header_key(country_name(code)), code)
    for country in pycountry.countries:
        lookup[header_key(country.alpha_3)] = country.alpha_2
        lookup[header_key(country.alpha_2)] = country.alpha_2
    return lookup


def _looked_up(raw: Raw, lookup: Callable[[str], dict[str, str]], problem: str) -> str:
    """A code from ``lookup`` (built for the reader's language), or ``problem``."""
    if is_blank(raw):
        return ""
    written = text(raw, max_length=100)
    code = lookup(translation.get_language() or "en").get(header_key(written))
    if code is None:
        raise CellProblem(problem, value=_shown(written))
    return code


def country(raw: Raw) -> str:
    """An ISO 3166-1 alpha-2 code, from that code, the alpha-3 code or the country's name."""
    return _looked_up(raw, _country_lookup, "unknown_country")


def countries(raw: Raw) -> list[str]:
    return list(dict.fromkeys(country(part) for part in _parts(raw)))


@cache
def _region_lookup(country_code: str, language: str) -> dict[str, str]:
    """Regions by code, by name, and by name without its last word ("Bishkek" for "Bishkek
    Shaary", "Chüy" for "Chüy Region") where that names one region only."""
    names: list[tuple[str, str]] = [
        (subdivision.name, subdivision.code)
        for subdivision in pycountry.subdivisions.get(country_code=country_code) or ()]
    with translation.override(language):
        names += [(region_name(code), code) for code in region_codes(country_code)]
    lookup = {header_key(name): code for name, code in reversed(names)}
    shortened: dict[str, set[str]] = {}
    for name, code in names:
        words = name.split()
        if len(words) > 1:
            shortened.setdefault(header_key(" ".join(words[:-1])), set()).add(code)
    for key, codes in shortened.items():
        if len(codes) == 1 and key not in lookup:
            lookup[key] = next(iter(codes))
    lookup.update({header_key(code): code for code in region_codes(country_code)})
    return lookup


def region(raw: Raw, country_code: str) -> str:
    """An ISO 3166-2 code of a region of ``country_code``, from the code or the region's name."""
    if is_blank(raw):
        return ""
    written = text(raw, max_length=100)
    if not country_code:
        raise CellProblem("region_without_country")
    code = _region_lookup(country_code, translation.get_language() or "en").get(
        header_key(written))
    if code is None:
        example = min(region_codes(country_code), default=f"{country_code}-01")
        raise CellProblem("unknown_region", value=_shown(written),
                          country=country_name(country_code), example=example)
    return code


@cache
def _language_lookup(language: str) -> dict[str, str]:
    known = language_codes()
    lookup: dict[str, str] = {}

    def nrm_code(entry: Any) -> str | None:
        two = getattr(entry, "alpha_2", None)
        if two in known:
            return str(two)
        three = getattr(entry, "alpha_3", None)
        return str(three) if three in known else None

    for entry in pycountry.languages:
        code = nrm_code(entry)
        if code is None:
            continue
        lookup.setdefault(header_key(entry.name), code)
        for attribute in ("alpha_3", "bibliographic", "alpha_2"):
            if value := getattr(entry, attribute, None):
                lookup[header_key(value)] = code
    with translation.override(language):
        for code in known:
            lookup.setdefault(header_key(language_name(code)), code)
    return lookup


def language(raw: Raw) -> str:
    """An ISO 639 code as nrm keeps it (two letters where there are two)."""
    return _looked_up(raw, _language_lookup, "unknown_language")

