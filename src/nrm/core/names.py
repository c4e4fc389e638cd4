"""Names across scripts: transliteration per language, a sound-alike skeleton, and what each
part of a name is.

"Қайратқызы Айдана", "KAIRATKYZY AIDANA" and "Kairat kyzy Aidana" are one name. Three steps get
there, each driven by data files under ``core/data`` rather than by code:

- ``transliteration/*.json``: per-language Cyrillic → Latin schemes (ICAO 9303 as each country's
  passports apply it, the national Latin alphabets, Russian-style and by-ear spellings), used to
  spell a name the ways it is met (`spellings`) and for the readable Latin form (`transliterate`);
- ``names/sound_alike.json``: the folds and rules that reduce any spelling to a skeleton
  (q/k, gh/g, kh/h/x, zh/j/dzh, y/i, ts/c, apostrophes and doubled letters dropped);
- ``names/morphology.json``: patronymic markers (uulu, kyzy, ұлы, қызы, o'g'li), Russian-style
  patronymics (-ovich, -ovna), gendered endings (-ov/-ova, -ev/-eva, -in/-ina, -ow/-owa) and the
  endings that mark a family name, so that `person_name_keys` neither assumes the order of the
  parts nor tells a brother from his sister by the ending of their family name.

The registry's blind index (`name_keys`) and linkage (`person_name_keys`) share the skeleton, so
that a name found by search is the name that linkage compares. Changing a rule changes the index:
ship it with a migration that re-indexes (see registry migration 0002).
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
TRANSLITERATION_DIR = DATA_DIR / "transliteration"

# The languages whose Cyrillic has a table in transliteration/.
LANGUAGES = ("ru", "kk", "ky", "tg", "uz", "tk", "kaa")

_CYRILLIC_VOWELS = frozenset("аеёиоуыэюяәөұүіӣӯ")
_SEPARATORS = re.compile(r"[\s\-,.;/()]+")
_APOSTROPHES = re.compile(r"['’ʼʻ`´‘\"]")


@functools.cache
def _read(relative: str) -> dict[str, Any]:
    with (DATA_DIR / relative).open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = json.load(handle)
    return loaded


# nrm's own readable table: the registry's Latin name when none is given, and the skeleton's
# first step from any Cyrillic alphabet.
CYRILLIC_TO_LATIN: dict[str, str] = _read("transliteration/nrm.json")["cyrillic"]
ICAO_9303: dict[str, str] = _read("transliteration/icao9303.json")["cyrillic"]

_SOUND_ALIKE = _read("names/sound_alike.json")
LATIN_FOLDS: dict[str, str] = _SOUND_ALIKE["folds"]
SKELETON_RULES: tuple[tuple[str, str], ...] = tuple(
    (pattern, replacement) for pattern, replacement, _why in _SOUND_ALIKE["rules"]
)
_COMPILED_RULES = tuple((re.compile(pattern), repl) for pattern, repl in SKELETON_RULES)

_MORPHOLOGY = _read("names/morphology.json")
PATRONYMIC_MARKERS = frozenset(
    _MORPHOLOGY["patronymic_markers"]["son"] + _MORPHOLOGY["patronymic_markers"]["daughter"]
)
# Longest first, so that -inichna is found before -ichna and -ich.
PATRONYMIC_SUFFIXES: tuple[str, ...] = tuple(sorted(
    _MORPHOLOGY["patronymic_suffixes"]["son"] + _MORPHOLOGY["patronymic_suffixes"]["daughter"],
    key=len, reverse=True,
))
GENDERED_ENDINGS: tuple[tuple[str, str], ...] = tuple(
    (feminine, masculine) for feminine, masculine in _MORPHOLOGY["gendered_endings"]["endings"]
)
_PATRONYMIC_ENDINGS = (*sorted(PATRONYMIC_MARKERS), *PATRONYMIC_SUFFIXES)
_STRONG_FAMILY_ENDINGS: tuple[str, ...] = tuple(_MORPHOLOGY["family_endings"]["strong"])
_WEAK_FAMILY_ENDINGS: tuple[str, ...] = tuple(_MORPHOLOGY["family_endings"]["weak"])
# A root shorter than this is no name: "Ич" is not the son of "".
_MIN_ROOT = 3


# --- transliteration -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scheme:
    """One way of writing one language's Cyrillic in Latin letters."""

    language: str
    name: str
    about: str
    letters: dict[str, str]
    iotated_e: str = "e"  # е at the start of a word or after a vowel: Yerlan, Boboyev
    digraphs: tuple[tuple[str, str], ...] = ()  # Russian дж for the sound other schemes write j

    def spell(self, text: str) -> str:
        """``text`` in this scheme's Latin letters; capitals kept (AIDANA stays upper case)."""
        return " ".join(self._spell_word(word) for word in text.split(" "))

    def _spell_word(self, word: str) -> str:
        lower = word.lower()
        out: list[str] = []
        index = 0
        while index < len(lower):
            for digraph, latin in self.digraphs:
                if lower.startswith(digraph, index):
                    out.append(_with_case(latin, word[index:index + len(digraph)]))
                    index += len(digraph)
                    break
            else:
                char = lower[index]
                previous = lower[index - 1] if index else ""
                if char == "е" and (not previous or previous in _CYRILLIC_VOWELS):
                    latin = self.iotated_e
                else:
                    latin = self.letters.get(char, char)
                out.append(_with_case(latin, word[index], upper_word=word.isupper()))
                index += 1
        return "".join(out)


def _with_case(latin: str, original: str, *, upper_word: bool = False) -> str:
    if not original[:1].isupper() or not latin:
        return latin
    if upper_word or (original.isupper() and len(original) > 1):
        return latin.upper()
    return latin[0].upper() + latin[1:]


@functools.cache
def schemes(language: str) -> dict[str, Scheme]:
    """The transliteration schemes of a language (see `LANGUAGES`), by name."""
    if language not in LANGUAGES:
        raise KeyError(language)
    table = _read(f"transliteration/{language}.json")
    found: dict[str, Scheme] = {}
    for name, spec in table["schemes"].items():
        base = _read(f"transliteration/{spec['based_on']}.json")["cyrillic"]
        found[name] = Scheme(
            language=language, name=name, about=spec["about"],
            # Letters of another alphabet (a Kazakh қ in a Russian text) read as nrm's table does.
            letters={**CYRILLIC_TO_LATIN, **base, **spec.get("letters", {})},
            iotated_e=spec.get("iotated_e", "e"),
            digraphs=tuple(spec.get("digraphs", {}).items()),
        )
    return found


def spellings(text: str, language: str) -> dict[str, str]:
    """``text`` as each of the language's schemes spells it, by scheme name."""
    return {name: scheme.spell(text) for name, scheme in schemes(language).items()}


def transliterate(text: str, *, language: str = "", scheme: str = "") -> str:
    """Cyrillic to Latin, keeping capitals; other characters unchanged.

    Without a language, nrm's readable table ("Айгуль Мамытова" → "Aygul Mamytova"); with one, that
    language's scheme (the first listed, its passport spelling, unless ``scheme`` names another).
    """
    if language:
        table = schemes(language)
        return table[scheme or next(iter(table))].spell(text)
    out: list[str] = []
    for char in text:
        lower = char.lower()
        latin = CYRILLIC_TO_LATIN.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def fold_latin(text: str) -> str:
    """National Latin letters (ş, ç, ğ, ñ, ä, ö, ü, ý, ž, ū, ı, ǵ, ń…) to plain ones."""
    text = "".join(LATIN_FOLDS.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- skeleton ------------------------------------------------------------------------------


# Names repeat: indexing a million persons (`nrm seed`, `nrm reindex_names`) or preparing them
# for linkage meets the same name parts again and again, and the function is pure.
@functools.lru_cache(maxsize=262_144)
def skeleton(word: str) -> str:
    """The sound-alike key of one name part: lower-case ASCII letters only."""
    latin = fold_latin(transliterate(word.lower()))
    latin = _APOSTROPHES.sub("", latin)
    latin = "".join(ch for ch in latin if "a" <= ch <= "z")
    for pattern, replacement in _COMPILED_RULES:
        latin = pattern.sub(replacement, latin)
    return latin


@functools.lru_cache(maxsize=262_144)
def consonant_key(key: str) -> str:
    """A skeleton without its vowels: Dilnoza and Dilnaza, Oʻtkir and Utkir, heard by ear,
    give the same "dlnz" and "tkr"."""
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiou]", "", key))


def name_parts(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def _alternative_readings(part: str) -> set[str]:
    """Other readings of a Cyrillic part: ё as е (Russian passports write Семёнов as SEMENOV,
    most Russian text writes Семенов); ў as the Karakalpak consonant w (Дәўлет, Dáwlet) and as
    the у of Russian-style spellings (Ўткир, Utkir)."""
    lower = part.lower()
    readings = set()
    if "ё" in lower:
        readings.add(skeleton(lower.replace("ё", "е")))
    if "ў" in lower:
        readings.add(skeleton(lower.replace("ў", "в")))
        readings.add(skeleton(lower.replace("ў", "у")))
    return readings


@functools.lru_cache(maxsize=65_536)
def _alternative_stems(text: str) -> frozenset[str]:
    """The stems of the other readings of a text's Cyrillic parts (most have none)."""
    if not any(letter in text for letter in "ёЁўЎ"):
        return frozenset()
    return frozenset(family_stem(key) for part in name_parts(text)
                     for key in _alternative_readings(part) if key)


def name_keys(*names: str) -> set[str]:
    """Skeleton keys of every part of the given names, "Kairat kyzy" joined as one key and
    "Қайратқызы" apart as two, so that each is found by the other.

    This is what the registry's blind index hashes and what a search looks up. A part with ё or
    ў also gives the key of its other reading (`_alternative_readings`).
    """
    keys: set[str] = set()
    for name in names:
        raw = name_parts(name)
        parts = [key for key in (skeleton(part) for part in raw) if key]
        keys.update(parts)
        for part in raw:
            keys.update(key for key in _alternative_readings(part) if key)
        for before, after in itertools.pairwise(parts):
            if after in PATRONYMIC_MARKERS:
                keys.add(before + after)
        for part in parts:
            marker = _attached_marker(part)
            if marker:
                keys.update((part[: -len(marker)], marker))  # Қайратқызы is found as Kairat kyzy
    return keys


def _attached_marker(key: str) -> str:
    """The patronymic marker at the end of a joined skeleton (kairatkizi → kizi), or ""."""
    for marker in PATRONYMIC_MARKERS:
        if key.endswith(marker) and len(key) - len(marker) >= _MIN_ROOT:
            return marker
    return ""


# --- what each part of a name is -----------------------------------------------------------


@functools.lru_cache(maxsize=262_144)
def family_stem(key: str) -> str:
    """The masculine form of a family-name skeleton: mamitova → mamitov, orazova → orazov."""
    for feminine, masculine in GENDERED_ENDINGS:
        if key.endswith(feminine) and len(key) - len(feminine) >= _MIN_ROOT - 1:
            return key[: -len(feminine)] + masculine
    return key


@functools.lru_cache(maxsize=262_144)
def father_root(key: str) -> str:
    """The father's name in a patronymic skeleton: kairatovna, kairatkizi → kairat; "" if none."""
    for suffix in _PATRONYMIC_ENDINGS:
        if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_ROOT:
            return key[: -len(suffix)]
    return ""


@functools.lru_cache(maxsize=262_144)
def family_score(key: str) -> int:
    """How surely a part is a family name by its ending: 2 surely, 1 perhaps, 0 no sign."""
    if key.endswith(_STRONG_FAMILY_ENDINGS) or key in PATRONYMIC_MARKERS:
        return 2
    if key.endswith(_WEAK_FAMILY_ENDINGS):
        return 1
    return 0


@dataclass(frozen=True)
class PersonNameKeys:
    """A person's name reduced for comparison: sound-alike skeletons, the family name in its
    masculine form, the father's name found in a patronymic or a family name made from it."""

    given: str = ""  # skeletons of the given names, space-separated
    family: str = ""  # masculine stems of the family names, space-separated
    father: str = ""  # the father's name root
    tokens: frozenset[str] = frozenset()  # every key, other names included: for blocking
    swapped: bool = False  # given and family were found in each other's place


@functools.lru_cache(maxsize=262_144)
def _split_patronymic(parts: tuple[str, ...]) -> tuple[tuple[str, ...], str]:
    """Take a patronymic out of skeleton parts: "kairat kizi", "kairatkizi", "kairatovna".

    Returns the remaining parts and the father's root ("" when none was found).
    """
    for index, part in enumerate(parts):
        if part in PATRONYMIC_MARKERS and index > 0:
            return parts[: index - 1] + parts[index + 1:], parts[index - 1]
    for index, part in enumerate(parts):
        root = father_root(part)
        if root:
            return parts[:index] + parts[index + 1:], root
    return parts, ""


@functools.lru_cache(maxsize=262_144)
def _skeleton_tuple(text: str) -> tuple[str, ...]:
    return tuple(key for key in (skeleton(part) for part in name_parts(text)) if key)


@functools.lru_cache(maxsize=131_072)
def person_name_keys(
    *, given: str = "", family: str = "", patronymic: str = "",
    other_names: tuple[str, ...] = (),
) -> PersonNameKeys:
    """Reduce a person's names for linkage, without assuming the order of the parts.

    A family name made from the father's name ("Azamat uulu", "Қайратқызы") counts as both the
    family name and the father's name; a patronymic of any style gives the father's root; a
    given name with a family name's ending, written where the family name belongs and the other
    way round, is put back in its place.
    """
    given_parts, father_in_given = _split_patronymic(_skeleton_tuple(given))
    family_parts, father_in_family = _split_patronymic(_skeleton_tuple(family))
    father = father_root_of(patronymic) or father_in_family or father_in_given
    swapped = False
    if father_in_family and not family_parts:
        family_parts = (father_in_family,)  # Kyrgyz "Azamat uulu", Kazakh "Serikuly"
    elif father_in_given and not given_parts:
        # "Kairat kyzy" written as the given name, the given name as the family name.
        given_parts, family_parts, swapped = family_parts, (father_in_given,), True
    # Only a sure sign moves names: many given names end like a family name (Madina, Marina).
    if given_parts and family_parts and (
        max(map(family_score, given_parts)) == 2 > max(map(family_score, family_parts))
    ):
        given_parts, family_parts, swapped = family_parts, given_parts, True
    stems = [family_stem(part) for part in family_parts]
    tokens = {*given_parts, *stems}
    if father:
        tokens.add(father)
    for text in (given, family, *other_names):
        tokens.update(_alternative_stems(text))
    for other in other_names:
        for part in _skeleton_tuple(other):
            if part not in PATRONYMIC_MARKERS:
                tokens.update((part, family_stem(part)))
    return PersonNameKeys(
        given=" ".join(given_parts), family=" ".join(stems), father=father,
        tokens=frozenset(tokens), swapped=swapped,
    )


@functools.lru_cache(maxsize=65_536)
def father_root_of(patronymic: str) -> str:
    """The father's root in a patronymic as written: "Кайратовна", "Kairat kyzy", "Кайратқызы"."""
    parts = _skeleton_tuple(patronymic)
    if not parts:
        return ""
    remaining, root = _split_patronymic(parts)
    if root:
        return root
    # A patronymic field that holds only the father's name ("Кайрат").
    return remaining[0] if len(remaining) == 1 else ""


def split_full_name(text: str) -> tuple[str, str, str]:
    """A full name in one field → (given, patronymic, family), by what the parts look like.

    A part with a Russian-style patronymic suffix is the patronymic; a part with a family
    name's ending the family name; "Kairat kyzy" or "Қайратқызы" is the patronymic when another
    part is the family name, and the family name otherwise; the rest is given. With no sign, a
    name in capitals is read as a passport writes it (FAMILY GIVEN), any other as GIVEN FAMILY.
    """
    raw = name_parts(text)
    keys = [skeleton(part) for part in raw]
    by_marker: list[int] = []
    by_suffix: list[int] = []
    for index, key in enumerate(keys):
        if key in PATRONYMIC_MARKERS and index > 0 and not by_marker:
            by_marker = [index - 1, index]
        elif key.endswith(PATRONYMIC_SUFFIXES) and father_root(key) and not by_suffix:
            by_suffix = [index]
        elif key.endswith(tuple(PATRONYMIC_MARKERS)) and father_root(key) and not by_marker:
            by_marker = [index]
    patronymic = by_suffix or by_marker
    rest = [index for index in range(len(raw)) if index not in patronymic]
    scores = {index: family_score(keys[index]) for index in rest}
    family: list[int] = []
    if by_marker and not by_suffix and not any(scores.values()):
        family, patronymic = by_marker, []  # Kyrgyz "Azamat uulu", Kazakh "Serikuly"
    elif by_marker and by_suffix:
        rest = [index for index in rest if index not in by_marker]
    if not family and rest:
        best = max(scores[index] for index in rest)
        if best:
            family = [next(index for index in rest if scores[index] == best)]
        elif len(rest) > 1:
            family = [rest[0] if text.isupper() else rest[-1]]
    given = [index for index in rest if index not in family]

    def words(indexes: list[int]) -> str:
        return " ".join(raw[index] for index in indexes)

    return words(given), words(patronymic), words(family)
