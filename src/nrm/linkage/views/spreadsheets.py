"""Checking a spreadsheet for duplicates from the page: upload a list, map its columns, follow
the check's progress, then read and download what it found (pairs and clusters as CSV)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from nrm.accounts.viewer import Viewer
from nrm.linkage import selectors, services
from nrm.linkage.forms import SpreadsheetMappingForm, SpreadsheetUploadForm
from nrm.registry.views.access import add_service_errors, viewer_of

PAIRS_SHOWN = 100
RECENT_CHECKS = 10
# A cell a spreadsheet program would read as a formula is written as text.
_FORMULA_STARTS = ("=", "+", "@", "\t", "\r")


def _checker(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request)
    if not selectors.checks_spreadsheets(viewer):
        raise PermissionDenied(_("Your role does not check spreadsheets for duplicates."))
    return viewer


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def spreadsheet_upload(request: HttpRequest) -> HttpResponse:
    viewer = _checker(request)
    form = SpreadsheetUploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                upload = services.spreadsheet_upload(viewer=viewer, filename=uploaded.name or "",
                                                     content=uploaded.read())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("linkage:spreadsheet_map", upload.pk)
        status = 400
    recent = selectors.spreadsheet_checks_for_viewer(viewer=viewer)[:RECENT_CHECKS]
    return render(request, "linkage/spreadsheet_upload.html", {
        "form": form, "recent": recent,
        "against_registry": selectors.checks_against_registry(viewer),
    }, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def spreadsheet_map(request: HttpRequest, upload_id: int) -> HttpResponse:
    viewer = _checker(request)
    upload = selectors.upload_for_viewer(viewer=viewer, upload_id=upload_id)
    form = SpreadsheetMappingForm(request.POST if request.method == "POST" else None,
                                  columns=list(upload.columns or []),
                                  against_registry=selectors.checks_against_registry(viewer))
    if form.is_valid():
        try:
            job = services.spreadsheet_check_start(
                viewer=viewer, upload=upload, mapping=form.mapping(),
                against_registry=form.cleaned_data.get("against_registry", False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("core:job", args=[job.pk]))
    return render(request, "linkage/spreadsheet_map.html", {"upload": upload, "form": form},
                  status=400 if form.is_bound else 200)


@login_required
@require_safe
def spreadsheet_result(request: HttpRequest, job_id: int) -> HttpResponse:
    viewer = _checker(request)
    job = selectors.spreadsheet_check_for_viewer(viewer=viewer, job_id=job_id)
    result = job.result or {}
    pairs = selectors.spreadsheet_check_rows(job, "pairs")
    clusters = selectors.spreadsheet_check_rows(job, "clusters")
    members: dict[str, int] = {}
    for _record, cluster in clusters:
        members[str(cluster)] = members.get(str(cluster), 0) + 1
    return render(request, "linkage/spreadsheet_result.html", {
        "job": job, "params": job.params or {}, "result": result,
        "pairs": pairs[:PAIRS_SHOWN], "pairs_count": len(pairs),
        "more_pairs": max(0, len(pairs) - PAIRS_SHOWN),
        # Counted by the check among the file's rows; a result without them, among all ids.
        "persons": result.get("persons", len(members)),
        "found_more_than_once": result.get("persons_in_several_rows",
                                           sum(1 for n in members.values() if n > 1)),
    })


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


@login_required
@require_safe
def spreadsheet_download(request: HttpRequest, job_id: int, what: str) -> HttpResponse:
    viewer = _checker(request)
    header, rows = selectors.spreadsheet_check_download(viewer=viewer, job_id=job_id, what=what)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{what}-{job_id}.csv"'
    return response
