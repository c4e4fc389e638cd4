"""The directory over the API: organisations (filtered as a referrer looks for a service), their
capacity, the service taxonomy and the agreements between organisations, for any token holder.

Organisations and agreements are facts of the referral network, not personal data: every member
reads them, as directory.selectors decides (inactive organisations only for those who manage the
directory). Capacity is written by the organisation's own admins and supervisors, agreements by
national coordinators and system admins: the same services, and the same refusals, as the pages.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict, Field, StringConstraints

from nrm.accounts.api import viewer_of
from nrm.directory.inputs import AgreementInput
from nrm.directory.models import Agreement, Organisation, OrganisationKind, SexServed
from nrm.directory.selectors import (
    OrganisationFilters,
    agreement_for_viewer,
    agreements_for_viewer,
    organisation_for_viewer,
    organisations_for_viewer,
)
from nrm.directory.services import agreement_create, agreement_update, organisation_capacity_set
from nrm.directory.taxonomy import SERVICE_TYPES

_PLAIN = r"^[^\x00-\x1f\x7f]*$"
_MULTILINE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_CODE = r"^[A-Za-z0-9_-]*$"
_MAX_ID = 2**63 - 1
_MOST_PLACES = 100_000


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


class OrganisationFiltersIn(_Input):
    q: Annotated[str, StringConstraints(max_length=100, pattern=_PLAIN)] = ""
    country: Annotated[str, StringConstraints(max_length=2, pattern=_CODE)] = ""
    region: Annotated[str, StringConstraints(max_length=6, pattern=_CODE)] = Field(
        default="", description="ISO 3166-2: organisations of the region or serving it")
    kind: OrganisationKind | None = None
    service: Annotated[str, StringConstraints(max_length=40, pattern=_CODE)] = ""
    language: Annotated[str, StringConstraints(max_length=3, pattern=_CODE)] = Field(
        default="", description="ISO 639")
    sex: SexServed | None = Field(default=None,
                                  description="the person's sex: organisations taking them in")
    age: int | None = Field(default=None, ge=0, le=120,
                            description="the person's age: organisations whose range holds it")
    children: bool | None = Field(default=None, description="takes in persons under 18")
    accompanied_children: bool | None = Field(
        default=None, description="takes in a person with their children")
    free_places: bool = Field(default=False, description="only those with a free place now")


class CapacityOut(Schema):
    places: int | None
    free_places: int | None
    updated_at: dt.datetime | None


class EligibilityOut(Schema):
    sexes_accepted: list[str]
    age_min: int | None
    age_max: int | None
    accepts_children: bool
    accompanied_children: bool


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    htcds_type: str
    country: str
    region: str
    coverage_regions: list[str]
    city: str
    address: str
    phone: str
    email: str
    website: str
    languages: list[str]
    services: list[str]
    is_first_responder: bool
    is_competent_authority: bool
    eligibility: EligibilityOut
    capacity: CapacityOut


class CapacityIn(_Input):
    places: int | None = Field(default=None, ge=0, le=_MOST_PLACES)
    free_places: int | None = Field(default=None, ge=0, le=_MOST_PLACES)


class ServiceTypeOut(Schema):
    code: str
    label: str


class PartyOut(Schema):
    id: int
    name: str
    country: str


class AgreementOut(Schema):
    id: int
    title: str
    reference: str
    signed_document: str
    parties: list[PartyOut]
    covers_referral: bool
    covers_data_sharing: bool
    services: list[str] = Field(description="services covered; empty: any service")
    signed_on: dt.date | None
    valid_from: dt.date
    valid_until: dt.date | None
    in_force: bool = Field(description="in force today")
    note: str


class AgreementIn(_Input):
    title: Annotated[str, StringConstraints(max_length=200, pattern=_PLAIN)]
    party_ids: list[Annotated[int, Field(ge=1, le=_MAX_ID)]] = Field(min_length=2, max_length=20)
    valid_from: dt.date
    valid_until: dt.date | None = None
    signed_on: dt.date | None = None
    reference: Annotated[str, StringConstraints(max_length=100, pattern=_PLAIN)] = ""
    signed_document: Annotated[str, StringConstraints(max_length=300, pattern=_PLAIN)] = ""
    covers_referral: bool = True
    covers_data_sharing: bool = False
    services: list[Annotated[str, StringConstraints(max_length=40, pattern=_CODE)]] = Field(
        default_factory=list, max_length=40)
    note: Annotated[str, StringConstraints(max_length=2000, pattern=_MULTILINE)] = ""

    def details(self) -> AgreementInput:
        return AgreementInput(
            title=self.title, party_ids=list(self.party_ids), valid_from=self.valid_from,
            valid_until=self.valid_until, signed_on=self.signed_on, reference=self.reference,
            signed_document=self.signed_document, covers_referral=self.covers_referral,
            covers_data_sharing=self.covers_data_sharing, services=list(self.services),
            note=self.note)


class AgreementFiltersIn(_Input):
    organisation_id: int | None = Field(default=None, ge=1, le=_MAX_ID)
    in_force: bool = Field(default=False, description="only those in force today")


class RefusalOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


_REFUSALS: dict[int, Any] = {401: RefusalOut, 422: RefusalOut}
_ONE_REFUSALS: dict[int, Any] = {**_REFUSALS, 404: RefusalOut}
_WRITE_REFUSALS: dict[int, Any] = {**_ONE_REFUSALS, 400: RefusalOut, 403: RefusalOut,
                                   413: RefusalOut}


router = Router(tags=["directory"])


def _organisation_out(organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=organisation.pk, name=organisation.name, short_name=organisation.short_name,
        kind=organisation.kind, htcds_type=organisation.htcds_type, country=organisation.country,
        region=organisation.region, coverage_regions=list(organisation.coverage_regions or []),
        city=organisation.city, address=organisation.address,
        phone=organisation.phone, email=organisation.email, website=organisation.website,
        languages=list(organisation.languages),
        services=sorted(service.code for service in organisation.services.all()),
        is_first_responder=organisation.is_first_responder,
        is_competent_authority=organisation.is_competent_authority,
        eligibility=EligibilityOut(
            sexes_accepted=list(organisation.sexes_accepted or []),
            age_min=organisation.age_min, age_max=organisation.age_max,
            accepts_children=organisation.accepts_children,
            accompanied_children=organisation.accompanied_children),
        capacity=CapacityOut(places=organisation.places, free_places=organisation.free_places,
                             updated_at=organisation.capacity_updated_at),
    )


def _agreement_out(agreement: Agreement) -> AgreementOut:
    return AgreementOut(
        id=agreement.pk, title=agreement.title, reference=agreement.reference,
        signed_document=agreement.signed_document,
        parties=[PartyOut(id=party.pk, name=party.name, country=party.country)
                 for party in agreement.parties.all()],
        covers_referral=agreement.covers_referral,
        covers_data_sharing=agreement.covers_data_sharing,
        services=sorted(service.code for service in agreement.services.all()),
        signed_on=agreement.signed_on, valid_from=agreement.valid_from,
        valid_until=agreement.valid_until, in_force=agreement.is_in_force(timezone.localdate()),
        note=agreement.note,
    )


@router.get("/organisations", response={200: list[OrganisationOut], **_REFUSALS},
            summary="Organisations of the directory, filtered by service, country, region, "
                    "language, eligibility and free capacity")
def organisations(
    request: HttpRequest, filters: Query[OrganisationFiltersIn]
) -> list[OrganisationOut]:
    found = organisations_for_viewer(
        viewer=viewer_of(request),
        filters=OrganisationFilters(
            text=filters.q, country=filters.country.upper(), kind=filters.kind or "",
            service=filters.service, region=filters.region.upper(),
            language=filters.language.lower(), sex=filters.sex or "", age=filters.age,
            children=filters.children, accompanied_children=filters.accompanied_children,
            free_places=filters.free_places),
    )
    return [_organisation_out(organisation) for organisation in found]


@router.get("/organisations/{organisation_id}",
            response={200: OrganisationOut, **_ONE_REFUSALS},
            summary="One organisation of the directory")
def organisation(
    request: HttpRequest, organisation_id: int = Path(..., ge=1, le=_MAX_ID)
) -> OrganisationOut:
    found = organisation_for_viewer(viewer=viewer_of(request), organisation_id=organisation_id)
    return _organisation_out(found)


@router.put("/organisations/{organisation_id}/capacity",
            response={200: OrganisationOut, **_WRITE_REFUSALS},
            summary="Record the organisation's places and free places now (its own admins and "
                    "supervisors)")
def organisation_capacity(
    request: HttpRequest, payload: CapacityIn,
    organisation_id: int = Path(..., ge=1, le=_MAX_ID),
) -> OrganisationOut:
    viewer = viewer_of(request)
    found = organisation_for_viewer(viewer=viewer, organisation_id=organisation_id)
    organisation_capacity_set(viewer=viewer, organisation=found, places=payload.places,
                              free_places=payload.free_places)
    return _organisation_out(organisation_for_viewer(viewer=viewer,
                                                     organisation_id=organisation_id))


@router.get("/service-types", response={200: list[ServiceTypeOut], **_REFUSALS},
            summary="The service taxonomy, labelled in the request's language")
def service_types(request: HttpRequest) -> list[ServiceTypeOut]:
    return [ServiceTypeOut(code=code, label=str(label)) for code, label in SERVICE_TYPES.items()]


@router.get("/agreements", response={200: list[AgreementOut], **_REFUSALS},
            summary="Agreements (MoUs) between organisations, of one organisation or in force")
def agreements(request: HttpRequest, filters: Query[AgreementFiltersIn]) -> list[AgreementOut]:
    viewer = viewer_of(request)
    organisation_filter = None
    if filters.organisation_id is not None:
        organisation_filter = organisation_for_viewer(viewer=viewer,
                                                      organisation_id=filters.organisation_id)
    found = agreements_for_viewer(
        viewer=viewer, organisation=organisation_filter,
        in_force_on=timezone.localdate() if filters.in_force else None)
    return [_agreement_out(agreement) for agreement in found]


@router.get("/agreements/{agreement_id}", response={200: AgreementOut, **_ONE_REFUSALS},
            summary="One agreement")
def agreement(request: HttpRequest,
              agreement_id: int = Path(..., ge=1, le=_MAX_ID)) -> AgreementOut:
    return _agreement_out(agreement_for_viewer(viewer=viewer_of(request),
                                               agreement_id=agreement_id))


def _checked(payload: AgreementIn) -> AgreementInput:
    if payload.valid_from.year < 1900 or (payload.valid_until and payload.valid_until.year > 2999):
        raise ValidationError({"valid_from": _("Give dates between 1900 and 2999.")})
    return payload.details()


@router.post("/agreements", response={201: AgreementOut, **_WRITE_REFUSALS},
             summary="Record an agreement (national coordinators of a party's country, system "
                     "admins)")
def agreement_record(request: HttpRequest, payload: AgreementIn) -> Status:
    viewer = viewer_of(request)
    created = agreement_create(viewer=viewer, details=_checked(payload))
    return Status(201, _agreement_out(agreement_for_viewer(viewer=viewer,
                                                           agreement_id=created.pk)))


@router.put("/agreements/{agreement_id}", response={200: AgreementOut, **_WRITE_REFUSALS},
            summary="Change an agreement: its parties, what it covers, its dates")
def agreement_change(request: HttpRequest, payload: AgreementIn,
                     agreement_id: int = Path(..., ge=1, le=_MAX_ID)) -> AgreementOut:
    viewer = viewer_of(request)
    found = agreement_for_viewer(viewer=viewer, agreement_id=agreement_id)
    agreement_update(viewer=viewer, agreement=found, details=_checked(payload))
    return _agreement_out(agreement_for_viewer(viewer=viewer, agreement_id=agreement_id))
