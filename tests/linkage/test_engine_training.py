"""A registry large enough to learn from trains the model on its own records: the match rate,
u from random pairs and m by expectation maximisation; and still finds the people registered
twice, once in Cyrillic and once from a passport."""

from __future__ import annotations

import random

from nrm.core.names import spellings
from nrm.linkage.engine import PERSON_SCHEMA
from nrm.linkage.engine.backends import open_backend
from nrm.linkage.engine.person import PERSON_MODEL, prepare_people
from nrm.linkage.engine.pipeline import MIN_RECORDS_TO_TRAIN, run
from nrm.linkage.records import PersonRecord
from nrm.registry.demo.names import CUSTOMS

LANGUAGE = {"KZ": "kk", "KG": "ky", "UZ": "uz", "TJ": "tg", "TM": "tk", "RU": "ru"}


def _registry() -> tuple[list[PersonRecord], set[frozenset[str]]]:
    """A thousand women of the region, one in four registered again from her passport."""
    rng = random.Random(11)  # noqa: S311 (synthetic people, not secrets)
    records: list[PersonRecord] = []
    twice: set[frozenset[str]] = set()
    for number in range(1000):
        country = rng.choice(sorted(CUSTOMS))
        custom = CUSTOMS[country]
        given = rng.choice(custom.female)
        family = rng.choice(custom.family) + "а"
        born = f"{rng.randint(1970, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        code = f"P{number:04d}"
        records.append(PersonRecord(code, given_name=given, family_name=family,
                                    birth_date=born, sex="Feminine", citizenship=country))
        if number % 4 == 0:  # registered again by the police, from the passport
            passport = spellings(f"{given} {family}", LANGUAGE[country])
            latin = next(iter(passport.values())).upper().split()
            records.append(PersonRecord(f"{code}-police", given_name=latin[0],
                                        family_name=latin[1], birth_date=born[:7],
                                        sex="Feminine"))
            twice.add(frozenset((code, f"{code}-police")))
    return records, twice


def test_a_large_registry_trains_the_model_on_its_own_records():
    records, twice = _registry()
    assert len(records) >= MIN_RECORDS_TO_TRAIN
    backend = open_backend("duckdb")
    try:
        pairs, training = run(PERSON_MODEL, prepare_people(records), PERSON_SCHEMA, backend,
                              threshold=0.9)
    finally:
        backend.close()
    assert training.trained_u
    assert training.match_rate_from_data
    assert len(training.trained_m) == len(PERSON_MODEL.training_rules), training.notes
    found = {frozenset((pair.left_id, pair.right_id)) for pair in pairs}
    assert len(found & twice) / len(twice) >= 0.95
    assert len(found & twice) / len(found) >= 0.95
