"""The referral stories: Safe Home (an NGO in Bishkek) refers Айгуль to the Ak-Jol shelter in
Kant, Kyrgyzstan, or across the border to the Komek shelter in Astana, Kazakhstan, under an
agreement; Tendesh in Osh is the third organisation that must see nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Agreement, Organisation, OrganisationKind, ServiceType
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_send
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case, Consent
from nrm.registry.services import consent_record
from tests.browser.conftest import browser  # noqa: F401  (the browser story's fixture)
from tests.conftest import _member

SHELTER_SERVICES = ("shelter", "medical", "psychological", "vocational_training")


def _offering(organisation: Organisation, *codes: str) -> Organisation:
    # get_or_create: a transactional test (the browser story) starts from empty tables, without
    # the taxonomy that a migration loads.
    organisation.services.set([ServiceType.objects.get_or_create(code=code)[0] for code in codes])
    return organisation


@pytest.fixture
def ak_jol(db) -> Organisation:
    """A shelter for women and children in Kant (KG), with free places."""
    shelter = Organisation.objects.create(
        name="Ak-Jol Shelter", kind=OrganisationKind.SHELTER, country="KG", region="KG-C",
        languages=["ky", "ru"], sexes_accepted=["Feminine"], accompanied_children=True,
        places=12, free_places=3)
    return _offering(shelter, *SHELTER_SERVICES)


@pytest.fixture
def komek(db) -> Organisation:
    """A shelter in Astana (KZ), across the border."""
    shelter = Organisation.objects.create(
        name="Komek Shelter Astana", kind=OrganisationKind.SHELTER, country="KZ", region="KZ-71",
        languages=["kk", "ru"])
    return _offering(shelter, *SHELTER_SERVICES)


@pytest.fixture
def shelter_worker(ak_jol) -> Viewer:
    return _member("cholpon", ak_jol, Role.CASE_WORKER)


@pytest.fixture
def shelter_admin(ak_jol) -> Viewer:
    return _member("admin_ak_jol", ak_jol, Role.ORGANISATION_ADMIN)


@pytest.fixture
def komek_worker(komek) -> Viewer:
    return _member("madina", komek, Role.CASE_WORKER)


def consent(case_worker: Viewer, case: Case, purpose: str, recipient: Organisation | None = None,
            *, given: bool = True) -> Consent:
    return consent_record(viewer=case_worker, person=case.person, consent=ConsentInput(
        purpose=purpose, given=given, method="written",
        recipient_id=recipient.pk if recipient else None))


@pytest.fixture
def aigul_consents_to_ak_jol(case_worker, aigul_case, ak_jol) -> Consent:
    return consent(case_worker, aigul_case, "share_organisation", ak_jol)


@pytest.fixture
def aigul_consents_to_komek(case_worker, aigul_case, komek) -> tuple[Consent, Consent]:
    return (consent(case_worker, aigul_case, "share_organisation", komek),
            consent(case_worker, aigul_case, "cross_border"))


@pytest.fixture
def kg_kz_agreement(safe_home, komek) -> Agreement:
    """An MoU between Safe Home and Komek in force for a month now, covering referral and data
    sharing for any service."""
    agreement = Agreement.objects.create(
        title="Safe Home – Komek MoU", valid_from=timezone.localdate() - dt.timedelta(days=30),
        covers_referral=True, covers_data_sharing=True)
    agreement.parties.set([safe_home, komek])
    return agreement


def refer(viewer: Viewer, case: Case, receiver: Organisation, **overrides) -> Referral:
    arguments = {
        "services": ["shelter", "medical"], "urgency": "urgent",
        "shared_fields": ["sex", "age_band", "languages", "names", "phones"],
        "note": "Needs a quiet room.",
    }
    arguments.update(overrides)
    return referral_send(viewer=viewer, case=case, receiver=receiver, **arguments)


@pytest.fixture
def referral(case_worker, aigul_case, ak_jol, aigul_consents_to_ak_jol,
             shelter_worker) -> Referral:
    """Айгуль referred by Safe Home to Ak-Jol for shelter and medical care, names and phone
    shared."""
    return refer(case_worker, aigul_case, ak_jol)


@pytest.fixture
def asel_case(case_worker, ak_jol) -> Case:
    """Асель Токтогулова: everything a case can hold, each value findable on a page, and her
    consent to sharing with Ak-Jol."""
    from nrm.registry.inputs import CaseInput, DocumentInput, EventInput, IdentityInput, PersonInput
    from nrm.registry.services import person_register

    case = person_register(
        viewer=case_worker,
        person=PersonInput(sex="Feminine", birth_year=1998, citizenships=["KG"],
                           languages=["ky"]),
        identity=IdentityInput(
            given_name="Асель", patronymic="Бакытовна", family_name="Токтогулова",
            aliases=["Ася-Алиас"], birth_date="1998-07-21",
            documents=[DocumentInput(kind="passport", number="AC7654321", country="KG")],
            phones=["+996 700 123 456"], addresses=["Токмок, ул. Тестовая 5"]),
        case=CaseInput(entry_point="consulate", exploitation_types=["SexualExploitation"],
                       sexual_exploitation_types=["PrivateSexualServices"],
                       means_of_control=["WithholdsDocuments"],
                       recruitment_methods=["ThroughOnlineSocialNetworks"],
                       recruiter_relationship="Acquainted"),
        events=[EventInput(stage="Exploitation", country="TR", city="Antalya-Testkent",
                           date="2025-06", description="Held in a villa with a blue gate")],
    )
    consent(case_worker, case, "share_organisation", ak_jol)
    return case
