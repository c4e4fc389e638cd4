"""Creating and changing organisations: checked against ISO 3166 and ISO 639, limited to the
coordinator's country, audited, and all-or-nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.inputs import OrganisationInput
from nrm.directory.models import Organisation, OrganisationKind
from nrm.directory.services import organisation_create, organisation_update

pytestmark = pytest.mark.django_db


def _shelter(**overrides) -> OrganisationInput:
    fields = {"name": "Ak Jol shelter", "kind": OrganisationKind.SHELTER, "country": "KG",
              "region": "KG-C", "languages": ["ky", "ru"], "services": ["shelter", "medical"],
              "phone": "+996 312 000 000", "email": "help@akjol.example"}
    fields.update(overrides)
    return OrganisationInput(**fields)


def test_coordinator_adds_an_organisation_in_their_country(coordinator):
    shelter = organisation_create(viewer=coordinator, details=_shelter())
    assert shelter.country == "KG"
    assert sorted(shelter.services.values_list("code", flat=True)) == ["medical", "shelter"]
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert entry.actor == coordinator.user
    assert entry.object_id == str(shelter.pk)


def test_codes_are_written_in_their_canonical_case(coordinator):
    shelter = organisation_create(viewer=coordinator, details=_shelter(
        country=" kg ", region="kg-c", languages=["KY", "ky", "RU"]))
    assert (shelter.country, shelter.region, shelter.languages) == ("KG", "KG-C", ["ky", "ru"])


def test_coordinator_cannot_add_one_in_another_country(coordinator):
    with pytest.raises(PermissionDenied):
        organisation_create(viewer=coordinator, details=_shelter(country="KZ", region=""))
    assert not Organisation.objects.filter(name="Ak Jol shelter").exists()


def test_case_worker_cannot_add_organisations(case_worker):
    with pytest.raises(PermissionDenied):
        organisation_create(viewer=case_worker, details=_shelter())


@pytest.mark.parametrize(("overrides", "field"), [
    ({"country": "XX", "region": ""}, "country"),
    ({"region": "KZ-75"}, "region"),
    ({"region": "KG-ZZ"}, "region"),
    ({"languages": ["ky", "klingon"]}, "languages"),
    ({"services": ["teleportation"]}, "services"),
    ({"kind": "secret_society"}, "kind"),
    ({"name": "   "}, "name"),
    ({"email": "not an address"}, "email"),
    ({"website": "javascript:alert(1)"}, "website"),
])
def test_bad_input_is_refused_with_the_field_named(system_admin, overrides, field):
    with pytest.raises(ValidationError) as caught:
        organisation_create(viewer=system_admin, details=_shelter(**overrides))
    assert field in caught.value.message_dict
    assert not Organisation.objects.filter(name="Ak Jol shelter").exists()
    assert not AuditEntry.objects.exists()


def test_update_audits_only_what_changed(coordinator, safe_home):
    organisation_update(viewer=coordinator, organisation=safe_home, details=OrganisationInput(
        name="Safe Home Bishkek", kind="ngo", country="KG", region="KG-GB",
        languages=["ky", "ru"], services=["shelter"], is_first_responder=True,
        is_competent_authority=True,
    ))
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert sorted(entry.fields) == ["is_competent_authority", "services"]
    safe_home.refresh_from_db()
    assert safe_home.is_competent_authority


def test_coordinator_cannot_change_or_move_another_countrys_organisation(
    coordinator, kz_coordinator, safe_home, almaty_ngo
):
    with pytest.raises(PermissionDenied):
        organisation_update(viewer=kz_coordinator, organisation=safe_home,
                            details=_shelter(name="Taken over", country="KZ", region=""))
    with pytest.raises(PermissionDenied):
        organisation_update(viewer=coordinator, organisation=safe_home,
                            details=_shelter(name="Moved", country="KZ", region=""))
    safe_home.refresh_from_db()
    assert (safe_home.name, safe_home.country) == ("Safe Home Bishkek", "KG")


def test_system_admin_manages_any_country(system_admin, almaty_ngo):
    organisation_update(viewer=system_admin, organisation=almaty_ngo,
                        details=OrganisationInput(name="Sana Almaty", kind="ngo", country="KZ",
                                                  region="KZ-75", is_first_responder=True))
    almaty_ngo.refresh_from_db()
    assert almaty_ngo.is_first_responder
