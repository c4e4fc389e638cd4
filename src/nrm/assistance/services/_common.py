"""What every assistance service shares: refusals by field, the audit entry, text and date
checks, and the list of fields a change touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.models import Recorded
from nrm.core.audit import audit_record
from nrm.core.models import AuditAction
from nrm.registry import validation as check
from nrm.registry.models import Case

RecordedModel = TypeVar("RecordedModel", bound=Recorded)

ADULT_AGE = 18
# How far ahead a return or a follow-up contact may be planned.
PLANNING_HORIZON = dt.timedelta(days=3 * 366)
MAX_TRAVEL_DOCUMENTS = 10


def refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def audit(viewer: Viewer, action: AuditAction, obj: models.Model, case: Case,
           fields: Iterable[str]) -> None:
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id, action=action,
                 obj=obj, person_code=case.person.code, fields=fields)


def clean_text(field: str, value: str, limit: int, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise refuse(field, _("This field is required."))
    if len(value) > limit:
        raise refuse(field, _("Write at most %(limit)s characters.") % {"limit": limit})
    return value


def past_date(field: str, value: dt.date | None, *, not_before: dt.date | None = None,
               not_before_message: str = "") -> None:
    """A date that has happened: not in the future, not before 1900, not before a start."""
    if value is None:
        return
    check.check_not_future(field, value)
    if not_before is not None and value < not_before:
        raise refuse(field, not_before_message or _("The date cannot be before %(date)s.")
                      % {"date": not_before.isoformat()})


def planned_date(field: str, value: dt.date, *, today: dt.date) -> None:
    if value.year < check.OLDEST_BIRTH_YEAR:
        raise refuse(field, _("The date cannot be before 1900."))
    if value > today + PLANNING_HORIZON:
        raise refuse(field, _("Plan at most three years ahead."))


def field_names(names: Iterable[str]) -> list[str]:
    """The audited names of fields: a relation by its id column."""
    relations = {"provider", "support_plan", "receiving_organisation", "assigned_to",
                 "referral"}
    return [f"{name}_id" if name in relations else name for name in names]


def create_recorded(model: type[RecordedModel], viewer: Viewer, case: Case,
                    values: dict[str, Any], *, action: AuditAction) -> RecordedModel:
    """Create a row of the case as recorded by the viewer for their organisation; audited."""
    created = model._default_manager.create(case=case, recorded_by=viewer.user,
                                            recorded_for_id=viewer.organisation_id, **values)
    audit(viewer, action, created, case, field_names(values))
    return created


def save_changes(viewer: Viewer, obj: Recorded, values: dict[str, Any], *,
                 action: AuditAction) -> list[str]:
    """Set the values that differ on ``obj``, save them and audit their names; nothing is
    written when nothing changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=[*changed, "updated_at"])
        audit(viewer, action, obj, obj.case, field_names(changed))  # type: ignore[attr-defined]
    return changed
