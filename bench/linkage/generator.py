"""Synthetic Central Asian records with ground truth: the same person recorded 1–4 times by
different organisations, each writing names its own way.

Each person has a Cyrillic name in their own language (Kazakh, Kyrgyz, Uzbek, Karakalpak, Tajik,
Turkmen, Russian), a sex, a birth date, a citizenship, a father (for a patronymic) and often
siblings. Each record of a person is written by one kind of organisation:

- an NGO in Cyrillic, often without the letters of the national alphabet (қ → к, ҷ → дж);
- the police or a border guard from the passport: the country's passport spelling, capitals;
- a partner abroad in the national Latin alphabet (Qairatqyzy, Oʻtkir, Çaryýew);
- a consulate or a hotline by ear: a spelling of this generator's own (not nrm's tables), with
  sounds heard differently (o/a, e/i, u/o) now and then.

On top: typos, patronymics of different styles or missing, birth dates known only to the month
or year or missing, a digit wrong or day and month swapped, given and family name in each
other's place, sex and citizenship missing. Hard negatives: siblings (same family name and
father, birth a few years apart, now and then twins), and common names drawn often (a Zipf law),
so that different people share a given and a family name, sometimes a birth year.

Every draw comes from one seeded random source: the same seed gives the same records.
"""

from __future__ import annotations

import functools
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from nrm.core.names import schemes
from nrm.linkage.records import PersonRecord
from nrm.registry.demo.names import CUSTOMS

LANGUAGE_OF = {"KZ": "kk", "KG": "ky", "UZ": "uz", "TJ": "tg", "TM": "tk", "RU": "ru"}
COUNTRY_SHARE = {"KG": 0.22, "UZ": 0.24, "KZ": 0.18, "TJ": 0.16, "TM": 0.12, "RU": 0.08}
KARAKALPAK_SHARE = 0.12  # of Uzbekistan's citizens
# How unequal names are: with 1/r^0.8 the most common of twenty given names is one person in
# eight, of a hundred family names one in twenty — more than in life, on purpose.
ZIPF = 0.7
# Names made of syllables of the region's names, per list: a few hundred for the accuracy sets,
# thousands for a million records, as a population that large has.
COMPOUNDS = {"large": 400, "huge": 3000}
# Siblings born the same day, of all sibling pairs: about as often as twins are born.
TWINS = 0.03

KARAKALPAK_MALE = ("Дәўлет", "Қалмурат", "Бердақ", "Ғайрат", "Өтебай", "Ажиниёз", "Бахтияр",
                   "Жоллыбай", "Есбосын", "Мурат")
KARAKALPAK_FEMALE = ("Ҳүрлиман", "Гүлнара", "Әсемгүл", "Зийба", "Айгүл", "Гүлзада", "Мәлика",
                     "Сәнем", "Айсәнем", "Ширин")
KARAKALPAK_FAMILY = ("Қалмуратов", "Бердақов", "Өтебаев", "Жоллыбаев", "Есбосынов", "Дәўлетов",
                     "Ажиниязов", "Айтмуратов", "Реймов", "Қурбанбаев")

# Suffixes that make family names of fathers' and grandfathers' names, as the region does.
FAMILY_SUFFIXES = {
    "KZ": ("ов", "ов", "бев", "ұлы"), "KG": ("ов", "ов", "бек уулу", "баев"),
    "UZ": ("ов", "ов", "баев", "хонов"), "TJ": ("ов", "зода", "зода", "пур"),
    "TM": ("ов", "ов", "гелдиев", "ов"), "RU": ("ов", "ин", "ов", "ев"),
}

# The generator's own ear: how a foreigner might write each Cyrillic letter (several ways).
EAR = {
    "а": ("a",), "б": ("b",), "в": ("v", "w"), "г": ("g",), "д": ("d",), "е": ("e", "ye", "ie"),
    "ё": ("yo", "io", "e"), "ж": ("zh", "j", "dj"), "з": ("z",), "и": ("i",),
    "й": ("y", "i", "j"), "к": ("k",), "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",),
    "п": ("p",), "р": ("r",), "с": ("s",), "т": ("t",), "у": ("u", "ou"), "ф": ("f",),
    "х": ("kh", "h", "x"), "ц": ("ts", "tz"), "ч": ("ch", "tch"), "ш": ("sh", "sch"),
    "щ": ("shch", "sh"), "ъ": ("",), "ы": ("y", "i", "ı"), "ь": ("", "'"), "э": ("e",),
    "ю": ("yu", "iu", "ju"), "я": ("ya", "ia", "ja"), "ә": ("a", "ae", "e"), "ғ": ("g", "gh"),
    "қ": ("k", "q", "kh"), "ң": ("n", "ng"), "ө": ("o", "oe", "u"), "ұ": ("u",),
    "ү": ("u", "ue", "yu"), "һ": ("h",), "і": ("i",), "ӣ": ("i", "ee"), "ӯ": ("u", "oo"),
    "ҳ": ("h", "kh"), "ҷ": ("j", "dzh", "dj"), "ў": ("o", "u", "w"), "җ": ("j", "dzh"),
}
RUSSIFY = str.maketrans({"қ": "к", "ғ": "г", "ң": "н", "ә": "а", "ө": "о", "ү": "у", "ұ": "у",
                         "і": "и", "һ": "х", "ҳ": "х", "ӣ": "и", "ӯ": "у", "ў": "у", "җ": "ж",
                         "Қ": "К", "Ғ": "Г", "Ң": "Н", "Ә": "А", "Ө": "О", "Ү": "У", "Ұ": "У",
                         "І": "И", "Һ": "Х", "Ҳ": "Х", "Ӣ": "И", "Ӯ": "У", "Ў": "У", "Җ": "Ж"})
RUSSIFY_DIGRAPHS = (("ҷ", "дж"), ("Ҷ", "Дж"))
VOWEL_SLIPS = {"o": "a", "a": "o", "e": "i", "i": "e", "u": "o"}
ALPHABET_LATIN = "abcdefghijklmnopqrstuvwxyz"
ALPHABET_CYRILLIC = "абвгдежзийклмнопрстуфхцчшыэюя"

STYLES = ("cyrillic", "passport", "national", "by_ear")
PASSPORT_SCHEME = {"kk": "passport", "ky": "passport", "uz": "passport", "tg": "passport",
                   "tk": "passport", "ru": "icao", "kaa": "passport"}
NATIONAL_SCHEME = {"kk": "latin_2021", "ky": "latin_informal", "uz": "latin_1995",
                   "tg": "latin_informal", "tk": "latin_1993", "ru": "bgn_pcgn",
                   "kaa": "latin_2016"}


@dataclass(frozen=True)
class Person:
    """One synthetic person, in their own language's Cyrillic."""

    person_id: int
    language: str
    country: str
    female: bool
    given: str
    family: str  # the form of their sex (Мамытова, Мамытов)
    father: str
    patronymic_style: str  # "russian", "marker" or "" (none)
    birth: tuple[int, int, int]


class Generator:
    """Draws people and their records from one seeded random source."""

    def __init__(self, seed: int = 2024, *, name_pool: str = "large") -> None:
        self.rng = random.Random(seed)
        self._pools = self._build_pools(name_pool)

    # --- names ------------------------------------------------------------------------------

    def _build_pools(self, size: str) -> dict[str, dict[str, list[str]]]:
        pools: dict[str, dict[str, list[str]]] = {}
        for country, custom in CUSTOMS.items():
            male, female = list(custom.male), list(custom.female)
            family = list(custom.family) + list(custom.neutral_family)
            # Family names made of fathers' names: Азаматов, Нурланбаев, Фаррухзода…
            family += [name + suffix for name in male for suffix in FAMILY_SUFFIXES[country]]
            if size in COMPOUNDS:
                limit = COMPOUNDS[size]
                family += [name + suffix for name in _compounds(male, limit)
                           for suffix in FAMILY_SUFFIXES[country][: 1 + limit // 1000]]
                male += _compounds(male, limit)
                female += _compounds(female, limit)
            pools[country] = {"male": male, "female": female, "family": family}
        pools["KAA"] = {"male": list(KARAKALPAK_MALE), "female": list(KARAKALPAK_FEMALE),
                        "family": list(KARAKALPAK_FAMILY)
                        + [name + "ов" for name in KARAKALPAK_MALE]}
        self._weights = {
            id(names): list(itertools.accumulate(1 / (rank + 1) ** ZIPF for rank in
                                                 range(len(names))))
            for pool in pools.values() for names in pool.values()
        }
        return pools

    def _zipf(self, names: list[str]) -> str:
        # Common names are common: the name of rank r is drawn with weight 1/r^ZIPF.
        return self.rng.choices(names, cum_weights=self._weights[id(names)])[0]

    def person(self, person_id: int, *, sibling_of: Person | None = None) -> Person:
        rng = self.rng
        if sibling_of is not None:
            country, language = sibling_of.country, sibling_of.language
        else:
            country = rng.choices(list(COUNTRY_SHARE), weights=list(COUNTRY_SHARE.values()))[0]
            language = LANGUAGE_OF[country]
            if country == "UZ" and rng.random() < KARAKALPAK_SHARE:
                language = "kaa"
        pool = self._pools["KAA" if language == "kaa" else country]
        female = rng.random() < 0.62
        given = self._zipf(pool["female" if female else "male"])
        if sibling_of is not None:
            family, father = _masculine(sibling_of.family), sibling_of.father
            year, month, day = sibling_of.birth
            if rng.random() < TWINS:
                while given == sibling_of.given:
                    given = self._zipf(pool["female" if female else "male"])
                birth = (year, month, day)
            else:
                birth = _date(rng, year + rng.choice((-6, -4, -3, -2, -1, 1, 2, 3, 5)))
        else:
            family = self._zipf(pool["family"])
            father = self._zipf(pool["male"])
            birth = _date(rng, rng.randint(1960, 2010))
        if female:
            family = _feminine(family)
        style = rng.choices(("russian", "marker", ""), weights=(0.45, 0.2, 0.35))[0]
        return Person(person_id, language, country, female, given, family, father, style, birth)

    # --- records ----------------------------------------------------------------------------

    def records(self, person: Person, count: int) -> Iterator[PersonRecord]:
        rng = self.rng
        for number in range(count):
            style = rng.choice(STYLES)
            yield self._record(person, f"p{person.person_id}-{number}", style)

    def _record(self, person: Person, record_id: str, style: str) -> PersonRecord:
        rng = self.rng
        given, family = person.given, person.family
        patronymic = ""
        if person.patronymic_style == "russian" and rng.random() < 0.8:
            patronymic = _russian_patronymic(person.father, person.female)
        elif person.patronymic_style == "marker" and rng.random() < 0.8:
            marker = _marker(person.language, person.female)
            patronymic = f"{person.father} {marker}" if marker else ""
        spell = self._speller(person.language, style)
        given, family, patronymic = spell(given), spell(family), spell(patronymic)
        if style != "cyrillic" and rng.random() < 0.3:
            given, family, patronymic = given.upper(), family.upper(), patronymic.upper()
        given, family = self._typo(given), self._typo(family)
        given, family = self._slip(given), self._slip(family)
        if rng.random() < 0.1:
            given, family = family, given
        return PersonRecord(
            record_id=record_id, given_name=given, patronymic=patronymic, family_name=family,
            birth_date=self._birth_date(person.birth),
            sex=("" if rng.random() < 0.1 else ("Feminine" if person.female else "Masculine")),
            citizenship="" if rng.random() < 0.2 else person.country, source=style,
        )

    def _speller(self, language: str, style: str):
        rng = self.rng
        if style == "cyrillic":
            if language != "ru" and rng.random() < 0.5:
                return _russify
            return lambda text: text
        if style == "passport":
            scheme = PASSPORT_SCHEME[language]
            if language == "ru" and rng.random() < 0.5:
                scheme = "passport_1997"
            return lambda text: _spell(text, language, scheme).upper()
        if style == "national":
            return lambda text: _spell(text, language, NATIONAL_SCHEME[language])
        return self._by_ear

    def _by_ear(self, text: str) -> str:
        out = []
        for char in text:
            options = EAR.get(char.lower())
            if options is None:
                out.append(char)
                continue
            latin = options[0] if self.rng.random() < 0.6 else self.rng.choice(options)
            out.append(latin.capitalize() if char.isupper() else latin)
        return "".join(out)

    def _slip(self, text: str) -> str:
        """A vowel heard differently, now and then."""
        if not text or self.rng.random() > 0.12:
            return text
        positions = [i for i, c in enumerate(text) if c.lower() in VOWEL_SLIPS]
        if not positions:
            return text
        i = self.rng.choice(positions)
        swapped = VOWEL_SLIPS[text[i].lower()]
        return text[:i] + (swapped.upper() if text[i].isupper() else swapped) + text[i + 1:]

    def _typo(self, text: str) -> str:
        """One keying error, now and then: a letter replaced, dropped, doubled or swapped."""
        rng = self.rng
        if len(text) < 4 or rng.random() > 0.08:
            return text
        i = rng.randrange(1, len(text) - 1)
        letters = ALPHABET_CYRILLIC if "а" <= text[i].lower() <= "я" else ALPHABET_LATIN
        kind = rng.randrange(4)
        if kind == 0:
            letter = rng.choice(letters)
            return text[:i] + (letter.upper() if text[i].isupper() else letter) + text[i + 1:]
        if kind == 1:
            return text[:i] + text[i + 1:]
        if kind == 2:
            return text[:i] + text[i] + text[i:]
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]

    def _birth_date(self, birth: tuple[int, int, int]) -> str:
        rng = self.rng
        year, month, day = birth
        draw = rng.random()
        if draw < 0.05:
            return ""
        if draw < 0.17:
            return f"{year:04d}"
        if draw < 0.27:
            return f"{year:04d}-{month:02d}"
        if rng.random() < 0.06:  # a wrong digit, or day and month swapped
            if day <= 12 and day != month and rng.random() < 0.5:
                month, day = day, month
            else:
                day = min(28, max(1, day + rng.choice((-1, 1, 10, -10))))
        return f"{year:04d}-{month:02d}-{day:02d}"


@functools.lru_cache(maxsize=200_000)
def _spell(text: str, language: str, scheme: str) -> str:
    # A million records spell the same few thousand names again and again.
    return schemes(language)[scheme].spell(text) if text else ""


def _compounds(names: list[str], limit: int) -> list[str]:
    """More names of the same making, from the first and last syllables of the common ones
    (Айгуль and Нурбек make Айгбек and Нургуль): the long tail of rarer names."""
    heads = sorted({name[:3] for name in names})
    tails = sorted({name[-3:] for name in names})
    made = [head + tail for head in heads for tail in tails if head + tail not in names]
    return random.Random(len(names)).sample(made, min(limit, len(made)))


def _date(rng: random.Random, year: int) -> tuple[int, int, int]:
    return year, rng.randint(1, 12), rng.randint(1, 28)


def _feminine(family: str) -> str:
    if family.endswith(("ов", "ев", "ин")):
        return family + "а"
    if family.endswith(" уулу"):
        return family[:-5] + " кызы"
    if family.endswith("ұлы"):
        return family[:-3] + "қызы"
    return family


def _masculine(family: str) -> str:
    if family.endswith(("ова", "ева", "ина")):
        return family[:-1]
    if family.endswith(" кызы"):
        return family[:-5] + " уулу"
    if family.endswith("қызы"):
        return family[:-4] + "ұлы"
    return family


def _russian_patronymic(father: str, female: bool) -> str:
    stem = father[:-1] + "ев" if father.endswith("й") else father + (
        "ев" if father[-1] in "аеиоуыэюяәөұүі" else "ов")
    return stem + ("на" if female else "ич")


def _marker(language: str, female: bool) -> str:
    markers = {"kk": ("ұлы", "қызы"), "ky": ("уулу", "кызы"), "uz": ("ўғли", "қизи"),
               "kaa": ("улы", "қызы"), "tk": ("оглы", "гызы")}
    son, daughter = markers.get(language, ("", ""))
    return daughter if female else son


def _russify(text: str) -> str:
    for letter, digraph in RUSSIFY_DIGRAPHS:
        text = text.replace(letter, digraph)
    return text.translate(RUSSIFY)


@dataclass(frozen=True)
class Dataset:
    records: list[PersonRecord]
    person_of: dict[str, int]  # record id → person id (the ground truth)


def generate(persons: int, *, seed: int = 2024, name_pool: str = "large",
             sibling_share: float = 0.25) -> Dataset:
    """``persons`` people, each recorded 1–4 times (mean about 2), siblings among them."""
    generator = Generator(seed, name_pool=name_pool)
    rng = generator.rng
    records: list[PersonRecord] = []
    person_of: dict[str, int] = {}
    previous: Person | None = None
    for person_id in range(persons):
        sibling = previous if previous is not None and rng.random() < sibling_share else None
        person = generator.person(person_id, sibling_of=sibling)
        count = rng.choices((1, 2, 3, 4), weights=(0.35, 0.35, 0.2, 0.1))[0]
        for record in generator.records(person, count):
            records.append(record)
            person_of[record.record_id] = person_id
        previous = person
    rng.shuffle(records)
    return Dataset(records=records, person_of=person_of)
