"""Agreements (MoUs) between organisations: Kyrgyzstan's national coordinator records one between
Safe Home (Bishkek) and Sana (Almaty); Kazakhstan's may change it too, having a party there; a
coordinator of a third country, an organisation's own admin and a case worker may not. Every
member reads them, and each party's page shows them. Every change is audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.roles import Role
from nrm.accounts.services import api_token_create
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.inputs import AgreementInput
from nrm.directory.models import Agreement, Organisation, OrganisationKind
from nrm.directory.services import agreement_create, agreement_update
from tests.api.conftest import Api
from tests.conftest import _member, login

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _input(*parties: Organisation, **overrides) -> AgreementInput:
    values = {"title": "Safe Home – Sana MoU on referral", "party_ids": [p.pk for p in parties],
              "valid_from": TODAY - dt.timedelta(days=10), "reference": "MoU-2026/07",
              "signed_document": "Safe Home archive, folder 12", "covers_data_sharing": True,
              "services": ["shelter"]}
    values.update(overrides)
    return AgreementInput(**values)


@pytest.fixture
def uz_coordinator(db):
    ministry = Organisation.objects.create(name="Ministry UZ", kind=OrganisationKind.OTHER,
                                           country="UZ")
    return _member("nodira", ministry, Role.NATIONAL_COORDINATOR)


@pytest.fixture
def agreement(coordinator, safe_home, almaty_ngo) -> Agreement:
    return agreement_create(viewer=coordinator, details=_input(safe_home, almaty_ngo))


def test_the_coordinator_records_a_cross_border_agreement(agreement, safe_home, almaty_ngo,
                                                          coordinator):
    assert set(agreement.parties.all()) == {safe_home, almaty_ngo}
    assert [service.code for service in agreement.services.all()] == ["shelter"]
    assert agreement.is_in_force(TODAY) and agreement.created_by == coordinator.user
    entry = AuditEntry.objects.get(action=AuditAction.AGREEMENT_CHANGED)
    assert entry.purpose == "created" and "parties" in entry.fields


def test_the_other_countrys_coordinator_may_change_it(agreement, safe_home, almaty_ngo,
                                                      kz_coordinator):
    ended = agreement_update(viewer=kz_coordinator, agreement=agreement, details=_input(
        safe_home, almaty_ngo, valid_until=TODAY - dt.timedelta(days=1)))
    assert not ended.is_in_force(TODAY)
    change = AuditEntry.objects.filter(action=AuditAction.AGREEMENT_CHANGED).latest("id")
    assert change.fields == ["valid_until"]


@pytest.mark.parametrize("who", ["uz_coordinator", "org_admin", "case_worker", "supervisor"])
def test_no_one_else_records_or_changes_agreements(request, agreement, safe_home, almaty_ngo,
                                                   who):
    viewer = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        agreement_create(viewer=viewer, details=_input(safe_home, almaty_ngo))
    with pytest.raises(PermissionDenied):
        agreement_update(viewer=viewer, agreement=agreement,
                         details=_input(safe_home, almaty_ngo, title="Changed"))
    assert Agreement.objects.count() == 1


def test_a_coordinator_cannot_leave_it_without_a_party_of_their_country(
        agreement, coordinator, almaty_ngo, uz_coordinator):
    uzbek = Organisation.objects.create(name="Istiqbol", kind=OrganisationKind.NGO, country="UZ")
    with pytest.raises(PermissionDenied):
        agreement_update(viewer=coordinator, agreement=agreement,
                         details=_input(almaty_ngo, uzbek))


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": " "}, "title"),
    ({"party_ids": []}, "party_ids"),
    ({"valid_until": TODAY - dt.timedelta(days=30)}, "valid_until"),
    ({"signed_on": TODAY + dt.timedelta(days=3)}, "signed_on"),
    ({"covers_referral": False, "covers_data_sharing": False}, "covers_referral"),
    ({"services": ["teleportation"]}, "services"),
])
def test_a_wrong_agreement_is_refused_with_the_field_named(coordinator, safe_home, almaty_ngo,
                                                           overrides, field):
    with pytest.raises(ValidationError) as raised:
        agreement_create(viewer=coordinator, details=_input(safe_home, almaty_ngo, **overrides))
    assert field in raised.value.message_dict
    assert not Agreement.objects.exists()


def test_an_agreement_needs_two_parties(coordinator, safe_home):
    with pytest.raises(ValidationError) as raised:
        agreement_create(viewer=coordinator, details=_input(safe_home))
    assert "at least two parties" in " ".join(raised.value.messages)


def test_every_member_reads_agreements_and_the_party_pages_show_them(client, agreement, outsider,
                                                                     safe_home, tendesh):
    login(client, outsider)
    listing = client.get(reverse("directory:agreement_list")).content.decode()
    assert "Safe Home – Sana MoU on referral" in listing and "in force" in listing
    detail = client.get(reverse("directory:agreement_detail", args=[agreement.pk]))
    assert "MoU-2026/07" in detail.content.decode()
    assert reverse("directory:agreement_edit", args=[agreement.pk]) not in detail.content.decode()
    party_page = client.get(reverse("directory:organisation_detail", args=[safe_home.pk]))
    assert "Safe Home – Sana MoU on referral" in party_page.content.decode()
    other_page = client.get(reverse("directory:organisation_detail", args=[tendesh.pk]))
    assert "Safe Home – Sana MoU on referral" not in other_page.content.decode()


def test_the_coordinator_records_one_through_the_page(client, coordinator, safe_home,
                                                      almaty_ngo):
    login(client, coordinator)
    response = client.post(reverse("directory:agreement_create"), {
        "title": "Tri-party MoU", "parties": [safe_home.pk, almaty_ngo.pk],
        "valid_from": TODAY.isoformat(), "covers_referral": "on", "services": ["medical"]})
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:agreement_detail", args=[agreement.pk])
    edit = client.post(reverse("directory:agreement_edit", args=[agreement.pk]), {
        "title": "Tri-party MoU", "parties": [safe_home.pk, almaty_ngo.pk],
        "valid_from": TODAY.isoformat(), "valid_until": (TODAY - dt.timedelta(days=1)).isoformat(),
        "covers_referral": "on"})
    assert edit.status_code == 400
    assert "cannot end before it starts" in edit.content.decode()


@pytest.mark.parametrize("who", ["org_admin", "case_worker", "outsider"])
def test_others_get_403_on_the_agreement_forms(client, request, agreement, who):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("directory:agreement_create")).status_code == 403
    assert client.get(reverse("directory:agreement_edit", args=[agreement.pk])).status_code == 403


def test_a_missing_agreement_is_404(client, case_worker):
    login(client, case_worker)
    assert client.get(reverse("directory:agreement_detail", args=[999])).status_code == 404


@pytest.mark.parametrize("name", ["agreement_list", "agreement_create"])
def test_anonymous_visitor_is_sent_to_sign_in(client, name):
    response = client.get(reverse(f"directory:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_anonymous_visitor_cannot_open_an_agreement(client, agreement):
    for name in ("agreement_detail", "agreement_edit"):
        response = client.get(reverse(f"directory:{name}", args=[agreement.pk]))
        assert response["Location"].startswith(reverse("accounts:login"))


def _api(viewer=None) -> Api:
    return Api(Client(), api_token_create(viewer=viewer, name="tests")[1] if viewer else None)


def test_agreements_over_the_api(coordinator, case_worker, org_admin, safe_home, almaty_ngo):
    body = {"title": "API MoU", "party_ids": [safe_home.pk, almaty_ngo.pk],
            "valid_from": TODAY.isoformat(), "covers_data_sharing": True,
            "services": ["shelter"]}
    assert _api(org_admin).post("/agreements", body).status_code == 403
    created = _api(coordinator).post("/agreements", body)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["in_force"] is True
    listed = _api(case_worker).get("/agreements", organisation_id=safe_home.pk, in_force=True)
    assert [row["id"] for row in listed.json()] == [pk]
    ended = _api(coordinator).put(f"/agreements/{pk}", {
        **body, "valid_until": (TODAY - dt.timedelta(days=1)).isoformat()})
    assert ended.status_code == 422  # before it started
    assert _api(case_worker).put(f"/agreements/{pk}", body).status_code == 403
    assert _api(case_worker).get("/agreements/999999").status_code == 404
    assert _api(None).get("/agreements").status_code == 401
    assert _api(None).get(f"/agreements/{pk}").status_code == 401


def test_directory_filters_and_capacity_over_the_api(org_admin, case_worker, safe_home, tendesh):
    Organisation.objects.filter(pk=tendesh.pk).update(sexes_accepted=["Masculine"])
    women = _api(case_worker).get("/organisations", sex="Feminine", country="KG")
    assert {row["name"] for row in women.json()} == {"Safe Home Bishkek"}
    speaking = _api(case_worker).get("/organisations", language="ky", region="KG-GB")
    assert [row["name"] for row in speaking.json()] == ["Safe Home Bishkek"]
    url = f"/organisations/{safe_home.pk}/capacity"
    assert _api(case_worker).put(url, {"places": 5, "free_places": 1}).status_code == 403
    updated = _api(org_admin).put(url, {"places": 5, "free_places": 1})
    assert updated.status_code == 200
    assert updated.json()["capacity"]["free_places"] == 1
    free = _api(case_worker).get("/organisations", free_places=True)
    assert [row["name"] for row in free.json()] == ["Safe Home Bishkek"]
    assert _api(org_admin).put(f"/organisations/{tendesh.pk}/capacity",
                               {"places": 5}).status_code == 403
    assert _api(None).put(url, {"places": 5}).status_code == 401
