"""The referring side, from a case: its referrals with their history, choosing an organisation
from the directory, and the referral form with the consent gate shown before it is sent."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer
from nrm.core.submissions import DuplicateSubmissionError
from nrm.directory.forms import OrganisationFilterForm
from nrm.directory.models import Organisation
from nrm.directory.selectors import (
    agreement_partners,
    organisation_for_viewer,
    organisations_for_viewer,
)
from nrm.directory.views.organisations import NamedOrganisation, named_organisation
from nrm.referrals.consent import ConsentCheck, consent_check, consent_checks
from nrm.referrals.forms import ReferralForm, person_filters
from nrm.referrals.selectors import acts_on_referrals, referrals_for_case
from nrm.referrals.services import referral_send
from nrm.registry.models import Case
from nrm.registry.selectors import case_for_viewer
from nrm.registry.views.access import add_service_errors, viewer_of

RECEIVERS_PER_PAGE = 20
# Ticked when the form opens: the non-identifying profile. Anything more is the referrer's choice.
DEFAULT_SHARED = ["sex", "age_band", "languages"]


def may_refer(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may refer this case (the service checks it again)."""
    return acts_on_referrals(viewer) and case.organisation_id == viewer.organisation_id


def _case_to_refer(request: HttpRequest, code: str) -> tuple[Viewer, Case]:
    viewer = viewer_of(request)
    case = case_for_viewer(viewer=viewer, code=code, purpose="referral")
    if not may_refer(viewer, case):
        raise PermissionDenied(_("Only case workers of the case's organisation may refer it."))
    return viewer, case


@login_required
@require_safe
def case_referrals(request: HttpRequest, code: str) -> HttpResponse:
    """The referrals of one case, with their status and history, for those who see the case."""
    viewer = viewer_of(request)
    case = case_for_viewer(viewer=viewer, code=code, purpose="referrals")
    return render(request, "referrals/case_referrals.html", {
        "case": case, "referrals": list(referrals_for_case(viewer=viewer, case=case)),
        "may_refer": may_refer(viewer, case), "now": timezone.now(),
    })


@dataclass(frozen=True)
class Receiver:
    """An organisation of the directory as a referrer weighs it for this person."""

    named: NamedOrganisation
    consent: ConsentCheck
    cross_border: bool
    agreement: bool

    @property
    def may_be_chosen(self) -> bool:
        """No agreement, no referral across the border; a missing consent may still be
        overridden in an emergency, so the form opens to say so."""
        return not self.cross_border or self.agreement


@login_required
@require_safe
def refer_choose(request: HttpRequest, code: str) -> HttpResponse:
    """Step 1: find the organisation in the directory, filtered for this person."""
    viewer, case = _case_to_refer(request, code)
    person = case.person
    searched = any(key != "page" for key in request.GET)
    data = request.GET if searched else {
        "country": viewer.country, **person_filters(person.sex, person.birth_year,
                                                    timezone.localdate().year)}
    form = OrganisationFilterForm(data)
    found = (organisations_for_viewer(viewer=viewer, filters=form.filters())
             .filter(is_active=True).exclude(pk=viewer.organisation_id))
    page = Paginator(found, RECEIVERS_PER_PAGE).get_page(request.GET.get("page"))
    organisations: list[Organisation] = list(page)
    checks = consent_checks(person=person, organisations=organisations,
                            from_country=viewer.country)
    partners = agreement_partners(organisation=viewer.membership.organisation,
                                  on=timezone.localdate())
    receivers = [Receiver(named=named_organisation(organisation), consent=checks[organisation.pk],
                          cross_border=organisation.country != viewer.country,
                          agreement=organisation.pk in partners)
                 for organisation in organisations]
    return render(request, "referrals/choose.html", {
        "case": case, "form": form, "page": page, "receivers": receivers,
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def refer(request: HttpRequest, code: str, organisation_id: int) -> HttpResponse:
    """Step 2: what to ask for and what to share, with the consent gate and the agreement
    shown; sending goes through referral_send, which checks everything again."""
    viewer, case = _case_to_refer(request, code)
    receiver = organisation_for_viewer(viewer=viewer, organisation_id=organisation_id)
    check = consent_check(person=case.person, organisation=receiver,
                          from_country=viewer.country)
    cross_border = receiver.country != viewer.country
    may_override = viewer.role == Role.SUPERVISOR and not check.passes and check.overridable
    form = ReferralForm(request.POST if request.method == "POST" else None, receiver=receiver,
                        may_override=may_override, initial={"shared_fields": DEFAULT_SHARED})
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            referral = referral_send(
                viewer=viewer, case=case, receiver=receiver, services=data["services"],
                urgency=data["urgency"], shared_fields=data["shared_fields"], note=data["note"],
                accompanying_children=data["accompanying_children"],
                override_reason=data.get("override_reason", ""),
                submission_key=data["submission_key"])
        except DuplicateSubmissionError as duplicate:
            messages.info(request, str(duplicate.message))
            return redirect("referrals:case_referrals", case.display_code)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referral %(code)s is sent to %(organisation)s.")
                             % {"code": referral.display_code, "organisation": receiver})
            return redirect("referrals:referral", referral.display_code)
    partners = agreement_partners(organisation=viewer.membership.organisation,
                                  on=timezone.localdate())
    return render(request, "referrals/refer.html", {
        "case": case, "receiver": named_organisation(receiver), "form": form, "check": check,
        "cross_border": cross_border, "agreement": receiver.pk in partners,
        "may_override": may_override,
    }, status=400 if form.is_bound and form.errors else 200)
