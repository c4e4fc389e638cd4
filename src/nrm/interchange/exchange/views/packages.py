"""Pages of exchange packages: the referrer makes a package of a referral to an organisation in
a partner deployment; the receiving organisation uploads it, reads its preview, imports it, and
after accepting the referral puts the return journey on its case, and makes replies that tell
the referrer what became of it; the referrer uploads a reply on the same import page, reads what
it would change, and applies it. When the referrer cancels a referral it sent as a package, it
makes a cancellation for the partner, which the receiving organisation applies the same way."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nrm.interchange.exchange import selectors, services
from nrm.interchange.exchange.envelope import CANCELLATION, PACKAGE, REPLY, carried_kind
from nrm.interchange.exchange.forms import PackageConfirmForm, PackageUploadForm
from nrm.interchange.exchange.services import CancellationFile, PackageFile, ReplyFile
from nrm.referrals.choices import WORKING_STATUSES
from nrm.referrals.selectors import acts_on_referrals
from nrm.registry.views.access import add_service_errors, viewer_of


def package_download(made: PackageFile | ReplyFile | CancellationFile, *,
                     status: int = 200) -> HttpResponse:
    """The package (or reply, or cancellation) as a file to save and hand to the partner; never
    cached. The API answers 201: it made the file."""
    response = HttpResponse(made.document, content_type="application/json", status=status)
    response["Content-Disposition"] = f'attachment; filename="{made.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def package_send(request: HttpRequest, code: str) -> HttpResponse:
    """What a package of the referral carries; the referrer makes and downloads it."""
    viewer = viewer_of(request)
    found = selectors.package_referral_for_viewer(viewer=viewer, code=code)
    errors: list[str] = []
    if request.method == "POST":
        try:
            made = services.package_send(viewer=viewer, referral=found.referral)
        except ValidationError as refusal:
            errors = refusal.messages
        else:
            return package_download(made)
    referral = found.referral
    return render(request, "interchange/exchange/send.html", {
        "found": found, "referral": referral, "errors": errors,
        "package_days": settings.NRM_EXCHANGE_PACKAGE_DAYS,
        "may_send": (acts_on_referrals(viewer)
                     and referral.from_organisation_id == viewer.organisation_id),
        "may_cancel": services.has_something_to_cancel(referral),
    }, status=400 if errors else 200)


@login_required
@require_POST
def package_cancel(request: HttpRequest, code: str) -> HttpResponse:
    """Make and download the cancellation of a referral sent as a package, for the partner."""
    viewer = viewer_of(request)
    found = selectors.package_referral_for_viewer(viewer=viewer, code=code)
    try:
        made = services.cancellation_send(viewer=viewer, referral=found.referral)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("interchange:exchange:package_send", found.referral.display_code)
    return package_download(made)


def _import_page(request: HttpRequest, form: PackageUploadForm, *, status: int = 200,
                 **context: Any) -> HttpResponse:
    return render(request, "interchange/exchange/import.html",
                  {"form": form, **context}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def package_import(request: HttpRequest) -> HttpResponse:
    """Upload a package and read its preview; confirm to import it as an incoming referral. A
    reply to a package made here, and the referrer's cancellation of a package received, are
    recognised, previewed and applied the same way."""
    viewer = viewer_of(request)
    services.require_package_reader(viewer)
    if request.method != "POST":
        return _import_page(request, PackageUploadForm())
    if "package" in request.POST:
        return _confirm(request)
    form = PackageUploadForm(request.POST, request.FILES)
    if form.is_valid():
        return _preview(request, form, form.document())
    return _import_page(request, form, status=400)


# What each kind of file is previewed by, and the name its preview takes in the page.
_PREVIEWS: dict[str, tuple[str, Callable[..., Any]]] = {
    PACKAGE: ("preview", services.package_preview),
    REPLY: ("reply", services.reply_preview),
    CANCELLATION: ("cancellation", services.cancellation_preview)}


def _preview(request: HttpRequest, form: PackageUploadForm, document: bytes) -> HttpResponse:
    """The preview of a package, reply or cancellation, whichever the file reads as."""
    viewer = viewer_of(request)
    name, preview = _PREVIEWS[carried_kind(document)]
    try:
        opened = preview(viewer=viewer, document=document)
    except ValidationError as refusal:
        add_service_errors(form, refusal)
        return _import_page(request, form, status=400)
    context: dict[str, Any] = {name: opened}
    return _import_page(request, form, **context,
                        confirm_form=PackageConfirmForm.carrying(document),
                        may_import=acts_on_referrals(viewer))


def _apply_cancellation(request: HttpRequest, document: bytes) -> HttpResponse:
    viewer = viewer_of(request)
    try:
        applied = services.cancellation_apply(viewer=viewer, document=document)
    except ValidationError as refusal:
        return _import_page(request, PackageUploadForm(), status=400, errors=refusal.messages)
    referrals = selectors.referrals_cancelled_by(applied)
    if not referrals:
        messages.success(request, _(
            "The cancellation is applied: the referral's package is refused if it comes."))
        return redirect("interchange:exchange:package_import")
    referral = referrals[0]
    messages.success(request, _(
        "The cancellation is applied: referral %(code)s is now “%(status)s”.")
        % {"code": referral.display_code, "status": referral.get_status_display()})
    return redirect("referrals:referral", referral.display_code)


def _apply_reply(request: HttpRequest, document: bytes) -> HttpResponse:
    viewer = viewer_of(request)
    try:
        applied = services.reply_apply(viewer=viewer, document=document)
    except ValidationError as refusal:
        return _import_page(request, PackageUploadForm(), status=400, errors=refusal.messages)
    referral = applied.referral
    messages.success(request, _(
        "The reply is applied: referral %(code)s is now “%(status)s”.")
        % {"code": referral.display_code, "status": referral.get_status_display()})
    return redirect("referrals:referral", referral.display_code)


def _confirm(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    confirm = PackageConfirmForm(request.POST)
    document = confirm.document() if confirm.is_valid() else None
    if document is None:
        return _import_page(request, PackageUploadForm(), status=400, errors=[_(
            "The package did not come back whole from its preview. Choose the file again.")])
    kind = carried_kind(document)
    if kind == REPLY:
        return _apply_reply(request, document)
    if kind == CANCELLATION:
        return _apply_cancellation(request, document)
    try:
        referral = services.package_import(viewer=viewer, document=document).referral
    except ValidationError as refusal:
        return _import_page(request, PackageUploadForm(), status=400, errors=refusal.messages)
    assert referral is not None  # noqa: S101  (an import creates it)
    messages.success(request, _(
        "The package is imported: referral %(code)s waits for your answer in the inbox.")
        % {"code": referral.display_code})
    return redirect("referrals:referral", referral.display_code)


@login_required
@require_http_methods(["GET", "HEAD"])
def incoming(request: HttpRequest, code: str) -> HttpResponse:
    """The package a referral came in, and the return journey it announced."""
    viewer = viewer_of(request)
    found = selectors.incoming_package_for_viewer(viewer=viewer, code=code)
    referral = found.referral
    return render(request, "interchange/exchange/incoming.html", {
        "found": found, "referral": referral, "journey": found.journey,
        "may_add_return": (acts_on_referrals(viewer) and found.received.journey_id is None
                           and referral.status in WORKING_STATUSES
                           and referral.receiving_case_id is not None),
        "may_reply": (acts_on_referrals(viewer) and found.received.sender.is_active
                      and services.has_something_to_report(referral)),
        "package_days": settings.NRM_EXCHANGE_PACKAGE_DAYS,
    })


@login_required
@require_POST
def incoming_reply(request: HttpRequest, code: str) -> HttpResponse:
    """Make and download a reply telling the sender what became of the referral."""
    viewer = viewer_of(request)
    found = selectors.incoming_package_for_viewer(viewer=viewer, code=code)
    try:
        made = services.reply_send(viewer=viewer, received=found.received)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("interchange:exchange:incoming", found.referral.display_code)
    return package_download(made)


@login_required
@require_POST
def incoming_return(request: HttpRequest, code: str) -> HttpResponse:
    """Put the announced return journey on the case opened on acceptance."""
    viewer = viewer_of(request)
    found = selectors.incoming_package_for_viewer(viewer=viewer, code=code)
    try:
        journey = services.package_return_record(viewer=viewer, received=found.received)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        return redirect("interchange:exchange:incoming", found.referral.display_code)
    messages.success(request, _("The return journey is on the case: record the reception on "
                                "arrival there."))
    return redirect(reverse("assistance:case", args=[journey.case.display_code]) + "#return")
