"""The one-count report and the referral and assistance figures over the API: aggregates only,
every table suppressed and naming its counting unit; a null value is hidden. For national
coordinators (their country) and analysts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import StringConstraints

from nrm.accounts.api import viewer_of
from nrm.core.dates import check_period
from nrm.identification.schemas import MedianTableOut, TableOut, table_out
from nrm.registry.schemas import ErrorOut, Input
from nrm.statistics.assistance_figures import (
    AssistanceFigures,
    CurrencyCosts,
    assistance_figures,
)
from nrm.statistics.one_count import OneCount, one_count

router = Router(tags=["statistics"])

_REFUSALS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


class OneCountFilters(Input):
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")] | None = None
    since: dt.date | None = None
    until: dt.date | None = None


class CurrencySumsOut(Schema):
    currency: str
    claims: int | None
    claimed: Decimal | None
    awarded: Decimal | None
    paid: Decimal | None


class OneCountOut(Schema):
    countries: list[str] | None
    since: dt.date | None
    until: dt.date | None
    threshold: int
    identified_persons: TableOut
    identified_linked: TableOut
    persons_in_criminal_cases: TableOut
    participations: TableOut
    criminal_cases: TableOut
    offenders: TableOut
    convictions: TableOut
    compensation: TableOut
    compensation_sums: list[CurrencySumsOut]


def one_count_out(report: OneCount) -> OneCountOut:
    return OneCountOut(
        countries=list(report.countries) if report.countries is not None else None,
        since=report.since, until=report.until, threshold=report.threshold,
        identified_persons=table_out(report.identified_persons),
        identified_linked=table_out(report.identified_linked),
        persons_in_criminal_cases=table_out(report.persons_in_criminal_cases),
        participations=table_out(report.participations),
        criminal_cases=table_out(report.criminal_cases),
        offenders=table_out(report.offenders), convictions=table_out(report.convictions),
        compensation=table_out(report.compensation),
        compensation_sums=[CurrencySumsOut(currency=row.currency, claims=row.claims,
                                           claimed=row.claimed, awarded=row.awarded,
                                           paid=row.paid)
                           for row in report.compensation_sums],
    )


@router.get("/statistics/one-count", response={200: OneCountOut, **_REFUSALS},
            summary="One count: NRM persons and criminal justice side by side, small cells "
                    "suppressed (coordinators, analysts)")
def one_count_report(request: HttpRequest, filters: Query[OneCountFilters]) -> OneCountOut:
    check_period(filters.since, filters.until)
    return one_count_out(one_count(viewer=viewer_of(request), country=filters.country,
                                   since=filters.since, until=filters.until))


# --- referral and assistance figures -----------------------------------------------------------

class AssistanceFilters(OneCountFilters):
    breakdown: Literal["country", "organisation_kind", "sex", "age_band"] = "country"


class CurrencyCostsOut(Schema):
    """Persons with a costed service in one currency, and the cost per person beside each
    count (null where the count is hidden)."""

    currency: str
    persons: TableOut
    cost_per_person: list[list[Decimal | None]]
    row_cost_per_person: list[Decimal | None]
    column_cost_per_person: list[Decimal | None]
    total_cost_per_person: Decimal | None


class AssistanceFiguresOut(Schema):
    countries: list[str] | None
    since: dt.date | None
    until: dt.date | None
    period_end: dt.date
    breakdown: str
    threshold: int
    referrals: TableOut
    days_to_respond: MedianTableOut
    persons_assisted: TableOut
    costs: list[CurrencyCostsOut]
    follow_ups: TableOut


def currency_costs_out(costs: CurrencyCosts) -> CurrencyCostsOut:
    return CurrencyCostsOut(
        currency=costs.currency, persons=table_out(costs.persons),
        cost_per_person=[list(row) for row in costs.cost_per_person],
        row_cost_per_person=list(costs.row_cost_per_person),
        column_cost_per_person=list(costs.column_cost_per_person),
        total_cost_per_person=costs.total_cost_per_person)


def assistance_figures_out(figures: AssistanceFigures) -> AssistanceFiguresOut:
    days = figures.days_to_respond
    return AssistanceFiguresOut(
        countries=list(figures.countries) if figures.countries is not None else None,
        since=figures.since, until=figures.until, period_end=figures.period_end,
        breakdown=figures.breakdown, threshold=figures.threshold,
        referrals=table_out(figures.referrals),
        days_to_respond=MedianTableOut(counts=table_out(days.counts), medians=list(days.medians),
                                       median=days.median),
        persons_assisted=table_out(figures.persons_assisted),
        costs=[currency_costs_out(costs) for costs in figures.costs],
        follow_ups=table_out(figures.follow_ups),
    )


@router.get("/statistics/assistance", response={200: AssistanceFiguresOut, **_REFUSALS},
            summary="Referral and assistance figures by one breakdown, small cells suppressed "
                    "(coordinators, analysts)")
def assistance_report(request: HttpRequest,
                      filters: Query[AssistanceFilters]) -> AssistanceFiguresOut:
    check_period(filters.since, filters.until)
    return assistance_figures_out(assistance_figures(
        viewer=viewer_of(request), country=filters.country, since=filters.since,
        until=filters.until, breakdown=filters.breakdown))
