"""Safe Home exports its cases; Tendesh imports the file; Tendesh's export of them is the same
file: every exported field equal, identity and support plans included. Two columns say whose the
case is, and so change with the owner, as they must: org_ (the organisation) and cas_CaseOwner (a
user of it)."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.assistance.models import SupportPlan
from nrm.interchange.models import ReportedStatus
from nrm.registry.models import Case
from tests.interchange.conftest import export_bytes, import_file, records

pytestmark = pytest.mark.django_db

OWNER_COLUMNS = {"org_Name", "org_Type", "org_ShippingCountry", "org_ShippingState",
                 "org_ShippingCity", "cas_CaseOwner"}


def _without_owner(rows):
    return [{name: value for name, value in row.items() if name not in OWNER_COLUMNS}
            for row in rows]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_elsewhere_reproduces_every_exported_field(
        safe_home_plans, case_worker, tendesh_worker, file_format):
    exported = export_bytes(case_worker, file_format, identity=True)

    imported = import_file(tendesh_worker, exported, filename=f"safe-home.{file_format}")

    assert imported.status == "committed", imported.check_job.result
    assert imported.cases_created == 3
    again = export_bytes(tendesh_worker, file_format, identity=True)
    before, after = records(exported), records(again)
    assert len(after) == len(before) == 3
    assert _without_owner(after) == _without_owner(before)
    assert {row["org_Name"] for row in after} == {"Tendesh Osh"}
    assert {row["cas_CaseOwner"] for row in after} == {tendesh_worker.user.username}
    assert sum(1 for row in after for name, value in row.items()
               if name.startswith("spl_Type") and value) == 4


def test_the_round_trip_carries_identity_events_consents_plans_and_the_reported_status(
        safe_home_plans, case_worker, tendesh_worker):
    import_file(tendesh_worker, export_bytes(case_worker, "xlsx", identity=True),
                filename="safe-home.xlsx")

    aigul = Case.objects.get(organisation=tendesh_worker.membership.organisation,
                             person__identity__isnull=False, events__city="Moscow")
    identity = aigul.person.identity
    assert (identity.given_name, identity.patronymic, identity.family_name) == (
        "Айгуль", "Асановна", "Мамытова")
    assert identity.birth_date == "1995-03-14"
    assert identity.phones == ["+996 555 000 111", "+996 312 000 222"]
    assert identity.documents == [{"kind": "national_id", "number": "ID0000001",
                                   "country": ""}]
    assert identity.addresses == ["ул. Примерная 1, Бишкек"]
    assert sorted(aigul.events.values_list("stage", "country", "region", "city")) == [
        ("Exploitation", "RU", "", "Moscow"), ("Recruitment", "KG", "KG-GB", ""),
        ("Transit", "KZ", "", "Almaty")]
    assert aigul.events.get(stage="Exploitation").description == "Стройка; паспорт забрали"
    consent = aigul.person.consents.get()
    assert (consent.purpose, consent.given, consent.method) == ("services", True, "written")
    reported = ReportedStatus.objects.get(case=aigul)
    assert (reported.status, reported.decision_making_org) == (
        "PossibleVictimOfTrafficking", "NonPoliceGovernmentalOrganization")
    # Forced criminality has no HTCDS value: it leaves and returns as Other.
    assert aigul.exploitation_types == ["ForcedLabour", "Other"]
    plans = SupportPlan.objects.filter(case=aigul).order_by("pk")
    assert [(plan.plan_type, plan.objectives, plan.action_plan, plan.actual_end_on)
            for plan in plans] == [
        ("Health", "Вылечить руку; пройти обследование", "Клиника №4, раз в неделю",
         dt.date(2024, 5, 31)),
        ("Livelihood", "Своя работа швеёй к весне", "Курсы шитья; швейная машина", None),
        ("Health", "Психолог: сон и тревога", "", None),
    ]
    assert {plan.recorded_for_id for plan in plans} == {tendesh_worker.organisation_id}
    closed = Case.objects.get(organisation=tendesh_worker.membership.organisation,
                              status="Closed")
    assert closed.closure_reason == "Returned home; assistance completed."
    assert closed.support_plans.get().plan_type == "Legal"


def test_an_export_without_identity_cannot_register_anyone(safe_home_cases, case_worker,
                                                           tendesh_worker):
    anonymous = export_bytes(case_worker, "csv")

    refused = import_file(tendesh_worker, anonymous)

    assert refused.status == "refused"
    codes = {problem["code"] for problem in refused.check_job.result["problems"]}
    assert codes == {"name_missing"}
    assert not Case.objects.filter(organisation=tendesh_worker.membership.organisation).exists()


def test_a_decision_in_nrm_takes_the_place_of_the_status_the_file_reported(
        safe_home_cases, case_worker, tendesh_worker, decision_maker, commission):
    from nrm.identification.services import decision_request, status_decide

    import_file(tendesh_worker, export_bytes(case_worker, "csv", identity=True))
    aigul = Case.objects.get(organisation=tendesh_worker.membership.organisation,
                             reported_status__isnull=False)
    decision_request(viewer=tendesh_worker, case=aigul, competent_authority=commission)
    status_decide(viewer=decision_maker, case=aigul, status="identified",
                  decided_on=dt.date.today(), reasons="Conclusive grounds.",
                  legal_basis="Law on Combating Trafficking, art. 10")

    rows = records(export_bytes(tendesh_worker, "csv", identity=True))

    row = next(row for row in rows if row["prs_FirstName"] == "Айгуль")
    assert row["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"
    assert ReportedStatus.objects.filter(case=aigul).exists()  # kept, as the file said it


def test_a_csv_separated_by_semicolons_comes_back_too(safe_home_cases, case_worker,
                                                       tendesh_worker):
    from nrm.interchange.htcds.export import csv_chunks
    from nrm.interchange.selectors import ExportFilters, htcds_export

    export = htcds_export(viewer=case_worker, filters=ExportFilters(identity=True),
                          file_format="csv")
    content = b"".join(csv_chunks(export.columns, export.rows, delimiter=";"))

    imported = import_file(tendesh_worker, content)

    assert imported.check_job.result["delimiter"] == ";"
    assert imported.cases_created == 3
    assert Case.objects.get(organisation=tendesh_worker.membership.organisation,
                            person__identity__isnull=False,
                            events__city="Moscow").means_of_control == [
        "WithholdsDocuments", "DebtBondage"]



def test_referrals_travel_in_the_file_but_are_not_imported_as_referrals(
        safe_home_referrals, case_worker, tendesh_worker):
    from nrm.interchange.htcds.columns import REFERRAL_NAMES
    from nrm.referrals.models import Referral

    exported = export_bytes(case_worker, "xlsx", identity=True)
    before = Referral.objects.count()

    imported = import_file(tendesh_worker, exported, filename="with-referrals.xlsx")

    assert imported.cases_created == 4
    notes = {note["code"]: note for note in imported.check_job.result["notes"]}
    assert "cas_ReferredOrganisation" in notes["ignored_referrals"]["params"]["columns"]
    assert Referral.objects.count() == before

    def without_referrals(rows):
        return [{name: value for name, value in row.items()
                 if name.split("#")[0] not in REFERRAL_NAMES} for row in rows]

    again = records(export_bytes(tendesh_worker, "xlsx", identity=True))
    for after, before in zip(_without_owner(without_referrals(again)),
                             _without_owner(without_referrals(records(exported))), strict=True):
        assert {k: (v, after.get(k)) for k, v in before.items() if after.get(k) != v} == {}
    assert all(not row["cas_ReferredOrganisation"] for row in again)
