"""The people of the statistics: those of criminal proceedings and of identification for the
one-count report, and the referral and assistance network of tests/statistics/network.py."""

from __future__ import annotations

import pytest

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind, ServiceType
from tests.conftest import _member
from tests.identification.conftest import commission, decision_maker  # noqa: F401
from tests.justice.conftest import (  # noqa: F401
    almaty_police,
    almaty_prosecutors,
    articles,
    bishkek_police,
    investigator,
    kg_investigator,
    kg_related,
    kg_trafficking,
    kz_related,
    kz_trafficking,
    law_enforcement_consent,
    prosecutor,
)
from tests.statistics.network import Members, Network, build_network

# --- the referral and assistance network (tests/statistics/network.py) ------------------------

def _offering(organisation: Organisation, *codes: str) -> Organisation:
    organisation.services.set([ServiceType.objects.get_or_create(code=code)[0] for code in codes])
    return organisation


@pytest.fixture
def members(case_worker, outsider, foreign_case_worker, coordinator) -> Members:
    """Safe Home's and Tendesh's case workers (tests/conftest.py), the Ak-Jol shelter's, a
    health centre's, Sana Almaty's, the Komek shelter's in Astana, and the coordinator."""
    ak_jol = _offering(Organisation.objects.create(
        name="Ak-Jol Shelter", kind=OrganisationKind.SHELTER, country="KG", region="KG-C"),
        "shelter", "medical")
    health = _offering(Organisation.objects.create(
        name="Family Medicine Centre No. 9", kind=OrganisationKind.HEALTH, country="KG",
        region="KG-GB"), "medical")
    komek = _offering(Organisation.objects.create(
        name="Komek Shelter Astana", kind=OrganisationKind.SHELTER, country="KZ",
        region="KZ-71"), "shelter")
    return Members(
        safe_home_worker=case_worker, tendesh_worker=outsider,
        ak_jol_worker=_member("cholpon", ak_jol, Role.CASE_WORKER),
        health_worker=_member("elmira", health, Role.CASE_WORKER),
        sana_worker=foreign_case_worker,
        komek_worker=_member("madina", komek, Role.CASE_WORKER),
        coordinator=coordinator)


@pytest.fixture
def network(members) -> Network:
    return build_network(members)


@pytest.fixture
def kz_coordinator(db) -> Viewer:
    ministry = Organisation.objects.create(name="Ministry of Labour of Kazakhstan",
                                           kind=OrganisationKind.OTHER, country="KZ")
    return _member("aidos", ministry, Role.NATIONAL_COORDINATOR)
