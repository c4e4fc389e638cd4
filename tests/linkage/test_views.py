"""The review screens as a coordinator and a supervisor use them: the list of possible
duplicates, a pair side by side (identities only for the supervisor, who may see both), deciding
and undoing from the page, a person's possible duplicates, and the searches."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nrm.core.models import AuditAction, AuditEntry
from nrm.linkage.models import ClusterMember, PairDecision, Verdict
from nrm.linkage.services import pair_decide
from tests.conftest import login
from tests.linkage.conftest import finished_run, found, pair_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(coordinator, aigul_case, aigul_at_tendesh, aigul_again, namesake):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh, 0.99),
                               found(aigul_case, aigul_again, 0.9),
                               found(aigul_case, namesake, 0.6)])
    return {"tendesh": pair_of(aigul_case, aigul_at_tendesh),
            "again": pair_of(aigul_case, aigul_again),
            "namesake": pair_of(aigul_case, namesake)}


def _pair_url(pair) -> str:
    return reverse("linkage:pair", args=[pair.pk])


def test_the_coordinator_lists_pending_pairs_most_likely_first_by_code(client, coordinator,
                                                                       proposed):
    login(client, coordinator)
    page = client.get(reverse("linkage:pairs"))
    assert page.status_code == 200
    text = page.content.decode()
    assert text.index("99%") < text.index("90%") < text.index("60%")
    assert proposed["tendesh"].left.display_code in text
    assert "Tendesh Osh" in text
    for name in ("Айгуль", "Мамытова", "MAMYTOVA"):
        assert name not in text


def test_the_list_filters_by_probability_and_between_organisations(client, coordinator,
                                                                   proposed):
    login(client, coordinator)
    likely = client.get(reverse("linkage:pairs"), {"verdict": "pending", "min_probability": 80})
    assert "60%" not in likely.content.decode()
    across = client.get(reverse("linkage:pairs"), {"verdict": "pending", "across": "on"})
    assert f'id="pair-{proposed["tendesh"].pk}"' in across.content.decode()
    assert f'id="pair-{proposed["again"].pk}"' not in across.content.decode()


def test_a_bad_filter_is_said_and_the_others_still_apply(client, coordinator, proposed):
    login(client, coordinator)
    page = client.get(reverse("linkage:pairs"), {"min_probability": "lots", "across": "on",
                                                 "verdict": "pending"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Enter a whole number" in text
    assert f'id="pair-{proposed["tendesh"].pk}"' in text
    assert f'id="pair-{proposed["again"].pk}"' not in text


def test_a_later_page_keeps_showing_pending_pairs(client, coordinator, proposed):
    pair_decide(viewer=coordinator, pair=proposed["namesake"], verdict=Verdict.DIFFERENT)
    login(client, coordinator)
    page = client.get(reverse("linkage:pairs"), {"page": "1"})
    text = page.content.decode()
    assert f'id="pair-{proposed["tendesh"].pk}"' in text
    assert f'id="pair-{proposed["namesake"].pk}"' not in text
    decided = client.get(reverse("linkage:pairs"), {"verdict": ""}).content.decode()
    assert f'id="pair-{proposed["namesake"].pk}"' in decided


def test_the_supervisor_lists_only_their_organisations_pairs(client, supervisor, proposed):
    login(client, supervisor)
    text = client.get(reverse("linkage:pairs")).content.decode()
    assert f'id="pair-{proposed["again"].pk}"' in text
    assert f'id="pair-{proposed["tendesh"].pk}"' not in text
    assert 'name="organisation"' not in text  # one organisation: nothing to choose


def test_the_coordinator_sees_a_pair_side_by_side_without_identity(client, coordinator,
                                                                   proposed):
    pair = proposed["tendesh"]
    login(client, coordinator)
    page = client.get(_pair_url(pair))
    text = page.content.decode()
    assert page.status_code == 200
    assert pair.left.display_code in text and pair.right.display_code in text
    assert 'id="no-identity"' in text
    for name in ("Айгуль", "Мамытова", "AIGUL", "MAMYTOVA", "+996"):
        assert name not in text
    # The explanation says which fields agreed and how strongly, not their values.
    assert "Family name" in text and "Sound alike (a vowel or a letter heard differently)" in text
    assert "Strongly for" in text
    assert AuditEntry.objects.filter(action=AuditAction.CANDIDATE_PAIR_READ).count() == 2
    assert not AuditEntry.objects.filter(action=AuditAction.IDENTITY_READ).exists()


def test_the_supervisor_sees_both_identities_side_by_side(client, supervisor, proposed):
    login(client, supervisor)
    text = client.get(_pair_url(proposed["again"])).content.decode()
    assert "Мамытова" in text and "Мамытава" in text
    assert 'id="no-identity"' not in text
    assert AuditEntry.objects.filter(action=AuditAction.IDENTITY_READ,
                                     actor=supervisor.user).count() == 2


def test_deciding_same_links_the_records_and_goes_on_to_the_next_pair(client, coordinator,
                                                                      proposed):
    login(client, coordinator)
    response = client.post(reverse("linkage:pair_decide", args=[proposed["tendesh"].pk]),
                           {"verdict": "same"})
    assert response.status_code == 302
    assert response.url == _pair_url(proposed["again"])
    assert pair_of_verdict(proposed["tendesh"]) == Verdict.SAME
    assert ClusterMember.objects.count() == 2
    page = client.get(response.url)
    assert "neither was changed" in page.content.decode()


def test_deciding_different_and_undoing_it_from_the_page(client, coordinator, proposed):
    login(client, coordinator)
    pair = proposed["namesake"]
    client.post(reverse("linkage:pair_decide", args=[pair.pk]), {"verdict": "different"})
    assert pair_of_verdict(pair) == Verdict.DIFFERENT
    page = client.get(_pair_url(pair)).content.decode()
    assert 'id="undo"' in page and 'id="decide"' not in page
    response = client.post(reverse("linkage:pair_undo", args=[pair.pk]), follow=True)
    assert pair_of_verdict(pair) == Verdict.PENDING
    text = response.content.decode()
    assert "awaits a decision again" in text
    assert "undone by nurlan" in text
    assert AuditEntry.objects.filter(action=AuditAction.PAIR_DECISION_UNDONE).count() == 2


def test_a_decision_without_a_verdict_is_refused_and_nothing_is_written(client, coordinator,
                                                                        proposed):
    login(client, coordinator)
    response = client.post(reverse("linkage:pair_decide", args=[proposed["tendesh"].pk]),
                           {"verdict": "perhaps"}, follow=True)
    assert "Choose “same person” or “different persons”" in response.content.decode()
    assert not PairDecision.objects.exists()


def test_a_contradicting_decision_is_explained_on_the_page(client, coordinator, proposed,
                                                           aigul_case, aigul_at_tendesh,
                                                           aigul_again):
    finished_run(coordinator, [found(aigul_case, aigul_at_tendesh, 0.99),
                               found(aigul_case, aigul_again, 0.9),
                               found(aigul_at_tendesh, aigul_again, 0.8)])
    pair_decide(viewer=coordinator, pair=proposed["tendesh"], verdict=Verdict.SAME)
    pair_decide(viewer=coordinator, pair=proposed["again"], verdict=Verdict.SAME)
    login(client, coordinator)
    third = pair_of(aigul_at_tendesh, aigul_again)
    assert "already linked as one person" in client.get(_pair_url(third)).content.decode()
    response = client.post(reverse("linkage:pair_decide", args=[third.pk]),
                           {"verdict": "different"}, follow=True)
    assert "Undo one of those decisions first" in response.content.decode()
    assert pair_of_verdict(third) == Verdict.PENDING


def test_undoing_a_pending_pair_says_there_is_nothing_to_undo(client, coordinator, proposed):
    login(client, coordinator)
    response = client.post(reverse("linkage:pair_undo", args=[proposed["tendesh"].pk]),
                           follow=True)
    assert "nothing to undo" in response.content.decode()


def test_a_persons_possible_duplicates_and_cluster(client, coordinator, proposed, aigul_case):
    pair_decide(viewer=coordinator, pair=proposed["tendesh"], verdict=Verdict.SAME)
    login(client, coordinator)
    page = client.get(reverse("linkage:person", args=[aigul_case.person.display_code]))
    text = page.content.decode()
    assert page.status_code == 200
    assert proposed["tendesh"].right.display_code in text
    assert text.count(reverse("linkage:pair", args=[proposed["namesake"].pk])) == 1


def test_the_case_page_links_reviewers_to_the_persons_possible_duplicates(
        client, coordinator, supervisor, case_worker, aigul_case):
    url = reverse("registry:case_detail", args=[aigul_case.display_code])
    for viewer, shown in ((coordinator, True), (supervisor, True), (case_worker, False)):
        login(client, viewer)
        assert ('id="possible-duplicates"' in client.get(url).content.decode()) is shown


@pytest.mark.parametrize(("who", "shown"), [("coordinator", True), ("supervisor", True),
                                            ("case_worker", False), ("analyst", False)])
def test_the_menu_shows_possible_duplicates_to_reviewers(client, request, who, shown):
    login(client, request.getfixturevalue(who))
    page = client.get(reverse("directory:organisation_list"))
    assert (f'href="{reverse("linkage:pairs")}"' in page.content.decode()) is shown


def test_the_searches_page_lists_runs_and_offers_an_incremental_one_after_a_full(
        client, coordinator, aigul_case):
    login(client, coordinator)
    first = client.get(reverse("linkage:runs")).content.decode()
    assert 'id="run-full"' in first and 'id="run-incremental"' not in first
    run = finished_run(coordinator, [])
    later = client.get(reverse("linkage:runs")).content.decode()
    assert 'id="run-incremental"' in later
    assert reverse("linkage:run", args=[run.pk]) in later
    detail = client.get(reverse("linkage:run", args=[run.pk])).content.decode()
    assert "Persons compared" in detail


def test_starting_an_incremental_search_without_a_full_one_says_what_to_do(client,
                                                                           coordinator):
    login(client, coordinator)
    response = client.post(reverse("linkage:run_start"), {"incremental": "True"}, follow=True)
    assert "Run a full search first" in response.content.decode()


def pair_of_verdict(pair) -> str:
    pair.refresh_from_db()
    return pair.verdict


def _queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_cost_the_same_number_of_queries_however_many_rows(client, coordinator,
                                                                      case_worker, outsider):
    from tests.conftest import register
    login(client, coordinator)
    cases = [register(case_worker if i % 2 else outsider, given=f"Айгуль{i}") for i in range(8)]
    finished_run(coordinator, [found(cases[0], cases[1])])
    person = reverse("linkage:person", args=[cases[0].person.display_code])
    few = {url: _queries(client, url)
           for url in (reverse("linkage:pairs"), reverse("linkage:runs"), person)}
    finished_run(coordinator, [found(cases[0], other) for other in cases[1:]]
                 + [found(cases[2], other) for other in cases[3:]])
    for url, count in few.items():
        assert _queries(client, url) == count, url



def test_a_pair_a_later_search_withdrew_is_not_found_and_nothing_is_decided(
        client, coordinator, proposed):
    login(client, coordinator)
    pair = proposed["tendesh"]
    assert client.get(_pair_url(pair)).status_code == 200
    finished_run(coordinator, [])  # a full search that no longer finds any of them
    response = client.post(reverse("linkage:pair_decide", args=[pair.pk]), {"verdict": "same"})
    assert response.status_code == 404
    with pytest.raises(ValidationError, match="no longer proposed"):
        pair_decide(viewer=coordinator, pair=pair, verdict=Verdict.SAME)
    assert not PairDecision.objects.exists()
