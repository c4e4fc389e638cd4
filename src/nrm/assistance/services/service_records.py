"""Service records: what was given, by whom, when, at what cost; shelter nights and the
amount of economic support checked against the dates and the service."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.assistance.access import (
    AssistanceAccess,
    require_access,
)
from nrm.assistance.choices import (
    ASSISTANCE_SERVICE_TYPES,
    ECONOMIC_SUPPORT,
    GUARDIANSHIP,
    SHELTER,
    ServiceOutcome,
)
from nrm.assistance.inputs import (
    ServiceInput,
)
from nrm.assistance.models import ServiceRecord, SupportPlan
from nrm.assistance.services._common import (
    ADULT_AGE,
    clean_text,
    create_recorded,
    past_date,
    refuse,
    save_changes,
)
from nrm.core.models import AuditAction
from nrm.core.money import check_amount, check_currency
from nrm.directory.models import Organisation
from nrm.referrals.choices import SHARED_STATUSES
from nrm.referrals.models import Referral
from nrm.registry import validation as check
from nrm.registry.models import Case


def _provider(access: AssistanceAccess, provider_id: int) -> Organisation:
    provider = Organisation.objects.filter(pk=provider_id).first()
    if provider is None:
        raise refuse("provider_id", _("That organisation is not in the directory."))
    if not access.owner and provider.pk != access.organisation_id:
        raise refuse("provider_id", _("Record only the services your own organisation "
                                       "gives."))
    return provider


def _referral(access: AssistanceAccess, referral_id: int | None) -> Referral | None:
    """The referral a record answers. A receiving organisation's records answer its own
    referral of the case; the case's organisation may link a record to any referral of the case
    that was accepted (a partner's services it records for them)."""
    if access.receives:
        if referral_id is None or (access.referral and referral_id == access.referral.pk):
            return access.referral
        found = Referral.objects.filter(pk=referral_id, case=access.case,
                                        to_organisation_id=access.organisation_id).first()
    elif referral_id is None:
        return None
    else:
        found = Referral.objects.filter(pk=referral_id, case=access.case,
                                        status__in=SHARED_STATUSES).first()
    if found is None:
        raise refuse("referral_id", _("Choose a referral of this case that was accepted."))
    return found


def _check_child(case: Case, started_on: dt.date) -> None:
    birth_year = case.person.birth_year
    # Only when the person was certainly an adult: born in 2000, they may be 17 until December
    # 2018.
    if birth_year is not None and started_on.year - birth_year > ADULT_AGE:
        raise refuse("service_type", _("Guardianship is for children; the person was an "
                                        "adult when it started."))


def _check_nights(service: ServiceInput, *, today: dt.date) -> int | None:
    if service.service_type != SHELTER:
        if service.nights is not None:
            raise refuse("nights", _("Only a shelter stay counts nights."))
        return None
    if service.nights is None:
        if service.ended_on is not None:
            raise refuse("nights", _("Give the number of nights of the shelter stay."))
        return None
    if service.nights < 1:
        raise refuse("nights", _("A shelter stay counts at least one night."))
    last = service.ended_on or today
    possible = (last - service.started_on).days
    if service.nights > possible:
        raise refuse("nights", _("%(nights)s nights do not fit between %(start)s and %(end)s "
                                  "(at most %(possible)s).")
                      % {"nights": service.nights, "start": service.started_on.isoformat(),
                         "end": last.isoformat(), "possible": possible})
    return service.nights


def _check_money(service: ServiceInput) -> tuple[Decimal | None, Decimal | None, str]:
    cost = check_amount("cost", service.cost)
    amount = check_amount("amount", service.amount)
    if service.service_type == ECONOMIC_SUPPORT:
        if amount is None or amount == 0:
            raise refuse("amount", _("Give the amount of economic support the person "
                                      "received."))
    elif amount is not None:
        raise refuse("amount", _("Only economic support records an amount given to the "
                                  "person; write other costs as the cost."))
    if cost is None and amount is None:
        if service.currency.strip():
            raise refuse("currency", _("Give a cost or an amount, or leave the currency "
                                        "empty."))
        return None, None, ""
    if not service.currency.strip():
        raise refuse("currency", _("Give the currency of the cost, such as KGS."))
    return cost, amount, check_currency("currency", service.currency)


def _service_values(access: AssistanceAccess, service: ServiceInput) -> dict[str, Any]:
    """Every check on a service record; the values to save."""
    case = access.case
    today = timezone.localdate()
    if service.service_type not in ASSISTANCE_SERVICE_TYPES:
        raise refuse("service_type", _("Choose a service from the list."))
    provider = _provider(access, service.provider_id)
    past_date("started_on", service.started_on)
    past_date("ended_on", service.ended_on, not_before=service.started_on,
               not_before_message=_("The service cannot end before it starts."))
    check.check_choices("outcome", [service.outcome], ServiceOutcome.values)
    if service.ended_on is not None and service.outcome == ServiceOutcome.IN_PROGRESS:
        raise refuse("outcome", _("The service has ended: say what came of it."))
    if service.ended_on is None and service.outcome != ServiceOutcome.IN_PROGRESS:
        raise refuse("ended_on", _("Give the date the service ended."))
    if service.service_type == GUARDIANSHIP:
        _check_child(case, service.started_on)
    nights = _check_nights(service, today=today)
    cost, amount, currency = _check_money(service)
    plan = None
    if service.support_plan_id is not None:
        plan = SupportPlan.objects.filter(pk=service.support_plan_id, case=case).first()
        if plan is None:
            raise refuse("support_plan_id", _("Choose one of this case's support plans."))
    return {
        "service_type": service.service_type, "provider": provider,
        "started_on": service.started_on, "ended_on": service.ended_on, "cost": cost,
        "currency": currency, "nights": nights, "amount": amount, "outcome": service.outcome,
        "note": clean_text("note", service.note, 2000), "support_plan": plan,
        "referral": _referral(access, service.referral_id),
    }


@transaction.atomic
def service_record(*, viewer: Viewer, case: Case, service: ServiceInput) -> ServiceRecord:
    """Record a service given to the person, by the case's organisation or by an organisation
    the case was referred to (which records only the services it gives itself)."""
    access = require_access(viewer=viewer, case=case)
    if not access.records_services:
        raise PermissionDenied(_("Your organisation may not record services on this case."))
    values = _service_values(access, service)
    return create_recorded(ServiceRecord, viewer, case, values,
                           action=AuditAction.SERVICE_RECORDED)


@transaction.atomic
def service_update(*, viewer: Viewer, record: ServiceRecord,
                   service: ServiceInput) -> ServiceRecord:
    """Bring a service record up to date (its end, nights, cost, outcome). The case's own
    organisation may change any record on its case; a receiving organisation only its own."""
    access = require_access(viewer=viewer, case=record.case)
    if not (access.records_services and access.sees_record(record.recorded_for_id)):
        raise PermissionDenied(_("Your organisation may not change this service record."))
    values = _service_values(access, service)
    save_changes(viewer, record, values, action=AuditAction.SERVICE_RECORDED)
    return record
