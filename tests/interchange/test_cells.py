"""How a cell of an HTCDS file is read: the leniencies the user guide promises, and the values
that are refused with what to write instead."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from nrm.interchange.htcds import cells
from nrm.interchange.htcds.cells import Leniency
from nrm.interchange.htcds.columns import COLUMNS
from nrm.interchange.htcds.export import _csv_text
from nrm.interchange.htcds.problems import CellProblem


def _problem(read, *args, **kwargs) -> str:
    with pytest.raises(CellProblem) as raised:
        read(*args, **kwargs)
    return raised.value.code


@pytest.mark.parametrize(("written", "value"), [
    ("ForcedLabour", "ForcedLabour"),
    ("forcedlabour", "ForcedLabour"),
    ("Forced labour", "ForcedLabour"),  # the standard's label
    ("  Forced-Labour ", "ForcedLabour"),
])
def test_a_picklist_cell_may_hold_the_value_name_or_its_label(written, value):
    leniency = Leniency()
    assert cells.picklist_value(written, COLUMNS["vic_TypeOfExploitation"], leniency) == value
    assert bool(leniency.labels) == (written != value)


def test_a_label_in_the_reader_s_language_is_read_too():
    column = COLUMNS["prs_Gender"]
    assert cells.picklist_value("Female", column, Leniency()) == "Feminine"  # nrm's label
    with translation.override("ru"):
        russian = str(dict(column.choices.choices)["Masculine"])
        assert cells.picklist_value(russian, column, Leniency()) == "Masculine"


def test_an_unknown_picklist_value_is_refused_with_the_values_to_write():
    with pytest.raises(CellProblem) as raised:
        cells.picklist_value("Femle", COLUMNS["prs_Gender"], Leniency())
    assert raised.value.code == "unknown_value"
    assert "Feminine" in raised.value.params["choices"]
    assert raised.value.params["column"] == "prs_Gender"


def test_multi_selects_split_on_semicolons_and_commas_and_keep_each_value_once():
    column = COLUMNS["vic_MethodsOfControl"]
    assert cells.multi_values("DebtBondage;Physical abuse, DebtBondage", column,
                              Leniency()) == ["DebtBondage", "PhysicalAbuse"]


@pytest.mark.parametrize(("raw", "expected"), [
    (dt.datetime(1995, 3, 14), "1995-03-14"),   # an Excel date
    (dt.date(1995, 3, 14), "1995-03-14"),
    ("1995-03-14", "1995-03-14"),
    ("1995-3-4", "1995-03-04"),
    ("1995-03", "1995-03"),
    ("1995", "1995"),
    (1995, "1995"),                             # a year typed as a number
    ("14.03.1995", "1995-03-14"),               # as the region writes dates
    ("03.1995", "1995-03"),
    ("1995/03/14", "1995-03-14"),
    ("14/03/1995", "1995-03-14"),               # the day is over 12: it cannot be the month
    ("03/14/1995", "1995-03-14"),
    ("1995-03-14 00:00:00", "1995-03-14"),
])
def test_dates_are_read_in_the_forms_files_hold_them(raw, expected):
    assert cells.partial_date(raw, from_workbook=True) == expected


def test_a_date_that_lost_its_format_in_a_workbook_is_read_as_excel_s_day_number():
    assert cells.partial_date(34772, from_workbook=True) == "1995-03-14"
    assert _problem(cells.partial_date, 34772, from_workbook=False) == "date_format"


@pytest.mark.parametrize(("raw", "code"), [
    ("03/04/1995", "date_ambiguous"),
    ("1995-02-30", "date_impossible"),
    ("31.02.1995", "date_impossible"),
    ("1995-13", "date_impossible"),
    ("yesterday", "date_format"),
    ("1850-01-01", "date_range"),
])
def test_dates_that_are_unclear_impossible_or_out_of_range_are_refused(raw, code):
    assert _problem(cells.partial_date, raw, from_workbook=True) == code


def test_a_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert _problem(cells.partial_date, tomorrow.isoformat(), from_workbook=False) == "date_range"


def test_a_plan_s_end_is_a_whole_date_in_any_form_a_date_may_take():
    for raw in ("2024-05-31", "31.05.2024", "31/05/2024", dt.datetime(2024, 5, 31), 45443):
        assert cells.day(raw, from_workbook=True) == dt.date(2024, 5, 31)
    assert cells.day(" ", from_workbook=True) is None
    assert _problem(cells.day, "2024-05", from_workbook=True) == "date_not_whole"
    assert _problem(cells.day, 2024, from_workbook=True) == "date_not_whole"


def test_a_planned_date_may_lie_ahead_as_far_as_it_is_allowed_to():
    today = timezone.localdate()
    ahead = dt.timedelta(days=30)
    soon = (today + ahead).isoformat()
    assert cells.day(soon, from_workbook=False, ahead=ahead) == today + ahead
    assert _problem(cells.day, soon, from_workbook=False) == "date_range"
    later = (today + ahead + dt.timedelta(days=1)).isoformat()
    assert _problem(cells.day, later, from_workbook=False, ahead=ahead) == "date_too_far"
    assert _problem(cells.day, "1899-12-31", from_workbook=False, ahead=ahead) == "date_too_far"


@pytest.mark.parametrize(("raw", "value"), [
    (True, True), ("TRUE", True), ("yes", True), ("1", True), (1, True), ("да", True),
    (False, False), ("FALSE", False), ("no", False), ("0", False), ("нет", False),
    ("", None), (None, None),
])
def test_a_checkbox_is_true_false_or_unknown(raw, value):
    assert cells.checkbox(raw) is value


def test_a_checkbox_that_says_neither_is_refused():
    assert _problem(cells.checkbox, "maybe") == "checkbox"


@pytest.mark.parametrize(("written", "code"), [
    ("KG", "KG"), ("kg", "KG"), ("KGZ", "KG"), ("Kyrgyzstan", "KG"),
    ("Russian Federation", "RU"), ("RUS", "RU"),
])
def test_countries_by_code_or_name(written, code):
    assert cells.country(written) == code


def test_a_country_named_in_the_reader_s_language_is_read():
    with translation.override("ru"):
        assert cells.country("Казахстан") == "KZ"


def test_an_unknown_country_is_refused():
    assert _problem(cells.country, "Atlantis") == "unknown_country"
    assert cells.countries("KG; KZ;KG") == ["KG", "KZ"]


def test_regions_by_iso_code_or_name_within_their_country():
    assert cells.region("KG-GB", "KG") == "KG-GB"
    assert cells.region("kg-gb", "KG") == "KG-GB"
    assert cells.region("Bishkek", "KG") == "KG-GB"
    assert _problem(cells.region, "Bishkek", "KZ") == "unknown_region"
    assert _problem(cells.region, "KG-GB", "") == "region_without_country"


@pytest.mark.parametrize(("written", "code"), [
    ("ru", "ru"), ("rus", "ru"), ("Russian", "ru"), ("kir", "ky"), ("kaa", "kaa"),
])
def test_languages_by_iso_639_code_or_name(written, code):
    assert cells.language(written) == code


def test_texts_refuse_control_characters_excel_errors_and_overlong_values():
    assert cells.text(996555000111.0) == "996555000111"
    assert _problem(cells.text, "Ай\x00гуль") == "text_control"
    assert _problem(cells.text, "#N/A") == "excel_error"
    assert _problem(cells.text, "x" * 201, max_length=200) == "text_long"


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://example.org\")", "@SUM(A1)",
                                  "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"])
def test_a_csv_export_makes_formulas_text_and_the_import_reads_them_back(text):
    exported = _csv_text(text)
    assert exported == "'" + text
    assert cells.text(exported) == text


def test_phone_numbers_and_negative_numbers_stay_as_they_are_in_csv():
    assert _csv_text("+996 555 000 111") == "+996 555 000 111"
    assert _csv_text("-5") == "-5"
