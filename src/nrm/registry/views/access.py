"""What every registry view needs: the viewer behind the request, and service errors shown
beside the form fields they concern."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nrm.accounts.viewer import Viewer

# Errors the services report for a whole section, shown above the form with its name.
SECTIONS = {
    "events": gettext_lazy("Trafficking events"),
    "consents": gettext_lazy("Consents"),
    "case_worker_id": gettext_lazy("Responsible case worker"),
    "status": gettext_lazy("Status"),
}


def viewer_of(request: HttpRequest) -> Viewer:
    """The viewer acting in this request; a signed-in user without a membership may do nothing."""
    viewer: Viewer | None = getattr(request, "viewer", None)
    if viewer is None:
        raise PermissionDenied(_("Your account is not a member of any active organisation."))
    return viewer


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError beside the fields it names (or above the form)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    renamed: dict[str, Any] = getattr(form, "SERVICE_FIELDS", {})
    for key, messages in error.message_dict.items():
        field = renamed.get(key, key)
        if field in form.fields:
            form.add_error(field, messages)
        else:
            section = SECTIONS.get(key)
            form.add_error(None, [f"{section}: {m}" if section else m for m in messages])
