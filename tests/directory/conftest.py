from __future__ import annotations

import pytest

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is slow on purpose; tests/accounts/test_passwords checks the project uses it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _member(username: str, organisation: Organisation, role: Role) -> Viewer:
    user = User.objects.create_user(username=username, password="x" * 12)
    return Viewer(user=user,
                  membership=Membership.objects.create(user=user, organisation=organisation,
                                                       role=role))


@pytest.fixture
def kz_coordinator(db) -> Viewer:
    """The national coordinator of Kazakhstan."""
    agency = Organisation.objects.create(name="Interagency Commission Astana",
                                         kind=OrganisationKind.OTHER, country="KZ")
    return _member("yerlan", agency, Role.NATIONAL_COORDINATOR)


@pytest.fixture
def system_admin(db) -> Viewer:
    hub = Organisation.objects.create(name="Regional NRM hub", kind=OrganisationKind.INTERNATIONAL,
                                      country="KG")
    return _member("root_hub", hub, Role.SYSTEM_ADMIN)
