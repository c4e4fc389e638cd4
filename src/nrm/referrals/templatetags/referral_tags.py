"""Display helpers for the referral templates. Display only; no logic."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.db import models

from nrm.referrals.sharing import SHAREABLE
from nrm.registry import choices

register = template.Library()


@register.filter
def shared_field_labels(codes: Iterable[str] | None) -> str:
    """The labels of shared fields, in the reader's language, after the code always shared."""
    return ", ".join(str(SHAREABLE[code].label) if code in SHAREABLE else code
                     for code in codes or ())


_CHOICES: dict[str, type[models.TextChoices]] = {
    "sex": choices.Sex,
    "entry_point": choices.EntryPoint,
    "labour_industry": choices.LabourIndustry,
    "recruiter_relationship": choices.RecruiterRelationship,
    "stage": choices.EventStage,
}


@register.filter
def choice_label(value: str, picklist: str) -> str:
    """The label of a registry picklist value (sex, entry point, labour sector, ...)."""
    try:
        return str(_CHOICES[picklist](value).label)
    except ValueError:
        return value
