"""Referral and assistance figures for national coordinators and analysts: referrals and how
they were answered, persons assisted by service type, cost per assisted person and follow-up
contacts, each by one breakdown (country, organisation kind, sex or age band), every table
passed through small-cell suppression and naming its counting unit. Nothing here returns a row
that belongs to one person.

What falls in the period (``since`` to ``until``, both included; either may be open):

- referrals: sent in the period, by the referring country; each is counted once, by what became
  of it since (accepted — later work, completion or cancelling included —, declined, expired
  unanswered, cancelled before an answer, or still awaiting one); the days to respond run from
  sending to the first answer (accepted or declined);
- persons assisted: a service the person received (in progress, provided, partly provided or
  discontinued; not one declined by the person or not available) that ran during the period:
  started on or before its end and not ended before its start;
- cost per assisted person: the costs of those services that *started* in the period, so that
  a cost is counted in one period only, divided by the persons with such a costed service, per
  service type and per currency; currencies are never added together;
- follow-up contacts: done in the period, and due at its end (planned on or before the end and
  not done by then, however long ago they were planned). Without an end, the end is today.

Breakdowns: country and organisation kind are those of the organisation behind each item —
referrals by the referring country and the *receiving* organisation's kind, services by their
provider, follow-up contacts by the organisation that recorded them. Sex and age band: a
referral's as recorded when it was sent; for assistance the person's (the record behind their
first service in the period), the age band at the year their case was opened, as the
identification figures count it. A person assisted by two kinds of organisation is counted under
each; every total counts each person once. Records that reviewers decided are the same person
(linkage's person clusters) are one person.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.choices import ASSISTANCE_SERVICE_TYPES, RECEIVED_OUTCOMES
from nrm.assistance.models import FollowUp, ServiceRecord
from nrm.core.disclosure import Table, suppress
from nrm.identification.figures import UNKNOWN, age_band_at
from nrm.linkage.selectors import cluster_keys
from nrm.referrals.choices import ReferralStatus
from nrm.referrals.models import Referral
from nrm.registry.choices import AgeBand
from nrm.statistics.one_count import one_count_countries

# What every figure may be broken down by, the first being the default.
BREAKDOWNS = ("country", "organisation_kind", "sex", "age_band")

# What became of a referral sent in the period: one column each, adding up to those sent.
ACCEPTED = "accepted"
DECLINED = "declined"
EXPIRED = "expired"
CANCELLED = "cancelled_unanswered"
AWAITING = "awaiting_answer"
REFERRAL_OUTCOMES = (ACCEPTED, DECLINED, EXPIRED, CANCELLED, AWAITING)
# The one column of the table behind the median days to respond.
ANSWERED = "answered"
# Follow-up contacts.
DONE = "done"
DUE = "due"

_ACCEPTED_STATUSES = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS,
                                ReferralStatus.COMPLETED})
_BAND_ORDER = {band.value: position for position, band in enumerate(AgeBand)}
_CENT = Decimal("0.01")
_SECONDS_A_DAY = 86400


@dataclass(frozen=True)
class MedianDays:
    """Median days from sending to the first answer, by breakdown, with the answered referrals
    each rests on. A median is shown only where its count is shown."""

    counts: Table
    medians: tuple[float | None, ...]
    median: float | None


@dataclass(frozen=True)
class CurrencyCosts:
    """Cost per assisted person in one currency: the persons with a costed service by breakdown
    and service type, and beside each count the cost per person, shown only where the count
    is (so never for fewer persons than the threshold)."""

    currency: str
    persons: Table
    cost_per_person: tuple[tuple[Decimal | None, ...], ...]
    row_cost_per_person: tuple[Decimal | None, ...]  # any service type of the row
    column_cost_per_person: tuple[Decimal | None, ...]  # the service type, every row
    total_cost_per_person: Decimal | None


@dataclass(frozen=True)
class AssistanceFigures:
    countries: tuple[str, ...] | None  # None: every country
    since: dt.date | None
    until: dt.date | None
    period_end: dt.date  # the day at which follow-up contacts are due
    breakdown: str
    threshold: int
    referrals: Table  # referrals sent, by what became of them
    days_to_respond: MedianDays
    persons_assisted: Table  # persons by service type; totals count each person once
    costs: tuple[CurrencyCosts, ...]  # one per currency, by currency code
    follow_ups: Table  # follow-up contacts done in the period and due at its end


def figure_countries(*, viewer: Viewer, country: str | None) -> tuple[str, ...] | None:
    """The countries whose referral and assistance figures the viewer may see (None: all), or
    PermissionDenied: the one-count report's rule."""
    if not viewer.sees_figures:
        raise PermissionDenied(_("Referral and assistance figures are for national coordinators "
                                 "and analysts."))
    return one_count_countries(viewer=viewer, country=country)


# --- shared steps -------------------------------------------------------------------------------

def _row_order(breakdown: str, label: str) -> tuple[int, str]:
    if breakdown == "age_band":
        return (_BAND_ORDER.get(label, len(_BAND_ORDER)), label)
    return (1 if label == UNKNOWN else 0, label)


def _rows(breakdown: str, labels: Iterable[str]) -> list[str]:
    return sorted(set(labels), key=lambda label: _row_order(breakdown, label))


def _count_table(*, unit: str, breakdown: str, columns: Sequence[str],
                 counts: dict[tuple[str, str], int], threshold: int) -> Table:
    """The table of ``counts`` by (row, column); a row is shown when anything is counted in it,
    suppressed."""
    rows = _rows(breakdown, (row for (row, _column), count in counts.items() if count))
    table = Table.from_counts(unit=unit, rows=rows, columns=columns,
                              counts=[[counts.get((row, column), 0) for column in columns]
                                      for row in rows])
    return suppress(table, threshold=threshold)


@dataclass(frozen=True)
class _Persons:
    """Who is in each cell, row and column of a table of persons, and in the whole of it."""

    rows: list[str]
    columns: list[str]
    cells: dict[tuple[str, str], set[int]]
    by_row: dict[str, set[int]]
    by_column: dict[str, set[int]]
    everyone: set[int]


def _persons(breakdown: str, columns_in_order: Sequence[str],
             observations: Iterable[tuple[str, str, int]]) -> _Persons:
    """Observations (row, column, person) gathered so that each person counts once per cell,
    per row, per column and in the total."""
    cells: dict[tuple[str, str], set[int]] = defaultdict(set)
    by_row: dict[str, set[int]] = defaultdict(set)
    by_column: dict[str, set[int]] = defaultdict(set)
    everyone: set[int] = set()
    for row, column, person in observations:
        cells[(row, column)].add(person)
        by_row[row].add(person)
        by_column[column].add(person)
        everyone.add(person)
    return _Persons(rows=_rows(breakdown, by_row),
                    columns=[column for column in columns_in_order if column in by_column],
                    cells=cells, by_row=by_row, by_column=by_column, everyone=everyone)


def _persons_table(unit: str, persons: _Persons, threshold: int) -> Table:
    # A person may stand in several cells of a row (two services) or of a column (two kinds of
    # provider), so the totals are persons counted once, not sums of the cells. Suppression
    # treats them as sums all the same: it then hides at least what an additive table needs.
    table = Table(
        unit=unit, rows=tuple(persons.rows), columns=tuple(persons.columns),
        cells=tuple(tuple(len(persons.cells.get((row, column), ()))
                          for column in persons.columns) for row in persons.rows),
        row_totals=tuple(len(persons.by_row[row]) for row in persons.rows),
        column_totals=tuple(len(persons.by_column[column]) for column in persons.columns),
        total=len(persons.everyone),
    )
    return suppress(table, threshold=threshold)


def _in_period(on: dt.date, since: dt.date | None, until: dt.date | None) -> bool:
    return (since is None or on >= since) and (until is None or on <= until)


# --- referrals ----------------------------------------------------------------------------------

def referral_outcome(status: str, *, answered: bool) -> str:
    """The one column a referral sent in the period belongs to, by what became of it."""
    if status == ReferralStatus.DECLINED:
        return DECLINED
    if answered or status in _ACCEPTED_STATUSES:
        return ACCEPTED
    if status == ReferralStatus.EXPIRED:
        return EXPIRED
    if status == ReferralStatus.CANCELLED:
        return CANCELLED
    return AWAITING


# The referral's field behind each breakdown: the referring country, the receiving
# organisation's kind, the sex and age band recorded when it was sent.
_REFERRAL_ROW_FIELDS = {"country": "from_country", "organisation_kind": "to_organisation__kind",
                        "sex": "sex", "age_band": "age_band"}


def _median_days(breakdown: str, answered: Sequence[tuple[str, float]],
                 threshold: int) -> MedianDays:
    answers: dict[tuple[str, str], int] = defaultdict(int)
    days_by_row: dict[str, list[float]] = defaultdict(list)
    for row, days in answered:
        answers[(row, ANSWERED)] += 1
        days_by_row[row].append(days)
    counts = _count_table(unit="referrals", breakdown=breakdown, columns=[ANSWERED],
                          counts=answers, threshold=threshold)
    medians = tuple(
        round(statistics.median(days_by_row[row]), 1) if counts.cells[index][0] else None
        for index, row in enumerate(counts.rows))
    every = [days for _row, days in answered]
    overall = round(statistics.median(every), 1) if every and counts.total else None
    return MedianDays(counts=counts, medians=medians, median=overall)


def _referral_figures(*, countries: tuple[str, ...] | None, since: dt.date | None,
                      until: dt.date | None, breakdown: str,
                      threshold: int) -> tuple[Table, MedianDays]:
    # Counted in the database (a referral's column depends only on its status and on whether
    # it was answered); only the days to respond of answered referrals are read, for medians.
    referrals = Referral.objects.order_by()
    if countries is not None:
        referrals = referrals.filter(from_country__in=countries)
    if since:
        referrals = referrals.filter(sent_at__date__gte=since)
    if until:
        referrals = referrals.filter(sent_at__date__lte=until)
    field = _REFERRAL_ROW_FIELDS[breakdown]
    sent: dict[tuple[str, str], int] = defaultdict(int)
    for value, status, count, answered in referrals.values_list(field, "status").annotate(
            count=Count("id"), answered=Count("responded_at")):
        row = value or UNKNOWN
        sent[(row, referral_outcome(status, answered=True))] += answered
        sent[(row, referral_outcome(status, answered=False))] += count - answered
    table = _count_table(unit="referrals", breakdown=breakdown, columns=REFERRAL_OUTCOMES,
                         counts=sent, threshold=threshold)
    # Days as from the two datetimes (the same timedelta), one value read instead of two.
    waited = ExpressionWrapper(F("responded_at") - F("sent_at"), output_field=DurationField())
    answered_in = [(value or UNKNOWN, waiting.total_seconds() / _SECONDS_A_DAY)
                   for value, waiting in referrals.filter(responded_at__isnull=False)
                   .values_list(field, waited)]
    return table, _median_days(breakdown, answered_in, threshold)


# --- assistance ---------------------------------------------------------------------------------

class _Service(NamedTuple):
    row: str  # the breakdown's row it is counted in
    service_type: str
    person: int  # the person's cluster key: one per person, however many records
    started_on: dt.date
    cost: Decimal | None
    currency: str


# The provider's field behind the breakdowns by organisation; the others are the person's.
_PROVIDER_ROW_FIELDS = {"country": "provider__country", "organisation_kind": "provider__kind"}
_SERVICE_FIELDS = ("case__person_id", "service_type", "started_on", "cost", "currency")
_PROFILE_FIELDS = ("case__person__sex", "case__person__birth_year", "case__person__age_band",
                   "case__opened_on")


def _person_row(breakdown: str, sex: str, birth_year: int | None, age_band: str,
                opened_in: int) -> str:
    """The row of a person by sex, or by age band in the year their case was opened."""
    if breakdown == "sex":
        return sex or UNKNOWN
    return age_band_at(birth_year=birth_year, year=opened_in, age_band=age_band)


def _services(*, countries: tuple[str, ...] | None, since: dt.date | None,
              until: dt.date | None, breakdown: str) -> list[_Service]:
    """The services received that ran during the period, each in its row: the provider's
    country or kind, or the person's sex or age band (from the record behind their first such
    service). Only the columns the breakdown needs are read."""
    services = ServiceRecord.objects.order_by().filter(
        outcome__in=RECEIVED_OUTCOMES, service_type__in=ASSISTANCE_SERVICE_TYPES)
    if countries is not None:
        services = services.filter(provider__country__in=countries)
    if since:
        services = services.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
    if until:
        services = services.filter(started_on__lte=until)
    if breakdown in _PROVIDER_ROW_FIELDS:
        provided = list(services.values_list(*_SERVICE_FIELDS, _PROVIDER_ROW_FIELDS[breakdown]))
        same_person = cluster_keys(row[0] for row in provided)
        return [_Service(value or UNKNOWN, service_type, same_person[person_id], started_on,
                         cost, currency)
                for person_id, service_type, started_on, cost, currency, value in provided]
    # A person's row is that of the record behind their first service in the period (the
    # earliest started, then the first recorded): found in one pass here, which costs less than
    # sorting every service in the database.
    received = list(services.values_list(*_SERVICE_FIELDS, "id", *_PROFILE_FIELDS))
    same_person = cluster_keys(row[0] for row in received)
    first: dict[int, tuple[dt.date, int, tuple[Any, ...]]] = {}
    for person_id, _service_type, started_on, _cost, _currency, pk, *profile in received:
        person = same_person[person_id]
        known = first.get(person)
        if known is None or (started_on, pk) < known[:2]:
            first[person] = (started_on, pk, tuple(profile))
    rows = {person: _person_row(breakdown, sex, birth_year, age_band, opened_on.year)
            for person, (_started_on, _pk, (sex, birth_year, age_band, opened_on))
            in first.items()}
    return [_Service(rows[same_person[person_id]], service_type, same_person[person_id],
                     started_on, cost, currency)
            for person_id, service_type, started_on, cost, currency, *_rest in received]


def _per_person(total: Decimal, persons: set[int], shown: int | None) -> Decimal | None:
    # Shown only beside a published count: never an average over fewer persons than the
    # threshold, nor beside a count hidden so that others cannot be worked out.
    if not shown or not persons:
        return None
    return (total / len(persons)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _currency_costs(currency: str, breakdown: str, costed: list[_Service],
                    threshold: int) -> CurrencyCosts:
    persons = _persons(breakdown, ASSISTANCE_SERVICE_TYPES,
                       ((service.row, service.service_type, service.person)
                        for service in costed))
    table = _persons_table("persons", persons, threshold)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for service in costed:
        sums[(service.row, service.service_type)] += service.cost or Decimal(0)

    def row_sum(row: str) -> Decimal:
        return sum((sums[(row, column)] for column in persons.columns), Decimal(0))

    def column_sum(column: str) -> Decimal:
        return sum((sums[(row, column)] for row in persons.rows), Decimal(0))

    return CurrencyCosts(
        currency=currency, persons=table,
        cost_per_person=tuple(
            tuple(_per_person(sums[(row, column)], persons.cells.get((row, column), set()),
                              table.cells[i][j]) for j, column in enumerate(persons.columns))
            for i, row in enumerate(persons.rows)),
        row_cost_per_person=tuple(
            _per_person(row_sum(row), persons.by_row[row], table.row_totals[i])
            for i, row in enumerate(persons.rows)),
        column_cost_per_person=tuple(
            _per_person(column_sum(column), persons.by_column[column], table.column_totals[j])
            for j, column in enumerate(persons.columns)),
        total_cost_per_person=_per_person(sum(sums.values(), Decimal(0)), persons.everyone,
                                          table.total),
    )


def _assistance_figures(*, countries: tuple[str, ...] | None, since: dt.date | None,
                        until: dt.date | None, breakdown: str,
                        threshold: int) -> tuple[Table, tuple[CurrencyCosts, ...]]:
    services = _services(countries=countries, since=since, until=until, breakdown=breakdown)
    assisted = _persons(breakdown, ASSISTANCE_SERVICE_TYPES, (
        (service.row, service.service_type, service.person) for service in services))
    by_currency: dict[str, list[_Service]] = defaultdict(list)
    for service in services:
        if (service.cost is not None and service.currency
                and _in_period(service.started_on, since, until)):
            by_currency[service.currency].append(service)
    costs = tuple(_currency_costs(currency, breakdown, by_currency[currency], threshold)
                  for currency in sorted(by_currency))
    return _persons_table("persons", assisted, threshold), costs


# --- follow-up ----------------------------------------------------------------------------------

# The fields behind each breakdown: the recording organisation's, or the person's.
_FOLLOW_UP_ROW_FIELDS = {
    "country": ("recorded_for__country",), "organisation_kind": ("recorded_for__kind",),
    "sex": ("case__person__sex",),
    "age_band": ("case__person__birth_year", "case__person__age_band", "opened_in"),
}


def _follow_up_row(breakdown: str, values: Sequence[Any]) -> str:
    if breakdown in ("country", "organisation_kind", "sex"):
        return values[0] or UNKNOWN
    birth_year, age_band, opened_in = values
    return _person_row(breakdown, "", birth_year, age_band, int(opened_in))


def _follow_up_figures(*, countries: tuple[str, ...] | None, since: dt.date | None,
                       end: dt.date, breakdown: str, threshold: int) -> Table:
    done_by_end = Q(done_on__isnull=False, done_on__lte=end)
    done = done_by_end & Q(done_on__gte=since) if since else done_by_end
    due = Q(planned_on__lte=end) & (Q(done_on__isnull=True) | Q(done_on__gt=end))
    contacts = FollowUp.objects.order_by().filter(done | due)
    if countries is not None:
        contacts = contacts.filter(recorded_for__country__in=countries)
    if breakdown == "age_band":
        contacts = contacts.annotate(opened_in=ExtractYear("case__opened_on"))
    # Counted in the database by the fields of the row: done by the end of the period, or due.
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for *values, count, done_count in contacts.values_list(
            *_FOLLOW_UP_ROW_FIELDS[breakdown]).annotate(
            count=Count("id"), done_count=Count("id", filter=done_by_end)):
        row = _follow_up_row(breakdown, values)
        counts[(row, DONE)] += done_count
        counts[(row, DUE)] += count - done_count
    return _count_table(unit="follow-up contacts", breakdown=breakdown, columns=[DONE, DUE],
                        counts=counts, threshold=threshold)


# --- the selector -------------------------------------------------------------------------------

def assistance_figures(
    *, viewer: Viewer, country: str | None, since: dt.date | None, until: dt.date | None,
    breakdown: str = BREAKDOWNS[0], threshold: int | None = None,
) -> AssistanceFigures:
    """Referrals sent and how they were answered, the median days to respond, persons assisted
    by service type, cost per assisted person by service type and currency, and follow-up
    contacts done and due, for a country (or all, for analysts) and a period, by one breakdown;
    every table suppressed and naming its counting unit. Refused to anyone who works with
    persons, and to a coordinator asking for another country."""
    countries = figure_countries(viewer=viewer, country=country)
    if breakdown not in BREAKDOWNS:
        raise ValueError(f"no breakdown {breakdown!r}: one of {', '.join(BREAKDOWNS)}")
    limit = settings.NRM_DISCLOSURE_THRESHOLD if threshold is None else threshold
    end = until or timezone.localdate()
    referrals, days_to_respond = _referral_figures(
        countries=countries, since=since, until=until, breakdown=breakdown, threshold=limit)
    persons_assisted, costs = _assistance_figures(
        countries=countries, since=since, until=until, breakdown=breakdown, threshold=limit)
    return AssistanceFigures(
        countries=countries, since=since, until=until, period_end=end, breakdown=breakdown,
        threshold=limit, referrals=referrals, days_to_respond=days_to_respond,
        persons_assisted=persons_assisted, costs=costs,
        follow_ups=_follow_up_figures(countries=countries, since=since, end=end,
                                      breakdown=breakdown, threshold=limit),
    )
