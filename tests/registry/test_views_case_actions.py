"""Changing a case from its page: edit, close, events, consents, assignment. Only the owning
organisation's case workers may; others get 404 (cannot see the case) or 403 (may only look)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nrm.core.models import AuditAction, AuditEntry
from nrm.registry.inputs import ConsentInput
from nrm.registry.models import Case, Consent, TraffickingEvent
from nrm.registry.services import consent_record
from tests.conftest import login, register

pytestmark = pytest.mark.django_db
ACTIONS = ["case_edit", "case_close", "event_add", "consent_add", "case_assign"]


def url(case: Case, name: str, *args: object) -> str:
    return reverse(f"registry:{name}", args=[case.display_code, *args])


@pytest.fixture
def services_consent(case_worker, aigul_case) -> Consent:
    return consent_record(viewer=case_worker, person=aigul_case.person,
                          consent=ConsentInput(purpose="services", given=True, method="written"))


def edit_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "status": "FollowUp", "entry_point": "police", "opened_on": "2024-01-10",
        "exploitation_types": ["ForcedLabour", "ForcedBegging"],
        "means_of_control": ["WithholdsDocuments"], "recruiter_relationship": "Acquainted",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["outsider", "foreign_case_worker", "analyst"])
def test_others_get_404_on_every_case_action(client, request, aigul_case, services_consent,
                                             who):
    login(client, request.getfixturevalue(who))
    for name in ACTIONS:
        assert client.get(url(aigul_case, name)).status_code == 404, name
        assert client.post(url(aigul_case, name), edit_data()).status_code == 404, name
    withdraw = url(aigul_case, "consent_withdraw", services_consent.pk)
    assert client.post(withdraw).status_code == 404
    services_consent.refresh_from_db()
    assert services_consent.withdrawn_at is None
    aigul_case.refresh_from_db()
    assert aigul_case.status == "Active"


@pytest.mark.parametrize("who", ["coordinator", "org_admin"])
def test_those_who_may_only_look_get_403_on_every_case_action(client, request, aigul_case,
                                                              services_consent, who):
    login(client, request.getfixturevalue(who))
    expected = 403 if who == "coordinator" else 404  # an org admin does not see cases at all
    for name in ACTIONS:
        assert client.get(url(aigul_case, name)).status_code == expected, name
        assert client.post(url(aigul_case, name), edit_data()).status_code == expected, name
    assert client.post(url(aigul_case, "consent_withdraw", services_consent.pk)
                       ).status_code == expected
    aigul_case.refresh_from_db()
    assert aigul_case.entry_point == "hotline"


def test_case_worker_edits_the_case(client, case_worker, aigul_case):
    login(client, case_worker)
    page = client.get(url(aigul_case, "case_edit"))
    assert page.context["form"].initial["entry_point"] == "hotline"
    response = client.post(url(aigul_case, "case_edit"), edit_data())
    assert response.status_code == 302
    aigul_case.refresh_from_db()
    assert (aigul_case.status, aigul_case.entry_point) == ("FollowUp", "police")
    assert aigul_case.exploitation_types == ["ForcedLabour", "ForcedBegging"]
    assert aigul_case.opened_on == dt.date(2024, 1, 10)
    assert AuditEntry.objects.filter(action=AuditAction.CASE_CHANGED).exists()


def test_editing_refuses_a_future_opening_date_and_unknown_values(client, case_worker,
                                                                  aigul_case):
    login(client, case_worker)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = client.post(url(aigul_case, "case_edit"), edit_data(
        opened_on=tomorrow, exploitation_types=["Invented"], status="Closed"))
    assert {"opened_on", "exploitation_types", "status"} <= set(response.context["form"].errors)
    aigul_case.refresh_from_db()
    assert (aigul_case.status, aigul_case.entry_point) == ("Active", "hotline")
    assert not AuditEntry.objects.filter(action=AuditAction.CASE_CHANGED).exists()


def test_case_worker_closes_the_case_with_a_reason(client, case_worker, aigul_case):
    login(client, case_worker)
    today = dt.date.today().isoformat()
    response = client.post(url(aigul_case, "case_close"),
                           {"closed_on": today, "reason": "Returned home", "referred": "on"})
    assert response.status_code == 302
    aigul_case.refresh_from_db()
    assert (aigul_case.status, aigul_case.closure_reason) == ("ClosedReferred", "Returned home")


def test_closing_before_opening_or_in_the_future_is_refused(client, case_worker, aigul_case):
    login(client, case_worker)
    before = (aigul_case.opened_on - dt.timedelta(days=3)).isoformat()
    response = client.post(url(aigul_case, "case_close"), {"closed_on": before, "reason": "x"})
    assert "closed_on" in response.context["form"].errors  # from the service, beside the field
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    response = client.post(url(aigul_case, "case_close"), {"closed_on": future, "reason": "x"})
    assert "closed_on" in response.context["form"].errors
    response = client.post(url(aigul_case, "case_close"), {"closed_on": "2024-02-30",
                                                            "reason": "x"})
    assert "closed_on" in response.context["form"].errors
    aigul_case.refresh_from_db()
    assert aigul_case.status == "Active" and aigul_case.closed_on is None


def test_case_worker_adds_an_event(client, case_worker, aigul_case):
    login(client, case_worker)
    response = client.post(url(aigul_case, "event_add"), {
        "event-stage": "Exploitation", "event-country": "RU", "event-region": "RU-MOW",
        "event-city": "Moscow", "event-date": "2023-07-01"})
    assert response.status_code == 302
    event = TraffickingEvent.objects.get(case=aigul_case)
    assert (event.country, event.region, event.date) == ("RU", "RU-MOW", dt.date(2023, 7, 1))
    page = client.get(url(aigul_case, "case_detail")).content.decode()
    assert "Russia" in page and "Moscow" in page


@pytest.mark.parametrize("bad", [{"event-country": "XX"}, {"event-date": "2023-02-30"},
                                 {"event-date": "2999"}, {"event-region": "KZ-75"},
                                 {"event-stage": ""}])
def test_bad_events_are_refused(client, case_worker, aigul_case, bad):
    login(client, case_worker)
    data = {"event-stage": "Transit", "event-country": "KG", "event-date": "2023"}
    response = client.post(url(aigul_case, "event_add"), {**data, **bad})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not TraffickingEvent.objects.exists()


def test_case_worker_records_and_withdraws_consent(client, case_worker, aigul_case, tendesh):
    login(client, case_worker)
    response = client.post(url(aigul_case, "consent_add"), {
        "purpose": "share_organisation", "given": "yes", "method": "written",
        "recipient": tendesh.pk})
    assert response.status_code == 302
    consent = Consent.objects.get(person=aigul_case.person)
    assert (consent.recipient, consent.given) == (tendesh, True)
    page = client.get(url(aigul_case, "case_detail")).content.decode()
    assert "Tendesh Osh" in page and "Withdraw" in page
    client.post(url(aigul_case, "consent_withdraw", consent.pk))
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    again = client.post(url(aigul_case, "consent_withdraw", consent.pk), follow=True)
    assert "already withdrawn" in again.content.decode()


def test_sharing_consent_needs_an_organisation(client, case_worker, aigul_case):
    login(client, case_worker)
    response = client.post(url(aigul_case, "consent_add"), {
        "purpose": "share_organisation", "given": "yes", "method": "written"})
    assert "recipient" in response.context["form"].errors
    assert not Consent.objects.exists()


def test_a_consent_of_another_person_cannot_be_withdrawn_through_this_case(
        client, case_worker, aigul_case):
    other = register(case_worker, given="Асель", family="Токтогулова", birth_date="2001")
    foreign = consent_record(viewer=case_worker, person=other.person,
                             consent=ConsentInput(purpose="services", given=True,
                                                  method="oral"))
    login(client, case_worker)
    assert client.post(url(aigul_case, "consent_withdraw", foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.withdrawn_at is None


def test_withdrawing_needs_a_post(client, case_worker, aigul_case, services_consent):
    login(client, case_worker)
    assert client.get(url(aigul_case, "consent_withdraw", services_consent.pk)
                      ).status_code == 405


def test_case_worker_assigns_the_case_to_a_colleague_only(client, case_worker, colleague,
                                                          outsider, aigul_case):
    login(client, case_worker)
    response = client.post(url(aigul_case, "case_assign"), {"case_worker": outsider.user.pk})
    assert "case_worker" in response.context["form"].errors
    response = client.post(url(aigul_case, "case_assign"), {"case_worker": colleague.user.pk})
    assert response.status_code == 302
    aigul_case.refresh_from_db()
    assert aigul_case.case_worker == colleague.user
