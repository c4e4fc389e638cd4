"""Who may use the linkage screens, for refusing early; the selectors and services check again."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from nrm.accounts.viewer import Viewer
from nrm.linkage.selectors import reviews_duplicates
from nrm.registry.views.access import viewer_of

__all__ = ["require_reviewer", "viewer_of"]


def require_reviewer(request: HttpRequest) -> Viewer:
    """The request's viewer if they review duplicates; 403 for every other role."""
    viewer = viewer_of(request)
    if not reviews_duplicates(viewer):
        raise PermissionDenied(_("Only supervisors and national coordinators review possible "
                                 "duplicates."))
    return viewer
