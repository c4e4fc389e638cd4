"""The return journey across a border and its reception on arrival. check_return_journey and
check_reception validate without saving, for exchange packages from another deployment."""

from __future__ import annotations

import datetime as dt
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
    Escort,
    ReturnStatus,
    TravelDocumentKind,
    TravelDocumentStatus,
)
from nrm.assistance.inputs import (
    ReceptionInput,
    ReturnJourneyInput,
)
from nrm.assistance.models import ReturnJourney
from nrm.assistance.services._common import (
    MAX_TRAVEL_DOCUMENTS,
    audit,
    clean_text,
    create_recorded,
    past_date,
    planned_date,
    refuse,
    save_changes,
)
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.registry import validation as check
from nrm.registry.models import Case


def check_return_journey(journey: ReturnJourneyInput, *,
                         today: dt.date | None = None) -> dict[str, Any]:
    """Every check on a return journey, without saving it: the values to save. Also for an
    exchange package that carries a journey from another deployment."""
    today = today or timezone.localdate()
    check.check_countries("from_country", [journey.from_country])
    check.check_countries("to_country", [journey.to_country])
    if journey.from_country == journey.to_country:
        raise refuse("to_country", _("A return crosses a border: the two countries must "
                                      "differ."))
    planned_date("travel_on", journey.travel_on, today=today)
    documents = []
    for document in journey.travel_documents:
        check.check_choices("travel_documents", [document.kind], TravelDocumentKind.values)
        check.check_choices("travel_documents", [document.status], TravelDocumentStatus.values)
        documents.append({"kind": document.kind, "status": document.status})
    if len(documents) > MAX_TRAVEL_DOCUMENTS:
        raise refuse("travel_documents", _("List at most %(count)s travel documents.")
                      % {"count": MAX_TRAVEL_DOCUMENTS})
    kinds = [document["kind"] for document in documents
             if document["kind"] != TravelDocumentKind.OTHER]
    if len(kinds) != len(set(kinds)):
        raise refuse("travel_documents", _("List each kind of travel document once."))
    check.check_choices("escort", [journey.escort], Escort.values)
    escort_details = clean_text("escort_details", journey.escort_details, 300)
    if journey.escort == Escort.NONE and escort_details:
        raise refuse("escort_details", _("Describe the escort only when the person travels "
                                          "with one."))
    receiving = None
    if journey.receiving_organisation_id is not None:
        receiving = Organisation.objects.filter(pk=journey.receiving_organisation_id).first()
        if receiving is None:
            raise refuse("receiving_organisation_id",
                          _("That organisation is not in the directory."))
        if receiving.country != journey.to_country:
            raise refuse("receiving_organisation_id",
                          _("The receiving organisation must be in the country of return."))
    return {
        "from_country": journey.from_country, "to_country": journey.to_country,
        "travel_on": journey.travel_on, "travel_documents": documents,
        "escort": journey.escort, "escort_details": escort_details,
        "receiving_organisation": receiving,
    }


def _require_returns(access: AssistanceAccess) -> None:
    if not access.records_returns:
        raise PermissionDenied(_("Only the case's own organisation may plan its return."))


@transaction.atomic
def return_journey_record(*, viewer: Viewer, case: Case,
                          journey: ReturnJourneyInput) -> ReturnJourney:
    """Plan the person's return across a border: documents, escort, travel date, partner."""
    _require_returns(require_access(viewer=viewer, case=case))
    values = check_return_journey(journey)
    return create_recorded(ReturnJourney, viewer, case, values,
                           action=AuditAction.RETURN_CHANGED)


@transaction.atomic
def return_journey_update(*, viewer: Viewer, journey: ReturnJourney,
                          changes: ReturnJourneyInput) -> ReturnJourney:
    """Bring a planned return up to date (documents issued, a new date, the escort)."""
    _require_returns(require_access(viewer=viewer, case=journey.case))
    if journey.status == ReturnStatus.CANCELLED:
        raise refuse("travel_on", _("This return was cancelled; plan a new one instead."))
    values = check_return_journey(changes)
    if journey.arrived_on is not None and values["travel_on"] > journey.arrived_on:
        raise refuse("travel_on", _("The person arrived on %(date)s: the travel date cannot "
                                     "be later.") % {"date": journey.arrived_on.isoformat()})
    save_changes(viewer, journey, values, action=AuditAction.RETURN_CHANGED)
    return journey


@transaction.atomic
def return_journey_cancel(*, viewer: Viewer, journey: ReturnJourney,
                          reason: str) -> ReturnJourney:
    """Cancel a return that has not taken place, with the reason."""
    _require_returns(require_access(viewer=viewer, case=journey.case))
    if journey.status != ReturnStatus.PLANNED:
        raise refuse("reason", _("Only a planned return can be cancelled."))
    journey.cancel_reason = clean_text("reason", reason, 2000, required=True)
    journey.status = ReturnStatus.CANCELLED
    journey.save(update_fields=["cancel_reason", "status", "updated_at"])
    audit(viewer, AuditAction.RETURN_CHANGED, journey, journey.case,
           ["status", "cancel_reason"])
    return journey


def check_reception(journey: ReturnJourney | None, reception: ReceptionInput, *,
                    travel_on: dt.date) -> dict[str, Any]:
    """Every check on a reception on arrival, without saving it: the values to save."""
    if journey is not None and journey.status == ReturnStatus.CANCELLED:
        raise refuse("arrived_on", _("This return was cancelled."))
    past_date("arrived_on", reception.arrived_on, not_before=travel_on,
               not_before_message=_("The person cannot arrive before the travel date."))
    return {
        "arrived_on": reception.arrived_on,
        "received_by": clean_text("received_by", reception.received_by, 200),
        "reception_notes": clean_text("notes", reception.notes, 2000),
    }


@transaction.atomic
def return_reception_record(*, viewer: Viewer, journey: ReturnJourney,
                            reception: ReceptionInput) -> ReturnJourney:
    """Record the person's reception on arrival: by the receiving partner working on the case
    by referral, or by the case's own organisation when the partner reports it."""
    access = require_access(viewer=viewer, case=journey.case)
    if not access.records_reception(journey.receiving_organisation_id):
        raise PermissionDenied(_("Only the receiving organisation or the case's own "
                                 "organisation may record the reception."))
    values = check_reception(journey, reception, travel_on=journey.travel_on)
    values.update(status=ReturnStatus.ARRIVED, reception_recorded_by=viewer.user,
                  reception_recorded_for_id=viewer.organisation_id)
    save_changes(viewer, journey, values, action=AuditAction.RETURN_CHANGED)
    return journey
