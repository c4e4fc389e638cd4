"""Files nrm cannot import are refused with a message that says what to do, and nothing is
registered: the registry's rows are counted before and after each."""

from __future__ import annotations

import codecs
import io

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook

from nrm.interchange.htcds.preview import preview_of
from nrm.interchange.models import HtcdsImport
from nrm.interchange.services import htcds_import_start
from tests.interchange.conftest import import_file, registry_counts

pytestmark = pytest.mark.django_db

HEADER = "prs_FirstName,prs_SecondName,prs_Gender,prs_Birthdate,vic_TypeOfExploitation\r\n"
GOOD_ROW = "Айгуль,Мамытова,Feminine,1995-03-14,ForcedLabour\r\n"


def _refused(viewer, content: bytes, **kwargs):
    before = registry_counts()
    refused = import_file(viewer, content, **kwargs)
    assert refused.status == "refused"
    assert refused.content == ""  # the file is not kept
    assert registry_counts() == before
    return refused.check_job.result


def _codes(result) -> list[str]:
    return [problem["code"] for problem in result["problems"]]


def test_a_file_that_is_not_a_spreadsheet_is_refused(case_worker):
    result = _refused(case_worker, b"\x89PNG\r\n\x1a\n" + bytes(200), filename="photo.png")
    assert _codes(result) == ["not_spreadsheet"]
    problem = preview_of(result, with_initials=False).problems[0]
    assert problem.problem == "This is not a spreadsheet that nrm can read."
    assert ".xlsx" in problem.fix


def test_an_old_excel_file_is_refused_with_how_to_save_it(case_worker):
    result = _refused(case_worker, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    assert _codes(result) == ["old_excel"]


def test_a_damaged_workbook_is_refused(case_worker):
    result = _refused(case_worker, b"PK\x03\x04" + bytes(300), filename="broken.xlsx")
    assert _codes(result) == ["broken_workbook"]


def test_an_empty_file_is_refused_at_once(case_worker):
    before = registry_counts()
    with pytest.raises(ValidationError) as refused:
        htcds_import_start(viewer=case_worker, filename="empty.csv", content=b"")
    assert "The file is empty." in refused.value.message_dict["file"][0]
    assert registry_counts() == before
    assert not HtcdsImport.objects.exists()


def test_an_empty_workbook_is_refused(case_worker):
    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert _codes(_refused(case_worker, buffer.getvalue())) == ["empty"]


def test_a_file_without_a_recognisable_header_is_refused(case_worker):
    result = _refused(case_worker, "Имя,Фамилия,Пол\r\nАйгуль,Мамытова,ж\r\n".encode())
    assert _codes(result) == ["no_header"]
    problem = preview_of(result, with_initials=False).problems[0]
    assert "prs_FirstName" in problem.problem


def test_a_header_without_rows_is_refused(case_worker):
    assert _codes(_refused(case_worker, HEADER.encode())) == ["no_rows"]


def test_an_unknown_picklist_value_is_refused_with_row_column_and_what_to_write(case_worker):
    content = (HEADER + GOOD_ROW + "Нурбек,Асанов,X,1990,ForcedLabour\r\n").encode()

    result = _refused(case_worker, content)

    assert result["problems"] == [{"code": "unknown_value", "row": 3, "column": "prs_Gender",
                                   "params": result["problems"][0]["params"]}]
    shown = preview_of(result, with_initials=False).problems[0]
    assert (shown.row, shown.column) == (3, "prs_Gender")
    assert shown.problem == "“X” is not a value of prs_Gender."
    assert shown.fix.startswith("Write one of: Feminine, Masculine")


def test_an_impossible_date_is_refused(case_worker):
    content = (HEADER + "Нурбек,Асанов,Masculine,1990-02-30,ForcedLabour\r\n").encode()
    result = _refused(case_worker, content)
    assert result["problems"][0] | {"params": {}} == {
        "code": "date_impossible", "row": 2, "column": "prs_Birthdate", "params": {}}


def test_one_bad_row_among_good_ones_imports_nothing(case_worker):
    content = (HEADER + GOOD_ROW * 20 + ",,Feminine,1995,ForcedLabour\r\n").encode()
    result = _refused(case_worker, content)
    assert result["problems"][0]["code"] == "name_missing"
    assert result["problems"][0]["row"] == 22


def test_every_problem_of_the_file_is_listed_not_only_the_first(case_worker):
    content = (HEADER + "A,B,Femle,2099-01-01,Slavery\r\n" + GOOD_ROW
               + "C,D,Feminine,31/31/2000,ForcedLabour\r\n").encode()
    result = _refused(case_worker, content)
    assert sorted((p["row"], p["column"], p["code"]) for p in result["problems"]) == [
        (2, "prs_Birthdate", "date_range"), (2, "prs_Gender", "unknown_value"),
        (2, "vic_TypeOfExploitation", "unknown_value"), (4, "prs_Birthdate", "date_impossible"),
    ]


def test_a_file_too_large_is_refused_before_it_is_kept(case_worker, settings):
    settings.NRM_IMPORT_MAX_BYTES = 1000
    before = registry_counts()
    with pytest.raises(ValidationError) as refused:
        htcds_import_start(viewer=case_worker, filename="big.csv",
                           content=(HEADER + GOOD_ROW * 40).encode())
    assert "nrm imports at most 1000" in refused.value.message_dict["file"][0]
    assert registry_counts() == before
    assert not HtcdsImport.objects.exists()


def test_a_file_with_too_many_rows_is_refused(case_worker, settings):
    settings.NRM_IMPORT_MAX_ROWS = 10
    result = _refused(case_worker, (HEADER + GOOD_ROW * 11).encode())
    assert _codes(result) == ["too_many_rows"]
    assert "10" in preview_of(result, with_initials=False).problems[0].problem


def test_blank_rows_do_not_count_towards_the_limit(case_worker, settings):
    settings.NRM_IMPORT_MAX_ROWS = 2
    content = (HEADER + GOOD_ROW + ",,,,\r\n" * 50 + GOOD_ROW).encode()
    assert import_file(case_worker, content).cases_created == 2


def test_a_csv_not_in_utf8_is_refused_with_how_to_save_it(case_worker):
    result = _refused(case_worker, (HEADER + GOOD_ROW).encode("cp1251"))
    assert _codes(result) == ["csv_encoding"]
    assert "UTF-8" in preview_of(result, with_initials=False).problems[0].fix


def test_a_csv_in_utf16_with_its_byte_order_mark_is_read(case_worker):
    content = codecs.BOM_UTF16_LE + (HEADER + GOOD_ROW).replace(",", "\t").encode("utf-16-le")
    assert import_file(case_worker, content).cases_created == 1


def test_a_column_that_appears_twice_is_refused(case_worker):
    content = ("prs_FirstName,prs_Gender,prs_FirstName\r\nАйгуль,Feminine,Айгуль\r\n").encode()
    result = _refused(case_worker, content)
    assert result["problems"][0]["params"] == {"column": "prs_FirstName", "letters": "A, C"}


def test_consents_without_saying_how_they_were_given_are_refused(case_worker):
    content = ("prs_FirstName,con_Consent\r\nАйгуль,TRUE\r\n").encode()
    result = _refused(case_worker, content, consent_method="")
    assert _codes(result) == ["consent_method"]


def test_an_event_without_type_or_country_is_refused(case_worker):
    content = ("prs_FirstName,hte_Type,hte_Country,hte_City\r\nАйгуль,,,Moscow\r\n").encode()
    result = _refused(case_worker, content)
    assert _codes(result) == ["event_stage_missing", "event_country_missing"]


def test_a_sheet_of_endless_blank_rows_is_refused(case_worker, settings):
    settings.NRM_IMPORT_MAX_ROWS = 10
    content = (HEADER + GOOD_ROW + ",,,,\r\n" * 10_200 + GOOD_ROW).encode()
    assert _codes(_refused(case_worker, content)) == ["too_many_rows"]
