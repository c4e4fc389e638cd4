"""A referral that arrives from another nrm deployment in an exchange package: recorded in the
receiving organisation's inbox with no case here, and, when it is accepted, the person registered
from the shared data (registry.services.person_register), so that the receiver works on a case
of its own.

The package itself (its signature, encryption, replay and expiry checks, its preview) is the
interchange app's; it calls `referral_receive` once the package is verified.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nrm.accounts.roles import REGISTERING_ROLES
from nrm.accounts.viewer import Viewer
from nrm.core.codes import format_code, normalise_code
from nrm.core.countries import validate_country
from nrm.core.models import AuditAction
from nrm.directory.models import Organisation
from nrm.referrals import sharing
from nrm.referrals.choices import ReferralOrigin, ReferralStatus, Urgency
from nrm.referrals.deadlines import deadline_for
from nrm.referrals.models import Referral
from nrm.referrals.services.common import (
    MAX_CHILDREN,
    NOTE_LIMIT,
    RECEIVED,
    _audit,
    _step,
    _tell_receiver,
    _text,
    unique_referral_code,
)
from nrm.referrals.services.sending import check_services
from nrm.registry.choices import EntryPoint, Sex
from nrm.registry.inputs import CaseInput, DocumentInput, EventInput, IdentityInput, PersonInput
from nrm.registry.models import Case
from nrm.registry.services import person_register

# What a package may carry: the code and the shareable fields, nothing else.
_KNOWN_KEYS = frozenset({sharing.ALWAYS, *sharing.SHAREABLE, "events"})


def _shared_fields_of(shared: Mapping[str, Any]) -> list[str]:
    fields = [code for code in sharing.SHAREABLE if code in shared and code != "events"]
    if "events" in shared:
        fields.append("events")
        if any(isinstance(event, dict) and event.get("description")
               for event in shared.get("events") or []):
            fields.append("event_descriptions")
    return fields


@transaction.atomic
def referral_receive(
    *, viewer: Viewer, sending_deployment: str, external_code: str, sender_name: str,
    from_country: str, services: list[str], urgency: str, shared: Mapping[str, Any],
    note: str = "", accompanying_children: int = 0, sent_at: dt.datetime | None = None,
    from_organisation: Organisation | None = None,
) -> Referral:
    """Record a referral to the viewer's organisation that arrived, verified, in a package from
    another deployment; refuse one already received (the same deployment and code)."""
    if viewer.role not in REGISTERING_ROLES:
        raise PermissionDenied(_("Only case workers may receive referrals for their "
                                 "organisation."))
    receiver = viewer.membership.organisation
    sending_deployment = _text("sending_deployment", sending_deployment, 200,
                               required=_("Name the sending deployment."))
    external_code = _text("external_code", external_code, 64,
                          required=_("Give the referral's code in the sending deployment."))
    sender_name = _text("sender_name", sender_name, 200,
                        required=_("Name the referring organisation."))
    from_country = from_country.strip().upper()
    try:
        validate_country(from_country)
    except ValidationError as exc:
        raise ValidationError({"from_country": exc.messages}) from None
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": _("Choose how urgent the referral is.")})
    if not 0 <= accompanying_children <= MAX_CHILDREN:
        raise ValidationError({"accompanying_children": _(
            "Give a number of children between 0 and %(max)s.") % {"max": MAX_CHILDREN}})
    unknown = sorted(set(shared) - _KNOWN_KEYS)
    if unknown or not shared.get(sharing.ALWAYS):
        raise ValidationError({"shared": _(
            "The shared data holds fields that may not be shared, or lacks the person's code.")})
    services = check_services(receiver, services)
    if Referral.objects.filter(sending_deployment=sending_deployment,
                               external_code=external_code).exists():
        raise ValidationError(_("This referral was already received; nothing was added."))
    now = timezone.now()
    deadline = deadline_for(country=receiver.country, urgency=urgency, sent_at=now)
    referral = Referral.objects.create(
        code=unique_referral_code(), origin=ReferralOrigin.PACKAGE,
        from_organisation=from_organisation, from_country=from_country, sender_name=sender_name,
        sending_deployment=sending_deployment, external_code=external_code,
        to_organisation=receiver, to_country=receiver.country, services_requested=services,
        urgency=urgency, accompanying_children=accompanying_children,
        note=_text("note", note, NOTE_LIMIT), shared_fields=_shared_fields_of(shared),
        shared=dict(shared), sex=str(shared.get("sex") or ""),
        age_band=str(shared.get("age_band") or ""), sent_at=sent_at or now,
        due_at=deadline.due_at, expires_at=deadline.expires_at,
    )
    _step(referral, ReferralStatus.SENT, at=referral.sent_at, viewer=None)
    _audit(viewer, AuditAction.REFERRAL_SENT, referral,
           fields=[sharing.ALWAYS, *referral.shared_fields],
           purpose=f"received from {sending_deployment}"[:200])
    _tell_receiver(referral, RECEIVED[Urgency(urgency)],
                   due=timezone.localtime(referral.due_at).strftime("%Y-%m-%d %H:%M"))
    return referral


def _partial(value: Mapping[str, Any] | None) -> str:
    """A shared partial date back into the YYYY, YYYY-MM or YYYY-MM-DD a registration takes."""
    if not value or not value.get("value"):
        return ""
    text, precision = str(value["value"]), value.get("precision", "day")
    return {"year": text[:4], "estimated": text[:4], "month": text[:7]}.get(precision, text)


def register_from_package(*, viewer: Viewer, referral: Referral) -> Case:
    """Register the person of an accepted package referral in the viewer's organisation, from
    what was shared. Without a shared name, the sender's pseudonymous code is kept as an alias,
    so that the record can be told apart and traced back to the sending deployment."""
    shared = referral.shared or {}
    names = shared.get("names") or {}
    aliases = list(shared.get("aliases") or [])
    if not (names.get("given_name") or names.get("family_name") or aliases):
        code = str(shared.get(sharing.ALWAYS, ""))
        aliases = [format_code(code) if normalise_code(code) else code]
    exploitation = shared.get("exploitation") or {}
    recruitment = shared.get("recruitment") or {}
    birth_year = shared.get("birth_year")
    entry_point = shared.get("entry_point") or EntryPoint.OTHER
    return person_register(
        viewer=viewer,
        person=PersonInput(
            sex=shared.get("sex") or Sex.UNKNOWN, birth_year=birth_year,
            age_band="" if birth_year else str(shared.get("age_band") or ""),
            citizenships=list(shared.get("citizenships") or []),
            languages=list(shared.get("languages") or [])),
        identity=IdentityInput(
            given_name=str(names.get("given_name", "")),
            patronymic=str(names.get("patronymic", "")),
            family_name=str(names.get("family_name", "")),
            latin_name=str(names.get("latin_name", "")), aliases=aliases,
            birth_date=_partial(shared.get("birth_date")),
            documents=[DocumentInput(kind=str(document.get("kind", "other")),
                                     number=str(document.get("number", "")),
                                     country=str(document.get("country", "")))
                       for document in shared.get("documents") or []],
            phones=list(shared.get("phones") or []),
            addresses=list(shared.get("addresses") or [])),
        case=CaseInput(
            entry_point=entry_point,
            exploitation_types=list(exploitation.get("exploitation_types") or []),
            labour_industry=str(exploitation.get("labour_industry") or ""),
            sexual_exploitation_types=list(exploitation.get("sexual_exploitation_types") or []),
            means_of_control=list(shared.get("means_of_control") or []),
            recruitment_methods=list(recruitment.get("recruitment_methods") or []),
            recruiter_relationship=str(recruitment.get("recruiter_relationship") or "")),
        events=[EventInput(stage=str(event.get("stage", "")), country=str(event.get("country", "")),
                           region=str(event.get("region", "")), city=str(event.get("city", "")),
                           date=_partial({"value": event.get("date"),
                                          "precision": event.get("date_precision", "day")}),
                           description=str(event.get("description", "")))
                for event in shared.get("events") or []],
    )
