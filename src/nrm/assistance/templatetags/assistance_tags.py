"""Display helpers for the assistance templates. Display only; no logic."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from nrm.assistance.choices import (
    RetraffickingRisk,
    TravelDocumentKind,
    TravelDocumentStatus,
    WellBeing,
)

register = template.Library()


def _label(choices: Any, value: Any) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return "" if value is None else str(value)


@register.filter
def risk_label(value: int | None) -> str:
    """A risk of re-trafficking in the user's language."""
    return _label(RetraffickingRisk, value)


@register.filter
def well_being_label(value: int | None) -> str:
    """A level of well-being in the user's language."""
    return _label(WellBeing, value)


@register.filter
def travel_documents(documents: Iterable[dict[str, str]] | None) -> str:
    """Travel documents as "Passport: issued; Certificate of return: applied for"."""
    return "; ".join(
        f"{_label(TravelDocumentKind, document.get('kind'))}: "
        f"{_label(TravelDocumentStatus, document.get('status'))}"
        for document in documents or ())
