"""Cases worth exporting: Safe Home's three synthetic persons with every kind of HTCDS value
(identity, events, consents, a status decision), and the reference files of the standard."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.assistance.inputs import SupportPlanInput
from nrm.assistance.models import SupportPlan
from nrm.assistance.services import support_plan_create
from nrm.directory.models import ServiceType
from nrm.identification.services import decision_request, status_decide
from nrm.interchange.models import HtcdsImport
from nrm.interchange.selectors import ExportFilters, htcds_export
from nrm.interchange.services import htcds_import_confirm, htcds_import_start
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_accept, referral_receive, referral_send
from nrm.registry.inputs import (
    CaseInput,
    ConsentInput,
    DocumentInput,
    EventInput,
    IdentityInput,
    PersonInput,
)
from nrm.registry.models import Case, Consent, Identity, Person, TraffickingEvent
from nrm.registry.services import case_close, consent_record, person_register
from tests.conftest import _member
from tests.identification.conftest import commission, decision_maker  # noqa: F401 (fixtures)
from tests.referrals.conftest import ak_jol, kg_kz_agreement, komek  # noqa: F401 (fixtures)
from tests.referrals.test_incoming import SHARED as PACKAGE_SHARED

DATA = Path(__file__).resolve().parent / "data"
STANDARD_ODS = DATA / "HTCDS Field Standards 2.0.ods"
IOM_TOOLKIT = DATA / "HTCDS Excel Spreadsheet v2.0.xlsx"


@pytest.fixture
def tendesh_worker(tendesh) -> Viewer:
    """Tendesh's case worker, who imports what Safe Home exported."""
    return _member("saule", tendesh, Role.CASE_WORKER)


@pytest.fixture
def hotline_operator(safe_home) -> Viewer:
    return _member("operator", safe_home, Role.HOTLINE_OPERATOR)


@pytest.fixture
def safe_home_cases(case_worker, decision_maker, commission) -> list[Case]:  # noqa: F811
    """Three cases of Safe Home, between them every kind of value an export writes."""
    aigul = person_register(
        viewer=case_worker,
        person=PersonInput(sex="Feminine", birth_year=1995, citizenships=["KG"],
                           languages=["ky", "ru"]),
        identity=IdentityInput(
            given_name="Айгуль", patronymic="Асановна", family_name="Мамытова",
            birth_date="1995-03-14",
            documents=[DocumentInput(kind="national_id", number="ID0000001", country="KG")],
            phones=["+996 555 000 111", "+996 312 000 222"],
            addresses=["ул. Примерная 1, Бишкек"],
        ),
        case=CaseInput(
            entry_point="hotline", opened_on=dt.date(2024, 1, 10),
            exploitation_types=["ForcedLabour", "ForcedCriminality"],
            labour_industry="F_Construction",
            means_of_control=["WithholdsDocuments", "DebtBondage"],
            recruitment_methods=["ThroughFriendsOrSocialEvents"],
            recruiter_relationship="Acquainted",
        ),
        events=[
            EventInput(stage="Recruitment", country="KG", region="KG-GB", date="2023-02"),
            EventInput(stage="Transit", country="KZ", city="Almaty"),
            EventInput(stage="Exploitation", country="RU", city="Moscow", date="2023-04-10",
                       description="Стройка; паспорт забрали"),
        ],
        consents=[ConsentInput(purpose="services", given=True, method="oral"),
                  ConsentInput(purpose="statistics", given=True, method="oral")],
    )
    decision_request(viewer=case_worker, case=aigul, competent_authority=commission)
    status_decide(viewer=decision_maker, case=aigul, status="presumed",
                  decided_on=dt.date.today(), reasons="Indicators of forced labour.",
                  legal_basis="Law on Combating Trafficking, art. 10")
    nurbek = person_register(
        viewer=case_worker,
        person=PersonInput(sex="Masculine", birth_year=1990, citizenships=["KG", "KZ"],
                           languages=["ky"]),
        identity=IdentityInput(given_name="Нурбек", family_name="Асанов", birth_date="1990"),
        case=CaseInput(entry_point="police", opened_on=dt.date(2024, 3, 1),
                       exploitation_types=["SexualExploitation"],
                       sexual_exploitation_types=["Prostitution"],
                       recruiter_relationship="Unaquainted"),
        events=[EventInput(stage="Exploitation", country="TR", city="Istanbul", date="2023")],
        consents=[ConsentInput(purpose="services", given=False, method="written")],
    )
    case_close(viewer=case_worker, case=nurbek, closed_on=dt.date.today(),
               reason="Returned home; assistance completed.")
    zhanyl = person_register(
        viewer=case_worker,
        person=PersonInput(sex="Feminine", birth_year=2010, citizenships=["KG"]),
        identity=IdentityInput(given_name="Жаныл", birth_date="2010-05"),
        case=CaseInput(entry_point="ngo_outreach", opened_on=dt.date(2024, 6, 1),
                       status="FollowUp", exploitation_types=["ForcedBegging"],
                       recruiter_relationship="Familial"),
    )
    return [aigul, nurbek, zhanyl]


@pytest.fixture
def safe_home_referrals(safe_home_cases, case_worker, safe_home, ak_jol, komek,  # noqa: F811
                        kg_kz_agreement) -> list[Referral]:  # noqa: F811
    """Айгуль referred to the Ak-Jol shelter in Kyrgyzstan and across the border to Komek in
    Astana; and Бакыт, referred to Safe Home in a package from the consulate in Moscow, whose
    acceptance opened a fourth case."""
    aigul = safe_home_cases[0]
    for receiver in (ak_jol, komek):
        consent_record(viewer=case_worker, person=aigul.person, consent=ConsentInput(
            purpose="share_organisation", given=True, method="written", recipient_id=receiver.pk))
    consent_record(viewer=case_worker, person=aigul.person, consent=ConsentInput(
        purpose="cross_border", given=True, method="written"))
    sent = [referral_send(viewer=case_worker, case=aigul, receiver=receiver,
                          services=["shelter"], urgency="routine",
                          shared_fields=["sex", "age_band", "languages"],
                          note=f"Needs a quiet room; {receiver.name}.")
            for receiver in (ak_jol, komek)]
    safe_home.services.add(ServiceType.objects.get_or_create(code="return_repatriation")[0])
    received = referral_receive(
        viewer=case_worker, sending_deployment="nrm.consulate-moscow.example",
        external_code="R-MOW-0042", sender_name="Consulate of Kyrgyzstan in Moscow",
        from_country="RU", services=["return_repatriation"], urgency="urgent",
        shared=PACKAGE_SHARED, note="Arrives at Manas airport on Friday.")
    return [*sent, referral_accept(viewer=case_worker, referral=received)]


@pytest.fixture
def safe_home_plans(safe_home_cases, case_worker) -> list[SupportPlan]:
    """Айгуль's support plans: a Health plan that ended, a second Health plan and a Livelihood
    plan still open; Нурбек's Legal plan, ended without a planned end."""
    aigul, nurbek, _zhanyl = safe_home_cases
    ahead = dt.date.today() + dt.timedelta(days=180)
    plans = [
        (aigul, SupportPlanInput(
            plan_type="Health", objectives="Вылечить руку; пройти обследование",
            action_plan="Клиника №4, раз в неделю", started_on=dt.date(2024, 1, 15),
            planned_end_on=dt.date(2024, 6, 30), actual_end_on=dt.date(2024, 5, 31))),
        (aigul, SupportPlanInput(
            plan_type="Livelihood", objectives="Своя работа швеёй к весне",
            action_plan="Курсы шитья; швейная машина", started_on=dt.date(2024, 6, 1),
            planned_end_on=ahead)),
        (aigul, SupportPlanInput(
            plan_type="Health", objectives="Психолог: сон и тревога",
            started_on=dt.date(2024, 7, 1))),
        (nurbek, SupportPlanInput(
            plan_type="Legal", objectives="Вернуть паспорт", started_on=dt.date(2024, 3, 1),
            actual_end_on=dt.date(2024, 4, 30))),
    ]
    return [support_plan_create(viewer=case_worker, case=case, plan=plan)
            for case, plan in plans]


def registry_counts() -> dict[str, int]:
    """How many rows the registry (and assistance's support plans) hold, to show that a refused
    file wrote nothing."""
    return {model.__name__: model.objects.count()
            for model in (Person, Identity, Case, TraffickingEvent, Consent, SupportPlan)}


def export_bytes(viewer: Viewer, file_format: str = "csv", **filters: Any) -> bytes:
    """An export as the file a user downloads."""
    from nrm.interchange.htcds.export import csv_chunks, xlsx_bytes

    export = htcds_export(viewer=viewer, filters=ExportFilters(**filters),
                          file_format=file_format)
    if file_format == "xlsx":
        return xlsx_bytes(export.columns, export.rows)
    return b"".join(csv_chunks(export.columns, export.rows))


def table(content: bytes) -> list[list[Any]]:
    """A CSV or XLSX file as rows of cells (row 1 the header), as a reader of the file sees it."""
    if content.startswith(b"PK"):
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    else:
        rows = [list(row) for row in csv.reader(io.StringIO(content.decode("utf-8-sig")))]
    width = len(rows[0]) if rows else 0
    # A workbook leaves a row's empty tail off; every row is as wide as the header here.
    return [row + [None] * (width - len(row)) for row in rows]


def records(content: bytes) -> list[dict[str, Any]]:
    """Rows as {header: value}, repeated headers numbered from their second time: hte_Type,
    hte_Type#2, …"""
    rows = table(content)
    header: list[str] = []
    seen: dict[str, int] = {}
    for name in rows[0]:
        seen[name] = seen.get(name, 0) + 1
        header.append(name if seen[name] == 1 else f"{name}#{seen[name]}")
    return [dict(zip(header, row, strict=False)) for row in rows[1:]]


def import_file(viewer: Viewer, content: bytes, *, filename: str = "cases.csv",
                consent_method: str = "written", confirm: bool = True) -> HtcdsImport:
    """Upload, check and (unless told otherwise) confirm a file, as the user would."""
    uploaded = htcds_import_start(viewer=viewer, filename=filename, content=content,
                                  consent_method=consent_method)
    if confirm and uploaded.status == "checked":
        htcds_import_confirm(viewer=viewer, htcds_import=uploaded)
    uploaded.refresh_from_db()
    return uploaded
