"""The one-count report over the API: aggregates only, every table suppressed and naming its
counting unit; a null value is hidden. For national coordinators (their country) and analysts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import StringConstraints

from nrm.accounts.api import viewer_of
from nrm.identification.schemas import TableOut, table_out
from nrm.registry.schemas import ErrorOut, Input
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
    return one_count_out(one_count(viewer=viewer_of(request), country=filters.country,
                                   since=filters.since, until=filters.until))
