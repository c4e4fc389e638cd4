"""My cases and the case page: who sees which cases, that lists never name anyone, that identity
shows only to the organisation's case workers and that each showing of it is audited."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from nrm.core.models import AuditAction, AuditEntry
from nrm.registry.services import case_close
from tests.conftest import login, register

pytestmark = pytest.mark.django_db
MY_CASES = reverse("registry:my_cases")
NAMES = ("Айгуль", "Мамытова", "Aygul", "Mamytova", "555 000 111")


def case_url(case, name: str = "registry:case_detail", *args: object) -> str:
    return reverse(name, args=[case.display_code, *args])


def assert_no_names(html: str) -> None:
    for name in NAMES:
        assert name not in html, name


# --- everyone who is not signed in ---------------------------------------------------------

@pytest.mark.parametrize("name", ["my_cases", "search", "register", "audit_log"])
def test_anonymous_is_sent_to_login_from_every_page(client, name):
    response = client.get(reverse(f"registry:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["case_detail", "case_edit", "case_close", "event_add",
                                  "consent_add", "case_assign"])
def test_anonymous_is_sent_to_login_from_the_case_and_its_actions(client, aigul_case, name):
    for response in (client.get(case_url(aigul_case, f"registry:{name}")),
                     client.post(case_url(aigul_case, f"registry:{name}"), {})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- my cases ------------------------------------------------------------------------------

def test_my_cases_lists_my_cases_by_code_without_names(client, case_worker, aigul_case):
    login(client, case_worker)
    response = client.get(MY_CASES)
    html = response.content.decode()
    assert response.status_code == 200
    assert aigul_case.display_code in html
    assert "Forced labour" in html and "Female" in html and "1995" in html
    assert "Hotline" in html
    assert_no_names(html)


def test_mine_and_my_organisation_tabs(client, case_worker, colleague, aigul_case):
    other = register(colleague, given="Асель", family="Токтогулова", birth_date="2001")
    login(client, case_worker)
    mine = client.get(MY_CASES).content.decode()
    assert aigul_case.display_code in mine and other.display_code not in mine
    organisation = client.get(MY_CASES, {"tab": "organisation"}).content.decode()
    assert aigul_case.display_code in organisation and other.display_code in organisation
    assert "bakyt" in organisation  # whose case it is, on the organisation's tab


def test_status_filter(client, case_worker, aigul_case):
    closed = register(case_worker, given="Асель", family="Токтогулова", birth_date="2001")
    case_close(viewer=case_worker, case=closed, closed_on=closed.opened_on, reason="returned")
    login(client, case_worker)
    active = client.get(MY_CASES, {"status": "Active"}).content.decode()
    assert aigul_case.display_code in active and closed.display_code not in active
    only_closed = client.get(MY_CASES, {"status": "Closed"}).content.decode()
    assert closed.display_code in only_closed and aigul_case.display_code not in only_closed
    # An unknown status is ignored rather than an error.
    assert client.get(MY_CASES, {"status": "Nonsense"}).status_code == 200


def test_outsider_does_not_see_our_cases(client, outsider, foreign_case_worker, aigul_case):
    for viewer in (outsider, foreign_case_worker):
        login(client, viewer)
        for tab in ("mine", "organisation"):
            assert aigul_case.display_code not in client.get(
                MY_CASES, {"tab": tab}).content.decode()


def test_coordinator_sees_the_countrys_cases_but_no_names(client, coordinator, aigul_case,
                                                          foreign_case_worker):
    kazakh = register(foreign_case_worker, given="Дана", family="Омарова", birth_date="1990")
    login(client, coordinator)
    html = client.get(MY_CASES, {"tab": "mine"}).content.decode()  # no "mine" tab: falls back
    assert aigul_case.display_code in html
    assert kazakh.display_code not in html
    assert "Safe Home Bishkek" in html
    assert_no_names(html)


def test_analyst_and_organisation_admin_cannot_list_cases(client, analyst, org_admin):
    for viewer in (analyst, org_admin):
        login(client, viewer)
        assert client.get(MY_CASES).status_code == 403


def test_my_cases_costs_the_same_queries_for_one_case_or_fifty(client, case_worker,
                                                               django_assert_max_num_queries):
    register(case_worker)
    login(client, case_worker)
    with CaptureQueriesContext(connection) as one_case:
        client.get(MY_CASES, {"tab": "organisation"})
    for number in range(55):
        register(case_worker, given=f"Person{number}", birth_date="1990")
    with django_assert_max_num_queries(len(one_case.captured_queries)):
        response = client.get(MY_CASES, {"tab": "organisation"})
    assert len(response.context["page"].object_list) == 50
    second = client.get(MY_CASES, {"tab": "organisation", "page": 2})
    assert len(second.context["page"].object_list) == 6


# --- the case page -------------------------------------------------------------------------

def test_case_worker_sees_the_case_identity_and_their_own_access(client, case_worker,
                                                                 aigul_case):
    login(client, case_worker)
    response = client.get(case_url(aigul_case))
    html = response.content.decode()
    assert response.status_code == 200
    assert aigul_case.person.display_code in html
    assert "Айгуль" in html and "Мамытова" in html and "+996 555 000 111" in html
    log = response.context["log"].object_list
    assert {(entry.actor, entry.action) for entry in log} >= {
        (case_worker.user, AuditAction.IDENTITY_READ), (case_worker.user, AuditAction.CASE_READ)}
    access_log = html[html.index('id="access-log"'):]
    assert "aizada" in access_log and "Identity viewed" in access_log


def test_a_colleague_of_the_same_organisation_sees_identity(client, colleague, aigul_case):
    login(client, colleague)
    assert "Мамытова" in client.get(case_url(aigul_case)).content.decode()


def test_every_showing_of_identity_is_audited(client, case_worker, aigul_case):
    login(client, case_worker)
    reads = AuditEntry.objects.filter(action=AuditAction.IDENTITY_READ,
                                      person_code=aigul_case.person.code)
    assert reads.count() == 0
    client.get(case_url(aigul_case))
    client.get(case_url(aigul_case))
    assert reads.count() == 2
    entry = reads.first()
    assert entry is not None
    assert (entry.actor, entry.organisation_id) == (case_worker.user, case_worker.organisation_id)
    assert "family_name" in entry.fields


def test_case_page_accepts_the_code_as_typed(client, case_worker, aigul_case):
    login(client, case_worker)
    typed = aigul_case.code.lower()
    assert client.get(reverse("registry:case_detail", args=[typed])).status_code == 200
    assert client.get(reverse("registry:case_detail", args=["NOT-A-CODE"])).status_code == 404


def test_coordinator_sees_the_case_page_without_identity(client, coordinator, aigul_case):
    login(client, coordinator)
    response = client.get(case_url(aigul_case))
    html = response.content.decode()
    assert response.status_code == 200
    assert aigul_case.display_code in html and "Forced labour" in html
    assert response.context["identity"] is None
    assert_no_names(html)
    assert not AuditEntry.objects.filter(actor=coordinator.user,
                                         action=AuditAction.IDENTITY_READ).exists()
    assert "Edit case" not in html and "Withdraw" not in html


@pytest.mark.parametrize("who", ["outsider", "foreign_case_worker", "analyst"])
def test_others_get_404_on_the_case_page(client, request, aigul_case, who):
    viewer = request.getfixturevalue(who)
    login(client, viewer)
    response = client.get(case_url(aigul_case))
    assert response.status_code == 404
    assert_no_names(response.content.decode())
    assert not AuditEntry.objects.filter(actor=viewer.user).exists()


@pytest.mark.parametrize("language", ["en", "ru", "kk", "ky", "tg", "uz", "tk"])
def test_the_screens_render_in_every_language(client, settings, case_worker, aigul_case,
                                              language):
    from nrm.registry.inputs import EventInput
    from nrm.registry.services import event_record

    event_record(viewer=case_worker, case=aigul_case,
                 event=EventInput(stage="Transit", country="KZ", date="2023-04"))
    login(client, case_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for page in (case_url(aigul_case), MY_CASES, reverse("registry:register"),
                 reverse("registry:search") + "?q=Aigul"):
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'<html lang="{language}">' in response.content.decode()
