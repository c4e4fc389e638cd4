"""Assistance never depends on cooperation with law enforcement (Council of Europe Convention,
art. 12(6)): nothing in the assistance app reads criminal proceedings, and a person who
declined to cooperate with the investigation receives services like anyone else."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest

import nrm.assistance
from nrm.accounts.roles import Role
from nrm.assistance import services
from nrm.assistance.access import require_access
from nrm.assistance.inputs import ContactInput, ServiceInput, SupportPlanInput
from nrm.assistance.selectors import assistance_for_case
from nrm.directory.models import Organisation, OrganisationKind
from nrm.justice.choices import ArticleCategory, Cooperation, ParticipantRole
from nrm.justice.models import CriminalCodeArticle
from nrm.justice.services import criminal_case_open, participant_link
from nrm.registry.inputs import ConsentInput
from nrm.registry.services import consent_record
from tests.assistance.conftest import record_follow_up_consent
from tests.conftest import _member, register

DAY = dt.timedelta(days=1)


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_in_assistance_reads_criminal_proceedings():
    package = Path(nrm.assistance.__file__).parent
    sources = list(package.rglob("*.py"))
    assert len(sources) > 5
    for source in sources:
        imported = _imported_modules(source)
        assert not any(name == "nrm.justice" or name.startswith("nrm.justice.")
                       for name in imported), source
    templates = " ".join(p.read_text(encoding="utf-8") for p in package.rglob("*.html"))
    assert "justice" not in templates


@pytest.mark.django_db
def test_a_person_who_declined_to_cooperate_receives_services_like_anyone_else(
    case_worker, shelter, today
):
    police = Organisation.objects.create(name="Bishkek Police", kind=OrganisationKind.POLICE,
                                         country="KG", is_first_responder=True)
    investigator = _member("adilet", police, Role.CASE_WORKER)
    article, _ = CriminalCodeArticle.objects.update_or_create(
        country="KG", number="171", defaults={"category": ArticleCategory.TRAFFICKING,
                                              "titles": {"en": "Trafficking in persons"}})
    declined = register(case_worker, given="Айгуль", family="Мамытова")
    cooperating = register(case_worker, given="Жибек", family="Осмонова",
                           birth_date="1998-07-01")
    no_case = register(case_worker, given="Гулзат", family="Турдубаева",
                       birth_date="2001-02-02")
    criminal_case = criminal_case_open(
        viewer=investigator, country="KG", number="2026-KG-9",
        investigating_agency=police, opened_on=today - 30 * DAY, article_ids=[article.pk])
    for case, cooperation in ((declined, Cooperation.DECLINED),
                              (cooperating, Cooperation.COOPERATING)):
        consent_record(viewer=case_worker, person=case.person, consent=ConsentInput(
            purpose="law_enforcement", given=True, method="written"))
        participant_link(viewer=investigator, criminal_case=criminal_case, case_code=case.code,
                         role=ParticipantRole.VICTIM, cooperation=cooperation,
                         declined_reason="Afraid for her family"
                         if cooperation == Cooperation.DECLINED else "")

    seen = []
    for case in (declined, cooperating, no_case):
        services.support_plan_create(viewer=case_worker, case=case, plan=SupportPlanInput(
            plan_type="SexualExploitationRehabilitation", objectives="Safety and recovery"))
        for code, extra in (("shelter", {"nights": 5}), ("medical", {}),
                            ("legal_counselling", {})):
            services.service_record(viewer=case_worker, case=case, service=ServiceInput(
                service_type=code, provider_id=shelter.pk, started_on=today - 5 * DAY,
                **extra))
        record_follow_up_consent(case_worker, case)
        services.follow_up_contact(viewer=case_worker, case=case, contact=ContactInput(
            done_on=today, mode="office", reached=True, well_being=3, risk=1))
        overview = assistance_for_case(access=require_access(viewer=case_worker, case=case))
        seen.append((len(overview.plans), overview.totals.records, overview.totals.nights,
                     len(overview.follow_ups)))
    assert seen == [(1, 3, 5, 1)] * 3
