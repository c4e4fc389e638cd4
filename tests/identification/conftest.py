"""The people of identification: a police unit that screens, an inter-agency commission in
Kyrgyzstan that decides victim status, and a small catalogue of its own so that the tests do not
depend on the published one."""

from __future__ import annotations

import datetime as dt

import pytest

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification.choices import Dimension, Element, IndicatorGroup, IndicatorSet, Strength
from nrm.identification.models import Indicator, IndicatorCatalogue
from tests.conftest import _member


@pytest.fixture
def commission(db) -> Organisation:
    return Organisation.objects.create(
        name="Commission on Victims of Trafficking", kind=OrganisationKind.SOCIAL_PROTECTION,
        country="KG", is_competent_authority=True,
    )


@pytest.fixture
def decision_maker(commission) -> Viewer:
    return _member("ermek", commission, Role.DECISION_MAKER)


@pytest.fixture
def commission_case_worker(commission) -> Viewer:
    return _member("saltanat", commission, Role.CASE_WORKER)


@pytest.fixture
def ngo_decision_maker(safe_home) -> Viewer:
    """A decision maker, but of an NGO: not a competent authority."""
    return _member("kanat", safe_home, Role.DECISION_MAKER)


@pytest.fixture
def police_unit(db) -> Organisation:
    return Organisation.objects.create(
        name="Bishkek Police, Anti-Trafficking Unit", kind=OrganisationKind.POLICE, country="KG",
        is_first_responder=True,
    )


@pytest.fixture
def police_officer(police_unit) -> Viewer:
    return _member("azamat", police_unit, Role.CASE_WORKER)


CODES = {
    Element.ACT: ["test.act.recruited", "test.act.transported"],
    Element.MEANS: ["test.means.deception", "test.means.debt"],
    Element.PURPOSE: ["test.purpose.forced_labour", "test.purpose.sexual"],
}


@pytest.fixture
def catalogue(db) -> IndicatorCatalogue:
    """A current catalogue of two Palermo indicators per element, two ILO/EC adult-labour
    indicators and one indicator that only Kazakhstan asks."""
    IndicatorCatalogue.objects.update(is_current=False)
    catalogue = IndicatorCatalogue.objects.create(
        version="test-1", title="Test catalogue", published_on=dt.date(2026, 1, 1),
        is_current=True,
    )
    order = 0
    for element, codes in CODES.items():
        for code in codes:
            order += 1
            Indicator.objects.create(catalogue=catalogue, code=code, group=IndicatorGroup.PALERMO,
                                     element=element, order=order,
                                     texts={"en": code, "ru": code})
    Indicator.objects.create(
        catalogue=catalogue, code="test.ilo.confiscated_documents", group=IndicatorGroup.ILO_EC,
        element=Element.MEANS, indicator_set=IndicatorSet.ADULT_LABOUR,
        dimension=Dimension.COERCION_AT_DESTINATION, strength=Strength.STRONG, order=10,
        texts={"en": "Confiscation of documents"},
    )
    Indicator.objects.create(
        catalogue=catalogue, code="test.ilo.child_begging", group=IndicatorGroup.ILO_EC,
        element=Element.PURPOSE, indicator_set=IndicatorSet.CHILD_LABOUR,
        dimension=Dimension.EXPLOITATIVE_CONDITIONS, strength=Strength.STRONG, order=11,
        texts={"en": "Forced begging"},
    )
    Indicator.objects.create(
        catalogue=catalogue, code="test.kz.only", group=IndicatorGroup.PALERMO,
        element=Element.ACT, country="KZ", order=12, texts={"en": "Asked in Kazakhstan only"},
    )
    return catalogue
