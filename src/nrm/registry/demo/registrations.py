"""Turn drawn situations into what a case worker would enter: a person, an identity as written
(in Cyrillic, or in Latin letters from a passport), a case, its events and the consents given."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from nrm.accounts.roles import REGISTERING_ROLES
from nrm.directory.models import OrganisationKind as Kind
from nrm.registry.choices import (
    AgeBand,
    CaseStatus,
    ConsentMethod,
    ConsentPurpose,
    EventStage,
    Sex,
)
from nrm.registry.choices import EntryPoint as Entry
from nrm.registry.choices import ExploitationType as Exploitation
from nrm.registry.demo.directory import LOGINS, ORGANISATIONS, DemoLogin
from nrm.registry.demo.names import CUSTOMS, NameMaker, PersonName
from nrm.registry.demo.places import Place, address, phone
from nrm.registry.demo.profiles import DrawnCase, draw_case
from nrm.registry.inputs import (
    CaseInput,
    ConsentInput,
    DocumentInput,
    EventInput,
    IdentityInput,
    PersonInput,
)

NATIVE_LANGUAGE = {"KZ": "kk", "KG": "ky", "UZ": "uz", "TJ": "tg", "TM": "tk", "RU": "ru"}

# Who registers a person: an organisation at home (after return) ...
HOME_REGISTRARS: dict[str, dict[str, int]] = {
    "KG": {"kg-ngo-bishkek": 6, "kg-ngo-osh": 3, "kg-hotline": 1, "kg-police": 2},
    "KZ": {"kz-ngo-almaty": 2, "kz-shelter-astana": 1, "kz-labour": 1},
    "UZ": {"uz-ngo-tashkent": 1},
    "TJ": {"tj-ngo-dushanbe": 1, "tj-ngo-khujand": 1},
    "TM": {"tm-ngo-ashgabat": 1},
    "RU": {"ru-ngo-moscow": 1},
}
# ... or one in the country of exploitation: (organisation, weight, citizens it serves or all).
ABROAD_REGISTRARS: dict[str, tuple[tuple[str, int, frozenset[str] | None], ...]] = {
    "RU": (("ru-ngo-moscow", 2, None), ("ru-consulate-kg", 2, frozenset({"KG"})),
           ("ru-consulate-uz", 2, frozenset({"UZ"}))),
    "KZ": (("kz-ngo-almaty", 3, None), ("kz-shelter-astana", 1, None), ("kz-labour", 2, None)),
    "TR": (("tr-ngo-istanbul", 1, None),),
    "AE": (("ae-shelter", 1, None),),
}
# Those who meet persons in one way only say so in the entry point.
ENTRY_POINT_BY_KIND: dict[str, str] = {
    Kind.HOTLINE: Entry.HOTLINE, Kind.POLICE: Entry.POLICE, Kind.CONSULATE: Entry.CONSULATE,
    Kind.LABOUR_INSPECTORATE: Entry.LABOUR_INSPECTION,
}
# Organisations a person may agree to have their data shared with, by country.
SHARE_WITH = {
    "KG": ("kg-shelter", "kg-legal"), "KZ": ("kz-shelter-astana",), "UZ": ("uz-rehab",),
    "TJ": ("tj-io",),
}
CLOSURES = (
    ("Returned home and reintegrated; no further assistance requested.", False),
    ("The person declined further assistance.", False),
    ("Lost contact after return; three attempts to reach the person failed.", False),
    ("Referred to a shelter for long-term assistance.", True),
)
EXPLOITATION_TEXT: dict[str, str] = {
    Exploitation.FORCED_LABOUR: "Worked as a {job} in {city}; wages withheld.",
    Exploitation.SEXUAL_EXPLOITATION: "Forced into prostitution in {city}.",
    Exploitation.FORCED_BEGGING: "Made to beg at markets and bus stations in {city}.",
    Exploitation.FORCED_MARRIAGE: "Married against her will and kept in the household in {city}.",
    Exploitation.FORCED_CRIMINALITY: "Forced to deliver drugs in {city} to pay off a debt.",
}
RECRUITMENT_TEXT: dict[str, str] = {
    Exploitation.FORCED_BEGGING: "Taken from home by a relative.",
    Exploitation.FORCED_MARRIAGE: "Promised to a family by relatives.",
    Exploitation.FORCED_CRIMINALITY: "Answered an online offer of courier work in {city}.",
}


@dataclass(frozen=True)
class Closure:
    closed_on: dt.date
    reason: str
    referred: bool


@dataclass(frozen=True)
class Registration:
    """Everything one call of person_register needs, and how the case ends, if it has."""

    registrar: str  # DemoLogin.username
    name: PersonName
    drawn: DrawnCase
    person: PersonInput
    identity: IdentityInput
    case: CaseInput
    events: list[EventInput]
    consents: list[ConsentInput]
    closure: Closure | None


_KIND = {org.key: org.kind for org in ORGANISATIONS}
_COUNTRY = {org.key: org.country for org in ORGANISATIONS}
_REGISTERING_LOGINS: dict[str, list[DemoLogin]] = {}
for _login in LOGINS:
    if _login.role in REGISTERING_ROLES:
        _REGISTERING_LOGINS.setdefault(_login.organisation, []).append(_login)


def _partial(rng: random.Random, day: dt.date, exact_share: float) -> str:
    draw = rng.random()
    if draw < exact_share:
        return day.isoformat()
    if draw < exact_share + (1 - exact_share) * 0.75:
        return f"{day:%Y-%m}"
    return f"{day:%Y}"


class RegistrationMaker:
    """Draws complete registrations; the same seed gives the same demo."""

    def __init__(self, rng: random.Random, organisation_ids: dict[str, int], today: dt.date):
        self.rng = rng
        self.names = NameMaker(rng)
        self.organisation_ids = organisation_ids
        self.today = today

    def registration(self) -> Registration:
        rng = self.rng
        drawn = draw_case(rng, self.today)
        organisation = self._registering_organisation(drawn)
        logins = _REGISTERING_LOGINS[organisation]
        registrar = rng.choices(logins, weights=[3] + [2] * (len(logins) - 1))[0]
        name = self.names.person(drawn.citizenship, female=drawn.female)
        entry_point = ENTRY_POINT_BY_KIND.get(_KIND[organisation], drawn.entry_point)
        return Registration(
            registrar=registrar.username, name=name, drawn=drawn,
            person=self.person_input(drawn), identity=self.identity_input(drawn, name),
            case=CaseInput(
                entry_point=entry_point, opened_on=drawn.opened_on, status=self._status(drawn),
                exploitation_types=drawn.exploitation_types,
                labour_industry=drawn.labour_industry,
                sexual_exploitation_types=drawn.sexual_exploitation_types,
                means_of_control=drawn.means_of_control,
                recruitment_methods=drawn.recruitment_methods,
                recruiter_relationship=drawn.recruiter_relationship,
            ),
            events=self._events(drawn),
            consents=self._consents(drawn, organisation),
            closure=self._closure(drawn),
        )

    def _registering_organisation(self, drawn: DrawnCase) -> str:
        rng = self.rng
        destination = drawn.exploitation_place.country
        abroad = [
            (key, weight) for key, weight, serves in ABROAD_REGISTRARS.get(destination, ())
            if (serves is None or drawn.citizenship in serves)
            and (_KIND[key] != Kind.LABOUR_INSPECTORATE or Exploitation.FORCED_LABOUR in
                 drawn.exploitation_types)
        ]
        if drawn.abroad and abroad and rng.random() < 0.4:
            return rng.choices([k for k, _ in abroad], weights=[w for _, w in abroad])[0]
        home = {
            key: weight for key, weight in HOME_REGISTRARS[drawn.citizenship].items()
            # The police and labour inspectors meet persons where they are exploited.
            if not (drawn.abroad and _KIND[key] in (Kind.POLICE, Kind.LABOUR_INSPECTORATE))
            and (_KIND[key] != Kind.LABOUR_INSPECTORATE
                 or Exploitation.FORCED_LABOUR in drawn.exploitation_types)
        }
        return rng.choices(list(home), weights=list(home.values()))[0]

    def person_input(self, drawn: DrawnCase) -> PersonInput:
        rng = self.rng
        birth_year: int | None = drawn.opened_on.year - drawn.age
        age_band = ""
        if rng.random() < 0.05:  # not known: only an age band, as a worker estimated it
            birth_year = None
            age_band = _age_band(drawn.age)
        citizenships = [drawn.citizenship]
        if drawn.citizenship in {"KG", "TJ", "KZ"} and rng.random() < 0.04:
            citizenships.append("RU")
        native = NATIVE_LANGUAGE[drawn.citizenship]
        languages = [native]
        if native != "ru" and (drawn.citizenship != "TM" or rng.random() < 0.5):
            languages.append("ru")
        return PersonInput(
            sex=Sex.FEMININE if drawn.female else Sex.MASCULINE, birth_year=birth_year,
            age_band=age_band, citizenships=citizenships, languages=languages,
        )

    def identity_input(self, drawn: DrawnCase, name: PersonName) -> IdentityInput:
        rng = self.rng
        custom = CUSTOMS[drawn.citizenship]
        script = rng.random()
        latin_name = ""
        if script < custom.latin_share:  # typed from a passport only
            given, patronymic, family = name.latin_given, name.latin_patronymic, name.latin_family
            latin_name = name.passport
        else:
            given, patronymic, family = name.given, name.patronymic, name.family
            if script < custom.latin_share + 0.25:
                latin_name = name.passport
        aliases = self.names.aliases(name, working_name_share=drawn.profile.working_name_share)
        birth_date, estimated = "", False
        year = drawn.opened_on.year - drawn.age
        draw = rng.random()
        if draw < 0.55:
            birth_date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat()
        elif draw < 0.65:
            birth_date = f"{year}-{rng.randint(1, 12):02d}"
        elif draw < 0.9:
            birth_date = str(year)
        elif draw < 0.97:
            birth_date, estimated = str(year), True
        documents = []
        if not drawn.child and rng.random() < 0.75:
            documents.append(DocumentInput(kind="passport", number=_passport_number(
                rng, drawn.citizenship), country=drawn.citizenship))
        elif drawn.child and rng.random() < 0.4:
            documents.append(DocumentInput(kind="birth_certificate",
                                           number=f"I-{rng.randrange(10**6):06d}",
                                           country=drawn.citizenship))
        phones = []
        if not drawn.child and rng.random() < 0.7:
            phones.append(phone(rng, drawn.citizenship))
            if drawn.abroad and rng.random() < 0.3:
                phones.append(phone(rng, drawn.exploitation_place.country))
        addresses = [address(rng, drawn.home)] if rng.random() < 0.5 else []
        return IdentityInput(
            given_name=given, patronymic=patronymic, family_name=family, latin_name=latin_name,
            aliases=aliases, birth_date=birth_date, birth_date_estimated=estimated,
            documents=documents, phones=phones, addresses=addresses,
        )

    def _status(self, drawn: DrawnCase) -> str:
        days_open = (self.today - drawn.opened_on).days
        if days_open > 60 and self.rng.random() < 0.15:
            return CaseStatus.FOLLOW_UP
        return CaseStatus.ACTIVE

    def _events(self, drawn: DrawnCase) -> list[EventInput]:
        rng = self.rng
        kind = drawn.exploitation_types[0]
        place = drawn.exploitation_place
        values = {"job": drawn.job or "worker", "city": place.city}
        recruitment_text = RECRUITMENT_TEXT.get(kind, "Offered work as a {job} in {city}.")
        events = [_event(EventStage.RECRUITMENT, drawn.home, _partial(rng, drawn.recruited_on, 0.3),
                         recruitment_text.format(**values))]
        if drawn.transit is not None:
            crossed = drawn.recruited_on + dt.timedelta(days=rng.randint(1, 3))
            mode = "air" if drawn.exploitation_place.country in {"AE", "TR"} else "bus"
            events.append(_event(EventStage.TRANSIT, drawn.transit, _partial(rng, crossed, 0.5),
                                 f"Travelled by {mode} through {drawn.transit.city}."))
        events.append(_event(
            EventStage.EXPLOITATION, place, _partial(rng, drawn.exploited_from, 0.4),
            EXPLOITATION_TEXT.get(kind, "Exploited in {city}.").format(**values),
        ))
        return events

    def _consents(self, drawn: DrawnCase, organisation: str) -> list[ConsentInput]:
        rng = self.rng
        guardian = ""
        method = ConsentMethod.WRITTEN if rng.random() < 0.7 else ConsentMethod.ORAL
        if drawn.child:
            guardian = self.names.relative(drawn.citizenship, female=rng.random() < 0.6)
            method = ConsentMethod.GUARDIAN

        def consent(purpose: str, given: bool, recipient: str = "") -> ConsentInput:
            return ConsentInput(
                purpose=purpose, given=given, method=method,
                recipient_id=self.organisation_ids[recipient] if recipient else None,
                guardian_name=guardian, guardian_consented=(given if guardian else None),
            )

        consents = [consent(ConsentPurpose.SERVICES, rng.random() < 0.95),
                    consent(ConsentPurpose.STATISTICS, rng.random() < 0.85)]
        if rng.random() < 0.5:
            consents.append(consent(ConsentPurpose.LAW_ENFORCEMENT, rng.random() < 0.6))
        if rng.random() < 0.5:
            consents.append(consent(ConsentPurpose.FOLLOW_UP, rng.random() < 0.8))
        if drawn.abroad and rng.random() < 0.3:
            consents.append(consent(ConsentPurpose.CROSS_BORDER, True))
        partners = [key for key in SHARE_WITH.get(_COUNTRY[organisation], ())
                    if key != organisation]
        if partners and rng.random() < 0.2:
            consents.append(consent(ConsentPurpose.SHARE_ORGANISATION, True,
                                    recipient=rng.choice(partners)))
        return consents

    def _closure(self, drawn: DrawnCase) -> Closure | None:
        days_open = (self.today - drawn.opened_on).days
        if days_open < 90 or self.rng.random() >= 0.1:
            return None
        reason, referred = self.rng.choice(CLOSURES)
        closed_on = drawn.opened_on + dt.timedelta(days=self.rng.randint(30, min(days_open, 365)))
        return Closure(closed_on=closed_on, reason=reason, referred=referred)


def _event(stage: str, place: Place, date: str, description: str) -> EventInput:
    return EventInput(stage=stage, country=place.country, region=place.region, city=place.city,
                      date=date, description=description)


def _age_band(age: int) -> str:
    for band in AgeBand:
        low, _, high = band.value.partition("--")
        if high and int(low) <= age <= int(high):
            return band.value
    return AgeBand.B48.value


PASSPORT_PREFIXES = {"KG": "AC", "KZ": "N", "UZ": "FA", "TJ": "40", "TM": "A", "RU": "75"}


def _passport_number(rng: random.Random, country: str) -> str:
    prefix = PASSPORT_PREFIXES[country]
    return prefix + f"{rng.randrange(10**7):07d}"
