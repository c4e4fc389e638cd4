"""The "Import and export" page: HTCDS exports, and imports from upload through the preview to
the confirmed, all-or-nothing import. Long work runs as background jobs (core:job)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from nrm.accounts.viewer import Viewer
from nrm.core.jobs import job_progress
from nrm.interchange import services
from nrm.interchange.forms import ExportForm, ImportForm
from nrm.interchange.htcds.export import csv_chunks, xlsx_bytes
from nrm.interchange.htcds.preview import preview_of
from nrm.interchange.models import ImportStatus
from nrm.interchange.selectors import (
    export_file_for_viewer,
    htcds_export,
    htcds_export_count,
    import_for_viewer,
    imports_for_viewer,
    may_export,
    may_export_identity,
    may_import,
)
from nrm.registry.views.access import add_service_errors, viewer_of

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _interchange_viewer(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request)
    if not (may_export(viewer) or may_import(viewer)):
        raise PermissionDenied(_("Your role does not allow importing or exporting cases."))
    return viewer


def _export_form(viewer: Viewer, data: Any = None) -> ExportForm:
    return ExportForm(data, may_include_identity=may_export_identity(viewer),
                      works_cases=viewer.works_cases)


def _page(request: HttpRequest, viewer: Viewer, *, export_form: ExportForm | None = None,
          import_form: ImportForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "interchange/home.html", {
        "export_form": (export_form or _export_form(viewer)) if may_export(viewer) else None,
        "import_form": (import_form or ImportForm()) if may_import(viewer) else None,
        "imports": imports_for_viewer(viewer=viewer),
    }, status=status)


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return _page(request, _interchange_viewer(request))


def download_name(file_format: str) -> str:
    return f"htcds-cases-{timezone.localdate():%Y-%m-%d}.{file_format}"


@login_required
@require_safe
def export(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """The export as a download: CSV streamed as it is written, XLSX built whole."""
    viewer = _interchange_viewer(request)
    if not may_export(viewer):
        raise PermissionDenied(_("Your role does not allow exporting cases."))
    form = _export_form(viewer, request.GET)
    if not form.is_valid():
        return _page(request, viewer, export_form=form, status=400)
    file_format, filters = form.cleaned_data["file_format"], form.filters()
    if file_format == "xlsx" and htcds_export_count(
            viewer=viewer, filters=filters) > settings.NRM_EXPORT_XLSX_IN_REQUEST:
        return redirect("core:job", services.htcds_export_start(viewer=viewer, filters=filters).pk)
    found = htcds_export(viewer=viewer, filters=filters, file_format=file_format)
    disposition = f'attachment; filename="{download_name(file_format)}"'
    response: HttpResponse | StreamingHttpResponse
    if file_format == "xlsx":
        response = HttpResponse(xlsx_bytes(found.columns, found.rows), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_chunks(found.columns, found.rows, delimiter=form.delimiter_character()),
            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def export_download(request: HttpRequest, job_id: int) -> HttpResponse:
    """A workbook that a background export wrote, downloaded once by whoever asked for it."""
    viewer = viewer_of(request)
    found = export_file_for_viewer(viewer=viewer, job_id=job_id)
    try:
        content = services.export_file_download(viewer=viewer, export_file=found)
    except ValidationError:
        raise Http404 from None  # downloaded meanwhile, in another tab
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download_name("xlsx")}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def import_upload(request: HttpRequest) -> HttpResponse:
    viewer = _interchange_viewer(request)
    if not may_import(viewer):
        raise PermissionDenied(_("Your role does not allow importing cases."))
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        uploaded = form.cleaned_data["file"]
        try:
            started = services.htcds_import_start(
                viewer=viewer, filename=uploaded.name or "", content=uploaded.read(),
                consent_method=form.cleaned_data["consent_method"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("core:job", started.check_job_id)
    return _page(request, viewer, import_form=form, status=400)


@login_required
@require_safe
def import_detail(request: HttpRequest, import_id: int) -> HttpResponse:
    """The preview: what the import will create, or why it cannot; then how it went."""
    viewer = viewer_of(request)
    found = import_for_viewer(viewer=viewer, import_id=import_id)
    check_job, commit_job = found.check_job, found.commit_job
    return render(request, "interchange/import_detail.html", {
        "htcds_import": found,
        "preview": preview_of(check_job.result if check_job else None,
                              with_initials=viewer.sees_identity),
        "check_job": check_job, "commit_job": commit_job,
        "check_progress": job_progress(check_job) if check_job else None,
        "commit_progress": job_progress(commit_job) if commit_job else None,
        "may_confirm": found.status == ImportStatus.CHECKED,
        "may_discard": found.status in (*services.OPEN, ImportStatus.REFUSED),
    })


@login_required
@require_POST
def import_confirm(request: HttpRequest, import_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = import_for_viewer(viewer=viewer, import_id=import_id)
    try:
        job = services.htcds_import_confirm(viewer=viewer, htcds_import=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interchange:import_detail", found.pk)
    return redirect("core:job", job.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, import_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    found = import_for_viewer(viewer=viewer, import_id=import_id)
    try:
        services.htcds_import_discard(viewer=viewer, htcds_import=found)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("interchange:import_detail", found.pk)
    messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect("interchange:home")
