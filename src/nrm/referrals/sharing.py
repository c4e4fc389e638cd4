"""What a referral may share, and the snapshot of it that travels with the referral.

The referrer ticks each field explicitly. The person's pseudonymous code is always shared; the
rest only with the person's consent to sharing with the receiving organisation (and across
borders when the countries differ). Without consent, a supervisor's emergency override lets
through only the minimum a receiving service needs to take the person in safely: sex, age band
and languages. Never a name, a birth date, a document, a contact, or what happened.

The snapshot is kept encrypted on the referral, so that the receiving organisation reads exactly
what was sent, and a referral from another deployment (no case here) is read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from nrm.registry.choices import AgeBand
from nrm.registry.models import Case, Identity, Person

# Field groups, in the order the form and the shared page show them.
PROFILE, PERSON, IDENTITY, CASE = "profile", "person", "identity", "case"
GROUPS: dict[str, Promise] = {
    PROFILE: _("Profile (not identifying)"),
    PERSON: _("About the person"),
    IDENTITY: _("Identity"),
    CASE: _("What happened"),
}


@dataclass(frozen=True)
class ShareableField:
    code: str
    group: str
    label: Promise


SHAREABLE_FIELDS: tuple[ShareableField, ...] = (
    ShareableField("sex", PROFILE, _("Sex")),
    ShareableField("age_band", PROFILE, _("Age band")),
    ShareableField("languages", PROFILE, _("Languages")),
    ShareableField("birth_year", PERSON, _("Birth year")),
    ShareableField("citizenships", PERSON, _("Citizenship")),
    ShareableField("names", IDENTITY, _("Names (given, patronymic, family, in Latin letters)")),
    ShareableField("aliases", IDENTITY, _("Aliases")),
    ShareableField("birth_date", IDENTITY, _("Birth date")),
    ShareableField("documents", IDENTITY, _("Identity documents")),
    ShareableField("phones", IDENTITY, _("Phones")),
    ShareableField("addresses", IDENTITY, _("Addresses")),
    ShareableField("entry_point", CASE, _("Entry point")),
    ShareableField("exploitation", CASE, _("Types of exploitation and labour sector")),
    ShareableField("means_of_control", CASE, _("Means of control")),
    ShareableField("recruitment", CASE, _("Recruitment: methods and relationship")),
    ShareableField("events", CASE, _("Trafficking events: places and dates")),
    ShareableField("event_descriptions", CASE, _("Trafficking events: descriptions")),
)
SHAREABLE = {field.code: field for field in SHAREABLE_FIELDS}
# What an emergency override lets through, and what needs no agreement on data sharing across
# a border: nothing here identifies anyone.
EMERGENCY_MINIMUM = frozenset({"sex", "age_band", "languages"})
# The code travels always; it reveals nothing.
ALWAYS = "person_code"
NAME_PARTS = ("given_name", "patronymic", "family_name", "latin_name")

_LOWEST_AGE = re.compile(r"^\d+")


def age_band_of(person: Person) -> str:
    """The CTDC age band of the person today: from the birth year, else as recorded."""
    if person.birth_year is None:
        return person.age_band
    age = timezone.localdate().year - person.birth_year
    fitting = [band for band in AgeBand
               if int(_LOWEST_AGE.match(band.value).group()) <= age]  # type: ignore[union-attr]
    return fitting[-1].value if fitting else ""


def grouped_fields() -> list[tuple[str, Promise, list[ShareableField]]]:
    """The shareable fields by group, for the form and the shared page."""
    return [(group, label, [field for field in SHAREABLE_FIELDS if field.group == group])
            for group, label in GROUPS.items()]


def _events(case: Case, *, descriptions: bool) -> list[dict[str, Any]]:
    events = []
    for event in case.events.all():
        row: dict[str, Any] = {
            "stage": event.stage, "country": event.country, "region": event.region,
            "city": event.city, "date": event.date.isoformat() if event.date else "",
            "date_precision": event.date_precision,
        }
        if descriptions:
            row["description"] = event.description
        events.append(row)
    return events


def shared_snapshot(case: Case, identity: Identity | None, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` (codes of SHAREABLE) for the case's person, plus the code."""
    chosen = set(fields)
    person = case.person
    values: dict[str, Any] = {ALWAYS: person.code}
    simple = {
        "sex": lambda: person.sex,
        "age_band": lambda: age_band_of(person),
        "languages": lambda: list(person.languages or []),
        "birth_year": lambda: person.birth_year,
        "citizenships": lambda: list(person.citizenships or []),
        "entry_point": lambda: case.entry_point,
        "exploitation": lambda: {
            "exploitation_types": list(case.exploitation_types or []),
            "labour_industry": case.labour_industry,
            "sexual_exploitation_types": list(case.sexual_exploitation_types or []),
        },
        "means_of_control": lambda: list(case.means_of_control or []),
        "recruitment": lambda: {
            "recruitment_methods": list(case.recruitment_methods or []),
            "recruiter_relationship": case.recruiter_relationship,
        },
    }
    for code, read in simple.items():
        if code in chosen:
            values[code] = read()
    if "events" in chosen or "event_descriptions" in chosen:
        values["events"] = _events(case, descriptions="event_descriptions" in chosen)
    if identity is not None:
        if "names" in chosen:
            values["names"] = {part: getattr(identity, part) for part in NAME_PARTS}
        if "birth_date" in chosen:
            values["birth_date"] = {"value": identity.birth_date,
                                    "precision": identity.birth_date_precision}
        for code in ("aliases", "documents", "phones", "addresses"):
            if code in chosen:
                values[code] = list(getattr(identity, code) or [])
    return values
