"""Search across scripts through the screen, and the audit log an organisation admin filters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.models import AuditAction, AuditEntry
from tests.conftest import login, register

pytestmark = pytest.mark.django_db
SEARCH = reverse("registry:search")
AUDIT = reverse("registry:audit_log")


def found(client, text: str, **headers: str) -> str:
    response = client.get(SEARCH, {"q": text}, **headers)
    assert response.status_code == 200
    return response.content.decode()


# --- search ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["Aigul Mamytova", "Айгуль Мамытова", "Mamytova Aigul",
                                  "Aygul Mamytova", "Мамытова", "mamytova 1995"])
def test_search_finds_a_person_under_any_spelling(client, case_worker, aigul_case, text):
    login(client, case_worker)
    html = found(client, text)
    assert aigul_case.person.display_code in html
    assert reverse("registry:case_detail", args=[aigul_case.display_code]) in html


def test_search_finds_by_code_as_typed(client, case_worker, aigul_case):
    login(client, case_worker)
    assert aigul_case.person.display_code in found(client, aigul_case.person.code.lower())


def test_search_results_name_no_one(client, case_worker, aigul_case):
    login(client, case_worker)
    html = found(client, "Aigul Mamytova")
    assert "Мамытова" not in html and "555 000 111" not in html


def test_search_does_not_find_other_names(client, case_worker, aigul_case):
    login(client, case_worker)
    assert "No person found" in found(client, "Aigul Asanova")
    assert "No person found" in found(client, "Mamytova 1996")


def test_htmx_gets_only_the_results(client, case_worker, aigul_case):
    login(client, case_worker)
    html = found(client, "Айгуль", HTTP_HX_REQUEST="true")
    assert aigul_case.person.display_code in html
    assert "<html" not in html
    restored = found(client, "Айгуль", HTTP_HX_REQUEST="true",
                     HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restored


def test_too_short_a_search_is_not_run(client, case_worker, aigul_case):
    login(client, case_worker)
    html = found(client, "М")
    assert "No person found" not in html and aigul_case.person.display_code not in html
    assert not AuditEntry.objects.filter(action=AuditAction.SEARCH).exists()


def test_every_search_is_audited_without_its_text(client, case_worker, aigul_case):
    login(client, case_worker)
    found(client, "Aigul Mamytova")
    entry = AuditEntry.objects.get(action=AuditAction.SEARCH)
    assert entry.actor == case_worker.user
    assert "Aigul" not in entry.purpose and "Mamytova" not in str(entry.fields)


@pytest.mark.parametrize("who", ["outsider", "foreign_case_worker"])
def test_other_organisations_find_nothing(client, request, aigul_case, who):
    login(client, request.getfixturevalue(who))
    for text in ("Aigul Mamytova", "Мамытова", aigul_case.person.code):
        html = found(client, text)
        assert "No person found" in html and aigul_case.person.display_code not in html


def test_coordinator_searches_by_code_only(client, coordinator, aigul_case):
    login(client, coordinator)
    assert "No person found" in found(client, "Мамытова")
    assert aigul_case.person.display_code in found(client, aigul_case.person.display_code)


def test_analyst_and_organisation_admin_cannot_search(client, analyst, org_admin):
    for viewer in (analyst, org_admin):
        login(client, viewer)
        assert client.get(SEARCH, {"q": "Мамытова"}).status_code == 403


def test_a_signed_in_user_without_membership_is_refused(client):
    user = User.objects.create_user(username="nobody", password="x" * 12)
    client.force_login(user)
    assert client.get(SEARCH).status_code == 403
    assert client.get(reverse("registry:my_cases")).status_code == 403


# --- audit log ------------------------------------------------------------------------------

def entries(response) -> list[AuditEntry]:
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def test_organisation_admin_reads_the_audit_log(client, org_admin, case_worker, aigul_case):
    login(client, org_admin)
    listed = entries(client.get(AUDIT))
    assert {e.action for e in listed} >= {AuditAction.PERSON_REGISTERED, AuditAction.CASE_OPENED}
    assert aigul_case.person.display_code in client.get(AUDIT).content.decode()


def test_audit_log_filters(client, org_admin, case_worker, colleague, aigul_case):
    other = register(colleague, given="Асель", family="Токтогулова", birth_date="2001")
    login(client, org_admin)
    by_action = entries(client.get(AUDIT, {"action": int(AuditAction.CASE_OPENED)}))
    assert {e.action for e in by_action} == {AuditAction.CASE_OPENED} and len(by_action) == 2
    by_actor = entries(client.get(AUDIT, {"actor": colleague.user.pk}))
    assert by_actor and {e.actor for e in by_actor} == {colleague.user}
    by_person = entries(client.get(AUDIT, {"person": other.person.display_code}))
    assert by_person and {e.person_code for e in by_person} == {other.person.code}
    today = timezone.localdate()
    assert entries(client.get(AUDIT, {"since": today.isoformat(), "until": today.isoformat()}))
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert entries(client.get(AUDIT, {"since": tomorrow})) == []


def test_audit_log_explains_bad_filters(client, org_admin, aigul_case):
    login(client, org_admin)
    response = client.get(AUDIT, {"person": "nonsense", "since": "2024-05-02",
                                  "until": "2024-05-01", "actor": "99999"})
    form = response.context["filters"]
    assert {"person", "until", "actor"} <= set(form.errors)


def test_audit_log_is_for_auditing_roles_only(client, case_worker, analyst, outsider):
    for viewer in (case_worker, analyst, outsider):
        login(client, viewer)
        assert client.get(AUDIT).status_code == 403


def test_another_organisations_admin_sees_none_of_our_entries(client, tendesh, aigul_case):
    user = User.objects.create_user(username="admin_tendesh", password="x" * 12)
    membership = Membership.objects.create(user=user, organisation=tendesh,
                                           role=Role.ORGANISATION_ADMIN)
    login(client, Viewer(user=user, membership=membership))
    listed = entries(client.get(AUDIT))
    assert all(e.person_code != aigul_case.person.code for e in listed)
    assert entries(client.get(AUDIT, {"person": aigul_case.person.display_code})) == []
