"""Support plans (HTCDS spl_) in and out of nrm. An export gives each plan of a case its group of
spl_ columns; the plan's objectives and action plan are about the person's life and leave only
with identity; a national coordinator, who sees assistance only as figures, gets no spl_ column.
An import creates the plans through assistance's own service, with its checks and its audit, and
refuses a plan that nrm could not keep, row by row, writing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from nrm.assistance.inputs import SupportPlanInput
from nrm.assistance.models import SupportPlan
from nrm.assistance.services import support_plan_create
from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.htcds.columns import SUPPORT_PLAN_NAMES
from nrm.interchange.htcds.preview import preview_of
from tests.conftest import register
from tests.interchange.conftest import (
    export_bytes,
    import_file,
    records,
    registry_counts,
    table,
)

pytestmark = pytest.mark.django_db

PLAN_TEXTS = {"spl_Objectives", "spl_ActionPlan"}


def test_a_case_s_plans_leave_one_group_each_ended_first_then_open_by_planned_end(
        safe_home_plans, case_worker):
    ahead = (dt.date.today() + dt.timedelta(days=180)).isoformat()

    rows = {row["prs_FirstName"]: row for row in
            records(export_bytes(case_worker, identity=True))}

    aigul = rows["Айгуль"]
    assert [(aigul[f"spl_Type{n}"], aigul[f"spl_PlannedEndDate{n}"], aigul[f"spl_ActualEndDate{n}"])
            for n in ("", "#2", "#3")] == [
        ("Health", "2024-06-30", "2024-05-31"),
        ("Livelihood", ahead, ""),
        ("Health", "", ""),
    ]
    assert (aigul["spl_Objectives"], aigul["spl_ActionPlan"]) == (
        "Вылечить руку; пройти обследование", "Клиника №4, раз в неделю")
    assert aigul["spl_Objectives#3"] == "Психолог: сон и тревога"
    assert (rows["Нурбек"]["spl_Type"], rows["Нурбек"]["spl_ActualEndDate"],
            rows["Нурбек"]["spl_Type#2"]) == ("Legal", "2024-04-30", "")
    assert rows["Жаныл"]["spl_Type"] == ""


def test_objectives_and_action_plans_leave_only_with_identity(safe_home_plans, case_worker):
    header = table(export_bytes(case_worker, "xlsx"))[0]

    assert header.count("spl_Type") == header.count("spl_ActualEndDate") == 3
    assert not PLAN_TEXTS & set(header)
    export = AuditEntry.objects.filter(action=AuditAction.EXPORT).latest("pk")
    assert "spl_Type" in export.fields and "spl_Objectives" not in export.fields


def test_each_person_whose_plans_leave_sees_their_texts_named_in_the_access_log(
        safe_home_plans, case_worker):
    export_bytes(case_worker, identity=True)

    aigul = safe_home_plans[0].case
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT, person_code=aigul.person.code)
    assert set(entry.fields) >= PLAN_TEXTS


def test_a_coordinator_s_export_has_no_support_plans(safe_home_plans, coordinator):
    header = table(export_bytes(coordinator, "xlsx"))[0]

    assert not SUPPORT_PLAN_NAMES & set(header)
    assert "hte_Type" in header


def test_cases_without_plans_still_have_one_group_of_spl_columns(safe_home_cases, case_worker):
    header = table(export_bytes(case_worker, identity=True))[0]

    assert [name for name in header if name.startswith("spl_")] == [
        "spl_Type", "spl_Objectives", "spl_ActionPlan", "spl_PlannedEndDate",
        "spl_ActualEndDate"]


PLANS_FILE = (
    "prs_FirstName,prs_Gender,cas_Status,"
    "spl_Type,spl_Objectives,spl_ActionPlan,spl_PlannedEndDate,spl_ActualEndDate,"
    "spl_Type,spl_Objectives,spl_ActionPlan,spl_PlannedEndDate,spl_ActualEndDate\r\n"
    "Айгуль,Feminine,Active,"
    "Health,Вылечить руку,Клиника №4,30.06.2024,2024-05-31,"
    "Social Care,Жильё и документы,,{ahead},\r\n"
    "Нурбек,Masculine,Closed,Legal,Вернуть паспорт,,,2024-04-30,,,,,\r\n"
)


def _plans_file(**cells: str) -> bytes:
    ahead = (dt.date.today() + dt.timedelta(days=100)).isoformat()
    return PLANS_FILE.format(ahead=cells.get("ahead", ahead)).encode()


def test_plans_are_created_through_assistance_with_its_audit(case_worker):
    ahead = dt.date.today() + dt.timedelta(days=100)

    imported = import_file(case_worker, _plans_file())

    assert imported.status == "committed", imported.check_job.result["problems"]
    assert imported.check_job.result["counts"]["plans"] == 3
    assert [row["plans"] for row in imported.check_job.result["sample"]] == [2, 1]
    plans = SupportPlan.objects.filter(case__organisation=case_worker.membership.organisation)
    health = plans.get(plan_type="Health")
    assert (health.objectives, health.action_plan, health.planned_end_on,
            health.actual_end_on) == ("Вылечить руку", "Клиника №4", dt.date(2024, 6, 30),
                                      dt.date(2024, 5, 31))
    # HTCDS has no start date: a plan starts on its earliest end, or on the day of the import.
    assert health.started_on == dt.date(2024, 5, 31)
    social = plans.get(plan_type="SocialCare")  # written as its label, "Social Care"
    assert (social.is_open, social.planned_end_on, social.started_on) == (
        True, ahead, dt.date.today())
    legal = plans.get(plan_type="Legal")
    assert legal.case.status == "Closed"
    assert {plan.recorded_by for plan in plans} == {case_worker.user}
    audited = AuditEntry.objects.filter(action=AuditAction.SUPPORT_PLAN_CHANGED,
                                        actor=case_worker.user)
    assert audited.count() == 3
    assert "objectives" in audited.first().fields


@pytest.mark.parametrize(("cells", "code", "column"), [
    ({"ahead": ""}, None, None),  # the control: an open plan without a planned end is fine
    ({"ahead": "2024-07"}, "date_not_whole", "spl_PlannedEndDate"),
    ({"ahead": (dt.date.today() + dt.timedelta(days=4 * 366)).isoformat()}, "date_too_far",
     "spl_PlannedEndDate"),
], ids=["no planned end", "month only", "too far ahead"])
def test_a_planned_end_must_be_a_whole_date_within_three_years(case_worker, cells, code, column):
    before = registry_counts()

    imported = import_file(case_worker, _plans_file(**cells))

    if code is None:
        assert imported.status == "committed"
        return
    assert imported.status == "refused"
    problems = imported.check_job.result["problems"]
    assert [(problem["code"], problem["row"], problem["column"]) for problem in problems] == [
        (code, 2, column)]
    assert registry_counts() == before


BAD_PLANS = (
    "prs_FirstName,spl_Type,spl_Objectives,spl_ActualEndDate,spl_Type,spl_Objectives,"
    "spl_ActualEndDate\r\n"
    "Айгуль,,Вылечить руку,,,,\r\n"
    "Бермет,Health,,,,,\r\n"
    "Жаныл,Health,Сон,,Health,Тревога,\r\n"
    "Нурбек,Legal,Паспорт,{tomorrow},,,\r\n"
    "Азамат,Shelter,Жильё,,,,\r\n"
)


def test_plans_nrm_could_not_keep_are_refused_row_by_row_and_nothing_is_written(case_worker):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    before = registry_counts()

    refused = import_file(case_worker, BAD_PLANS.format(tomorrow=tomorrow).encode())

    assert refused.status == "refused"
    assert [(problem["row"], problem["column"], problem["code"])
            for problem in refused.check_job.result["problems"]] == [
        (2, "spl_Type", "plan_type_missing"),
        (3, "spl_Objectives", "plan_objectives_missing"),
        (4, "spl_ActualEndDate", "plan_open_twice"),
        (5, "spl_ActualEndDate", "date_range"),
        (6, "spl_Type", "unknown_value"),
    ]
    assert registry_counts() == before


def test_the_preview_says_what_to_write_for_a_plan_in_the_reader_s_words(case_worker):
    refused = import_file(case_worker, BAD_PLANS.format(tomorrow="2024-01-01").encode())

    shown = {problem.row: problem for problem in
             preview_of(refused.check_job.result, with_initials=False).problems}
    assert shown[4].problem == "Support plans 1, 2 are all open and of the same type, Health."
    assert "spl_ActualEndDate" in shown[4].fix
    assert shown[3].problem == "Support plan 1 has no objectives."


def test_an_export_costs_the_same_queries_however_many_cases_and_plans_it_holds(
        safe_home_plans, case_worker):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_bytes(case_worker, identity=True)
        return len(captured)

    before = queries()
    for number in range(4):
        case = register(case_worker, given=f"Person {number}")
        for plan_type in ("Health", "Legal"):
            support_plan_create(viewer=case_worker, case=case, plan=SupportPlanInput(
                plan_type=plan_type, objectives="Objective"))

    assert queries() == before
