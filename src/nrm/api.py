"""/api/v1: one NinjaAPI with token authentication; each app adds its router here.

Errors are for people: every refusal is JSON `{"detail": "...", "errors": {field: [...]}}` with
messages in the request's language (LocaleMiddleware has chosen it from Accept-Language), and
nothing a client sends may end in a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError

from nrm.accounts.api import BearerToken, viewer_of
from nrm.accounts.api import router as accounts_router
from nrm.assistance.api import router as assistance_router
from nrm.core.submissions import DuplicateSubmissionError
from nrm.directory.api import router as directory_router
from nrm.identification.api import router as identification_router
from nrm.interchange.api import router as interchange_router
from nrm.justice.api import router as justice_router
from nrm.linkage.api import router as linkage_router
from nrm.referrals.api import router as referrals_router
from nrm.registry.api import router as registry_router
from nrm.registry.selectors import cases_for_viewer
from nrm.statistics.api import router as statistics_router

logger = logging.getLogger(__name__)

NON_FIELD = "__all__"

api = NinjaAPI(
    title="nrm",
    version="1",
    description=(
        "The registry of a National Referral Mechanism. Authenticate with a personal API token: "
        "`Authorization: Bearer nrm_…`. A token acts as one membership (organisation and role) "
        "and sees exactly what that role sees in the pages. Values follow HTCDS 2.0."
    ),
    urls_namespace="api",
    auth=BearerToken(),
)
api.add_router("", accounts_router)
api.add_router("", registry_router)
api.add_router("", directory_router)
api.add_router("", identification_router)
api.add_router("", justice_router)
api.add_router("", referrals_router)
api.add_router("", assistance_router)
api.add_router("", linkage_router)
api.add_router("", interchange_router)
api.add_router("", statistics_router)


def _refusal(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    body.update(extra)
    return api.create_response(request, body, status=status)


def _summary(errors: dict[str, list[str]]) -> str:
    parts = [message if field == NON_FIELD else f"{field}: {message}"
             for field, messages in errors.items() for message in messages]
    return "; ".join(parts)[:2000]


@api.exception_handler(DjangoValidationError)
def _invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    # The services raise these with messages already translated and keyed by field.
    errors = ({field: list(messages) for field, messages in exc.message_dict.items()}
              if hasattr(exc, "error_dict") else {NON_FIELD: list(exc.messages)})
    return _refusal(request, 422, _summary(errors), errors)


def _choices(ctx: dict[str, Any]) -> str:
    # Pydantic lists the values as "'a', 'b' or 'c'"; the "or" would stay English.
    return str(ctx.get("expected", "")).replace("' or '", "', '")


# Pydantic's messages are English and name its internals; these say what to fix.
_PYDANTIC_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda ctx: _("This field is required."),
    "extra_forbidden": lambda ctx: _("This field is not known; check its spelling."),
    "string_too_long": lambda ctx: _("Write at most %(max)s characters.")
    % {"max": ctx.get("max_length")},
    "string_too_short": lambda ctx: _("Write at least %(min)s characters.")
    % {"min": ctx.get("min_length")},
    "too_long": lambda ctx: _("Give at most %(max)s items.") % {"max": ctx.get("max_length")},
    "too_short": lambda ctx: _("Give at least %(min)s items.") % {"min": ctx.get("min_length")},
    "string_pattern_mismatch": lambda ctx: _("This text contains characters that are not "
                                             "allowed, such as control characters."),
    "enum": lambda ctx: _("Choose one of: %(values)s.") % {"values": _choices(ctx)},
    "literal_error": lambda ctx: _("Choose one of: %(values)s.") % {"values": _choices(ctx)},
    "greater_than_equal": lambda ctx: _("Enter a number of at least %(min)s.")
    % {"min": ctx.get("ge")},
    "less_than_equal": lambda ctx: _("Enter a number of at most %(max)s.")
    % {"max": ctx.get("le")},
    "int_parsing": lambda ctx: _("Enter a whole number."),
    "int_type": lambda ctx: _("Enter a whole number."),
    "int_from_float": lambda ctx: _("Enter a whole number."),
    "bool_parsing": lambda ctx: _("Enter true or false."),
    "bool_type": lambda ctx: _("Enter true or false."),
    "date_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_parsing": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_from_datetime_inexact": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "date_type": lambda ctx: _("Enter a date as YYYY-MM-DD."),
    "string_type": lambda ctx: _("Enter text."),
    "string_unicode": lambda ctx: _("Enter text."),
    "list_type": lambda ctx: _("Give a list."),
    "model_type": lambda ctx: _("Give an object with the fields the API documentation lists."),
    "model_attributes_type": lambda ctx: _("Give an object with the fields the API "
                                           "documentation lists."),
    "dict_type": lambda ctx: _("Give an object with the fields the API documentation lists."),
}

# Where a value came from is said by the field's path; the source and the name of the body
# parameter ("payload") would only confuse.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _field_of(location: tuple[Any, ...]) -> str:
    parts = list(location)
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(str(part) for part in parts) or NON_FIELD


@api.exception_handler(RequestValidationError)
def _malformed(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        explain = _PYDANTIC_MESSAGES.get(str(error.get("type")))
        message = explain(error.get("ctx") or {}) if explain else _("This value is not valid.")
        errors.setdefault(_field_of(tuple(error.get("loc") or ())), []).append(message)
    return _refusal(request, 422, _summary(errors), errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _refusal(request, 401, _("Send a valid API token: “Authorization: Bearer nrm_…”."))
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja raises 400 only when the body cannot be parsed.
    detail = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
    return _refusal(request, exc.status_code, detail)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _refusal(request, 403, str(exc) or _("Your role does not allow this."))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Never say why: "not yours" and "does not exist" must look the same.
    return _refusal(request, 404, _("Not found."))


@api.exception_handler(DuplicateSubmissionError)
def _duplicate(request: HttpRequest, exc: DuplicateSubmissionError) -> HttpResponse:
    receipt, viewer = exc.receipt, viewer_of(request)
    if receipt.actor_id != viewer.user.pk:
        return _refusal(request, 409, str(exc.message))
    existing = {"type": receipt.object_type, "id": receipt.object_id}
    if receipt.object_type == "case":
        code = (cases_for_viewer(viewer=viewer).filter(pk=receipt.object_id)
                .values_list("code", flat=True).first())
        if code:
            existing["code"] = code
    return _refusal(request, 409, str(exc.message), existing=existing)


@api.exception_handler(RequestDataTooBig)
def _too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _refusal(request, 413, _("The request is too large: at most %(limit)s bytes.")
                    % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE})


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return _refusal(request, 500, _("Something went wrong on our side; it has been logged."))
