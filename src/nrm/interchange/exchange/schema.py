"""The payload of an exchange package, schema ``nrm-exchange/1``: pydantic models whose field
names are HTCDS 2.0 field names (prs_, vic_, hte_, cas_, con_, org_) with HTCDS value names, and
nrm's own parts named in the same style (ref_ for the referral, ret_ for the return journey,
doc_ for documents, agr_ for the agreement relied on).

The same models validate a package that arrives and give the JSON Schema that the API
publishes (`/api/v1/exchange/schema.json`), so that the two cannot drift apart. A change that a
version-1 reader could not read is a new version, "nrm-exchange/2".
"""

# The field names are HTCDS's own (prs_FirstName), mixed case and all: that is the point.
# ruff: noqa: N815
from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)

from nrm.assistance.choices import Escort, TravelDocumentKind, TravelDocumentStatus
from nrm.core.countries import country_codes
from nrm.directory.models import OrganisationKind
from nrm.directory.taxonomy import SERVICE_TYPES
from nrm.interchange.exchange.identity import DEPLOYMENT_ID_PATTERN
from nrm.registry.choices import (
    AgeBand,
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
from nrm.registry.forms import DocumentKind
from nrm.registry.schemas import (
    PLAIN_TEXT,
    Address,
    City,
    Language,
    LatinName,
    Name,
    Phone,
    Region,
)

SCHEMA_VERSION = "nrm-exchange/1"
SCHEMA_ID = "urn:nrm:schema:nrm-exchange:1"

# Fields named in HTCDS's style (its prefixes) that the standard does not have: nrm keeps more
# than HTCDS (the data dictionary marks them *nrm*). Every other prefixed name is HTCDS's own.
NRM_FIELDS = frozenset({
    "prs_Code", "prs_AgeBand", "prs_OtherLanguages", "prs_BirthYear", "prs_LatinName",
    "prs_Aliases", "prs_BirthdateEstimated", "prs_IdentityDocuments", "prs_OtherPhones",
    "prs_Addresses", "cas_EntryPoint", "hte_Events", "org_Ref", "org_Kind"})
# Value names nrm adds to an HTCDS picklist (forced criminality: HTCDS issue #28).
NRM_VALUES = {"vic_TypeOfExploitation": frozenset({"ForcedCriminality"})}


def pascal_case(code: str) -> str:
    """``psycho_social`` → ``PsychoSocial``: nrm's codes as HTCDS-style value names."""
    return "".join(part.capitalize() for part in code.split("_"))


# The service taxonomy (directory.taxonomy) as value names, both ways.
SERVICE_VALUE_NAMES = {code: pascal_case(code) for code in SERVICE_TYPES}
SERVICE_CODES = {name: code for code, name in SERVICE_VALUE_NAMES.items()}
URGENCY_VALUE_NAMES = {"emergency": "Emergency", "urgent": "Urgent", "routine": "Routine"}
ORGANISATION_KIND_VALUE_NAMES = {kind.value: pascal_case(kind.value) for kind in OrganisationKind}


def _one_of(values: list[str]) -> Any:
    def check(value: str) -> str:
        if value not in values:
            raise ValueError(f"must be one of {', '.join(values)}")
        return value

    return check


def _picklist(values: list[str], description: str) -> tuple[Any, Any]:
    return (AfterValidator(_one_of(values)),
            WithJsonSchema({"type": "string", "enum": values, "description": description}))


def _text(max_length: int, min_length: int = 0) -> StringConstraints:
    return StringConstraints(max_length=max_length, min_length=min_length, pattern=PLAIN_TEXT)


def _known_country(code: str) -> str:
    if code not in country_codes():
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


Country = Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$"),
                    AfterValidator(_known_country)]
ServiceName = Annotated[str, *_picklist(sorted(SERVICE_CODES),
                                        "nrm's service taxonomy, as value names")]
OrganisationKindName = Annotated[str, *_picklist(sorted(ORGANISATION_KIND_VALUE_NAMES.values()),
                                                 "nrm's kind of organisation")]
DeploymentId = Annotated[str, StringConstraints(pattern=DEPLOYMENT_ID_PATTERN)]
Ref = Annotated[str, _text(64, min_length=1)]
Code = Annotated[str, StringConstraints(pattern=r"^[2-9A-HJKMNP-Z]{9}$")]
# YYYY, YYYY-MM or YYYY-MM-DD: nrm keeps partial birth dates and event dates.
PartialDate = Annotated[str, StringConstraints(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")]
Text = Annotated[str, _text(2000)]
ShortText = Annotated[str, _text(300)]

# HTCDS picklists that nrm does not store as choices of its own.
OrganisationType = Literal[
    "NGO", "LawEnforcement", "HealthServiceOrganisation", "CentralGovernmentOrganisation",
    "LocalGovernmentOrganisation", "ImmigrationService", "LegalService", "CorporateBusiness",
    "SchoolOrCollege"]
ReasonForReferral = Literal["AdditionalServicesRequired", "MigrationOrChangeOfLocation", "Other"]
Urgency = Literal["Emergency", "Urgent", "Routine"]

# nrm's own picklists, as value names in HTCDS's style: entry points, identity documents, and
# the return journey's travel documents and escorts (assistance's choices).
ENTRY_POINT_VALUE_NAMES = {code: pascal_case(code) for code in EntryPoint.values}
DOCUMENT_VALUE_NAMES = {code: pascal_case(code) for code in DocumentKind.values}
TRAVEL_DOCUMENT_VALUE_NAMES = {code: pascal_case(code) for code in TravelDocumentKind.values}
TRAVEL_DOCUMENT_STATUS_VALUE_NAMES = {code: pascal_case(code)
                                      for code in TravelDocumentStatus.values}
# "None" would read as JSON's null: the person who travels without escort "TravelsAlone".
ESCORT_VALUE_NAMES = {code: "TravelsAlone" if code == Escort.NONE else pascal_case(code)
                      for code in Escort.values}
EntryPointName = Annotated[str, *_picklist(list(ENTRY_POINT_VALUE_NAMES.values()),
                                           "How the person came to the NRM (nrm's entry points)")]
DocumentTypeName = Annotated[str, *_picklist(list(DOCUMENT_VALUE_NAMES.values()),
                                             "nrm's kinds of identity document")]
TravelDocumentName = Annotated[str, *_picklist(list(TRAVEL_DOCUMENT_VALUE_NAMES.values()),
                                               "nrm's kinds of travel document")]
TravelDocumentStatusName = Annotated[str, *_picklist(
    list(TRAVEL_DOCUMENT_STATUS_VALUE_NAMES.values()), "Where the travel document stands")]
EscortName = Annotated[str, *_picklist(list(ESCORT_VALUE_NAMES.values()),
                                       "Who travels with the person")]


def _field_name_as_title(name: str, info: Any) -> str:
    return getattr(info, "alias", None) or name


class Part(BaseModel):
    # A field the reader does not know would be silently lost: refuse it instead. The schema's
    # titles are the field names themselves, as HTCDS spells them.
    model_config = ConfigDict(extra="forbid", frozen=True,
                              field_title_generator=_field_name_as_title)


class ExchangeOrganisation(Part):
    """An organisation (HTCDS org_), with its id in the directory of the deployment it works
    in, so that the receiving deployment finds it."""

    org_Ref: Ref = Field(description="Its id in its own deployment's directory")
    org_Name: Annotated[str, _text(200, min_length=1)]
    org_Type: OrganisationType
    org_Kind: OrganisationKindName | None = None
    org_ShippingCountry: Country
    org_ShippingCity: City = ""
    org_Phone: Phone = ""


class ExchangeAgreement(Part):
    """The agreement (MoU) in force between the two organisations that the referral relies on."""

    agr_Title: Annotated[str, _text(200, min_length=1)]
    agr_Reference: Annotated[str, _text(100)] = ""
    agr_ValidFrom: dt.date
    agr_ValidUntil: dt.date | None = None


class ExchangeReferral(Part):
    """The referral itself (HTCDS cas_ referral details): who refers whom to whom, for what."""

    ref_Code: Code = Field(description="The referral's code in the sending deployment")
    cas_ReferringOrganisation: ExchangeOrganisation
    cas_ReferringPrimaryCaseWorker: Annotated[str, _text(200)] = ""
    cas_ReferredOrganisation: ExchangeOrganisation
    cas_OutgoingReferralDate: dt.date
    cas_ReasonForOutgoingReferral: ReasonForReferral = "AdditionalServicesRequired"
    cas_OutgoingReferralDetails: Text = ""
    ref_ServicesRequested: list[ServiceName] = Field(min_length=1, max_length=len(SERVICE_TYPES))
    ref_Urgency: Urgency
    ref_AccompanyingChildren: int = Field(default=0, ge=0, le=20)
    ref_SharedFields: list[str] = Field(
        default_factory=list, max_length=40,
        description="The person's fields the referrer chose to share; no other carries a value")
    con_Consent: Literal[True] = Field(
        description="The person consented to sharing these fields with the referred "
                    "organisation, across the border")
    ref_Agreement: ExchangeAgreement | None = None


class ExchangeDocument(Part):
    """An identity document: its kind (Other for a kind nrm does not list), number, country."""

    doc_Type: DocumentTypeName
    doc_Number: Annotated[str, _text(60, min_length=1)]
    doc_Country: Country | Literal[""] = ""


class ExchangeEvent(Part):
    """A trafficking event (HTCDS hte_)."""

    hte_Type: EventStage
    hte_Country: Country
    hte_State: Region = ""
    hte_City: City = ""
    hte_Date: PartialDate | Literal[""] = ""
    hte_Description: Text = ""


class ExchangePerson(Part):
    """The person referred and what happened to them, within the shared scope: the pseudonymous
    code always (it identifies no one), every other field only if the referrer shared it. The
    fields follow nrm's shareable fields (referrals.sharing), listed in ref_SharedFields."""

    prs_Code: Code = Field(description="The person's pseudonymous code in the sending "
                                       "deployment")
    prs_Gender: Sex | None = None
    prs_AgeBand: AgeBand | None = Field(default=None, description="CTDC age band")
    prs_PrimaryLanguage: Language = ""
    prs_SecondaryLanguage: Language = ""
    prs_OtherLanguages: list[Language] = Field(default_factory=list, max_length=18)
    prs_BirthYear: int | None = Field(default=None, ge=1900, le=2100)
    prs_Citizenship: list[Country] = Field(default_factory=list, max_length=10)
    # Identity.
    prs_FirstName: Name = ""
    prs_MiddleName: Name = Field(default="", description="The patronymic")
    prs_SecondName: Name = ""
    prs_LatinName: LatinName = ""
    prs_Aliases: list[Name] = Field(default_factory=list, max_length=20)
    prs_Birthdate: PartialDate | Literal[""] = ""
    prs_BirthdateEstimated: bool = False
    prs_IdentityDocuments: list[ExchangeDocument] = Field(default_factory=list, max_length=10)
    prs_MobilePhone: Phone = ""
    prs_OtherPhones: list[Phone] = Field(default_factory=list, max_length=10)
    prs_Addresses: list[Address] = Field(default_factory=list, max_length=10)
    # What happened.
    cas_EntryPoint: EntryPointName | None = None
    vic_TypeOfExploitation: list[ExploitationType] = Field(default_factory=list, max_length=12)
    vic_ForcedLabourIndustry: LabourIndustry | None = None
    vic_TypeOfSexExploitation: list[SexualExploitationType] = Field(default_factory=list,
                                                                    max_length=4)
    vic_MethodsOfControl: list[MeansOfControl] = Field(default_factory=list, max_length=16)
    vic_MethodOfRecruitment: list[RecruitmentMethod] = Field(default_factory=list,
                                                            max_length=10)
    vic_RelationshipToTrafficker: RecruiterRelationship | None = None
    hte_Events: list[ExchangeEvent] = Field(default_factory=list, max_length=20)


# Sent with every package: it identifies no one.
ALWAYS_SENT = frozenset({"prs_Code"})
# What ref_SharedFields may name: the person's fields, and the events' descriptions (shared
# apart from the events themselves).
EVENT_DESCRIPTIONS = "hte_Description"
SHAREABLE_FIELDS = (*(name for name in ExchangePerson.model_fields if name not in ALWAYS_SENT),
                    EVENT_DESCRIPTIONS)
IDENTITY_FIELDS = frozenset({
    "prs_FirstName", "prs_MiddleName", "prs_SecondName", "prs_LatinName", "prs_Aliases",
    "prs_Birthdate", "prs_BirthdateEstimated", "prs_IdentityDocuments", "prs_MobilePhone",
    "prs_OtherPhones", "prs_Addresses"})


class ExchangeTravelDocument(Part):
    """A travel document for the return (assistance's ReturnJourney.travel_documents): no
    number, which would be an identity document."""

    doc_Type: TravelDocumentName
    doc_Status: TravelDocumentStatusName


class ExchangeReturnJourney(Part):
    """The return home, as the sending side plans it (assistance's ReturnJourney): travel date,
    countries, travel documents, escort, and the organisation that receives the person. The
    reception on arrival is recorded by the receiving deployment."""

    ret_TravelDate: dt.date
    ret_DepartureCountry: Country
    ret_ArrivalCountry: Country
    ret_TravelDocuments: list[ExchangeTravelDocument] = Field(default_factory=list,
                                                              max_length=10)
    ret_Escort: EscortName = ESCORT_VALUE_NAMES[Escort.NONE]
    ret_EscortDetails: ShortText = ""
    ret_ReceivingOrganisation: ExchangeOrganisation | None = Field(
        default=None, description="Who receives the person on arrival; org_Ref is its id in "
                                  "the receiving deployment's directory")

    @model_validator(mode="after")
    def _crosses_a_border(self) -> ExchangeReturnJourney:
        if self.ret_DepartureCountry == self.ret_ArrivalCountry:
            raise ValueError("ret_DepartureCountry and ret_ArrivalCountry must differ")
        return self


class ExchangePayload(Part):
    """What a package carries, once decrypted. It repeats the envelope's package id, sender,
    recipient and times, so that a package re-signed or re-addressed by someone else fails."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              field_title_generator=_field_name_as_title,
                              json_schema_extra={"$id": SCHEMA_ID})

    schema_version: Literal["nrm-exchange/1"] = Field(alias="schema")
    package_id: uuid.UUID
    sender: DeploymentId
    recipient: DeploymentId
    created_at: dt.datetime
    expires_at: dt.datetime
    referral: ExchangeReferral
    person: ExchangePerson
    return_journey: ExchangeReturnJourney | None = None

    @model_validator(mode="after")
    def _only_shared_fields_carry_values(self) -> ExchangePayload:
        shared = set(self.referral.ref_SharedFields)
        unknown = sorted(shared - set(SHAREABLE_FIELDS))
        if unknown:
            raise ValueError(f"ref_SharedFields names fields the person part does not have: "
                             f"{', '.join(unknown)}")
        unshared = sorted(name for name in ExchangePerson.model_fields
                          if name not in ALWAYS_SENT and name not in shared
                          and getattr(self.person, name) not in (None, "", [], False))
        if EVENT_DESCRIPTIONS not in shared and any(
                event.hte_Description for event in self.person.hte_Events):
            unshared.append(EVENT_DESCRIPTIONS)
        if unshared:
            raise ValueError(f"fields carry values but are not among ref_SharedFields: "
                             f"{', '.join(unshared)}")
        return self

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True)


def published_json_schema(payload: type[BaseModel], version: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a payload that an envelope carries, titled by its
    schema version, as the API publishes it."""
    schema = payload.model_json_schema(by_alias=True, mode="validation")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema,
            "title": version}


def exchange_json_schema() -> dict[str, Any]:
    """The JSON Schema of a package's payload, as the API publishes it."""
    return published_json_schema(ExchangePayload, SCHEMA_VERSION)
