"""Where the demo's people come from, pass through and are exploited: ISO 3166-2 regions with a
town in each, weighted roughly as the region's reports describe the routes."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    region: str  # ISO 3166-2
    city: str
    weight: int = 1

    @property
    def country(self) -> str:
        return self.region.split("-")[0]


def _places(*rows: tuple[str, str, int]) -> tuple[Place, ...]:
    return tuple(Place(region, city, weight) for region, city, weight in rows)


# Home regions: rural regions and small towns send most migrants.
ORIGINS: dict[str, tuple[Place, ...]] = {
    "KG": _places(("KG-O", "Kara-Suu", 3), ("KG-J", "Jalal-Abad", 3), ("KG-B", "Batken", 2),
                  ("KG-GO", "Osh", 2), ("KG-N", "Naryn", 1), ("KG-T", "Talas", 1),
                  ("KG-Y", "Karakol", 1), ("KG-C", "Tokmok", 1), ("KG-GB", "Bishkek", 1)),
    "UZ": _places(("UZ-AN", "Andijan", 3), ("UZ-FA", "Kokand", 3), ("UZ-NG", "Namangan", 2),
                  ("UZ-QA", "Karshi", 2), ("UZ-SA", "Samarkand", 2), ("UZ-SU", "Termez", 2),
                  ("UZ-XO", "Urgench", 2), ("UZ-QR", "Nukus", 2), ("UZ-JI", "Jizzakh", 1),
                  ("UZ-TK", "Tashkent", 1)),
    "TJ": _places(("TJ-KT", "Kulob", 4), ("TJ-SU", "Isfara", 3), ("TJ-RA", "Vahdat", 2),
                  ("TJ-DU", "Dushanbe", 1), ("TJ-GB", "Khorog", 1)),
    "TM": _places(("TM-L", "Türkmenabat", 2), ("TM-D", "Daşoguz", 2), ("TM-M", "Mary", 2),
                  ("TM-A", "Änew", 1), ("TM-S", "Ashgabat", 1), ("TM-B", "Balkanabat", 1)),
    "KZ": _places(("KZ-61", "Kentau", 3), ("KZ-79", "Shymkent", 2), ("KZ-31", "Taraz", 2),
                  ("KZ-43", "Kyzylorda", 2), ("KZ-19", "Qonaev", 1), ("KZ-75", "Almaty", 1),
                  ("KZ-63", "Oskemen", 1)),
    "RU": _places(("RU-SAM", "Tolyatti", 1), ("RU-ROS", "Rostov-on-Don", 1),
                  ("RU-NVS", "Novosibirsk", 1), ("RU-NIZ", "Dzerzhinsk", 1)),
}

# Places of exploitation in the countries of destination.
DESTINATIONS: dict[str, tuple[Place, ...]] = {
    "RU": _places(("RU-MOW", "Moscow", 5), ("RU-MOS", "Podolsk", 3),
                  ("RU-SPE", "Saint Petersburg", 3), ("RU-SVE", "Yekaterinburg", 2),
                  ("RU-TA", "Kazan", 1), ("RU-NVS", "Novosibirsk", 1), ("RU-KDA", "Sochi", 1),
                  ("RU-KHM", "Surgut", 1), ("RU-TYU", "Tyumen", 1), ("RU-LEN", "Gatchina", 1)),
    "KZ": _places(("KZ-75", "Almaty", 4), ("KZ-71", "Astana", 3), ("KZ-19", "Esik", 2),
                  ("KZ-61", "Maktaaral", 2), ("KZ-79", "Shymkent", 1), ("KZ-23", "Atyrau", 1)),
    "TR": _places(("TR-34", "Istanbul", 5), ("TR-07", "Antalya", 3), ("TR-06", "Ankara", 1),
                  ("TR-35", "Izmir", 1), ("TR-48", "Bodrum", 1)),
    "AE": _places(("AE-DU", "Dubai", 5), ("AE-SH", "Sharjah", 2), ("AE-AZ", "Abu Dhabi", 2),
                  ("AE-AJ", "Ajman", 1)),
}
# Capitals and big cities, where internal trafficking leads.
INTERNAL: dict[str, tuple[Place, ...]] = {
    "KG": _places(("KG-GB", "Bishkek", 4), ("KG-GO", "Osh", 2), ("KG-Y", "Cholpon-Ata", 1)),
    "KZ": _places(("KZ-75", "Almaty", 3), ("KZ-71", "Astana", 2), ("KZ-79", "Shymkent", 1)),
    "UZ": _places(("UZ-TK", "Tashkent", 4), ("UZ-SA", "Samarkand", 1), ("UZ-BU", "Bukhara", 1)),
    "TJ": _places(("TJ-DU", "Dushanbe", 3), ("TJ-SU", "Khujand", 1)),
    "TM": _places(("TM-S", "Ashgabat", 3), ("TM-B", "Türkmenbaşy", 1)),
    "RU": _places(("RU-MOW", "Moscow", 2), ("RU-SPE", "Saint Petersburg", 1)),
}

# Land routes to Russia run through Kazakhstan; flights to Turkey and the Gulf change planes in
# Moscow or Almaty.
TRANSITS: dict[str, tuple[Place, ...]] = {
    "RU": _places(("KZ-61", "Saryagash", 3), ("KZ-31", "Korday", 2), ("KZ-15", "Aktobe", 2),
                  ("KZ-27", "Oral", 1)),
    "AE": _places(("RU-MOW", "Moscow", 1), ("KZ-75", "Almaty", 1), ("TR-34", "Istanbul", 1)),
    "TR": _places(("RU-MOW", "Moscow", 1), ("AE-DU", "Dubai", 1)),
    "KZ": _places(("KG-C", "Kara-Balta", 1), ("UZ-TO", "Chinaz", 1)),
}

# Country code with a mobile operator's code, and how many digits follow.
PHONE_PLANS: dict[str, tuple[tuple[str, ...], int]] = {
    "KG": (("+996 700", "+996 555", "+996 777"), 6), "KZ": (("+7 701", "+7 747", "+7 777"), 7),
    "UZ": (("+998 90", "+998 93", "+998 97"), 7), "TJ": (("+992 92", "+992 93", "+992 98"), 7),
    "TM": (("+993 61", "+993 65"), 6), "RU": (("+7 916", "+7 925", "+7 999"), 7),
    "TR": (("+90 532", "+90 541"), 7), "AE": (("+971 50", "+971 55"), 7),
}
STREETS = ("Lenin St.", "Toktogul St.", "Navoi St.", "Abay Ave.", "Rudaki Ave.",
           "Magtymguly Ave.", "Pushkin St.", "Manas Ave.", "Amir Temur St.", "Sovetskaya St.")


_CUMULATIVE: dict[int, list[int]] = {}


def pick(rng: random.Random, places: tuple[Place, ...]) -> Place:
    """One of the places, the heavier ones more often."""
    # The tables above are constants: their cumulative weights are computed once per table.
    cumulative = _CUMULATIVE.get(id(places))
    if cumulative is None:
        cumulative = _CUMULATIVE[id(places)] = list(
            itertools.accumulate(place.weight for place in places)
        )
    return rng.choices(places, cum_weights=cumulative)[0]


def phone(rng: random.Random, country: str) -> str:
    prefixes, length = PHONE_PLANS[country]
    digits = f"{rng.randrange(10**length):0{length}d}"
    return f"{rng.choice(prefixes)} {digits[:3]} {digits[3:]}"


def address(rng: random.Random, place: Place) -> str:
    return f"{place.city}, {rng.choice(STREETS)} {rng.randint(1, 120)}"
