"""The directory over the API: organisations and the service taxonomy, for any token holder.

Organisations are facts of the referral network, not personal data: every member reads the
directory, as directory.selectors decides (inactive ones only for those who manage it).
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import ConfigDict, StringConstraints

from nrm.accounts.api import viewer_of
from nrm.directory.models import Organisation, OrganisationKind
from nrm.directory.selectors import (
    OrganisationFilters,
    organisation_for_viewer,
    organisations_for_viewer,
)
from nrm.directory.taxonomy import SERVICE_TYPES

_PLAIN = r"^[^\x00-\x1f\x7f]*$"


class OrganisationFiltersIn(Schema):
    model_config = ConfigDict(extra="forbid")

    country: Annotated[str, StringConstraints(max_length=2, pattern=_PLAIN)] = ""
    kind: OrganisationKind | None = None
    service: Annotated[str, StringConstraints(max_length=40, pattern=_PLAIN)] = ""


class OrganisationOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    htcds_type: str
    country: str
    region: str
    city: str
    address: str
    phone: str
    email: str
    website: str
    languages: list[str]
    services: list[str]
    is_first_responder: bool
    is_competent_authority: bool


class ServiceTypeOut(Schema):
    code: str
    label: str


class RefusalOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


_REFUSALS: dict[int, Any] = {401: RefusalOut, 422: RefusalOut}


router = Router(tags=["directory"])


def _organisation_out(organisation: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=organisation.pk, name=organisation.name, short_name=organisation.short_name,
        kind=organisation.kind, htcds_type=organisation.htcds_type, country=organisation.country,
        region=organisation.region, city=organisation.city, address=organisation.address,
        phone=organisation.phone, email=organisation.email, website=organisation.website,
        languages=list(organisation.languages),
        services=sorted(service.code for service in organisation.services.all()),
        is_first_responder=organisation.is_first_responder,
        is_competent_authority=organisation.is_competent_authority,
    )


@router.get("/organisations", response={200: list[OrganisationOut], **_REFUSALS},
            summary="Organisations of the directory, filtered by country, kind or service")
def organisations(
    request: HttpRequest, filters: Query[OrganisationFiltersIn]
) -> list[OrganisationOut]:
    found = organisations_for_viewer(
        viewer=viewer_of(request),
        filters=OrganisationFilters(country=filters.country.upper(), kind=filters.kind or "",
                                    service=filters.service),
    )
    return [_organisation_out(organisation) for organisation in found]


@router.get("/organisations/{organisation_id}",
            response={200: OrganisationOut, 404: RefusalOut, **_REFUSALS},
            summary="One organisation of the directory")
def organisation(
    request: HttpRequest, organisation_id: int = Path(..., ge=1, le=2**63 - 1)
) -> OrganisationOut:
    found = organisation_for_viewer(viewer=viewer_of(request), organisation_id=organisation_id)
    return _organisation_out(found)


@router.get("/service-types", response={200: list[ServiceTypeOut], **_REFUSALS},
            summary="The service taxonomy, labelled in the request's language")
def service_types(request: HttpRequest) -> list[ServiceTypeOut]:
    return [ServiceTypeOut(code=code, label=str(label)) for code, label in SERVICE_TYPES.items()]
