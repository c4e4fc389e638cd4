"""Partner deployments and their keys, as the exchange stories speak of them: this deployment
is Kyrgyzstan's ("KG"), its partner Russia's ("RU"); a system admin keeps the partners.

The sending side lives in the same test database: the Kyrgyz consulate in Moscow works in the
Russian deployment, whose directory holds its own record of Safe Home Bishkek, marked as working
in the Kyrgyz deployment under Safe Home's id there. The consul refers Жылдыз Асанова (synthetic)
to Safe Home, with her return home planned."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.assistance.inputs import ReturnJourneyInput, TravelDocumentInput
from nrm.assistance.models import ReturnJourney
from nrm.assistance.services import return_journey_record
from nrm.directory.models import Agreement, Organisation, OrganisationKind, ServiceType
from nrm.interchange.exchange.identity import encode_key
from nrm.interchange.exchange.models import PartnerDeployment, RemoteOrganisation
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_send
from nrm.registry.inputs import (
    CaseInput,
    ConsentInput,
    DocumentInput,
    EventInput,
    IdentityInput,
    PersonInput,
)
from nrm.registry.models import Case
from nrm.registry.services import consent_record, person_register
from tests.api.conftest import anonymous, api_as  # noqa: F401  (the API fixtures)
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


def partner(deployment_id: str, name: str, keys: DeploymentKeys) -> PartnerDeployment:
    """Another deployment, registered with its real public keys."""
    return PartnerDeployment.objects.create(
        deployment_id=deployment_id, name=name, country=deployment_id,
        signing_key=keys.signing_public, encryption_key=keys.encryption_public)


@pytest.fixture
def russia(db) -> PartnerDeployment:
    """Russia's deployment, as the Kyrgyz one registers it."""
    return partner("RU", "Russian NRM registry", RU_KEYS)


def consulate_in_moscow() -> Organisation:
    return Organisation.objects.create(
        name="Consulate of the Kyrgyz Republic in Moscow", kind=OrganisationKind.CONSULATE,
        country="RU", city="Moscow")


@pytest.fixture
def moscow_consulate(db) -> Organisation:
    return consulate_in_moscow()


RETURN_SERVICES = ("shelter", "medical", "return_repatriation")


def offering(organisation: Organisation, *codes: str) -> Organisation:
    # get_or_create: a transactional test (the browser story) starts from empty tables.
    organisation.services.set([ServiceType.objects.get_or_create(code=code)[0] for code in codes])
    return organisation


@pytest.fixture
def kyrgyzstan(db) -> PartnerDeployment:
    """Kyrgyzstan's deployment, as the Russian one registers it."""
    return partner("KG", "Kyrgyz NRM registry", KG_KEYS)


@pytest.fixture
def consul(moscow_consulate) -> Viewer:
    return _member("bekova", moscow_consulate, Role.CASE_WORKER)


@pytest.fixture
def safe_home_offers_return_help(safe_home) -> Organisation:
    return offering(safe_home, *RETURN_SERVICES)


def safe_home_in(kyrgyzstan: PartnerDeployment, safe_home: Organisation) -> Organisation:
    """Safe Home as the Russian deployment's directory has it: working in Kyrgyzstan's, under
    its id there."""
    there = offering(Organisation.objects.create(
        name="Safe Home Bishkek", kind=OrganisationKind.NGO, country="KG", city="Bishkek"),
        *RETURN_SERVICES)
    RemoteOrganisation.objects.create(organisation=there, deployment=kyrgyzstan,
                                      remote_ref=str(safe_home.pk))
    return there


@pytest.fixture
def safe_home_seen_from_russia(safe_home, kyrgyzstan) -> Organisation:
    return safe_home_in(kyrgyzstan, safe_home)


def return_agreement(*parties: Organisation) -> Agreement:
    """The MoU on returns, in force for two months, covering referral and data sharing."""
    agreement = Agreement.objects.create(
        title="MoU on the return of victims of trafficking",
        valid_from=timezone.localdate() - dt.timedelta(days=60), covers_referral=True,
        covers_data_sharing=True)
    agreement.parties.set(parties)
    return agreement


@pytest.fixture
def consulate_agreement(moscow_consulate, safe_home_seen_from_russia) -> Agreement:
    return return_agreement(moscow_consulate, safe_home_seen_from_russia)


def zhyldyz(consul: Viewer, receiver: Organisation) -> Case:
    """Жылдыз Асанова, registered at the consulate, who consents to sharing with Safe Home
    across the border."""
    case = person_register(
        viewer=consul,
        person=PersonInput(sex="Feminine", birth_year=1998, citizenships=["KG"],
                           languages=["ky", "ru"]),
        identity=IdentityInput(
            given_name="Жылдыз", patronymic="Маратовна", family_name="Асанова",
            birth_date="1998-07", phones=["+7 916 000 11 22"],
            documents=[DocumentInput(kind="passport", number="AC1234567", country="KG")]),
        case=CaseInput(entry_point="consulate", exploitation_types=["ForcedLabour"],
                       labour_industry="I_AccommodationAndFoodServiceActivities",
                       means_of_control=["WithholdsDocuments", "DebtBondage"]),
        events=[EventInput(stage="Exploitation", country="RU", city="Moscow", date="2025-11",
                           description="Kitchen work without pay, passport taken")])
    for purpose, recipient in (("share_organisation", receiver.pk), ("cross_border", None)):
        consent_record(viewer=consul, person=case.person, consent=ConsentInput(
            purpose=purpose, given=True, method="written", recipient_id=recipient))
    return case


def plan_return(consul: Viewer, case: Case, receiver: Organisation) -> ReturnJourney:
    return return_journey_record(viewer=consul, case=case, journey=ReturnJourneyInput(
        from_country="RU", to_country="KG",
        travel_on=timezone.localdate() + dt.timedelta(days=5),
        travel_documents=[TravelDocumentInput(kind="certificate_of_return", status="issued")],
        escort="consular", escort_details="Consul Бекова to Manas airport",
        receiving_organisation_id=receiver.pk))


SHARED_WITH_SAFE_HOME = ["sex", "age_band", "languages", "citizenships", "names", "birth_date",
                         "documents", "phones", "exploitation", "means_of_control", "events"]


@pytest.fixture
def zhyldyz_case(consul, safe_home_seen_from_russia) -> Case:
    return zhyldyz(consul, safe_home_seen_from_russia)


@pytest.fixture
def zhyldyz_return(consul, zhyldyz_case, safe_home_seen_from_russia) -> ReturnJourney:
    return plan_return(consul, zhyldyz_case, safe_home_seen_from_russia)


@pytest.fixture
def zhyldyz_referral(consul, zhyldyz_case, zhyldyz_return, safe_home_seen_from_russia,
                     consulate_agreement, safe_home_offers_return_help) -> Referral:
    """The consul's referral of Жылдыз to Safe Home, as the Russian deployment records it."""
    return referral_send(
        viewer=consul, case=zhyldyz_case, receiver=safe_home_seen_from_russia,
        services=list(RETURN_SERVICES), urgency="urgent", shared_fields=SHARED_WITH_SAFE_HOME,
        note="Flies home on Friday; needs shelter on arrival.")
