"""Criminal proceedings over the API: what a client may send and what it gets back.

Law enforcement on a case gets the whole case (offenders pseudonymous, victims by their registry
case's code only); a victim's case worker gets the victim view: stage, hearing dates, the
person's role and compensation, nothing that could endanger the investigation.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from nrm.justice.choices import (
    CompensationRoute,
    Cooperation,
    LegalAssistanceOutcome,
    OffenderOutcome,
    OffenderRole,
    ParticipantRole,
    Stage,
)
from nrm.justice.models import (
    CaseLink,
    Compensation,
    CriminalCase,
    LegalAssistanceRequest,
    Offender,
    Participant,
    Qualification,
)
from nrm.justice.selectors import CompensationView, VictimView
from nrm.registry.schemas import PLAIN_TEXT, Input, OrganisationRefOut, RecordId, organisation_ref


def _plain(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(max_length=max_length, min_length=min_length, pattern=PLAIN_TEXT)


Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
CountryOrBlank = Annotated[str, StringConstraints(pattern=r"^([A-Z]{2})?$")]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]{3}$")]
CaseNumber = Annotated[str, _plain(60, min_length=1)]
Text = Annotated[str, _plain(2000)]
ShortText = Annotated[str, _plain(300)]
Label = Annotated[str, _plain(20, min_length=1)]
CaseCode = Annotated[str, _plain(40, min_length=1)]
Amount = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]
ArticleIds = Annotated[list[RecordId], Field(min_length=1, max_length=40)]


# --- input -----------------------------------------------------------------------------------

class CriminalCaseIn(Input):
    country: Country
    number: CaseNumber
    investigating_agency_id: RecordId
    prosecutor_office_id: RecordId | None = None
    opened_on: dt.date
    article_ids: ArticleIds
    unregistered_victims: int = Field(default=0, ge=0, le=100_000)


class QualificationIn(Input):
    article_ids: ArticleIds
    valid_from: dt.date
    reason: Text


class StageIn(Input):
    stage: Stage
    on: dt.date
    reason: Text = ""


class HearingIn(Input):
    on: dt.date
    court: ShortText = ""


class ParticipantIn(Input):
    case_code: CaseCode
    role: ParticipantRole
    cooperation: Cooperation = Cooperation.NOT_ASKED
    declined_reason: Text = ""
    protection_measures: Text = ""
    legal_representative: ShortText = ""
    interpreter: bool = False
    psychologist: bool = False


class ParticipantChangeIn(Input):
    role: ParticipantRole | None = None
    cooperation: Cooperation | None = None
    declined_reason: Text | None = None
    protection_measures: Text | None = None
    legal_representative: ShortText | None = None
    interpreter: bool | None = None
    psychologist: bool | None = None


class UnregisteredVictimsIn(Input):
    count: int = Field(ge=0, le=100_000)


class OffenderIn(Input):
    label: Label
    sex: Annotated[str, _plain(24)] = ""
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    citizenship: CountryOrBlank = ""
    roles: list[OffenderRole] = Field(min_length=1, max_length=8)
    article_ids: list[RecordId] = Field(default_factory=list, max_length=40)


class OffenderOutcomeIn(Input):
    outcome: OffenderOutcome
    outcome_on: dt.date | None = None
    sentence_months: int | None = Field(default=None, ge=0, le=1200)
    sentence_suspended: bool = False
    assets_confiscated: Amount | None = None
    assets_currency: Currency | None = None


class CaseLinkIn(Input):
    to_country: Country
    to_number: CaseNumber
    note: ShortText = ""


class LegalAssistanceIn(Input):
    requesting_country: Country
    requested_country: Country
    subject: Annotated[str, _plain(300, min_length=1)]
    sent_on: dt.date
    answer_due_on: dt.date | None = None


class LegalAssistanceAnswerIn(Input):
    answered_on: dt.date
    outcome: LegalAssistanceOutcome


class CompensationIn(Input):
    route: CompensationRoute
    currency: Currency
    claimed: Amount | None = None
    claimed_on: dt.date | None = None
    awarded: Amount | None = None
    awarded_on: dt.date | None = None
    paid: Amount | None = None
    paid_on: dt.date | None = None


# --- output ----------------------------------------------------------------------------------

class ArticleOut(Schema):
    id: int
    country: str
    number: str
    category: str
    title: str


class QualificationOut(Schema):
    id: int
    valid_from: dt.date
    reason: str
    articles: list[ArticleOut]


class StageChangeOut(Schema):
    stage: str
    on: dt.date
    reason: str


class HearingOut(Schema):
    id: int
    on: dt.date
    court: str


class CompensationOut(Schema):
    route: str
    currency: str
    claimed: Decimal | None
    claimed_on: dt.date | None
    awarded: Decimal | None
    awarded_on: dt.date | None
    paid: Decimal | None
    paid_on: dt.date | None


class ParticipantOut(Schema):
    id: int
    case_code: str
    role: str
    cooperation: str
    declined_reason: str
    protection_measures: str
    legal_representative: str
    interpreter: bool
    psychologist: bool
    compensations: list[CompensationOut]


class ChargeOut(Schema):
    article: ArticleOut
    outcome: str


class OffenderOut(Schema):
    id: int
    label: str
    sex: str
    birth_year: int | None
    citizenship: str
    roles: list[str]
    outcome: str
    outcome_on: dt.date | None
    sentence_months: int | None
    sentence_suspended: bool
    assets_confiscated: Decimal | None
    assets_currency: str
    charges: list[ChargeOut]


class LinkedCaseOut(Schema):
    country: str
    number: str
    note: str


class LegalAssistanceOut(Schema):
    id: int
    requesting_country: str
    requested_country: str
    subject: str
    sent_on: dt.date
    answer_due_on: dt.date | None
    answered_on: dt.date | None
    outcome: str


class CriminalCaseSummaryOut(Schema):
    id: int
    country: str
    number: str
    investigating_agency: OrganisationRefOut
    prosecutor_office: OrganisationRefOut | None
    opened_on: dt.date
    stage: str
    stage_since: dt.date
    unregistered_victims: int


class CriminalCaseOut(CriminalCaseSummaryOut):
    qualifications: list[QualificationOut]
    stages: list[StageChangeOut]
    hearings: list[HearingOut]
    participants: list[ParticipantOut]
    offenders: list[OffenderOut]
    links: list[LinkedCaseOut]
    legal_assistance: list[LegalAssistanceOut]


class VictimViewOut(Schema):
    participant_id: int
    country: str
    stage: str
    stage_since: dt.date
    upcoming_hearings: list[dt.date]
    past_hearings: list[dt.date]
    role: str
    cooperation: str
    compensations: list[CompensationOut]


def _article_out(article: object) -> ArticleOut:
    return ArticleOut.model_validate(article, from_attributes=True)


def compensation_out(compensation: Compensation | CompensationView) -> CompensationOut:
    return CompensationOut.model_validate(compensation, from_attributes=True)


def qualification_out(qualification: Qualification) -> QualificationOut:
    return QualificationOut(id=qualification.pk, valid_from=qualification.valid_from,
                            reason=qualification.reason,
                            articles=[_article_out(a) for a in qualification.articles.all()])


def participant_out(participant: Participant) -> ParticipantOut:
    return ParticipantOut(
        id=participant.pk, case_code=participant.case.code, role=participant.role,
        cooperation=participant.cooperation, declined_reason=participant.declined_reason,
        protection_measures=participant.protection_measures,
        legal_representative=participant.legal_representative,
        interpreter=participant.interpreter, psychologist=participant.psychologist,
        compensations=[compensation_out(c) for c in participant.compensations.all()])


def offender_out(offender: Offender) -> OffenderOut:
    return OffenderOut(
        id=offender.pk, label=offender.label, sex=offender.sex, birth_year=offender.birth_year,
        citizenship=offender.citizenship, roles=list(offender.roles), outcome=offender.outcome,
        outcome_on=offender.outcome_on, sentence_months=offender.sentence_months,
        sentence_suspended=offender.sentence_suspended,
        assets_confiscated=offender.assets_confiscated, assets_currency=offender.assets_currency,
        charges=[ChargeOut(article=_article_out(charge.article), outcome=charge.outcome)
                 for charge in offender.charges.all()])


def legal_assistance_out(request: LegalAssistanceRequest) -> LegalAssistanceOut:
    return LegalAssistanceOut.model_validate(request, from_attributes=True)


def criminal_case_summary_out(criminal_case: CriminalCase) -> CriminalCaseSummaryOut:
    prosecutor = criminal_case.prosecutor_office
    return CriminalCaseSummaryOut(
        id=criminal_case.pk, country=criminal_case.country, number=criminal_case.number,
        investigating_agency=OrganisationRefOut(
            id=criminal_case.investigating_agency.pk, name=criminal_case.investigating_agency.name,
            country=criminal_case.investigating_agency.country),
        prosecutor_office=organisation_ref(prosecutor) if prosecutor else None,
        opened_on=criminal_case.opened_on, stage=criminal_case.stage,
        stage_since=criminal_case.stage_since,
        unregistered_victims=criminal_case.unregistered_victims)


def criminal_case_out(criminal_case: CriminalCase, links: list[CaseLink]) -> CriminalCaseOut:
    summary = criminal_case_summary_out(criminal_case)
    linked = []
    for link in links:
        other = link.to_case if link.from_case_id == criminal_case.pk else link.from_case
        linked.append(LinkedCaseOut(country=other.country, number=other.number, note=link.note))
    return CriminalCaseOut(
        **summary.model_dump(),
        qualifications=[qualification_out(q) for q in criminal_case.qualifications.all()],
        stages=[StageChangeOut(stage=s.stage, on=s.on, reason=s.reason)
                for s in criminal_case.stage_changes.all()],
        hearings=[HearingOut(id=h.pk, on=h.on, court=h.court)
                  for h in criminal_case.hearings.all()],
        participants=[participant_out(p) for p in criminal_case.participants.all()],
        offenders=[offender_out(o) for o in criminal_case.offenders.all()],
        links=linked,
        legal_assistance=[legal_assistance_out(r)
                          for r in criminal_case.legal_assistance_requests.all()],
    )


def victim_view_out(view: VictimView) -> VictimViewOut:
    return VictimViewOut(
        participant_id=view.participant_id, country=view.country, stage=view.stage,
        stage_since=view.stage_since, upcoming_hearings=list(view.upcoming_hearings),
        past_hearings=list(view.past_hearings), role=view.role, cooperation=view.cooperation,
        compensations=[compensation_out(c) for c in view.compensations])
