"""Synthetic names of the region, in Cyrillic and as a passport of each country spells them.

Given names are common ones; family names follow each country's patterns: Russian-style -ов/-ова
and -ев/-ева everywhere (Turkmen -ow/-owa in Latin), Tajik -зода/-зод/-пур, Kazakh -ұлы/-қызы,
Kyrgyz "уулу"/"кызы" written apart, Uzbek "ўғли"/"қизи" and Russian-style -ович/-овна
patronymics. Every combination is drawn at random: no real person is meant.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from nrm.core.names import CYRILLIC_TO_LATIN

# Passport transliteration, lower case. Each country's own scheme, so that the demo has the
# spellings a case worker meets: MAMYTOVA (Kyrgyz), XOLMATOV (Uzbek), ORAZOWA (Turkmen)...
_ICAO_RU = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "ie", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}
_KAZAKH = {
    **_ICAO_RU, "ю": "yu", "я": "ya", "ә": "a", "ғ": "g", "қ": "k", "ң": "ng", "ө": "o",
    "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
_KYRGYZ = {**_ICAO_RU, "ю": "yu", "я": "ya", "ң": "ng", "ө": "o", "ү": "u"}
_UZBEK = {
    **_ICAO_RU, "ё": "yo", "ж": "j", "й": "y", "х": "x", "щ": "sh", "ъ": "ʼ", "ю": "yu",
    "я": "ya", "ў": "oʻ", "қ": "q", "ғ": "gʻ", "ҳ": "h",
}
_TAJIK = {
    **_ICAO_RU, "ё": "yo", "й": "y", "ю": "yu", "я": "ya", "ҷ": "j", "ҳ": "h", "ғ": "gh",
    "қ": "q", "ӣ": "i", "ӯ": "u",
}
_TURKMEN = {
    **_ICAO_RU, "в": "w", "ё": "ýo", "ж": "ž", "й": "ý", "ң": "ň", "ө": "ö", "ү": "ü",
    "х": "h", "ц": "s", "ч": "ç", "ш": "ş", "щ": "şç", "ъ": "", "ю": "ýu", "я": "ýa",
    "җ": "j", "ә": "ä",
}
_VOWELS = frozenset("аеёиоуыэюяәөұүіӣӯў")


@dataclass(frozen=True)
class Latin:
    """How one country writes Cyrillic in Latin letters."""

    table: dict[str, str]
    # е at the start of a word or after a vowel is "ye" (Yerlan, Boboyev) or "ýe" (Turkmen).
    iotated_e: str = "e"
    # The Russian spelling "дж" of the sound that Uzbek, Tajik and Turkmen write "j".
    dzh: str = "dzh"

    def spell(self, text: str) -> str:
        words = []
        for word in text.split(" "):
            out: list[str] = []
            lower = word.lower()
            index = 0
            while index < len(lower):
                char = lower[index]
                previous = lower[index - 1] if index else ""
                if lower.startswith("дж", index):
                    out.append(self.dzh)
                    index += 2
                    continue
                if char == "е" and (not previous or previous in _VOWELS):
                    out.append(self.iotated_e)
                else:
                    out.append(self.table.get(char) or CYRILLIC_TO_LATIN.get(char, char))
                index += 1
            latin = "".join(out)
            # "Azamat kyzy", "Sanjar qizi": a marker written in lower case stays so.
            words.append(latin[:1].upper() + latin[1:] if word[:1].isupper() else latin)
        return " ".join(words)


LATIN = {
    "RU": Latin(_ICAO_RU),
    "KZ": Latin(_KAZAKH, iotated_e="ye"),
    "KG": Latin(_KYRGYZ),
    "UZ": Latin(_UZBEK, iotated_e="ye", dzh="j"),
    "TJ": Latin(_TAJIK, iotated_e="ye", dzh="j"),
    "TM": Latin(_TURKMEN, iotated_e="ýe", dzh="j"),
}


@dataclass(frozen=True)
class Custom:
    """How names are given in one country."""

    country: str
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]  # masculine form; -ов/-ев/-ин take -а for women
    neutral_family: tuple[str, ...] = ()  # the same for women and men: -зода, -зод, -пур
    # Family name made of the father's name: (for a son, for a daughter, written apart?).
    father_family: tuple[str, str, bool] | None = None
    father_family_share: float = 0.0
    # Patronymic made of the father's name in the country's own way (Uzbek "ўғли"/"қизи").
    father_patronymic: tuple[str, str, bool] | None = None
    father_patronymic_share: float = 0.0
    russian_patronymic_share: float = 0.0  # -ович/-овна
    neutral_share: float = 0.0
    latin_share: float = 0.0  # registered from a passport, in Latin letters only


CUSTOMS: dict[str, Custom] = {
    "KZ": Custom(
        country="KZ",
        male=("Ерлан", "Нұрлан", "Асхат", "Бауыржан", "Данияр", "Ержан", "Серік", "Марат",
              "Айдос", "Арман", "Жандос", "Бекзат", "Талғат", "Қайрат", "Дәурен", "Әлібек",
              "Ерболат", "Мейрам", "Санжар", "Ақжол"),
        female=("Айгерім", "Динара", "Гүлнара", "Жанар", "Сәуле", "Айжан", "Мадина", "Әсел",
                "Камила", "Әлия", "Назерке", "Әсем", "Ақмарал", "Жұлдыз", "Гүлмира",
                "Салтанат", "Балжан", "Аружан", "Томирис", "Меруерт"),
        family=("Жұмабаев", "Сейтқазиев", "Ахметов", "Омаров", "Ысқақов", "Кенжебеков",
                "Төлегенов", "Әбдірахманов", "Бекмұхамбетов", "Сәрсенбаев", "Оспанов",
                "Байжанов", "Қасымов", "Мұқанов", "Нұрпейісов", "Дүйсенбаев", "Есенов",
                "Смағұлов", "Тоқтаров", "Жақыпов"),
        father_family=("ұлы", "қызы", False), father_family_share=0.12,
        father_patronymic=("ұлы", "қызы", False), father_patronymic_share=0.25,
        russian_patronymic_share=0.45, latin_share=0.15,
    ),
    "KG": Custom(
        country="KG",
        male=("Азамат", "Бакыт", "Нурлан", "Эрлан", "Бектур", "Адилет", "Улан", "Таалай",
              "Мирлан", "Жыргалбек", "Алмаз", "Нурбек", "Канат", "Эмил", "Султан", "Темирлан",
              "Айбек", "Медер", "Чынгыз", "Байыш"),
        female=("Айгуль", "Айзада", "Жылдыз", "Нургуль", "Бермет", "Айпери", "Чолпон",
                "Гульзат", "Асель", "Мээрим", "Назгуль", "Айжан", "Жибек", "Калыйча",
                "Бегимай", "Элнура", "Сезим", "Тынара", "Нуриза", "Айсулуу"),
        family=("Мамытов", "Жаксылыков", "Токтогулов", "Осмонов", "Абдылдаев", "Сыдыков",
                "Төлөгөнов", "Исаков", "Асанов", "Түгөлбаев", "Сатыбалдиев", "Өмүрбеков",
                "Эсенов", "Курманбеков", "Кадыров", "Бообеков", "Жээнбеков", "Орозбеков",
                "Качкынов", "Бейшеналиев"),
        father_family=("уулу", "кызы", True), father_family_share=0.3,
        russian_patronymic_share=0.45, latin_share=0.2,
    ),
    "UZ": Custom(
        country="UZ",
        male=("Алишер", "Дилшод", "Шохрух", "Жасур", "Бобур", "Отабек", "Азиз", "Санжар",
              "Улуғбек", "Фаррух", "Жавоҳир", "Шерзод", "Сардор", "Умид", "Бахтиёр", "Рустам",
              "Акмал", "Ислом", "Нодир", "Хуршид"),
        female=("Дилноза", "Нилуфар", "Гулнора", "Малика", "Феруза", "Шаҳноза", "Зарина",
                "Севара", "Мохира", "Умида", "Нигора", "Дилфуза", "Юлдуз", "Гулчеҳра", "Мадина",
                "Шаҳло", "Дилбар", "Камола", "Нодира", "Зулфия"),
        family=("Каримов", "Холматов", "Усмонов", "Эргашев", "Юсупов", "Раҳимов", "Турсунов",
                "Абдуллаев", "Мирзаев", "Норматов", "Саидов", "Исмоилов", "Қодиров", "Ҳайдаров",
                "Бобоев", "Жўраев", "Султонов", "Тошматов", "Ахмедов", "Раҳмонов"),
        father_patronymic=("ўғли", "қизи", True), father_patronymic_share=0.3,
        russian_patronymic_share=0.5, latin_share=0.45,
    ),
    "TJ": Custom(
        country="TJ",
        male=("Фаррух", "Далер", "Шерали", "Баҳтовар", "Суҳроб", "Рустам", "Ҷамшед", "Фирдавс",
              "Исмоил", "Манучеҳр", "Комрон", "Носир", "Зафар", "Умед", "Парвиз", "Баҳодур",
              "Шоҳин", "Рашод", "Азизҷон", "Анушервон"),
        female=("Мадина", "Нилуфар", "Гулноза", "Парвина", "Шаҳноза", "Зарина", "Мижгона",
                "Таҳмина", "Фарангис", "Манижа", "Дилафрӯз", "Гулчеҳра", "Сабрина", "Малика",
                "Нигина", "Ситора", "Рухшона", "Меҳрангез", "Фотима", "Зебо"),
        family=("Раҳимов", "Назаров", "Саидов", "Қодиров", "Шарипов", "Мирзоев", "Ҳакимов",
                "Сафаров", "Давлатов", "Каримов", "Ашуров", "Холов"),
        neutral_family=("Раҳимзода", "Сафарзода", "Шарифзода", "Ҳасанзода", "Каримзода",
                        "Назарзода", "Давлатзода", "Қурбонзода", "Раҳмонзод", "Ашӯрзод",
                        "Сафарпур", "Аминпур"),
        neutral_share=0.45, russian_patronymic_share=0.4, latin_share=0.2,
    ),
    "TM": Custom(
        country="TM",
        male=("Мердан", "Батыр", "Аман", "Мекан", "Довлет", "Гурбан", "Сердар", "Ата",
              "Нурмухаммет", "Ыхлас", "Максат", "Бегенч", "Розыгелди", "Арслан", "Мырат",
              "Керим", "Перхат", "Шатлык", "Ильяс", "Довран"),
        female=("Айна", "Огулджан", "Джерен", "Марал", "Бахар", "Сельби", "Гозель", "Майса",
                "Гульшат", "Энеш", "Акгуль", "Лейли", "Огулбиби", "Сона", "Бибиджемал",
                "Айгозель", "Аннагуль", "Джемал", "Гуляр", "Мая"),
        family=("Оразов", "Мырадов", "Аманов", "Бердиев", "Гельдиев", "Чарыев", "Ходжаев",
                "Атаев", "Непесов", "Овезов", "Гурбанов", "Аннаев", "Союнов", "Реджепов",
                "Байрамов", "Акмурадов", "Клычев", "Сапаров", "Хыдыров", "Бабаев"),
        russian_patronymic_share=0.3, latin_share=0.5,
    ),
    "RU": Custom(
        country="RU",
        male=("Иван", "Алексей", "Сергей", "Дмитрий", "Андрей", "Михаил", "Николай", "Евгений",
              "Владимир", "Павел", "Денис", "Олег"),
        female=("Елена", "Ольга", "Наталья", "Татьяна", "Юлия", "Анастасия", "Екатерина",
                "Ирина", "Светлана", "Марина", "Кристина", "Валентина"),
        family=("Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев",
                "Козлов", "Новиков", "Морозов", "Волков", "Васильев", "Зайцев", "Павлов",
                "Федоров", "Никитин"),
        russian_patronymic_share=0.9, latin_share=0.1,
    ),
}

# Russian patronymics that do not follow the simple rule.
_RUSSIAN_PATRONYMIC_STEMS = {
    "Сергей": "Сергеев", "Алексей": "Алексеев", "Андрей": "Андреев", "Дмитрий": "Дмитриев",
    "Николай": "Николаев", "Евгений": "Евгеньев", "Михаил": "Михайлов", "Павел": "Павлов",
}

# Names used abroad instead of one's own, at work or in the place of exploitation.
WORKING_NAMES_MALE = ("Саша", "Миша", "Дима", "Слава", "Алик", "Руслан")
WORKING_NAMES_FEMALE = ("Лиза", "Алина", "Вика", "Диана", "Яна", "Карина", "Лола", "Жасмин")
DIMINUTIVES = {
    "Гульзат": "Гуля", "Гүлнара": "Гуля", "Гулнора": "Гуля", "Дилноза": "Диля",
    "Дилфуза": "Диля", "Нургуль": "Нура", "Айгуль": "Айка", "Мадина": "Мади", "Шаҳноза": "Шаҳи",
    "Алишер": "Алик", "Темирлан": "Тима", "Азизҷон": "Азиз", "Нурмухаммет": "Нурик",
    "Екатерина": "Катя", "Анастасия": "Настя", "Наталья": "Наташа", "Бахтиёр": "Бахти",
}


@dataclass(frozen=True)
class PersonName:
    """One person's name, in Cyrillic and in the Latin letters of their country's passport."""

    country: str
    female: bool
    given: str
    patronymic: str
    family: str
    latin_given: str
    latin_patronymic: str
    latin_family: str

    @property
    def passport(self) -> str:
        """The Latin name as the passport's machine-readable zone orders it: FAMILY GIVEN."""
        return f"{self.latin_family} {self.latin_given}".upper()

    @property
    def cyrillic(self) -> str:
        return " ".join(part for part in (self.given, self.patronymic, self.family) if part)

    @property
    def latin(self) -> str:
        parts = (self.latin_given, self.latin_patronymic, self.latin_family)
        return " ".join(part for part in parts if part)


def _feminine(family: str) -> str:
    return family + "а" if family.endswith(("ов", "ев", "ин")) else family


def _russian_patronymic(father: str, female: bool) -> str:
    stem = _RUSSIAN_PATRONYMIC_STEMS.get(father)
    if stem is None:
        if father.endswith("й"):
            stem = father[:-1] + "ев"
        elif father[-1].lower() in _VOWELS:
            stem = father + "ев"
        else:
            stem = father + "ов"
    return stem + ("на" if female else "ич")


def _with_marker(father: str, marker: str, apart: bool) -> str:
    return f"{father} {marker}" if apart else father + marker


class NameMaker:
    """Draws names from a seeded random source, so that the same seed gives the same people."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._spelled: dict[tuple[str, str], str] = {}

    def _latin(self, country: str, text: str) -> str:
        # The same few hundred names come back again and again in `nrm seed`.
        key = (country, text)
        spelled = self._spelled.get(key)
        if spelled is None:
            spelled = self._spelled[key] = LATIN[country].spell(text)
        return spelled

    def person(self, country: str, *, female: bool) -> PersonName:
        custom = CUSTOMS[country]
        rng = self.rng
        given = rng.choice(custom.female if female else custom.male)
        father = rng.choice(custom.male)
        patronymic = ""
        named_after_father = False
        if custom.neutral_family and rng.random() < custom.neutral_share:
            family = rng.choice(custom.neutral_family)
        elif custom.father_family and rng.random() < custom.father_family_share:
            son, daughter, apart = custom.father_family
            family = _with_marker(father, daughter if female else son, apart)
            named_after_father = True
        else:
            family = rng.choice(custom.family)
            family = _feminine(family) if female else family
        draw = rng.random()
        if named_after_father:
            pass  # "Азамат уулу", "Серікұлы": the family name already names the father
        elif custom.father_patronymic and draw < custom.father_patronymic_share:
            son, daughter, apart = custom.father_patronymic
            patronymic = _with_marker(father, daughter if female else son, apart)
        elif draw < custom.father_patronymic_share + custom.russian_patronymic_share:
            patronymic = _russian_patronymic(father, female)
        return PersonName(
            country=country, female=female, given=given, patronymic=patronymic, family=family,
            latin_given=self._latin(country, given),
            latin_patronymic=self._latin(country, patronymic),
            latin_family=self._latin(country, family),
        )

    def aliases(self, name: PersonName, *, working_name_share: float) -> list[str]:
        """Names the person was also known by: a working name abroad, a short form."""
        rng = self.rng
        found: list[str] = []
        if rng.random() < working_name_share:
            pool = WORKING_NAMES_FEMALE if name.female else WORKING_NAMES_MALE
            found.append(rng.choice(pool))
        short = DIMINUTIVES.get(name.given)
        if short and rng.random() < 0.3:
            found.append(short)
        return found

    def relative(self, country: str, *, female: bool) -> str:
        """A parent's or guardian's full name in Cyrillic."""
        name = self.person(country, female=female)
        return f"{name.given} {name.family}"
