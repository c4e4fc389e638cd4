"""The linkage engine on a small registry: the same woman registered by an NGO in Cyrillic, by
the police from her passport and by a consulate by ear is found; her brother is not; each pair
says why."""

from __future__ import annotations

import pytest

from nrm.linkage.engine import (
    DEFAULT_THRESHOLD,
    CandidatePair,
    clusters_of,
    find_duplicates,
    find_matches,
)
from nrm.linkage.records import PersonRecord, parse_birth_date

NGO = PersonRecord("ngo-1", given_name="Айдана", family_name="Қайратқызы",
                   birth_date="1998-02-01", sex="Feminine", citizenship="KZ", source="NGO")
POLICE = PersonRecord("police-7", given_name="AIDANA", family_name="KAIRATKYZY",
                      birth_date="1998-02", sex="Feminine", citizenship="KZ", source="police")
CONSULATE = PersonRecord("cons-3", given_name="Kairat kyzy", family_name="Aidana",
                         birth_date="1998", sex="Feminine", source="consulate")
BROTHER = PersonRecord("ngo-2", given_name="Данияр", family_name="Қайратұлы",
                       birth_date="1996-07-12", sex="Masculine", citizenship="KZ", source="NGO")


def _others() -> list[PersonRecord]:
    """Twenty-six other people, all different, from the whole region."""
    people = [
        ("Айгуль", "Мамытова", "1995-03-14", "Feminine", "KG"),
        ("Азамат", "Мамытов", "1997-05-02", "Masculine", "KG"),
        ("Jamshed", "Rahimzoda", "1990-01-01", "Masculine", "TJ"),
        ("Dilnoza", "Karimova", "2001-11-30", "Feminine", "UZ"),
        ("Jeren", "Orazowa", "1993-06-18", "Feminine", "TM"),
        ("Ерлан", "Жұмабаев", "1988-09-09", "Masculine", "KZ"),
        ("Нургуль", "Асанова", "1999-12-01", "Feminine", "KG"),
        ("Фаррух", "Саидов", "1994-04-04", "Masculine", "TJ"),
        ("Малика", "Юсупова", "2000-02-29", "Feminine", "UZ"),
        ("Мердан", "Чарыев", "1991-08-15", "Masculine", "TM"),
        ("Ольга", "Петрова", "1985-10-10", "Feminine", "RU"),
        ("Гулнора", "Турсунова", "1996-03-03", "Feminine", "UZ"),
        ("Бакыт", "Осмонов", "1989-01-20", "Masculine", "KG"),
        ("Мадина", "Назарова", "1997", "Feminine", "TJ"),
        ("Жанар", "Омарова", "1992-07", "Feminine", "KZ"),
        ("Сердар", "Атаев", "1990-05-05", "Masculine", "TM"),
        ("Айжан", "Сыдыкова", "1998-02-11", "Feminine", "KG"),
        ("Шерзод", "Эргашев", "1987-12-12", "Masculine", "UZ"),
        ("Зарина", "Шарипова", "1995-09-27", "Feminine", "TJ"),
        ("Асель", "Байжанова", "1993-01-08", "Feminine", "KZ"),
        ("Улан", "Исаков", "1986-06-06", "Masculine", "KG"),
        ("Севара", "Мирзаева", "1999-04-17", "Feminine", "UZ"),
        ("Майса", "Гурбанова", "2002-10-01", "Feminine", "TM"),
        ("Комрон", "Ашуров", "1991-11-11", "Masculine", "TJ"),
        ("Динара", "Оспанова", "1994-08-08", "Feminine", "KZ"),
        ("Мирлан", "Токтогулов", "1990-02-02", "Masculine", "KG"),
    ]
    return [PersonRecord(f"other-{i}", given_name=given, family_name=family, birth_date=born,
                         sex=sex, citizenship=country, source="NGO")
            for i, (given, family, born, sex, country) in enumerate(people)]


REGISTRY = [NGO, POLICE, CONSULATE, BROTHER, *_others()]


def _pair(pairs: list[CandidatePair], one: str, other: str) -> CandidatePair | None:
    wanted = {one, other}
    return next((pair for pair in pairs if {pair.left_id, pair.right_id} == wanted), None)


def test_a_registry_of_thirty_finds_the_same_woman_under_three_scripts():
    pairs = find_duplicates(REGISTRY)
    found = {frozenset((pair.left_id, pair.right_id)) for pair in pairs}
    assert found == {frozenset(("ngo-1", "police-7")), frozenset(("ngo-1", "cons-3")),
                     frozenset(("police-7", "cons-3"))}
    assert all(pair.match_probability >= DEFAULT_THRESHOLD for pair in pairs)


def test_each_pair_explains_which_fields_agreed_and_how_strongly():
    pairs = find_duplicates(REGISTRY)
    pair = _pair(pairs, "ngo-1", "police-7")
    assert pair is not None
    by_field = {comparison.field: comparison for comparison in pair.comparisons}
    assert set(by_field) == {"given_name", "family_name", "patronymic", "birth_date", "sex",
                             "citizenship"}
    assert by_field["family_name"].level == "exact"
    assert str(by_field["family_name"].label) == "Same family name after transliteration"
    assert by_field["birth_date"].level == "month_only"
    assert by_field["patronymic"].level == "exact"  # Қайратқызы names her father
    assert by_field["family_name"].match_weight > 0
    assert pair.match_weight == pytest.approx(
        sum(c.match_weight for c in pair.comparisons) + _prior_weight(pairs), abs=0.01)
    consulate = _pair(pairs, "ngo-1", "cons-3")
    assert consulate is not None
    assert {c.field: c.level for c in consulate.comparisons}["citizenship"] == "missing"


def _prior_weight(pairs: list[CandidatePair]) -> float:
    # Every pair's total is the same prior plus its fields' weights.
    pair = pairs[0]
    return pair.match_weight - sum(c.match_weight for c in pair.comparisons)


def test_a_brother_with_the_same_father_is_not_taken_for_his_sister():
    pairs = find_duplicates(REGISTRY, threshold=0.01)
    pair = _pair(pairs, "ngo-1", "ngo-2")
    assert pair is None or pair.match_probability < DEFAULT_THRESHOLD
    if pair:
        assert {c.field: c.level for c in pair.comparisons}["given_name"] == "different"


def test_new_records_are_matched_against_the_registry_and_each_other_never_old_with_old():
    new = [POLICE, PersonRecord("new-2", given_name="Aidana", family_name="Kairat kyzy",
                                birth_date="1998-02-01", sex="Feminine")]
    existing = [NGO, CONSULATE, BROTHER, *_others()]
    pairs = find_matches(new, existing)
    new_ids = {record.record_id for record in new}
    assert pairs
    assert all({pair.left_id, pair.right_id} & new_ids for pair in pairs)
    assert _pair(pairs, "ngo-1", "cons-3") is None  # both existing: compared before
    assert _pair(pairs, "police-7", "new-2") is not None
    assert _pair(pairs, "ngo-1", "new-2") is not None


def test_clusters_link_records_of_one_person_and_leave_others_alone():
    pairs = find_duplicates(REGISTRY)
    clusters = clusters_of([record.record_id for record in REGISTRY], pairs)
    assert clusters["ngo-1"] == clusters["police-7"] == clusters["cons-3"] == "cons-3"
    assert clusters["ngo-2"] == "ngo-2"
    assert len(set(clusters.values())) == len(REGISTRY) - 2


def test_clusters_ignore_pairs_below_the_threshold():
    weak = CandidatePair("a", "b", 0.5, 0.0, ())
    strong = CandidatePair("b", "c", 0.99, 7.0, ())
    assert clusters_of(["a", "b", "c", "d"], [weak, strong]) == {
        "a": "a", "b": "b", "c": "b", "d": "d"}
    assert clusters_of(["a", "b"], [weak], threshold=0.4) == {"a": "a", "b": "a"}


def test_a_duplicated_record_id_is_refused():
    with pytest.raises(ValueError, match="ngo-1"):
        find_duplicates([NGO, NGO])
    with pytest.raises(ValueError, match="ngo-1"):
        find_matches([NGO], [NGO])


@pytest.mark.parametrize("text", ["1998-13", "98-02-01", "1998-02-30", "01.02.1998", "soon"])
def test_a_birth_date_of_an_unknown_shape_is_refused(text):
    with pytest.raises(ValueError):
        parse_birth_date(text)
    with pytest.raises(ValueError):
        find_duplicates([NGO, PersonRecord("x", given_name="A", birth_date=text)])


def test_nothing_to_compare_gives_no_pairs():
    assert find_duplicates([]) == []
    assert find_duplicates([NGO]) == []
    assert find_matches([], [NGO, POLICE]) == []

