"""The linkage story: Айгуль Мамытова registered in Cyrillic by Safe Home (Bishkek) and again as
MAMYTOVA AIGUL from her passport by Tendesh (Osh); a second Safe Home registration of her; her
namesake born ten years later. The national coordinator of Kyrgyzstan reviews across both NGOs;
Safe Home's supervisor reviews Safe Home's own persons.

Pairs are stored as a finished duplicate search stores them (`candidate_pairs_store`), from
what the engine would have reported, in its own words (its FieldComparison and level labels);
searches that run the engine itself are in test_runs.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.linkage.engine import FieldComparison
from nrm.linkage.engine.person import PERSON_MODEL
from nrm.linkage.models import CandidatePair, LinkageRun
from nrm.linkage.selectors import run_scope
from nrm.linkage.services import candidate_pairs_store
from nrm.registry.models import Case
from tests.conftest import _member, register


def compared(field: str, level: str, match_weight: float) -> FieldComparison:
    """One field's comparison as the engine explains it, with the engine's own label."""
    known = next(candidate for candidate in PERSON_MODEL.comparison(field).levels
                 if candidate.code == level)
    return FieldComparison(field=field, level=level, label=known.label,
                           match_weight=match_weight)


@dataclass(frozen=True)
class Found:
    """A pair as the engine reports it (its CandidatePair's fields)."""

    left_id: str
    right_id: str
    match_probability: float
    match_weight: float = 8.0
    comparisons: tuple[FieldComparison, ...] = field(default_factory=lambda: (
        compared("family_name", "sound_alike", 6.1),
        compared("given_name", "exact", 4.2),
        compared("birth_date", "exact", 5.0),
        compared("sex", "exact", 0.4),
        compared("citizenship", "missing", 0.0),
    ))


def found(left: Case, right: Case, probability: float = 0.97, **extra) -> Found:
    return Found(left.person.code, right.person.code, probability, **extra)


@pytest.fixture
def tendesh_supervisor(tendesh) -> Viewer:
    return _member("zhyldyz", tendesh, Role.SUPERVISOR)


@pytest.fixture
def kz_coordinator(almaty_ngo) -> Viewer:
    from nrm.directory.models import Organisation, OrganisationKind
    ministry = Organisation.objects.create(name="Ministry of Labour of Kazakhstan",
                                           kind=OrganisationKind.OTHER, country="KZ")
    return _member("aidos", ministry, Role.NATIONAL_COORDINATOR)


@pytest.fixture
def aigul_at_tendesh(outsider) -> Case:
    """The same woman, registered by Tendesh from her passport in Latin letters."""
    return register(outsider, given="AIGUL", family="MAMYTOVA")


@pytest.fixture
def aigul_again(colleague) -> Case:
    """Safe Home registered her a second time, with a typo in her family name."""
    return register(colleague, given="Айгүл", family="Мамытава")


@pytest.fixture
def namesake(case_worker) -> Case:
    """Another Айгуль Мамытова, ten years younger: not the same person."""
    return register(case_worker, birth_date="2005-07-02")


def finished_run(viewer: Viewer, pairs: list[Found], *, incremental: bool = False,
                 changed: set[str] | None = None) -> LinkageRun:
    """A duplicate search of ``viewer``'s scope that found ``pairs``."""
    scope = run_scope(viewer)
    assert scope is not None
    run = LinkageRun.objects.create(started_by=viewer.user, organisation_id=viewer.organisation_id,
                                    scope=scope, country=viewer.country, incremental=incremental)
    candidate_pairs_store(viewer=viewer, run=run, pairs=pairs, persons_compared=10,
                          records_read_at=timezone.now(), changed_codes=changed, threshold=0.5)
    run.refresh_from_db()
    return run


@pytest.fixture
def store() -> Callable[..., LinkageRun]:
    return finished_run


def pair_of(left: Case, right: Case) -> CandidatePair:
    ids = sorted([left.person_id, right.person_id])
    return CandidatePair.objects.get(left_id=ids[0], right_id=ids[1])
