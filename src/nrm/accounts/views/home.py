"""The start page: wherever the signed-in user's role has work to show."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import redirect


@login_required
def home(request: HttpRequest) -> HttpResponseRedirect:
    viewer = getattr(request, "viewer", None)
    if viewer is not None and viewer.sees_cases:
        return redirect("registry:my_cases")
    # Analysts, organisation and system admins see no cases: the directory is their start.
    return redirect("directory:organisation_list")
