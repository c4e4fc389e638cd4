"""A country's response deadlines for referrals, set by its national coordinator (a system admin
for any country), as identification's country rules are."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nrm.accounts.roles import Role
from nrm.core.countries import country_choices, country_name
from nrm.referrals.deadlines import deadlines_for
from nrm.referrals.forms import DeadlinesForm
from nrm.referrals.services import response_deadlines_set
from nrm.registry.views.access import add_service_errors, viewer_of


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def response_deadlines(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if viewer.role == Role.NATIONAL_COORDINATOR:
        country = viewer.country
    elif viewer.role == Role.SYSTEM_ADMIN:
        country = (request.GET.get("country") or viewer.country).upper()[:2]
    else:
        raise PermissionDenied(
            _("Only a national coordinator may set the country's response deadlines."))
    rules = deadlines_for(country)
    form = DeadlinesForm(request.POST if request.method == "POST" else None, initial={
        "emergency_hours": rules.emergency_hours, "urgent_hours": rules.urgent_hours,
        "routine_hours": rules.routine_hours, "expiry_hours": rules.expiry_hours,
    })
    if form.is_bound and form.is_valid():
        try:
            response_deadlines_set(viewer=viewer, country=country, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The response deadlines of %(country)s are saved.")
                             % {"country": country_name(country)})
            return redirect(request.get_full_path())
    return render(request, "referrals/deadlines.html", {
        "form": form, "country": country, "country_label": country_name(country),
        "countries": country_choices() if viewer.role == Role.SYSTEM_ADMIN else None,
        "saved": rules.pk is not None,
    })
