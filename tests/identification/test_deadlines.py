"""Deadlines follow each country's configuration: working days skip weekends and holidays."""

from __future__ import annotations

import datetime as dt

from nrm.identification.deadlines import (
    add_period,
    decision_due,
    recovery_period_end,
    rules_for,
)
from nrm.identification.models import CountryRules

FRIDAY = dt.date(2026, 3, 20)


def test_a_country_without_rules_gets_five_working_days_and_thirty_days_of_recovery(db):
    rules = rules_for("UZ")
    assert rules.pk is None
    assert (rules.decision_deadline_days, rules.deadline_in_working_days) == (5, True)
    assert rules.weekend == [6, 7]
    assert rules.recovery_period_days == 30
    # Friday + 5 working days: Mon..Fri of the next week.
    assert decision_due(rules, FRIDAY) == dt.date(2026, 3, 27)


def test_working_days_skip_the_weekend_and_a_listed_holiday(db):
    CountryRules.objects.create(country="KG", decision_deadline_days=5,
                                deadline_in_working_days=True, weekend=[6, 7],
                                holidays=["2026-03-23"], recovery_period_days=30)
    rules = rules_for("KG")
    # Sat, Sun and Monday's holiday do not count: Tue 24 … Mon 30.
    assert decision_due(rules, FRIDAY) == dt.date(2026, 3, 30)


def test_a_holiday_written_without_a_year_recurs_every_year(db):
    rules = CountryRules(country="KG", weekend=[6, 7], holidays=["03-21"])
    # Nowruz on Friday 21 March 2025 is skipped.
    assert add_period(rules, dt.date(2025, 3, 20), 1, working_days=True) == dt.date(2025, 3, 24)


def test_calendar_days_count_every_day_when_configured(db):
    CountryRules.objects.create(country="KZ", decision_deadline_days=5,
                                deadline_in_working_days=False, weekend=[6, 7],
                                holidays=["2026-03-23"], recovery_period_days=30)
    assert decision_due(rules_for("KZ"), FRIDAY) == dt.date(2026, 3, 25)


def test_a_different_weekend_is_respected(db):
    rules = CountryRules(country="XX", weekend=[5, 6], holidays=[])
    # Thursday + 1 working day, Friday and Saturday off: Sunday.
    assert add_period(rules, dt.date(2026, 3, 19), 1, working_days=True) == dt.date(2026, 3, 22)


def test_recovery_period_counts_calendar_days_from_the_decision(db):
    rules = CountryRules(country="KG", weekend=[6, 7], holidays=["2026-03-23"],
                         recovery_period_days=45)
    assert recovery_period_end(rules, FRIDAY) == FRIDAY + dt.timedelta(days=45)


def test_recovery_period_is_never_shorter_than_thirty_days(db):
    rules = CountryRules(country="KG", weekend=[6, 7], holidays=[], recovery_period_days=10)
    assert recovery_period_end(rules, FRIDAY) == FRIDAY + dt.timedelta(days=30)
