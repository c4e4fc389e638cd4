"""Two organisations that may not exchange names find the persons they share: each encodes its
own list with a secret they agreed on, and the encodings alone are linked."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nrm.linkage.pprl import (
    EncodingError,
    Encodings,
    dice,
    encode,
    link_encodings,
    secret_from_text,
)
from nrm.linkage.records import PersonRecord

SECRET = secret_from_text("agreed in person, never sent with the files")

NGO_KZ = [
    PersonRecord("KZ-001", given_name="Айдана", family_name="Қайратқызы",
                 birth_date="1998-02-01", sex="Feminine", citizenship="KZ"),
    PersonRecord("KZ-002", given_name="Данияр", family_name="Қайратұлы",
                 birth_date="1996-07-12", sex="Masculine", citizenship="KZ"),
    PersonRecord("KZ-003", given_name="Ерлан", family_name="Жұмабаев",
                 birth_date="1988-09-09", sex="Masculine", citizenship="KZ"),
    PersonRecord("KZ-004", given_name="Динара", family_name="Оспанова",
                 birth_date="1994-08", sex="Feminine", citizenship="KZ"),
]
CONSULATE = [
    PersonRecord("C-17", given_name="AIDANA", family_name="KAIRATKYZY",
                 birth_date="1998-02-01", sex="Feminine", citizenship="KZ"),
    PersonRecord("C-18", given_name="Zhumabaev", family_name="Yerlan",  # in each other's place
                 birth_date="1988", sex="Masculine"),
    PersonRecord("C-19", given_name="Jeren", family_name="Orazowa",
                 birth_date="1993-06-18", sex="Feminine", citizenship="TM"),
]


def test_the_persons_both_lists_hold_are_found_and_counted():
    result = link_encodings(encode(NGO_KZ, SECRET), encode(CONSULATE, SECRET))
    assert {(a, b) for a, b, _p in result.pairs} == {("KZ-001", "C-17"), ("KZ-003", "C-18")}
    assert result.shared_persons == 2
    assert all(p >= 0.9 for _a, _b, p in result.pairs)
    assert result.candidate_pairs >= 2


def test_no_name_leaves_the_organisation():
    content = encode(NGO_KZ, SECRET).to_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        raw = b"".join(archive.read(name) for name in archive.namelist())
    for text in ("Айдана", "Aidana", "aidana", "kairat", "Жұмабаев", "jumabaev", "1998", "KZ"):
        assert text.encode() not in raw, text
    for code in ("KZ-001", "KZ-004"):  # pseudonymous codes are what the other side sees
        assert code.encode("utf-32-le") in raw


def test_encodings_under_another_secret_cannot_be_linked_or_tested():
    ours = encode(NGO_KZ, SECRET)
    theirs = encode(CONSULATE, secret_from_text("a different passphrase entirely"))
    with pytest.raises(EncodingError, match="different secrets"):
        link_encodings(ours, theirs)
    # The same name under two secrets shares no more bits than chance.
    other = encode(NGO_KZ[:1], secret_from_text("a different passphrase entirely"))
    assert float(dice(ours.given[:1], other.given[:1])[0]) < 0.5


def test_a_short_secret_and_a_damaged_file_are_refused():
    with pytest.raises(EncodingError, match="16 characters"):
        secret_from_text("short")
    with pytest.raises(EncodingError, match="not a file of nrm encodings"):
        Encodings.from_bytes(b"not an archive")


def test_spellings_of_one_name_give_near_identical_filters():
    a = encode([PersonRecord("a", given_name="Жыргалбек", family_name="Мамытов")], SECRET)
    b = encode([PersonRecord("b", given_name="Jyrgalbek", family_name="MAMYTOV")], SECRET)
    c = encode([PersonRecord("c", given_name="Jyrgalbek", family_name="Mamytova")], SECRET)
    assert np.array_equal(a.given, b.given) and np.array_equal(a.family, c.family)


def _write(path: Path, rows: list[PersonRecord]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["code", "given", "family", "born", "sex"])
        for r in rows:
            writer.writerow([r.record_id, r.given_name, r.family_name, r.birth_date,
                             r.sex[:1] if r.sex else ""])
    return path


def test_each_side_encodes_its_file_and_either_links_the_two(tmp_path):
    secret_file = tmp_path / "shared.secret"
    secret_file.write_text("agreed in person, never sent with the files\n")
    mapping = "given=given,family=family,birth=born,sex=sex"
    for name, rows in (("ngo", NGO_KZ), ("consulate", CONSULATE)):
        call_command("link_encode", str(_write(tmp_path / f"{name}.csv", rows)),
                     "--id", "code", "--map", mapping, "--secret-file", str(secret_file),
                     "--out", str(tmp_path / f"{name}.nrmenc"), stdout=io.StringIO())
    out = io.StringIO()
    call_command("link_encodings", str(tmp_path / "ngo.nrmenc"),
                 str(tmp_path / "consulate.nrmenc"), "--pairs", str(tmp_path / "shared.csv"),
                 stdout=out)
    assert "2 persons are on both lists" in out.getvalue()
    with (tmp_path / "shared.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {(row["code_a"], row["code_b"]) for row in rows} == {("KZ-001", "C-17"),
                                                                 ("KZ-003", "C-18")}


def test_the_commands_refuse_a_missing_secret_or_a_foreign_file(tmp_path):
    source = _write(tmp_path / "ngo.csv", NGO_KZ)
    with pytest.raises(CommandError, match="no such secret file"):
        call_command("link_encode", str(source), "--id", "code", "--map", "given=given",
                     "--secret-file", str(tmp_path / "none"), "--out",
                     str(tmp_path / "x.nrmenc"))
    assert not (tmp_path / "x.nrmenc").exists()
    foreign = tmp_path / "foreign.nrmenc"
    foreign.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(CommandError, match="not a file of nrm encodings"):
        call_command("link_encodings", str(foreign), str(foreign))
