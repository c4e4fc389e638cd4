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

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
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
                 observations: Sequence[tuple[str, str]], threshold: int) -> Table:
    """Counts of ``observations`` (row, column), each counted once, suppressed."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for key in observations:
        counts[key] += 1
    rows = _rows(breakdown, (row for row, _column in observations))
    table = Table.from_counts(unit=unit, rows=rows, columns=columns,
                              counts=[[counts[(row, column)] for column in columns]
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

def referral_outcome(status: str, responded_at: dt.datetime | None) -> str:
    """The one column a referral sent in the period belongs to, by what became of it."""
    if status == ReferralStatus.DECLINED:
        return DECLINED
    if responded_at is not None or status in _ACCEPTED_STATUSES:
        return ACCEPTED
    if status == ReferralStatus.EXPIRED:
        return EXPIRED
    if status == ReferralStatus.CANCELLED:
        return CANCELLED
    return AWAITING


def _referral_row(breakdown: str, from_country: str, receiver_kind: str, sex: str,
                  age_band: str) -> str:
    value = {"country": from_country, "organisation_kind": receiver_kind, "sex": sex,
             "age_band": age_band}[breakdown]
    return value or UNKNOWN


def _days(sent_at: dt.datetime, responded_at: dt.datetime) -> float:
    return (responded_at - sent_at).total_seconds() / _SECONDS_A_DAY


def _median_days(breakdown: str, answered: Sequence[tuple[str, float]],
                 threshold: int) -> MedianDays:
    counts = _count_table(unit="referrals", breakdown=breakdown, columns=[ANSWERED],
                          observations=[(row, ANSWERED) for row, _days in answered],
                          threshold=threshold)
    days_by_row: dict[str, list[float]] = defaultdict(list)
    for row, days in answered:
        days_by_row[row].append(days)
    medians = tuple(
        round(statistics.median(days_by_row[row]), 1) if counts.cells[index][0] else None
        for index, row in enumerate(counts.rows))
    every = [days for _row, days in answered]
    overall = round(statistics.median(every), 1) if every and counts.total else None
    return MedianDays(counts=counts, medians=medians, median=overall)


def _referral_figures(*, countries: tuple[str, ...] | None, since: dt.date | None,
                      until: dt.date | None, breakdown: str,
                      threshold: int) -> tuple[Table, MedianDays]:
    referrals = Referral.objects.all()
    if countries is not None:
        referrals = referrals.filter(from_country__in=countries)
    if since:
        referrals = referrals.filter(sent_at__date__gte=since)
    if until:
        referrals = referrals.filter(sent_at__date__lte=until)
    sent: list[tuple[str, str]] = []
    answered: list[tuple[str, float]] = []
    for from_country, kind, sex, age_band, status, sent_at, responded_at in (
            referrals.values_list("from_country", "to_organisation__kind", "sex", "age_band",
                                  "status", "sent_at", "responded_at")):
        row = _referral_row(breakdown, from_country, kind, sex, age_band)
        sent.append((row, referral_outcome(status, responded_at)))
        if responded_at is not None:
            answered.append((row, _days(sent_at, responded_at)))
    table = _count_table(unit="referrals", breakdown=breakdown, columns=REFERRAL_OUTCOMES,
                         observations=sent, threshold=threshold)
    return table, _median_days(breakdown, answered, threshold)


# --- assistance ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Service:
    person: int  # the person's cluster key: one per person, however many records
    service_type: str
    country: str
    kind: str
    started_on: dt.date
    cost: Decimal | None
    currency: str


def _person_profile(sex: str, birth_year: int | None, age_band: str,
                    opened_on: dt.date) -> dict[str, str]:
    return {"sex": sex or UNKNOWN,
            "age_band": age_band_at(birth_year=birth_year, year=opened_on.year,
                                    age_band=age_band)}


def _services(*, countries: tuple[str, ...] | None, since: dt.date | None,
              until: dt.date | None) -> tuple[list[_Service], dict[int, dict[str, str]]]:
    """The services received that ran during the period, and each person's sex and age band
    (from the record behind their first such service)."""
    services = ServiceRecord.objects.filter(outcome__in=RECEIVED_OUTCOMES,
                                            service_type__in=ASSISTANCE_SERVICE_TYPES)
    if countries is not None:
        services = services.filter(provider__country__in=countries)
    if since:
        services = services.filter(Q(ended_on__isnull=True) | Q(ended_on__gte=since))
    if until:
        services = services.filter(started_on__lte=until)
    rows = list(services.order_by("started_on", "id").values_list(
        "case__person_id", "service_type", "provider__country", "provider__kind",
        "started_on", "cost", "currency", "case__person__sex", "case__person__birth_year",
        "case__person__age_band", "case__opened_on"))
    same_person = cluster_keys(row[0] for row in rows)
    profiles: dict[int, dict[str, str]] = {}
    found: list[_Service] = []
    for (person_id, service_type, country, kind, started_on, cost, currency, sex, birth_year,
         age_band, opened_on) in rows:
        person = same_person[person_id]
        if person not in profiles:
            profiles[person] = _person_profile(sex, birth_year, age_band, opened_on)
        found.append(_Service(person=person, service_type=service_type,
                              country=country or UNKNOWN, kind=kind or UNKNOWN,
                              started_on=started_on, cost=cost, currency=currency))
    return found, profiles


def _service_row(breakdown: str, service: _Service,
                 profiles: dict[int, dict[str, str]]) -> str:
    if breakdown == "country":
        return service.country
    if breakdown == "organisation_kind":
        return service.kind
    return profiles[service.person][breakdown]


def _per_person(total: Decimal, persons: set[int], shown: int | None) -> Decimal | None:
    # Shown only beside a published count: never an average over fewer persons than the
    # threshold, nor beside a count hidden so that others cannot be worked out.
    if not shown or not persons:
        return None
    return (total / len(persons)).quantize(_CENT, rounding=ROUND_HALF_UP)


def _currency_costs(currency: str, breakdown: str, costed: list[_Service],
                    profiles: dict[int, dict[str, str]], threshold: int) -> CurrencyCosts:
    rows_of = [(_service_row(breakdown, service, profiles), service) for service in costed]
    persons = _persons(breakdown, ASSISTANCE_SERVICE_TYPES,
                       ((row, service.service_type, service.person) for row, service in rows_of))
    table = _persons_table("persons", persons, threshold)
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row, service in rows_of:
        sums[(row, service.service_type)] += service.cost or Decimal(0)

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
    services, profiles = _services(countries=countries, since=since, until=until)
    assisted = _persons(breakdown, ASSISTANCE_SERVICE_TYPES, (
        (_service_row(breakdown, service, profiles), service.service_type, service.person)
        for service in services))
    by_currency: dict[str, list[_Service]] = defaultdict(list)
    for service in services:
        if (service.cost is not None and service.currency
                and _in_period(service.started_on, since, until)):
            by_currency[service.currency].append(service)
    costs = tuple(_currency_costs(currency, breakdown, by_currency[currency], profiles, threshold)
                  for currency in sorted(by_currency))
    return _persons_table("persons", assisted, threshold), costs


# --- follow-up ----------------------------------------------------------------------------------

def _follow_up_figures(*, countries: tuple[str, ...] | None, since: dt.date | None,
                       end: dt.date, breakdown: str, threshold: int) -> Table:
    done = Q(done_on__isnull=False, done_on__lte=end)
    if since:
        done &= Q(done_on__gte=since)
    due = Q(planned_on__lte=end) & (Q(done_on__isnull=True) | Q(done_on__gt=end))
    contacts = FollowUp.objects.filter(done | due)
    if countries is not None:
        contacts = contacts.filter(recorded_for__country__in=countries)
    observations: list[tuple[str, str]] = []
    for (country, kind, sex, birth_year, age_band, opened_on, done_on) in contacts.values_list(
            "recorded_for__country", "recorded_for__kind", "case__person__sex",
            "case__person__birth_year", "case__person__age_band", "case__opened_on", "done_on"):
        if breakdown == "country":
            row = country
        elif breakdown == "organisation_kind":
            row = kind
        else:
            row = _person_profile(sex, birth_year, age_band, opened_on)[breakdown]
        column = DONE if done_on is not None and done_on <= end else DUE
        observations.append((row or UNKNOWN, column))
    return _count_table(unit="follow-up contacts", breakdown=breakdown, columns=[DONE, DUE],
                        observations=observations, threshold=threshold)


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
