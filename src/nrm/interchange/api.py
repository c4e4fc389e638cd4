"""HTCDS import and export over the API, with the same permissions as the pages.

An export answers with the file itself (CSV or XLSX). An import is started by uploading a file
(multipart), which starts its check as a background job; the import's page in the API shows the
check's progress and then its preview; committing it starts the import job, all or nothing.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import File, Form, Path, Query, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from nrm.accounts.api import viewer_of
from nrm.core.jobs import job_for_user
from nrm.core.models import Job
from nrm.interchange import services
from nrm.interchange.exchange.api import router as exchange_router
from nrm.interchange.htcds.export import csv_chunks, xlsx_bytes
from nrm.interchange.schemas import ExportIn, ExportJobOut, ImportOut, export_job_out, import_out
from nrm.interchange.selectors import (
    export_file_for_viewer,
    htcds_export,
    htcds_export_count,
    import_for_viewer,
    imports_for_viewer,
)
from nrm.interchange.services import too_large
from nrm.interchange.views import XLSX_TYPE, download_name
from nrm.registry.schemas import MAX_ID, REFUSALS, WRITE_REFUSALS

router = Router(tags=["interchange"])
router.add_router("", exchange_router)

IMPORT_ID = Path(..., ge=1, le=MAX_ID, description="The import's id")
JOB_ID = Path(..., ge=1, le=MAX_ID, description="The export's job id")
_FILE_CONTENT = {"schema": {"type": "string", "format": "binary"}}


@router.get(
    "/htcds/export", response={202: ExportJobOut, **REFUSALS},
    summary="Cases as an HTCDS 2.0 file (CSV or XLSX); a large XLSX is written in the "
            "background (202)",
    openapi_extra={"responses": {200: {
        "description": "The file: one row per case, HTCDS field names in row 1",
        "content": {"text/csv": _FILE_CONTENT, XLSX_TYPE: _FILE_CONTENT},
    }}},
)
def export(request: HttpRequest, query: Query[ExportIn]
           ) -> HttpResponse | StreamingHttpResponse | Status:
    viewer, filters = viewer_of(request), query.filters()
    if query.format == "xlsx" and htcds_export_count(
            viewer=viewer, filters=filters) > settings.NRM_EXPORT_XLSX_IN_REQUEST:
        return Status(202, export_job_out(services.htcds_export_start(viewer=viewer,
                                                                      filters=filters)))
    found = htcds_export(viewer=viewer, filters=filters, file_format=query.format)
    response: HttpResponse | StreamingHttpResponse
    if query.format == "xlsx":
        response = HttpResponse(xlsx_bytes(found.columns, found.rows), content_type=XLSX_TYPE)
    else:
        response = StreamingHttpResponse(
            csv_chunks(found.columns, found.rows,
                       delimiter=";" if query.delimiter == "semicolon" else ","),
            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{download_name(query.format)}"'
    response["Cache-Control"] = "no-store"
    return response


def _export_job(request: HttpRequest, job_id: int) -> Job:
    job = job_for_user(user=viewer_of(request).user, job_id=job_id)
    if job is None or job.kind != services.EXPORT_KIND:
        raise Http404
    return job


@router.get("/htcds/exports/{job_id}", response={200: ExportJobOut, **REFUSALS},
            summary="A large XLSX export's progress")
def export_job(request: HttpRequest, job_id: int = JOB_ID) -> ExportJobOut:
    return export_job_out(_export_job(request, job_id))


@router.get(
    "/htcds/exports/{job_id}/file", response={**REFUSALS},
    summary="A large XLSX export, once it is written; once (it is dropped as it leaves)",
    openapi_extra={"responses": {200: {"description": "The workbook",
                                       "content": {XLSX_TYPE: _FILE_CONTENT}}}},
)
def export_file(request: HttpRequest, job_id: int = JOB_ID) -> HttpResponse:
    viewer = viewer_of(request)
    found = export_file_for_viewer(viewer=viewer, job_id=_export_job(request, job_id).pk)
    try:
        content = services.export_file_download(viewer=viewer, export_file=found)
    except ValidationError:
        raise Http404 from None
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download_name("xlsx")}"'
    response["Cache-Control"] = "no-store"
    return response


@router.post("/htcds/imports", response={202: ImportOut, **WRITE_REFUSALS},
             summary="Upload an HTCDS spreadsheet; its check starts in the background")
def import_upload(
    request: HttpRequest, file: File[UploadedFile], consent_method: Form[str] = "",
) -> Status:
    if file.size is not None and file.size > settings.NRM_IMPORT_MAX_BYTES:
        raise ValidationError({"file": too_large(file.size)})
    started = services.htcds_import_start(
        viewer=viewer_of(request), filename=file.name or "",
        content=file.read(settings.NRM_IMPORT_MAX_BYTES + 1),
        consent_method=consent_method[:20])
    return Status(202, import_out(started))


@router.get("/htcds/imports", response={200: list[ImportOut], **REFUSALS},
            summary="The caller's recent imports")
def imports(request: HttpRequest) -> list[ImportOut]:
    return [import_out(found) for found in imports_for_viewer(viewer=viewer_of(request))]


@router.get("/htcds/imports/{import_id}", response={200: ImportOut, **REFUSALS},
            summary="An import: its jobs' progress, then its preview or its errors")
def import_detail(request: HttpRequest, import_id: int = IMPORT_ID) -> ImportOut:
    return import_out(import_for_viewer(viewer=viewer_of(request), import_id=import_id))


@router.post("/htcds/imports/{import_id}/commit", response={202: ImportOut, **WRITE_REFUSALS},
             summary="Import a checked file, all or nothing; only once")
def import_commit(request: HttpRequest, import_id: int = IMPORT_ID) -> Status:
    viewer = viewer_of(request)
    found = import_for_viewer(viewer=viewer, import_id=import_id)
    try:
        services.htcds_import_confirm(viewer=viewer, htcds_import=found)
    except ValidationError as refusal:
        # Confirmed already, refused or discarded: the import's state is the conflict.
        raise HttpError(409, " ".join(refusal.messages)) from None
    return Status(202, import_out(import_for_viewer(viewer=viewer, import_id=import_id)))


@router.post("/htcds/imports/{import_id}/discard", response={200: ImportOut, **WRITE_REFUSALS},
             summary="Drop a file that was not imported")
def import_discard(request: HttpRequest, import_id: int = IMPORT_ID) -> ImportOut:
    viewer = viewer_of(request)
    found = import_for_viewer(viewer=viewer, import_id=import_id)
    return import_out(services.htcds_import_discard(viewer=viewer, htcds_import=found))
