"""The viewer: who is asking, acting for which organisation in which role.

Every selector and service takes a Viewer, so that permission follows the membership the user
acts under, not merely the user.
"""

from __future__ import annotations

from dataclasses import dataclass

from nrm.accounts.models import Membership, User
from nrm.accounts.roles import (
    AUDIT_ROLES,
    CASE_ROLES,
    DIRECTORY_ROLES,
    MEMBERSHIP_ROLES,
    NATIONAL_ROLES,
    REGISTERING_ROLES,
    Role,
    grantable_roles,
)


@dataclass(frozen=True)
class Viewer:
    user: User
    membership: Membership

    @property
    def role(self) -> Role:
        return Role(self.membership.role)

    @property
    def organisation_id(self) -> int:
        return self.membership.organisation_id

    @property
    def country(self) -> str:
        return self.membership.organisation.country

    @property
    def works_cases(self) -> bool:
        return self.role in CASE_ROLES

    @property
    def sees_identity(self) -> bool:
        return self.role in CASE_ROLES

    @property
    def sees_national_cases(self) -> bool:
        return self.role in NATIONAL_ROLES

    @property
    def sees_cases(self) -> bool:
        return self.works_cases or self.sees_national_cases

    @property
    def decides_status(self) -> bool:
        """A decision maker of a competent authority: decides victim status."""
        return (self.role == Role.DECISION_MAKER
                and self.membership.organisation.is_competent_authority)

    @property
    def sees_figures(self) -> bool:
        """Aggregate figures: coordinators (their country), analysts and system admins."""
        return self.role in (Role.NATIONAL_COORDINATOR, Role.ANALYST, Role.SYSTEM_ADMIN)

    @property
    def sets_country_rules(self) -> bool:
        return self.role in (Role.NATIONAL_COORDINATOR, Role.SYSTEM_ADMIN)

    @property
    def registers(self) -> bool:
        return self.role in REGISTERING_ROLES

    @property
    def reads_audit(self) -> bool:
        return self.role in AUDIT_ROLES

    @property
    def manages_directory(self) -> bool:
        return self.role in DIRECTORY_ROLES

    @property
    def manages_members(self) -> bool:
        return self.role in MEMBERSHIP_ROLES

    @property
    def grantable_roles(self) -> frozenset[Role]:
        return grantable_roles(self.role)


def viewer_for(user: User, membership_id: int | None = None) -> Viewer | None:
    """The viewer for ``user`` acting under ``membership_id`` (or their first active membership)."""
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    membership = None
    if membership_id is not None:
        membership = memberships.filter(pk=membership_id).first()
    if membership is None:
        membership = memberships.order_by("-role", "pk").first()
    if membership is None:
        return None
    return Viewer(user=user, membership=membership)
