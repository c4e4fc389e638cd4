"""Registering a person, their identity and their first case in one guided form."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nrm.accounts.viewer import Viewer
from nrm.core.countries import region_choices
from nrm.core.models import SubmissionReceipt
from nrm.core.submissions import DuplicateSubmissionError
from nrm.registry import services
from nrm.registry.choices import ConsentPurpose
from nrm.registry.forms import (
    ConsentAnswerForm,
    EventForm,
    RegisterForm,
    check_guardian,
)
from nrm.registry.selectors import cases_for_viewer
from nrm.registry.views.access import add_service_errors, viewer_of

EVENT_ROWS = 3


def _forms(data: Any) -> tuple[RegisterForm, list[EventForm], list[ConsentAnswerForm]]:
    return (
        RegisterForm(data),
        [EventForm(data, prefix=f"event-{row}") for row in range(EVENT_ROWS)],
        [ConsentAnswerForm(data, prefix=f"consent-{purpose.value}", purpose=purpose)
         for purpose in ConsentPurpose],
    )


def _already_created(viewer: Viewer, receipt: SubmissionReceipt) -> str:
    """Where the first submission of a form sent twice went (if the viewer may see it)."""
    case = cases_for_viewer(viewer=viewer).filter(pk=receipt.object_id).first()
    if receipt.object_type != "case" or case is None:
        return reverse("registry:my_cases")
    return reverse("registry:case_detail", args=[case.display_code])


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if not viewer.registers:
        raise PermissionDenied(_("Your role does not allow registering persons."))
    form, events, consents = _forms(request.POST if request.method == "POST" else None)
    if form.is_bound:
        # Every part is validated, so that all mistakes show at once.
        valid = [form.is_valid()] + [e.is_valid() for e in events]
        valid += [c.is_valid() for c in consents]
        if all(valid):
            check_guardian(form, consents)
        if all(valid) and form.is_valid():
            guardian_name, guardian_consented = form.guardian()
            try:
                case = services.person_register(
                    viewer=viewer, person=form.person_input(), identity=form.identity_input(),
                    case=form.case_input(),
                    events=[event.event_input() for event in events if event.filled],
                    consents=[consent.consent_input(guardian_name=guardian_name,
                                                    guardian_consented=guardian_consented)
                              for consent in consents if consent.answered],
                    submission_key=form.cleaned_data["submission_key"],
                )
            except DuplicateSubmissionError as duplicate:
                messages.info(request, str(duplicate.message))
                return redirect(_already_created(viewer, duplicate.receipt))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Registered person %(person)s with case %(case)s.")
                                 % {"person": case.person.display_code, "case": case.display_code})
                return redirect("registry:case_detail", case.display_code)
    return render(request, "registry/register.html", {
        "form": form, "events": events, "consents": consents,
        "has_errors": form.is_bound and (
            bool(form.errors) or any(e.errors for e in events) or any(c.errors for c in consents)
        ),
    })


@login_required
@require_safe
def region_options(request: HttpRequest) -> HttpResponse:
    """The <option>s of a country's regions, for the region picker beside a country picker."""
    viewer_of(request)
    # The picker's name carries its form's prefix ("event-0-country").
    country = next((request.GET.get(key, "") for key in request.GET if key.endswith("country")), "")
    return render(request, "registry/region_options.html",
                  {"regions": region_choices(country[:2].upper())})
