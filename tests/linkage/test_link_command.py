"""An NGO checks its spreadsheet with `nrm link` before bringing it in: which rows are the same
person. A file that cannot be read as asked is refused with a message that says what to fix,
and nothing is written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook

from nrm.linkage.spreadsheets import ColumnMapping, SpreadsheetError

MAPPING = ("given=given_name,family=family_name,patronymic=patronymic,sex=sex,"
           "birth=birth_date,citizenship=citizenship")
HEADER = ["record_id", "given_name", "family_name", "patronymic", "sex", "birth_date",
          "citizenship"]
ROWS = [
    ["ngo-1", "Айдана", "Қайратқызы", "", "F", "1998-02-01", "KZ"],
    ["ngo-2", "AIDANA", "KAIRATKYZY", "", "F", "1998-02", "KZ"],
    ["ngo-3", "Aidana", "Kairat kyzy", "", "ж", "1998", ""],
    ["ngo-4", "Айгуль", "Мамытова", "Кайратовна", "F", "1995-03-14", "KG"],
    ["ngo-5", "Азамат", "Мамытов", "", "M", "1997-05-02", "KGZ"],
    ["ngo-6", "Jamshed", "Rahimzoda", "", "M", "1990", "TJ"],
]


def write_csv(path: Path, header: list[str], rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def link(tmp_path: Path, source: Path, *extra: str, mapping: str = MAPPING,
         id_column: str = "record_id") -> str:
    out = io.StringIO()
    call_command("link", str(source), "--id", id_column, "--map", mapping,
                 "--pairs", str(tmp_path / "pairs.csv"),
                 "--clusters", str(tmp_path / "clusters.csv"), *extra, stdout=out)
    return out.getvalue()


def test_the_same_woman_in_three_spellings_is_one_cluster(tmp_path):
    source = write_csv(tmp_path / "people.csv", HEADER, ROWS)
    output = link(tmp_path, source)
    pairs = read_csv(tmp_path / "pairs.csv")
    assert list(pairs[0]) == ["id_l", "id_r", "match_probability"]
    assert {frozenset((p["id_l"], p["id_r"])) for p in pairs} == {
        frozenset(("ngo-1", "ngo-2")), frozenset(("ngo-1", "ngo-3")),
        frozenset(("ngo-2", "ngo-3"))}
    assert all(0.9 <= float(p["match_probability"]) <= 1 for p in pairs)
    clusters = {row["id"]: row["cluster"] for row in read_csv(tmp_path / "clusters.csv")}
    assert set(clusters) == {row[0] for row in ROWS}
    assert clusters["ngo-1"] == clusters["ngo-2"] == clusters["ngo-3"]
    assert len(set(clusters.values())) == 4
    assert "6 rows are 4 persons" in output


def test_an_xlsx_with_a_full_name_column_mapped_by_its_own_column_names(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["№", "ФИО", "Дата рождения", "Пол"])
    sheet.append([1, "Қайратқызы Айдана", "1998-02-01", "ж"])
    sheet.append([2, "KAIRATKYZY AIDANA", "1998-02-01", "F"])
    sheet.append([3, "Мамытова Айгуль Кайратовна", "1995-03-14", "ж"])
    book.save(tmp_path / "list.xlsx")
    link(tmp_path, tmp_path / "list.xlsx", id_column="№",
         mapping="name=ФИО,birth=Дата рождения,sex=Пол")
    pairs = read_csv(tmp_path / "pairs.csv")
    assert [(p["id_l"], p["id_r"]) for p in pairs] == [("1", "2")]


def test_a_semicolon_separated_csv_from_a_russian_excel_is_read(tmp_path):
    source = write_csv(tmp_path / "people.csv", HEADER, ROWS, delimiter=";")
    link(tmp_path, source)
    assert len(read_csv(tmp_path / "pairs.csv")) == 3


def _refused(tmp_path: Path, source: Path, message: str, **kwargs: str) -> None:
    with pytest.raises(CommandError, match=message):
        link(tmp_path, source, **kwargs)
    assert not (tmp_path / "pairs.csv").exists()
    assert not (tmp_path / "clusters.csv").exists()


def test_a_missing_file_is_refused(tmp_path):
    _refused(tmp_path, tmp_path / "nowhere.csv", "no such file")


def test_an_unknown_mapped_column_is_refused_and_the_columns_named(tmp_path):
    source = write_csv(tmp_path / "people.csv", HEADER, ROWS)
    _refused(tmp_path, source, "no column “surname”.*given_name, family_name",
             mapping="given=given_name,family=surname")
    _refused(tmp_path, source, "no column “id”", id_column="id")


def test_a_bad_mapping_is_refused(tmp_path):
    source = write_csv(tmp_path / "people.csv", HEADER, ROWS)
    _refused(tmp_path, source, "“nickname” is not a field", mapping="nickname=given_name")
    _refused(tmp_path, source, "not field=column", mapping="given")
    _refused(tmp_path, source, "at least one name column", mapping="birth=birth_date")


def test_a_bad_date_is_refused_with_its_row(tmp_path):
    rows = [*ROWS, ["ngo-7", "Dilnoza", "Karimova", "", "F", "14.03.1995", "UZ"]]
    source = write_csv(tmp_path / "people.csv", HEADER, rows)
    _refused(tmp_path, source, "row 8, column “birth_date”: “14.03.1995” is not a birth date")


def test_a_duplicated_id_is_refused_with_both_rows(tmp_path):
    rows = [*ROWS, ["ngo-2", "Dilnoza", "Karimova", "", "F", "1995", "UZ"]]
    source = write_csv(tmp_path / "people.csv", HEADER, rows)
    _refused(tmp_path, source, "the id “ngo-2” is already used in row 3")


def test_an_empty_or_unreadable_file_is_refused(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    _refused(tmp_path, empty, "is empty")
    header_only = write_csv(tmp_path / "header.csv", HEADER, [])
    _refused(tmp_path, header_only, "no rows of persons")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("record_id,given_name\n1,Jos\xe9\n".encode("latin-1"))
    _refused(tmp_path, latin1, "not a UTF-8 text file", mapping="given=given_name")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"this is not a workbook")
    _refused(tmp_path, broken, "cannot be opened as an XLSX workbook")


def test_unknown_sex_and_country_values_are_refused(tmp_path):
    rows = [*ROWS[:2], ["ngo-9", "Dilnoza", "Karimova", "", "X", "1995", "UZ"]]
    _refused(tmp_path, write_csv(tmp_path / "a.csv", HEADER, rows), "“X” is not a sex")
    rows = [*ROWS[:2], ["ngo-9", "Dilnoza", "Karimova", "", "F", "1995", "Uzbekistan"]]
    _refused(tmp_path, write_csv(tmp_path / "b.csv", HEADER, rows), "not an ISO 3166")


def test_nothing_is_written_without_a_destination_or_with_a_bad_threshold(tmp_path):
    source = write_csv(tmp_path / "people.csv", HEADER, ROWS)
    with pytest.raises(CommandError, match="--pairs"):
        call_command("link", str(source), "--id", "record_id", "--map", MAPPING,
                     stdout=io.StringIO())
    with pytest.raises(CommandError, match="between 0 and 1"):
        link(tmp_path, source, "--threshold", "1.5")
    assert not (tmp_path / "pairs.csv").exists()


def test_the_mapping_reads_several_other_name_columns():
    mapping = ColumnMapping.parse("id", "given=g, family=f, other=latin, other=alias")
    assert mapping.columns == {"given": "g", "family": "f"}
    assert mapping.other_columns == ("latin", "alias")
    with pytest.raises(SpreadsheetError, match="mapped twice"):
        ColumnMapping.parse("id", "given=a,given=b")
