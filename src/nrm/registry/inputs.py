"""Plain, typed inputs of the registry's services, shared by forms, the API and imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nrm.registry.choices import CaseStatus, EntryPoint, Sex


@dataclass(frozen=True)
class PersonInput:
    sex: str = Sex.UNKNOWN
    birth_year: int | None = None
    age_band: str = ""
    citizenships: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DocumentInput:
    kind: str
    number: str
    country: str = ""


@dataclass(frozen=True)
class IdentityInput:
    given_name: str = ""
    patronymic: str = ""
    family_name: str = ""
    latin_name: str = ""  # as on a passport; nrm transliterates when empty
    aliases: list[str] = field(default_factory=list)
    birth_date: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    birth_date_estimated: bool = False
    documents: list[DocumentInput] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CaseInput:
    entry_point: str = EntryPoint.OTHER
    opened_on: dt.date | None = None  # today when not given
    status: str = CaseStatus.ACTIVE
    case_worker_id: int | None = None  # the registering user when not given
    exploitation_types: list[str] = field(default_factory=list)
    labour_industry: str = ""
    sexual_exploitation_types: list[str] = field(default_factory=list)
    means_of_control: list[str] = field(default_factory=list)
    recruitment_methods: list[str] = field(default_factory=list)
    recruiter_relationship: str = ""


@dataclass(frozen=True)
class EventInput:
    stage: str
    country: str
    region: str = ""
    city: str = ""
    date: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD
    description: str = ""


@dataclass(frozen=True)
class ConsentInput:
    purpose: str
    given: bool
    method: str
    recipient_id: int | None = None
    guardian_name: str = ""
    guardian_consented: bool | None = None
