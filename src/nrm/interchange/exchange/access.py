"""Who may do what with exchange packages and partner deployments."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from nrm.accounts.roles import Role
from nrm.accounts.viewer import Viewer


def manages_partners(viewer: Viewer) -> bool:
    """Registering a partner deployment means trusting its keys: system admins only."""
    return viewer.role == Role.SYSTEM_ADMIN


def require_partner_manager(viewer: Viewer) -> None:
    if not manages_partners(viewer):
        raise PermissionDenied(_("Only a system admin may manage partner deployments."))
