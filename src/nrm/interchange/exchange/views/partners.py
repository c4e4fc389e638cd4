"""Pages of partner deployments, kept by system admins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nrm.interchange.exchange import selectors, services
from nrm.interchange.exchange.forms import PartnerForm, RemoteOrganisationForm
from nrm.interchange.exchange.identity import published_identity
from nrm.interchange.exchange.models import PartnerDeployment
from nrm.registry.views.access import add_service_errors, viewer_of


def partner_url(partner: PartnerDeployment) -> str:
    return reverse("interchange:exchange:partner", args=[partner.pk])


@login_required
@require_http_methods(["GET", "HEAD"])
def partners(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    return render(request, "interchange/exchange/partners.html", {
        "partners": selectors.partner_deployments_for_viewer(viewer=viewer),
        "identity": published_identity(),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner_register(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    selectors.partner_deployments_for_viewer(viewer=viewer)  # refuses all but system admins
    form = PartnerForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            partner = services.partner_deployment_register(viewer=viewer, details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _(
                "The partner deployment is registered. Compare the fingerprint %(fingerprint)s "
                "with the partner by phone before exchanging packages.")
                % {"fingerprint": partner.fingerprint})
            return redirect(partner_url(partner))
    return render(request, "interchange/exchange/partner_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def partner(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = selectors.partner_deployment_for_viewer(viewer=viewer, pk=pk)
    form = PartnerForm.for_partner(found, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.partner_deployment_update(viewer=viewer, partner=found,
                                               details=form.details())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The partner deployment is saved."))
            return redirect(partner_url(found))
    return render(request, "interchange/exchange/partner.html", {
        "partner": found, "form": form,
        "organisations": selectors.remote_organisations_of(partner=found),
        "organisation_form": RemoteOrganisationForm(partner=found, auto_id="o-%s"),
    })


@login_required
@require_POST
def remote_organisation_mark(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = selectors.partner_deployment_for_viewer(viewer=viewer, pk=pk)
    form = RemoteOrganisationForm(request.POST, partner=found, auto_id="o-%s")
    if form.is_valid():
        try:
            services.remote_organisation_mark(
                viewer=viewer, organisation=form.cleaned_data["organisation"], partner=found,
                remote_ref=form.cleaned_data["remote_ref"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _(
                "Referrals to %(organisation)s now travel as exchange packages.")
                % {"organisation": form.cleaned_data["organisation"]})
            return redirect(partner_url(found))
    return render(request, "interchange/exchange/partner.html", {
        "partner": found, "form": PartnerForm.for_partner(found),
        "organisations": selectors.remote_organisations_of(partner=found),
        "organisation_form": form,
    }, status=400)


@login_required
@require_POST
def remote_organisation_unmark(request: HttpRequest, pk: int, organisation: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = selectors.partner_deployment_for_viewer(viewer=viewer, pk=pk)
    remote = selectors.remote_organisations_of(partner=found).filter(
        organisation_id=organisation).first()
    if remote is None:
        raise Http404
    services.remote_organisation_unmark(viewer=viewer, remote=remote)
    messages.success(request, _("%(organisation)s is no longer marked as working in %(partner)s.")
                     % {"organisation": remote.organisation, "partner": found.name})
    return redirect(partner_url(found))
