"""A country's response deadlines."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.audit import audit_record
from nrm.core.countries import country_name, validate_country
from nrm.core.models import AuditAction
from nrm.referrals.deadlines import LONGEST_HOURS
from nrm.referrals.models import ResponseDeadlines


@transaction.atomic
def response_deadlines_set(
    *, viewer: Viewer, country: str, emergency_hours: int, urgent_hours: int,
    routine_hours: int, expiry_hours: int,
) -> ResponseDeadlines:
    """Set how long a country's organisations have to answer referrals, by urgency, and when an
    unanswered one expires: its national coordinator, or a system admin for any country."""
    country = country.strip().upper()
    if not (viewer.role == Role.SYSTEM_ADMIN
            or (viewer.role == Role.NATIONAL_COORDINATOR and viewer.country == country)):
        raise PermissionDenied(
            _("Only the country's national coordinator may set its response deadlines."))
    try:
        validate_country(country)
    except ValidationError as exc:
        raise ValidationError({"country": exc.messages}) from None
    values: dict[str, Any] = {"emergency_hours": emergency_hours, "urgent_hours": urgent_hours,
                              "routine_hours": routine_hours, "expiry_hours": expiry_hours}
    for field, hours in values.items():
        if not 1 <= hours <= LONGEST_HOURS:
            raise ValidationError({field: _("Give a number of hours between 1 and %(max)s.")
                                   % {"max": LONGEST_HOURS}})
    if not emergency_hours <= urgent_hours <= routine_hours:
        raise ValidationError({"urgent_hours": _(
            "An emergency must be answered no later than an urgent referral, and an urgent one "
            "no later than a routine one.")})
    rules = (ResponseDeadlines.objects.filter(country=country).first()
             or ResponseDeadlines(country=country))
    changed = [name for name, value in values.items()
               if rules.pk is None or getattr(rules, name) != value]
    for name, value in values.items():
        setattr(rules, name, value)
    rules.save()
    audit_record(actor=viewer.user, organisation_id=viewer.organisation_id,
                 action=AuditAction.COUNTRY_RULES_CHANGED, obj=rules, fields=changed,
                 purpose=f"referral deadlines {country_name(country)}"[:200])
    return rules
