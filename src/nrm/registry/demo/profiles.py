"""Trafficking situations as the region's reports describe them, to draw synthetic cases from.

Labour exploitation in Russia and Kazakhstan is most common (construction, agriculture, markets,
domestic work); sexual exploitation mostly of women in the UAE and Turkey; internal trafficking;
children made to beg; a few forced marriages and cases of forced criminality.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from dataclasses import dataclass, field

from nrm.registry.choices import EntryPoint as Entry
from nrm.registry.choices import ExploitationType as Exploitation
from nrm.registry.choices import LabourIndustry as Industry
from nrm.registry.choices import MeansOfControl as Control
from nrm.registry.choices import RecruiterRelationship as Relationship
from nrm.registry.choices import RecruitmentMethod as Recruitment
from nrm.registry.choices import SexualExploitationType as SexualType
from nrm.registry.demo.places import DESTINATIONS, INTERNAL, ORIGINS, TRANSITS, Place, pick

HOME = "home"  # exploited in the person's own country

_LABOUR_MEANS: dict[str, int] = {
    Control.WITHHOLDS_DOCUMENTS: 6, Control.DEBT_BONDAGE: 4, Control.FALSE_PROMISES: 5,
    Control.TAKES_EARNINGS: 4, Control.EXCESSIVE_WORKING_HOURS: 4,
    Control.THREATS_LAW_ENFORCEMENT: 3, Control.PHYSICAL_THREATS: 2, Control.PHYSICAL_ABUSE: 1,
    Control.WITHHOLDS_NECESSITIES: 1, Control.RESTRICTS_MEDICAL_CARE: 1,
}
_SEXUAL_MEANS: dict[str, int] = {
    Control.FALSE_PROMISES: 6, Control.WITHHOLDS_DOCUMENTS: 5, Control.DEBT_BONDAGE: 5,
    Control.PHYSICAL_THREATS: 3, Control.SEXUAL_ABUSE: 3, Control.PSYCHOLOGICAL_ABUSE: 2,
    Control.THREATENS_FAMILY: 2, Control.TAKES_EARNINGS: 3, Control.PSYCHOACTIVE_SUBSTANCE: 1,
    Control.RESTRICTS_FINANCIAL_ACCESS: 1,
}
_MIGRANT_RECRUITMENT: dict[str, int] = {
    Recruitment.FRIENDS: 4, Recruitment.FAMILY: 2, Recruitment.ONLINE_SOCIAL_NETWORKS: 3,
    Recruitment.ONLINE_ADVERTISEMENT: 2, Recruitment.AT_WORK: 1,
    Recruitment.PLACE_OF_BUSINESS: 1,
}
_SEXUAL_RECRUITMENT: dict[str, int] = {
    Recruitment.ONLINE_SOCIAL_NETWORKS: 5, Recruitment.FRIENDS: 4,
    Recruitment.ONLINE_ADVERTISEMENT: 2, Recruitment.FAMILY: 1,
}
_FAMILY_RECRUITMENT: dict[str, int] = {Recruitment.FAMILY: 6, Recruitment.FRIENDS: 1}
_MOSTLY_ACQUAINTED: dict[str, int] = {
    Relationship.ACQUAINTED: 5, Relationship.UNACQUAINTED: 3, Relationship.FAMILIAL: 1,
}
_OFTEN_ACQUAINTED: dict[str, int] = {
    Relationship.ACQUAINTED: 5, Relationship.UNACQUAINTED: 2, Relationship.FAMILIAL: 1,
}
_MOSTLY_FAMILY: dict[str, int] = {Relationship.FAMILIAL: 5, Relationship.ACQUAINTED: 2}

# What the person was promised or made to do, by labour sector.
JOBS: dict[str, tuple[str, ...]] = {
    Industry.F: ("builder", "concrete worker", "plasterer"),
    Industry.A: ("farm worker", "tobacco picker"),
    Industry.C: ("sewing machinist", "factory worker"),
    Industry.G: ("market porter", "shop assistant"),
    Industry.I: ("kitchen helper", "dishwasher"),
    Industry.T: ("domestic worker", "nanny", "carer"),
    Industry.H: ("driver", "warehouse loader"),
    Industry.E: ("street cleaner", "waste sorter"),
    Industry.B: ("quarry worker",),
}
PROMISED_TO_WOMEN = ("waitress", "nanny", "hotel maid", "shop assistant", "dancer")


@dataclass(frozen=True)
class Profile:
    key: str
    weight: int
    citizenships: dict[str, int]
    destinations: tuple[str, ...]  # countries, or HOME
    female_share: float
    ages: tuple[int, int]
    exploitation: tuple[str, ...]
    means: dict[str, int]
    recruitment: dict[str, int]
    relationship: dict[str, int]
    entry_points: dict[str, int]
    industries: dict[str, int] = field(default_factory=dict)
    sexual: dict[str, int] = field(default_factory=dict)
    extra_exploitation: tuple[str, ...] = ()
    working_name_share: float = 0.1


PROFILES: tuple[Profile, ...] = (
    Profile(
        "labour_ru", 34, {"UZ": 4, "TJ": 4, "KG": 3, "KZ": 1}, ("RU",), 0.25, (18, 50),
        (Exploitation.FORCED_LABOUR,), _LABOUR_MEANS, _MIGRANT_RECRUITMENT, _MOSTLY_ACQUAINTED,
        {Entry.CONSULATE: 2, Entry.DIASPORA: 2, Entry.HOTLINE: 3, Entry.NGO_OUTREACH: 3,
         Entry.SELF_REFERRAL: 2, Entry.OTHER: 1},
        industries={Industry.F: 6, Industry.A: 2, Industry.C: 2, Industry.G: 2, Industry.I: 2,
                    Industry.T: 1, Industry.H: 1, Industry.E: 1},
        extra_exploitation=(Exploitation.SERVITUDE,), working_name_share=0.2,
    ),
    Profile(
        "labour_kz", 18, {"UZ": 4, "KG": 3, "TJ": 2}, ("KZ",), 0.3, (18, 55),
        (Exploitation.FORCED_LABOUR,), _LABOUR_MEANS,
        {**_MIGRANT_RECRUITMENT, Recruitment.PLACE_OF_BUSINESS: 2}, _MOSTLY_ACQUAINTED,
        {Entry.LABOUR_INSPECTION: 3, Entry.POLICE: 2, Entry.NGO_OUTREACH: 3, Entry.HOTLINE: 2},
        industries={Industry.A: 5, Industry.F: 3, Industry.G: 2, Industry.T: 2, Industry.I: 1,
                    Industry.C: 1},
    ),
    Profile(
        "sexual_ae", 11, {"UZ": 4, "KG": 3, "KZ": 2, "TJ": 1, "RU": 1}, ("AE",), 0.97, (18, 35),
        (Exploitation.SEXUAL_EXPLOITATION,), _SEXUAL_MEANS, _SEXUAL_RECRUITMENT,
        _OFTEN_ACQUAINTED,
        {Entry.CONSULATE: 3, Entry.HOTLINE: 3, Entry.NGO_OUTREACH: 2, Entry.POLICE: 1,
         Entry.SELF_REFERRAL: 1},
        sexual={SexualType.PROSTITUTION: 5, SexualType.PRIVATE_SEXUAL: 2,
                SexualType.REMOTE_INTERACTIVE: 1},
        working_name_share=0.5,
    ),
    Profile(
        "sexual_tr", 9, {"TM": 4, "UZ": 3, "KG": 2, "KZ": 1}, ("TR",), 0.95, (18, 35),
        (Exploitation.SEXUAL_EXPLOITATION,), _SEXUAL_MEANS, _SEXUAL_RECRUITMENT,
        _OFTEN_ACQUAINTED,
        {Entry.CONSULATE: 3, Entry.HOTLINE: 2, Entry.NGO_OUTREACH: 3, Entry.POLICE: 1},
        sexual={SexualType.PROSTITUTION: 5, SexualType.PRIVATE_SEXUAL: 2,
                SexualType.PORNOGRAPHY: 1},
        working_name_share=0.5,
    ),
    Profile(
        "labour_tr", 5, {"TM": 4, "UZ": 2, "KG": 1}, ("TR",), 0.6, (20, 55),
        (Exploitation.FORCED_LABOUR,), _LABOUR_MEANS, _MIGRANT_RECRUITMENT, _MOSTLY_ACQUAINTED,
        {Entry.CONSULATE: 3, Entry.NGO_OUTREACH: 2, Entry.DIASPORA: 2, Entry.HOTLINE: 1},
        industries={Industry.T: 4, Industry.C: 3, Industry.I: 2, Industry.F: 1},
        extra_exploitation=(Exploitation.SERVITUDE,),
    ),
    Profile(
        "internal_labour", 6, {"KG": 3, "KZ": 3, "UZ": 2, "TJ": 1, "TM": 1}, (HOME,), 0.4,
        (16, 60), (Exploitation.FORCED_LABOUR,), _LABOUR_MEANS,
        {Recruitment.FRIENDS: 3, Recruitment.FAMILY: 2, Recruitment.PLACE_OF_BUSINESS: 2,
         Recruitment.NEWSPAPER_ADVERT: 1},
        _MOSTLY_ACQUAINTED,
        {Entry.POLICE: 3, Entry.LABOUR_INSPECTION: 2, Entry.NGO_OUTREACH: 2, Entry.HOTLINE: 2},
        industries={Industry.A: 4, Industry.G: 2, Industry.F: 2, Industry.T: 1, Industry.B: 1},
    ),
    Profile(
        "internal_sexual", 4, {"KG": 3, "KZ": 3, "UZ": 2, "TJ": 1}, (HOME,), 0.95, (15, 30),
        (Exploitation.SEXUAL_EXPLOITATION,), _SEXUAL_MEANS, _SEXUAL_RECRUITMENT,
        {Relationship.ACQUAINTED: 4, Relationship.UNACQUAINTED: 2, Relationship.FAMILIAL: 1},
        {Entry.POLICE: 3, Entry.HOTLINE: 2, Entry.NGO_OUTREACH: 2, Entry.HEALTH_WORKER: 1},
        sexual={SexualType.PROSTITUTION: 4, SexualType.PRIVATE_SEXUAL: 1,
                SexualType.REMOTE_INTERACTIVE: 1},
        working_name_share=0.3,
    ),
    Profile(
        "begging_children", 5, {"TJ": 3, "UZ": 2, "KG": 2, "KZ": 1}, (HOME, "KZ", "RU"), 0.45,
        (6, 15), (Exploitation.FORCED_BEGGING,),
        {Control.TAKES_EARNINGS: 5, Control.PHYSICAL_ABUSE: 3, Control.PHYSICAL_THREATS: 3,
         Control.WITHHOLDS_NECESSITIES: 3, Control.PSYCHOLOGICAL_ABUSE: 2},
        _FAMILY_RECRUITMENT, {Relationship.FAMILIAL: 6, Relationship.ACQUAINTED: 2},
        {Entry.POLICE: 5, Entry.NGO_OUTREACH: 3, Entry.HEALTH_WORKER: 1},
        extra_exploitation=(Exploitation.CHILD_LABOUR,), working_name_share=0.0,
    ),
    Profile(
        "forced_marriage", 2, {"KG": 2, "UZ": 1, "TJ": 1}, (HOME, "RU"), 1.0, (16, 25),
        (Exploitation.FORCED_MARRIAGE,),
        {Control.PHYSICAL_THREATS: 3, Control.PSYCHOLOGICAL_ABUSE: 3, Control.SEXUAL_ABUSE: 2,
         Control.THREATENS_FAMILY: 2, Control.RESTRICTS_FINANCIAL_ACCESS: 1},
        _FAMILY_RECRUITMENT, _MOSTLY_FAMILY,
        {Entry.HOTLINE: 3, Entry.NGO_OUTREACH: 2, Entry.POLICE: 1, Entry.SELF_REFERRAL: 1},
        extra_exploitation=(Exploitation.SERVITUDE,), working_name_share=0.0,
    ),
    Profile(
        "criminality_ru", 3, {"UZ": 2, "KG": 2, "TJ": 2, "KZ": 1}, ("RU",), 0.3, (17, 30),
        (Exploitation.FORCED_CRIMINALITY,),
        {Control.THREATS_LAW_ENFORCEMENT: 4, Control.DEBT_BONDAGE: 3,
         Control.PHYSICAL_THREATS: 3, Control.WITHHOLDS_DOCUMENTS: 3, Control.FALSE_PROMISES: 2},
        {Recruitment.ONLINE_ADVERTISEMENT: 4, Recruitment.ONLINE_SOCIAL_NETWORKS: 3},
        {Relationship.UNACQUAINTED: 5, Relationship.ACQUAINTED: 1},
        {Entry.POLICE: 3, Entry.CONSULATE: 2, Entry.NGO_OUTREACH: 1},
    ),
)


@dataclass(frozen=True)
class DrawnCase:
    """One synthetic situation: who, from where, exploited where and how, and when."""

    profile: Profile
    citizenship: str
    female: bool
    age: int  # when the case was opened
    home: Place
    exploitation_place: Place
    transit: Place | None
    exploitation_types: list[str]
    labour_industry: str
    sexual_exploitation_types: list[str]
    means_of_control: list[str]
    recruitment_methods: list[str]
    recruiter_relationship: str
    entry_point: str
    job: str
    recruited_on: dt.date
    exploited_from: dt.date
    opened_on: dt.date

    @property
    def abroad(self) -> bool:
        return self.exploitation_place.country != self.citizenship

    @property
    def child(self) -> bool:
        return self.age < 18


_CUMULATIVE: dict[int, tuple[list[str], list[int]]] = {}


def _cumulative(weights: dict[str, int]) -> tuple[list[str], list[int]]:
    # The tables above are module constants: their cumulative weights are computed once, which
    # keeps `nrm seed` fast.
    found = _CUMULATIVE.get(id(weights))
    if found is None:
        found = _CUMULATIVE[id(weights)] = (
            list(weights), list(itertools.accumulate(weights.values()))
        )
    return found


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    values, cumulative = _cumulative(weights)
    return rng.choices(values, cum_weights=cumulative)[0]


def _weighted_sample(rng: random.Random, weights: dict[str, int], count: int) -> list[str]:
    """Up to ``count`` different values, likelier ones first more often."""
    values, cumulative = _cumulative(weights)
    drawn = rng.choices(values, cum_weights=cumulative, k=count * 2)
    return list(dict.fromkeys(drawn))[:count]


_PROFILE_CUMULATIVE = list(itertools.accumulate(profile.weight for profile in PROFILES))


@functools.cache
def _transit_stops(citizenship: str, destination: str) -> tuple[Place, ...]:
    routes = TRANSITS.get(destination, ())
    return tuple(stop for stop in routes if stop.country not in (citizenship, destination))


def draw_case(rng: random.Random, today: dt.date) -> DrawnCase:
    """A random situation, following the weights of the profiles above."""
    profile = rng.choices(PROFILES, cum_weights=_PROFILE_CUMULATIVE)[0]
    citizenship = _weighted(rng, profile.citizenships)
    destination = rng.choice(profile.destinations)
    home = pick(rng, ORIGINS[citizenship])
    if destination in {HOME, citizenship}:
        place = pick(rng, INTERNAL[citizenship])
        transit = None
    else:
        place = pick(rng, DESTINATIONS[destination])
        stops = _transit_stops(citizenship, destination)
        transit = pick(rng, stops) if stops and rng.random() < 0.4 else None
    opened_on = today - dt.timedelta(days=rng.randint(3, 3 * 365))
    exploited_from = opened_on - dt.timedelta(days=rng.randint(20, 700))
    recruited_on = exploited_from - dt.timedelta(days=rng.randint(3, 90))
    industry = _weighted(rng, profile.industries) if profile.industries else ""
    female = rng.random() < profile.female_share
    types = list(profile.exploitation)
    if profile.extra_exploitation and rng.random() < 0.2:
        types.append(rng.choice(profile.extra_exploitation))
    if industry:
        job = rng.choice(JOBS.get(industry, ("worker",)))
    elif profile.sexual:
        job = rng.choice(PROMISED_TO_WOMEN)
    else:
        job = ""
    return DrawnCase(
        profile=profile, citizenship=citizenship, female=female,
        age=rng.randint(*profile.ages), home=home, exploitation_place=place, transit=transit,
        exploitation_types=types, labour_industry=industry,
        sexual_exploitation_types=(
            _weighted_sample(rng, profile.sexual, rng.randint(1, 2)) if profile.sexual else []
        ),
        means_of_control=_weighted_sample(rng, profile.means, rng.randint(2, 4)),
        recruitment_methods=_weighted_sample(rng, profile.recruitment, rng.choice((1, 1, 2))),
        recruiter_relationship=_weighted(rng, profile.relationship),
        entry_point=_weighted(rng, profile.entry_points),
        job=job, recruited_on=recruited_on, exploited_from=exploited_from, opened_on=opened_on,
    )
