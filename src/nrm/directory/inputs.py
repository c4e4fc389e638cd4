"""Plain, typed input of the directory's services, shared by the pages, the admin and imports."""

from __future__ import annotations

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
