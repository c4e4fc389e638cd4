"""Referral and assistance figures on the network of tests/statistics/network.py, whose answers
are known: referrals by what became of them and the median days to respond, persons assisted
(Айгуль, registered twice and decided to be one person, counted once), cost per assisted person
per currency (never added across currencies), follow-up contacts done and due at a period's
end, and small cells hidden with the medians and costs beside them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from nrm.linkage.services import pair_decision_undo
from nrm.statistics.assistance_figures import (
    ACCEPTED,
    ANSWERED,
    AWAITING,
    CANCELLED,
    DECLINED,
    DONE,
    DUE,
    EXPIRED,
    assistance_figures,
)
from tests.linkage.conftest import pair_of
from tests.statistics.network import SINCE, UNTIL

pytestmark = pytest.mark.django_db


def figures(viewer, breakdown="country", *, country=None, since=SINCE, until=UNTIL,
            threshold=1):
    return assistance_figures(viewer=viewer, country=country, since=since, until=until,
                              breakdown=breakdown, threshold=threshold)


def row(table, label) -> dict:
    """One row of a published table, by column, with its total."""
    index = table.rows.index(label)
    return {**dict(zip(table.columns, table.cells[index], strict=True)),
            "total": table.row_totals[index]}


def costs_in(result, currency):
    return next(costs for costs in result.costs if costs.currency == currency)


# --- referrals ----------------------------------------------------------------------------------

def test_referrals_sent_in_the_period_are_counted_by_what_became_of_them(network, analyst):
    referrals = figures(analyst).referrals

    assert referrals.unit == "referrals"
    # R5 went on to be in progress: it was accepted. P4's referral of December 2024 is not here.
    assert row(referrals, "KG") == {ACCEPTED: 5, DECLINED: 1, EXPIRED: 1, CANCELLED: 1,
                                    AWAITING: 1, "total": 9}
    assert row(referrals, "KZ") == {ACCEPTED: 0, DECLINED: 0, EXPIRED: 0, CANCELLED: 0,
                                    AWAITING: 1, "total": 1}
    assert referrals.total == 10


def test_referrals_by_the_receiving_organisations_kind_sex_and_age_band(network, analyst):
    by_kind = figures(analyst, "organisation_kind").referrals
    assert row(by_kind, "shelter") == {ACCEPTED: 4, DECLINED: 1, EXPIRED: 1, CANCELLED: 0,
                                       AWAITING: 1, "total": 7}
    assert row(by_kind, "health") == {ACCEPTED: 1, DECLINED: 0, EXPIRED: 0, CANCELLED: 1,
                                      AWAITING: 1, "total": 3}
    by_sex = figures(analyst, "sex").referrals
    assert (row(by_sex, "Feminine")["total"], row(by_sex, "Masculine")["total"]) == (7, 3)
    # The age band recorded on each referral when it was sent (P3 and P4 were born in 1975).
    by_age = figures(analyst, "age_band").referrals
    assert by_age.rows == ("30--38", "48+")
    assert row(by_age, "48+") == {ACCEPTED: 1, DECLINED: 1, EXPIRED: 0, CANCELLED: 0,
                                  AWAITING: 0, "total": 2}


def test_the_median_days_to_respond_run_from_sending_to_the_first_answer(network, analyst):
    days = figures(analyst).days_to_respond
    # Answered: 0.5, 1, 2, 3, 4 (declined) and 5 days; the unanswered ones do not count.
    assert days.counts.value("KG", ANSWERED) == 6
    assert days.medians == (2.5,)
    assert days.median == 2.5

    by_kind = figures(analyst, "organisation_kind").days_to_respond
    assert dict(zip(by_kind.counts.rows, by_kind.medians, strict=True)) == {
        "health": 0.5, "shelter": 3.0}


# --- persons assisted ---------------------------------------------------------------------------

def test_a_person_registered_twice_is_assisted_once(network, analyst, coordinator):
    assisted = figures(analyst).persons_assisted

    assert assisted.unit == "persons"
    assert assisted.columns == ("shelter", "medical")
    # Five shelter stays in the period, by four persons: Айгуль's two records are one person.
    # P5's medical care ran into the period; P6's ended before it, P7 declined hers and P8's
    # shelter began after it.
    assert row(assisted, "KG") == {"shelter": 3, "medical": 3, "total": 5}
    assert row(assisted, "KZ") == {"shelter": 1, "medical": 0, "total": 1}
    # P2 had both services: totals count each person once, so they are not sums of the cells.
    assert assisted.column_totals == (4, 3)
    assert assisted.total == 6

    pair_decision_undo(viewer=coordinator, pair=pair_of(network.persons[0],
                                                        network.aigul_at_tendesh))
    assert figures(analyst).persons_assisted.value("KG", "shelter") == 4


def test_persons_assisted_by_kind_of_provider_sex_and_age_band(network, analyst):
    by_kind = figures(analyst, "organisation_kind").persons_assisted
    # Айгуль stayed at Ak-Jol and at Tendesh (an NGO, as Sana is): she counts under both
    # kinds, and once in the shelter column and in the total.
    assert row(by_kind, "ngo") == {"shelter": 2, "medical": 0, "total": 2}
    assert row(by_kind, "shelter") == {"shelter": 3, "medical": 0, "total": 3}
    assert row(by_kind, "health") == {"shelter": 0, "medical": 3, "total": 3}
    assert (by_kind.column_totals, by_kind.total) == ((4, 3), 6)

    by_sex = figures(analyst, "sex").persons_assisted
    assert row(by_sex, "Feminine") == {"shelter": 4, "medical": 1, "total": 4}
    assert row(by_sex, "Masculine") == {"shelter": 0, "medical": 2, "total": 2}
    # The age band in the year the case was opened (2024): born 1992, 32; born 1975, 49.
    by_age = figures(analyst, "age_band").persons_assisted
    assert row(by_age, "30--38") == {"shelter": 3, "medical": 2, "total": 4}
    assert row(by_age, "48+") == {"shelter": 1, "medical": 1, "total": 2}


# --- cost per assisted person -------------------------------------------------------------------

def test_cost_per_assisted_person_is_per_currency_and_never_adds_currencies(network, analyst):
    result = figures(analyst)

    assert [costs.currency for costs in result.costs] == ["KGS", "KZT", "USD"]
    kgs = costs_in(result, "KGS")
    # Shelter in KGS: Айгуль 2000 + 1000 (one person), P2 3000, P3 1500 → 7500 / 3. P5's
    # 999 KGS of medical care started before the period.
    assert kgs.persons.value("KG", "shelter") == 3
    assert kgs.cost_per_person == ((Decimal("2500.00"),),)
    assert kgs.total_cost_per_person == Decimal("2500.00")
    usd = costs_in(result, "USD")
    assert usd.persons.columns == ("medical",)
    assert usd.cost_per_person == ((Decimal("200.00"),),)  # (100 + 300) / 2
    assert costs_in(result, "KZT").cost_per_person == ((Decimal("50000.00"),),)


def test_cost_per_person_by_kind_of_provider(network, analyst):
    kgs = costs_in(figures(analyst, "organisation_kind"), "KGS")
    assert kgs.persons.rows == ("ngo", "shelter")
    # Tendesh: Айгуль's 1000; Ak-Jol: 2000 + 3000 + 1500 over three persons.
    assert kgs.cost_per_person == ((Decimal("1000.00"),), (Decimal("2166.67"),))
    # The shelter column counts Айгуль once, with both her stays.
    assert kgs.column_cost_per_person == (Decimal("2500.00"),)
    assert kgs.persons.column_totals == (3,)


# --- follow-up ----------------------------------------------------------------------------------

def test_follow_ups_done_in_the_period_and_due_at_its_end(network, analyst):
    at_june = figures(analyst).follow_ups
    assert at_june.unit == "follow-up contacts"
    # Done: P1 in March. Due on 30 June: P2 (planned 15 June, done only in August) and P3
    # (planned 1 May, never done); P4's is planned for July; P5's was done in 2024.
    assert row(at_june, "KG") == {DONE: 1, DUE: 2, "total": 3}

    at_august = figures(analyst, until=dt.date(2025, 8, 31)).follow_ups
    # By 31 August P2's contact was done, and P4's had fallen due.
    assert row(at_august, "KG") == {DONE: 2, DUE: 2, "total": 4}


# --- small cells --------------------------------------------------------------------------------

def test_small_cells_are_hidden_with_the_medians_and_costs_beside_them(network, analyst):
    result = figures(analyst, threshold=3)

    assisted = result.persons_assisted
    assert assisted.value("KZ", "shelter") is None  # one person
    assert assisted.row_totals[assisted.rows.index("KZ")] is None
    # Hidden as well, so that the totals do not give the KZ cell away.
    assert assisted.value("KG", "shelter") is None
    assert assisted.value("KG", "medical") == 3
    assert assisted.total == 6

    # Two persons paid in USD, one in KZT: neither count nor cost per person is shown.
    usd = costs_in(result, "USD")
    assert usd.persons.value("KG", "medical") is None
    assert usd.cost_per_person == ((None,),)
    assert usd.total_cost_per_person is None
    assert costs_in(result, "KZT").cost_per_person == ((None,),)
    assert costs_in(result, "KGS").cost_per_person == ((Decimal("2500.00"),),)

    assert result.referrals.value("KZ", AWAITING) is None
    days = figures(analyst, "organisation_kind", threshold=3).days_to_respond
    # One answer from the health centre: no median for it, nor for the shelters, whose count
    # would give it away; the median of all six answers stands.
    assert days.counts.value("health", ANSWERED) is None
    assert days.medians == (None, None)
    assert (days.counts.total, days.median) == (6, 2.5)


def test_the_default_threshold_is_the_published_one(network, analyst, settings):
    settings.NRM_DISCLOSURE_THRESHOLD = 5
    result = assistance_figures(viewer=analyst, country=None, since=SINCE, until=UNTIL)
    assert result.threshold == 5
    assert result.follow_ups.total is None  # three contacts
    assert costs_in(result, "KGS").total_cost_per_person is None  # three persons


# --- who may read them --------------------------------------------------------------------------

def test_a_coordinator_sees_their_own_country(network, coordinator, kz_coordinator):
    kg = figures(coordinator)
    assert kg.countries == ("KG",)
    assert kg.referrals.rows == ("KG",)
    assert [costs.currency for costs in kg.costs] == ["KGS", "USD"]
    kz = figures(kz_coordinator)
    assert (kz.referrals.total, kz.persons_assisted.total) == (1, 1)
    assert kz.follow_ups.total == 0


def test_a_coordinator_of_another_country_is_refused(network, kz_coordinator):
    with pytest.raises(PermissionDenied):
        figures(kz_coordinator, country="KG")


def test_an_analyst_may_choose_a_country(network, analyst):
    kz = figures(analyst, country="KZ")
    assert kz.countries == ("KZ",)
    assert kz.persons_assisted.rows == ("KZ",)


def test_those_who_work_with_persons_are_refused(case_worker, outsider, kg_investigator,
                                                 supervisor):
    for viewer in (case_worker, outsider, kg_investigator, supervisor):
        with pytest.raises(PermissionDenied):
            figures(viewer)


def test_an_empty_period_counts_nothing(network, analyst):
    result = figures(analyst, since=dt.date(2020, 1, 1), until=dt.date(2020, 12, 31))
    assert (result.referrals.total, result.persons_assisted.total, result.costs) == (0, 0, ())
    assert result.days_to_respond.median is None
