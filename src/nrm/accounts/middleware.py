"""Attach the viewer to each request, and hold back users who still owe a second factor or a new
password: until then they reach only the pages that let them pay it."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from nrm.accounts.models import User
from nrm.accounts.selectors import two_factor_required
from nrm.accounts.viewer import viewer_for

SESSION_MEMBERSHIP = "nrm_membership_id"
# Set once this session has passed the second factor (or enrolled a device).
SESSION_TWO_FACTOR = "nrm_two_factor_passed"

ENROL = "accounts:two_factor_enrol"
VERIFY = "accounts:two_factor_verify"
NEW_PASSWORD = "accounts:password_change"  # noqa: S105 - a URL name, not a password
# Pages that a user who owes a step may still reach: signing in and out, and the steps.
_ALWAYS_OPEN = ("accounts:login", "accounts:logout", ENROL, VERIFY)


@cache
def _open_prefixes() -> tuple[str, ...]:
    # The API authenticates every request by its token, never by this session.
    static = "/" + settings.STATIC_URL.lstrip("/")
    return (static, "/i18n/", "/api/")


def _is_open(path_info: str, step: str) -> bool:
    if path_info.startswith(_open_prefixes()):
        return True
    try:
        name = resolve(path_info).view_name
    except Resolver404:
        return False
    return name == step or name in _ALWAYS_OPEN


def owed_step(request: HttpRequest) -> str | None:
    """The URL name of the step the signed-in user must take before anything else, if any."""
    user = request.user
    if not isinstance(user, User):
        return None
    if not request.session.get(SESSION_TWO_FACTOR) and two_factor_required(user):
        return VERIFY if user.has_two_factor else ENROL
    if user.must_change_password:
        return NEW_PASSWORD
    return None


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = owed_step(request)
        # A user who owes a step acts for no organisation: no page may show them anything yet.
        request.viewer = (  # type: ignore[attr-defined]
            None if step is not None
            else viewer_for(request.user, request.session.get(SESSION_MEMBERSHIP))  # type: ignore[arg-type]
        )
        if step is not None and not _is_open(request.path_info, step):
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(step)}?{query}")
        return self.get_response(request)
