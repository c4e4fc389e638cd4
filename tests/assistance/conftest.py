"""The people of assistance: Safe Home Bishkek's case workers (tests/conftest.py) assist Айгуль;
a shelter in Kant and a health centre give services; her follow-up consent is recorded. Safe
Home refers her to the shelter, which accepts: it then records the services it gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation, OrganisationKind, ServiceType
from nrm.referrals.models import Referral
from nrm.referrals.services import referral_accept, referral_send
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case, Consent
from nrm.registry.services import consent_record
from tests.conftest import _member


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def shelter(db) -> Organisation:
    shelter = Organisation.objects.create(
        name="Ak-Jol Shelter Kant", kind=OrganisationKind.SHELTER, country="KG", region="KG-C",
        is_first_responder=True,
    )
    shelter.services.set([ServiceType.objects.get_or_create(code=code)[0]
                          for code in ("shelter", "medical", "psychological",
                                       "vocational_training")])
    return shelter


@pytest.fixture
def shelter_worker(shelter) -> Viewer:
    """A case worker of the shelter in Kant."""
    return _member("madina", shelter, Role.CASE_WORKER)


@pytest.fixture
def health_centre(db) -> Organisation:
    return Organisation.objects.create(
        name="Family Medicine Centre No. 9", kind=OrganisationKind.HEALTH, country="KG",
        region="KG-GB",
    )


@pytest.fixture
def moscow_ngo(db) -> Organisation:
    return Organisation.objects.create(
        name="Migrant Rights Centre Moscow", kind=OrganisationKind.NGO, country="RU",
        region="RU-MOW",
    )


@pytest.fixture
def opened_case(aigul_case) -> Case:
    """Айгуль's case, opened 60 days ago so that services can start in the past."""
    aigul_case.opened_on = timezone.localdate() - dt.timedelta(days=60)
    aigul_case.save(update_fields=["opened_on"])
    return aigul_case


def record_follow_up_consent(viewer: Viewer, case: Case, *, given: bool = True) -> Consent:
    return consent_record(viewer=viewer, person=case.person, consent=ConsentInput(
        purpose="follow_up", given=given, method="written"))


@pytest.fixture
def follow_up_consent(opened_case, case_worker) -> Consent:
    """Айгуль agreed in writing to be contacted after assistance."""
    return record_follow_up_consent(case_worker, opened_case)


def refer_to(case_worker: Viewer, case: Case, receiver: Organisation,
             services: tuple[str, ...] = ("shelter", "medical")) -> Referral:
    """The case worker records the person's consent to share with ``receiver`` and refers the
    case there, sharing the pseudonymous code, sex and age band."""
    consent_record(viewer=case_worker, person=case.person, consent=ConsentInput(
        purpose="share_organisation", given=True, method="written", recipient_id=receiver.pk))
    return referral_send(viewer=case_worker, case=case, receiver=receiver,
                         services=list(services), urgency="urgent",
                         shared_fields=["sex", "age_band"], note="Needs a quiet room.")


@pytest.fixture
def referral(case_worker, opened_case, shelter, shelter_worker) -> Referral:
    """Айгуль referred by Safe Home to the shelter for shelter and medical care, accepted."""
    return referral_accept(viewer=shelter_worker,
                           referral=refer_to(case_worker, opened_case, shelter))
