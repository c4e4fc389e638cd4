"""The directory's organisation pages: list and filter them (as a referrer looks for a service),
read one with its capacity and agreements, and (for those who manage the directory) add and edit
them; an organisation's own admins and supervisors update its capacity."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from nrm.accounts.decorators import current_viewer
from nrm.accounts.viewer import Viewer
from nrm.accounts.views import form_errors_from
from nrm.core.countries import country_name, language_name, region_choices, region_name
from nrm.directory.forms import CapacityForm, OrganisationFilterForm, OrganisationForm
from nrm.directory.models import Organisation
from nrm.directory.selectors import (
    agreements_for_viewer,
    may_manage_organisations_in,
    organisation_for_viewer,
    organisations_for_viewer,
)
from nrm.directory.services import (
    may_update_capacity,
    organisation_capacity_set,
    organisation_create,
    organisation_update,
)

PER_PAGE = 25


# Capacity not updated for this long is shown as possibly out of date.
CAPACITY_STALE_DAYS = 7


@dataclass(frozen=True)
class NamedOrganisation:
    """An organisation with its codes named in the reader's language."""

    organisation: Organisation
    country: str
    region: str
    languages: list[str]
    coverage: list[str]

    @property
    def capacity_stale(self) -> bool:
        updated = self.organisation.capacity_updated_at
        return updated is not None and (
            timezone.now() - updated).days >= CAPACITY_STALE_DAYS


def named_organisation(organisation: Organisation) -> NamedOrganisation:
    """The organisation with its country, regions and languages named for the reader."""
    return NamedOrganisation(
        organisation=organisation,
        country=country_name(organisation.country),
        region=region_name(organisation.region) if organisation.region else "",
        languages=[language_name(code) for code in organisation.languages or []],
        coverage=[region_name(code) for code in organisation.coverage_regions or []],
    )


def _require_directory_manager(viewer: Viewer, country: str | None = None) -> None:
    allowed = (
        viewer.manages_directory if country is None
        else may_manage_organisations_in(viewer, country)
    )
    if not allowed:
        raise PermissionDenied(_("Your role does not allow managing this organisation."))


@login_required
@require_GET
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    viewer = current_viewer(request)
    form = OrganisationFilterForm(request.GET or None)
    organisations = organisations_for_viewer(viewer=viewer, filters=form.filters())
    page = Paginator(organisations, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "directory/organisation_list.html", {
        "form": form,
        "page": page,
        "rows": [named_organisation(organisation) for organisation in page],
        "query": query.urlencode(),
        "may_add": viewer.manages_directory,
    })


@login_required
@require_GET
def organisation_detail_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    viewer = current_viewer(request)
    organisation = organisation_for_viewer(viewer=viewer, organisation_id=organisation_id)
    return render(request, "directory/organisation_detail.html", {
        "named": named_organisation(organisation),
        "organisation": organisation,
        "services": list(organisation.services.all()),
        "may_edit": may_manage_organisations_in(viewer, organisation.country),
        "capacity_form": CapacityForm(initial={"places": organisation.places,
                                               "free_places": organisation.free_places})
        if may_update_capacity(viewer, organisation) else None,
        "agreements": list(agreements_for_viewer(viewer=viewer, organisation=organisation)),
        "today": timezone.localdate(),
    })


@login_required
@require_POST
def organisation_capacity_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    """The organisation's own admins and supervisors record its places and free places."""
    viewer = current_viewer(request)
    organisation = organisation_for_viewer(viewer=viewer, organisation_id=organisation_id)
    if not may_update_capacity(viewer, organisation):
        raise PermissionDenied(
            _("Only the organisation's own admins and supervisors may update its capacity."))
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            organisation_capacity_set(viewer=viewer, organisation=organisation,
                                      places=form.cleaned_data["places"],
                                      free_places=form.cleaned_data["free_places"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The capacity is updated."))
    else:
        messages.error(request, " ".join(
            str(message) for errors in form.errors.values() for message in errors))
    return HttpResponseRedirect(
        reverse("directory:organisation_detail", args=[organisation.pk]) + "#capacity")


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    viewer = current_viewer(request)
    _require_directory_manager(viewer)
    form = OrganisationForm(request.POST or None, viewer=viewer,
                            initial={"country": viewer.country, "is_active": True})
    if form.is_valid():
        try:
            organisation = organisation_create(viewer=viewer, details=form.details())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("“%(name)s” is added to the directory.")
                             % {"name": organisation.name})
            return HttpResponseRedirect(
                reverse("directory:organisation_detail", args=[organisation.pk])
            )
    return render(request, "directory/organisation_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit_view(request: HttpRequest, organisation_id: int) -> HttpResponse:
    viewer = current_viewer(request)
    organisation = organisation_for_viewer(viewer=viewer, organisation_id=organisation_id)
    _require_directory_manager(viewer, organisation.country)
    form = OrganisationForm(request.POST or None, viewer=viewer,
                            initial=OrganisationForm.initial_for(organisation))
    if form.is_valid():
        try:
            organisation = organisation_update(viewer=viewer, organisation=organisation,
                                               details=form.details())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("“%(name)s” is saved.") % {"name": organisation.name})
            return HttpResponseRedirect(
                reverse("directory:organisation_detail", args=[organisation.pk])
            )
    return render(request, "directory/organisation_form.html",
                  {"form": form, "organisation": organisation},
                  status=400 if form.is_bound else 200)


@login_required
@require_GET
def region_options_view(request: HttpRequest) -> HttpResponse:
    """The <option>s of the region picker for a country (htmx swaps them in)."""
    current_viewer(request)
    country = request.GET.get("country", "")[:2].upper()
    return render(request, "directory/_region_options.html",
                  {"regions": region_choices(country) if country.isalpha() else []})
