"""Display helpers for the criminal-proceedings templates. Display only; no logic."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

from nrm.accounts.viewer import Viewer
from nrm.justice.access import is_law_enforcement
from nrm.justice.choices import OffenderRole

register = template.Library()


@register.filter
def offender_roles(values: Iterable[str] | None) -> str:
    """The offender's roles in the user's language, comma-separated."""
    names = []
    for value in values or ():
        try:
            names.append(str(OffenderRole(value).label))
        except ValueError:
            names.append(value)
    return ", ".join(names)


@register.filter
def keeps_criminal_cases(viewer: Viewer | None) -> bool:
    """Whether the menu shows criminal cases: law-enforcement case workers."""
    return viewer is not None and is_law_enforcement(viewer)
