"""Names across scripts: Cyrillic → Latin transliteration and a sound-alike skeleton key.

"Айгуль Мамытова", "Aigul Mamytova" and "Aygul MAMYTOVA" give the same skeleton tokens, which is
what the registry's blind index hashes. The tables are data; linkage refines them per language.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata

# Russian, with the letters that Kazakh, Kyrgyz, Tajik, Uzbek and Turkmen Cyrillic add.
CYRILLIC_TO_LATIN: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh",
    "з": "z", "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu",
    "я": "ya",
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "ng", "ө": "o", "ұ": "u", "ү": "u", "һ": "h",
    "і": "i", "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "o'", "җ": "j", "ӑ": "a",
}

# Latin letters of the national alphabets (Turkmen, Uzbek, Kazakh Latin, Turkish), reduced.
LATIN_FOLDS: dict[str, str] = {
    "ş": "sh", "ç": "ch", "ğ": "g", "ı": "i", "ö": "o", "ü": "u", "ä": "a", "ň": "n",
    "ý": "y", "ž": "zh", "ə": "a", "ñ": "ng", "ś": "s", "č": "ch", "š": "sh",
}

# Sound-alike reductions, applied in order to the lower-case Latin form.
SKELETON_RULES: tuple[tuple[str, str], ...] = (
    (r"(^|[aeiou])ye", r"\1e"),  # Aliyev/Aliev, Yevgeniy/Evgeniy, Jurayev/Juraev
    (r"shch", "sh"),
    (r"dzh|zh|dj", "j"),
    (r"kh|x", "h"),
    (r"gh", "g"),
    (r"ts", "c"),
    (r"q", "k"),
    (r"w", "v"),
    (r"y", "i"),
    (r"(.)\1+", r"\1"),
)
_COMPILED_RULES = tuple((re.compile(pattern), repl) for pattern, repl in SKELETON_RULES)

# Patronymic markers written as separate words: "Kairat kyzy", "Almaz uulu", "Ali ogly".
# Held as skeletons: uulu → ulu, kyzy/qizi → kizi, uly/uli → uli, ogly/o'g'li → ogli.
PATRONYMIC_MARKERS = frozenset({"ulu", "kizi", "uli", "ogli"})

_SEPARATORS = re.compile(r"[\s\-,.;/()]+")
_APOSTROPHES = re.compile(r"['’ʼʻ`´‘]")


def transliterate(text: str) -> str:
    """Cyrillic letters to Latin, keeping case of the first letter; other characters unchanged."""
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


def _fold_latin(text: str) -> str:
    text = "".join(LATIN_FOLDS.get(ch, ch) for ch in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Names repeat: indexing a million persons (`nrm seed`, `nrm reindex_names`) meets the same
# name parts again and again, and the function is pure.
@functools.lru_cache(maxsize=65_536)
def skeleton(word: str) -> str:
    """The sound-alike key of one name part: lower-case ASCII letters only."""
    latin = _fold_latin(transliterate(word.lower()))
    latin = _APOSTROPHES.sub("", latin)
    latin = "".join(ch for ch in latin if "a" <= ch <= "z")
    for pattern, replacement in _COMPILED_RULES:
        latin = pattern.sub(replacement, latin)
    return latin


def name_parts(text: str) -> list[str]:
    return [part for part in _SEPARATORS.split(text.strip()) if part]


def name_keys(*names: str) -> set[str]:
    """Skeleton keys of every part of the given names, plus "Kairat kyzy" joined as one key.

    A part with ё gives a second key with е: Russian passports write Семёнов as SEMENOV and
    most Russian text writes Семенов, while Uzbek passports write Ёқуб as YOQUB.
    """
    keys: set[str] = set()
    for name in names:
        parts = [skeleton(part) for part in name_parts(name)]
        parts = [part for part in parts if part]
        keys.update(parts)
        keys.update(skeleton(part.replace("ё", "е").replace("Ё", "Е"))
                    for part in name_parts(name) if "ё" in part.lower())
        for before, after in itertools.pairwise(parts):
            if after in PATRONYMIC_MARKERS:
                keys.add(before + after)
    return keys
