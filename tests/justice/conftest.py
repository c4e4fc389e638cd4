"""The people of criminal proceedings: a police unit and a prosecutor's office in Kazakhstan, a
police unit in Kyrgyzstan, and a few criminal-code articles of their own so that the tests do
not depend on the published data file."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind
from nrm.justice.choices import ArticleCategory
from nrm.justice.models import CriminalCase, CriminalCodeArticle
from tests.conftest import _member


@pytest.fixture
def almaty_police(db) -> Organisation:
    return Organisation.objects.create(
        name="Almaty Police, Anti-Trafficking Unit", kind=OrganisationKind.POLICE, country="KZ",
        region="KZ-75", is_first_responder=True,
    )


@pytest.fixture
def investigator(almaty_police) -> Viewer:
    """An investigator of the Almaty police unit."""
    return _member("yerlan", almaty_police, Role.CASE_WORKER)


@pytest.fixture
def almaty_prosecutors(db) -> Organisation:
    return Organisation.objects.create(
        name="Almaty City Prosecutor's Office", kind=OrganisationKind.PROSECUTOR, country="KZ",
        region="KZ-75",
    )


@pytest.fixture
def prosecutor(almaty_prosecutors) -> Viewer:
    return _member("madina", almaty_prosecutors, Role.CASE_WORKER)


@pytest.fixture
def bishkek_police(db) -> Organisation:
    return Organisation.objects.create(
        name="Bishkek Police, Investigations Department", kind=OrganisationKind.POLICE,
        country="KG", region="KG-GB", is_first_responder=True,
    )


@pytest.fixture
def kg_investigator(bishkek_police) -> Viewer:
    """An investigator of a Kyrgyz police unit."""
    return _member("adilet", bishkek_police, Role.CASE_WORKER)


def _article(country: str, number: str, category: str, title: str) -> CriminalCodeArticle:
    # update_or_create: the published codes may already hold an article of that number.
    article, _created = CriminalCodeArticle.objects.update_or_create(
        country=country, number=number,
        defaults={"category": category, "titles": {"en": title, "ru": title}, "is_active": True},
    )
    return article


@pytest.fixture
def kz_trafficking(db) -> CriminalCodeArticle:
    return _article("KZ", "128", ArticleCategory.TRAFFICKING, "Trafficking in persons")


@pytest.fixture
def kz_related(db) -> CriminalCodeArticle:
    return _article("KZ", "126", ArticleCategory.RELATED, "Unlawful deprivation of liberty")


@pytest.fixture
def kg_trafficking(db) -> CriminalCodeArticle:
    return _article("KG", "171", ArticleCategory.TRAFFICKING, "Trafficking in persons")


@pytest.fixture
def kg_related(db) -> CriminalCodeArticle:
    return _article("KG", "172", ArticleCategory.RELATED, "Involvement in prostitution")


@pytest.fixture
def articles(kz_trafficking, kz_related, kg_trafficking,
             kg_related) -> dict[str, CriminalCodeArticle]:
    """All four test articles, by name: kz_trafficking, kz_related, kg_trafficking, kg_related."""
    return {"kz_trafficking": kz_trafficking, "kz_related": kz_related,
            "kg_trafficking": kg_trafficking, "kg_related": kg_related}


@pytest.fixture
def kz_case(investigator, almaty_prosecutors, kz_trafficking) -> CriminalCase:
    """KZ criminal case 2026-001, opened by the Almaty investigator under the trafficking
    article, the Almaty prosecutor's office supervising."""
    from nrm.justice.services import criminal_case_open

    return criminal_case_open(
        viewer=investigator, country="KZ", number="2026-001",
        investigating_agency=investigator.membership.organisation,
        prosecutor_office=almaty_prosecutors, opened_on=dt.date(2026, 2, 1),
        article_ids=[kz_trafficking.pk],
    )


@pytest.fixture
def kg_case(kg_investigator, kg_trafficking) -> CriminalCase:
    """KG criminal case 2026-KG-7, opened by the Bishkek investigator."""
    from nrm.justice.services import criminal_case_open

    return criminal_case_open(
        viewer=kg_investigator, country="KG", number="2026-KG-7",
        investigating_agency=kg_investigator.membership.organisation,
        opened_on=dt.date(2026, 3, 1), article_ids=[kg_trafficking.pk],
    )


@pytest.fixture
def law_enforcement_consent(aigul_case, case_worker):
    """Айгуль's consent, recorded by her NGO case worker, to share with law enforcement."""
    from nrm.registry.inputs import ConsentInput
    from nrm.registry.services import consent_record

    return consent_record(viewer=case_worker, person=aigul_case.person,
                          consent=ConsentInput(purpose="law_enforcement", given=True,
                                               method="written"))
