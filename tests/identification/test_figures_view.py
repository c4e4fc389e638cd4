"""The figures page: aggregates for coordinators and analysts, small counts hidden."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import login
from tests.identification.test_figures import plain_catalogue, screen  # noqa: F401

pytestmark = pytest.mark.django_db

URL = reverse("identification:figures")


def _rows(response, section: int) -> list[dict]:
    return response.context["sections"][section]["rows"]


def test_analyst_sees_counts_with_small_cells_hidden(client, analyst, case_worker,
                                                    plain_catalogue):  # noqa: F811
    for _ in range(6):
        screen(case_worker, plain_catalogue, "reasonable_grounds")
    for _ in range(3):
        screen(case_worker, plain_catalogue, "insufficient")
    response = login(client, analyst).get(URL)
    assert response.status_code == 200
    (row,) = _rows(response, 0)
    assert row["label"] == "Kyrgyzstan"
    # The 3 is hidden, and it cannot be worked out as the total less the 6.
    assert row["cells"][1] is None
    assert row["cells"][0] is None or row["total"] is None
    assert 3 not in (*row["cells"], row["total"])
    body = response.content.decode()
    assert "Aizada" not in body and "Мамытова" not in body
    assert "Counting unit: screenings" in body


def test_breakdown_by_sex_is_labelled_in_words(client, coordinator, case_worker,
                                               plain_catalogue):  # noqa: F811
    for _ in range(5):
        screen(case_worker, plain_catalogue, "reasonable_grounds", sex="Masculine")
    response = login(client, coordinator).get(URL, {"by": "sex"})
    assert [row["label"] for row in _rows(response, 0)] == ["Male"]


def test_coordinator_sees_only_their_country(client, coordinator, foreign_case_worker,
                                             plain_catalogue):  # noqa: F811
    for _ in range(6):
        screen(foreign_case_worker, plain_catalogue, "reasonable_grounds")
    response = login(client, coordinator).get(URL)
    assert _rows(response, 0) == []


def test_people_who_work_with_persons_are_refused(client, case_worker, outsider):
    assert login(client, case_worker).get(URL).status_code == 403
    assert login(client, outsider).get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_period_that_ends_before_it_starts_is_refused_on_the_form(client, coordinator):
    response = login(client, coordinator).get(URL, {"since": "2025-06-30", "until": "2025-01-01"})
    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in response.content.decode()
