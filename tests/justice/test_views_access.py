"""Who may not use the criminal-proceedings screens: anonymous visitors are sent to sign in;
NGO case workers and a police unit of another country get 404 for a criminal case's pages and
403 for the list and for opening a case; only those working on the case may see or change it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from nrm.justice import services
from nrm.justice.choices import CompensationRoute, OffenderRole, ParticipantRole
from nrm.justice.models import CriminalCase
from tests.conftest import login


@pytest.fixture
def story(kz_case, investigator, aigul_case, law_enforcement_consent, kz_related):
    """A criminal case with a linked victim, an offender and a request for legal assistance."""
    participant = services.participant_link(viewer=investigator, criminal_case=kz_case,
                                            case_code=aigul_case.display_code,
                                            role=ParticipantRole.VICTIM)
    offender = services.offender_add(viewer=investigator, criminal_case=kz_case, label="O-1",
                                     roles=[OffenderRole.RECRUITER])
    mla = services.legal_assistance_record(
        viewer=investigator, criminal_case=kz_case, requesting_country="KZ",
        requested_country="KG", subject="Witness hearing", sent_on=dt.date(2026, 2, 10))
    services.compensation_record(viewer=investigator, participant=participant,
                                 route=CompensationRoute.CRIMINAL, currency="KZT",
                                 claimed=1000)
    pk = kz_case.pk
    return {
        "case": reverse("justice:case", args=[pk]),
        "qualification": reverse("justice:qualification", args=[pk]),
        "stage": reverse("justice:stage", args=[pk]),
        "hearing": reverse("justice:hearing_add", args=[pk]),
        "unregistered": reverse("justice:unregistered_victims", args=[pk]),
        "participant_link": reverse("justice:participant_link", args=[pk]),
        "participant": reverse("justice:participant_update", args=[pk, participant.pk]),
        "compensation": reverse("justice:compensation", args=[pk, participant.pk]),
        "offender_add": reverse("justice:offender_add", args=[pk]),
        "offender_outcome": reverse("justice:offender_outcome", args=[pk, offender.pk]),
        "link": reverse("justice:case_link", args=[pk]),
        "legal_assistance": reverse("justice:legal_assistance", args=[pk]),
        "answer": reverse("justice:legal_assistance_answer", args=[pk, mla.pk]),
    }


CASE_PAGES = ["case", "qualification", "stage", "hearing", "unregistered", "participant_link",
              "participant", "compensation", "offender_add", "offender_outcome", "link",
              "legal_assistance", "answer"]
LISTS = ["justice:cases", "justice:open"]


@pytest.mark.parametrize("page", CASE_PAGES)
def test_anonymous_is_sent_to_sign_in(client, story, page):
    for response in (client.get(story[page]), client.post(story[page], {})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", LISTS)
def test_anonymous_is_sent_to_sign_in_from_lists(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["case_worker", "outsider", "kg_investigator", "coordinator"])
@pytest.mark.parametrize("page", CASE_PAGES)
def test_anyone_not_working_on_the_case_gets_404(client, story, request, who, page):
    viewer = request.getfixturevalue(who)
    login(client, viewer)
    assert client.get(story[page]).status_code == 404
    if page != "case":
        assert client.post(story[page], {"count": 9, "stage": "closed", "on": "2026-03-01",
                                         "reason": "x"}).status_code == 404
    assert CriminalCase.objects.get().unregistered_victims == 0


@pytest.mark.parametrize("who", ["case_worker", "outsider", "coordinator", "analyst"])
@pytest.mark.parametrize("page", LISTS)
def test_organisations_outside_law_enforcement_have_no_criminal_cases(client, request, who,
                                                                      page):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse(page)).status_code == 403


def test_police_of_another_country_does_not_see_the_case_in_its_list(client, story,
                                                                     kg_investigator):
    login(client, kg_investigator)
    response = client.get(reverse("justice:cases"))
    assert response.status_code == 200
    assert "2026-001" not in response.content.decode()


@pytest.mark.parametrize("page", CASE_PAGES)
def test_the_prosecutors_office_on_the_case_sees_every_page(client, story, prosecutor, page):
    login(client, prosecutor)
    assert client.get(story[page]).status_code == 200


def test_the_victim_view_is_not_shown_to_a_case_worker_of_another_ngo(client, story, outsider,
                                                                     aigul_case):
    login(client, outsider)
    response = client.get(reverse("registry:case_detail", args=[aigul_case.display_code]))
    assert response.status_code == 404
    response = client.get(reverse("justice:proceedings", args=[aigul_case.display_code]))
    assert response.status_code == 404


def test_the_victim_view_page_is_only_for_the_persons_own_case_workers(
    client, story, coordinator, analyst, investigator, aigul_case
):
    url = reverse("justice:proceedings", args=[aigul_case.display_code])
    for viewer in (coordinator, analyst, investigator):
        login(client, viewer)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
