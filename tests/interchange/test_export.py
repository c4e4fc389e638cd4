"""Who may export what: an export is a read of personal data. A case worker exports their
organisation's cases, identity only when they ask for it; a national coordinator exports the
country's cases, never identity; other roles export nothing. Every export is audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from nrm.core.models import AuditAction, AuditEntry
from nrm.interchange.selectors import ExportFilters, htcds_export
from tests.conftest import register
from tests.interchange.conftest import export_bytes, records, table

pytestmark = pytest.mark.django_db

IDENTITY_COLUMNS = {"cas_CaseOwner", "prs_FirstName", "prs_MiddleName", "prs_SecondName",
                    "prs_Birthdate", "prs_IdentityNumber", "prs_MobilePhone", "prs_HomePhone",
                    "prs_MailingStreet", "hte_Description"}


def test_a_case_worker_exports_their_organisation_s_cases_without_identity_by_default(
        safe_home_cases, case_worker, outsider):
    register(outsider, given="Тимур", family="Осмонов")

    rows = records(export_bytes(case_worker))

    assert len(rows) == 3
    assert {row["org_Name"] for row in rows} == {"Safe Home Bishkek"}
    assert not IDENTITY_COLUMNS & set(rows[0])


def test_identity_leaves_only_when_asked_for(safe_home_cases, case_worker):
    rows = records(export_bytes(case_worker, identity=True))
    assert set(rows[0]) >= IDENTITY_COLUMNS
    assert {row["prs_FirstName"] for row in rows} == {"Айгуль", "Нурбек", "Жаныл"}


def test_a_coordinator_exports_the_country_s_cases_but_never_identity(
        safe_home_cases, coordinator, outsider, foreign_case_worker):
    register(outsider, given="Тимур", family="Осмонов")
    register(foreign_case_worker, given="Дана", family="Ахметова")

    rows = records(export_bytes(coordinator, "xlsx"))

    assert {row["org_Name"] for row in rows} == {"Safe Home Bishkek", "Tendesh Osh"}
    assert not IDENTITY_COLUMNS & set(rows[0])
    with pytest.raises(PermissionDenied):
        htcds_export(viewer=coordinator, filters=ExportFilters(identity=True), file_format="csv")


@pytest.mark.parametrize("role", ["analyst", "org_admin"])
def test_roles_that_see_no_cases_export_nothing(safe_home_cases, role, request):
    viewer = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        htcds_export(viewer=viewer, filters=ExportFilters(), file_format="csv")


def test_an_outsider_s_export_holds_none_of_another_organisation_s_cases(
        safe_home_cases, outsider):
    assert table(export_bytes(outsider, identity=True))[1:] == []


def test_filters_by_status_opening_period_and_my_cases(safe_home_cases, case_worker, colleague):
    register(colleague, given="Бакыт", family="Исаев", opened_on=dt.date(2024, 2, 1))

    def names(**filters):
        return sorted(row["prs_FirstName"] for row in
                      records(export_bytes(case_worker, identity=True, **filters)))

    assert names(status="Closed") == ["Нурбек"]
    assert names(opened_from=dt.date(2024, 1, 15), opened_to=dt.date(2024, 3, 31)) == [
        "Бакыт", "Нурбек"]
    assert names(mine=True) == ["Айгуль", "Жаныл", "Нурбек"]


def test_an_export_is_audited_with_its_count_and_columns(safe_home_cases, case_worker):
    export_bytes(case_worker, "xlsx", status="Active")

    entry = AuditEntry.objects.filter(action=AuditAction.EXPORT).get()
    assert entry.actor == case_worker.user
    assert entry.purpose == "HTCDS xlsx: 1 cases status=Active"
    assert "vic_TypeOfExploitation" in entry.fields
    assert "prs_FirstName" not in entry.fields


def test_each_person_whose_identity_is_exported_sees_it_in_their_access_log(
        safe_home_cases, case_worker):
    export_bytes(case_worker, identity=True)

    exported = AuditEntry.objects.filter(action=AuditAction.EXPORT).exclude(person_code="")
    assert {entry.person_code for entry in exported} == {
        case.person.code for case in safe_home_cases}
    assert "prs_FirstName" in exported.first().fields


def test_csv_starts_with_a_byte_order_mark_so_that_excel_reads_cyrillic(
        safe_home_cases, case_worker):
    content = export_bytes(case_worker, identity=True)
    assert content.startswith("\ufeff".encode())
    assert "Айгуль" in content.decode("utf-8-sig")


def test_csv_may_be_separated_by_semicolons_for_excel_in_russian(safe_home_cases, case_worker):
    export = htcds_export(viewer=case_worker, filters=ExportFilters(), file_format="csv")
    from nrm.interchange.htcds.export import csv_chunks

    content = b"".join(csv_chunks(export.columns, export.rows, delimiter=";"))
    first_line = content.decode("utf-8-sig").splitlines()[0]
    assert first_line.startswith("org_Name;org_Type;")


def test_an_export_has_one_group_of_event_columns_per_event_of_the_busiest_case(
        safe_home_cases, case_worker):
    header = table(export_bytes(case_worker, identity=True))[0]
    assert header.count("hte_Type") == 3
    assert header.count("hte_Description") == 3


def test_a_name_that_looks_like_a_formula_stays_text_in_a_workbook(case_worker):
    formula = "=HYPERLINK(\"http://example.org\",\"x\")"
    register(case_worker, given=formula, family="Test")

    sheet = load_workbook(io.BytesIO(export_bytes(case_worker, "xlsx", identity=True))).active
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("prs_FirstName") + 1)
    assert (cell.value, cell.data_type) == (formula, "s")


def test_a_background_export_is_audited_and_its_file_dropped_after_an_hour(
        safe_home_cases, case_worker):
    from nrm.interchange.models import ExportFile
    from nrm.interchange.services import htcds_export_start

    first = htcds_export_start(viewer=case_worker, filters=ExportFilters(identity=True))

    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, person_code="").get().purpose \
        == "HTCDS xlsx: 3 cases identity"
    kept = ExportFile.objects.get(job=first)
    assert kept.case_count == 3 and kept.content
    ExportFile.objects.filter(pk=kept.pk).update(
        created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    htcds_export_start(viewer=case_worker, filters=ExportFilters())
    kept.refresh_from_db()
    assert kept.content == ""


def test_a_case_s_referrals_leave_in_the_cas_referral_columns(safe_home_referrals, case_worker):
    today = dt.date.today().isoformat()

    rows = {row["prs_FirstName"]: row for row in
            records(export_bytes(case_worker, identity=True))}

    aigul = rows["Айгуль"]
    assert (aigul["cas_ReferredOrganisation"], aigul["cas_OutgoingReferralDate"],
            aigul["cas_ReasonForOutgoingReferral"]) == (
        "Ak-Jol Shelter", today, "AdditionalServicesRequired")
    assert (aigul["cas_ReferredOrganisation#2"], aigul["cas_ReasonForOutgoingReferral#2"]) == (
        "Komek Shelter Astana", "MigrationOrChangeOfLocation")
    assert aigul["cas_OutgoingReferralDetails"] == "Needs a quiet room; Ak-Jol Shelter."
    assert aigul["cas_ReferringOrganisation"] == ""
    bakyt = rows["Бакыт"]
    assert (bakyt["cas_ReferringOrganisation"], bakyt["cas_IncomingReferralDate"],
            bakyt["cas_ReasonForIncomingReferral"], bakyt["cas_IncomingReferralDetails"]) == (
        "Consulate of Kyrgyzstan in Moscow", today, "MigrationOrChangeOfLocation",
        "Arrives at Manas airport on Friday.")
    assert bakyt["cas_ReferredOrganisation"] == ""


def test_referral_notes_leave_only_with_identity(safe_home_referrals, case_worker, coordinator):
    for viewer in (case_worker, coordinator):
        header = table(export_bytes(viewer))[0]
        assert header.count("cas_ReferredOrganisation") == 2
        assert "cas_OutgoingReferralDetails" not in header
        assert "cas_IncomingReferralDetails" not in header
