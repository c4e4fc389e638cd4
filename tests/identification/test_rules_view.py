"""A country's identification rules, set on their page by its national coordinator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from nrm.accounts.roles import Role
from nrm.core.models import AuditAction, AuditEntry
from nrm.directory.models import Organisation, OrganisationKind
from nrm.identification.models import CountryRules
from tests.conftest import _member, login

pytestmark = pytest.mark.django_db

URL = reverse("identification:country_rules")
GOOD = {"decision_deadline_days": "5", "deadline_in_working_days": "on", "weekend": ["6", "7"],
        "holidays": "03-21\n2026-12-16", "recovery_period_days": "45"}


def test_coordinator_sets_the_rules_of_their_country(client, coordinator):
    response = login(client, coordinator).post(URL, GOOD)
    assert response.status_code == 302
    rules = CountryRules.objects.get(country="KG")
    assert (rules.decision_deadline_days, rules.recovery_period_days) == (5, 45)
    assert rules.weekend == [6, 7]
    assert rules.holidays == ["03-21", "2026-12-16"]
    assert AuditEntry.objects.filter(action=AuditAction.COUNTRY_RULES_CHANGED).exists()


def test_recovery_period_under_30_days_is_refused_and_nothing_saved(client, coordinator):
    response = login(client, coordinator).post(URL, {**GOOD, "recovery_period_days": "20"})
    assert response.status_code == 200
    assert "30" in response.content.decode()
    assert not CountryRules.objects.exists()


def test_the_page_shows_the_defaults_before_anything_is_set(client, coordinator):
    response = login(client, coordinator).get(URL)
    assert response.status_code == 200
    assert response.context["form"].initial["recovery_period_days"] == 30


def test_case_worker_and_analyst_are_refused(client, case_worker, analyst):
    assert login(client, case_worker).get(URL).status_code == 403
    assert login(client, analyst).post(URL, GOOD).status_code == 403
    assert not CountryRules.objects.exists()


def test_coordinator_of_another_country_changes_only_their_own(client, db):
    ministry = Organisation.objects.create(name="Ministry KZ", kind=OrganisationKind.OTHER,
                                           country="KZ")
    kazakh = _member("erlan", ministry, Role.NATIONAL_COORDINATOR)
    login(client, kazakh).post(URL + "?country=KG", GOOD)
    assert not CountryRules.objects.filter(country="KG").exists()
    assert CountryRules.objects.filter(country="KZ").exists()


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _page(client, viewer, name: str) -> str:
    return login(client, viewer).get(reverse(name)).content.decode()


def test_menu_offers_the_rules_to_the_coordinator_only(client, coordinator, case_worker):
    assert URL in _page(client, coordinator, "directory:organisation_list")
    assert URL not in _page(client, case_worker, "registry:my_cases")


def test_menu_offers_the_inbox_to_decision_makers_of_an_authority(client, decision_maker,
                                                                 case_worker):
    inbox = reverse("identification:inbox")
    assert inbox in _page(client, decision_maker, "identification:due")
    assert inbox not in _page(client, case_worker, "registry:my_cases")
