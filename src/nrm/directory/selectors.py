"""Reads of the directory. Organisations are not personal data: every member may read the
directory; who may change which organisation is decided here."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import Organisation


@dataclass(frozen=True)
class OrganisationFilters:
    text: str = ""
    country: str = ""
    kind: str = ""
    service: str = ""
    language: str = ""
    first_responder: bool | None = None
    competent_authority: bool | None = None


def may_manage_organisations_in(viewer: Viewer, country: str) -> bool:
    """A system admin manages every organisation; a national coordinator those of their country."""
    if viewer.role == Role.SYSTEM_ADMIN:
        return True
    return viewer.manages_directory and viewer.country == country


def directory_countries_for_user(user: User) -> frozenset[str] | None:
    """Countries whose organisations ``user`` may manage in the Django admin; None means all."""
    if user.is_superuser:
        return None
    roles = Membership.objects.active().filter(user=user)
    if roles.filter(role=Role.SYSTEM_ADMIN).exists():
        return None
    return frozenset(
        roles.filter(role=Role.NATIONAL_COORDINATOR).values_list("organisation__country", flat=True)
    )


def organisations_for_viewer(
    *, viewer: Viewer, filters: OrganisationFilters | None = None
) -> QuerySet[Organisation]:
    """The directory as the viewer may read it, filtered, services prefetched: a page of it
    costs the same few queries however many organisations it shows. Inactive organisations
    are listed only to those who manage the directory."""
    filters = filters or OrganisationFilters()
    organisations: QuerySet[Organisation] = (
        Organisation.objects.all() if viewer.manages_directory else Organisation.objects.active()
    )
    if filters.text:
        organisations = organisations.filter(
            Q(name__icontains=filters.text) | Q(short_name__icontains=filters.text)
            | Q(city__icontains=filters.text)
        )
    if filters.country:
        organisations = organisations.filter(country=filters.country)
    if filters.kind:
        organisations = organisations.filter(kind=filters.kind)
    if filters.service:
        organisations = organisations.filter(services__code=filters.service)
    if filters.language:
        organisations = _speaking(organisations, filters.language)
    if filters.first_responder is not None:
        organisations = organisations.filter(is_first_responder=filters.first_responder)
    if filters.competent_authority is not None:
        organisations = organisations.filter(is_competent_authority=filters.competent_authority)
    return organisations.prefetch_related("services").order_by("country", "name", "pk")


def _speaking(organisations: QuerySet[Organisation], language: str) -> QuerySet[Organisation]:
    if connection.features.supports_json_field_contains:
        return organisations.filter(languages__contains=[language])
    # SQLite has no JSON containment; the stored list is JSON text in which each code appears
    # quoted, and the code was checked against ISO 639 (letters only) before it gets here.
    return organisations.filter(languages__icontains=f'"{language}"')


def organisation_for_viewer(*, viewer: Viewer, organisation_id: int) -> Organisation:
    """One organisation of the directory, or 404 if the viewer may not read it."""
    organisation = (
        organisations_for_viewer(viewer=viewer).filter(pk=organisation_id).first()
    )
    if organisation is None:
        raise Http404
    return organisation
