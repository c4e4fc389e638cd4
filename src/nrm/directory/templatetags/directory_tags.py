"""Display helpers for the directory's templates. Display only; no logic."""

from __future__ import annotations

from django import template

from nrm.directory.models import SexServed
from nrm.directory.taxonomy import SERVICE_TYPES

register = template.Library()


@register.filter
def sex_served(value: str) -> str:
    """The label of a SexServed value (whom an organisation takes in)."""
    try:
        return str(SexServed(value).label)
    except ValueError:
        return value


@register.filter
def service_label(code: str) -> str:
    """The label of a service of the taxonomy, in the reader's language."""
    return str(SERVICE_TYPES.get(code, code))
