"""What the linkage engine compares: one person as a record, whatever its source (the registry,
a spreadsheet, a partner's list). Nothing else of the person travels with it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PersonRecord:
    record_id: str
    given_name: str = ""
    patronymic: str = ""
    family_name: str = ""
    other_names: tuple[str, ...] = ()  # Latin name as on a passport, aliases
    birth_date: str = ""  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    sex: str = ""
    citizenship: str = ""
    source: str = ""
