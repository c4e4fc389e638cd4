"""Duplicate searches over the registry: the list, starting one (its progress on the job page),
and what one found."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from nrm.linkage import selectors, services
from nrm.linkage.forms import RunStartForm
from nrm.linkage.views.access import require_reviewer

RUNS_PER_PAGE = 25


@login_required
@require_safe
def runs(request: HttpRequest) -> HttpResponse:
    viewer = require_reviewer(request)
    page = Paginator(selectors.runs_for_viewer(viewer=viewer), RUNS_PER_PAGE).get_page(
        request.GET.get("page"))
    previous = selectors.previous_run(viewer=viewer)
    return render(request, "linkage/runs.html", {
        "page": page, "previous": previous,
        "full_form": RunStartForm(initial={"incremental": False}),
        "incremental_form": RunStartForm(initial={"incremental": True}) if previous else None,
    })


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    viewer = require_reviewer(request)
    form = RunStartForm(request.POST)
    incremental = form.is_valid() and form.cleaned_data["incremental"]
    try:
        run = services.linkage_run_start(viewer=viewer, incremental=incremental)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("linkage:runs")
    if run.job is None:  # the service always starts one; the run's page, should it not
        return redirect("linkage:run", run.pk)
    return redirect(reverse("core:job", args=[run.job.pk]))


@login_required
@require_safe
def run(request: HttpRequest, run_id: int) -> HttpResponse:
    viewer = require_reviewer(request)
    found = selectors.run_for_viewer(viewer=viewer, run_id=run_id)
    return render(request, "linkage/run.html", {"run": found})
