"""Plain, typed input of the directory's services, shared by the pages, the admin and imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    kind: str
    country: str  # ISO 3166-1 alpha-2
    short_name: str = ""
    region: str = ""  # ISO 3166-2, a subdivision of ``country``
    city: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    languages: list[str] = field(default_factory=list)  # ISO 639 codes
    services: list[str] = field(default_factory=list)  # codes of directory.taxonomy
    is_first_responder: bool = False
    is_competent_authority: bool = False
    is_active: bool = True
    coverage_regions: list[str] = field(default_factory=list)  # ISO 3166-2 codes it serves
    sexes_accepted: list[str] = field(default_factory=list)  # SexServed values; empty: anyone
    age_min: int | None = None
    age_max: int | None = None
    accompanied_children: bool = False


@dataclass(frozen=True)
class AgreementInput:
    title: str
    party_ids: list[int]  # organisations of the directory, two or more
    valid_from: dt.date
    valid_until: dt.date | None = None
    signed_on: dt.date | None = None
    reference: str = ""
    signed_document: str = ""
    covers_referral: bool = True
    covers_data_sharing: bool = False
    services: list[str] = field(default_factory=list)  # codes of directory.taxonomy; none: any
    note: str = ""
