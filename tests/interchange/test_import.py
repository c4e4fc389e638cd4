"""An import from upload to commit: the check job and its preview, confirmation, the commit job
that registers everything through the registry's services in one transaction, only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from nrm.core.jobs import job_progress
from nrm.core.models import AuditAction, AuditEntry, Job
from nrm.interchange.models import HtcdsImport, ReportedStatus
from nrm.interchange.selectors import import_for_viewer
from nrm.interchange.services import (
    htcds_import_commit,
    htcds_import_confirm,
    htcds_import_discard,
    htcds_import_start,
)
from nrm.registry.models import Case
from tests.interchange.conftest import import_file, registry_counts

pytestmark = pytest.mark.django_db

FILE = (
    "prs_FirstName,prs_SecondName,prs_Gender,prs_Birthdate,con_Consent,"
    "vic_TraffickingStatus,vic_TypeOfExploitation,cas_Status,hte_Type,hte_Country,hte_Date\r\n"
    "Айгуль,Мамытова,Feminine,1995-03-14,TRUE,PossibleVictimOfTrafficking,ForcedLabour,Active,"
    "Exploitation,RU,2023-04\r\n"
    "Нурбек,Асанов,Masculine,1990,FALSE,,SexualExploitation,Closed,,,\r\n"
).encode()


def _checked(viewer, content: bytes = FILE) -> HtcdsImport:
    return htcds_import_start(viewer=viewer, filename="cases.csv", content=content,
                              consent_method="written")


def test_the_check_shows_what_the_import_will_create_and_creates_nothing(case_worker):
    before = registry_counts()

    checked = _checked(case_worker)

    assert checked.status == "checked"
    summary = checked.check_job.result
    assert summary["counts"] == {"persons": 2, "cases": 2, "events": 1, "consents": 2,
                                 "reported_statuses": 1, "plans": 0}
    assert summary["problem_count"] == 0
    assert [row["initials"] for row in summary["sample"]] == ["А. М.", "Н. А."]
    assert registry_counts() == before
    assert checked.check_job.result_url == f"/interchange/imports/{checked.pk}/"


def test_the_uploaded_file_is_kept_encrypted_until_it_is_imported(case_worker):
    checked = _checked(case_worker)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, filename FROM interchange_htcdsimport WHERE id = %s",
                       [checked.pk])
        stored, filename = cursor.fetchone()
    assert "Айгуль" not in stored and "cases.csv" not in filename
    htcds_import_confirm(viewer=case_worker, htcds_import=checked)
    checked.refresh_from_db()
    assert checked.content == ""


def test_confirming_registers_every_case_through_the_registry_with_audit(case_worker):
    imported = import_file(case_worker, FILE)

    assert imported.status == "committed"
    assert imported.cases_created == 2
    cases = Case.objects.filter(organisation=case_worker.membership.organisation)
    assert sorted(cases.values_list("status", flat=True)) == ["Active", "Closed"]
    entries = AuditEntry.objects.filter(actor=case_worker.user)
    assert entries.filter(action=AuditAction.PERSON_REGISTERED).count() == 2
    assert entries.filter(action=AuditAction.CASE_CLOSED).count() == 1
    per_case = entries.filter(action=AuditAction.IMPORT, object_type="case")
    assert {entry.person_code for entry in per_case} == {
        case.person.code for case in cases}
    summary = entries.get(action=AuditAction.IMPORT, object_type="htcdsimport")
    assert summary.purpose == "HTCDS import: 2 cases, 1 events, 2 consents, 0 support plans"
    assert "prs_FirstName" in summary.fields
    assert job_progress(imported.commit_job).percent == 100


def test_confirming_twice_imports_once(case_worker):
    checked = _checked(case_worker)
    htcds_import_confirm(viewer=case_worker, htcds_import=checked)

    with pytest.raises(ValidationError):
        htcds_import_confirm(viewer=case_worker, htcds_import=checked)

    assert Case.objects.count() == 2
    assert Job.objects.filter(kind="htcds_import").count() == 1


def test_the_same_file_uploaded_again_after_its_import_is_refused(case_worker, colleague):
    import_file(case_worker, FILE)

    again = import_file(colleague, FILE)

    assert again.status == "refused"
    assert [p["code"] for p in again.check_job.result["problems"]] == ["already_imported"]
    assert Case.objects.count() == 2


def test_the_same_file_checked_twice_and_confirmed_twice_imports_once(case_worker):
    first, second = _checked(case_worker), _checked(case_worker)
    htcds_import_confirm(viewer=case_worker, htcds_import=first)

    htcds_import_confirm(viewer=case_worker, htcds_import=second)

    second.refresh_from_db()
    assert second.status == "failed"
    assert "already imported" in second.commit_job.error
    assert Case.objects.count() == 2


def test_another_organisation_may_import_the_same_file(case_worker, tendesh_worker):
    import_file(case_worker, FILE)
    assert import_file(tendesh_worker, FILE).status == "committed"


def test_an_import_runs_in_one_transaction_and_reports_its_progress(case_worker):
    checked = _checked(case_worker)
    type(checked).objects.filter(pk=checked.pk).update(status="committing")
    reports: list[tuple[int, int, str]] = []

    htcds_import_commit(viewer=case_worker, htcds_import=checked,
                        progress=lambda done, total, step="": reports.append((done, total, step)))

    assert reports[-2:] == [(1, 2, "Registering cases"), (2, 2, "Registering cases")]


def test_a_member_who_left_before_the_import_imports_nothing(case_worker):
    checked = _checked(case_worker)
    before = registry_counts()
    case_worker.membership.is_active = False
    case_worker.membership.save()

    htcds_import_confirm(viewer=case_worker, htcds_import=checked)

    checked.refresh_from_db()
    assert checked.status == "failed"
    assert "no longer active" in checked.commit_job.error
    assert registry_counts() == before
    assert not ReportedStatus.objects.exists()


def test_a_discarded_file_is_dropped_and_cannot_be_imported(case_worker):
    checked = _checked(case_worker)

    htcds_import_discard(viewer=case_worker, htcds_import=checked)

    checked.refresh_from_db()
    assert (checked.status, checked.content) == ("discarded", "")
    with pytest.raises(ValidationError):
        htcds_import_confirm(viewer=case_worker, htcds_import=checked)


def test_an_upload_left_unconfirmed_for_a_day_is_dropped(case_worker):
    old = _checked(case_worker)
    HtcdsImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=25))

    _checked(case_worker, FILE.replace(b"Asanov", b"Asanova"))

    old.refresh_from_db()
    assert (old.status, old.content) == ("discarded", "")


@pytest.mark.parametrize("role", ["analyst", "org_admin", "coordinator"])
def test_roles_that_do_not_register_persons_cannot_import(role, request):
    viewer = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        htcds_import_start(viewer=viewer, filename="cases.csv", content=FILE)


def test_a_hotline_operator_may_import(hotline_operator):
    assert import_file(hotline_operator, FILE).status == "committed"


def test_nobody_but_the_uploader_sees_or_confirms_an_import(case_worker, colleague, outsider):
    checked = _checked(case_worker)
    for other in (colleague, outsider):
        with pytest.raises(Http404):
            import_for_viewer(viewer=other, import_id=checked.pk)
        with pytest.raises(PermissionDenied):
            htcds_import_confirm(viewer=other, htcds_import=checked)
    assert Case.objects.count() == 0


def test_a_case_owner_is_known_by_user_name_or_full_name(case_worker, colleague):
    colleague.user.first_name, colleague.user.last_name = "Бакыт", "Исаев"
    colleague.user.save()
    content = ("prs_FirstName,cas_CaseOwner\r\nАйгуль,Бакыт Исаев\r\nНурбек,AIZADA\r\n"
               "Жаныл,someone else\r\n").encode()

    imported = import_file(case_worker, content)

    owners = dict(Case.objects.values_list("person__identity__given_name", "case_worker"))
    assert owners == {"Айгуль": colleague.user.pk, "Нурбек": case_worker.user.pk,
                      "Жаныл": case_worker.user.pk}
    notes = [note for note in imported.check_job.result["notes"]
             if note["code"] == "case_owner_unknown"]
    assert notes[0]["params"] == {"value": "someone else", "rows": 1}
