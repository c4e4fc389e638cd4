"""What a referrer filters by: whom an organisation takes in (sex, ages, children, accompanying
children), the regions it serves and its free places. The capacity is kept by the organisation's
own admins and supervisors, audited; no one else may change it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.inputs import OrganisationInput
from nrm.directory.models import Organisation, OrganisationKind
from nrm.directory.selectors import OrganisationFilters, organisations_for_viewer
from nrm.directory.services import organisation_capacity_set, organisation_create
from tests.conftest import _member, login

pytestmark = pytest.mark.django_db

LIST = reverse("directory:organisation_list")


@pytest.fixture
def shelters(safe_home, tendesh) -> dict[str, Organisation]:
    def shelter(name: str, **fields) -> Organisation:
        return Organisation.objects.create(name=name, kind=OrganisationKind.SHELTER,
                                           country="KG", **fields)

    return {
        "women": shelter("Women's shelter Kant", region="KG-C", sexes_accepted=["Feminine"],
                         age_min=18, accompanied_children=True, free_places=2, places=10,
                         coverage_regions=["KG-GB", "KG-T"]),
        "boys": shelter("Boys' home Naryn", region="KG-N", sexes_accepted=["Masculine"],
                        age_min=10, age_max=17, free_places=0, places=8),
        "anyone": shelter("Crisis centre Osh", region="KG-GO"),
    }


def _found(viewer, **filters) -> set[str]:
    return {organisation.name for organisation in organisations_for_viewer(
        viewer=viewer, filters=OrganisationFilters(**filters))
        if organisation.kind == OrganisationKind.SHELTER}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"sex": "Feminine"}, {"Women's shelter Kant", "Crisis centre Osh"}),
    ({"sex": "Masculine"}, {"Boys' home Naryn", "Crisis centre Osh"}),
    # An unknown sex never leaves anyone out.
    ({"sex": "NonSpecifiedUnknown"}, {"Women's shelter Kant", "Boys' home Naryn",
                                      "Crisis centre Osh"}),
    ({"age": 15}, {"Boys' home Naryn", "Crisis centre Osh"}),
    ({"age": 30}, {"Women's shelter Kant", "Crisis centre Osh"}),
    ({"children": True}, {"Boys' home Naryn", "Crisis centre Osh"}),
    ({"children": False}, {"Women's shelter Kant"}),
    ({"accompanied_children": True}, {"Women's shelter Kant"}),
    ({"free_places": True}, {"Women's shelter Kant"}),
    # Bishkek is served by the shelter in Kant, besides its own region.
    ({"region": "KG-GB"}, {"Women's shelter Kant"}),
    ({"region": "KG-C"}, {"Women's shelter Kant"}),
    ({"region": "KG-N"}, {"Boys' home Naryn"}),
    ({"sex": "Feminine", "age": 24, "free_places": True}, {"Women's shelter Kant"}),
])
def test_a_referrer_finds_who_takes_the_person_in(case_worker, shelters, filters, expected):
    assert _found(case_worker, **filters) == expected


def test_the_page_filters_too_and_shows_free_places(client, case_worker, shelters):
    response = login(client, case_worker).get(LIST, {"sex": "Masculine", "age": "12"})
    names = {row.organisation.name for row in response.context["rows"]}
    assert "Boys' home Naryn" in names and "Women's shelter Kant" not in names
    page = login(client, case_worker).get(LIST, {"free_places": "on"}).content.decode()
    assert "Women&#x27;s shelter Kant" in page and "Boys&#x27; home Naryn" not in page


def test_the_organisation_page_shows_whom_it_takes_in(client, case_worker, shelters):
    page = login(client, case_worker).get(reverse(
        "directory:organisation_detail", args=[shelters["women"].pk])).content.decode()
    assert "Women and girls" in page and "18–…" in page
    assert "takes in a person with their children" in page
    assert "Tashkent" not in page and "Bishkek" in page  # the regions served, named


def test_the_coordinator_records_eligibility(coordinator):
    organisation = organisation_create(viewer=coordinator, details=OrganisationInput(
        name="New shelter", kind="shelter", country="KG", sexes_accepted=["Feminine"],
        age_min=16, age_max=35, accompanied_children=True, coverage_regions=["kg-gb"]))
    assert (organisation.sexes_accepted, organisation.age_min, organisation.age_max) == (
        ["Feminine"], 16, 35)
    assert organisation.coverage_regions == ["KG-GB"]


@pytest.mark.parametrize(("fields", "field"), [
    ({"age_min": 30, "age_max": 20}, "age_max"),
    ({"age_min": 200}, "age_min"),
    ({"sexes_accepted": ["Alien"]}, "sexes_accepted"),
    ({"coverage_regions": ["KG-ZZ"]}, "coverage_regions"),
])
def test_wrong_eligibility_is_refused_with_the_field_named(coordinator, fields, field):
    with pytest.raises(ValidationError) as raised:
        organisation_create(viewer=coordinator, details=OrganisationInput(
            name="New shelter", kind="shelter", country="KG", **fields))
    assert field in raised.value.message_dict
    assert not Organisation.objects.filter(name="New shelter").exists()


def test_the_organisations_supervisor_updates_its_capacity(supervisor, safe_home):
    organisation_capacity_set(viewer=supervisor, organisation=safe_home, places=12,
                              free_places=3)
    safe_home.refresh_from_db()
    assert (safe_home.places, safe_home.free_places) == (12, 3)
    assert safe_home.capacity_updated_by == supervisor.user and safe_home.capacity_updated_at
    entry = AuditEntry.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert entry.fields == ["free_places", "places"] and entry.purpose == "capacity"


@pytest.mark.parametrize("who", ["case_worker", "outsider", "coordinator"])
def test_no_one_else_updates_the_capacity(request, safe_home, who):
    with pytest.raises(PermissionDenied):
        organisation_capacity_set(viewer=request.getfixturevalue(who), organisation=safe_home,
                                  places=1, free_places=1)


def test_more_free_places_than_places_is_refused(org_admin, safe_home):
    with pytest.raises(ValidationError) as raised:
        organisation_capacity_set(viewer=org_admin, organisation=safe_home, places=2,
                                  free_places=5)
    assert "free_places" in raised.value.message_dict


def test_capacity_form_on_the_organisation_page(client, org_admin, case_worker, safe_home):
    url = reverse("directory:organisation_capacity", args=[safe_home.pk])
    detail = reverse("directory:organisation_detail", args=[safe_home.pk])
    assert url in login(client, org_admin).get(detail).content.decode()
    response = client.post(url, {"places": "10", "free_places": "4"})
    assert response.status_code == 302
    safe_home.refresh_from_db()
    assert safe_home.free_places == 4
    login(client, case_worker)
    assert url not in client.get(detail).content.decode()
    assert client.post(url, {"places": "10", "free_places": "0"}).status_code == 403
    safe_home.refresh_from_db()
    assert safe_home.free_places == 4


def test_another_organisations_admin_cannot_update_the_capacity(client, safe_home, tendesh):
    tendesh_admin = _member("admin_tendesh", tendesh, Role.ORGANISATION_ADMIN)
    login(client, tendesh_admin)
    url = reverse("directory:organisation_capacity", args=[safe_home.pk])
    assert client.post(url, {"places": "1", "free_places": "1"}).status_code == 403
    safe_home.refresh_from_db()
    assert safe_home.places is None


def test_anonymous_visitor_cannot_update_capacity(client, safe_home):
    response = client.post(reverse("directory:organisation_capacity", args=[safe_home.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
