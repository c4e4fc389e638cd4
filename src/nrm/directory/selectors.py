"""Reads of the directory. Organisations are not personal data: every member may read the
directory; who may change which organisation is decided here."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.directory.models import ADULT_AGE, Agreement, Organisation, SexServed


@dataclass(frozen=True)
class OrganisationFilters:
    """What a referrer looks for; each filter left empty lets every organisation through."""

    text: str = ""
    country: str = ""
    kind: str = ""
    service: str = ""
    language: str = ""
    first_responder: bool | None = None
    competent_authority: bool | None = None
    region: str = ""  # its own region or one it serves
    sex: str = ""  # HTCDS prs_Gender of the person: organisations that take them in
    age: int | None = None  # the person's age: organisations whose age range includes it
    children: bool | None = None  # takes in persons under 18 (True) or adults only (False)
    accompanied_children: bool | None = None  # takes in a person with their children
    free_places: bool = False  # only those with a free place now


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
        organisations = organisations.filter(_listing("languages", filters.language))
    if filters.first_responder is not None:
        organisations = organisations.filter(is_first_responder=filters.first_responder)
    if filters.competent_authority is not None:
        organisations = organisations.filter(is_competent_authority=filters.competent_authority)
    organisations = _eligible(organisations, filters)
    return organisations.prefetch_related("services").order_by("country", "name", "pk")


def _eligible(organisations: QuerySet[Organisation],
              filters: OrganisationFilters) -> QuerySet[Organisation]:
    """Organisations serving the region, taking in the person, with room now (as filtered)."""
    if filters.region:
        organisations = organisations.filter(
            Q(region=filters.region) | _listing("coverage_regions", filters.region))
    if filters.sex in SexServed.values:
        organisations = organisations.filter(
            Q(sexes_accepted=[]) | _listing("sexes_accepted", filters.sex))
    if filters.age is not None:
        organisations = organisations.filter(
            Q(age_min__isnull=True) | Q(age_min__lte=filters.age),
            Q(age_max__isnull=True) | Q(age_max__gte=filters.age))
    if filters.children is not None:
        takes_children = Q(age_min__isnull=True) | Q(age_min__lt=ADULT_AGE)
        organisations = organisations.filter(takes_children if filters.children
                                             else ~takes_children)
    if filters.accompanied_children is not None:
        organisations = organisations.filter(accompanied_children=filters.accompanied_children)
    if filters.free_places:
        organisations = organisations.filter(free_places__gte=1)
    return organisations


def _listing(field: str, code: str) -> Q:
    """Organisations whose JSON list ``field`` holds ``code``."""
    if connection.features.supports_json_field_contains:
        return Q(**{f"{field}__contains": [code]})
    # SQLite has no JSON containment; the stored list is JSON text in which each code appears
    # quoted, and codes are checked (ISO 639, ISO 3166-2, HTCDS value names: letters, digits
    # and hyphens) before they get here.
    return Q(**{f"{field}__icontains": f'"{code}"'})


def organisation_for_viewer(*, viewer: Viewer, organisation_id: int) -> Organisation:
    """One organisation of the directory, or 404 if the viewer may not read it."""
    organisation = (
        organisations_for_viewer(viewer=viewer).filter(pk=organisation_id).first()
    )
    if organisation is None:
        raise Http404
    return organisation


def agreements_for_viewer(
    *, viewer: Viewer, organisation: Organisation | None = None, in_force_on: dt.date | None = None,
) -> QuerySet[Agreement]:
    """Agreements between organisations of the directory (every member may read them, as the
    directory), those of one organisation or those in force on a day; parties and services
    prefetched."""
    agreements = Agreement.objects.all()
    if organisation is not None:
        agreements = agreements.filter(parties=organisation)
    if in_force_on is not None:
        agreements = agreements.in_force(in_force_on)
    return agreements.prefetch_related("parties", "services").order_by(
        "-valid_from", "title", "pk")


def agreement_for_viewer(*, viewer: Viewer, agreement_id: int) -> Agreement:
    """One agreement, or 404."""
    agreement = agreements_for_viewer(viewer=viewer).filter(pk=agreement_id).first()
    if agreement is None:
        raise Http404
    return agreement


def agreement_partners(*, organisation: Organisation, on: dt.date) -> set[int]:
    """The organisations with which ``organisation`` has an agreement covering referral in force
    on ``on`` (their ids)."""
    return set(Agreement.objects.in_force(on).filter(parties=organisation, covers_referral=True)
               .values_list("parties", flat=True)) - {organisation.pk}
