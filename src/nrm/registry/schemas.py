"""The registry's API schemas: what a client may send (bounded, typed) and what it gets back.

Inputs refuse what is malformed or oversized before any service runs; the services still check
meaning (real dates, known countries, who may do what). Values are HTCDS value names, as stored.
Outputs are built explicitly, so that identifying fields leave only when the selector gave them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, cast

from django.db.models import QuerySet
from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints

from nrm.core.models import AuditAction, AuditEntry
from nrm.registry.choices import (
    AgeBand,
    CaseStatus,
    ConsentMethod,
    ConsentPurpose,
    EntryPoint,
    EventStage,
    ExploitationType,
    LabourIndustry,
    MeansOfControl,
    RecruiterRelationship,
    RecruitmentMethod,
    Sex,
    SexualExploitationType,
)
from nrm.registry.inputs import (
    CaseInput,
    ConsentInput,
    DocumentInput,
    EventInput,
    IdentityInput,
    PersonInput,
)
from nrm.registry.models import Case, Consent, Identity, Person, TraffickingEvent

# Control characters have no place in a name or a note, and PostgreSQL refuses NUL outright.
PLAIN_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
# The largest id a database key can hold; a bigger number is refused here, not by the database.
MAX_ID = 2**63 - 1


def _plain(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(max_length=max_length, min_length=min_length, pattern=PLAIN_TEXT)


Name = Annotated[str, _plain(200)]
LatinName = Annotated[str, _plain(300)]
Country = Annotated[str, _plain(2)]
Region = Annotated[str, _plain(6)]
City = Annotated[str, _plain(100)]
Language = Annotated[str, _plain(3)]
PartialDate = Annotated[str, _plain(10)]  # YYYY, YYYY-MM or YYYY-MM-DD; services check the date
Note = Annotated[str, _plain(2000)]
Reason = Annotated[str, _plain(1000)]
DocumentKind = Annotated[str, _plain(40, min_length=1)]
DocumentNumber = Annotated[str, _plain(60, min_length=1)]
Phone = Annotated[str, _plain(40)]
Address = Annotated[str, _plain(300)]
CodeText = Annotated[str, _plain(16)]
SearchText = Annotated[str, _plain(200, min_length=1)]
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Input(Schema):
    # An unknown field is most often a typo; saying so beats silently dropping it.
    model_config = ConfigDict(extra="forbid")


# --- inputs ----------------------------------------------------------------------------------

class PersonIn(Input):
    sex: Sex = Sex.UNKNOWN
    birth_year: int | None = Field(default=None, ge=0, le=9999)
    age_band: AgeBand | None = None
    citizenships: list[Country] = Field(default_factory=list, max_length=10)
    languages: list[Language] = Field(default_factory=list, max_length=20)

    def to_input(self) -> PersonInput:
        return PersonInput(
            sex=self.sex, birth_year=self.birth_year, age_band=self.age_band or "",
            citizenships=list(self.citizenships), languages=list(self.languages),
        )


class DocumentIn(Input):
    kind: DocumentKind
    number: DocumentNumber
    country: Country = ""


class IdentityIn(Input):
    given_name: Name = ""
    patronymic: Name = ""
    family_name: Name = ""
    latin_name: LatinName = ""
    aliases: list[Name] = Field(default_factory=list, max_length=20)
    birth_date: PartialDate = ""
    birth_date_estimated: bool = False
    documents: list[DocumentIn] = Field(default_factory=list, max_length=10)
    phones: list[Phone] = Field(default_factory=list, max_length=10)
    addresses: list[Address] = Field(default_factory=list, max_length=10)

    def to_input(self) -> IdentityInput:
        return IdentityInput(
            given_name=self.given_name, patronymic=self.patronymic, family_name=self.family_name,
            latin_name=self.latin_name, aliases=list(self.aliases), birth_date=self.birth_date,
            birth_date_estimated=self.birth_date_estimated,
            documents=[DocumentInput(kind=d.kind, number=d.number, country=d.country)
                       for d in self.documents],
            phones=list(self.phones), addresses=list(self.addresses),
        )


class CaseIn(Input):
    entry_point: EntryPoint = EntryPoint.OTHER
    opened_on: dt.date | None = None
    status: CaseStatus = CaseStatus.ACTIVE
    case_worker_id: RecordId | None = None
    exploitation_types: list[ExploitationType] = Field(default_factory=list, max_length=12)
    labour_industry: LabourIndustry | None = None
    sexual_exploitation_types: list[SexualExploitationType] = Field(default_factory=list,
                                                                    max_length=4)
    means_of_control: list[MeansOfControl] = Field(default_factory=list, max_length=16)
    recruitment_methods: list[RecruitmentMethod] = Field(default_factory=list, max_length=10)
    recruiter_relationship: RecruiterRelationship | None = None

    def to_input(self) -> CaseInput:
        return CaseInput(**_case_values(self.model_dump()))


class CaseChangesIn(Input):
    """A PATCH: only the fields sent change; the others keep their value."""

    entry_point: EntryPoint | None = None
    opened_on: dt.date | None = None
    status: CaseStatus | None = None
    case_worker_id: RecordId | None = None
    exploitation_types: list[ExploitationType] | None = Field(default=None, max_length=12)
    labour_industry: LabourIndustry | None = None
    sexual_exploitation_types: list[SexualExploitationType] | None = Field(default=None,
                                                                           max_length=4)
    means_of_control: list[MeansOfControl] | None = Field(default=None, max_length=16)
    recruitment_methods: list[RecruitmentMethod] | None = Field(default=None, max_length=10)
    recruiter_relationship: RecruiterRelationship | None = None

    def applied_to(self, case: Case) -> CaseInput:
        current = {name: getattr(case, name) for name in CaseIn.model_fields}
        sent = self.model_dump(exclude_unset=True)
        # null means "clear" for the optional picklists, "keep" for the others.
        for name in ("entry_point", "opened_on", "status", "case_worker_id"):
            if sent.get(name, ...) is None:
                del sent[name]
        return CaseInput(**_case_values({**current, **sent}))


def _case_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        **values,
        "labour_industry": values["labour_industry"] or "",
        "recruiter_relationship": values["recruiter_relationship"] or "",
        "exploitation_types": list(values["exploitation_types"] or []),
        "sexual_exploitation_types": list(values["sexual_exploitation_types"] or []),
        "means_of_control": list(values["means_of_control"] or []),
        "recruitment_methods": list(values["recruitment_methods"] or []),
    }


class CaseCloseIn(Input):
    closed_on: dt.date
    reason: Reason
    referred: bool = False


class EventIn(Input):
    stage: EventStage
    country: Country
    region: Region = ""
    city: City = ""
    date: PartialDate = ""
    description: Note = ""

    def to_input(self) -> EventInput:
        return EventInput(stage=self.stage, country=self.country, region=self.region,
                          city=self.city, date=self.date, description=self.description)


class ConsentIn(Input):
    purpose: ConsentPurpose
    given: bool
    method: ConsentMethod
    recipient_id: RecordId | None = None
    guardian_name: Name = ""
    guardian_consented: bool | None = None

    def to_input(self) -> ConsentInput:
        return ConsentInput(purpose=self.purpose, given=self.given, method=self.method,
                            recipient_id=self.recipient_id, guardian_name=self.guardian_name,
                            guardian_consented=self.guardian_consented)


class PersonRegisterIn(Input):
    person: PersonIn = PersonIn()
    identity: IdentityIn
    case: CaseIn = CaseIn()
    events: list[EventIn] = Field(default_factory=list, max_length=20)
    consents: list[ConsentIn] = Field(default_factory=list, max_length=12)


class PageIn(Input):
    """limit/offset paging with bounds, so that no number reaches the database unchecked."""

    limit: int = Field(default=50, ge=1, le=200)
    offset: int = Field(default=0, ge=0, le=10_000_000)


class CaseFilters(PageIn):
    mine: bool = False
    status: CaseStatus | None = None


class AuditFilters(PageIn):
    action: AuditAction | None = None
    actor_id: RecordId | None = None
    person_code: CodeText = ""
    since: dt.date | None = None
    until: dt.date | None = None


class SearchIn(Input):
    q: SearchText


# --- outputs ---------------------------------------------------------------------------------

class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None
    existing: dict[str, str] | None = None


# The refusals every object endpoint of the API can answer with (nrm.api's handlers), for
# reads and for writes; each app's router uses these rather than its own copy.
REFUSALS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_REFUSALS: dict[int, Any] = {**REFUSALS, 400: ErrorOut, 409: ErrorOut, 413: ErrorOut}


class OrganisationRefOut(Schema):
    id: int
    name: str
    country: str


class PersonOut(Schema):
    """The pseudonymous attributes statistics need; nothing that identifies."""

    code: str
    display_code: str
    sex: str
    birth_year: int | None
    age_band: str
    citizenships: list[str]
    languages: list[str]


class DocumentOut(Schema):
    kind: str
    number: str
    country: str


class IdentityOut(Schema):
    given_name: str
    patronymic: str
    family_name: str
    latin_name: str
    aliases: list[str]
    birth_date: str
    birth_date_precision: str
    documents: list[DocumentOut]
    phones: list[str]
    addresses: list[str]


class EventOut(Schema):
    id: int
    stage: str
    country: str
    region: str
    city: str
    date: dt.date | None
    date_precision: str
    # Free text may name people or places that identify; only for those who see identity.
    description: str | None = None


class ConsentOut(Schema):
    id: int
    purpose: str
    given: bool
    method: str
    recipient: OrganisationRefOut | None
    recorded_at: dt.datetime
    recorded_by: str
    guardian_consented: bool | None
    guardian_name: str | None = None
    withdrawn_at: dt.datetime | None
    in_force: bool


class CaseSummaryOut(Schema):
    code: str
    display_code: str
    person_code: str
    organisation: OrganisationRefOut
    case_worker: str | None
    status: str
    opened_on: dt.date
    closed_on: dt.date | None
    entry_point: str
    exploitation_types: list[str]


class CaseOut(CaseSummaryOut):
    closure_reason: str
    labour_industry: str
    sexual_exploitation_types: list[str]
    means_of_control: list[str]
    recruitment_methods: list[str]
    recruiter_relationship: str
    person: PersonOut
    events: list[EventOut]
    consents: list[ConsentOut]
    identity: IdentityOut | None = None


class CasePageOut(Schema):
    items: list[CaseSummaryOut]
    count: int


class PersonFoundOut(PersonOut):
    cases: list[CaseSummaryOut]


class AuditEntryOut(Schema):
    id: int
    at: dt.datetime
    actor: str | None
    organisation: OrganisationRefOut | None
    action: int
    action_label: str
    object_type: str
    object_id: str
    person_code: str
    fields: list[str]
    purpose: str


class AuditEntryFullOut(AuditEntryOut):
    ip: str | None


class AccessLogPageOut(Schema):
    items: list[AuditEntryOut]
    count: int


class AuditPageOut(Schema):
    items: list[AuditEntryFullOut]
    count: int


# --- building outputs ------------------------------------------------------------------------

def page_of(queryset: QuerySet[Any], page: PageIn) -> tuple[list[Any], int]:
    """The rows of one page, and how many there are in all."""
    return list(queryset[page.offset:page.offset + page.limit]), queryset.count()


def organisation_ref(organisation: Any) -> OrganisationRefOut | None:
    if organisation is None:
        return None
    return OrganisationRefOut(id=organisation.pk, name=organisation.name,
                              country=organisation.country)


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        code=person.code, display_code=person.display_code, sex=person.sex,
        birth_year=person.birth_year, age_band=person.age_band,
        citizenships=list(person.citizenships), languages=list(person.languages),
    )


def identity_out(identity: Identity) -> IdentityOut:
    # An encrypted JSON field; the service stores a list of {kind, number, country}.
    documents = cast(list[dict[str, str]], identity.documents or [])
    return IdentityOut(
        given_name=identity.given_name, patronymic=identity.patronymic,
        family_name=identity.family_name, latin_name=identity.latin_name,
        aliases=list(identity.aliases or []), birth_date=identity.birth_date,
        birth_date_precision=identity.birth_date_precision,
        documents=[DocumentOut(kind=d.get("kind", ""), number=d.get("number", ""),
                               country=d.get("country", "")) for d in documents],
        phones=list(identity.phones or []), addresses=list(identity.addresses or []),
    )


def event_out(event: TraffickingEvent, *, with_description: bool) -> EventOut:
    return EventOut(
        id=event.pk, stage=event.stage, country=event.country, region=event.region,
        city=event.city, date=event.date, date_precision=event.date_precision,
        description=event.description if with_description else None,
    )


def consent_out(consent: Consent, *, with_guardian: bool) -> ConsentOut:
    return ConsentOut(
        id=consent.pk, purpose=consent.purpose, given=consent.given, method=consent.method,
        recipient=organisation_ref(consent.recipient), recorded_at=consent.recorded_at,
        recorded_by=consent.recorded_by.username, guardian_consented=consent.guardian_consented,
        guardian_name=consent.guardian_name if with_guardian else None,
        withdrawn_at=consent.withdrawn_at, in_force=consent.in_force,
    )


def case_summary_out(case: Case) -> CaseSummaryOut:
    return CaseSummaryOut(**_summary_values(case))


def _summary_values(case: Case) -> dict[str, Any]:
    return {
        "code": case.code, "display_code": case.display_code, "person_code": case.person.code,
        "organisation": organisation_ref(case.organisation),
        "case_worker": case.case_worker.username if case.case_worker else None,
        "status": case.status, "opened_on": case.opened_on, "closed_on": case.closed_on,
        "entry_point": case.entry_point, "exploitation_types": list(case.exploitation_types),
    }


def case_out(case: Case, *, identity: Identity | None, notes: bool = False) -> CaseOut:
    """The case; identity only if given, event notes and guardians' names only with it or when
    ``notes`` says the caller just wrote them (a service let them act on the case)."""
    sees_identity = notes or identity is not None
    consents = case.person.consents.select_related("recipient", "recorded_by")
    return CaseOut(
        **_summary_values(case),
        closure_reason=case.closure_reason, labour_industry=case.labour_industry,
        sexual_exploitation_types=list(case.sexual_exploitation_types),
        means_of_control=list(case.means_of_control),
        recruitment_methods=list(case.recruitment_methods),
        recruiter_relationship=case.recruiter_relationship,
        person=person_out(case.person),
        events=[event_out(e, with_description=sees_identity) for e in case.events.all()],
        consents=[consent_out(c, with_guardian=sees_identity) for c in consents],
        identity=identity_out(identity) if identity is not None else None,
    )


def person_found_out(person: Person) -> PersonFoundOut:
    return PersonFoundOut(
        **person_out(person).model_dump(),
        cases=[CaseSummaryOut(**_summary_values(case)) for case in person.cases.all()],
    )


def _audit_values(entry: AuditEntry) -> dict[str, Any]:
    return {
        "id": entry.pk, "at": entry.at, "actor": entry.actor.username if entry.actor else None,
        "organisation": organisation_ref(entry.organisation), "action": entry.action,
        "action_label": str(AuditAction(entry.action).label), "object_type": entry.object_type,
        "object_id": entry.object_id, "person_code": entry.person_code,
        "fields": list(entry.fields), "purpose": entry.purpose,
    }


def audit_entry_out(entry: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(**_audit_values(entry))


def audit_entry_full_out(entry: AuditEntry) -> AuditEntryFullOut:
    """With the IP address, for those who read the audit log as such."""
    return AuditEntryFullOut(**_audit_values(entry), ip=entry.ip)
