"""Agreements (MoUs) between organisations: every member reads them; national coordinators
(agreements with a party in their country) and system admins record and change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from nrm.accounts.decorators import current_viewer
from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.accounts.views import form_errors_from
from nrm.directory.forms import AgreementForm
from nrm.directory.selectors import agreement_for_viewer, agreements_for_viewer
from nrm.directory.services import agreement_create, agreement_update, may_manage_agreement

_KEEPERS = (Role.NATIONAL_COORDINATOR, Role.SYSTEM_ADMIN)


def _require_keeper(viewer: Viewer) -> None:
    if viewer.role not in _KEEPERS:
        raise PermissionDenied(
            _("Only national coordinators and system admins record agreements."))


@login_required
@require_GET
def agreement_list_view(request: HttpRequest) -> HttpResponse:
    viewer = current_viewer(request)
    today = timezone.localdate()
    in_force = request.GET.get("in_force") == "1"
    agreements = agreements_for_viewer(viewer=viewer, in_force_on=today if in_force else None)
    return render(request, "directory/agreement_list.html", {
        "agreements": list(agreements), "today": today, "in_force": in_force,
        "may_add": viewer.role in _KEEPERS,
    })


@login_required
@require_GET
def agreement_detail_view(request: HttpRequest, agreement_id: int) -> HttpResponse:
    viewer = current_viewer(request)
    agreement = agreement_for_viewer(viewer=viewer, agreement_id=agreement_id)
    return render(request, "directory/agreement_detail.html", {
        "agreement": agreement, "today": timezone.localdate(),
        "may_edit": may_manage_agreement(viewer, agreement.parties.all()),
    })


@login_required
@require_http_methods(["GET", "POST"])
def agreement_create_view(request: HttpRequest) -> HttpResponse:
    viewer = current_viewer(request)
    _require_keeper(viewer)
    form = AgreementForm(request.POST or None,
                         initial={"valid_from": timezone.localdate(), "covers_referral": True})
    if form.is_valid():
        try:
            agreement = agreement_create(viewer=viewer, details=form.details())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The agreement is recorded."))
            return HttpResponseRedirect(
                reverse("directory:agreement_detail", args=[agreement.pk]))
    return render(request, "directory/agreement_form.html", {"form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def agreement_edit_view(request: HttpRequest, agreement_id: int) -> HttpResponse:
    viewer = current_viewer(request)
    agreement = agreement_for_viewer(viewer=viewer, agreement_id=agreement_id)
    if not may_manage_agreement(viewer, agreement.parties.all()):
        raise PermissionDenied(_("Your role does not allow changing this agreement."))
    form = AgreementForm(request.POST or None, initial=AgreementForm.initial_for(agreement))
    if form.is_valid():
        try:
            agreement_update(viewer=viewer, agreement=agreement, details=form.details())
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("The agreement is saved."))
            return HttpResponseRedirect(
                reverse("directory:agreement_detail", args=[agreement.pk]))
    return render(request, "directory/agreement_form.html",
                  {"form": form, "agreement": agreement}, status=400 if form.is_bound else 200)
