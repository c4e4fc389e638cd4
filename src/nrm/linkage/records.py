"""A person as linkage sees them: names, birth date of any precision, sex, citizenship.

The registry, a spreadsheet and a partner's list are all turned into `PersonRecord`s before
they are compared; nothing else of a person reaches the linkage engine.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

# "YYYY", "YYYY-MM" or "YYYY-MM-DD", as the registry and the spreadsheet check accept them.
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class PersonRecord:
    """One record of a person, from the registry or from a list."""

    record_id: str  # registry: the person's pseudonymous code; a list: its id column
    given_name: str = ""
    patronymic: str = ""
    family_name: str = ""
    other_names: tuple[str, ...] = ()  # name in Latin letters as on a passport, aliases
    birth_date: str = ""  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"; "" when unknown
    sex: str = ""  # the registry's Sex values (HTCDS prs_Gender names) or ""
    citizenship: str = ""  # ISO 3166-1 alpha-2 or ""
    source: str = ""  # which organisation or list the record comes from


@dataclass(frozen=True)
class BirthDate:
    """A birth date split by what is known of it."""

    year: int | None = None
    month: int | None = None
    day: int | None = None

    @property
    def year_month(self) -> str | None:
        return f"{self.year:04d}-{self.month:02d}" if self.year and self.month else None

    @property
    def full(self) -> str | None:
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        return None


@functools.lru_cache(maxsize=65_536)  # a million records have some 20,000 birth dates
def parse_birth_date(text: str) -> BirthDate:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (or "") → its known parts; ValueError otherwise."""
    text = text.strip()
    if not text:
        return BirthDate()
    found = _PARTIAL_DATE.match(text)
    if not found:
        raise ValueError(text)
    year, month, day = (int(part) if part else None for part in found.groups())
    if month is not None and not 1 <= month <= 12:
        raise ValueError(text)
    if day is not None:
        dt.date(year or 1, month or 1, day)  # raises ValueError for 2001-02-30
    return BirthDate(year=year, month=month, day=day)
