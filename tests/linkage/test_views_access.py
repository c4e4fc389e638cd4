"""Who may not use the linkage screens: anonymous visitors are sent to sign in; roles that do not
review (a case worker of either NGO, an analyst, an organisation admin) get 403 on every page;
a reviewer who does not review both persons of a pair (Tendesh's supervisor, Kazakhstan's
coordinator, Safe Home's supervisor for a pair reaching Tendesh) gets 404, exactly as if it did
not exist."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nrm.linkage.models import LinkageRun, PairDecision
from tests.conftest import login
from tests.linkage.conftest import finished_run, found, pair_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(coordinator, aigul_case, aigul_at_tendesh):
    run = finished_run(coordinator, [found(aigul_case, aigul_at_tendesh)])
    pair = pair_of(aigul_case, aigul_at_tendesh)
    return {
        "pairs": reverse("linkage:pairs"),
        "pair": reverse("linkage:pair", args=[pair.pk]),
        "decide": reverse("linkage:pair_decide", args=[pair.pk]),
        "undo": reverse("linkage:pair_undo", args=[pair.pk]),
        "person": reverse("linkage:person", args=[aigul_case.person.display_code]),
        "runs": reverse("linkage:runs"),
        "run_start": reverse("linkage:run_start"),
        "run": reverse("linkage:run", args=[run.pk]),
    }


PAGES = ["pairs", "pair", "person", "runs", "run"]
ACTIONS = ["decide", "undo", "run_start"]
OBJECTS = ["pair", "person", "run"]


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_is_sent_to_sign_in(client, urls, page):
    response = client.get(urls[page])
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("action", ACTIONS)
def test_anonymous_cannot_act(client, urls, action):
    response = client.post(urls[action], {"verdict": "same"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not PairDecision.objects.exists()


@pytest.mark.parametrize("who", ["case_worker", "outsider", "analyst", "org_admin",
                                 "foreign_case_worker"])
@pytest.mark.parametrize("page", PAGES)
def test_roles_that_do_not_review_are_refused_every_page(client, request, urls, who, page):
    login(client, request.getfixturevalue(who))
    assert client.get(urls[page]).status_code == 403


@pytest.mark.parametrize("who", ["case_worker", "outsider", "analyst", "org_admin"])
@pytest.mark.parametrize("action", ACTIONS)
def test_roles_that_do_not_review_cannot_act(client, request, urls, who, action):
    login(client, request.getfixturevalue(who))
    assert client.post(urls[action], {"verdict": "same"}).status_code == 403
    assert not PairDecision.objects.exists()
    assert LinkageRun.objects.count() == 1


@pytest.mark.parametrize("who", ["tendesh_supervisor", "kz_coordinator"])
@pytest.mark.parametrize("page", OBJECTS)
def test_reviewers_elsewhere_find_nothing(client, request, urls, who, page):
    login(client, request.getfixturevalue(who))
    assert client.get(urls[page]).status_code == 404


@pytest.mark.parametrize("who", ["tendesh_supervisor", "kz_coordinator", "supervisor"])
@pytest.mark.parametrize("action", ["decide", "undo"])
def test_reviewers_who_do_not_review_both_persons_cannot_decide(client, request, urls, who,
                                                                action):
    login(client, request.getfixturevalue(who))
    assert client.post(urls[action], {"verdict": "same"}).status_code == 404
    assert not PairDecision.objects.exists()


def test_a_supervisor_does_not_see_a_pair_reaching_another_organisation(client, supervisor,
                                                                        urls):
    login(client, supervisor)
    assert client.get(urls["pair"]).status_code == 404
    # Safe Home's own person is theirs to look up; the coordinator's run is not.
    assert client.get(urls["person"]).status_code == 200
    assert client.get(urls["run"]).status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_actions_are_posted_not_fetched(client, coordinator, urls, action):
    login(client, coordinator)
    assert client.get(urls[action]).status_code == 405


def test_a_person_code_that_is_not_a_code_is_not_found(client, coordinator):
    login(client, coordinator)
    assert client.get(reverse("linkage:person", args=["not-a-code"])).status_code == 404
