"""Identification figures for national coordinators and analysts: aggregates only, every table
passed through small-cell suppression, and each table naming what it counts.

A coordinator sees their own country; an analyst (and a system admin) every country, but never
a person: nothing here returns a row that belongs to one. Where the unit is persons, a person
registered more than once counts once (linkage's person clusters: the one arrow from
identification to linkage, which imports nothing of identification).
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.disclosure import Table, suppress
from nrm.identification.choices import AppealOutcome, ScreeningResult, VictimStatus
from nrm.identification.models import Appeal, Screening, StatusDecision
from nrm.linkage.selectors import cluster_keys
from nrm.registry.choices import AgeBand

_M = TypeVar("_M", bound=models.Model)

# The breakdowns every figure is given by, in this order.
BREAKDOWNS = ("country", "sex", "age_band", "exploitation")
UNKNOWN = "Unknown"
# A case with several types of exploitation is counted once, here, so that rows add up.
SEVERAL_TYPES = "Multiple"
# The one column of the table behind a median: persons with a first decision.
DECIDED = "decided"

# CTDC ageBroad bands by their lowest age, youngest first.
_BANDS: tuple[tuple[int, AgeBand], ...] = (
    (48, AgeBand.B48), (39, AgeBand.B39_47), (30, AgeBand.B30_38), (27, AgeBand.B27_29),
    (24, AgeBand.B24_26), (21, AgeBand.B21_23), (18, AgeBand.B18_20), (9, AgeBand.B9_17),
    (0, AgeBand.B0_8),
)
_BAND_ORDER = {band.value: position for position, band in enumerate(AgeBand)}


@dataclass(frozen=True)
class Profile:
    """What a figure is broken down by, for one screening, decision or appeal."""

    country: str
    sex: str
    age_band: str
    exploitation: str

    def of(self, breakdown: str) -> str:
        return str(getattr(self, breakdown))


@dataclass(frozen=True)
class MedianTable:
    """Median days to a first decision by one breakdown, with the persons it rests on.

    A median is shown only where its count is shown, so it never speaks of a small group.
    """

    counts: Table
    medians: tuple[float | None, ...]
    median: float | None


@dataclass(frozen=True)
class Figures:
    countries: tuple[str, ...] | None  # None: every country
    threshold: int
    screenings_by_result: dict[str, Table]
    decisions_by_status: dict[str, Table]
    days_to_first_decision: dict[str, MedianTable]
    appeals_by_outcome: dict[str, Table]


def age_band_at(*, birth_year: int | None, year: int, age_band: str = "") -> str:
    """The CTDC age band in ``year`` for someone born in ``birth_year`` (else the recorded band)."""
    if birth_year is not None and birth_year <= year:
        age = year - birth_year
        for lowest, band in _BANDS:
            if age >= lowest:
                return band.value
    return age_band or UNKNOWN


def exploitation_of(types: Sequence[str] | None) -> str:
    """The one row a case belongs to by its types of exploitation."""
    kinds = sorted(set(types or []))
    if not kinds:
        return UNKNOWN
    return kinds[0] if len(kinds) == 1 else SEVERAL_TYPES


def _profile(country: str, person: Sequence[Any]) -> Profile:
    # ``person`` is a row of the fields in _PERSON.
    sex, birth_year, age_band, opened_on, types = person
    return Profile(country=country or UNKNOWN, sex=sex or UNKNOWN,
                   age_band=age_band_at(birth_year=birth_year, year=opened_on.year,
                                        age_band=age_band),
                   exploitation=exploitation_of(types))


def _row_order(breakdown: str, label: str) -> tuple[int, str]:
    if breakdown == "age_band":
        return (_BAND_ORDER.get(label, len(_BAND_ORDER)), label)
    return (1 if label in (UNKNOWN, SEVERAL_TYPES) else 0, label)


def cross_table(
    *, unit: str, breakdown: str, columns: Sequence[str],
    observations: Iterable[tuple[Profile, str]], threshold: int,
) -> Table:
    """Counts of ``observations`` (profile, column) by one breakdown, suppressed for publishing."""
    counts: Counter[tuple[str, str]] = Counter(
        (profile.of(breakdown), column) for profile, column in observations)
    rows = sorted({row for row, _column in counts}, key=lambda label: _row_order(breakdown, label))
    table = Table.from_counts(unit=unit, rows=rows, columns=columns,
                              counts=[[counts[(row, column)] for column in columns]
                                      for row in rows])
    return suppress(table, threshold=threshold)


def _median_table(
    *, breakdown: str, observations: Sequence[tuple[Profile, int]], threshold: int
) -> MedianTable:
    counts = cross_table(unit="persons", breakdown=breakdown, columns=[DECIDED],
                         observations=[(profile, DECIDED) for profile, _days in observations],
                         threshold=threshold)
    days_by_row: dict[str, list[int]] = {}
    for profile, days in observations:
        days_by_row.setdefault(profile.of(breakdown), []).append(days)
    medians = tuple(
        float(statistics.median(days_by_row[row])) if counts.row_totals[index] is not None
        and counts.cells[index][0] is not None else None
        for index, row in enumerate(counts.rows)
    )
    every = [days for _profile, days in observations]
    overall = float(statistics.median(every)) if every and counts.total is not None else None
    return MedianTable(counts=counts, medians=medians, median=overall)


def figure_countries(*, viewer: Viewer) -> tuple[str, ...] | None:
    """The countries whose figures the viewer may see (None: all), or PermissionDenied."""
    if not viewer.sees_figures:
        raise PermissionDenied(_("Identification figures are for national coordinators and "
                                 "analysts."))
    if viewer.role == Role.NATIONAL_COORDINATOR:
        return (viewer.country,)
    return None


def _in_countries(queryset: QuerySet[_M], field: str,
                  countries: tuple[str, ...] | None) -> QuerySet[_M]:
    return queryset if countries is None else queryset.filter(**{f"{field}__in": countries})


_PERSON = ("case__person__sex", "case__person__birth_year", "case__person__age_band",
           "case__opened_on", "case__exploitation_types")


def identification_figures(
    *, viewer: Viewer, since: dt.date | None = None, until: dt.date | None = None,
    threshold: int | None = None,
) -> Figures:
    """Screenings, decisions, days to a first decision and appeals in the viewer's countries,
    by country, sex, age band and type of exploitation; small cells suppressed."""
    countries = figure_countries(viewer=viewer)
    limit = settings.NRM_DISCLOSURE_THRESHOLD if threshold is None else threshold

    screenings = _in_countries(
        Screening.objects.exclude(computed_result=""), "case__organisation__country", countries)
    decisions = _in_countries(StatusDecision.objects.all(), "competent_authority__country",
                              countries)
    appeals = _in_countries(Appeal.objects.all(), "decision__competent_authority__country",
                            countries)
    if since:
        screenings = screenings.filter(completed_at__date__gte=since)
        decisions = decisions.filter(decided_on__gte=since)
        appeals = appeals.filter(lodged_on__gte=since)
    if until:
        screenings = screenings.filter(completed_at__date__lte=until)
        decisions = decisions.filter(decided_on__lte=until)
        appeals = appeals.filter(lodged_on__lte=until)

    screened = [
        (_profile(country, person), result)
        for result, country, *person in screenings.values_list(
            "computed_result", "case__organisation__country", *_PERSON)
    ]
    decided_rows = list(decisions.order_by("decided_on", "created_at").values_list(
        "status", "decided_on", "case__person_id", "competent_authority__country", *_PERSON))
    decided = [(_profile(country, person), status)
               for status, _on, _person_id, country, *person in decided_rows]
    # A person's first decision, on whichever case it was taken, and under whichever of their
    # records: records decided to be the same person (linkage's clusters) are one person.
    same_person = cluster_keys(row[2] for row in decided_rows)
    first: dict[int, tuple[Profile, int]] = {}
    for _status, decided_on, person_id, country, *person in decided_rows:
        if same_person[person_id] not in first:
            opened_on = person[3]
            first[same_person[person_id]] = (_profile(country, person),
                                              (decided_on - opened_on).days)
    appealed = [
        (_profile(country, person), outcome)
        for outcome, country, *person in appeals.values_list(
            "outcome", "decision__competent_authority__country",
            *(f"decision__{field}" for field in _PERSON))
    ]

    def by_each(unit: str, columns: Sequence[str],
                observations: list[tuple[Profile, str]]) -> dict[str, Table]:
        return {breakdown: cross_table(unit=unit, breakdown=breakdown, columns=columns,
                                       observations=observations, threshold=limit)
                for breakdown in BREAKDOWNS}

    firsts = list(first.values())
    return Figures(
        countries=countries,
        threshold=limit,
        screenings_by_result=by_each("screenings", list(ScreeningResult.values), screened),
        decisions_by_status=by_each("decisions", list(VictimStatus.values), decided),
        days_to_first_decision={
            breakdown: _median_table(breakdown=breakdown, observations=firsts, threshold=limit)
            for breakdown in BREAKDOWNS},
        appeals_by_outcome=by_each("appeals", list(AppealOutcome.values), appealed),
    )
