"""Display helpers for the registry's templates: labels of stored picklist values, country and
language names in the user's language, and dates known only in part. Display only; no logic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django import template
from django.db import models
from django.utils import formats

from nrm.core.codes import format_code
from nrm.core.countries import country_name, language_name, region_name
from nrm.core.dates import DatePrecision
from nrm.registry import choices
from nrm.registry.forms import DocumentKind

register = template.Library()

PICKLISTS: dict[str, type[models.TextChoices]] = {
    "exploitation": choices.ExploitationType,
    "sexual_exploitation": choices.SexualExploitationType,
    "control": choices.MeansOfControl,
    "recruitment": choices.RecruitmentMethod,
    "age_band": choices.AgeBand,
    "document": DocumentKind,
}


def _label(value: str, picklist: str) -> str:
    labels = PICKLISTS[picklist]
    try:
        return str(labels(value).label)
    except ValueError:
        return value


@register.filter
def labels(values: Iterable[str] | None, picklist: str) -> str:
    """``["ForcedLabour"]|labels:"exploitation"`` → "Forced labour": stored values as labels."""
    return ", ".join(_label(value, picklist) for value in values or ())


@register.filter
def label(value: str, picklist: str) -> str:
    return _label(value, picklist) if value else ""


@register.filter
def country(code: str) -> str:
    return country_name(code)


@register.filter
def countries(codes: Iterable[str] | None) -> str:
    return ", ".join(country_name(code) for code in codes or ())


@register.filter
def region(code: str) -> str:
    return region_name(code)


@register.filter
def languages(codes: Iterable[str] | None) -> str:
    return ", ".join(language_name(code) for code in codes or ())


@register.filter
def pseudonym(code: str) -> str:
    """A stored code as people read it: ``K7QM4TXR9`` → ``K7QM-4TXR-9``."""
    return format_code(code) if code and len(code) == 9 else code


_FORMATS: dict[str, str] = {
    DatePrecision.MONTH: "YEAR_MONTH_FORMAT",
    DatePrecision.EXACT: "DATE_FORMAT",
}


@register.filter
def partial_date(value: dt.date | str | None, precision: str) -> str:
    """A date shown only as precisely as it is known, in the user's locale."""
    if isinstance(value, str) and value:
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            return str(value)
    if not isinstance(value, dt.date):
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.ESTIMATED:
        return f"≈ {value.year}"
    return formats.date_format(value, _FORMATS.get(precision, "DATE_FORMAT"))
