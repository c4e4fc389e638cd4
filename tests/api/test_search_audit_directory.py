"""Search across scripts, the audit log for those who may read it, the directory, and answers
in the caller's language."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation
from django.utils.translation import gettext

from nrm.core.models import AuditAction
from nrm.directory.models import Organisation, OrganisationKind, ServiceType
from tests.conftest import register

pytestmark = pytest.mark.django_db


def test_search_finds_across_scripts_and_orders(api_as, case_worker, aigul_case):
    api = api_as(case_worker)
    for text in ["Aigul Mamytova", "Mamytova Aigul", "Aygul Mamytova", "Мамытова",
                 "Айгуль Мамытова", "mamytova 1995", aigul_case.person.display_code]:
        found = api.get("/search", q=text).json()
        assert [person["code"] for person in found] == [aigul_case.person.code], text
    result = api.get("/search", q="Мамытова").json()[0]
    assert result["cases"][0]["code"] == aigul_case.code
    assert "Мамытова" not in str(result)  # results are pseudonymous; names come from identity


def test_search_stays_inside_the_organisation(api_as, outsider, aigul_case):
    assert api_as(outsider).get("/search", q="Aigul Mamytova").json() == []
    assert api_as(outsider).get("/search", q=aigul_case.person.code).json() == []


def test_search_refuses_empty_and_oversized_queries(api_as, case_worker):
    api = api_as(case_worker)
    assert api.get("/search", q="").status_code == 422
    assert api.get("/search").status_code == 422
    assert api.get("/search", q="a" * 201).status_code == 422


def test_supervisor_and_org_admin_read_the_audit_log(api_as, request, org_admin, case_worker,
                                                     aigul_case):
    register(request.getfixturevalue("outsider"), given="Бермет", family="Турдуева")
    for viewer in (request.getfixturevalue("supervisor"), org_admin):
        log = api_as(viewer).get("/audit").json()
        assert log["count"] >= 2
        assert {entry["organisation"]["name"] for entry in log["items"]} == {"Safe Home Bishkek"}
        assert "ip" in log["items"][0]

    api = api_as(org_admin)
    registered = api.get("/audit", action=AuditAction.PERSON_REGISTERED).json()
    assert [entry["person_code"] for entry in registered["items"]] == [aigul_case.person.code]
    by_actor = api.get("/audit", actor_id=case_worker.user.pk).json()
    assert {entry["actor"] for entry in by_actor["items"]} == {"aizada"}
    by_person = api.get("/audit", person_code=aigul_case.person.display_code).json()
    assert by_person["count"] >= 2
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert api.get("/audit", since=tomorrow).json()["count"] == 0


def test_audit_log_refuses_bad_filters(api_as, org_admin):
    api = api_as(org_admin)
    assert api.get("/audit", action=999).status_code == 422
    assert api.get("/audit", since="last week").status_code == 422
    assert api.get("/audit", actor_id=-1).status_code == 422
    assert api.get("/audit", person_code="K" * 17).status_code == 422


@pytest.mark.parametrize("role", ["case_worker", "analyst", "outsider"])
def test_roles_without_audit_get_403(api_as, request, role, aigul_case):
    response = api_as(request.getfixturevalue(role)).get("/audit")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role does not allow reading the audit log."


def test_directory_lists_and_filters_organisations(api_as, analyst, safe_home, tendesh,
                                                   almaty_ngo):
    shelter = ServiceType.objects.get_or_create(code="shelter")[0]
    safe_home.services.add(shelter)
    Organisation.objects.create(name="Closed NGO", kind=OrganisationKind.NGO, country="KG",
                                is_active=False)
    api = api_as(analyst)
    everything = api.get("/organisations").json()
    assert "Closed NGO" not in {o["name"] for o in everything}
    kyrgyz = api.get("/organisations", country="kg").json()
    assert {o["name"] for o in kyrgyz} == {"Safe Home Bishkek", "Tendesh Osh",
                                           "Statistics Institute"}
    with_shelter = api.get("/organisations", service="shelter").json()
    assert [o["name"] for o in with_shelter] == ["Safe Home Bishkek"]
    assert with_shelter[0]["services"] == ["shelter"]
    assert with_shelter[0]["htcds_type"] == "NGO"
    ngos = api.get("/organisations", kind="ngo").json()
    assert "Statistics Institute" not in {o["name"] for o in ngos}
    assert api.get("/organisations", kind="club").status_code == 422
    assert api.get("/organisations", country="KGZ").status_code == 422


def test_one_organisation(api_as, analyst, safe_home):
    api = api_as(analyst)
    assert api.get(f"/organisations/{safe_home.pk}").json()["name"] == "Safe Home Bishkek"
    assert api.get("/organisations/999999").status_code == 404
    closed = Organisation.objects.create(name="Closed NGO", kind=OrganisationKind.NGO,
                                         country="KG", is_active=False)
    assert api.get(f"/organisations/{closed.pk}").status_code == 404
    assert api.get(f"/organisations/{2**64}").status_code == 422


def test_service_types_are_the_taxonomy(api_as, analyst):
    types = api_as(analyst).get("/service-types").json()
    assert {"code": "shelter", "label": "Shelter"} in types


def test_answers_come_in_the_requested_language(api_as, case_worker):
    # The Russian catalogue is filled in separately; here: the language is chosen per request.
    russian = api_as(case_worker, language="ru").get("/cases/K7QM4TXR9")
    assert russian.status_code == 404
    assert russian["Content-Language"] == "ru"
    kyrgyz = api_as(case_worker, language="ky").get("/service-types")
    assert kyrgyz["Content-Language"] == "ky"
    assert api_as(case_worker).get("/me")["Content-Language"] == "en"


def test_refusals_are_in_russian_when_asked(api_as, case_worker, aigul_case):
    future = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    with translation.override("ru"):
        expected = gettext("The date cannot be in the future or before 1900.")
        not_found = gettext("Not found.")
    assert not expected.startswith("The date"), "the Russian catalogue must translate it"
    api = api_as(case_worker, language="ru")
    refused = api.post(f"/cases/{aigul_case.code}/events",
                       {"stage": "Transit", "country": "KZ", "date": future})
    assert refused.json()["errors"] == {"events": [expected]}
    assert api.get("/cases/K7QM4TXR9").json()["detail"] == not_found


def test_lists_cost_the_same_queries_however_long(api_as, case_worker, supervisor, aigul_case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    api = api_as(supervisor)
    api.get("/me")  # the token's first use is recorded once

    def queries(path: str, **params: object) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(path, **params).status_code == 200
        return len(captured)

    few = [queries("/cases"), queries("/search", q="1995"), queries("/audit")]
    for given in ["Асель", "Жылдыз", "Нургуль"]:
        register(case_worker, given=given, family="Мамытова")
    assert [queries("/cases"), queries("/search", q="1995"), queries("/audit")] == few
