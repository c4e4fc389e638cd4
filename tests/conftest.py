"""Named users across organisations and roles, as the stories in the tests speak of them.

Two NGOs in Kyrgyzstan (Bishkek's "Safe Home" and Osh's "Tendesh"), a police unit, and a
national coordinator and an analyst; everything synthetic.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind
from nrm.registry.inputs import CaseInput, IdentityInput, PersonInput
from nrm.registry.models import Case
from nrm.registry.services import person_register

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True, scope="session")
def _demo_files_stay_out_of_the_real_temp_dir(tmp_path_factory):
    # `nrm demo` writes a package waiting to be imported; tests must not touch a user's demo.
    from nrm.interchange import demo as exchange_demo

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(exchange_demo, "WAITING_DIRECTORY", tmp_path_factory.mktemp("nrm-demo"))
        yield


@pytest.fixture(autouse=True)
def _no_two_factor_by_default(settings):
    # Two-factor is tested on its own; other tests log in with a password alone.
    settings.NRM_REQUIRE_2FA = False


@pytest.fixture(autouse=True)
def _each_test_starts_in_english():
    # A request through the test client leaves its language active in this thread; without
    # this, a test's messages would depend on which test ran before it.
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def _background_work_runs_at_once(settings):
    # Jobs run inside the request that starts them, and their progress stays in this process.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests/accounts/test_passwords.py checks the project uses it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def safe_home(db) -> Organisation:
    return Organisation.objects.create(
        name="Safe Home Bishkek", kind=OrganisationKind.NGO, country="KG", region="KG-GB",
        is_first_responder=True, languages=["ky", "ru"],
    )


@pytest.fixture
def tendesh(db) -> Organisation:
    return Organisation.objects.create(
        name="Tendesh Osh", kind=OrganisationKind.NGO, country="KG", region="KG-GO",
        is_first_responder=True,
    )


@pytest.fixture
def almaty_ngo(db) -> Organisation:
    return Organisation.objects.create(
        name="Sana Almaty", kind=OrganisationKind.NGO, country="KZ", region="KZ-75",
    )


def _member(username: str, organisation: Organisation, role: Role) -> Viewer:
    user = User.objects.create_user(username=username, password=PASSWORD)
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    return Viewer(user=user, membership=membership)


@pytest.fixture
def case_worker(safe_home) -> Viewer:
    return _member("aizada", safe_home, Role.CASE_WORKER)


@pytest.fixture
def colleague(safe_home) -> Viewer:
    return _member("bakyt", safe_home, Role.CASE_WORKER)


@pytest.fixture
def supervisor(safe_home) -> Viewer:
    return _member("gulnara", safe_home, Role.SUPERVISOR)


@pytest.fixture
def org_admin(safe_home) -> Viewer:
    return _member("admin_safe_home", safe_home, Role.ORGANISATION_ADMIN)


@pytest.fixture
def outsider(tendesh) -> Viewer:
    """A case worker of another organisation in the same country."""
    return _member("timur", tendesh, Role.CASE_WORKER)


@pytest.fixture
def foreign_case_worker(almaty_ngo) -> Viewer:
    return _member("dana", almaty_ngo, Role.CASE_WORKER)


@pytest.fixture
def coordinator(db) -> Viewer:
    ministry = Organisation.objects.create(
        name="Ministry of Labour, Social Security and Migration", kind=OrganisationKind.OTHER,
        country="KG",
    )
    return _member("nurlan", ministry, Role.NATIONAL_COORDINATOR)


@pytest.fixture
def analyst(db) -> Viewer:
    institute = Organisation.objects.create(
        name="Statistics Institute", kind=OrganisationKind.OTHER, country="KG",
    )
    return _member("asel", institute, Role.ANALYST)


def register(viewer: Viewer, given: str = "Айгуль", family: str = "Мамытова",
             birth_date: str = "1995-03-14", **case_fields) -> Case:
    return person_register(
        viewer=viewer,
        person=PersonInput(sex="Feminine", birth_year=int(birth_date[:4]) if birth_date else None,
                           citizenships=["KG"], languages=["ky", "ru"]),
        identity=IdentityInput(given_name=given, family_name=family, birth_date=birth_date,
                               phones=["+996 555 000 111"]),
        case=CaseInput(entry_point="hotline", exploitation_types=["ForcedLabour"], **case_fields),
    )


@pytest.fixture
def aigul_case(case_worker) -> Case:
    """Айгуль Мамытова, registered by Safe Home in Cyrillic."""
    return register(case_worker)


def login(client: Client, viewer: Viewer) -> Client:
    client.force_login(viewer.user)
    return client
