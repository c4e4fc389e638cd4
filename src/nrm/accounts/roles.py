"""Roles, as ordered numbers with gaps, and what each role may do.

What a role may see is decided here and nowhere else; selectors ask these functions.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.IntegerChoices):
    ANALYST = 100, _("Analyst")
    HOTLINE_OPERATOR = 200, _("Hotline operator")
    CASE_WORKER = 300, _("Case worker")
    SUPERVISOR = 400, _("Supervisor")
    DECISION_MAKER = 500, _("Decision maker")
    ORGANISATION_ADMIN = 600, _("Organisation admin")
    NATIONAL_COORDINATOR = 700, _("National coordinator")
    SYSTEM_ADMIN = 800, _("System admin")


# Roles that work with persons of their own organisation, identity included.
CASE_ROLES = frozenset(
    {Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.SUPERVISOR, Role.DECISION_MAKER}
)
# Roles that register persons and open cases.
REGISTERING_ROLES = frozenset({Role.HOTLINE_OPERATOR, Role.CASE_WORKER, Role.SUPERVISOR})
# Roles that see cases of every organisation in their country, never identity.
NATIONAL_ROLES = frozenset({Role.NATIONAL_COORDINATOR})
# Roles that may read their organisation's audit log.
AUDIT_ROLES = frozenset({Role.ORGANISATION_ADMIN, Role.SUPERVISOR, Role.NATIONAL_COORDINATOR})
# Roles that manage the directory of organisations.
DIRECTORY_ROLES = frozenset({Role.NATIONAL_COORDINATOR, Role.SYSTEM_ADMIN})
# Roles that manage their own organisation's memberships in the app.
MEMBERSHIP_ROLES = frozenset({Role.ORGANISATION_ADMIN, Role.SYSTEM_ADMIN})
# Roles that reach beyond one organisation: only a system admin may hand them out.
ROLES_BEYOND_ORGANISATION = frozenset({Role.NATIONAL_COORDINATOR, Role.SYSTEM_ADMIN})
# Roles that see personal data at all, and so must use two-factor authentication.
PERSONAL_DATA_ROLES = frozenset(Role) - {Role.ANALYST}


def grantable_roles(role: Role) -> frozenset[Role]:
    """The roles a member managing memberships under ``role`` may hand out."""
    if role == Role.SYSTEM_ADMIN:
        return frozenset(Role)
    if role in MEMBERSHIP_ROLES:
        return frozenset(Role) - ROLES_BEYOND_ORGANISATION
    return frozenset()
