"""Who may do what on the identification screens, for showing links and refusing early; the
services check every permission again."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from nrm.accounts.roles import REGISTERING_ROLES
from nrm.accounts.viewer import Viewer
from nrm.identification.selectors import is_deciding
from nrm.registry.models import Case
from nrm.registry.views.access import viewer_of

__all__ = ["decides", "require_decision_maker", "screens", "viewer_of"]


def screens(viewer: Viewer, case: Case) -> bool:
    """Whether the viewer may screen the case and refer it: a first responder's own case."""
    organisation = viewer.membership.organisation
    return (viewer.role in REGISTERING_ROLES and case.organisation_id == viewer.organisation_id
            and organisation.is_first_responder)


def decides(viewer: Viewer) -> bool:
    """Whether the viewer is a decision maker of a competent authority."""
    return is_deciding(viewer)


def require_decision_maker(request: HttpRequest) -> Viewer:
    viewer = viewer_of(request)
    if not decides(viewer):
        raise PermissionDenied(_("Only decision makers of a competent authority may do this."))
    return viewer
