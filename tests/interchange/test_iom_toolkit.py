"""An NGO keeps its cases in IOM's own Excel toolkit (the real template, quirks and all: a hidden
row of field names, a row of labels in another order, a misspelt header, a column whose name is
missing, 1,000 numbered empty rows) and fills it as people do: labels instead of value names,
Excel dates and typed dates, ";" between values. nrm imports it."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from nrm.interchange.models import ReportedStatus
from nrm.registry.models import Case
from tests.interchange.conftest import IOM_TOOLKIT, import_file, registry_counts

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "cas_CaseOwner": "AIZADA", "prs_Salutation": "Ms", "prs_FirstName": "Гулзат",
        "prs_SecondName": "Токтогулова", "con_Consent": True,
        "prs_Birthdate": dt.datetime(1998, 7, 2), "prs_Gender": "Female",
        "prs_Citizenship": "KG;KZ", "prs_Email": "gulzat@example.org",
        "prs_MobilePhone": "+996 700 000 333", "prs_MailingCity": "Бишкек",
        "prs_MailingCountry": "KG", "prs_MailingStreet": "ул. Тестовая 5",
        "vic_TraffickingStatus": "Possible victim of trafficking",
        "vic_TraffickinStatusDecisionMakingOrg": "NGO",
        "vic_MethodOfRecruitment": "Through online social networks;AtWork",
        "vic_MethodsOfControl": "DebtBondage; WithholdsDocuments",
        "vic_TypeOfExploitation": "Forced labour", "vic_ForcedLabourIndustry": "F_Construction",
        "cas_Status": "Active",
    },
    {
        "prs_FirstName": "Азамат", "prs_SecondName": "Бекболотов", "con_Consent": "FALSE",
        "prs_Birthdate": "14.03.1995", "prs_Gender": "Masculine", "prs_Citizenship": "KG",
        "vic_TypeOfExploitation": "SexualExploitation",
        "vic_TypeOfSexExploitation": "Prostitution", "cas_Status": "Closed",
        "cas_ReasonForCaseClosure": "Moved abroad; contact lost.",
    },
    {
        "prs_FirstName": "Бермет", "prs_Gender": "Feminine", "prs_Birthdate": 2007,
        "cas_Status": "Follow Up", "vic_TypeOfExploitation": "ForcedBegging",
        # A column that IOM's template left without a name, known by its label.
        "Reason for Outgoing Referral": "AdditionalServicesRequired",
    },
]


def filled_toolkit(rows=ROWS) -> bytes:
    workbook = load_workbook(IOM_TOOLKIT)
    sheet = workbook.worksheets[0]
    names = [cell.value for cell in sheet[1]]
    labels = [cell.value for cell in sheet[2]]
    for offset, row in enumerate(rows):
        for key, value in row.items():
            column = names.index(key) if key in names else labels.index(key)
            sheet.cell(row=3 + offset, column=column + 1, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_iom_s_toolkit_has_the_quirks_this_test_relies_on():
    sheet = load_workbook(IOM_TOOLKIT, read_only=True).worksheets[0]
    names, labels = (list(row) for row in sheet.iter_rows(max_row=2, values_only=True))
    assert "vic_TraffickinStatusDecisionMakingOrg" in names
    assert names[35] is None and labels[35] == "Reason for Outgoing Referral"
    assert names.index("prs_MailingCity") != labels.index("Mailing City")
    assert sheet.max_row == 1002


def test_an_ngo_s_filled_toolkit_is_imported(case_worker):
    imported = import_file(case_worker, filled_toolkit(), filename="toolkit.xlsx")

    assert imported.status == "committed", imported.check_job.result["problems"]
    assert imported.cases_created == 3
    summary = imported.check_job.result
    assert (summary["header_row"], summary["labels_row"]) == (1, 2)
    notes = {note["code"] for note in summary["notes"]}
    assert {"ignored_not_kept", "ignored_referrals", "read_by_label", "label_as_value",
            "status_reported", "closed_today"} <= notes
    ignored = {note["params"].get("column") for note in summary["notes"]
               if note["code"] == "ignored_not_kept"}
    assert {"prs_Salutation", "prs_Email"} <= ignored
    referrals = next(note for note in summary["notes"] if note["code"] == "ignored_referrals")
    assert referrals["params"]["columns"] == "cas_ReasonForOutgoingReferral"

    cases = Case.objects.filter(organisation=case_worker.membership.organisation)
    gulzat = cases.get(person__birth_year=1998)
    assert gulzat.case_worker == case_worker.user  # cas_CaseOwner, in capitals
    assert gulzat.person.sex == "Feminine"
    assert gulzat.person.citizenships == ["KG", "KZ"]
    assert gulzat.person.identity.birth_date == "1998-07-02"
    assert gulzat.person.identity.addresses == ["ул. Тестовая 5, Бишкек, KG"]
    assert gulzat.recruitment_methods == ["ThroughOnlineSocialNetworks", "AtWork"]
    assert gulzat.means_of_control == ["DebtBondage", "WithholdsDocuments"]
    assert gulzat.exploitation_types == ["ForcedLabour"]
    assert ReportedStatus.objects.get(case=gulzat).decision_making_org == "NGO"
    assert gulzat.person.consents.get().given is True

    azamat = cases.get(person__birth_year=1995)
    assert azamat.person.identity.birth_date == "1995-03-14"
    assert azamat.status == "Closed"
    assert azamat.closure_reason == "Moved abroad; contact lost."
    assert azamat.person.consents.get().given is False

    bermet = cases.get(person__birth_year=2007)
    assert bermet.status == "FollowUp"
    assert bermet.person.identity.birth_date == "2007-01-01"


def test_the_toolkit_left_empty_imports_nothing_and_says_why(case_worker):
    before = registry_counts()

    refused = import_file(case_worker, IOM_TOOLKIT.read_bytes(), filename="empty.xlsx")

    assert refused.status == "refused"
    assert [problem["code"] for problem in refused.check_job.result["problems"]] == ["no_rows"]
    assert registry_counts() == before


def test_the_preview_says_what_was_read_otherwise_in_the_right_number(case_worker):
    from nrm.interchange.htcds.preview import preview_of

    imported = import_file(case_worker, filled_toolkit(), filename="toolkit.xlsx",
                           confirm=False)

    notes = preview_of(imported.check_job.result, with_initials=True).notes
    assert "prs_Gender: “Female” was read as Feminine (1 row)." in notes
    assert ("1 case is closed in the file; nrm records it as closed today, since HTCDS has no "
            "closing date.") in notes
    assert "nrm does not keep prs_Email; the column was not read." in notes
