"""`nrm link --against-registry --as USERNAME`: an operator checks an NGO's list against the
registry on the command line, acting as Safe Home's case worker. The rows are matched with each
other and with the persons whose identity she sees (Safe Home's), read through the same audited
selector as the page; registry persons appear by their codes. A command that cannot act as asked
says what to do, and writes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from nrm.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db

MAPPING = "given=given_name,family=family_name,birth=birth_date,sex=sex"
LIST = [
    ["record_id", "given_name", "family_name", "birth_date", "sex"],
    ["ngo-1", "Айгуль", "Мамытова", "1995-03-14", "F"],
    ["ngo-2", "AIGUL", "MAMYTOVA", "1995-03-14", "F"],
    ["ngo-3", "Бакыт", "Осмонов", "1988", "M"],
]


def link(tmp_path: Path, *extra: str, rows: list[list[str]] = LIST) -> str:
    source = tmp_path / "list.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows(rows)
    output = io.StringIO()
    call_command("link", str(source), "--id", "record_id", "--map", MAPPING,
                 "--pairs", str(tmp_path / "pairs.csv"),
                 "--clusters", str(tmp_path / "clusters.csv"), *extra, stdout=output)
    return output.getvalue()


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_list_is_matched_against_the_persons_the_named_user_sees(tmp_path, case_worker,
                                                                   aigul_case,
                                                                   aigul_at_tendesh):
    output = link(tmp_path, "--against-registry", "--as", "aizada")
    code = aigul_case.person.display_code
    pairs = {frozenset((row["id_l"], row["id_r"])) for row in read(tmp_path / "pairs.csv")}
    assert pairs == {frozenset(("ngo-1", "ngo-2")), frozenset(("ngo-1", code)),
                     frozenset(("ngo-2", code))}
    clusters = {row["id"]: row["cluster"] for row in read(tmp_path / "clusters.csv")}
    assert clusters["ngo-1"] == clusters["ngo-2"] == clusters[code] != clusters["ngo-3"]
    assert aigul_at_tendesh.person.display_code not in clusters  # not Safe Home's person
    assert "1 registry persons of Safe Home Bishkek read as aizada" in output
    assert "3 rows are 2 persons" in output and "2 rows match a registry person" in output
    entry = AuditEntry.objects.get(action=AuditAction.SPREADSHEET_CHECKED)
    assert entry.actor == case_worker.user
    assert entry.purpose == ("spreadsheet check: 1 identities read for comparison "
                             "(nrm link --against-registry)")


def test_against_the_registry_without_a_user_says_to_name_one(tmp_path, case_worker,
                                                              aigul_case):
    with pytest.raises(CommandError, match="--as USERNAME"):
        link(tmp_path, "--against-registry")
    with pytest.raises(CommandError, match="are for --against-registry"):
        link(tmp_path, "--as", "aizada")
    assert not (tmp_path / "pairs.csv").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED).exists()


@pytest.mark.parametrize("username", ["nurlan", "asel", "nobody"])
def test_a_user_who_sees_no_identity_cannot_be_acted_as(tmp_path, coordinator, analyst,
                                                        aigul_case, username):
    with pytest.raises(CommandError):
        link(tmp_path, "--against-registry", "--as", username)
    assert not (tmp_path / "pairs.csv").exists()
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED).exists()


def test_a_bad_file_is_refused_before_the_registry_is_read(tmp_path, case_worker, aigul_case):
    rows = [*LIST, ["ngo-4", "Асель", "Жумабаева", "30.09.2001", "F"]]
    with pytest.raises(CommandError, match="row 5"):
        link(tmp_path, "--against-registry", "--as", "aizada", rows=rows)
    assert not AuditEntry.objects.filter(action=AuditAction.SPREADSHEET_CHECKED).exists()


def test_a_row_id_that_is_a_registry_code_is_refused(tmp_path, case_worker, aigul_case):
    code = aigul_case.person.display_code
    rows = [*LIST[:3], [code, "Бакыт", "Осмонов", "1988", "M"]]
    with pytest.raises(CommandError, match="other ids"):
        link(tmp_path, "--against-registry", "--as", "aizada", rows=rows)
    assert not (tmp_path / "pairs.csv").exists()
