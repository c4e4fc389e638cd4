"""Who may open a page at all: a signed-in user acting for an organisation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer


def current_viewer(request: HttpRequest) -> Viewer:
    """The viewer of a signed-in request; 403 for a user with no active membership."""
    viewer: Viewer | None = getattr(request, "viewer", None)
    if viewer is None:
        raise PermissionDenied(_("Your account does not act for any organisation."))
    return viewer
