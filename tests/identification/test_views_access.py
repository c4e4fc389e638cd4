"""Who may not use the identification screens: anonymous visitors are sent to sign in; a case
worker of another organisation, an analyst and a decision maker of an authority the case was
never referred to get 404 for a case's pages; roles that lack a page get 403."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from nrm.identification import services
from nrm.identification.choices import ScreeningResult, VictimStatus
from nrm.identification.models import DecisionRequest
from tests.conftest import login, register


@pytest.fixture
def story(police_officer, decision_maker, commission, catalogue):
    """A screened, referred case decided negative and appealed, plus a screening in progress."""
    case = register(police_officer, given="Бакыт", family="Осмонов", birth_date="1990-05-01")
    done = services.screening_start(viewer=police_officer, case=case)
    services.screening_complete(viewer=police_officer, screening=done,
                                judgement=ScreeningResult.MORE_INFORMATION, judgement_note="")
    in_progress = services.screening_start(viewer=police_officer, case=case)
    services.decision_request(viewer=police_officer, case=case, competent_authority=commission)
    decision = services.status_decide(viewer=decision_maker, case=case,
                                      status=VictimStatus.NOT_A_VICTIM,
                                      decided_on=timezone.localdate(), reasons="r",
                                      legal_basis="l")
    appeal = services.appeal_lodge(viewer=police_officer, decision=decision,
                                   lodged_on=timezone.localdate(), body="Court", grounds="g")
    code = case.display_code
    return {
        "case": reverse("identification:case", args=[code]),
        "start": reverse("identification:screening_start", args=[code]),
        "request": reverse("identification:decision_request", args=[code]),
        "decide": reverse("identification:status_decide", args=[code]),
        "appeal": reverse("identification:appeal_lodge", args=[code, decision.pk]),
        "outcome": reverse("identification:appeal_decide", args=[code, appeal.pk]),
        "screening": reverse("identification:screening", args=[in_progress.pk]),
        "result": reverse("identification:screening", args=[done.pk]),
        "complete": reverse("identification:screening_complete", args=[in_progress.pk]),
    }


CASE_PAGES = ["case", "start", "request", "decide", "appeal", "outcome", "screening", "result",
              "complete"]
PAGES = ["identification:inbox", "identification:due"]


@pytest.mark.parametrize("page", CASE_PAGES)
def test_anonymous_is_sent_to_sign_in(client, story, page):
    response = client.get(story[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in_from_lists(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("page", CASE_PAGES)
@pytest.mark.parametrize("who", ["outsider", "analyst", "foreign_case_worker"])
def test_others_cannot_see_or_change_a_case(client, story, page, who, request):
    login(client, request.getfixturevalue(who))
    assert client.get(story[page]).status_code == 404
    assert client.post(story[page], {}).status_code in (404, 405)


@pytest.mark.parametrize("page", ["start", "request", "decide", "appeal", "outcome", "screening",
                                  "complete"])
def test_national_coordinator_reads_but_never_changes(client, story, page, coordinator):
    # The registry lets a coordinator see the country's cases (never identity); nothing more.
    login(client, coordinator)
    assert client.post(story[page], {}).status_code == 403


@pytest.mark.parametrize("page", CASE_PAGES)
def test_decision_maker_of_an_authority_never_referred_to_gets_not_found(
        client, story, page, ngo_decision_maker):
    # Safe Home's decision maker: not a competent authority, and the case is not theirs.
    login(client, ngo_decision_maker)
    assert client.get(story[page]).status_code == 404


def test_first_responder_cannot_decide_or_record_an_appeal_outcome(client, story,
                                                                   police_officer):
    login(client, police_officer)
    assert client.get(story["decide"]).status_code == 403
    assert client.get(story["outcome"]).status_code == 403


def test_decision_maker_cannot_screen_or_refer(client, story, decision_maker):
    login(client, decision_maker)
    assert client.get(story["case"]).status_code == 200
    assert client.get(story["start"]).status_code == 403
    assert client.get(story["request"]).status_code == 403
    assert client.post(story["screening"], {}).status_code == 403
    assert client.get(story["complete"]).status_code == 403


def test_withdrawn_referral_no_longer_opens_the_case(client, story, decision_maker):
    DecisionRequest.objects.update(status="withdrawn")
    login(client, decision_maker)
    assert client.get(story["case"]).status_code == 404


@pytest.mark.parametrize("who", ["outsider", "analyst", "case_worker", "ngo_decision_maker",
                                 "coordinator"])
def test_only_decision_makers_of_competent_authorities_have_an_inbox(client, who, request):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("identification:inbox")).status_code == 403


def test_inbox_shows_only_the_authority_s_own_requests(client, story, outsider, commission):
    from nrm.accounts.roles import Role
    from nrm.directory.models import Organisation, OrganisationKind
    from tests.conftest import _member

    other = Organisation.objects.create(name="Other commission", kind=OrganisationKind.OTHER,
                                        country="KG", is_competent_authority=True)
    other_decider = _member("other_decider", other, Role.DECISION_MAKER)
    login(client, other_decider)
    page = client.get(reverse("identification:inbox"))
    assert page.status_code == 200
    assert "identification/cases/" not in page.content.decode()


@pytest.mark.parametrize("who", ["analyst", "coordinator", "org_admin"])
def test_roles_without_cases_have_no_worklist(client, who, request):
    login(client, request.getfixturevalue(who))
    assert client.get(reverse("identification:due")).status_code == 403


def test_outsider_worklist_shows_nothing_of_others(client, story, outsider):
    login(client, outsider)
    page = client.get(reverse("identification:due"))
    assert page.status_code == 200
    assert "Nothing is due" in page.content.decode()
