"""The referrals API's schemas: what a client may send (bounded, typed) and what it gets back.

Outputs are built explicitly from what the selectors gave: the receiving organisation's view of a
shared case carries only the fields that were shared (the others are absent, not empty), and a
referral read from the receiving side never carries the referrer's case code or override reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from nrm.directory.models import Organisation
from nrm.referrals.choices import ReferralStatus, Urgency
from nrm.referrals.models import Referral, ReferralStatusChange, ResponseDeadlines
from nrm.referrals.selectors import REFERRER, ReferralSeen, SharedCase
from nrm.referrals.services import MAX_CHILDREN, NOTE_LIMIT, REASON_LIMIT
from nrm.referrals.sharing import SHAREABLE, SHAREABLE_FIELDS
from nrm.registry.schemas import MAX_ID, PLAIN_TEXT

ShareableCode = Annotated[str, StringConstraints(max_length=40, pattern=r"^[a-z_]*$")]
ServiceCode = Annotated[str, StringConstraints(max_length=40, pattern=r"^[a-z_]*$")]
NoteText = Annotated[str, StringConstraints(max_length=NOTE_LIMIT, pattern=PLAIN_TEXT)]
ReasonText = Annotated[str, StringConstraints(max_length=REASON_LIMIT, pattern=PLAIN_TEXT)]

_FIELDS_DOC = "Fields to share besides the pseudonymous code: " + ", ".join(
    field.code for field in SHAREABLE_FIELDS)


class Input(Schema):
    model_config = ConfigDict(extra="forbid")


class ReferralIn(Input):
    case_code: Annotated[str, StringConstraints(max_length=16, pattern=PLAIN_TEXT)] = Field(
        description="The pseudonymous code of the case to refer")
    receiver_id: int = Field(ge=1, le=MAX_ID, description="The organisation referred to")
    services: list[ServiceCode] = Field(min_length=1, max_length=20,
                                        description="Codes of the service taxonomy")
    urgency: Urgency
    shared_fields: list[ShareableCode] = Field(default_factory=list, max_length=20,
                                               description=_FIELDS_DOC)
    note: NoteText = ""
    accompanying_children: int = Field(default=0, ge=0, le=MAX_CHILDREN)
    override_reason: ReasonText = Field(
        default="", description="A supervisor's reason to override a missing consent in an "
                                "emergency, same country only")
    submission_key: Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9-]*$")] \
        = Field(default="", description="A one-time key: sending it twice creates nothing twice")


class ReasonIn(Input):
    reason: ReasonText


class CompletionIn(Input):
    note: NoteText = ""


class DeadlinesIn(Input):
    emergency_hours: int = Field(ge=1, le=2160)
    urgent_hours: int = Field(ge=1, le=2160)
    routine_hours: int = Field(ge=1, le=2160)
    expiry_hours: int = Field(ge=1, le=2160)


class OrganisationRefOut(Schema):
    id: int
    name: str
    country: str


class StepOut(Schema):
    status: ReferralStatus
    at: dt.datetime
    by: str | None
    organisation: str | None
    reason: str


class ProfileOut(Schema):
    """Non-identifying, where shared: part of the inbox summary."""

    sex: str | None = None
    age_band: str | None = None
    languages: list[str] | None = None


class ReferralSummaryOut(Schema):
    """A line of the inbox or of the referrals sent."""

    code: str
    status: ReferralStatus
    sender_name: str
    from_country: str
    to_organisation: OrganisationRefOut
    services_requested: list[str]
    urgency: Urgency
    accompanying_children: int
    sent_at: dt.datetime
    due_at: dt.datetime
    overdue: bool


class ReferralOut(ReferralSummaryOut):
    """One referral, as its referring or its receiving side may read it."""

    side: str = Field(description="referrer or receiver: the side the caller reads it from")
    origin: str
    case_code: str | None = Field(description="The referred case: referring side only")
    from_organisation: OrganisationRefOut | None
    note: str
    shared_fields: list[str]
    profile: ProfileOut
    consent_overridden: bool
    override_reason: str | None = Field(description="Referring side only")
    agreement_id: int | None
    expires_at: dt.datetime
    responded_at: dt.datetime | None
    decline_reason: str
    started_at: dt.datetime | None
    completed_at: dt.datetime | None
    completion_note: str
    closed_at: dt.datetime | None
    cancel_reason: str
    history: list[StepOut]


class NamesOut(Schema):
    given_name: str
    patronymic: str
    family_name: str
    latin_name: str


class PartialDateOut(Schema):
    value: str
    precision: str


class DocumentOut(Schema):
    kind: str
    number: str
    country: str = ""


class ExploitationOut(Schema):
    exploitation_types: list[str]
    labour_industry: str
    sexual_exploitation_types: list[str]


class RecruitmentOut(Schema):
    recruitment_methods: list[str]
    recruiter_relationship: str


class SharedEventOut(Schema):
    stage: str
    country: str
    region: str
    city: str
    date: str
    date_precision: str
    description: str | None = None


class SharedCaseOut(Schema):
    """The shared fields and nothing more: a field not shared is absent from the answer."""

    referral_code: str
    status: ReferralStatus
    person_code: str
    sex: str | None = None
    age_band: str | None = None
    languages: list[str] | None = None
    birth_year: int | None = None
    citizenships: list[str] | None = None
    names: NamesOut | None = None
    aliases: list[str] | None = None
    birth_date: PartialDateOut | None = None
    documents: list[DocumentOut] | None = None
    phones: list[str] | None = None
    addresses: list[str] | None = None
    entry_point: str | None = None
    exploitation: ExploitationOut | None = None
    means_of_control: list[str] | None = None
    recruitment: RecruitmentOut | None = None
    events: list[SharedEventOut] | None = None


class DeadlinesOut(Schema):
    country: str
    emergency_hours: int
    urgent_hours: int
    routine_hours: int
    expiry_hours: int
    country_set: bool = Field(description="false: the defaults, the country has set none")


# --- builders ---------------------------------------------------------------------------------

def _organisation(organisation: Organisation) -> OrganisationRefOut:
    return OrganisationRefOut(id=organisation.pk, name=organisation.name,
                              country=organisation.country)


def _step(step: ReferralStatusChange) -> StepOut:
    return StepOut(status=ReferralStatus(step.status), at=step.at,
                   by=step.by.get_username() if step.by else None,
                   organisation=str(step.organisation) if step.organisation else None,
                   reason=step.reason)


def _summary(referral: Referral, now: dt.datetime) -> dict[str, Any]:
    return {
        "code": referral.code, "status": ReferralStatus(referral.status),
        "sender_name": referral.sender_label, "from_country": referral.from_country,
        "to_organisation": _organisation(referral.to_organisation),
        "services_requested": list(referral.services_requested),
        "urgency": Urgency(referral.urgency),
        "accompanying_children": referral.accompanying_children,
        "sent_at": referral.sent_at, "due_at": referral.due_at,
        "overdue": referral.status == ReferralStatus.SENT and referral.due_at < now,
    }


def referral_summary_out(referral: Referral, now: dt.datetime) -> ReferralSummaryOut:
    return ReferralSummaryOut(**_summary(referral, now))


def referral_out(seen: ReferralSeen, now: dt.datetime) -> ReferralOut:
    referral = seen.referral
    referrer = seen.side == REFERRER
    return ReferralOut(
        **_summary(referral, now), side=seen.side, origin=referral.origin,
        case_code=referral.case.code if referrer and referral.case else None,
        from_organisation=_organisation(referral.from_organisation)
        if referral.from_organisation else None,
        note=referral.note, shared_fields=list(referral.shared_fields),
        profile=ProfileOut(**seen.profile), consent_overridden=referral.consent_overridden,
        override_reason=referral.override_reason if referrer else None,
        agreement_id=referral.agreement_id, expires_at=referral.expires_at,
        responded_at=referral.responded_at, decline_reason=referral.decline_reason,
        started_at=referral.started_at, completed_at=referral.completed_at,
        completion_note=referral.completion_note, closed_at=referral.closed_at,
        cancel_reason=referral.cancel_reason,
        history=[_step(step) for step in referral.history.all()],
    )


def shared_case_out(shared: SharedCase) -> SharedCaseOut:
    """Only the keys that were shared are set, so that the others stay out of the answer."""
    values: dict[str, Any] = {code: value for code, value in shared.values.items()
                              if code in SHAREABLE and code != "event_descriptions"}
    return SharedCaseOut(referral_code=shared.referral.code,
                         status=ReferralStatus(shared.referral.status),
                         person_code=shared.person_code, **values)


def deadlines_out(rules: ResponseDeadlines) -> DeadlinesOut:
    return DeadlinesOut(country=rules.country, emergency_hours=rules.emergency_hours,
                        urgent_hours=rules.urgent_hours, routine_hours=rules.routine_hours,
                        expiry_hours=rules.expiry_hours, country_set=rules.pk is not None)
