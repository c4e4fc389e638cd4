"""Dates known only in part: exact, to the month, to the year, or estimated."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    EXACT = "day", _("Exact date")
    MONTH = "month", _("Month and year")
    YEAR = "year", _("Year only")
    ESTIMATED = "estimated", _("Estimated")


def parse_partial_date(raw: str) -> tuple[dt.date, DatePrecision]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → (first day of the period, precision)."""
    text = raw.strip()
    parts = text.split("-")
    try:
        if len(parts) == 1 and len(parts[0]) == 4:
            return dt.date(int(parts[0]), 1, 1), DatePrecision.YEAR
        if len(parts) == 2 and len(parts[0]) == 4:
            return dt.date(int(parts[0]), int(parts[1]), 1), DatePrecision.MONTH
        if len(parts) == 3 and len(parts[0]) == 4:
            return dt.date.fromisoformat(text), DatePrecision.EXACT
    except ValueError:
        pass
    raise ValueError(raw)


def format_partial_date(value: dt.date | None, precision: str) -> str:
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    if precision == DatePrecision.ESTIMATED:
        return f"≈{value:%Y}"
    return value.isoformat()


def check_period(since: dt.date | None, until: dt.date | None) -> None:
    """Refuse a period that ends before it starts: a ValidationError on ``until``."""
    if since is not None and until is not None and since > until:
        raise ValidationError(
            {"until": [gettext("The end of the period cannot be before its start.")]})
