"""Writing audit entries. Services call `audit_record` inside their own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from nrm.core.middleware import current_ip
from nrm.core.models import AuditAction, AuditEntry


def audit_record(
    *,
    actor: Any,
    organisation_id: int | None,
    action: AuditAction,
    obj: models.Model | None = None,
    person_code: str = "",
    fields: Iterable[str] = (),
    purpose: str = "",
) -> AuditEntry:
    """Write one audit entry: who, from which organisation, did what, to what, why, from where."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        organisation_id=organisation_id,
        action=action,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        person_code=person_code,
        fields=sorted(set(fields)),
        purpose=purpose[:200],
        ip=current_ip.get(),
    )
