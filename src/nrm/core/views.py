"""Pages that belong to no app: error pages, and the progress of a background job."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from nrm.core.jobs import job_for_user, job_progress

# Raised while Django reads a request body that exceeds DATA_UPLOAD_MAX_* settings; Django turns
# them into a 400 through handler400, which is the one place every view's request passes.
TOO_LARGE = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400 for a malformed request; 413 with a plain explanation for an oversized one."""
    too_large = isinstance(exception, TOO_LARGE)
    status = 413 if too_large else 400
    if too_large:
        message = _("What you sent is larger than %(limit)s, the most nrm accepts at once. "
                    "Nothing was saved. Send less (for example, shorter texts) and try again."
                    ) % {"limit": filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)}
    else:
        message = _("The request could not be understood. Nothing was saved. "
                    "Go back, reload the page and try again.")
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    template = "413.html" if too_large else "400.html"
    return render(request, template, {"message": message}, status=status)


@login_required
@require_safe
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    """A background job's progress, for the user who started it (404 for anyone else)."""
    job = job_for_user(user=request.user, job_id=job_id)
    if job is None:
        raise Http404
    template = "core/_job_progress.html" if request.headers.get("HX-Request") else "core/job.html"
    return render(request, template, {"job": job, "progress": job_progress(job)})
