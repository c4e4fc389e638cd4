"""When a referral must be answered: hours by urgency as the receiving organisation's country
sets them (its national coordinator), else the defaults below. Hours run on the calendar: a
person waiting for shelter waits at weekends too. After the deadline a referral is overdue (both
sides are told once); some hours later, still unanswered, it expires."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nrm.referrals.models import ResponseDeadlines

DEFAULT_HOURS = {"emergency": 4, "urgent": 48, "routine": 240}
DEFAULT_EXPIRY_HOURS = 72
LONGEST_HOURS = 24 * 90


def deadlines_for(country: str) -> ResponseDeadlines:
    """The country's response deadlines, or unsaved defaults when it has set none."""
    found = ResponseDeadlines.objects.filter(country=country.upper()).first()
    return found or ResponseDeadlines(
        country=country.upper(), emergency_hours=DEFAULT_HOURS["emergency"],
        urgent_hours=DEFAULT_HOURS["urgent"], routine_hours=DEFAULT_HOURS["routine"],
        expiry_hours=DEFAULT_EXPIRY_HOURS)


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime
    expires_at: dt.datetime


def deadline_for(*, country: str, urgency: str, sent_at: dt.datetime) -> Deadline:
    """When a referral sent at ``sent_at`` to an organisation of ``country`` must be answered,
    and when it expires if it is not."""
    rules = deadlines_for(country)
    due_at = sent_at + dt.timedelta(hours=rules.hours_for(urgency))
    return Deadline(due_at=due_at, expires_at=due_at + dt.timedelta(hours=rules.expiry_hours))
