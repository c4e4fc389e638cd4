"""One count for everyone: the NRM's persons and the criminal justice response side by side, for
a country and a period, so that "ten NGO cases and one police case" are read as what they are.

Every table names its counting unit (persons, case participations, criminal cases, offenders,
convictions, compensation claims) and is passed through small-cell suppression; nothing here
returns a row that belongs to one person. What falls in the period:

- persons identified: a presumed or identified victim decision taken in the period by a
  competent authority of the country;
- criminal cases, their participants and offenders: cases of the country opened in the period;
- convictions: offenders of the country's cases convicted in the period;
- compensation: claims in the country's cases whose first recorded date (claimed, awarded or
  paid) falls in the period.

Persons are counted once however many times they were registered: records that reviewers
decided are the same person (linkage's person clusters) count as one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.disclosure import Table, suppress
from nrm.identification.choices import VictimStatus
from nrm.identification.models import StatusDecision
from nrm.justice.choices import (
    ArticleCategory,
    CompensationRoute,
    Cooperation,
    OffenderOutcome,
    OffenderRole,
    ParticipantRole,
)
from nrm.justice.models import (
    CaseLink,
    Compensation,
    CriminalCase,
    Offender,
    Participant,
    Qualification,
)
from nrm.linkage.selectors import cluster_keys, cluster_records

# Row and column labels that are not picklist values.
PERSONS = "persons"
REGISTERED = "registered"
NOT_REGISTERED = "not_registered"
LINKED = "linked"
NOT_LINKED = "not_linked"
TRAFFICKING = "trafficking"
RELATED_ONLY = "related_only"
NOT_QUALIFIED = "not_qualified"
SEVERAL_ROLES = "several_roles"
NO_ROLE = "no_role"
SUSPENDED = "suspended"
NOT_RECORDED = "not_recorded"
CLAIMED = "claimed"
AWARDED = "awarded"
PAID = "paid"

# Custodial sentences by the lowest number of months of each band, shortest first.
SENTENCE_BANDS: tuple[tuple[str, int], ...] = (
    ("under_1_year", 0), ("1_to_3_years", 12), ("3_to_5_years", 36), ("5_to_10_years", 60),
    ("10_years_or_more", 120),
)


@dataclass(frozen=True)
class CurrencySums:
    """Compensation in one currency; a sum is shown only when enough claims make it up."""

    currency: str
    claims: int | None
    claimed: Decimal | None
    awarded: Decimal | None
    paid: Decimal | None


@dataclass(frozen=True)
class OneCount:
    countries: tuple[str, ...] | None  # None: every country
    since: dt.date | None
    until: dt.date | None
    threshold: int
    identified_persons: Table  # persons, by their highest status in the period
    persons_in_criminal_cases: Table  # persons: registered in the NRM, and not registered
    participations: Table  # case participations, by role and cooperation
    identified_linked: Table  # persons identified, linked to any criminal case or not
    criminal_cases: Table  # criminal cases, by current qualification and cross-border link
    offenders: Table  # offenders, by role and outcome
    convictions: Table  # convictions, by sentence and qualification of the case
    compensation: Table  # compensation claims, by route and furthest step reached
    compensation_sums: tuple[CurrencySums, ...]


def one_count_countries(*, viewer: Viewer, country: str | None) -> tuple[str, ...] | None:
    """The countries the viewer may count (None: all), or PermissionDenied."""
    if not viewer.sees_figures:
        raise PermissionDenied(_("The one-count report is for national coordinators and "
                                 "analysts."))
    if viewer.role == Role.NATIONAL_COORDINATOR:
        if country and country != viewer.country:
            raise PermissionDenied(_("A national coordinator sees the figures of their own "
                                     "country only."))
        return (viewer.country,)
    return (country,) if country else None


def _table(*, unit: str, rows: Sequence[str], columns: Sequence[str],
           counts: Counter[tuple[str, str]], threshold: int) -> Table:
    table = Table.from_counts(unit=unit, rows=rows, columns=columns,
                              counts=[[counts[(row, column)] for column in columns]
                                      for row in rows])
    return suppress(table, threshold=threshold)


def _in_period(on: dt.date | None, since: dt.date | None, until: dt.date | None) -> bool:
    if on is None:
        return since is None and until is None
    return (since is None or on >= since) and (until is None or on <= until)


def _dated(field: str, since: dt.date | None, until: dt.date | None) -> Q:
    condition = Q()
    if since:
        condition &= Q(**{f"{field}__gte": since})
    if until:
        condition &= Q(**{f"{field}__lte": until})
    return condition


def current_categories(case_ids: Iterable[int]) -> dict[int, set[str]]:
    """The article categories of each case's current qualification (its latest version)."""
    latest: dict[int, tuple[tuple[dt.date, dt.datetime, int], set[str]]] = {}
    rows = Qualification.objects.filter(criminal_case_id__in=list(case_ids)).values_list(
        "criminal_case_id", "valid_from", "recorded_at", "id", "articles__category")
    for case_id, valid_from, recorded_at, pk, category in rows:
        key = (valid_from, recorded_at, pk)
        known = latest.get(case_id)
        if known is None or key > known[0]:
            latest[case_id] = (key, set())
            known = latest[case_id]
        if key == known[0] and category:
            known[1].add(category)
    return {case_id: categories for case_id, (_key, categories) in latest.items()}


def _qualification_row(categories: set[str] | None) -> str:
    if not categories:
        return NOT_QUALIFIED
    return TRAFFICKING if ArticleCategory.TRAFFICKING in categories else RELATED_ONLY


def _role_row(roles: Sequence[str] | None) -> str:
    kinds = sorted(set(roles or []))
    if not kinds:
        return NO_ROLE
    return kinds[0] if len(kinds) == 1 else SEVERAL_ROLES


def sentence_band(months: int | None, suspended: bool) -> str:
    """The row a conviction belongs to by its sentence."""
    if suspended:
        return SUSPENDED
    if months is None:
        return NOT_RECORDED
    band = SENTENCE_BANDS[0][0]
    for name, lowest in SENTENCE_BANDS:
        if months >= lowest:
            band = name
    return band


def _compensation_step(awarded: Decimal | None, paid: Decimal | None) -> str:
    if paid:
        return PAID
    return AWARDED if awarded is not None else CLAIMED


def _sums(rows: list[tuple[str, Decimal | None, Decimal | None, Decimal | None]],
          threshold: int) -> tuple[CurrencySums, ...]:
    by_currency: dict[str, list[tuple[Decimal | None, Decimal | None, Decimal | None]]] = (
        defaultdict(list))
    for currency, claimed, awarded, paid in rows:
        by_currency[currency].append((claimed, awarded, paid))

    def total(values: list[Decimal | None]) -> Decimal | None:
        known = [value for value in values if value is not None]
        # A sum of fewer claims than the threshold could tell what one person received.
        return sum(known, Decimal(0)) if len(known) >= threshold else None

    result = []
    for currency in sorted(by_currency):
        claims = by_currency[currency]
        result.append(CurrencySums(
            currency=currency,
            claims=len(claims) if len(claims) >= threshold else None,
            claimed=total([claim[0] for claim in claims]),
            awarded=total([claim[1] for claim in claims]),
            paid=total([claim[2] for claim in claims]),
        ))
    return tuple(result)


def one_count(
    *, viewer: Viewer, country: str | None, since: dt.date | None, until: dt.date | None,
    threshold: int | None = None,
) -> OneCount:
    """Persons identified, persons and participations in criminal cases, criminal cases by
    qualification, offenders, convictions, sentences and compensation for a country (or all,
    for analysts) and a period; every table suppressed and naming its counting unit."""
    countries = one_count_countries(viewer=viewer, country=country)
    limit = settings.NRM_DISCLOSURE_THRESHOLD if threshold is None else threshold

    def in_countries(field: str) -> Q:
        return Q() if countries is None else Q(**{f"{field}__in": countries})

    # Persons identified in the NRM, each once, by the highest status reached in the period. A
    # person registered twice (two records decided to be the same person) is one person.
    decided = list(StatusDecision.objects.filter(
        in_countries("competent_authority__country"), _dated("decided_on", since, until),
        status__in=[VictimStatus.PRESUMED, VictimStatus.IDENTIFIED],
    ).values_list("case__person_id", "status"))
    same_person = cluster_keys(person_id for person_id, _status in decided)
    highest: dict[int, str] = {}
    for person_id, status in decided:
        person = same_person[person_id]
        if highest.get(person) != VictimStatus.IDENTIFIED:
            highest[person] = status
    identified_persons = _table(
        unit="persons", rows=[VictimStatus.PRESUMED, VictimStatus.IDENTIFIED], columns=[PERSONS],
        counts=Counter((status, PERSONS) for status in highest.values()), threshold=limit)

    # Of them, those in any criminal case (through any of their records), anywhere and at any
    # time.
    records = cluster_records(highest)
    linked_persons = {records[person_id] for person_id in Participant.objects.filter(
        case__person_id__in=list(records)).values_list("case__person_id", flat=True)}
    identified_linked = _table(
        unit="persons", rows=[LINKED, NOT_LINKED], columns=[PERSONS],
        counts=Counter((LINKED if person in linked_persons else NOT_LINKED, PERSONS)
                       for person in highest), threshold=limit)

    cases = CriminalCase.objects.filter(in_countries("country"),
                                        _dated("opened_on", since, until))
    case_ids = list(cases.values_list("id", flat=True))

    participations = list(Participant.objects.filter(criminal_case_id__in=case_ids)
                          .values_list("case__person_id", "role", "cooperation"))
    unregistered = cases.aggregate(total=Sum("unregistered_victims"))["total"] or 0
    persons_in_criminal_cases = _table(
        unit="persons", rows=[REGISTERED, NOT_REGISTERED], columns=[PERSONS],
        counts=Counter({(REGISTERED, PERSONS): len(set(cluster_keys(
                            row[0] for row in participations).values())),
                        (NOT_REGISTERED, PERSONS): unregistered}), threshold=limit)
    participation_table = _table(
        unit="case participations", rows=list(ParticipantRole.values),
        columns=list(Cooperation.values),
        counts=Counter((role, cooperation) for _person, role, cooperation in participations),
        threshold=limit)

    linked_cases = set()
    for from_id, to_id in CaseLink.objects.filter(
            Q(from_case_id__in=case_ids) | Q(to_case_id__in=case_ids)).values_list(
            "from_case_id", "to_case_id"):
        linked_cases |= {from_id, to_id}

    convicted = list(Offender.objects.filter(
        in_countries("criminal_case__country"), _dated("outcome_on", since, until),
        outcome=OffenderOutcome.CONVICTED,
    ).values_list("criminal_case_id", "sentence_months", "sentence_suspended"))
    categories = current_categories(set(case_ids) | {row[0] for row in convicted})
    criminal_cases = _table(
        unit="criminal cases", rows=[TRAFFICKING, RELATED_ONLY, NOT_QUALIFIED],
        columns=[LINKED, NOT_LINKED],
        counts=Counter((_qualification_row(categories.get(case_id)),
                        LINKED if case_id in linked_cases else NOT_LINKED)
                       for case_id in case_ids), threshold=limit)

    offenders = _table(
        unit="offenders", rows=[*OffenderRole.values, SEVERAL_ROLES, NO_ROLE],
        columns=list(OffenderOutcome.values),
        counts=Counter((_role_row(roles), outcome) for roles, outcome in Offender.objects.filter(
            criminal_case_id__in=case_ids).values_list("roles", "outcome")),
        threshold=limit)
    convictions = _table(
        unit="convictions", rows=[*(name for name, _lowest in SENTENCE_BANDS), SUSPENDED,
                                  NOT_RECORDED],
        columns=[TRAFFICKING, RELATED_ONLY, NOT_QUALIFIED],
        counts=Counter((sentence_band(months, suspended),
                        _qualification_row(categories.get(case_id)))
                       for case_id, months, suspended in convicted),
        threshold=limit)

    claims = [
        (route, currency, claimed, awarded, paid)
        for route, currency, claimed, claimed_on, awarded, awarded_on, paid, paid_on
        in Compensation.objects.filter(in_countries("participant__criminal_case__country"))
        .values_list("route", "currency", "claimed", "claimed_on", "awarded", "awarded_on",
                     "paid", "paid_on")
        if _in_period(claimed_on or awarded_on or paid_on, since, until)
    ]
    compensation = _table(
        unit="compensation claims", rows=list(CompensationRoute.values),
        columns=[CLAIMED, AWARDED, PAID],
        counts=Counter((route, _compensation_step(awarded, paid))
                       for route, _currency, _claimed, awarded, paid in claims),
        threshold=limit)

    return OneCount(
        countries=countries, since=since, until=until, threshold=limit,
        identified_persons=identified_persons,
        persons_in_criminal_cases=persons_in_criminal_cases,
        participations=participation_table, identified_linked=identified_linked,
        criminal_cases=criminal_cases, offenders=offenders, convictions=convictions,
        compensation=compensation,
        compensation_sums=_sums([row[1:] for row in claims], limit),
    )
