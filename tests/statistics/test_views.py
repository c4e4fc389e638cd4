"""The one-count page: the scenario's figures for the analyst, nothing for those who work with
persons, and small counts hidden at the published threshold."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nrm.accounts.services import api_token_create
from tests.api.conftest import Api
from tests.conftest import login
from tests.statistics.test_scenario import chain, kz_commission_member, victims  # noqa: F401

pytestmark = pytest.mark.django_db

URL = reverse("statistics:one_count")


def _section(response, title: str) -> dict:
    return next(section for section in response.context["sections"]
                if section["title"] == title)


def test_analyst_reads_seventeen_persons_in_criminal_cases(client, analyst, chain):  # noqa: F811
    response = login(client, analyst).get(URL)

    assert response.status_code == 200
    persons = _section(response, "Persons in criminal cases")
    assert persons["rows"][0]["label"] == "Registered in the NRM"
    assert persons["rows"][0]["cells"] == (17,)
    body = response.content.decode()
    for unit in ("persons", "case participations", "criminal cases", "offenders",
                 "convictions", "compensation claims"):
        assert f"Counting unit: {unit}" in body
    # Two criminal cases are too few to publish.
    assert _section(response, "Criminal cases by their current qualification")[
        "table"].total is None
    assert "Осмонов" not in body and "2026-CS-17" not in body and "O-1" not in body


def test_coordinator_reads_their_country_and_may_not_ask_for_another(client, coordinator,
                                                                    chain):  # noqa: F811
    response = login(client, coordinator).get(URL)
    assert response.status_code == 200
    assert response.context["countries"] == ["Kyrgyzstan"]
    assert login(client, coordinator).get(URL, {"country": "kz"}).status_code == 403


def test_people_who_work_with_persons_are_refused(client, case_worker, outsider):
    assert login(client, case_worker).get(URL).status_code == 403
    assert login(client, outsider).get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_menu_shows_the_report_to_analysts_only(client, analyst, case_worker):
    assert URL in login(client, analyst).get(reverse("home"), follow=True).content.decode()
    client.logout()
    assert URL not in login(client, case_worker).get(reverse("home"),
                                                     follow=True).content.decode()


def test_a_period_that_ends_before_it_starts_is_refused_on_the_page_and_the_api(client,
                                                                                analyst):
    response = login(client, analyst).get(URL, {"since": "2025-06-30", "until": "2025-01-01"})
    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in response.content.decode()
    reader = Api(Client(), api_token_create(viewer=analyst, name="tests")[1])
    refused = reader.get("/statistics/one-count", since="2025-06-30", until="2025-01-01")
    assert refused.status_code == 422
    assert refused.json()["errors"]["until"] == [
        "The end of the period cannot be before its start."]
