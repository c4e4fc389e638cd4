"""The model of a person: how records are prepared, compared, blocked, and what the model
assumes when it cannot learn from the data.

Names are compared as sound-alike skeletons (nrm.core.names), so that "Қайратқызы Айдана",
"KAIRATKYZY AIDANA" and "Kairat kyzy Aidana" are the same name before any fuzzy measure is
applied. Every name level also accepts the given and family names in each other's place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext_lazy as _

from nrm.core.names import consonant_key, person_name_keys
from nrm.linkage.engine.model import Comparison, Level, ModelSpec
from nrm.linkage.records import PersonRecord, parse_birth_date

# Sex values that say nothing.
_UNKNOWN_SEX = frozenset({"", "NonSpecifiedUnknown"})

COLUMNS = (
    "unique_id", "given", "family", "father", "tokens", "given_cons", "family_cons", "initials",
    "birth_date", "birth_ym", "birth_year", "sex", "citizenship", "source", "is_new",
)

_MISSING = _("Not known on one side")
_DIFFERENT = _("Different")


def _name_levels(this: str, other: str, *, exact_label: Any, m_exact: float, u_exact: float,
                 ) -> tuple[Level, ...]:
    """Levels for the given or the family name; ``other`` is the other name's column."""
    return (
        Level("missing", _MISSING, f"{this}_l IS NULL OR {this}_r IS NULL", 0, 0, is_null=True),
        Level("exact", exact_label, f"{this}_l = {this}_r", m_exact, u_exact, tf_column=this),
        Level("swapped", _("Same names, given and family name in each other's place"),
              f"({this}_l = {other}_r OR {{jw}}({this}_l, {other}_r) >= 0.92) AND "
              f"({other}_l = {this}_r OR {{jw}}({other}_l, {this}_r) >= 0.92)", 0.04, 0.0003),
        Level("sound_alike", _("Sound alike (a vowel or a letter heard differently)"),
              f"{{jw}}({this}_l, {this}_r) >= 0.92 OR ({this}_cons_l = {this}_cons_r "
              f"AND {this}_cons_l <> '' AND {{jw}}({this}_l, {this}_r) >= 0.8)", 0.08, 0.004),
        Level("typo", _("One letter differs"),
              f"{{lev}}({this}_l, {this}_r) <= 1", 0.04, 0.002),
        Level("other_name", _("Found among the other record's names"),
              f"{{contains}}(tokens_r, {this}_l) OR {{contains}}(tokens_l, {this}_r)",
              0.03, 0.003),
        Level("similar", _("Similar (a few letters differ)"),
              f"{{jw}}({this}_l, {this}_r) >= 0.8", 0.04, 0.03),
        # A person's given name is seldom written beyond recognition (working names are other
        # names): set from experience, since twins and siblings who share every other field
        # would teach expectation maximisation otherwise.
        Level("different", _DIFFERENT, "", 0.02, 0.95, fixed_m=this == "given"),
    )


GIVEN_NAME = Comparison(
    field="given_name", description="Given name",
    levels=_name_levels("given", "family", exact_label=_("Same given name after transliteration"),
                        m_exact=0.8, u_exact=0.02),
)
FAMILY_NAME = Comparison(
    field="family_name", description="Family name, in its masculine form",
    levels=_name_levels("family", "given",
                        exact_label=_("Same family name after transliteration"),
                        m_exact=0.78, u_exact=0.01),
)
PATRONYMIC = Comparison(
    field="patronymic", description="Father's name, from a patronymic of any style",
    levels=(
        Level("missing", _MISSING, "father_l IS NULL OR father_r IS NULL", 0, 0, is_null=True),
        Level("exact", _("Same father's name"), "father_l = father_r", 0.85, 0.03),
        Level("similar", _("Similar father's name"), "{jw}(father_l, father_r) >= 0.88",
              0.08, 0.04),
        Level("different", _DIFFERENT, "", 0.07, 0.93),
    ),
)
# How often one person's birth date is written differently is a matter of recording practice,
# set here from experience and not re-estimated: expectation maximisation over pairs that share
# a common name cannot tell a namesake born in another year from a mistyped date, and would
# teach the model that dates often differ.
BIRTH_DATE = Comparison(
    field="birth_date", description="Birth date, of any precision",
    levels=(
        Level("missing", _MISSING, "birth_year_l IS NULL OR birth_year_r IS NULL", 0, 0,
              is_null=True),
        Level("exact", _("Same birth date"), "birth_date_l = birth_date_r", 0.82, 0.0001,
              fixed_m=True),
        Level("month_only", _("Same month and year; the day is not known on one side"),
              "birth_ym_l = birth_ym_r AND (birth_date_l IS NULL OR birth_date_r IS NULL)",
              0.05, 0.002, fixed_m=True),
        Level("year_only", _("Same year; the month is not known on one side"),
              "birth_year_l = birth_year_r AND (birth_ym_l IS NULL OR birth_ym_r IS NULL)",
              0.08, 0.02, fixed_m=True),
        Level("typo", _("One digit differs, or day and month swapped"),
              "{lev}(birth_date_l, birth_date_r) <= 1 OR ("
              "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND "
              "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) AND "
              "substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2))", 0.03, 0.0005,
              fixed_m=True),
        Level("same_year", _("Same year, another month or day"),
              "birth_year_l = birth_year_r", 0.01, 0.02, fixed_m=True),
        Level("near_year", _("Years one or two apart"),
              "abs(birth_year_l - birth_year_r) <= 2", 0.005, 0.08, fixed_m=True),
        Level("different", _DIFFERENT, "", 0.005, 0.88, fixed_m=True),
    ),
)
SEX = Comparison(
    field="sex", description="Sex",
    levels=(
        Level("missing", _MISSING, "sex_l IS NULL OR sex_r IS NULL", 0, 0, is_null=True),
        # A sex recorded wrongly is rare: set from experience, as for the given name.
        Level("exact", _("Same sex"), "sex_l = sex_r", 0.99, 0.5, fixed_m=True),
        Level("different", _DIFFERENT, "", 0.01, 0.5, fixed_m=True),
    ),
)
CITIZENSHIP = Comparison(
    field="citizenship", description="Citizenship",
    levels=(
        Level("missing", _MISSING, "citizenship_l IS NULL OR citizenship_r IS NULL", 0, 0,
              is_null=True),
        Level("exact", _("Same citizenship"), "citizenship_l = citizenship_r", 0.92, 0.3),
        Level("different", _DIFFERENT, "", 0.08, 0.7),
    ),
)

# Each rule must keep recall for one kind of error while making few pairs: their union is
# compared. Exact names; a family or a given name with the birth year (a typo in the other);
# names in each other's place (also heard by ear); a name heard by ear (consonants) with the
# year and the other name's first consonant, or both names so heard when the year is not
# known; the whole birth date with the initials (both names garbled, in either order) or with
# one name's first consonant; the father's and the given name (a family name changed by
# marriage); the family and the father's name (a mistyped given name and no birth date).
# Each rule's pairs grow with the square of its blocks: none may group common values alone.
BLOCKING_RULES = (
    "l.given = r.given AND l.family = r.family",
    "l.family = r.family AND l.birth_year = r.birth_year",
    "l.given = r.given AND l.birth_year = r.birth_year",
    "l.given = r.family AND l.family = r.given",
    "l.given_cons = r.family_cons AND l.family_cons = r.given_cons",
    "l.family_cons = r.family_cons AND l.birth_year = r.birth_year "
    "AND substr(l.given_cons, 1, 1) = substr(r.given_cons, 1, 1)",
    "l.given_cons = r.given_cons AND l.birth_year = r.birth_year "
    "AND substr(l.family_cons, 1, 1) = substr(r.family_cons, 1, 1)",
    "l.given_cons = r.given_cons AND l.family_cons = r.family_cons",
    "l.birth_date = r.birth_date AND l.initials = r.initials",
    "l.birth_date = r.birth_date AND substr(l.given_cons, 1, 1) = substr(r.given_cons, 1, 1)",
    "l.birth_date = r.birth_date "
    "AND substr(l.family_cons, 1, 1) = substr(r.family_cons, 1, 1)",
    "l.father = r.father AND l.given = r.given",
    "l.father = r.father AND l.family = r.family",
)

PERSON_MODEL = ModelSpec(
    comparisons=(GIVEN_NAME, FAMILY_NAME, PATRONYMIC, BIRTH_DATE, SEX, CITIZENSHIP),
    blocking_rules=BLOCKING_RULES,
    training_rules=(
        "l.birth_date = r.birth_date",  # trains the names, father, sex, citizenship
        # Trains the father's name, sex and citizenship. With the father's name, people who
        # only share a common name do not pass for one person; a registry that writes no
        # patronymics has only the names to go by.
        ("l.given = r.given AND l.family = r.family AND l.father = r.father",
         "l.given = r.given AND l.family = r.family"),
    ),
    deterministic_rules=(
        "l.given = r.given AND l.family = r.family AND l.birth_date = r.birth_date",
        "l.given = r.given AND l.family = r.family AND l.father = r.father "
        "AND l.birth_year = r.birth_year",
        "l.given = r.given AND l.family = r.family AND l.birth_ym = r.birth_ym",
    ),
    columns=COLUMNS,
)


def _or_none(text: str) -> str | None:
    return text or None


def prepare_person(record: PersonRecord, *, is_new: bool = False) -> dict[str, Any]:
    """One record as the model's input row. Raises ValueError for a birth date that is not
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
    keys = person_name_keys(given=record.given_name, family=record.family_name,
                            patronymic=record.patronymic, other_names=record.other_names)
    born = parse_birth_date(record.birth_date)
    return {
        "unique_id": record.record_id,
        "given": _or_none(keys.given),
        "family": _or_none(keys.family),
        "father": _or_none(keys.father),
        "tokens": sorted(keys.tokens),
        "given_cons": consonant_key(keys.given),
        "family_cons": consonant_key(keys.family),
        # The first letters of both names, in either order: "am" for Aidana Mamytova.
        "initials": "".join(sorted(keys.given[:1] + keys.family[:1])) or None,
        "birth_date": born.full,
        "birth_ym": born.year_month,
        "birth_year": born.year,
        "sex": None if record.sex in _UNKNOWN_SEX else record.sex,
        "citizenship": _or_none(record.citizenship.strip().upper()),
        "source": record.source,
        "is_new": 1 if is_new else 0,
    }


def prepare_people(records: Iterable[PersonRecord], *, is_new: bool = False,
                   ) -> dict[str, list[Any]]:
    """Records as columns (the shape pyarrow and pandas take without copying per row)."""
    table: dict[str, list[Any]] = {column: [] for column in COLUMNS}
    appenders = [(column, table[column].append) for column in COLUMNS]
    for record in records:
        row = prepare_person(record, is_new=is_new)
        for column, append in appenders:
            append(row[column])
    return table


def check_unique_ids(records: Sequence[PersonRecord]) -> None:
    """ValueError naming the first id that occurs twice."""
    seen: set[str] = set()
    for record in records:
        if record.record_id in seen:
            raise ValueError(f"duplicated record id: {record.record_id}")
        seen.add(record.record_id)
