"""Deadlines of identification as each country configures them: the decision on reasonable
grounds (working or calendar days, skipping weekends and public holidays) and the recovery and
reflection period (calendar days, never fewer than 30)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from nrm.identification.models import CountryRules

DEFAULT_DECISION_DAYS = 5
DEFAULT_WEEKEND = (6, 7)
# The Council of Europe Convention (art. 13) sets at least 30 days; no country goes below it here.
MINIMUM_RECOVERY_DAYS = 30


def rules_for(country: str) -> CountryRules:
    """The country's rules, or unsaved defaults (5 working days, Saturday and Sunday off, 30
    days of recovery) when the country has set none."""
    rules = CountryRules.objects.filter(country=country.upper()).first()
    if rules is not None:
        return rules
    return CountryRules(
        country=country.upper(), decision_deadline_days=DEFAULT_DECISION_DAYS,
        deadline_in_working_days=True, weekend=list(DEFAULT_WEEKEND), holidays=[],
        recovery_period_days=MINIMUM_RECOVERY_DAYS,
    )


def is_holiday(day: dt.date, holidays: Iterable[str]) -> bool:
    """A holiday is written "YYYY-MM-DD" (that day only) or "MM-DD" (that day every year)."""
    full, yearly = day.isoformat(), day.isoformat()[5:]
    return any(holiday in (full, yearly) for holiday in holidays)


def add_period(rules: CountryRules, start: dt.date, days: int, *, working_days: bool) -> dt.date:
    """The day ``days`` days after ``start``; with ``working_days`` only days that are neither
    weekend nor public holiday count (the start day itself never counts)."""
    weekend = {int(day) for day in rules.weekend or ()}
    # A week without a working day would never end; such rules are refused when saved.
    if not working_days or len(weekend) >= 7:
        return start + dt.timedelta(days=days)
    holidays = [str(holiday) for holiday in rules.holidays or ()]
    day, counted = start, 0
    while counted < days:
        day += dt.timedelta(days=1)
        if day.isoweekday() in weekend or is_holiday(day, holidays):
            continue
        counted += 1
    return day


def decision_due(rules: CountryRules, requested_on: dt.date) -> dt.date:
    """When the decision on reasonable grounds is due for a referral made on ``requested_on``."""
    return add_period(rules, requested_on, rules.decision_deadline_days,
                      working_days=rules.deadline_in_working_days)


def recovery_period_end(rules: CountryRules, decided_on: dt.date) -> dt.date:
    """The last day of the recovery and reflection period that starts on ``decided_on``."""
    days = max(rules.recovery_period_days, MINIMUM_RECOVERY_DAYS)
    return add_period(rules, decided_on, days, working_days=False)
