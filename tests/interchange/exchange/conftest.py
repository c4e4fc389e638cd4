"""Partner deployments and their keys, as the exchange stories speak of them: this deployment
is Kyrgyzstan's ("KG"), its partner Russia's ("RU"); a system admin keeps the partners."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind
from nrm.interchange.exchange.identity import encode_key
from nrm.interchange.exchange.models import PartnerDeployment
from tests.conftest import _member


@dataclass(frozen=True)
class DeploymentKeys:
    """A deployment's private keys (base64), as its environment holds them."""

    signing: str
    encryption: str

    @property
    def signing_public(self) -> str:
        key = Ed25519PrivateKey.from_private_bytes(_raw(self.signing))
        return encode_key(key.public_key().public_bytes_raw())

    @property
    def encryption_public(self) -> str:
        return encode_key(self.encryption_public_raw)

    @property
    def encryption_public_raw(self) -> bytes:
        key = X25519PrivateKey.from_private_bytes(_raw(self.encryption))
        return key.public_key().public_bytes_raw()


def _raw(encoded: str) -> bytes:
    return base64.b64decode(encoded)


def new_keys() -> DeploymentKeys:
    return DeploymentKeys(
        signing=encode_key(Ed25519PrivateKey.generate().private_bytes_raw()),
        encryption=encode_key(X25519PrivateKey.generate().private_bytes_raw()))


KG_KEYS = new_keys()
RU_KEYS = new_keys()


@pytest.fixture(autouse=True)
def _this_deployment_is_kyrgyzstan(settings):
    settings.NRM_DEPLOYMENT_ID = "KG"
    settings.NRM_DEPLOYMENT_NAME = "Kyrgyz NRM registry"
    settings.NRM_DEPLOYMENT_COUNTRY = "KG"
    settings.NRM_EXCHANGE_SIGNING_KEY = KG_KEYS.signing
    settings.NRM_EXCHANGE_ENCRYPTION_KEYS = KG_KEYS.encryption


@pytest.fixture
def system_admin(db) -> Viewer:
    operators = Organisation.objects.create(name="NRM operators", kind=OrganisationKind.OTHER,
                                            country="KG")
    return _member("sysadmin", operators, Role.SYSTEM_ADMIN)


@pytest.fixture
def russia(db) -> PartnerDeployment:
    """Russia's deployment, registered here with its real public keys."""
    return PartnerDeployment.objects.create(
        deployment_id="RU", name="Russian NRM registry", country="RU",
        signing_key=RU_KEYS.signing_public, encryption_key=RU_KEYS.encryption_public)


@pytest.fixture
def moscow_consulate(db) -> Organisation:
    return Organisation.objects.create(
        name="Consulate of the Kyrgyz Republic in Moscow", kind=OrganisationKind.CONSULATE,
        country="RU", city="Moscow")
