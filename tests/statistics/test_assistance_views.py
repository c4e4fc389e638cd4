"""The referral and assistance figures page and API endpoint: the network's figures for the
analyst and for the coordinator of the country, nothing for those who work with persons or for
another country's coordinator, and the page in Russian."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from nrm.accounts.services import api_token_create
from tests.api.conftest import Api
from tests.conftest import login
from tests.statistics.network import PERSONS, SINCE, UNTIL

pytestmark = pytest.mark.django_db

URL = reverse("statistics:assistance")
ENDPOINT = "/statistics/assistance"
PERIOD = {"since": SINCE.isoformat(), "until": UNTIL.isoformat()}


def api(viewer=None) -> Api:
    return Api(Client(), api_token_create(viewer=viewer, name="tests")[1] if viewer else None)


def _section(response, title: str) -> dict:
    return next(section for section in response.context["sections"]
                if section["title"] == title)


def test_analyst_reads_the_figures_by_kind_of_organisation(client, analyst, network):
    response = login(client, analyst).get(URL, {**PERIOD, "by": "organisation_kind"})

    assert response.status_code == 200
    referrals = _section(response, "Referrals sent, and what became of them")
    assert [row["label"] for row in referrals["rows"]] == ["Health", "Shelter"]
    assert referrals["columns"][0] == "Accepted"
    assert referrals["table"].total == 10
    assisted = _section(response, "Persons assisted, by service")
    assert assisted["columns"] == ["Shelter", "Medical care"]
    body = response.content.decode()
    for unit in ("referrals", "persons", "follow-up contacts"):
        assert f"Counting unit: {unit}, by Organisation kind" in body
    assert "the referring country" in body and "receiving organisation" in body
    # Aggregates only: no name, no code of a person, case or referral.
    for given, family, _sex, _year in PERSONS:
        assert given not in body and family not in body
    for case in network.persons:
        assert case.code not in body and case.person.code not in body
    for referral in network.referrals.values():
        assert referral.code not in body


def test_small_cells_are_hidden_on_the_page_with_their_costs(client, analyst, network,
                                                             settings):
    settings.NRM_DISCLOSURE_THRESHOLD = 3
    response = login(client, analyst).get(URL, PERIOD)

    costs = {section["currency"]: section for section in response.context["costs"]}
    assert costs["USD"]["rows"][0]["cells"][0] == {"persons": None, "cost": None}
    assert costs["KGS"]["rows"][0]["cells"][0]["persons"] == 3
    assert "never for fewer than 3 referrals or persons" in response.content.decode()


def test_coordinator_reads_their_country_and_may_not_ask_for_another(client, coordinator,
                                                                    network):
    response = login(client, coordinator).get(URL, PERIOD)
    assert response.status_code == 200
    assert response.context["countries"] == ["Kyrgyzstan"]
    assert login(client, coordinator).get(URL, {"country": "KZ"}).status_code == 403


def test_another_countrys_coordinator_is_refused(client, kz_coordinator):
    assert login(client, kz_coordinator).get(URL, {"country": "KG"}).status_code == 403


def test_people_who_work_with_persons_are_refused(client, case_worker, outsider,
                                                  kg_investigator):
    for viewer in (case_worker, outsider, kg_investigator):
        assert login(client, viewer).get(URL).status_code == 403, viewer.user.username


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_page_reads_in_russian(client, analyst, network):
    response = login(client, analyst).get(URL, {**PERIOD, "by": "age_band"},
                                          HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert '<html lang="ru">' in response.content.decode()


def test_a_period_that_ends_before_it_starts_is_refused_on_the_form(client, analyst):
    response = login(client, analyst).get(URL, {"since": "2025-06-30", "until": "2025-01-01"})
    assert response.status_code == 200
    assert "The end of the period cannot be before its start." in response.content.decode()


def test_the_menu_shows_the_figures_to_analysts_only(client, analyst, case_worker):
    assert URL in login(client, analyst).get(reverse("home"), follow=True).content.decode()
    client.logout()
    assert URL not in login(client, case_worker).get(reverse("home"),
                                                     follow=True).content.decode()


# --- the API ------------------------------------------------------------------------------------

def test_analyst_reads_the_figures_over_the_api(analyst, network):
    response = api(analyst).get(ENDPOINT, **PERIOD, breakdown="sex")

    assert response.status_code == 200
    figures = response.json()
    assert (figures["countries"], figures["breakdown"]) == (None, "sex")
    assert figures["referrals"]["rows"] == ["Feminine", "Masculine"]
    # At the published threshold (5) only the six persons in all are shown; null is hidden.
    assert figures["persons_assisted"]["cells"] == [[None, None], [0, None]]
    assert figures["persons_assisted"]["total"] == 6
    assert figures["threshold"] == 5
    assert [costs["currency"] for costs in figures["costs"]] == ["KGS", "KZT", "USD"]
    assert figures["period_end"] == UNTIL.isoformat()


def test_the_api_refuses_who_may_not_read_figures(network, case_worker, outsider,
                                                  kg_investigator, coordinator,
                                                  kz_coordinator):
    for viewer in (case_worker, outsider, kg_investigator):
        assert api(viewer).get(ENDPOINT).status_code == 403, viewer.user.username
    assert api(coordinator).get(ENDPOINT, country="KZ").status_code == 403
    assert api(kz_coordinator).get(ENDPOINT, country="KG").status_code == 403
    assert api(coordinator).get(ENDPOINT).json()["countries"] == ["KG"]
    assert api().get(ENDPOINT).status_code == 401


def test_the_api_says_which_breakdowns_exist(analyst):
    assert api(analyst).get(ENDPOINT, breakdown="religion").status_code == 422


def test_the_api_refuses_a_period_that_ends_before_it_starts_in_the_readers_language(analyst):
    reader = Api(Client(), api_token_create(viewer=analyst, name="tests")[1], language="ru")
    response = reader.get(ENDPOINT, since="2025-06-30", until="2025-01-01")
    assert response.status_code == 422
    assert response.json()["errors"]["until"] == ["Конец периода не может быть раньше его начала."]
