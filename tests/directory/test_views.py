"""The directory pages: every member finds organisations by country, kind, service, language and
role in the NRM; coordinators and system admins keep them up to date; no one else can."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nrm.accounts.models import User
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import Organisation, OrganisationKind, ServiceType
from tests.conftest import login

pytestmark = pytest.mark.django_db

LIST = reverse("directory:organisation_list")


def _names(response) -> set[str]:
    return {row.organisation.name for row in response.context["rows"]}


@pytest.fixture
def directory(safe_home, tendesh, almaty_ngo) -> dict[str, Organisation]:
    police = Organisation.objects.create(
        name="Osh City Police", kind=OrganisationKind.POLICE, country="KG", region="KG-O",
        is_first_responder=True, is_competent_authority=True, languages=["ky", "uz"],
    )
    safe_home.services.set(ServiceType.objects.filter(code__in=["shelter", "medical"]))
    closed = Organisation.objects.create(name="Closed Shelter", kind=OrganisationKind.SHELTER,
                                         country="KG", is_active=False)
    return {"safe_home": safe_home, "tendesh": tendesh, "almaty": almaty_ngo, "police": police,
            "closed": closed}


def test_case_worker_reads_the_whole_directory(client, case_worker, directory):
    response = login(client, case_worker).get(LIST)
    assert response.status_code == 200
    assert _names(response) >= {"Safe Home Bishkek", "Tendesh Osh", "Sana Almaty",
                                "Osh City Police"}
    assert "Closed Shelter" not in _names(response)


@pytest.mark.parametrize(("query", "expected"), [
    ({"country": "KZ"}, {"Sana Almaty"}),
    ({"kind": "police"}, {"Osh City Police"}),
    ({"service": "shelter"}, {"Safe Home Bishkek"}),
    ({"language": "uz"}, {"Osh City Police"}),
    ({"competent_authority": "yes"}, {"Osh City Police"}),
    ({"q": "tendesh"}, {"Tendesh Osh"}),
    ({"country": "KG", "first_responder": "no"}, set()),
])
def test_filters_narrow_the_list(client, case_worker, directory, query, expected):
    response = login(client, case_worker).get(LIST, query)
    assert _names(response) == expected


def test_first_responder_filter(client, case_worker, directory):
    response = login(client, case_worker).get(LIST, {"first_responder": "yes", "country": "KG"})
    assert _names(response) == {"Safe Home Bishkek", "Tendesh Osh", "Osh City Police"}


def test_unknown_filter_value_is_ignored_with_a_message(client, case_worker, directory):
    response = login(client, case_worker).get(LIST, {"country": "XX", "kind": "police"})
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert _names(response) == {"Osh City Police"}


def test_a_page_costs_the_same_queries_however_many_organisations(client, case_worker,
                                                                 directory):
    login(client, case_worker)
    shelter = ServiceType.objects.get(code="shelter")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    for number in range(30):
        organisation = Organisation.objects.create(name=f"NGO {number:02}", kind="ngo",
                                                   country="TJ", languages=["tg"])
        organisation.services.add(shelter)
    assert queries() == few


def test_the_list_is_paginated(client, case_worker, directory):
    for number in range(30):
        Organisation.objects.create(name=f"NGO {number:02}", kind="ngo", country="TJ")
    login(client, case_worker)
    first = client.get(LIST, {"country": "TJ"})
    second = client.get(LIST, {"country": "TJ", "page": "2"})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert "country=TJ&amp;page=2" in first.content.decode()


def test_detail_names_country_region_and_languages_in_the_readers_language(
    client, case_worker, directory
):
    login(client, case_worker)
    url = reverse("directory:organisation_detail", args=[directory["safe_home"].pk])
    english = client.get(url).content.decode()
    assert "Kyrgyzstan" in english
    assert "Bishkek" in english
    assert "Kirghiz" in english
    assert "Shelter" in english
    russian = client.get(url, headers={"accept-language": "ru"}).content.decode()
    assert "Кыргызстан" in russian


def test_case_worker_cannot_see_an_inactive_organisation(client, case_worker, coordinator,
                                                         directory):
    url = reverse("directory:organisation_detail", args=[directory["closed"].pk])
    assert login(client, case_worker).get(url).status_code == 404
    client.logout()
    assert login(client, coordinator).get(url).status_code == 200


def test_coordinator_adds_an_organisation_of_their_country(client, coordinator):
    login(client, coordinator)
    assert client.get(reverse("directory:organisation_create")).status_code == 200
    response = client.post(reverse("directory:organisation_create"), {
        "name": "Kara-Balta Crisis Centre", "kind": "shelter", "country": "KG",
        "region": "KG-C", "languages": ["ky", "ru"], "services": ["shelter", "psychological"],
        "phone": "+996 3133 00000", "website": "crisis.example.kg", "is_active": "on",
        "is_first_responder": "on",
    })
    assert response.status_code == 302
    created = Organisation.objects.get(name="Kara-Balta Crisis Centre")
    assert response["Location"] == reverse("directory:organisation_detail", args=[created.pk])
    assert created.website == "https://crisis.example.kg"
    assert created.is_first_responder
    assert AuditEntry.objects.filter(action=AuditAction.ORGANISATION_CHANGED).exists()


def test_coordinator_cannot_choose_another_country_in_the_form(client, coordinator):
    response = login(client, coordinator).post(reverse("directory:organisation_create"), {
        "name": "Somewhere Else", "kind": "ngo", "country": "KZ", "is_active": "on",
    })
    assert response.status_code == 400
    assert "country" in response.context["form"].errors
    assert not Organisation.objects.filter(name="Somewhere Else").exists()


def test_region_must_belong_to_the_country(client, coordinator):
    response = login(client, coordinator).post(reverse("directory:organisation_create"), {
        "name": "Misplaced", "kind": "ngo", "country": "KG", "region": "KZ-75",
    })
    assert response.status_code == 400
    assert "region" in response.context["form"].errors


def test_coordinator_edits_an_organisation_of_their_country(client, coordinator, directory):
    police = directory["police"]
    url = reverse("directory:organisation_edit", args=[police.pk])
    login(client, coordinator)
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["languages"] == ["ky", "uz"]
    response = client.post(url, {
        "name": "Osh City Police", "kind": "police", "country": "KG", "region": "KG-O",
        "languages": ["ky", "uz", "ru"], "is_first_responder": "on", "is_active": "on",
    })
    assert response.status_code == 302
    police.refresh_from_db()
    assert police.languages == ["ky", "uz", "ru"]
    assert not police.is_competent_authority


def test_case_worker_gets_403_on_add_and_edit(client, case_worker, directory):
    login(client, case_worker)
    assert client.get(reverse("directory:organisation_create")).status_code == 403
    url = reverse("directory:organisation_edit", args=[directory["safe_home"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Renamed", "kind": "ngo", "country": "KG"}).status_code == 403
    assert not Organisation.objects.filter(name="Renamed").exists()
    detail = client.get(reverse("directory:organisation_detail", args=[directory["safe_home"].pk]))
    assert url not in detail.content.decode()


def test_coordinator_of_another_country_gets_403(client, kz_coordinator, directory):
    url = reverse("directory:organisation_edit", args=[directory["safe_home"].pk])
    login(client, kz_coordinator)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Renamed", "kind": "ngo", "country": "KZ"}).status_code == 403
    assert client.get(reverse("directory:organisation_edit",
                              args=[directory["almaty"].pk])).status_code == 200


def test_system_admin_edits_any_country(client, system_admin, directory):
    url = reverse("directory:organisation_edit", args=[directory["almaty"].pk])
    assert login(client, system_admin).get(url).status_code == 200


def test_region_picker_follows_the_country(client, coordinator):
    response = login(client, coordinator).get(reverse("directory:region_options"),
                                              {"country": "KG"}, headers={"hx-request": "true"})
    assert response.status_code == 200
    assert 'value="KG-GB"' in response.content.decode()
    assert "KZ-75" not in response.content.decode()


def test_user_without_a_membership_gets_403(client, db):
    loner = User.objects.create_user(username="loner", password="x" * 12)
    client.force_login(loner)
    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize("name", ["organisation_list", "organisation_create", "region_options",
                                  "organisation_detail", "organisation_edit"])
def test_anonymous_visitor_is_sent_to_sign_in(client, safe_home, name):
    args = [safe_home.pk] if name in {"organisation_detail", "organisation_edit"} else []
    for method in (client.get, client.post):
        response = method(reverse(f"directory:{name}", args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
