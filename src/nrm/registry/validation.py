"""Checks on registry input that every entry path (form, API, import) shares.

Each raises django's ValidationError with a translated message keyed by field, so that a form
shows it beside the field and the API returns it under the field's name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.core.countries import validate_country, validate_language, validate_region
from nrm.core.dates import DatePrecision, parse_partial_date

OLDEST_BIRTH_YEAR = 1900


def today() -> dt.date:
    return timezone.localdate()


def check_birth_year(year: int | None) -> None:
    if year is None:
        return
    if year < OLDEST_BIRTH_YEAR or year > today().year:
        raise ValidationError(
            {"birth_year": _("The birth year must be between %(low)s and %(high)s.")
             % {"low": OLDEST_BIRTH_YEAR, "high": today().year}}
        )


def check_partial_date(field: str, raw: str) -> tuple[dt.date, DatePrecision] | None:
    """Parse ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; refuse impossible and future dates."""
    if not raw:
        return None
    try:
        value, precision = parse_partial_date(raw)
    except ValueError:
        raise ValidationError(
            {field: _("“%(value)s” is not a date. Write it as YYYY-MM-DD, YYYY-MM or YYYY.")
             % {"value": raw[:40]}}
        ) from None
    if value > today() or value.year < OLDEST_BIRTH_YEAR:
        raise ValidationError({field: _("The date cannot be in the future or before 1900.")})
    return value, precision


def check_not_future(field: str, value: dt.date | None) -> None:
    if value is not None and value > today():
        raise ValidationError({field: _("The date cannot be in the future.")})
    if value is not None and value.year < OLDEST_BIRTH_YEAR:
        raise ValidationError({field: _("The date cannot be before 1900.")})


def check_countries(field: str, codes: Iterable[str]) -> None:
    for code in codes:
        try:
            validate_country(code)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None


def check_region(field: str, country: str, region: str) -> None:
    try:
        validate_region(country, region)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def check_languages(field: str, codes: Iterable[str]) -> None:
    for code in codes:
        try:
            validate_language(code)
        except ValidationError as exc:
            raise ValidationError({field: exc.messages}) from None


def check_choices(field: str, values: Iterable[str], allowed: Iterable[str]) -> None:
    allowed_set = set(allowed)
    unknown = [value for value in values if value not in allowed_set]
    if unknown:
        raise ValidationError(
            {field: _("Unknown value: %(values)s.") % {"values": ", ".join(unknown)[:200]}}
        )
