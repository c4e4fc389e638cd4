"""The screening interview: start it, answer it (saved as one goes), complete it with a
professional judgement beside the computed, explained result."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from nrm.identification import services
from nrm.identification.choices import ScreeningStatus
from nrm.identification.forms import (
    InterviewForm,
    ScreeningCompleteForm,
    ScreeningStartForm,
    answer_field,
    note_field,
)
from nrm.identification.logic import assess
from nrm.identification.models import Indicator, Screening
from nrm.identification.selectors import (
    case_for_identification,
    indicators_for_screening,
    screening_for_viewer,
)
from nrm.identification.views.access import screens, viewer_of
from nrm.identification.views.explain import explained
from nrm.registry.views.access import add_service_errors


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _interview_url(screening: Screening) -> str:
    return reverse("identification:screening", args=[screening.pk])


def _indicators(screening: Screening) -> list[Indicator]:
    return list(indicators_for_screening(screening=screening))


def _answered(screening: Screening) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    for answer in screening.answers.all():
        initial[answer_field(answer.indicator.code)] = answer.answer
        initial[note_field(answer.indicator.code)] = answer.note
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def screening_start(request: HttpRequest, code: str) -> HttpResponse:
    viewer = viewer_of(request)
    case = case_for_identification(viewer=viewer, code=code)
    if not screens(viewer, case):
        raise PermissionDenied(_("Only a first responder working on this case may screen."))
    form = ScreeningStartForm(_posted(request))
    if form.is_valid():
        try:
            screening = services.screening_start(viewer=viewer, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(_interview_url(screening))
    return render(request, "identification/form.html", {
        "case": case, "form": form, "title": _("Start a screening"), "submit": _("Start"),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def screening(request: HttpRequest, pk: int) -> HttpResponse:
    """The interview while in progress (htmx saves every change), the result once completed."""
    viewer = viewer_of(request)
    screening = screening_for_viewer(viewer=viewer, pk=pk)
    case = screening.case
    if screening.status == ScreeningStatus.COMPLETED:
        return render(request, "identification/screening_result.html", {
            "case": case, "screening": screening,
            "assessment": explained(screening.explanation, screening.catalogue),
            "answers": screening.answers.all(),
        })
    editable = screens(viewer, case) and screening.organisation_id == viewer.organisation_id
    if request.method == "POST" and not editable:
        raise PermissionDenied
    indicators = _indicators(screening)
    form = InterviewForm(_posted(request), indicators=indicators, initial=_answered(screening),
                         spoken_language=screening.language)
    saved = False
    if form.is_valid():
        try:
            services.screening_answer(viewer=viewer, screening=screening,
                                      answers=form.answers())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved = True
    htmx = getattr(request, "htmx", None)
    if request.method == "POST" and htmx:
        return render(request, "identification/_save_status.html", {
            "saved": saved, "form": form, "at": timezone.localtime(),
            "answered": len(form.answers()) if saved else None, "total": len(indicators),
        })
    if saved:
        if "complete" in request.POST:
            return redirect(reverse("identification:screening_complete", args=[screening.pk]))
        messages.success(request, _("Your answers were saved."))
        return redirect(_interview_url(screening))
    return render(request, "identification/interview.html", {
        "case": case, "screening": screening, "form": form, "editable": editable,
        "answered": len(_answered(screening)) // 2, "total": len(indicators),
    })


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def screening_complete(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = viewer_of(request)
    screening = screening_for_viewer(viewer=viewer, pk=pk)
    if screening.status == ScreeningStatus.COMPLETED:
        return redirect(_interview_url(screening))
    if not (screens(viewer, screening.case)
            and screening.organisation_id == viewer.organisation_id):
        raise PermissionDenied
    form = ScreeningCompleteForm(_posted(request))
    if form.is_valid():
        try:
            services.screening_complete(viewer=viewer, screening=screening,
                                        **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The screening was completed."))
            return redirect(_interview_url(screening))
    answers = list(screening.answers.all())
    # What the screening would conclude now, so that the judgement is made knowing it.
    preview = assess(answers=[(a.indicator, a.answer) for a in answers],
                     child=services.screening_is_child(screening))
    return render(request, "identification/screening_complete.html", {
        "case": screening.case, "screening": screening, "form": form,
        "assessment": explained(preview.to_json(), screening.catalogue),
    })
