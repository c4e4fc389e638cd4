"""An organisation's referrals: the inbox of those sent to it (overdue ones first and marked),
those it sent, one referral from either side with its history and the steps open to the viewer,
and the shared case once the receiving organisation has accepted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from nrm.accounts.viewer import Viewer
from nrm.referrals import services
from nrm.referrals.choices import OPEN_STATUSES, ReferralStatus
from nrm.referrals.forms import CompletionForm, ReasonForm
from nrm.referrals.models import Referral
from nrm.referrals.selectors import (
    INBOX_TABS,
    RECEIVER,
    REFERRER,
    WAITING,
    acts_on_referrals,
    inbox_for_viewer,
    referral_for_viewer,
    referrals_sent_for_viewer,
    shared_case_for_viewer,
)
from nrm.registry.views.access import viewer_of

PER_PAGE = 30


def _require_reader(viewer: Viewer) -> None:
    if not viewer.works_cases:
        raise PermissionDenied(_("Only case workers and their supervisors work with referrals."))


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    """Referrals sent to the viewer's organisation: waiting for an answer, in work, closed."""
    viewer = viewer_of(request)
    _require_reader(viewer)
    tab = request.GET.get("tab", WAITING)
    if tab not in INBOX_TABS:
        tab = WAITING
    page = Paginator(inbox_for_viewer(viewer=viewer, tab=tab), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "referrals/inbox.html", {
        "tab": tab, "tabs": list(INBOX_TABS), "page": page, "now": timezone.now(),
    })


@login_required
@require_safe
def sent(request: HttpRequest) -> HttpResponse:
    """Referrals the viewer's organisation sent, open ones first."""
    viewer = viewer_of(request)
    _require_reader(viewer)
    page = Paginator(referrals_sent_for_viewer(viewer=viewer), PER_PAGE).get_page(
        request.GET.get("page"))
    return render(request, "referrals/sent.html", {"page": page, "now": timezone.now()})


@login_required
@require_safe
def referral(request: HttpRequest, code: str) -> HttpResponse:
    """One referral, as its referring or its receiving side sees it."""
    viewer = viewer_of(request)
    seen = referral_for_viewer(viewer=viewer, code=code)
    found = seen.referral
    acts = acts_on_referrals(viewer)
    context: dict[str, Any] = {
        "seen": seen, "referral": found, "now": timezone.now(),
        "may_answer": acts and seen.side == RECEIVER and found.status == ReferralStatus.SENT,
        "may_start": acts and seen.side == RECEIVER and found.status == ReferralStatus.ACCEPTED,
        "may_complete": (acts and seen.side == RECEIVER
                         and found.status == ReferralStatus.IN_PROGRESS),
        "may_cancel": (acts and seen.side == REFERRER and found.status in OPEN_STATUSES
                       and found.from_organisation_id == viewer.organisation_id),
    }
    context.update(decline_form=ReasonForm(prefix="decline"),
                   cancel_form=ReasonForm(prefix="cancel"),
                   complete_form=CompletionForm(prefix="complete"))
    return render(request, "referrals/referral.html", context)


def _step(request: HttpRequest, code: str, *, write: Callable[[Viewer, Referral], object],
          done: str) -> HttpResponse:
    """Fetch the referral as the viewer may see it (404 otherwise), take one step through its
    service (403 for a role that may not), and go back to the referral."""
    viewer = viewer_of(request)
    seen = referral_for_viewer(viewer=viewer, code=code, purpose="answer")
    try:
        write(viewer, seen.referral)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("referrals:referral", seen.referral.display_code)


def _reason(request: HttpRequest, prefix: str) -> str:
    form = ReasonForm(request.POST, prefix=prefix)
    return form.cleaned_data["reason"] if form.is_valid() else ""


@login_required
@require_POST
def referral_accept(request: HttpRequest, code: str) -> HttpResponse:
    return _step(request, code, done=_("The referral is accepted; the shared case is open to "
                                       "your organisation."),
                 write=lambda viewer, found: services.referral_accept(viewer=viewer,
                                                                      referral=found))


@login_required
@require_POST
def referral_decline(request: HttpRequest, code: str) -> HttpResponse:
    reason = _reason(request, "decline")
    return _step(request, code, done=_("The referral is declined; the referrer is told."),
                 write=lambda viewer, found: services.referral_decline(
                     viewer=viewer, referral=found, reason=reason))


@login_required
@require_POST
def referral_start(request: HttpRequest, code: str) -> HttpResponse:
    return _step(request, code, done=_("The referral is in progress."),
                 write=lambda viewer, found: services.referral_start(viewer=viewer,
                                                                     referral=found))


@login_required
@require_POST
def referral_complete(request: HttpRequest, code: str) -> HttpResponse:
    form = CompletionForm(request.POST, prefix="complete")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _step(request, code, done=_("The referral is completed; the referrer is told."),
                 write=lambda viewer, found: services.referral_complete(
                     viewer=viewer, referral=found, note=note))


@login_required
@require_POST
def referral_cancel(request: HttpRequest, code: str) -> HttpResponse:
    reason = _reason(request, "cancel")
    return _step(request, code, done=_("The referral is cancelled; the receiving organisation "
                                       "is told."),
                 write=lambda viewer, found: services.referral_cancel(
                     viewer=viewer, referral=found, reason=reason))


@login_required
@require_safe
def shared_case(request: HttpRequest, code: str) -> HttpResponse:
    """The receiving organisation's page of a referred case: the shared fields, nothing more."""
    viewer = viewer_of(request)
    shared = shared_case_for_viewer(viewer=viewer, code=code)
    return render(request, "referrals/shared_case.html", {
        "shared": shared, "referral": shared.referral, "now": timezone.now(),
    })
